package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"polku/programs"
)

// defCache holds parsed program and instrument definitions by stored id.
// Definitions never change once stored, so entries never go stale.
type defCache struct {
	mu          sync.Mutex
	programs    map[string]*programs.Program    // by program version id
	instruments map[string]*programs.Instrument // by "instrument_id@version"
}

func newDefCache() *defCache {
	return &defCache{programs: map[string]*programs.Program{}, instruments: map[string]*programs.Instrument{}}
}

func instrumentKey(id string, version int) string { return fmt.Sprintf("%s@%d", id, version) }

// ProgramDef returns the parsed definition of a stored program version.
func (db *DB) ProgramDef(ctx context.Context, versionID string) (*programs.Program, error) {
	return db.programDef(ctx, db.r, versionID, true)
}

// programDef reads through q; cache is false inside a write transaction,
// so that a rolled-back import never leaves a definition behind.
func (db *DB) programDef(ctx context.Context, q querier, versionID string, cache bool) (*programs.Program, error) {
	db.defs.mu.Lock()
	p, ok := db.defs.programs[versionID]
	db.defs.mu.Unlock()
	if ok {
		return p, nil
	}
	var raw string
	if err := q.QueryRowContext(ctx, "SELECT definition FROM program_versions WHERE id = ?", versionID).Scan(&raw); err != nil {
		return nil, notFound("program version", versionID)
	}
	p = &programs.Program{}
	if err := json.Unmarshal([]byte(raw), p); err != nil {
		return nil, fmt.Errorf("program version %s: stored definition is unreadable: %w", versionID, err)
	}
	if cache {
		db.defs.mu.Lock()
		db.defs.programs[versionID] = p
		db.defs.mu.Unlock()
	}
	return p, nil
}

// InstrumentDef returns a stored instrument definition. Version 0 means
// the newest.
func (db *DB) InstrumentDef(ctx context.Context, id string, version int) (*programs.Instrument, error) {
	return db.instrumentDef(ctx, db.r, id, version, true)
}

func (db *DB) instrumentDef(ctx context.Context, q querier, id string, version int, cache bool) (*programs.Instrument, error) {
	if version == 0 {
		if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM instruments WHERE instrument_id = ?", id).Scan(&version); err != nil {
			return nil, err
		}
		if version == 0 {
			return nil, notFound("instrument", id)
		}
	}
	key := instrumentKey(id, version)
	db.defs.mu.Lock()
	in, ok := db.defs.instruments[key]
	db.defs.mu.Unlock()
	if ok {
		return in, nil
	}
	var raw string
	if err := q.QueryRowContext(ctx, "SELECT definition FROM instruments WHERE instrument_id = ? AND version = ?", id, version).Scan(&raw); err != nil {
		return nil, notFound("instrument", key)
	}
	in = &programs.Instrument{}
	if err := json.Unmarshal([]byte(raw), in); err != nil {
		return nil, fmt.Errorf("instrument %s: stored definition is unreadable: %w", key, err)
	}
	if cache {
		db.defs.mu.Lock()
		db.defs.instruments[key] = in
		db.defs.mu.Unlock()
	}
	return in, nil
}

// ProgramDefIn returns a stored program version in a language: the
// translation when the version has one, else the program's own language.
// fallback says that the language asked for was not available. The
// workbench shows a patient's module in the patient's language, and on
// request in the therapist's.
func (db *DB) ProgramDefIn(ctx context.Context, versionID, lang string) (p *programs.Program, fallback bool, err error) {
	def, err := db.ProgramDef(ctx, versionID)
	if err != nil {
		return nil, false, err
	}
	p, fallback = def.In(lang)
	return p, fallback, nil
}

// InstrumentDefIn returns a stored instrument version (0: the newest) in a
// language, as ProgramDefIn does. The scoring is the same in every
// language; only the words differ.
func (db *DB) InstrumentDefIn(ctx context.Context, id string, version int, lang string) (in *programs.Instrument, fallback bool, err error) {
	def, err := db.InstrumentDef(ctx, id, version)
	if err != nil {
		return nil, false, err
	}
	in, fallback = def.In(lang)
	return in, fallback, nil
}
