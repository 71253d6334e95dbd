package workspace

import (
	"strings"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store"
	"polku/tui/common"
)

// The program's words in the workspace: the patient's language by
// default (what the patient reads), the therapist's own on L; and the
// feedback templates of the patient's language and program.

// tr is the interface's printer (English when none is set).
func (p *Page) tr() *i18n.Printer {
	if p.c.Tr == nil {
		return i18n.New(i18n.EN)
	}
	return p.c.Tr
}

// contentLang is the language the program's text is shown in.
func (p *Page) contentLang() string {
	if p.ownLang {
		return p.tr().Lang()
	}
	if p.rec != nil {
		return p.rec.Patient.Language
	}
	return ""
}

// programIn is a stored program in the language the workspace shows.
func (p *Page) programIn(def *programs.Program) *programs.Program {
	if def == nil {
		return nil
	}
	in, _ := def.In(p.contentLang())
	return in
}

// toggleLang switches the module text between the patient's language and
// the therapist's (key L) and says which one shows.
func (p *Page) toggleLang() string {
	p.ownLang = !p.ownLang
	p.derive()
	p.readerKey = ""
	lang := p.contentLang()
	shown := lang
	if e, def := p.rec.Current(); e != nil && def != nil {
		if in, fallback := def.In(lang); fallback {
			return p.tr().T("content.workspace.lang_missing", "Lang", lang, "Shown", in.Language)
		}
	}
	if p.ownLang {
		return p.tr().T("content.workspace.lang_own", "Lang", shown)
	}
	return p.tr().T("content.workspace.lang_patient", "Lang", shown)
}

// templatesFor are the record's templates (the patient's language and
// program) with the variables filled in.
func (p *Page) templatesFor(v common.Vars, module string) []common.Template {
	if p.rec == nil || len(p.rec.Templates) == 0 {
		return nil
	}
	vals := programs.TemplateValues{FirstName: v.FirstName, Module: module, Exercise: v.Exercise, Therapist: v.Therapist,
		ScoreChange: p.scoreChangeIn(p.rec.Patient.Language)}
	out := make([]common.Template, len(p.rec.Templates))
	for i, t := range p.rec.Templates {
		out[i] = common.Template{Name: t.Name, Body: vals.Expand(t.Body)}
	}
	return out
}

// scoreChangeIn is the validated scales' change since the baseline, in
// lang (it reaches the patient): "GAD-7 from 15 to 10".
func (p *Page) scoreChangeIn(lang string) string {
	tr := i18n.NewExcept(lang, "clihelp") // as the workbench's own printer (tui.New)
	var parts []string
	for _, s := range p.measureSeries() {
		sc := common.ScaleOf(s.in)
		if len(s.points) < 2 || !sc.Validated {
			continue
		}
		parts = append(parts, tr.T("content.templates.score_move", "Scale", sc.Name, "From", s.points[0].Total, "To", s.points[len(s.points)-1].Total))
	}
	if len(parts) == 0 {
		return tr.T("content.templates.no_scores")
	}
	return strings.Join(parts, ", ")
}

// moduleOf is the module an editor's text is about: the submission's
// module for feedback, else the module the patient is on.
func (p *Page) moduleOf(kind, target string) string {
	if kind == store.DraftFeedback {
		if row, ok := p.subByID(target); ok {
			return row.moduleTitle()
		}
	}
	if p.rec == nil {
		return ""
	}
	e, _ := p.rec.Current()
	if e == nil {
		return ""
	}
	if prog := p.programOf[e.ID]; prog != nil && e.UnlockedModules > 0 && e.UnlockedModules <= len(prog.Modules) {
		return prog.Modules[e.UnlockedModules-1].Title
	}
	return ""
}
