package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

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
			return invalid("instrument", "definition", "store.err.does_describe_version", "ID", in.InstrumentID, "Version", in.Version)
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
			return invalid("program", "definition", "store.err.does_describe_version", "ID", p.ProgramID, "Version", p.Version)
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
			return invalid("service", "definition", "store.err.does_describe_version", "ID", sv.ServiceID, "Version", sv.Version)
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
	// Language is the document's language: a translation's row has its
	// original's version and status (they are stored together).
	Language string `json:"language,omitempty"`
	Warning  string `json:"warning,omitempty"`
	File     string `json:"file"`
	Line     int    `json:"line"`
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
	p.Translations = relabel(p.Translations, 0, func(t *programs.Program, v int) { t.Version = v })
	return programs.Hash(p)
}

func instrumentHash(in programs.Instrument) string {
	in.Version = 0
	in.Translations = relabel(in.Translations, 0, func(t *programs.Instrument, v int) { t.Version = v })
	return programs.Hash(in)
}

// relabel copies translations with their version label set to v: a
// translation carries its original's version, whichever number the stored
// version got.
func relabel[T any](ts map[string]*T, v int, set func(*T, int)) map[string]*T {
	if ts == nil {
		return nil
	}
	out := make(map[string]*T, len(ts))
	for l, t := range ts {
		c := *t
		set(&c, v)
		out[l] = &c
	}
	return out
}

func relabelProgram(p *programs.Program) {
	p.Translations = relabel(p.Translations, p.Version, func(t *programs.Program, v int) { t.Version = v })
}

func relabelInstrument(in *programs.Instrument) {
	in.Translations = relabel(in.Translations, in.Version, func(t *programs.Instrument, v int) { t.Version = v })
}

// Lookup finds the stored definitions a bundle refers to: instruments by
// id, and the newest stored version of a program or instrument, which a
// translation imported on its own translates. The translation names the
// version it translates; the newest stored version must have that
// version's words (it may have more translations than it), so that adding
// a translation never brings back an older text.
func (db *DB) Lookup(ctx context.Context) programs.Lookup {
	return programs.Lookup{
		Instrument: func(id string) bool {
			var n int
			db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM instruments WHERE instrument_id = ?", id).Scan(&n)
			return n > 0
		},
		Program: func(id string, version int) *programs.Program {
			def := func(v int) *programs.Program {
				pv, err := db.ProgramVersion(ctx, id, v)
				if err != nil {
					return nil
				}
				p, err := db.ProgramDef(ctx, pv.ID)
				if err != nil {
					return nil
				}
				return p
			}
			newest, asked := def(0), def(version)
			if newest == nil || asked == nil || !sameProgramWords(*newest, *asked) {
				return nil
			}
			return newest
		},
		InstrumentVersion: func(id string, version int) *programs.Instrument {
			newest, err := db.InstrumentDef(ctx, id, 0)
			if err != nil {
				return nil
			}
			asked, err := db.InstrumentDef(ctx, id, version)
			if err != nil || !sameInstrumentWords(*newest, *asked) {
				return nil
			}
			return newest
		},
	}
}

// ImportPrograms validates a bundle against itself and the store, then
// stores every new or changed definition in one transaction. With dryRun
// nothing is written. Validation problems come back as programs.Problems.
//
// Translations are stored inside their original's definition: a bundle
// with an original and its translations stores one version with every
// language; a translation imported on its own (a site's licensed Finnish
// PHQ-9) is added to the newest stored version of its original, which
// becomes a new version.
func (db *DB) ImportPrograms(ctx context.Context, actor Actor, b *programs.Bundle, dryRun bool) ([]ProgramImport, error) {
	if probs := programs.ValidateIn(b, db.Lookup(ctx)); len(probs) > 0 {
		return nil, probs
	}
	b.Link()
	now := db.Now()
	var op ImportProgramsOp
	var results []ProgramImport
	// status of each original (and merged orphan group), for its translations' rows
	groups := map[string]ProgramImport{}
	orphans := map[string][]*programs.Document{}
	var orphanOrder []string
	for _, d := range b.Orphans() {
		k := d.Kind + ":" + d.ID()
		if _, ok := orphans[k]; !ok {
			orphanOrder = append(orphanOrder, k)
		}
		orphans[k] = append(orphans[k], d)
	}
	for _, k := range orphanOrder {
		res, err := db.importOrphans(ctx, now, &op, orphans[k])
		if err != nil {
			return nil, err
		}
		groups[k] = res
	}
	for _, d := range b.Docs {
		res := ProgramImport{Kind: d.Kind, ID: d.ID(), Language: d.Language(), File: d.Pos.File, Line: d.Pos.Line}
		if d.IsTranslation() {
			results = append(results, res) // filled in below, from its original's row
			continue
		}
		switch {
		case d.Instrument != nil:
			def := *d.Instrument
			hash := instrumentHash(def)
			stored, err := db.storedVersions(ctx, "instruments", "instrument_id", def.ID)
			if err != nil {
				return nil, err
			}
			res.Status, res.Version, res.Warning = plan(stored, def.Version, hash)
			if res.Warning != "" && len(def.Translations) > 0 {
				if in, err := db.InstrumentDef(ctx, def.ID, 0); err == nil && sameInstrumentWords(*in, def) {
					res.Warning = "" // only the translations changed
				}
			}
			if res.Status != ImportUnchanged {
				def.Version = res.Version
				relabelInstrument(&def)
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
			if res.Warning != "" && len(def.Translations) > 0 {
				if pv, err := db.ProgramVersion(ctx, def.ID, 0); err == nil {
					if p, err := db.ProgramDef(ctx, pv.ID); err == nil && sameProgramWords(*p, def) {
						res.Warning = ""
					}
				}
			}
			if res.Status != ImportUnchanged {
				def.Version = res.Version
				relabelProgram(&def)
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
		if d.Kind == "service" {
			res.Language = ""
		}
		groups[d.Kind+":"+d.ID()] = res
		results = append(results, res)
	}
	for i, d := range b.Docs {
		if d.IsTranslation() {
			g := groups[d.Kind+":"+d.ID()]
			results[i].Version, results[i].Status = g.Version, g.Status
		}
	}
	if dryRun || (len(op.Instruments) == 0 && len(op.Programs) == 0 && len(op.Services) == 0) {
		return results, nil
	}
	return results, db.Apply(ctx, actor, op)
}

// sameProgramWords says whether two definitions differ at most in their
// translations and version label.
func sameProgramWords(a, b programs.Program) bool {
	a.Translations, b.Translations = nil, nil
	return programHash(a) == programHash(b)
}

func sameInstrumentWords(a, b programs.Instrument) bool {
	a.Translations, b.Translations = nil, nil
	return instrumentHash(a) == instrumentHash(b)
}

// importOrphans adds translations whose original is not in the bundle to
// the newest stored version of the original (validation found it): the
// result is a new version with every language, or unchanged when the
// stored version already has these words.
func (db *DB) importOrphans(ctx context.Context, now time.Time, op *ImportProgramsOp, docs []*programs.Document) (ProgramImport, error) {
	d0 := docs[0]
	res := ProgramImport{Kind: d0.Kind, ID: d0.ID()}
	switch {
	case d0.Program != nil:
		pv, err := db.ProgramVersion(ctx, d0.ID(), 0)
		if err != nil {
			return res, err
		}
		stored, err := db.ProgramDef(ctx, pv.ID)
		if err != nil {
			return res, err
		}
		def := *stored
		def.Translations = maps.Clone(def.Translations)
		if def.Translations == nil {
			def.Translations = map[string]*programs.Program{}
		}
		for _, d := range docs {
			def.Translations[d.Language()] = d.Program
		}
		hash := programHash(def)
		versions, err := db.storedVersions(ctx, "program_versions", "program_id", def.ID)
		if err != nil {
			return res, err
		}
		res.Status, res.Version, _ = plan(versions, def.Version, hash)
		if res.Status != ImportUnchanged {
			def.Version = res.Version
			relabelProgram(&def)
			raw, _ := json.Marshal(def)
			op.Programs = append(op.Programs, ProgramVersion{ID: db.NewID(now), ProgramID: def.ID, Version: def.Version,
				Title: def.Title, Language: def.Language, Hash: hash, Definition: raw, ImportedAt: now})
		}
	case d0.Instrument != nil:
		stored, err := db.InstrumentDef(ctx, d0.ID(), 0)
		if err != nil {
			return res, err
		}
		def := *stored
		def.Translations = maps.Clone(def.Translations)
		if def.Translations == nil {
			def.Translations = map[string]*programs.Instrument{}
		}
		for _, d := range docs {
			def.Translations[d.Language()] = d.Instrument
		}
		hash := instrumentHash(def)
		versions, err := db.storedVersions(ctx, "instruments", "instrument_id", def.ID)
		if err != nil {
			return res, err
		}
		res.Status, res.Version, _ = plan(versions, def.Version, hash)
		if res.Status != ImportUnchanged {
			def.Version = res.Version
			relabelInstrument(&def)
			raw, _ := json.Marshal(def)
			op.Instruments = append(op.Instruments, InstrumentVersion{ID: db.NewID(now), InstrumentID: def.ID,
				Version: def.Version, Title: def.Title, Hash: hash, Definition: raw, ImportedAt: now})
		}
	}
	return res, nil
}
