package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"polku/programs"
)

// defCache holds parsed program and instrument definitions by stored id,
// shared by every reader and writer of the store. A stored definition
// never changes (a new one is a new version, with its own id), so an entry
// never goes stale, and each version is parsed once. The values are
// shared: nothing may change a *programs.Program or *programs.Instrument
// it got from the cache.
//
// Only committed definitions enter the cache: a definition a write
// transaction reads (perhaps one it wrote itself) waits in the
// transaction (tx.defs) and is published when it commits, so that a
// rolled-back import never leaves a definition behind.
type defCache struct {
	mu          sync.RWMutex
	programs    map[string]*programs.Program    // by program version id
	instruments map[string]*programs.Instrument // by "instrument_id@version"
	parses      atomic.Int64                    // definitions parsed, for tests
}

func newDefCache() *defCache {
	return &defCache{programs: map[string]*programs.Program{}, instruments: map[string]*programs.Instrument{}}
}

func instrumentKey(id string, version int) string { return fmt.Sprintf("%s@%d", id, version) }

// txDefs are the definitions a write transaction parsed, published to the
// cache when it commits.
type txDefs struct {
	programs    map[string]*programs.Program
	instruments map[string]*programs.Instrument
}

func (c *defCache) program(id string) (*programs.Program, bool) {
	c.mu.RLock()
	p, ok := c.programs[id]
	c.mu.RUnlock()
	return p, ok
}

func (c *defCache) instrument(key string) (*programs.Instrument, bool) {
	c.mu.RLock()
	in, ok := c.instruments[key]
	c.mu.RUnlock()
	return in, ok
}

// publish adds a committed transaction's definitions. A definition
// already cached stays: others may hold it.
func (c *defCache) publish(d *txDefs) {
	if d == nil || len(d.programs)+len(d.instruments) == 0 {
		return
	}
	c.mu.Lock()
	for id, p := range d.programs {
		if _, ok := c.programs[id]; !ok {
			c.programs[id] = p
		}
	}
	for k, in := range d.instruments {
		if _, ok := c.instruments[k]; !ok {
			c.instruments[k] = in
		}
	}
	c.mu.Unlock()
}

// ProgramDef returns the parsed definition of a stored program version.
func (db *DB) ProgramDef(ctx context.Context, versionID string) (*programs.Program, error) {
	return db.programDef(ctx, db.r, versionID, nil)
}

// programDef reads through q. Inside a write transaction t is that
// transaction: what it parses waits there until it commits. Outside one
// (t nil) q reads committed rows only, which go to the cache at once.
func (db *DB) programDef(ctx context.Context, q querier, versionID string, t *tx) (*programs.Program, error) {
	if p, ok := db.defs.program(versionID); ok {
		return p, nil
	}
	if t != nil && t.defs != nil {
		if p, ok := t.defs.programs[versionID]; ok {
			return p, nil
		}
	}
	var raw string
	if err := q.QueryRowContext(ctx, "SELECT definition FROM program_versions WHERE id = ?", versionID).Scan(&raw); err != nil {
		return nil, notFound("program version", versionID)
	}
	p := &programs.Program{}
	db.defs.parses.Add(1)
	if err := json.Unmarshal([]byte(raw), p); err != nil {
		return nil, fmt.Errorf("program version %s: stored definition is unreadable: %w", versionID, err)
	}
	if t != nil {
		t.pendingDefs().programs[versionID] = p
	} else {
		db.defs.publish(&txDefs{programs: map[string]*programs.Program{versionID: p}})
	}
	return p, nil
}

// InstrumentDef returns a stored instrument definition. Version 0 means
// the newest.
func (db *DB) InstrumentDef(ctx context.Context, id string, version int) (*programs.Instrument, error) {
	return db.instrumentDef(ctx, db.r, id, version, nil)
}

// instrumentDef reads through q; t as for programDef. Version 0 is looked
// up every time, so that a newer version is seen as soon as it is stored.
func (db *DB) instrumentDef(ctx context.Context, q querier, id string, version int, t *tx) (*programs.Instrument, error) {
	if version == 0 {
		if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM instruments WHERE instrument_id = ?", id).Scan(&version); err != nil {
			return nil, err
		}
		if version == 0 {
			return nil, notFound("instrument", id)
		}
	}
	key := instrumentKey(id, version)
	if in, ok := db.defs.instrument(key); ok {
		return in, nil
	}
	if t != nil && t.defs != nil {
		if in, ok := t.defs.instruments[key]; ok {
			return in, nil
		}
	}
	var raw string
	if err := q.QueryRowContext(ctx, "SELECT definition FROM instruments WHERE instrument_id = ? AND version = ?", id, version).Scan(&raw); err != nil {
		return nil, notFound("instrument", key)
	}
	in := &programs.Instrument{}
	db.defs.parses.Add(1)
	if err := json.Unmarshal([]byte(raw), in); err != nil {
		return nil, fmt.Errorf("instrument %s: stored definition is unreadable: %w", key, err)
	}
	if t != nil {
		t.pendingDefs().instruments[key] = in
	} else {
		db.defs.publish(&txDefs{instruments: map[string]*programs.Instrument{key: in}})
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

// pendingDefs is t's definitions waiting for its commit.
func (t *tx) pendingDefs() *txDefs {
	if t.defs == nil {
		t.defs = &txDefs{programs: map[string]*programs.Program{}, instruments: map[string]*programs.Instrument{}}
	}
	return t.defs
}
