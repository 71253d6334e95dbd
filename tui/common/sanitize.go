package common

import (
	"polku/programs"
	"polku/store"
	"polku/tui/sanitize"
)

// SanitizeQueue strips control sequences from the texts of a queue, in
// place (names and reasons can carry what patients or importers wrote).
func SanitizeQueue(q *store.Queue) {
	q.Handle = sanitize.Line(q.Handle)
	for i := range q.Items {
		it := &q.Items[i]
		it.DisplayName = sanitize.Line(it.DisplayName)
		it.Pseudonym = sanitize.Line(it.Pseudonym)
		it.ProgramID = sanitize.Line(it.ProgramID)
		it.ProgramTitle = sanitize.Line(it.ProgramTitle)
		it.ModuleTitle = sanitize.Line(it.ModuleTitle)
		it.Instrument = sanitize.Line(it.Instrument)
		it.StartDate = sanitize.Line(it.StartDate)
		for j := range it.Reasons {
			it.Reasons[j].Text = sanitize.Line(it.Reasons[j].Text)
			it.Reasons[j].Badge = sanitize.Line(it.Reasons[j].Badge)
		}
	}
}

// SanitizeTeam strips control sequences from the texts of a team view, in
// place: the team's name, the therapists' names and their queues.
func SanitizeTeam(v *store.TeamView) {
	v.Team = sanitize.Line(v.Team)
	for i := range v.Members {
		m := &v.Members[i]
		m.Therapist.Name = sanitize.Line(m.Therapist.Name)
		m.Therapist.Handle = sanitize.Line(m.Therapist.Handle)
		if m.Queue != nil {
			SanitizeQueue(m.Queue)
		}
	}
}

// SanitizeProgram returns a copy of a program definition with every text
// that reaches the screen stripped of control sequences. Definitions come
// from the store's cache, shared and never changed, so the original is
// left as it is. Ids stay as stored: records refer to them.
func SanitizeProgram(p *programs.Program) *programs.Program {
	if p == nil {
		return nil
	}
	c := *p
	c.Title = sanitize.Line(p.Title)
	c.Description = sanitize.Text(p.Description)
	c.Modules = make([]programs.Module, len(p.Modules))
	for i, m := range p.Modules {
		m.Title = sanitize.Line(m.Title)
		m.Body = sanitize.Text(m.Body)
		exs := make([]programs.Exercise, len(m.Exercises))
		for j, ex := range m.Exercises {
			ex.Title = sanitize.Line(ex.Title)
			ex.Prompt = sanitize.Text(ex.Prompt)
			fields := make([]programs.Field, len(ex.Fields))
			for k, f := range ex.Fields {
				f.Label = sanitize.Line(f.Label)
				f.Help = sanitize.Text(f.Help)
				fields[k] = f
			}
			ex.Fields = fields
			exs[j] = ex
		}
		m.Exercises = exs
		c.Modules[i] = m
	}
	if p.Translations != nil {
		c.Translations = make(map[string]*programs.Program, len(p.Translations))
		for lang, t := range p.Translations {
			c.Translations[lang] = SanitizeProgram(t)
		}
	}
	return &c
}

// SanitizeInstrument returns a copy of an instrument definition with every
// text that reaches the screen stripped of control sequences (the original,
// shared, is left as it is).
func SanitizeInstrument(in *programs.Instrument) *programs.Instrument {
	if in == nil {
		return nil
	}
	c := *in
	c.Title = sanitize.Line(in.Title)
	c.ShortTitle = sanitize.Line(in.ShortTitle)
	c.Description = sanitize.Text(in.Description)
	c.Prompt = sanitize.Text(in.Prompt)
	c.Licence = sanitize.Text(in.Licence)
	c.Options = sanitizeOptions(in.Options)
	c.Items = make([]programs.Item, len(in.Items))
	for i, it := range in.Items {
		it.Text = sanitize.Text(it.Text)
		it.Options = sanitizeOptions(it.Options)
		c.Items[i] = it
	}
	c.Bands = make([]programs.Band, len(in.Bands))
	for i, b := range in.Bands {
		b.Label = sanitize.Line(b.Label)
		c.Bands[i] = b
	}
	c.Critical = make([]programs.Critical, len(in.Critical))
	for i, cr := range in.Critical {
		cr.Label = sanitize.Line(cr.Label)
		c.Critical[i] = cr
	}
	if in.Translations != nil {
		c.Translations = make(map[string]*programs.Instrument, len(in.Translations))
		for lang, t := range in.Translations {
			c.Translations[lang] = SanitizeInstrument(t)
		}
	}
	return &c
}

func sanitizeOptions(opts []programs.Option) []programs.Option {
	if opts == nil {
		return nil
	}
	out := make([]programs.Option, len(opts))
	for i, o := range opts {
		o.Label = sanitize.Line(o.Label)
		out[i] = o
	}
	return out
}
