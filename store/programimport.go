package store

import (
	"context"
	"encoding/json"
	"fmt"

	"polku/programs"
)

// ImportProgramsOp stores new program and instrument versions.
type ImportProgramsOp struct {
	Instruments []InstrumentVersion `json:"instruments,omitempty"`
	Programs    []ProgramVersion    `json:"programs,omitempty"`
	Services    []ServiceVersion    `json:"services,omitempty"`
}

func (ImportProgramsOp) OpType() string { return "programs.import" }
func (o ImportProgramsOp) apply(t *tx) error {
	for i := range o.Instruments {
		in := &o.Instruments[i]
		if err := first(needID("instrument", "id", in.ID), need("instrument", "instrument_id", in.InstrumentID), needTime("instrument", "imported_at", in.ImportedAt)); err != nil {
			return err
		}
		var def programs.Instrument
		if err := json.Unmarshal(in.Definition, &def); err != nil || def.ID != in.InstrumentID || def.Version != in.Version {
			return invalid("instrument", "definition", "does not describe %s version %d", in.InstrumentID, in.Version)
		}
		if err := t.insert(tables.instrument, in, in.ID, ""); err != nil {
			return err
		}
	}
	for i := range o.Programs {
		p := &o.Programs[i]
		if err := first(needID("program", "id", p.ID), need("program", "program_id", p.ProgramID), needTime("program", "imported_at", p.ImportedAt)); err != nil {
			return err
		}
		var def programs.Program
		if err := json.Unmarshal(p.Definition, &def); err != nil || def.ID != p.ProgramID || def.Version != p.Version {
			return invalid("program", "definition", "does not describe %s version %d", p.ProgramID, p.Version)
		}
		if err := t.insert(tables.program, p, p.ID, ""); err != nil {
			return err
		}
	}
	for i := range o.Services {
		sv := &o.Services[i]
		if err := first(needID("service", "id", sv.ID), need("service", "service_id", sv.ServiceID), needTime("service", "imported_at", sv.ImportedAt)); err != nil {
			return err
		}
		var def programs.Service
		if err := json.Unmarshal(sv.Definition, &def); err != nil || def.ID != sv.ServiceID || def.Version != sv.Version {
			return invalid("service", "definition", "does not describe %s version %d", sv.ServiceID, sv.Version)
		}
		if err := t.insert(tables.service, sv, sv.ID, ""); err != nil {
			return err
		}
	}
	return nil
}

// ProgramImport is what importing one document did (or, in a dry run,
// would do).
type ProgramImport struct {
	Kind    string `json:"kind"` // program or instrument
	ID      string `json:"id"`
	Version int    `json:"version"`
	Status  string `json:"status"` // "new", "new version", "unchanged"
	Warning string `json:"warning,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

// Import statuses.
const (
	ImportNew        = "new"
	ImportNewVersion = "new version"
	ImportUnchanged  = "unchanged"
)

type storedVersion struct {
	version int
	hash    string
}

func (db *DB) storedVersions(ctx context.Context, tableName, idCol, id string) ([]storedVersion, error) {
	rows, err := db.r.QueryContext(ctx, fmt.Sprintf("SELECT version, hash FROM %s WHERE %s = ? ORDER BY version", tableName, idCol), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedVersion
	for rows.Next() {
		var v storedVersion
		if err := rows.Scan(&v.version, &v.hash); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// plan decides the status and stored version of one definition.
func plan(stored []storedVersion, fileVersion int, hash string) (status string, version int, warning string) {
	if len(stored) == 0 {
		return ImportNew, fileVersion, ""
	}
	latest := 0
	for _, s := range stored {
		if s.hash == hash {
			return ImportUnchanged, s.version, ""
		}
		if s.version > latest {
			latest = s.version
		}
	}
	if fileVersion > latest {
		return ImportNewVersion, fileVersion, ""
	}
	return ImportNewVersion, latest + 1, fmt.Sprintf("content changed but the file still says version %d: stored as version %d; raise version in the file", fileVersion, latest+1)
}

// contentHash hashes a definition without its version label, so that only
// content decides whether a file is unchanged.
func programHash(p programs.Program) string {
	p.Version = 0
	return programs.Hash(p)
}

func instrumentHash(in programs.Instrument) string {
	in.Version = 0
	return programs.Hash(in)
}

// ImportPrograms validates a bundle against itself and the store, then
// stores every new or changed definition in one transaction. With dryRun
// nothing is written. Validation problems come back as programs.Problems.
func (db *DB) ImportPrograms(ctx context.Context, actor Actor, b *programs.Bundle, dryRun bool) ([]ProgramImport, error) {
	known := func(id string) bool {
		var n int
		db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM instruments WHERE instrument_id = ?", id).Scan(&n)
		return n > 0
	}
	if probs := programs.Validate(b, known); len(probs) > 0 {
		return nil, probs
	}
	now := db.Now()
	var op ImportProgramsOp
	var results []ProgramImport
	for _, d := range b.Docs {
		res := ProgramImport{Kind: d.Kind, ID: d.ID(), File: d.Pos.File, Line: d.Pos.Line}
		switch {
		case d.Instrument != nil:
			def := *d.Instrument
			hash := instrumentHash(def)
			stored, err := db.storedVersions(ctx, "instruments", "instrument_id", def.ID)
			if err != nil {
				return nil, err
			}
			res.Status, res.Version, res.Warning = plan(stored, def.Version, hash)
			if res.Status != ImportUnchanged {
				def.Version = res.Version
				raw, _ := json.Marshal(def)
				op.Instruments = append(op.Instruments, InstrumentVersion{ID: db.NewID(now), InstrumentID: def.ID,
					Version: def.Version, Title: def.Title, Hash: hash, Definition: raw, ImportedAt: now})
			}
		case d.Program != nil:
			def := *d.Program
			hash := programHash(def)
			stored, err := db.storedVersions(ctx, "program_versions", "program_id", def.ID)
			if err != nil {
				return nil, err
			}
			res.Status, res.Version, res.Warning = plan(stored, def.Version, hash)
			if res.Status != ImportUnchanged {
				def.Version = res.Version
				raw, _ := json.Marshal(def)
				op.Programs = append(op.Programs, ProgramVersion{ID: db.NewID(now), ProgramID: def.ID, Version: def.Version,
					Title: def.Title, Language: def.Language, Hash: hash, Definition: raw, ImportedAt: now})
			}
		case d.Service != nil:
			def := *d.Service
			hash := programs.Hash(def)
			stored, err := db.storedVersions(ctx, "services", "service_id", def.ID)
			if err != nil {
				return nil, err
			}
			res.Status, res.Version, res.Warning = plan(stored, def.Version, hash)
			if res.Status != ImportUnchanged {
				def.Version = res.Version
				raw, _ := json.Marshal(def)
				op.Services = append(op.Services, ServiceVersion{ID: db.NewID(now), ServiceID: def.ID, Version: def.Version,
					Name: def.Name, Hash: hash, Definition: raw, ImportedAt: now})
			}
		}
		results = append(results, res)
	}
	if dryRun || (len(op.Instruments) == 0 && len(op.Programs) == 0 && len(op.Services) == 0) {
		return results, nil
	}
	return results, db.Apply(ctx, actor, op)
}
