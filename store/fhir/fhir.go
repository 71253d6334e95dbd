// Package fhir writes the store's records as HL7 FHIR R4 resources: a
// Bundle (type collection) for one patient, or bulk data (one NDJSON file
// per resource type) for the whole store. See docs/interchange.md.
//
// Patient (pseudonym and display name; synthetic patients tagged HTEST in
// meta.tag), EpisodeOfCare per enrollment, Questionnaire per instrument
// version, QuestionnaireResponse per answered measure, Observation (category
// survey) per total score with the band as interpretation and derivedFrom
// the QuestionnaireResponse, Flag per critical answer not yet acknowledged,
// and, only when asked (IncludeText), Communication per feedback and
// message.
package fhir

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"polku/internal/i18n"
	"polku/programs"
	"polku/store"
)

// DefaultBase is the base of polku's own canonical URLs and code systems,
// used when a site has not set its own.
const DefaultBase = "https://polku.example.org/fhir"

// Code systems of other publishers.
const (
	LOINC               = "http://loinc.org"
	bcp47               = "urn:ietf:bcp:47"
	observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
	flagCategory        = "http://terminology.hl7.org/CodeSystem/flag-category"
	actReason           = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
)

// Options of an export.
type Options struct {
	Base        string // canonical base of polku's own URLs; DefaultBase when empty
	IncludeText bool   // feedback and messages as Communication (clinical content)
}

// Resource types written, in the order of the bulk files.
var ResourceTypes = []string{"Patient", "EpisodeOfCare", "Questionnaire", "QuestionnaireResponse", "Observation", "Flag", "Communication"}

// Resource is one FHIR resource.
type Resource interface {
	FHIRType() string
	ResourceID() string
}

// Types shared by resources.
type (
	Coding struct {
		System  string `json:"system,omitempty"`
		Version string `json:"version,omitempty"`
		Code    string `json:"code,omitempty"`
		Display string `json:"display,omitempty"`
	}
	CodeableConcept struct {
		Coding []Coding `json:"coding,omitempty"`
		Text   string   `json:"text,omitempty"`
	}
	Reference struct {
		Reference string `json:"reference"`
		Display   string `json:"display,omitempty"`
	}
	Identifier struct {
		System string `json:"system"`
		Value  string `json:"value"`
	}
	Period struct {
		Start string `json:"start,omitempty"`
		End   string `json:"end,omitempty"`
	}
	Meta struct {
		Tag []Coding `json:"tag,omitempty"`
	}
)

// Patient resource.
type Patient struct {
	ResourceType  string                 `json:"resourceType"`
	ID            string                 `json:"id"`
	Meta          *Meta                  `json:"meta,omitempty"`
	Identifier    []Identifier           `json:"identifier"`
	Name          []HumanName            `json:"name,omitempty"`
	BirthDate     string                 `json:"birthDate,omitempty"`
	Communication []PatientCommunication `json:"communication,omitempty"`
}

// HumanName as text only: polku keeps a display name, not its parts.
type HumanName struct {
	Use  string `json:"use,omitempty"`
	Text string `json:"text"`
}

// PatientCommunication is Patient.communication (the patient's language).
type PatientCommunication struct {
	Language  CodeableConcept `json:"language"`
	Preferred bool            `json:"preferred,omitempty"`
}

// EpisodeOfCare resource: one enrollment.
type EpisodeOfCare struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Status       string            `json:"status"`
	Type         []CodeableConcept `json:"type,omitempty"`
	Patient      Reference         `json:"patient"`
	Period       *Period           `json:"period,omitempty"`
}

// Questionnaire resource: one instrument version.
type Questionnaire struct {
	ResourceType string              `json:"resourceType"`
	ID           string              `json:"id"`
	URL          string              `json:"url"`
	Version      string              `json:"version"`
	Name         string              `json:"name,omitempty"`
	Title        string              `json:"title,omitempty"`
	Status       string              `json:"status"`
	Experimental bool                `json:"experimental,omitempty"`
	SubjectType  []string            `json:"subjectType,omitempty"`
	Description  string              `json:"description,omitempty"`
	Copyright    string              `json:"copyright,omitempty"`
	Code         []Coding            `json:"code,omitempty"`
	Item         []QuestionnaireItem `json:"item,omitempty"`
}

// QuestionnaireItem is one question with its answer options.
type QuestionnaireItem struct {
	LinkID       string         `json:"linkId"`
	Code         []Coding       `json:"code,omitempty"`
	Text         string         `json:"text,omitempty"`
	Type         string         `json:"type"`
	Required     bool           `json:"required,omitempty"`
	AnswerOption []AnswerOption `json:"answerOption,omitempty"`
}

// AnswerOption is one answer choice.
type AnswerOption struct {
	ValueCoding Coding `json:"valueCoding"`
}

// QuestionnaireResponse resource: one answered measure.
type QuestionnaireResponse struct {
	ResourceType  string      `json:"resourceType"`
	ID            string      `json:"id"`
	Questionnaire string      `json:"questionnaire"`
	Status        string      `json:"status"`
	Subject       Reference   `json:"subject"`
	Authored      string      `json:"authored"`
	Item          []AnswerSet `json:"item,omitempty"`
}

// AnswerSet is one item's answer.
type AnswerSet struct {
	LinkID string   `json:"linkId"`
	Text   string   `json:"text,omitempty"`
	Answer []Answer `json:"answer,omitempty"`
}

// Answer is one answer value.
type Answer struct {
	ValueCoding *Coding `json:"valueCoding,omitempty"`
}

// Observation resource: one total score.
type Observation struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category"`
	Code              CodeableConcept   `json:"code"`
	Subject           Reference         `json:"subject"`
	EffectiveDateTime string            `json:"effectiveDateTime"`
	ValueInteger      *int              `json:"valueInteger,omitempty"`
	Interpretation    []CodeableConcept `json:"interpretation,omitempty"`
	DerivedFrom       []Reference       `json:"derivedFrom,omitempty"`
}

// Flag resource: a critical answer not yet acknowledged.
type Flag struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Status       string            `json:"status"`
	Category     []CodeableConcept `json:"category,omitempty"`
	Code         CodeableConcept   `json:"code"`
	Subject      Reference         `json:"subject"`
	Period       *Period           `json:"period,omitempty"`
}

// Communication resource: feedback or a message (clinical content).
type Communication struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Status       string            `json:"status"`
	Category     []CodeableConcept `json:"category,omitempty"`
	Subject      Reference         `json:"subject"`
	Sent         string            `json:"sent"`
	Recipient    []Reference       `json:"recipient,omitempty"`
	Sender       *Reference        `json:"sender,omitempty"`
	Payload      []Payload         `json:"payload"`
}

// Payload is one part of a Communication.
type Payload struct {
	ContentString string `json:"contentString"`
}

func (r *Patient) FHIRType() string               { return "Patient" }
func (r *EpisodeOfCare) FHIRType() string         { return "EpisodeOfCare" }
func (r *Questionnaire) FHIRType() string         { return "Questionnaire" }
func (r *QuestionnaireResponse) FHIRType() string { return "QuestionnaireResponse" }
func (r *Observation) FHIRType() string           { return "Observation" }
func (r *Flag) FHIRType() string                  { return "Flag" }
func (r *Communication) FHIRType() string         { return "Communication" }

func (r *Patient) ResourceID() string               { return r.ID }
func (r *EpisodeOfCare) ResourceID() string         { return r.ID }
func (r *Questionnaire) ResourceID() string         { return r.ID }
func (r *QuestionnaireResponse) ResourceID() string { return r.ID }
func (r *Observation) ResourceID() string           { return r.ID }
func (r *Flag) ResourceID() string                  { return r.ID }
func (r *Communication) ResourceID() string         { return r.ID }

// Known LOINC codes of instruments polku ships (source: the HL7 US Core
// and PHR format IG examples): the panel, the total and each item, by the
// instrument's item ids; answers 0-3 as the LOINC answer list LL358-3.
type loincCodes struct {
	panel, total string
	items        []string // by item position
	answers      []Coding // by score
}

var phqAnswers = []Coding{
	{System: LOINC, Code: "LA6568-5", Display: "Not at all"},
	{System: LOINC, Code: "LA6569-3", Display: "Several days"},
	{System: LOINC, Code: "LA6570-1", Display: "More than half the days"},
	{System: LOINC, Code: "LA6571-9", Display: "Nearly every day"},
}

var knownLOINC = map[string]loincCodes{
	"phq9": {panel: "44249-1", total: "44261-6",
		items:   []string{"44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"},
		answers: phqAnswers},
	"gad7": {panel: "69737-5", total: "70274-6",
		items:   []string{"69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"},
		answers: phqAnswers},
}

// Converter turns store records, in export order, into FHIR resources.
type Converter struct {
	base        string
	includeText bool
	emit        func(Resource) error
	instruments map[string]*programs.Instrument // by id@version
	programs    map[string]*programs.Program    // by program version id
	acked       map[string]bool                 // risk acks by source id
	flags       []*Flag                         // candidate flags by measure, in order
	flagSource  map[*Flag]string
}

// NewConverter makes a converter that hands each resource to emit.
func NewConverter(o Options, emit func(Resource) error) *Converter {
	base := strings.TrimRight(o.Base, "/")
	if base == "" {
		base = DefaultBase
	}
	return &Converter{base: base, includeText: o.IncludeText, emit: emit,
		instruments: map[string]*programs.Instrument{}, programs: map[string]*programs.Program{},
		acked: map[string]bool{}, flagSource: map[*Flag]string{}}
}

// Types are the store's record types a FHIR export reads.
func Types(includeText bool) map[string]bool {
	t := map[string]bool{"instrument": true, "program": true, "patient": true, "enrollment": true, "measure_response": true, "risk_ack": true}
	if includeText {
		t["feedback"], t["message"] = true, true
	}
	return t
}

// Add converts one record.
func (c *Converter) Add(typ string, rec any) error {
	switch r := rec.(type) {
	case *store.InstrumentVersion:
		in := &programs.Instrument{}
		if err := json.Unmarshal(r.Definition, in); err != nil {
			return fmt.Errorf("instrument %s@%d: %w", r.InstrumentID, r.Version, err)
		}
		c.instruments[key(r.InstrumentID, r.Version)] = in
		return c.emit(c.questionnaire(in, r.Version))
	case *store.ProgramVersion:
		p := &programs.Program{}
		if err := json.Unmarshal(r.Definition, p); err != nil {
			return fmt.Errorf("program %s@%d: %w", r.ProgramID, r.Version, err)
		}
		c.programs[r.ID] = p
	case *store.Patient:
		return c.emit(c.patient(r))
	case *store.Enrollment:
		return c.emit(c.episode(r))
	case *store.MeasureResponse:
		in := c.instruments[key(r.InstrumentID, r.InstrumentVersion)]
		if in == nil {
			return fmt.Errorf("measure response %s: instrument %s@%d not in the export", r.ID, r.InstrumentID, r.InstrumentVersion)
		}
		qr := c.response(r, in)
		if err := c.emit(qr); err != nil {
			return err
		}
		if err := c.emit(c.observation(r, in, qr)); err != nil {
			return err
		}
		for _, hit := range in.CriticalHits(r.Answers) {
			f := &Flag{ResourceType: "Flag", ID: fhirID("flag-" + r.ID + "-" + hit.Item), Status: "active",
				Category: []CodeableConcept{{Coding: []Coding{{System: flagCategory, Code: "clinical", Display: "Clinical"}}}},
				Code: CodeableConcept{Coding: c.itemCoding(r.InstrumentID, in, hit.Item),
					Text: fmt.Sprintf("%s item %s answered %d (%s): %s; not yet acknowledged", in.Name(), hit.Item, hit.Answer, hit.Level, hit.Label)},
				Subject: patientRef(r.PatientID), Period: &Period{Start: dateTime(r.AnsweredAt)}}
			c.flags = append(c.flags, f)
			c.flagSource[f] = r.ID
		}
	case *store.RiskAck:
		c.acked[r.SourceID] = true
	case *store.Feedback:
		if !c.includeText {
			return nil
		}
		return c.emit(&Communication{ResourceType: "Communication", ID: fhirID(r.ID), Status: "completed",
			Category: []CodeableConcept{{Text: "feedback on a submitted exercise"}},
			Subject:  patientRef(r.PatientID), Sent: dateTime(r.SentAt), Recipient: []Reference{patientRef(r.PatientID)},
			Payload: []Payload{{ContentString: r.Body}}})
	case *store.Message:
		if !c.includeText {
			return nil
		}
		m := &Communication{ResourceType: "Communication", ID: fhirID(r.ID), Status: "completed",
			Category: []CodeableConcept{{Text: "message"}},
			Subject:  patientRef(r.PatientID), Sent: dateTime(r.SentAt), Payload: []Payload{{ContentString: r.Body}}}
		if r.Direction == store.DirectionIn {
			ref := patientRef(r.PatientID)
			m.Sender = &ref
		} else {
			m.Recipient = []Reference{patientRef(r.PatientID)}
		}
		return c.emit(m)
	}
	return nil
}

// Finish writes what needs the whole record first: the flags of critical
// answers that no acknowledgement names.
func (c *Converter) Finish() error {
	for _, f := range c.flags {
		if c.acked[c.flagSource[f]] {
			continue
		}
		if err := c.emit(f); err != nil {
			return err
		}
	}
	return nil
}

func key(id string, v int) string { return id + "@" + strconv.Itoa(v) }

// QuestionnaireURL is the canonical URL of an instrument.
func (c *Converter) QuestionnaireURL(id string) string {
	return c.base + "/Questionnaire/" + fhirID(id)
}

func (c *Converter) questionnaire(in *programs.Instrument, version int) *Questionnaire {
	q := &Questionnaire{ResourceType: "Questionnaire", ID: fhirID(in.ID + "-" + strconv.Itoa(version)),
		URL: c.QuestionnaireURL(in.ID), Version: strconv.Itoa(version), Name: computableName(in.ID), Title: in.Title,
		Status: "active", SubjectType: []string{"Patient"}, Copyright: in.Licence}
	validated := in.Validated != nil && *in.Validated
	if !validated {
		q.Experimental = true
		q.Description = "Not a validated instrument: written for polku; its bands and cut-offs are illustrative only."
	}
	lc, known := knownLOINC[in.ID]
	panel := lc.panel
	if in.LOINC != nil && in.LOINC.Panel != "" {
		panel = in.LOINC.Panel
	}
	if panel != "" {
		q.Code = []Coding{{System: LOINC, Code: panel, Display: in.Title}}
	}
	for _, it := range in.Items {
		qi := QuestionnaireItem{LinkID: it.ID, Text: it.Text, Type: "choice", Required: true, Code: c.itemCoding(in.ID, in, it.ID)}
		opts := it.Options
		if len(opts) == 0 {
			opts = in.Options
		}
		for _, o := range opts {
			qi.AnswerOption = append(qi.AnswerOption, AnswerOption{ValueCoding: c.answerCoding(in, o.Score, o.Label, known)})
		}
		q.Item = append(q.Item, qi)
	}
	return q
}

// itemCoding is an item's LOINC code where known, else polku's own.
func (c *Converter) itemCoding(instrument string, in *programs.Instrument, item string) []Coding {
	if lc, ok := knownLOINC[instrument]; ok {
		for i, it := range in.Items {
			if it.ID == item && i < len(lc.items) {
				return []Coding{{System: LOINC, Code: lc.items[i]}}
			}
		}
	}
	return []Coding{{System: c.base + "/CodeSystem/" + fhirID(instrument) + "-item", Code: item}}
}

func (c *Converter) answerCoding(in *programs.Instrument, score int, label string, known bool) Coding {
	if lc, ok := knownLOINC[in.ID]; ok && known && score >= 0 && score < len(lc.answers) {
		return lc.answers[score]
	}
	return Coding{System: c.base + "/CodeSystem/" + fhirID(in.ID) + "-answer", Code: strconv.Itoa(score), Display: label}
}

func (c *Converter) patient(p *store.Patient) *Patient {
	r := &Patient{ResourceType: "Patient", ID: fhirID(p.ID),
		Identifier: []Identifier{{System: c.base + "/sid/pseudonym", Value: p.Pseudonym}},
		Name:       []HumanName{{Use: "usual", Text: p.DisplayName}},
		BirthDate:  p.BirthDate}
	if p.Language != "" {
		r.Communication = []PatientCommunication{{Language: CodeableConcept{Coding: []Coding{{System: bcp47, Code: p.Language}}}, Preferred: true}}
	}
	if p.Synthetic {
		r.Meta = &Meta{Tag: []Coding{{System: actReason, Code: "HTEST", Display: "test health data"}}}
	}
	return r
}

func (c *Converter) episode(e *store.Enrollment) *EpisodeOfCare {
	r := &EpisodeOfCare{ResourceType: "EpisodeOfCare", ID: fhirID(e.ID), Patient: patientRef(e.PatientID),
		Period: &Period{Start: e.StartDate}}
	switch e.Status {
	case store.EnrollmentScheduled:
		r.Status = "planned"
	case store.EnrollmentActive:
		r.Status = "active"
	default: // completed, discontinued: over
		r.Status = "finished"
		r.Period.End = dateTime(e.UpdatedAt)
	}
	title := e.ProgramID
	if p := c.programs[e.ProgramVersionID]; p != nil {
		title = p.Title
	}
	r.Type = []CodeableConcept{{Coding: []Coding{{System: c.base + "/CodeSystem/program", Code: e.ProgramID, Display: title}}, Text: title}}
	return r
}

func (c *Converter) response(m *store.MeasureResponse, in *programs.Instrument) *QuestionnaireResponse {
	r := &QuestionnaireResponse{ResourceType: "QuestionnaireResponse", ID: fhirID(m.ID),
		Questionnaire: c.QuestionnaireURL(m.InstrumentID) + "|" + strconv.Itoa(m.InstrumentVersion),
		Status:        "completed", Subject: patientRef(m.PatientID), Authored: dateTime(m.AnsweredAt)}
	_, known := knownLOINC[in.ID]
	for i, it := range in.Items {
		if i >= len(m.Answers) {
			break
		}
		label := ""
		opts := it.Options
		if len(opts) == 0 {
			opts = in.Options
		}
		for _, o := range opts {
			if o.Score == m.Answers[i] {
				label = o.Label
			}
		}
		cd := c.answerCoding(in, m.Answers[i], label, known)
		r.Item = append(r.Item, AnswerSet{LinkID: it.ID, Text: it.Text, Answer: []Answer{{ValueCoding: &cd}}})
	}
	return r
}

func (c *Converter) observation(m *store.MeasureResponse, in *programs.Instrument, qr *QuestionnaireResponse) *Observation {
	total := m.Total
	o := &Observation{ResourceType: "Observation", ID: fhirID("total-" + m.ID), Status: "final",
		Category:          []CodeableConcept{{Coding: []Coding{{System: observationCategory, Code: "survey", Display: "Survey"}}}},
		Subject:           patientRef(m.PatientID),
		EffectiveDateTime: dateTime(m.AnsweredAt), ValueInteger: &total,
		DerivedFrom: []Reference{{Reference: "QuestionnaireResponse/" + qr.ID}}}
	code := knownLOINC[in.ID].total
	if in.LOINC != nil && in.LOINC.Total != "" {
		code = in.LOINC.Total
	}
	if code != "" {
		o.Code = CodeableConcept{Coding: []Coding{{System: LOINC, Code: code, Display: in.Name() + " total score"}}, Text: in.Name() + " total score"}
	} else {
		o.Code = CodeableConcept{Coding: []Coding{{System: c.base + "/CodeSystem/instrument-total", Code: in.ID, Display: in.Name() + " total score"}},
			Text: in.Name() + " total score"}
	}
	if band := in.Band(m.Total); band != "" {
		text := band
		if in.Validated == nil || !*in.Validated {
			text += " (not a validated instrument)"
		}
		o.Interpretation = []CodeableConcept{{Text: text}}
	}
	return o
}

func patientRef(id string) Reference { return Reference{Reference: "Patient/" + fhirID(id)} }

// dateTime is a FHIR dateTime/instant in UTC with milliseconds.
func dateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// fhirID makes s a FHIR id: [A-Za-z0-9-.]{1,64}.
func fhirID(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '.') {
			b[i] = '-'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	if len(b) == 0 {
		return "x"
	}
	return string(b)
}

// computableName is a Questionnaire.name: starts with a capital letter,
// letters, digits and underscores.
func computableName(id string) string {
	var b strings.Builder
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z' && i == 0:
			b.WriteRune(r - 'a' + 'A')
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9' && i > 0:
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := b.String()
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z') {
		s = "Q" + s
	}
	return s
}

// Bundle is a FHIR Bundle of type collection.
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitempty"`
	Type         string        `json:"type"`
	Timestamp    string        `json:"timestamp,omitempty"`
	Entry        []BundleEntry `json:"entry"`
}

// BundleEntry is one resource with its full URL.
type BundleEntry struct {
	FullURL  string   `json:"fullUrl"`
	Resource Resource `json:"resource"`
}

// PatientBundle exports one patient's record as a Bundle of type
// collection: every resource above, with each reference resolving inside
// the bundle. Only who may read the record may export it; the export is
// written to the audit log as a read.
func PatientBundle(ctx context.Context, db *store.DB, actor store.Actor, patientID string, o Options) (*Bundle, error) {
	if err := db.CanRead(ctx, actor, patientID); err != nil {
		return nil, err
	}
	b := &Bundle{ResourceType: "Bundle", ID: fhirID("polku-" + patientID), Type: "collection", Timestamp: dateTime(db.Now()), Entry: []BundleEntry{}}
	c := NewConverter(o, func(r Resource) error {
		b.Entry = append(b.Entry, BundleEntry{Resource: r})
		return nil
	})
	if _, err := db.Export(ctx, actor, nil, store.ExportFilter{PatientID: patientID, Types: Types(o.IncludeText), Each: c.Add}); err != nil {
		return nil, err
	}
	if err := c.Finish(); err != nil {
		return nil, err
	}
	order := map[string]int{}
	for i, t := range ResourceTypes {
		order[t] = i
	}
	sort.SliceStable(b.Entry, func(i, j int) bool {
		return order[b.Entry[i].Resource.FHIRType()] < order[b.Entry[j].Resource.FHIRType()]
	})
	for i := range b.Entry {
		r := b.Entry[i].Resource
		b.Entry[i].FullURL = c.base + "/" + r.FHIRType() + "/" + r.ResourceID()
	}
	return b, nil
}

// WriteNDJSON exports the whole store as FHIR bulk data into dir: one
// file per resource type (Patient.ndjson, ...), one resource a line. The
// files are written under temporary names and renamed when all are
// complete. It returns how many resources of each type it wrote.
//
// The whole store is for whoever reads every record: the store's owner at
// the CLI (or the system), not a therapist, supervisor or admin account.
func WriteNDJSON(ctx context.Context, db *store.DB, actor store.Actor, dir string, o Options) (map[string]int, error) {
	if actor.Role != store.RoleAdmin {
		return nil, store.NewError(store.ErrForbidden, i18n.Msg("store.err.export_whole_store", "Handle", actor.Handle, "Role", actor.Role))
	}
	if err := db.CanRead(ctx, actor, ""); err != nil { // an admin account reads no records
		return nil, err
	}
	files := map[string]*os.File{}
	bufs := map[string]*bufio.Writer{}
	counts := map[string]int{}
	defer func() {
		for _, f := range files {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	c := NewConverter(o, func(r Resource) error {
		t := r.FHIRType()
		w, ok := bufs[t]
		if !ok {
			f, err := os.CreateTemp(dir, "."+t+"-*.ndjson")
			if err != nil {
				return err
			}
			files[t] = f
			w = bufio.NewWriterSize(f, 1<<16)
			bufs[t] = w
		}
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		w.Write(line)
		counts[t]++
		return w.WriteByte('\n')
	})
	if _, err := db.Export(ctx, actor, nil, store.ExportFilter{Types: Types(o.IncludeText), Each: c.Add}); err != nil {
		return nil, err
	}
	if err := c.Finish(); err != nil {
		return nil, err
	}
	for t, w := range bufs {
		if err := w.Flush(); err != nil {
			return nil, err
		}
		if err := files[t].Close(); err != nil {
			return nil, err
		}
	}
	for t, f := range files {
		if err := os.Rename(f.Name(), filepath.Join(dir, t+".ndjson")); err != nil {
			return nil, err
		}
		delete(files, t)
	}
	return counts, nil
}
