package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"polku/programs"
	"polku/programs/builtin"
)

// SettingTemplates is the setting that holds a site's feedback templates
// (a JSON list of programs.TemplateSet). Without it the built-in default
// templates apply.
const SettingTemplates = "feedback_templates"

// Template import statuses.
const (
	TemplatesNew       = "new"
	TemplatesChanged   = "changed"
	TemplatesUnchanged = "unchanged"
)

// TemplateImport is what importing one template set did (or would do).
type TemplateImport struct {
	Language  string `json:"language"`
	Program   string `json:"program,omitempty"` // "" for every program
	Templates int    `json:"templates"`
	Status    string `json:"status"`
}

// TemplateSets returns the feedback templates in use: the stored setting,
// or the built-in defaults (stored false). version is the setting's
// version for a compare-and-set (0: not stored yet).
func (db *DB) TemplateSets(ctx context.Context) (sets []programs.TemplateSet, version int64, stored bool, err error) {
	return db.templateSets(ctx, db.r)
}

func (db *DB) templateSets(ctx context.Context, q querier) (sets []programs.TemplateSet, version int64, stored bool, err error) {
	var raw string
	err = q.QueryRowContext(ctx, "SELECT value, version FROM settings WHERE key = ?", SettingTemplates).Scan(&raw, &version)
	if err != nil {
		sets, err = builtin.Templates()
		return sets, 0, false, err
	}
	if err := json.Unmarshal([]byte(raw), &sets); err != nil {
		return nil, 0, false, fmt.Errorf("setting %s is unreadable: %w", SettingTemplates, err)
	}
	return sets, version, true, nil
}

// TemplatesFor returns the feedback templates for a patient on a program
// who reads lang: the program's own templates in that language first,
// then the language's templates for every program. A language without
// templates gets the English ones.
func (db *DB) TemplatesFor(ctx context.Context, program, lang string) ([]programs.Template, error) {
	sets, _, _, err := db.TemplateSets(ctx)
	if err != nil {
		return nil, err
	}
	return TemplatesIn(sets, program, lang), nil
}

// TemplatesIn picks the templates for a program and language from sets
// (see TemplatesFor).
func TemplatesIn(sets []programs.TemplateSet, program, lang string) []programs.Template {
	pick := func(lang string) []programs.Template {
		var out []programs.Template
		if program != "" {
			for _, s := range sets {
				if s.Language == lang && s.Program == program {
					out = append(out, s.Templates...)
				}
			}
		}
		for _, s := range sets {
			if s.Language == lang && s.Program == "" {
				out = append(out, s.Templates...)
			}
		}
		return out
	}
	if out := pick(lang); len(out) > 0 {
		return out
	}
	return pick("en")
}

// ImportTemplates replaces, for each language and program in sets, the
// stored templates of that language and program (others are kept), in
// one compare-and-set of the setting. The sets are validated by
// programs.ParseTemplates; a program they name must be stored. With
// dryRun nothing is written.
func (db *DB) ImportTemplates(ctx context.Context, actor Actor, sets []programs.TemplateSet, dryRun bool) ([]TemplateImport, error) {
	for _, s := range sets {
		if s.Program == "" {
			continue
		}
		if _, err := db.ProgramVersion(ctx, s.Program, 0); err != nil {
			return nil, invalid("templates", "program", "store.err.no_program_stored_templates", "Program", quote(s.Program), "Language", s.Language)
		}
	}
	cur, version, _, err := db.TemplateSets(ctx)
	if err != nil {
		return nil, err
	}
	next := append([]programs.TemplateSet(nil), cur...)
	var res []TemplateImport
	changed := false
	for _, s := range sets {
		s.Kind = ""
		r := TemplateImport{Language: s.Language, Program: s.Program, Templates: len(s.Templates), Status: TemplatesNew}
		for i := range next {
			if next[i].Language == s.Language && next[i].Program == s.Program {
				r.Status = TemplatesChanged
				if reflect.DeepEqual(next[i].Templates, s.Templates) {
					r.Status = TemplatesUnchanged
				}
				next[i] = s
			}
		}
		if r.Status == TemplatesNew {
			next = append(next, s)
		}
		changed = changed || r.Status != TemplatesUnchanged
		res = append(res, r)
	}
	if dryRun || !changed {
		return res, nil
	}
	programs.SortTemplateSets(next)
	return res, db.SetSetting(ctx, actor, SettingTemplates, next, version)
}

// checkTemplates checks a templates setting as a template file is checked
// (whoever writes it: import, sync): names, bodies, variables, languages,
// no control characters.
func checkTemplates(raw json.RawMessage) error {
	var sets []programs.TemplateSet
	if err := json.Unmarshal(raw, &sets); err != nil {
		return invalid("setting", SettingTemplates, "store.err.list_template_sets", "Err", err)
	}
	data, err := programs.MarshalTemplates(sets)
	if err != nil {
		return invalid("setting", SettingTemplates, "store.err.detail", "Detail", err)
	}
	if _, probs := programs.ParseTemplates(SettingTemplates, data); len(probs) > 0 {
		return invalid("setting", SettingTemplates, "store.err.detail", "Detail", probs[0].Message)
	}
	return nil
}
