package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"polku/internal/i18n"
	"polku/programs"
)

// The interchange format is JSON Lines: one record per line, each an object
// whose "type" names the record type and whose other fields are the record's
// JSON fields (see docs/interchange.md). Lines come in dependency order.

// RecordTypes lists the record types in the order export writes them. An
// enrollment's events (its transfers) come before the risk acknowledgements,
// which are checked against who was assigned when.
var RecordTypes = []string{
	"therapist", "instrument", "program", "service", "patient", "referral", "assessment", "notification", "enrollment", "submission", "feedback",
	"message", "measure_response", "diary_entry", "note", "enrollment_event", "risk_ack", "summary", "go_ahead", "draft", "time_spent", "setting", "audit",
}

type recordKind struct {
	name  string
	table *table
	new   func() any // a pointer to a fresh wrapper {Type string; Record}
	rec   func(wrapper any) any
}

type (
	therapistLine struct {
		Type string `json:"type"`
		Therapist
	}
	instrumentLine struct {
		Type string `json:"type"`
		InstrumentVersion
	}
	programLine struct {
		Type string `json:"type"`
		ProgramVersion
	}
	patientLine struct {
		Type string `json:"type"`
		Patient
	}
	referralLine struct {
		Type string `json:"type"`
		Referral
	}
	enrollmentLine struct {
		Type string `json:"type"`
		Enrollment
	}
	submissionLine struct {
		Type string `json:"type"`
		Submission
	}
	feedbackLine struct {
		Type string `json:"type"`
		Feedback
	}
	messageLine struct {
		Type string `json:"type"`
		Message
	}
	measureLine struct {
		Type string `json:"type"`
		MeasureResponse
	}
	diaryLine struct {
		Type string `json:"type"`
		DiaryEntry
	}
	noteLine struct {
		Type string `json:"type"`
		Note
	}
	riskAckLine struct {
		Type string `json:"type"`
		RiskAck
	}
	eventLine struct {
		Type string `json:"type"`
		EnrollmentEvent
	}
	summaryLine struct {
		Type string `json:"type"`
		Summary
	}
	goAheadLine struct {
		Type string `json:"type"`
		GoAhead
	}
	draftLine struct {
		Type string `json:"type"`
		Draft
	}
	timeLine struct {
		Type string `json:"type"`
		TimeSpent
	}
	settingLine struct {
		Type string `json:"type"`
		Setting
	}
	auditLine struct {
		Type string `json:"type"`
		AuditEntry
	}
	serviceLine struct {
		Type string `json:"type"`
		ServiceVersion
	}
	assessmentLine struct {
		Type string `json:"type"`
		Assessment
	}
	notificationLine struct {
		Type string `json:"type"`
		Notification
	}
)

var recordKinds = map[string]recordKind{
	"therapist":        {"therapist", tables.therapist, func() any { return &therapistLine{} }, func(w any) any { return &w.(*therapistLine).Therapist }},
	"instrument":       {"instrument", tables.instrument, func() any { return &instrumentLine{} }, func(w any) any { return &w.(*instrumentLine).InstrumentVersion }},
	"program":          {"program", tables.program, func() any { return &programLine{} }, func(w any) any { return &w.(*programLine).ProgramVersion }},
	"patient":          {"patient", tables.patient, func() any { return &patientLine{} }, func(w any) any { return &w.(*patientLine).Patient }},
	"referral":         {"referral", tables.referral, func() any { return &referralLine{} }, func(w any) any { return &w.(*referralLine).Referral }},
	"enrollment":       {"enrollment", tables.enrollment, func() any { return &enrollmentLine{} }, func(w any) any { return &w.(*enrollmentLine).Enrollment }},
	"submission":       {"submission", tables.submission, func() any { return &submissionLine{} }, func(w any) any { return &w.(*submissionLine).Submission }},
	"feedback":         {"feedback", tables.feedback, func() any { return &feedbackLine{} }, func(w any) any { return &w.(*feedbackLine).Feedback }},
	"message":          {"message", tables.message, func() any { return &messageLine{} }, func(w any) any { return &w.(*messageLine).Message }},
	"measure_response": {"measure_response", tables.measure, func() any { return &measureLine{} }, func(w any) any { return &w.(*measureLine).MeasureResponse }},
	"diary_entry":      {"diary_entry", tables.diary, func() any { return &diaryLine{} }, func(w any) any { return &w.(*diaryLine).DiaryEntry }},
	"note":             {"note", tables.note, func() any { return &noteLine{} }, func(w any) any { return &w.(*noteLine).Note }},
	"risk_ack":         {"risk_ack", tables.riskAck, func() any { return &riskAckLine{} }, func(w any) any { return &w.(*riskAckLine).RiskAck }},
	"enrollment_event": {"enrollment_event", tables.event, func() any { return &eventLine{} }, func(w any) any { return &w.(*eventLine).EnrollmentEvent }},
	"summary":          {"summary", tables.summary, func() any { return &summaryLine{} }, func(w any) any { return &w.(*summaryLine).Summary }},
	"go_ahead":         {"go_ahead", tables.goAhead, func() any { return &goAheadLine{} }, func(w any) any { return &w.(*goAheadLine).GoAhead }},
	"draft":            {"draft", tables.draft, func() any { return &draftLine{} }, func(w any) any { return &w.(*draftLine).Draft }},
	"time_spent":       {"time_spent", tables.timeSpent, func() any { return &timeLine{} }, func(w any) any { return &w.(*timeLine).TimeSpent }},
	"setting":          {"setting", tables.setting, func() any { return &settingLine{} }, func(w any) any { return &w.(*settingLine).Setting }},
	"audit":            {"audit", tables.audit, func() any { return &auditLine{} }, func(w any) any { return &w.(*auditLine).AuditEntry }},
	"service":          {"service", tables.service, func() any { return &serviceLine{} }, func(w any) any { return &w.(*serviceLine).ServiceVersion }},
	"assessment":       {"assessment", tables.assessment, func() any { return &assessmentLine{} }, func(w any) any { return &w.(*assessmentLine).Assessment }},
	"notification":     {"notification", tables.notification, func() any { return &notificationLine{} }, func(w any) any { return &w.(*notificationLine).Notification }},
}

// insertOrIgnore is each record type's insert that leaves a stored id be
// (the import then compares the two).
var insertOrIgnore = func() map[string]string {
	m := map[string]string{}
	for typ, k := range recordKinds {
		m[typ] = strings.Replace(k.table.insert, "INSERT", "INSERT OR IGNORE", 1)
	}
	return m
}()

// RecordType names the interchange type of a record pointer.
func RecordType(rec any) string {
	switch rec.(type) {
	case *Therapist:
		return "therapist"
	case *InstrumentVersion:
		return "instrument"
	case *ProgramVersion:
		return "program"
	case *Patient:
		return "patient"
	case *Referral:
		return "referral"
	case *ServiceVersion:
		return "service"
	case *Assessment:
		return "assessment"
	case *Notification:
		return "notification"
	case *Enrollment:
		return "enrollment"
	case *Submission:
		return "submission"
	case *Feedback:
		return "feedback"
	case *Message:
		return "message"
	case *MeasureResponse:
		return "measure_response"
	case *DiaryEntry:
		return "diary_entry"
	case *Note:
		return "note"
	case *RiskAck:
		return "risk_ack"
	case *EnrollmentEvent:
		return "enrollment_event"
	case *Summary:
		return "summary"
	case *GoAhead:
		return "go_ahead"
	case *Draft:
		return "draft"
	case *TimeSpent:
		return "time_spent"
	case *Setting:
		return "setting"
	case *AuditEntry:
		return "audit"
	}
	return ""
}

// MarshalLine encodes one record as an interchange line (without newline).
func MarshalLine(rec any) ([]byte, error) {
	typ := RecordType(rec)
	if typ == "" {
		return nil, fmt.Errorf("%T is not a record", rec)
	}
	body, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(body) + len(typ) + 12)
	b.WriteString(`{"type":"`)
	b.WriteString(typ)
	b.WriteString(`"`)
	if len(body) > 2 {
		b.WriteByte(',')
	}
	b.Write(body[1:])
	return EscapeC1(b.Bytes()), nil
}

// EscapeC1 rewrites the C1 control characters (U+0080-U+009F) and the bidi
// controls (U+202A-U+202E, U+2066-U+2069) in JSON text as \u escapes, so
// that showing an export in a terminal cannot drive the terminal or reorder
// what is shown. They can only occur inside JSON strings, where the escape
// decodes to the same character: an import reads back exactly what was
// stored. encoding/json already escapes the C0 controls.
func EscapeC1(js []byte) []byte {
	if !hasC1(js) {
		return js
	}
	out := make([]byte, 0, len(js)+16)
	for i := 0; i < len(js); {
		r, n := utf8.DecodeRune(js[i:])
		if escapeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, js[i:i+n]...)
		}
		i += n
	}
	return out
}

func escapeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func hasC1(js []byte) bool {
	for i := 0; i < len(js); i++ {
		// C1 is 0xC2 0x80-0x9F in UTF-8, the bidi controls start 0xE2 0x80/0x81.
		if (js[i] == 0xc2 || js[i] == 0xe2) && i+1 < len(js) && js[i+1] >= 0x80 && js[i+1] <= 0x9f {
			return true
		}
	}
	return false
}

// ExportFilter narrows an export.
type ExportFilter struct {
	PatientID string // only this patient, with what their record refers to
	// Progress, if set, is called as records are written with how many are
	// done of how many the export will write.
	Progress func(done, total int)
	// Types, if set, are the only record types exported.
	Types map[string]bool
	// Each, if set, is handed each record (a pointer to its record struct,
	// e.g. *Patient) instead of writing it as a line to w: for exports in
	// other formats (FHIR) from the same snapshot, order and audit.
	Each func(typ string, rec any) error
}

// Export writes the store (or one patient) as JSON Lines from one
// consistent snapshot. When a person exports, each exported patient's
// record is logged as read.
func (db *DB) Export(ctx context.Context, actor Actor, w io.Writer, f ExportFilter) (int, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	total := 0
	if f.Progress != nil {
		if total, err = exportCount(ctx, tx, f); err != nil {
			return 0, err
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	n := 0
	var patients []string
	for _, typ := range RecordTypes {
		kind := recordKinds[typ]
		where, args := exportWhere(typ, f)
		if where == "skip" || (f.Types != nil && !f.Types[typ]) {
			continue
		}
		order := "id"
		if typ == "setting" {
			order = "key"
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" "+where+" ORDER BY "+order, args...)
		if err != nil {
			return n, err
		}
		for rows.Next() {
			wrapper := kind.new()
			rec := kind.rec(wrapper)
			if err := kind.table.scanInto(rows, rec); err != nil {
				rows.Close()
				return n, err
			}
			if f.Each != nil {
				if err := f.Each(typ, rec); err != nil {
					rows.Close()
					return n, err
				}
			} else {
				line, err := MarshalLine(rec)
				if err != nil {
					rows.Close()
					return n, err
				}
				bw.Write(line)
				bw.WriteByte('\n')
			}
			n++
			if f.Progress != nil {
				f.Progress(n, total)
			}
			if n%256 == 0 && ctx.Err() != nil {
				rows.Close()
				return n, ctx.Err()
			}
			if p, ok := rec.(*Patient); ok {
				patients = append(patients, p.ID)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	if err := bw.Flush(); err != nil {
		return n, err
	}
	if f.Progress != nil {
		f.Progress(n, n)
	}
	if err := ctx.Err(); err != nil {
		return n, err
	}
	tx.Rollback()
	if actor.IsPerson() && len(patients) > 0 {
		if err := db.auditMany(ctx, actor, patients, "export"); err != nil {
			return n, err
		}
	}
	return n, nil
}

// exportCount is how many records an export will write, counted in its
// snapshot.
func exportCount(ctx context.Context, tx *sql.Tx, f ExportFilter) (int, error) {
	total := 0
	for _, typ := range RecordTypes {
		where, args := exportWhere(typ, f)
		if where == "skip" || (f.Types != nil && !f.Types[typ]) {
			continue
		}
		var c int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+recordKinds[typ].table.name+" "+where, args...).Scan(&c); err != nil {
			return 0, err
		}
		total += c
	}
	return total, nil
}

func (db *DB) auditMany(ctx context.Context, actor Actor, patientIDs []string, action string) error {
	return db.write(ctx, actor, RecordAccessOp{}, func(t *tx) error {
		for _, id := range patientIDs {
			e := AuditEntry{ID: db.NewID(t.now), At: t.now, ActorID: actor.ID, Device: actor.Device, PatientID: id, Action: action}
			if err := (RecordAccessOp{e}).apply(t); err != nil {
				return err
			}
		}
		return nil
	})
}

// exportWhere restricts each record type to one patient and what the
// patient's records refer to.
func exportWhere(typ string, f ExportFilter) (string, []any) {
	if f.PatientID == "" {
		return "", nil
	}
	p := f.PatientID
	switch typ {
	case "therapist":
		return `WHERE id IN (SELECT therapist_id FROM enrollments WHERE patient_id = ?1
			UNION SELECT therapist_id FROM feedback WHERE patient_id = ?1 UNION SELECT therapist_id FROM notes WHERE patient_id = ?1
			UNION SELECT therapist_id FROM messages WHERE patient_id = ?1 UNION SELECT therapist_id FROM risk_acks WHERE patient_id = ?1
			UNION SELECT therapist_id FROM go_aheads WHERE patient_id = ?1
			UNION SELECT therapist_id FROM drafts WHERE patient_id = ?1 UNION SELECT therapist_id FROM time_spent WHERE patient_id = ?1
			UNION SELECT therapist_id FROM referral_assessments WHERE patient_id = ?1)`, []any{p}
	case "program":
		return "WHERE id IN (SELECT program_version_id FROM enrollments WHERE patient_id = ?)", []any{p}
	case "instrument":
		return "WHERE instrument_id || '@' || version IN (SELECT instrument_id || '@' || instrument_version FROM measure_responses WHERE patient_id = ?)", []any{p}
	case "patient":
		return "WHERE id = ?", []any{p}
	case "setting", "service":
		return "skip", nil
	}
	return "WHERE patient_id = ?", []any{p}
}

// ImportSummary says what an import did (or, in a dry run, would do).
type ImportSummary struct {
	Lines     int            `json:"lines"`
	Added     map[string]int `json:"added"`     // by record type
	Unchanged int            `json:"unchanged"` // records already stored, identical
	DryRun    bool           `json:"dry_run"`
}

// LineError is one bad line of an import.
type LineError struct {
	Line int
	Err  error
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// ImportErrors is the bad lines of an import (the first MaxImportErrors of
// them) and how many there were in all; nothing was written.
type ImportErrors struct {
	Lines []LineError
	Total int
	// Dependent is how many of the bad lines only refer to a record that a
	// bad line above would have made (or to one refused because of it):
	// counted, not listed, so one bad therapist line is one error.
	Dependent int
}

func (es ImportErrors) Error() string {
	parts := make([]string, len(es.Lines))
	for i, e := range es.Lines {
		parts[i] = e.Error()
	}
	if more := es.Total - es.Dependent - len(es.Lines); more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more bad lines", more))
	}
	if es.Dependent > 0 {
		parts = append(parts, es.DependentLine())
	}
	return strings.Join(parts, "\n")
}

// DependentLine says how many lines were refused only because they refer
// to records refused above ("" when none).
func (es ImportErrors) DependentLine() string {
	switch es.Dependent {
	case 0:
		return ""
	case 1:
		return "1 line refers to a record refused above"
	}
	return fmt.Sprintf("%s lines refer to records refused above", thousands(es.Dependent))
}

// thousands writes n with a comma between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Unwrap makes errors.Is(err, ErrInvalid) work on the first problem.
func (es ImportErrors) Unwrap() error {
	if len(es.Lines) == 0 {
		return nil
	}
	return es.Lines[0].Err
}

// MaxImportErrors is how many bad lines an import reports one by one; it
// counts the rest.
const MaxImportErrors = 50

// Import reads JSON Lines and writes every record in one transaction. All
// lines are checked; if any is bad, nothing is written and the errors name
// line numbers and fields. A record whose id is already stored with the
// same content is skipped; with different content it is an error.
func (db *DB) Import(ctx context.Context, actor Actor, r io.Reader, dryRun bool) (ImportSummary, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	return db.importRecords(ctx, actor, dryRun, true, func(im *importer, yield func(line int, rec any, err error) bool) error {
		// The snapshot begins inside the write transaction (which holds the
		// store's write lock), so it is the store the import writes into;
		// it ends with the reading, before the commit and its checkpoint,
		// which would wait for it.
		stored, err := db.storedRecords(ctx)
		if err != nil {
			return err
		}
		defer stored.close()
		var readErr error
		ch := &chunker{known: im.known,
			emit: func(line int, b []byte, unchanged bool) bool {
				if !unchanged {
					same, err := stored.same(b)
					if err != nil {
						readErr = err
						return false
					}
					unchanged = same
				}
				if unchanged {
					return yield(line, unchangedLine{}, nil)
				}
				rec, err := decodeLine(b)
				return yield(line, rec, err)
			},
			mark: func(c importChunk) bool { return yield(0, chunkMark{c}, nil) },
		}
		line := 0
		for sc.Scan() {
			line++
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			typ, id, ok := lineHead(b)
			if !ok {
				typ = ""
			}
			if !ch.add(line, b, typ, id) {
				return readErr
			}
		}
		if !ch.flush() {
			return readErr
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("line %d: %w", line+1, err)
		}
		return nil
	})
}

// ImportRecords writes records (pointers to record structs) like Import,
// without going through JSON; the demo generator uses it.
func (db *DB) ImportRecords(ctx context.Context, actor Actor, recs func(yield func(rec any) bool)) (ImportSummary, error) {
	return db.importRecords(ctx, actor, false, false, func(_ *importer, yield func(line int, rec any, err error) bool) error {
		i := 0
		recs(func(rec any) bool {
			i++
			return yield(i, rec, nil)
		})
		return nil
	})
}

// unchangedLine stands for a line that is exactly a record the store
// held before the import (storedRecords): nothing to check or write.
type unchangedLine struct{}

var typeKey = []byte(`"type"`)

func decodeLine(b []byte) (any, error) {
	// A line as export writes it names its type first, once: decode it
	// without a first pass for the type. Any other shape (the key twice,
	// or inside a text), and any line that does not decode, takes the
	// path below, whose errors name what is wrong.
	if typ, _, ok := lineHead(b); ok && bytes.Count(b, typeKey) == 1 {
		if kind, ok := recordKinds[typ]; ok {
			if rec, err := decodeKind(kind, b); err == nil {
				return rec, nil
			}
		}
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, newErr(ErrInvalid, "store.err.json.not_object", "Err", jsonMsg(err))
	}
	kind, ok := recordKinds[head.Type]
	if !ok {
		if head.Type == "" {
			return nil, newErr(ErrInvalid, "store.err.json.missing_type", "Types", strings.Join(RecordTypes, ", "))
		}
		return nil, newErr(ErrInvalid, "store.err.json.unknown_type", "Type", quote(head.Type), "Types", strings.Join(RecordTypes, ", "))
	}
	rec, err := decodeKind(kind, b)
	if err != nil {
		return nil, newErr(ErrInvalid, "store.err.json.record", "Type", head.Type, "Err", jsonMsg(err))
	}
	return rec, nil
}

func decodeKind(kind recordKind, b []byte) (any, error) {
	wrapper := kind.new()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(wrapper); err != nil {
		return nil, err
	}
	return kind.rec(wrapper), nil
}

// importer validates and inserts records inside one transaction. Its
// memory does not grow with the file: the records already checked are in
// the transaction (a bad line is not inserted, every good one is, also
// after a bad one), so a later line's references are looked up there; the
// maps below are small caches of what is looked up most.
type importer struct {
	t        *tx
	db       *DB
	base     txRefs
	programs map[string]*programs.Program
	instr    map[string]*programs.Instrument
	ther     cache[*Therapist]
	// patients: the checks of an import only ask whether one exists, so
	// the ids are kept (a store's every patient fits: some 8 MB at
	// 100,000), and a patient found is given with its id alone
	pat cache[struct{}]
	// enrollments: of each only what the checks of an import read (id,
	// patient, program version, status), so that a store's every
	// enrollment fits (some 17 MB at 100,000)
	enr cache[enrollmentRef]
	// records of this import that later lines refer to, so that checking
	// a feedback or an acknowledgement of a patient just imported (the
	// demo writes patient by patient) needs no query
	subs cache[*Submission]
	msgs cache[*Message]
	meas cache[*MeasureResponse]
	// the newest feedback on each submission this import touched or
	// read ("" none)
	heads cache[string]
	// ids of the lines refused so far: a later line that only refers to
	// one of them is counted, not reported
	refused map[string]bool
	// program version ids of the file that name a stored version with the
	// same content under another id
	alias map[string]string
	// stored reads the store as it was before the import, to skip lines
	// identical to a stored record without decoding them (Import only)
	stored *storedRecords
	sum    ImportSummary
	// the chunks earlier imports kept (Import only), the chunks of this
	// import whose lines were all stored as they stand, and whether the
	// current chunk or line was not (docs/performance.md)
	known      *knownChunks
	clean      []importChunk
	chunkDirty bool
	lineDirty  bool
	// feedback: the record being checked is a feedback
	feedback bool
	strs     map[string]string // intern
}

// importCache is how many records of a kind an import keeps at hand in
// each of a cache's two generations; enrollCache is the enrollments'.
const (
	importCache = 1 << 13
	enrollCache = 1 << 16
)

// cache keeps the records an import looked up or wrote last, by id, in
// two generations: when the newer is full it becomes the older, and the
// older is forgotten. A record read from the older moves to the newer, so
// what is used stays, and memory is bounded by twice the size.
type cache[T any] struct {
	cur, old map[string]T
	size     int
}

func newCache[T any](size int) cache[T] {
	return cache[T]{cur: map[string]T{}, old: map[string]T{}, size: size}
}

func (c *cache[T]) get(id string) (T, bool) {
	if x, ok := c.cur[id]; ok {
		return x, true
	}
	x, ok := c.old[id]
	if ok {
		c.put(id, x)
	}
	return x, ok
}

func (c *cache[T]) put(id string, x T) {
	if len(c.cur) >= c.size {
		c.old, c.cur = c.cur, make(map[string]T, c.size)
	}
	c.cur[id] = x
}

// enrollmentRef is what the checks of an import read of an enrollment
// (the program version and the status are one of few values, kept once).
type enrollmentRef struct{ patient, program, status string }

func (im *importer) enrollmentRef(e *Enrollment) enrollmentRef {
	return enrollmentRef{patient: e.PatientID, program: im.intern(e.ProgramVersionID), status: im.intern(e.Status)}
}

// intern keeps one copy of each program version id and status.
func (im *importer) intern(s string) string {
	if x, ok := im.strs[s]; ok {
		return x
	}
	if len(im.strs) < 1024 {
		im.strs[s] = s
	}
	return s
}

func (im *importer) patient(id string) (*Patient, error) {
	if _, ok := im.pat.get(id); ok {
		return &Patient{ID: id}, nil
	}
	p, err := im.base.patient(id)
	if err == nil {
		im.pat.put(id, struct{}{})
	}
	return p, err
}
func (im *importer) therapist(id string) (*Therapist, error) {
	if x, ok := im.ther.get(id); ok {
		return x, nil
	}
	x, err := im.base.therapist(id)
	if err == nil {
		im.ther.put(id, x)
	}
	return x, err
}
func (im *importer) enrollment(id string) (*Enrollment, error) {
	if x, ok := im.enr.get(id); ok {
		return &Enrollment{ID: id, PatientID: x.patient, ProgramVersionID: x.program, Status: x.status}, nil
	}
	x, err := im.base.enrollment(id)
	if err == nil {
		im.enr.put(id, im.enrollmentRef(x))
	}
	return x, err
}

// submissionsAhead is how many submissions (in id order) one look-up of
// a submission the cache does not hold reads.
const submissionsAhead = 256

// submission reads only what the checks of other records use of a
// submission (not its answers), as the cache keeps it. A submission a
// feedback line refers to that is not at hand is read with the ones that
// follow it in id order, and the newest feedback on each: an export's
// feedback comes after all the submissions, in the order it was sent,
// which is close to the order of the submissions it answers.
func (im *importer) submission(id string) (*Submission, error) {
	if x, ok := im.subs.get(id); ok {
		return x, nil
	}
	// another record's reference (a go-ahead's screening, a flag's
	// source) is read alone
	ahead := 1
	if im.feedback {
		ahead = submissionsAhead
	}
	st, err := im.t.stmt("SELECT id, enrollment_id, patient_id, exercise_id, submitted_at FROM submissions WHERE id >= ? ORDER BY id LIMIT " + strconv.Itoa(ahead))
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(im.t.ctx, id)
	if err != nil {
		return nil, err
	}
	var found *Submission
	var read []string
	for rows.Next() {
		s := &Submission{}
		var at string
		if err := rows.Scan(&s.ID, &s.EnrollmentID, &s.PatientID, &s.ExerciseID, &at); err != nil {
			rows.Close()
			return nil, err
		}
		if s.SubmittedAt, err = parseTime(at); err != nil {
			rows.Close()
			return nil, err
		}
		if s.ID == id {
			found = s
		}
		im.subs.put(s.ID, s)
		read = append(read, s.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if im.feedback {
		if err := im.readHeads(read); err != nil {
			return nil, err
		}
	}
	if found == nil {
		return nil, notFound("submission", id)
	}
	return found, nil
}

// readHeads reads the newest feedback on each of the submissions ids (in
// id order) that the cache does not know, in one range of the index of
// feedback by submission (txRefs.feedbackHead's rule: the one no other
// supersedes).
func (im *importer) readHeads(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	st, err := im.t.stmt("SELECT submission_id, id, supersedes FROM feedback WHERE submission_id BETWEEN ? AND ?")
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(im.t.ctx, ids[0], ids[len(ids)-1])
	if err != nil {
		return err
	}
	defer rows.Close()
	type fb struct{ id, sup string }
	bySub := map[string][]fb{}
	for rows.Next() {
		var sub string
		var f fb
		if err := rows.Scan(&sub, &f.id, &f.sup); err != nil {
			return err
		}
		bySub[sub] = append(bySub[sub], f)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, sub := range ids {
		if _, ok := im.heads.get(sub); ok {
			continue // this import's feedback, or read before
		}
		head := ""
		fs := bySub[sub]
		for _, f := range fs {
			superseded := false
			for _, g := range fs {
				superseded = superseded || g.sup == f.id
			}
			if !superseded && f.id > head { // as txRefs.feedbackHead
				head = f.id
			}
		}
		im.heads.put(sub, head)
	}
	return nil
}

func (im *importer) feedbackHead(submissionID string) (string, error) {
	if head, ok := im.heads.get(submissionID); ok {
		return head, nil
	}
	return im.base.feedbackHead(submissionID)
}
func (im *importer) message(id string) (*Message, error) {
	if x, ok := im.msgs.get(id); ok {
		return x, nil
	}
	return im.base.message(id)
}
func (im *importer) measure(id string) (*MeasureResponse, error) {
	if x, ok := im.meas.get(id); ok {
		return x, nil
	}
	return im.base.measure(id)
}
func (im *importer) diary(id string) (*DiaryEntry, error) { return im.base.diary(id) }
func (im *importer) program(id string) (*programs.Program, error) {
	if x, ok := im.programs[id]; ok {
		return x, nil
	}
	x, err := im.base.program(id)
	if err == nil {
		im.programs[id] = x
	}
	return x, err
}
func (im *importer) now() time.Time { return im.t.now }

// assigned reads the store, where this import's records already are (the
// rule is txRefs.assigned's; docs/clinical.md).
func (im *importer) assigned(patientID, therapistID string, at time.Time) (bool, error) {
	return im.base.assigned(patientID, therapistID, at)
}

// instrument reads an instrument version, or (version 0) the newest:
// that is kept too, since only an instrument line of this import, which
// checkInstrument keeps under version 0, can make another the newest.
func (im *importer) instrument(id string, version int) (*programs.Instrument, error) {
	key := instrumentKey(id, version)
	if x, ok := im.instr[key]; ok {
		return x, nil
	}
	x, err := im.base.instrument(id, version)
	if err == nil {
		im.instr[key] = x
	}
	return x, err
}

func (db *DB) importRecords(ctx context.Context, actor Actor, dryRun, chunked bool, each func(im *importer, yield func(line int, rec any, err error) bool) error) (ImportSummary, error) {
	var sum ImportSummary
	var errs ImportErrors
	// The collector runs as it would (GOGC), or more often once the Go
	// heap nears importHeap: the caches of a 100k import and the garbage
	// of decoding would otherwise take the memory twice over.
	if limit := debug.SetMemoryLimit(-1); limit > importHeap {
		debug.SetMemoryLimit(importHeap)
		defer debug.SetMemoryLimit(limit)
	}
	small, err := db.smallStore(ctx)
	if err != nil {
		return sum, err
	}
	if small && !dryRun {
		restore, err := db.sortInFiles(ctx)
		if err != nil {
			return sum, err
		}
		defer restore()
	}
	err = db.write(ctx, actor, ImportProgramsOp{}, func(t *tx) error {
		im := &importer{t: t, db: db, base: txRefs{t}, programs: map[string]*programs.Program{},
			instr: map[string]*programs.Instrument{}, ther: newCache[*Therapist](importCache), pat: newCache[struct{}](enrollCache),
			enr: newCache[enrollmentRef](enrollCache), strs: map[string]string{}, subs: newCache[*Submission](2 * importCache), msgs: newCache[*Message](importCache),
			meas: newCache[*MeasureResponse](importCache), heads: newCache[string](2 * importCache), alias: map[string]string{}, refused: map[string]bool{}, sum: ImportSummary{Added: map[string]int{}, DryRun: dryRun}}
		if chunked {
			known, err := t.loadChunks()
			if err != nil {
				return err
			}
			im.known = known
		}
		var deferred []string
		if small {
			if deferred, err = t.deferIndexes(); err != nil {
				return err
			}
		}
		// The texts are scanned for risk phrases (riskscans.go) where the
		// lines are read, with the word lists of the store as the import
		// begins. Should the lists not be readable, the writer scans each
		// text as any write does (tx.keepScan), and fails as it does.
		words, err := t.scanWords()
		if err != nil {
			words = nil
			t.words = nil
		}
		each := func(yield func(line int, rec any, err error) bool) error { return each(im, yield) }
		err = pipeline(ctx, each, words, func(line int, rec any, err error, scan scanned) bool {
			if ctx.Err() != nil {
				return false
			}
			if m, ok := rec.(chunkMark); ok {
				if !im.chunkDirty {
					im.clean = append(im.clean, m.importChunk)
				}
				im.chunkDirty = false
				return true
			}
			im.sum.Lines++
			if _, ok := rec.(unchangedLine); ok {
				im.sum.Unchanged++
				return true
			}
			if err == nil {
				err = im.add(rec, scan)
			}
			if err != nil || im.lineDirty {
				im.chunkDirty = true
			}
			im.lineDirty = false
			if err != nil {
				if id, _ := recordIDs(rec); id != "" {
					im.refused[id] = true
				}
				switch {
				case im.refersToRefused(err):
					errs.Dependent++
				case len(errs.Lines) < MaxImportErrors:
					errs.Lines = append(errs.Lines, LineError{Line: line, Err: err})
				}
				errs.Total++
			}
			return true
		})
		sum = im.sum
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err // interrupted: roll back what was read so far
		}
		if errs.Total > 0 {
			return errs
		}
		if dryRun {
			return errDryRun
		}
		if chunked {
			if err := t.saveChunks(im.known, im.clean); err != nil {
				return err
			}
		}
		return t.restoreIndexes(deferred)
	})
	if errors.Is(err, errDryRun) {
		return sum, nil
	}
	added := 0
	for _, n := range sum.Added {
		added += n
	}
	if err == nil && added >= bigImport {
		// Move the import out of the write-ahead log now, while nobody waits
		// for the writer, rather than in the commit of some later small write
		// (a stall of seconds for a demo-sized store). Best effort: the data
		// is committed either way.
		db.CheckpointLog(ctx)
	}
	return sum, err
}

// importItem is one line (or record) read for an import.
type importItem struct {
	line int
	rec  any
	err  error
	scan scanned
}

// pipeline runs each (reading and decoding the lines, or generating the
// records) in a goroutine of its own, handing what it yields to use in
// batches, so that decoding and inserting use a core each. It returns
// when each has returned: each's snapshot of the store (Import) has ended
// before the transaction commits. use returning false stops each.
func pipeline(ctx context.Context, each func(yield func(line int, rec any, err error) bool) error, words *scanWords, use func(line int, rec any, err error, scan scanned) bool) error {
	const batch = 256
	items := make(chan []importItem, 16)
	stop := make(chan struct{})
	var eachErr error
	go func() {
		defer close(items)
		buf := make([]importItem, 0, batch)
		send := func() bool {
			select {
			case items <- buf:
				buf = make([]importItem, 0, batch)
				return true
			case <-stop:
				return false
			}
		}
		stopped := false
		eachErr = each(func(line int, rec any, err error) bool {
			if stopped {
				return false
			}
			it := importItem{line: line, rec: rec, err: err}
			if err == nil {
				it.scan = prescan(words, rec)
			}
			buf = append(buf, it)
			if len(buf) == batch && !send() {
				stopped = true
			}
			return !stopped
		})
		if !stopped && len(buf) > 0 {
			send()
		}
	}()
	more := true
	for b := range items {
		for _, it := range b {
			if more && !use(it.line, it.rec, it.err, it.scan) {
				more = false
				close(stop)
			}
		}
	}
	// items is closed: each has returned.
	return eachErr
}

// CheckpointLog moves the write-ahead log into the store file and returns
// the checkpoint mode it used. It truncates the log (TRUNCATE), unless
// Litestream replicates the store: Litestream holds a read transaction so
// that no checkpoint passes what it has copied, and checkpoints itself; a
// TRUNCATE would wait the whole busy timeout for that reader while holding
// the write lock (every write of a running server stalls), then fail. Then
// the checkpoint is PASSIVE: it copies what it can and waits for nobody.
// Litestream is seen by its folder beside the store, .NAME-litestream.
func (db *DB) CheckpointLog(ctx context.Context) (string, error) {
	mode := "TRUNCATE"
	if LitestreamReplicates(db.path) {
		mode = "PASSIVE"
	}
	_, err := db.w.ExecContext(ctx, "PRAGMA wal_checkpoint("+mode+")")
	return mode, err
}

// LitestreamReplicates says whether Litestream replicates (or replicated)
// the store at path: its metadata folder .NAME-litestream is beside it.
func LitestreamReplicates(path string) bool {
	st, err := os.Stat(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"-litestream"))
	return err == nil && st.IsDir()
}

// importHeap is the Go heap (SQLite's page cache is not in it) from which
// the collector runs more often than GOGC makes it during an import.
const importHeap = 160 << 20

// bigImport is the size from which an import checkpoints the log after it.
const bigImport = 10_000

var errDryRun = errors.New("dry run")

// refersToRefused says whether err is only that a referenced record does
// not exist, where that record is one of this file's refused lines.
func (im *importer) refersToRefused(err error) bool {
	var fe *FieldError
	return errors.As(err, &fe) && fe.Missing != "" && im.refused[fe.Missing]
}

// add checks one record and inserts it. In a failed import records are
// still checked (to report more bad lines) but references to them cannot be
// followed, so later errors may be consequences of earlier ones.
func (im *importer) add(rec any, scan scanned) error {
	typ := RecordType(rec)
	if err := im.check(rec); err != nil {
		return err
	}
	kind := recordKinds[typ]
	args, err := kind.table.args(rec)
	if err != nil {
		return err
	}
	id, patientID := recordIDs(rec)
	res, err := im.t.exec(insertOrIgnore[typ], args...)
	if err != nil {
		return im.db.constraintError(kind.table.name, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		same, err := im.sameAsStored(kind, rec, id)
		if err != nil {
			return err
		}
		if !same {
			return newErr(ErrConflict, "store.err.import.different_plain", "What", typ, "ID", id)
		}
		im.sum.Unchanged++
		return nil
	}
	im.sum.Added[typ]++
	if typ == "audit" {
		return nil
	}
	if typ == "submission" {
		// new in the store: no feedback can refer to it yet
		im.heads.put(id, "")
	}
	if err := im.keepScan(rec, scan); err != nil {
		return err
	}
	return im.t.changed(kind.table.name, id, patientID, "insert")
}

func (im *importer) sameAsStored(kind recordKind, rec any, id string) (bool, error) {
	keyCol := "id"
	if kind.name == "setting" {
		keyCol = "key"
	}
	rows, err := im.t.tx.QueryContext(im.t.ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" WHERE "+keyCol+" = ?", id)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		// Not the same id: a unique constraint on other columns (a handle, a
		// pseudonym, a program's id and version) stopped the insert.
		rows.Close()
		return im.uniqueClash(kind, rec, id)
	}
	stored := kind.rec(kind.new())
	if err := kind.table.scanInto(rows, stored); err != nil {
		return false, err
	}
	a, _ := json.Marshal(stored)
	b, _ := json.Marshal(rec)
	if bytes.Equal(a, b) {
		return true, nil
	}
	return false, newErr(ErrConflict, "store.err.import.different", "What", kind.name, "ID", id, "Diff", firstDifference(b, a))
}

// uniqueKeys are the fields besides the id that no two records of a type
// may share.
var uniqueKeys = map[string][]string{
	"therapist":  {"handle"},
	"patient":    {"pseudonym"},
	"instrument": {"instrument_id", "version"},
	"program":    {"program_id", "version"},
	"service":    {"service_id", "version"},
	"referral":   {"source_id"},
	"draft":      {"therapist_id", "target_type", "target_id"},
	"time_spent": {"therapist_id", "patient_id", "week"},
}

// uniqueClash explains an insert stopped by a unique field. An instrument
// or program version stored under another id with the same content (the
// built-ins that 'polku init' stored) is the same version: later lines that
// name the file's id are pointed at the stored one.
func (im *importer) uniqueClash(kind recordKind, rec any, id string) (bool, error) {
	keys := uniqueKeys[kind.name]
	args, err := kind.table.args(rec)
	if err != nil {
		return false, err
	}
	var where, named []string
	var vals []any
	for _, k := range keys {
		for i, c := range kind.table.cols {
			if c.name == k {
				where = append(where, k+" = ?")
				vals = append(vals, args[i])
				v, _ := json.Marshal(args[i])
				named = append(named, k+" "+shortJSON(v))
			}
		}
	}
	if len(where) == 0 {
		return false, newErr(ErrConflict, "store.err.import.collides_unique", "What", kind.name, "ID", id)
	}
	stored := kind.rec(kind.new())
	rows, err := im.t.tx.QueryContext(im.t.ctx, "SELECT "+kind.table.colList+" FROM "+kind.table.name+" WHERE "+strings.Join(where, " AND "), vals...)
	if err != nil {
		return false, err
	}
	found := rows.Next()
	if found {
		err = kind.table.scanInto(rows, stored)
	}
	rows.Close()
	if err != nil {
		return false, err
	}
	if !found {
		return false, newErr(ErrConflict, "store.err.import.collides_on", "What", kind.name, "ID", id, "Fields", strings.Join(named, ", "))
	}
	storedID, _ := recordIDs(stored)
	switch s := stored.(type) {
	case *InstrumentVersion:
		if s.Hash == rec.(*InstrumentVersion).Hash {
			im.lineDirty = true
			return true, nil
		}
		return false, newErr(ErrConflict, "store.err.import.stored_other_definition", "What", kind.name, "ID", id, "Fields", strings.Join(named, ", "), "StoredID", storedID,
			"Diff", firstDifference(rec.(*InstrumentVersion).Definition, s.Definition), "Hash", rec.(*InstrumentVersion).Hash, "StoredHash", s.Hash)
	case *ProgramVersion:
		if s.Hash == rec.(*ProgramVersion).Hash {
			im.alias[id] = storedID
			im.lineDirty = true
			return true, nil
		}
		return false, newErr(ErrConflict, "store.err.import.stored_other_definition", "What", kind.name, "ID", id, "Fields", strings.Join(named, ", "), "StoredID", storedID,
			"Diff", firstDifference(rec.(*ProgramVersion).Definition, s.Definition), "Hash", rec.(*ProgramVersion).Hash, "StoredHash", s.Hash)
	case *ServiceVersion:
		if s.Hash == rec.(*ServiceVersion).Hash {
			im.lineDirty = true
			return true, nil
		}
		return false, newErr(ErrConflict, "store.err.import.stored_other_entry", "What", kind.name, "ID", id, "Fields", strings.Join(named, ", "), "StoredID", storedID)
	case *Referral:
		// The same source id twice is one referral: the first one stays.
		im.lineDirty = true
		return true, nil
	}
	return false, newErr(ErrConflict, "store.err.import.used_by_stored", "What", kind.name, "ID", id, "Fields", strings.Join(named, ", "), "StoredID", storedID)
}

// firstDifference names the first field (in the file's order) whose value
// differs between two JSON objects, with both values; inside nested
// objects and lists it names the path ("items[3].text"). It is a message
// (store.err.import.diff.*).
func firstDifference(file, stored []byte) i18n.Message {
	if d := jsonDifference("", file, stored); d.ID != "" {
		return d
	}
	return i18n.Msg("store.err.import.diff.same_encoding")
}

func jsonDifference(path string, file, stored []byte) i18n.Message {
	file, stored = bytes.TrimSpace(file), bytes.TrimSpace(stored)
	if bytes.Equal(file, stored) {
		return i18n.Message{}
	}
	name := func(p string) any {
		if p == "" {
			return i18n.Msg("store.err.import.diff.the_value")
		}
		return p
	}
	switch {
	case len(file) > 0 && file[0] == '{' && len(stored) > 0 && stored[0] == '{':
		var s map[string]json.RawMessage
		json.Unmarshal(stored, &s)
		dec := json.NewDecoder(bytes.NewReader(file))
		dec.Token()
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				break
			}
			var fv json.RawMessage
			if err := dec.Decode(&fv); err != nil {
				break
			}
			k, _ := t.(string)
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			sv, ok := s[k]
			if !ok {
				return i18n.Msg("store.err.import.diff.only_file", "Path", sub, "Value", shortJSON(fv))
			}
			if d := jsonDifference(sub, fv, sv); d.ID != "" {
				return d
			}
			delete(s, k)
		}
		rest := make([]string, 0, len(s))
		for k := range s {
			rest = append(rest, k)
		}
		sort.Strings(rest)
		for _, k := range rest { // only in the stored record
			sv := s[k]
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			return i18n.Msg("store.err.import.diff.only_stored", "Path", sub, "Value", shortJSON(sv))
		}
		return i18n.Message{}
	case len(file) > 0 && file[0] == '[' && len(stored) > 0 && stored[0] == '[':
		var f, s []json.RawMessage
		json.Unmarshal(file, &f)
		json.Unmarshal(stored, &s)
		if len(f) == len(s) {
			for i := range f {
				if d := jsonDifference(fmt.Sprintf("%s[%d]", path, i), f[i], s[i]); d.ID != "" {
					return d
				}
			}
			return i18n.Message{}
		}
		return i18n.Msg("store.err.import.diff.entries", "Path", name(path), "File", len(f), "Stored", len(s))
	}
	return i18n.Msg("store.err.import.diff.values", "Path", name(path), "File", shortJSON(file), "Stored", shortJSON(stored))
}

// shortJSON shows a JSON value in an error: at most 60 characters, control
// characters escaped.
func shortJSON(v []byte) string {
	r := []rune(string(EscapeC1(v)))
	if len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return string(r)
}

func recordIDs(rec any) (id, patientID string) {
	switch r := rec.(type) {
	case *Therapist:
		return r.ID, ""
	case *InstrumentVersion:
		return r.ID, ""
	case *ProgramVersion:
		return r.ID, ""
	case *Patient:
		return r.ID, r.ID
	case *Referral:
		return r.ID, r.PatientID
	case *ServiceVersion:
		return r.ID, ""
	case *Assessment:
		return r.ID, r.PatientID
	case *Notification:
		return r.ID, r.PatientID
	case *Enrollment:
		return r.ID, r.PatientID
	case *Submission:
		return r.ID, r.PatientID
	case *Feedback:
		return r.ID, r.PatientID
	case *Message:
		return r.ID, r.PatientID
	case *MeasureResponse:
		return r.ID, r.PatientID
	case *DiaryEntry:
		return r.ID, r.PatientID
	case *Note:
		return r.ID, r.PatientID
	case *RiskAck:
		return r.ID, r.PatientID
	case *EnrollmentEvent:
		return r.ID, r.PatientID
	case *Summary:
		return r.ID, r.PatientID
	case *GoAhead:
		return r.ID, r.PatientID
	case *Draft:
		return r.ID, r.PatientID
	case *TimeSpent:
		return r.ID, r.PatientID
	case *Setting:
		return r.Key, ""
	case *AuditEntry:
		return r.ID, r.PatientID
	}
	return "", ""
}

func (im *importer) check(rec any) error {
	switch r := rec.(type) {
	case *Therapist:
		if err := checkTherapist(r); err != nil {
			return err
		}
		im.ther.put(r.ID, r)
	case *InstrumentVersion:
		return im.checkInstrument(r)
	case *ProgramVersion:
		return im.checkProgram(r)
	case *Patient:
		if err := checkPatient(r); err != nil {
			return err
		}
		im.pat.put(r.ID, struct{}{})
	case *Referral:
		return checkReferral(im, r)
	case *ServiceVersion:
		return checkServiceRecord(r)
	case *Assessment:
		return checkAssessmentRecord(im, r)
	case *Notification:
		return checkNotificationRecord(im, r)
	case *Enrollment:
		if stored, ok := im.alias[r.ProgramVersionID]; ok {
			r.ProgramVersionID = stored
			im.lineDirty = true // stored as another line than the file's
		}
		if strings.Contains(r.ProgramVersionID, "@") {
			im.lineDirty = true
		}
		if err := im.resolveProgram(r); err != nil {
			return err
		}
		if err := checkEnrollment(im, r); err != nil {
			return err
		}
		im.enr.put(r.ID, im.enrollmentRef(r))
	case *Submission:
		if err := checkSubmission(im, r); err != nil {
			return err
		}
		im.subs.put(r.ID, &Submission{ID: r.ID, EnrollmentID: r.EnrollmentID, PatientID: r.PatientID, ExerciseID: r.ExerciseID, SubmittedAt: r.SubmittedAt})
	case *Feedback:
		im.feedback = true
		err := checkFeedback(im, r)
		im.feedback = false
		if err != nil {
			return err
		}
		im.heads.put(r.SubmissionID, r.ID)
	case *Message:
		if err := checkMessage(im, r); err != nil {
			return err
		}
		im.msgs.put(r.ID, &Message{ID: r.ID, EnrollmentID: r.EnrollmentID, PatientID: r.PatientID, Direction: r.Direction, TherapistID: r.TherapistID, SentAt: r.SentAt})
	case *MeasureResponse:
		if err := scoreMeasure(im, r); err != nil {
			return err
		}
		im.meas.put(r.ID, &MeasureResponse{ID: r.ID, EnrollmentID: r.EnrollmentID, PatientID: r.PatientID, AnsweredAt: r.AnsweredAt})
	case *DiaryEntry:
		return checkDiary(im, r)
	case *Note:
		return checkNote(im, r)
	case *RiskAck:
		return checkRiskAck(im, r)
	case *EnrollmentEvent:
		return checkEvent(im, r)
	case *Summary:
		return checkSummary(im, r)
	case *GoAhead:
		return checkGoAhead(im, r)
	case *Draft:
		return checkDraft(im, r)
	case *TimeSpent:
		return checkTimeSpent(im, r)
	case *Setting:
		return checkSetting(r)
	case *AuditEntry:
		return checkAudit(r)
	default:
		return fmt.Errorf("%T is not a record", rec)
	}
	return nil
}

func (im *importer) checkInstrument(r *InstrumentVersion) error {
	const rt = "instrument"
	if err := first(needID(rt, "id", r.ID), need(rt, "instrument_id", r.InstrumentID), needTime(rt, "imported_at", r.ImportedAt)); err != nil {
		return err
	}
	var def programs.Instrument
	if err := strictJSON(r.Definition, &def); err != nil {
		return invalid(rt, "definition", "store.err.detail", "Detail", err)
	}
	if def.ID != r.InstrumentID || def.Version != r.Version {
		return invalid(rt, "definition", "store.err.describes_version_version", "ID", def.ID, "Version", def.Version, "WantID", r.InstrumentID, "WantVersion", r.Version)
	}
	if probs := programs.ValidateStored(&programs.Bundle{Docs: []*programs.Document{{Kind: "instrument", Instrument: &def}}}, nil); len(probs) > 0 {
		return invalid(rt, "definition", "store.err.detail", "Detail", probs[0].Msg)
	}
	if h := instrumentHash(def); h != r.Hash {
		return invalid(rt, "hash", "store.err.does_match_definition_expected", "H", h)
	}
	r.Definition, _ = json.Marshal(def)
	r.Title = def.Title
	im.instr[instrumentKey(def.ID, def.Version)] = &def
	im.instr[instrumentKey(def.ID, 0)] = &def // known to the programs that follow
	return nil
}

func (im *importer) checkProgram(r *ProgramVersion) error {
	const rt = "program"
	if err := first(needID(rt, "id", r.ID), need(rt, "program_id", r.ProgramID), needTime(rt, "imported_at", r.ImportedAt)); err != nil {
		return err
	}
	var def programs.Program
	if err := strictJSON(r.Definition, &def); err != nil {
		return invalid(rt, "definition", "store.err.detail", "Detail", err)
	}
	if def.ID != r.ProgramID || def.Version != r.Version {
		return invalid(rt, "definition", "store.err.describes_version_version", "ID", def.ID, "Version", def.Version, "WantID", r.ProgramID, "WantVersion", r.Version)
	}
	known := func(id string) bool {
		_, err := im.instrument(id, 0)
		return err == nil
	}
	if probs := programs.ValidateStored(&programs.Bundle{Docs: []*programs.Document{{Kind: "program", Program: &def}}}, known); len(probs) > 0 {
		return invalid(rt, "definition", "store.err.detail", "Detail", probs[0].Msg)
	}
	if h := programHash(def); h != r.Hash {
		return invalid(rt, "hash", "store.err.does_match_definition_expected", "H", h)
	}
	r.Definition, _ = json.Marshal(def)
	r.Title, r.Language = def.Title, def.Language
	im.programs[r.ID] = &def
	return nil
}

// resolveProgram lets a hand-written file name the program version as
// "program_id@version" instead of the stored version's id.
func (im *importer) resolveProgram(e *Enrollment) error {
	pid, v, ok := strings.Cut(e.ProgramVersionID, "@")
	if !ok {
		return nil
	}
	var id string
	err := im.t.tx.QueryRowContext(im.t.ctx, "SELECT id FROM program_versions WHERE program_id = ? AND version = ?", pid, v).Scan(&id)
	if err != nil {
		return invalid("enrollment", "program_version_id", "store.err.no_stored_program_version", "ProgramVersionID", e.ProgramVersionID)
	}
	e.ProgramVersionID = id
	return nil
}

func strictJSON(raw json.RawMessage, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return &Error{Kind: ErrInvalid, Msg: jsonMsg(err)}
	}
	return nil
}
