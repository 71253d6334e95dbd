// Package programs defines the program and instrument formats polku reads
// (YAML, see docs/programs.md), validates them with file:line:col errors,
// scores instruments and sleep diaries, and carries the built-in content.
package programs

// Exercise kinds.
const (
	KindReflection    = "reflection"
	KindWorksheet     = "worksheet"
	KindDiary         = "diary"
	KindQuestionnaire = "questionnaire"
)

// Field types for worksheet and diary fields.
const (
	FieldText    = "text"    // free text
	FieldNumber  = "number"  // any number
	FieldMinutes = "minutes" // a duration in whole minutes
	FieldCount   = "count"   // a whole number >= 0
	FieldTime    = "time"    // a clock time HH:MM
	FieldRating  = "rating"  // a whole number between min and max
)

// Program is one treatment program: weekly modules with exercises and a
// schedule of symptom measures.
type Program struct {
	Kind     string `yaml:"kind" json:"-"`
	ID       string `yaml:"id" json:"id"`
	Version  int    `yaml:"version" json:"version"`
	Title    string `yaml:"title" json:"title"`
	Language string `yaml:"language" json:"language"`
	// TranslationOf, in a translation, is the language of the program it
	// translates (its default language); empty in the original.
	TranslationOf string       `yaml:"translation_of,omitempty" json:"translation_of,omitempty"`
	Weeks         int          `yaml:"weeks" json:"weeks"`
	MinAge        int          `yaml:"min_age" json:"min_age"`
	MaxAge        int          `yaml:"max_age,omitempty" json:"max_age,omitempty"`
	Synthetic     bool         `yaml:"synthetic,omitempty" json:"synthetic,omitempty"`
	Description   string       `yaml:"description" json:"description"`
	Crisis        *Crisis      `yaml:"crisis" json:"crisis,omitempty"`
	GoAhead       []GoAhead    `yaml:"go_ahead,omitempty" json:"go_ahead,omitempty"`
	AgeRules      []AgeRule    `yaml:"age_rules,omitempty" json:"age_rules,omitempty"`
	Eligibility   []Criterion  `yaml:"eligibility,omitempty" json:"eligibility,omitempty"`
	Indications   *Indications `yaml:"indications,omitempty" json:"indications,omitempty"`
	Modules       []Module     `yaml:"modules" json:"modules"`
	Schedule      []Scheduled  `yaml:"schedule,omitempty" json:"schedule,omitempty"`
	// FollowUpWeeks is how long after a completed treatment the patient
	// answers the schedule's instruments once more (0: no follow-up).
	FollowUpWeeks int `yaml:"follow_up_weeks,omitempty" json:"follow_up_weeks,omitempty"`
	// Translations are the same program in other languages, by language:
	// each one a whole document with the same module, exercise and field
	// ids (translate.go). They are stored with the original, so that a
	// stored version carries every language it was imported with.
	Translations map[string]*Program `yaml:"-" json:"translations,omitempty"`
}

// Crisis is a program's "if you need help now" block. A program declares it
// once; it is part of every module the patient reads (the patient API sends
// it with each module). Each contact carries the date it was last checked
// against its service's own page, because numbers and hours change.
type Crisis struct {
	Title    string          `yaml:"title" json:"title"`
	Intro    string          `yaml:"intro" json:"intro"`
	Contacts []CrisisContact `yaml:"contacts" json:"contacts"`
	Outro    string          `yaml:"outro,omitempty" json:"outro,omitempty"`
}

// CrisisContact is one place to get help: a number to call or a service to
// look up, when to use it, and its opening hours.
type CrisisContact struct {
	Name    string `yaml:"name" json:"name"`
	Number  string `yaml:"number,omitempty" json:"number,omitempty"`
	Service string `yaml:"service,omitempty" json:"service,omitempty"` // a service found by name (a chat), when there is no number
	When    string `yaml:"when" json:"when"`
	Hours   string `yaml:"hours" json:"hours"`
	Note    string `yaml:"note,omitempty" json:"note,omitempty"` // coverage or language limits
	Checked string `yaml:"checked" json:"checked"`               // YYYY-MM-DD
	Source  string `yaml:"source" json:"source"`                 // where it was checked
}

// GoAhead says that a part of the program waits for the therapist: the
// patient answers a screening exercise, and the module that starts the
// treatment step is not to be acted on until the therapist has read the
// screening and confirmed. The workbench shows the screening answers for
// acknowledgement, like a risk flag.
type GoAhead struct {
	ID        string `yaml:"id" json:"id"`               // slug, e.g. sleep-restriction
	What      string `yaml:"what" json:"what"`           // what waits, in words: "sleep restriction"
	Screening string `yaml:"screening" json:"screening"` // the exercise the therapist reads first
	Module    string `yaml:"module" json:"module"`       // the module that waits for the go-ahead
}

// AgeRule changes a program rule for an age group. Today it sets the floor
// of time in bed for sleep restriction (the adult floor is MinTimeInBed).
type AgeRule struct {
	MinAge       int    `yaml:"min_age" json:"min_age"`
	MaxAge       int    `yaml:"max_age" json:"max_age"`
	MinTimeInBed int    `yaml:"min_time_in_bed" json:"min_time_in_bed"` // minutes
	Advice       string `yaml:"advice" json:"advice"`                   // for the therapist
}

// Module is one week's material.
type Module struct {
	ID        string     `yaml:"id" json:"id"`
	Title     string     `yaml:"title" json:"title"`
	Week      int        `yaml:"week,omitempty" json:"week,omitempty"`
	Body      string     `yaml:"body" json:"body"`
	Exercises []Exercise `yaml:"exercises" json:"exercises"`
}

// Exercise is something the patient does and submits.
type Exercise struct {
	ID         string  `yaml:"id" json:"id"`
	Kind       string  `yaml:"kind" json:"kind"`
	Title      string  `yaml:"title" json:"title"`
	Prompt     string  `yaml:"prompt" json:"prompt"`
	Fields     []Field `yaml:"fields,omitempty" json:"fields,omitempty"`
	Instrument string  `yaml:"instrument,omitempty" json:"instrument,omitempty"`
}

// Field is one named field of a worksheet or of a diary day.
type Field struct {
	ID    string `yaml:"id" json:"id"`
	Label string `yaml:"label" json:"label"`
	Type  string `yaml:"type" json:"type"`
	Min   *int   `yaml:"min,omitempty" json:"min,omitempty"`
	Max   *int   `yaml:"max,omitempty" json:"max,omitempty"`
	Help  string `yaml:"help,omitempty" json:"help,omitempty"`
}

// Scheduled says in which weeks an instrument is answered. Week 0 is the
// baseline, answered before the first module.
type Scheduled struct {
	Instrument string `yaml:"instrument" json:"instrument"`
	Weeks      []int  `yaml:"weeks" json:"weeks"`
}

// Instrument is a symptom scale: items with scored options, severity bands,
// critical items and change thresholds.
type Instrument struct {
	Kind           string     `yaml:"kind" json:"-"`
	ID             string     `yaml:"id" json:"id"`
	Version        int        `yaml:"version" json:"version"`
	Title          string     `yaml:"title" json:"title"`
	ShortTitle     string     `yaml:"short_title,omitempty" json:"short_title,omitempty"`
	PatientTitle   string     `yaml:"patient_title,omitempty" json:"patient_title,omitempty"` // what patients see; required when not validated
	Language       string     `yaml:"language" json:"language"`
	TranslationOf  string     `yaml:"translation_of,omitempty" json:"translation_of,omitempty"` // see Program.TranslationOf
	Validated      *bool      `yaml:"validated" json:"validated"`
	Licence        string     `yaml:"licence" json:"licence"`
	Description    string     `yaml:"description,omitempty" json:"description,omitempty"`
	Prompt         string     `yaml:"prompt,omitempty" json:"prompt,omitempty"`
	LOINC          *LOINC     `yaml:"loinc,omitempty" json:"loinc,omitempty"`
	Options        []Option   `yaml:"options,omitempty" json:"options,omitempty"`
	Items          []Item     `yaml:"items" json:"items"`
	Scoring        string     `yaml:"scoring" json:"scoring"`
	Bands          []Band     `yaml:"bands" json:"bands"`
	Critical       []Critical `yaml:"critical,omitempty" json:"critical,omitempty"`
	Caseness       *int       `yaml:"caseness,omitempty" json:"caseness,omitempty"`
	ReliableChange *int       `yaml:"reliable_change,omitempty" json:"reliable_change,omitempty"`
	SD             *float64   `yaml:"sd,omitempty" json:"sd,omitempty"`
	Reliability    *float64   `yaml:"reliability,omitempty" json:"reliability,omitempty"`
	// Translations: see Program.Translations (same item ids, options,
	// scores and bands; only the words differ).
	Translations map[string]*Instrument `yaml:"-" json:"translations,omitempty"`
}

// LOINC codes of an instrument, where known.
type LOINC struct {
	Panel string `yaml:"panel,omitempty" json:"panel,omitempty"`
	Total string `yaml:"total,omitempty" json:"total,omitempty"`
}

// Option is one answer choice with its score.
type Option struct {
	Score int    `yaml:"score" json:"score"`
	Label string `yaml:"label" json:"label"`
}

// Item is one question. Items without options use the instrument's options.
type Item struct {
	ID      string   `yaml:"id" json:"id"`
	Text    string   `yaml:"text" json:"text"`
	Options []Option `yaml:"options,omitempty" json:"options,omitempty"`
}

// Band is a severity band over the total score, inclusive at both ends.
type Band struct {
	Min   int    `yaml:"min" json:"min"`
	Max   int    `yaml:"max" json:"max"`
	Label string `yaml:"label" json:"label"`
}

// Critical marks an item whose answer needs a clinician the same day,
// whatever the total: an answer >= Amber is amber, >= Red is red.
type Critical struct {
	Item  string `yaml:"item" json:"item"`
	Amber int    `yaml:"amber" json:"amber"`
	Red   int    `yaml:"red" json:"red"`
	Label string `yaml:"label" json:"label"`
}
