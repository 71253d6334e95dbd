package programs

import (
	"fmt"
	"regexp"
	"strings"

	"polku/internal/i18n"
)

// Intake: what a program says about who it is for (a suitability
// checklist and indications), and the service directory (kind: service)
// that a declined referral is pointed to.

// Criterion is one item of a program's suitability checklist. The intake
// worker answers yes or no; for an exclusion, yes rules the patient out.
type Criterion struct {
	ID        string `yaml:"id" json:"id"`
	Text      string `yaml:"text" json:"text"`
	Exclusion bool   `yaml:"exclusion,omitempty" json:"exclusion,omitempty"`
}

// DefaultEligibility is the source service's checklist: what a program
// that declares no eligibility: of its own is assessed against.
func DefaultEligibility() []Criterion {
	return []Criterion{
		{ID: "motivation", Text: "Motivated to learn new ways of acting"},
		{ID: "time", Text: "Has at least two hours a week for the program's length"},
		{ID: "device", Text: "Has an internet connection on a computer or mobile device"},
		{ID: "identification", Text: "Has strong electronic identification (bank credentials or mobile certificate)"},
		{ID: "acute-suicidality", Text: "Acute suicidality", Exclusion: true},
		{ID: "psychosis", Text: "Psychosis", Exclusion: true},
		{ID: "substance-use", Text: "Severe substance use", Exclusion: true},
		{ID: "urgent-care", Text: "Needs urgent care", Exclusion: true},
	}
}

// Checklist is the program's eligibility checklist, or the default one.
func (p *Program) Checklist() []Criterion {
	if len(p.Eligibility) > 0 {
		return p.Eligibility
	}
	return DefaultEligibility()
}

// Indications say whom a program is meant for; the program suggestion
// ranks programs by them. Every part is optional.
type Indications struct {
	ICD10     []string     `yaml:"icd10,omitempty" json:"icd10,omitempty"` // code prefixes: F41, F41.1
	Scores    []ScoreRange `yaml:"scores,omitempty" json:"scores,omitempty"`
	MinAge    int          `yaml:"min_age,omitempty" json:"min_age,omitempty"`
	MaxAge    int          `yaml:"max_age,omitempty" json:"max_age,omitempty"`
	Languages []string     `yaml:"languages,omitempty" json:"languages,omitempty"` // languages the program is offered in
}

// ScoreRange is a range of an instrument's total that points to a program.
type ScoreRange struct {
	Instrument string `yaml:"instrument" json:"instrument"`
	Min        int    `yaml:"min" json:"min"`
	Max        int    `yaml:"max" json:"max"`
}

// Service is an entry of the service directory: where a patient who is
// not suitable for internet therapy can be pointed.
type Service struct {
	Kind      string   `yaml:"kind" json:"-"`
	ID        string   `yaml:"id" json:"id"`
	Version   int      `yaml:"version" json:"version"`
	Name      string   `yaml:"name" json:"name"`
	Regions   []string `yaml:"regions" json:"regions"` // region ids, or "all"
	For       string   `yaml:"for" json:"for"`         // what it is for, in words
	Reasons   []string `yaml:"reasons,omitempty" json:"reasons,omitempty"`
	Languages []string `yaml:"languages" json:"languages"`
	Contact   string   `yaml:"contact" json:"contact"` // how to reach it, in words
}

// Serves says whether the service covers a region.
func (s *Service) Serves(region string) bool {
	for _, r := range s.Regions {
		if r == "all" || r == region {
			return true
		}
	}
	return false
}

// Region is a wellbeing services county, the City of Helsinki, or Åland.
type Region struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Regions are Finland's 21 wellbeing services counties, the City of
// Helsinki (which organises its own services), and Åland, whose referrals
// come through its own health service (ÅHS).
var Regions = []Region{
	{"ita-uusimaa", "Itä-Uusimaa"}, {"keski-uusimaa", "Keski-Uusimaa"}, {"lansi-uusimaa", "Länsi-Uusimaa"},
	{"vantaa-kerava", "Vantaa ja Kerava"}, {"varsinais-suomi", "Varsinais-Suomi"}, {"satakunta", "Satakunta"},
	{"kanta-hame", "Kanta-Häme"}, {"pirkanmaa", "Pirkanmaa"}, {"paijat-hame", "Päijät-Häme"},
	{"kymenlaakso", "Kymenlaakso"}, {"etela-karjala", "Etelä-Karjala"}, {"etela-savo", "Etelä-Savo"},
	{"pohjois-savo", "Pohjois-Savo"}, {"pohjois-karjala", "Pohjois-Karjala"}, {"keski-suomi", "Keski-Suomi"},
	{"etela-pohjanmaa", "Etelä-Pohjanmaa"}, {"pohjanmaa", "Pohjanmaa"}, {"keski-pohjanmaa", "Keski-Pohjanmaa"},
	{"pohjois-pohjanmaa", "Pohjois-Pohjanmaa"}, {"kainuu", "Kainuu"}, {"lappi", "Lappi"},
	{"helsinki", "Helsinki"}, {"aland", "Åland (ÅHS)"},
}

// FindRegion resolves a region by id or by name (case-insensitive).
func FindRegion(s string) (Region, bool) {
	for _, r := range Regions {
		if strings.EqualFold(r.ID, s) || strings.EqualFold(r.Name, s) {
			return r, true
		}
	}
	return Region{}, false
}

// RegionIDs lists the region ids, for error messages.
func RegionIDs() string {
	ids := make([]string, len(Regions))
	for i, r := range Regions {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}

var icdPrefixRE = regexp.MustCompile(`^[A-Z]([0-9]{1,2}(\.[0-9]{1,2})?)?$`)

// checkIntake checks a program's eligibility and indications.
func (c checker) intake(p *Program, instrumentExists func(string) bool) {
	seen := map[string]int{}
	for i, cr := range p.Eligibility {
		cp := fmt.Sprintf("eligibility[%d]", i)
		c.slug(cp+".id", cr.ID)
		if prev, dup := seen[cr.ID]; dup && cr.ID != "" {
			c.at(cp+".id", i18n.Msg("programs.err.dup_criterion", "ID", q(cr.ID), "Other", fmt.Sprintf("eligibility[%d]", prev)))
		} else {
			seen[cr.ID] = i
		}
		c.required(cp+".text", strings.TrimSpace(cr.Text) == "")
	}
	in := p.Indications
	if in == nil {
		return
	}
	for i, code := range in.ICD10 {
		if !icdPrefixRE.MatchString(code) {
			c.at(fmt.Sprintf("indications.icd10[%d]", i), i18n.Msg("programs.err.bad_icd10", "Value", q(code)))
		}
	}
	for i, s := range in.Scores {
		sp := fmt.Sprintf("indications.scores[%d]", i)
		if c.required(sp+".instrument", s.Instrument == "") && !instrumentExists(s.Instrument) {
			c.at(sp+".instrument", i18n.Msg("programs.err.unknown_instrument", "ID", q(s.Instrument)))
		}
		if s.Max < s.Min {
			c.at(sp+".max", i18n.Msg("programs.err.max_below_min", "Max", s.Max, "Min", s.Min))
		}
	}
	if in.MaxAge != 0 && in.MaxAge < in.MinAge {
		c.at("indications.max_age", i18n.Msg("programs.err.max_age_below", "Max", in.MaxAge, "Min", in.MinAge))
	}
	for i, l := range in.Languages {
		if !validLanguage(l) {
			c.at(fmt.Sprintf("indications.languages[%d]", i), i18n.Msg("programs.err.bad_language_entry", "Value", q(l), "Allowed", list(Languages)))
		}
	}
}

// service checks a service directory entry.
func (c checker) service(s *Service) {
	c.slug("id", s.ID)
	if c.required("version", s.Version == 0) && s.Version < 1 {
		c.at("version", i18n.Msg("programs.err.version_min", "Value", s.Version))
	}
	c.required("name", strings.TrimSpace(s.Name) == "")
	c.required("for", strings.TrimSpace(s.For) == "")
	c.required("contact", strings.TrimSpace(s.Contact) == "")
	if c.required("regions", len(s.Regions) == 0) {
		for i, r := range s.Regions {
			if _, ok := FindRegion(r); !ok && r != "all" {
				c.at(fmt.Sprintf("regions[%d]", i), i18n.Msg("programs.err.unknown_region", "Value", q(r), "Regions", RegionIDs()))
			}
		}
	}
	if c.required("languages", len(s.Languages) == 0) {
		for i, l := range s.Languages {
			if !validLanguage(l) {
				c.at(fmt.Sprintf("languages[%d]", i), i18n.Msg("programs.err.bad_language_entry", "Value", q(l), "Allowed", list(Languages)))
			}
		}
	}
}

// Services returns the bundle's services in file order.
func (b *Bundle) Services() []*Service {
	var out []*Service
	for _, d := range b.Docs {
		if d.Service != nil {
			out = append(out, d.Service)
		}
	}
	return out
}
