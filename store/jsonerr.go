package store

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"polku/internal/i18n"
)

// A JSON value that does not decode (an import line, a setting's value,
// an API body) is told as a message: where it went wrong (the field, the
// byte) in the reader's language, with the decoder's own words ("invalid
// character 'x' looking for beginning of value") kept as the technical
// part, untranslated. The API's English sentences are those it always
// wrote; an import line or a setting now says the byte of a syntax error
// too, as the API does.

// jsonMsg is a JSON decoding error as a store says it (an import line, a
// setting): the field and the types, or the decoder's words.
func jsonMsg(err error) i18n.Message {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		// Drop the embedded record's Go name ("Referral.id" -> "id").
		if head, rest, ok := strings.Cut(field, "."); ok && head != "" && head[0] >= 'A' && head[0] <= 'Z' {
			field = rest
		}
		if field == "" {
			return i18n.Msg("store.err.json.type_value", "Type", te.Type.String(), "Value", te.Value)
		}
		return i18n.Msg("store.err.json.type", "Field", field, "Type", te.Type.String(), "Value", te.Value)
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return i18n.Msg("store.err.json.time", "Value", quote(pe.Value))
	}
	return jsonDetailMsg(err)
}

// jsonDetailMsg is a decoder's error that is neither a wrong type nor a
// time: an unknown field, a syntax error at a byte, or the decoder's
// words as they are.
func jsonDetailMsg(err error) i18n.Message {
	text := strings.TrimPrefix(err.Error(), "json: ")
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return i18n.Msg("store.err.json.syntax", "Offset", int(se.Offset), "Detail", text)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return i18n.Msg("store.err.json.end")
	}
	if f, ok := strings.CutPrefix(text, "unknown field "); ok {
		if name, err := strconv.Unquote(f); err == nil {
			return i18n.Msg("store.err.json.unknown_field", "Field", quote(name))
		}
	}
	return i18n.Msg("store.err.json.detail", "Detail", text)
}

// cleanJSONError is a JSON decoding error in English words without Go's
// type names of the embedded records (jsonMsg in English).
func cleanJSONError(err error) string { return englishText(jsonMsg(err)) }

// JSONBodyError is a request body's decoding error told as a message, as
// the API says it (store.err.json.*): an empty body, a syntax error at a
// byte, a field of a wrong type, a bad time, an unknown field, or data
// after the value. It is an invalid-input store error.
func JSONBodyError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	var m i18n.Message
	switch {
	case errors.Is(err, io.EOF):
		m = i18n.Msg("store.err.json.empty_body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		m = i18n.Msg("store.err.json.end")
	case errors.As(err, &se):
		m = i18n.Msg("store.err.json.syntax", "Offset", int(se.Offset), "Detail", strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te) && te.Field == "":
		m = i18n.Msg("store.err.json.body_type", "Type", te.Type.String(), "Value", te.Value)
	case errors.As(err, &te):
		m = i18n.Msg("store.err.json.type", "Field", te.Field, "Type", te.Type.String(), "Value", te.Value)
	case errors.As(err, &pe):
		m = i18n.Msg("store.err.json.body_time", "Value", quote(pe.Value))
	default:
		m = jsonDetailMsg(err)
	}
	return &Error{Kind: ErrInvalid, Msg: m}
}

// ErrJSONTrailing is a request body with data after its JSON value.
var ErrJSONTrailing error = &Error{Kind: ErrInvalid, Msg: i18n.Msg("store.err.json.trailing")}
