package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// timeLayout is how times are stored: UTC, millisecond precision, fixed
// width so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	return t.UTC(), err
}

// table maps a record struct to its SQL table through `db` struct tags:
// `db:"col"` stores the field as is, `db:"col,json"` as JSON text.
type table struct {
	name    string
	typ     reflect.Type
	cols    []column
	colList string // "a, b, c"
	insert  string
}

type column struct {
	name  string
	index int
	json  bool
}

var (
	timeType    = reflect.TypeOf(time.Time{})
	timePtrType = reflect.TypeOf((*time.Time)(nil))
	rawJSONType = reflect.TypeOf(json.RawMessage(nil))
)

func newTable(name string, sample any) *table {
	t := reflect.TypeOf(sample)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tb := &table{name: name, typ: t}
	var names, marks []string
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("db")
		if tag == "" || tag == "-" {
			continue
		}
		col, opt, _ := strings.Cut(tag, ",")
		tb.cols = append(tb.cols, column{name: col, index: i, json: opt == "json"})
		names = append(names, col)
		marks = append(marks, "?")
	}
	tb.colList = strings.Join(names, ", ")
	tb.insert = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", name, tb.colList, strings.Join(marks, ", "))
	return tb
}

// args returns the column values of a record (pointer or value) in column order.
func (tb *table) args(rec any) ([]any, error) {
	v := reflect.Indirect(reflect.ValueOf(rec))
	out := make([]any, len(tb.cols))
	for i, c := range tb.cols {
		f := v.Field(c.index)
		switch {
		case c.json:
			if f.Kind() == reflect.Map && f.IsNil() {
				out[i] = "{}"
				continue
			}
			if f.Kind() == reflect.Slice && f.IsNil() {
				out[i] = "[]"
				continue
			}
			b, err := json.Marshal(f.Interface())
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", tb.name, c.name, err)
			}
			out[i] = string(b)
		case f.Type() == timeType:
			out[i] = fmtTime(f.Interface().(time.Time))
		case f.Type() == timePtrType:
			if f.IsNil() {
				out[i] = nil
			} else {
				out[i] = fmtTime(*f.Interface().(*time.Time))
			}
		case f.Type() == rawJSONType:
			out[i] = string(f.Bytes())
		case f.Kind() == reflect.Bool:
			if f.Bool() {
				out[i] = 1
			} else {
				out[i] = 0
			}
		default:
			out[i] = f.Interface()
		}
	}
	return out, nil
}

// scanInto reads one row (selected with tb.colList) into dst, a pointer to
// the record struct.
func (tb *table) scanInto(rows interface{ Scan(...any) error }, dst any) error {
	raw := make([]any, len(tb.cols))
	ptrs := make([]any, len(tb.cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return err
	}
	v := reflect.ValueOf(dst).Elem()
	for i, c := range tb.cols {
		if err := setField(v.Field(c.index), raw[i], c.json); err != nil {
			return fmt.Errorf("%s.%s: %w", tb.name, c.name, err)
		}
	}
	return nil
}

func setField(f reflect.Value, raw any, isJSON bool) error {
	if raw == nil {
		f.Set(reflect.Zero(f.Type()))
		return nil
	}
	var s string
	switch x := raw.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case int64:
		switch f.Kind() {
		case reflect.Int, reflect.Int64, reflect.Int32:
			f.SetInt(x)
		case reflect.Bool:
			f.SetBool(x != 0)
		default:
			return fmt.Errorf("cannot store integer in %s", f.Type())
		}
		return nil
	case float64:
		if f.Kind() == reflect.Float64 {
			f.SetFloat(x)
			return nil
		}
		return fmt.Errorf("cannot store float in %s", f.Type())
	default:
		return fmt.Errorf("unexpected column type %T", raw)
	}
	switch {
	case isJSON:
		return json.Unmarshal([]byte(s), f.Addr().Interface())
	case f.Type() == timeType:
		t, err := parseTime(s)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(t))
	case f.Type() == timePtrType:
		t, err := parseTime(s)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(&t))
	case f.Type() == rawJSONType:
		f.SetBytes([]byte(s))
	case f.Kind() == reflect.String:
		f.SetString(s)
	default:
		return fmt.Errorf("cannot store text in %s", f.Type())
	}
	return nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// selectAll runs "SELECT cols FROM table <rest>" and scans every row.
func selectAll[T any](ctx context.Context, q querier, tb *table, rest string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+tb.colList+" FROM "+tb.name+" "+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var rec T
		if err := tb.scanInto(rows, &rec); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// selectOne is selectAll for exactly one row; no row is ErrNotFound.
func selectOne[T any](ctx context.Context, q querier, tb *table, what, id string, rest string, args ...any) (T, error) {
	var zero T
	list, err := selectAll[T](ctx, q, tb, rest+" LIMIT 1", args...)
	if err != nil {
		return zero, err
	}
	if len(list) == 0 {
		return zero, notFound(what, id)
	}
	return list[0], nil
}

// tables: the immutable mapping of every record type to its table.
var tables = struct {
	therapist, program, instrument, patient, referral, enrollment, submission, feedback,
	message, measure, diary, note, riskAck, goAhead, draft, timeSpent, setting, audit, change, event, summary *table
	assessment, notification, service *table
}{
	therapist:    newTable("therapists", Therapist{}),
	program:      newTable("program_versions", ProgramVersion{}),
	instrument:   newTable("instruments", InstrumentVersion{}),
	patient:      newTable("patients", Patient{}),
	referral:     newTable("referrals", Referral{}),
	enrollment:   newTable("enrollments", Enrollment{}),
	submission:   newTable("submissions", Submission{}),
	feedback:     newTable("feedback", Feedback{}),
	message:      newTable("messages", Message{}),
	measure:      newTable("measure_responses", MeasureResponse{}),
	diary:        newTable("diary_entries", DiaryEntry{}),
	note:         newTable("notes", Note{}),
	riskAck:      newTable("risk_acks", RiskAck{}),
	goAhead:      newTable("go_aheads", GoAhead{}),
	draft:        newTable("drafts", Draft{}),
	timeSpent:    newTable("time_spent", TimeSpent{}),
	setting:      newTable("settings", Setting{}),
	audit:        newTable("audit", AuditEntry{}),
	change:       newTable("changes", Change{}),
	event:        newTable("enrollment_events", EnrollmentEvent{}),
	summary:      newTable("summaries", Summary{}),
	assessment:   newTable("referral_assessments", Assessment{}),
	notification: newTable("notifications", Notification{}),
	service:      newTable("services", ServiceVersion{}),
}

// TherapistColumns is a therapist's columns under the table alias a
// ("a.id, a.handle, ..."), for a query that reads a therapist beside
// other columns (the server reads a token and its therapist in one
// query): scan such a row with ScanWithTherapist.
func TherapistColumns(a string) string {
	cols := make([]string, len(tables.therapist.cols))
	for i, c := range tables.therapist.cols {
		cols[i] = a + "." + c.name
	}
	return strings.Join(cols, ", ")
}

// ScanWithTherapist scans a row of the columns lead (pointers, as for
// Scan) followed by TherapistColumns. found is false when the therapist's
// columns are all NULL (an outer join that found no therapist).
func ScanWithTherapist(row interface{ Scan(...any) error }, th *Therapist, lead ...any) (found bool, err error) {
	tb := tables.therapist
	raw := make([]any, len(tb.cols))
	ptrs := append(lead[:len(lead):len(lead)], make([]any, len(tb.cols))...)
	for i := range raw {
		ptrs[len(lead)+i] = &raw[i]
	}
	if err := row.Scan(ptrs...); err != nil {
		return false, err
	}
	for i, c := range tb.cols {
		if c.name == "id" && raw[i] == nil {
			return false, nil
		}
	}
	v := reflect.ValueOf(th).Elem()
	for i, c := range tb.cols {
		if err := setField(v.Field(c.index), raw[i], c.json); err != nil {
			return false, fmt.Errorf("%s.%s: %w", tb.name, c.name, err)
		}
	}
	return true, nil
}
