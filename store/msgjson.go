package store

import (
	"encoding/json"
	"fmt"
	"time"

	"polku/internal/i18n"
)

// The messages of the store travel as JSON (a remote workbench, the CLI's
// --json): an id and its arguments, each argument tagged with its kind,
// so that the reader's side can render the sentence in its own language
// exactly as a local store would. The form is language-independent: codes,
// numbers and instants, never a rendered sentence.

// wireMsg is a message as JSON.
type wireMsg struct {
	ID   string             `json:"id"`
	Args map[string]wireArg `json:"args,omitempty"`
}

// wireArg is one argument; exactly one of its fields is set.
type wireArg struct {
	Text  *string           `json:"text,omitempty"`
	Int   *int64            `json:"int,omitempty"`
	Num   *float64          `json:"num,omitempty"`
	Prec  int               `json:"prec,omitempty"`
	Day   *time.Time        `json:"day,omitempty"`
	Date  *time.Time        `json:"date,omitempty"`
	Clock *time.Time        `json:"clock,omitempty"`
	Msg   *wireMsg          `json:"msg,omitempty"`
	List  []wireMsg         `json:"list,omitempty"`
	And   []wireMsg         `json:"and,omitempty"`
	Langs map[string]string `json:"langs,omitempty"`
}

func toWire(m i18n.Message) *wireMsg {
	if m.ID == "" {
		return nil
	}
	w := &wireMsg{ID: m.ID}
	if len(m.Args) > 0 {
		w.Args = make(map[string]wireArg, len(m.Args))
		for k, v := range m.Args {
			w.Args[k] = toWireArg(v)
		}
	}
	return w
}

func wireList(ms []i18n.Message) []wireMsg {
	out := make([]wireMsg, 0, len(ms))
	for _, m := range ms {
		if w := toWire(m); w != nil {
			out = append(out, *w)
		} else {
			out = append(out, wireMsg{})
		}
	}
	return out
}

func toWireArg(v any) wireArg {
	var a wireArg
	switch v := v.(type) {
	case string:
		a.Text = &v
	case int:
		n := int64(v)
		a.Int = &n
	case int64:
		a.Int = &v
	case float64:
		a.Num = &v
	case numArg:
		a.Num, a.Prec = &v.v, v.prec
	case dayArg:
		a.Day = &v.t
	case dateArg:
		a.Date = &v.t
	case clockArg:
		a.Clock = &v.t
	case i18n.Message:
		a.Msg = toWire(v)
		if a.Msg == nil {
			s := ""
			a.Text = &s
		}
	case listArg:
		a.List = wireList(v)
	case andArg:
		a.And = wireList(v)
	case langText:
		a.Langs = v
	default:
		s := fmt.Sprint(v)
		a.Text = &s
	}
	return a
}

func fromWire(w *wireMsg) i18n.Message {
	if w == nil {
		return i18n.Message{}
	}
	m := i18n.Message{ID: w.ID}
	if len(w.Args) > 0 {
		m.Args = make(map[string]any, len(w.Args))
		for k, a := range w.Args {
			m.Args[k] = fromWireArg(a)
		}
	}
	return m
}

func fromWireList(ws []wireMsg) []i18n.Message {
	out := make([]i18n.Message, len(ws))
	for i := range ws {
		out[i] = fromWire(&ws[i])
	}
	return out
}

func fromWireArg(a wireArg) any {
	switch {
	case a.Text != nil:
		return *a.Text
	case a.Int != nil:
		return int(*a.Int)
	case a.Num != nil && a.Prec > 0:
		return numArg{*a.Num, a.Prec}
	case a.Num != nil:
		return *a.Num
	case a.Day != nil:
		return dayArg{*a.Day}
	case a.Date != nil:
		return dateArg{*a.Date}
	case a.Clock != nil:
		return clockArg{*a.Clock}
	case a.Msg != nil:
		return fromWire(a.Msg)
	case a.List != nil:
		return listArg(fromWireList(a.List))
	case a.And != nil:
		return andArg(fromWireList(a.And))
	case a.Langs != nil:
		return langText(a.Langs)
	}
	return ""
}

// MarshalJSON writes the reason with its sentence and badge as messages
// (msg, badge_msg) beside the English text.
func (r Reason) MarshalJSON() ([]byte, error) {
	type plain Reason
	return json.Marshal(struct {
		plain
		Msg      *wireMsg `json:"msg,omitempty"`
		BadgeMsg *wireMsg `json:"badge_msg,omitempty"`
	}{plain(r), toWire(r.Msg), toWire(r.BadgeMsg)})
}

// UnmarshalJSON reads a reason written by MarshalJSON, messages included,
// so that Localize renders it in the reader's language.
func (r *Reason) UnmarshalJSON(b []byte) error {
	type plain Reason
	x := struct {
		*plain
		Msg      *wireMsg `json:"msg,omitempty"`
		BadgeMsg *wireMsg `json:"badge_msg,omitempty"`
	}{plain: (*plain)(r)}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	r.Msg, r.BadgeMsg = fromWire(x.Msg), fromWire(x.BadgeMsg)
	return nil
}

// MarshalJSON writes the suggestion with its sentence and notes as
// messages.
func (s ProgramSuggestion) MarshalJSON() ([]byte, error) {
	type plain ProgramSuggestion
	var notes []wireMsg
	if len(s.NoteMsgs) > 0 {
		notes = wireList(s.NoteMsgs)
	}
	return json.Marshal(struct {
		plain
		Msg      *wireMsg  `json:"msg,omitempty"`
		NoteMsgs []wireMsg `json:"note_msgs,omitempty"`
	}{plain(s), toWire(s.Msg), notes})
}

// UnmarshalJSON reads a suggestion written by MarshalJSON.
func (s *ProgramSuggestion) UnmarshalJSON(b []byte) error {
	type plain ProgramSuggestion
	x := struct {
		*plain
		Msg      *wireMsg  `json:"msg,omitempty"`
		NoteMsgs []wireMsg `json:"note_msgs,omitempty"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	s.Msg = fromWire(x.Msg)
	s.NoteMsgs = nil
	if x.NoteMsgs != nil {
		s.NoteMsgs = fromWireList(x.NoteMsgs)
	}
	return nil
}

// MarshalJSON writes the suggestion with its sentence as a message.
func (t TherapistSuggestion) MarshalJSON() ([]byte, error) {
	type plain TherapistSuggestion
	return json.Marshal(struct {
		plain
		Msg *wireMsg `json:"msg,omitempty"`
	}{plain(t), toWire(t.Msg)})
}

// UnmarshalJSON reads a suggestion written by MarshalJSON.
func (t *TherapistSuggestion) UnmarshalJSON(b []byte) error {
	type plain TherapistSuggestion
	x := struct {
		*plain
		Msg *wireMsg `json:"msg,omitempty"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	t.Msg = fromWire(x.Msg)
	return nil
}

// MessageJSON is a message in its JSON form (the form of a reason's msg),
// for an API answer that carries a sentence as data; nil for no message.
func MessageJSON(m i18n.Message) json.RawMessage {
	w := toWire(m)
	if w == nil {
		return nil
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil
	}
	return b
}

// MessageFromJSON reads a message written by MessageJSON.
func MessageFromJSON(b json.RawMessage) (i18n.Message, error) {
	if len(b) == 0 {
		return i18n.Message{}, nil
	}
	var w wireMsg
	if err := json.Unmarshal(b, &w); err != nil {
		return i18n.Message{}, err
	}
	return fromWire(&w), nil
}
