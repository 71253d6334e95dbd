package programs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"polku/internal/i18n"
)

// Pos is a position in a file.
type Pos struct {
	File string
	Line int
	Col  int
}

// Document is one parsed YAML document: a program or an instrument, with
// the position of every key so that later checks can point at it.
type Document struct {
	Kind       string
	Program    *Program
	Instrument *Instrument
	Service    *Service
	Pos        Pos
	positions  map[string]Pos
	bad        map[string]bool // paths whose value did not decode
}

// ID is the program's or instrument's id.
func (d *Document) ID() string {
	if d.Program != nil {
		return d.Program.ID
	}
	if d.Instrument != nil {
		return d.Instrument.ID
	}
	if d.Service != nil {
		return d.Service.ID
	}
	return ""
}

// At returns the position of a path such as "modules[1].exercises[0].instrument",
// or of its nearest parent that has one.
func (d *Document) At(path string) Pos {
	for {
		if p, ok := d.positions[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return d.Pos
		}
		path = path[:i]
	}
}

// Bundle is a set of documents read together, e.g. for one import.
type Bundle struct {
	Docs []*Document
}

// Programs returns the bundle's programs in file order, each with its
// translations in the bundle attached (translations are not listed).
func (b *Bundle) Programs() []*Program {
	b.Link()
	var out []*Program
	for _, d := range b.Docs {
		if d.Program != nil && !d.IsTranslation() {
			out = append(out, d.Program)
		}
	}
	return out
}

// Instruments returns the bundle's instruments in file order, each with
// its translations in the bundle attached.
func (b *Bundle) Instruments() []*Instrument {
	b.Link()
	var out []*Instrument
	for _, d := range b.Docs {
		if d.Instrument != nil && !d.IsTranslation() {
			out = append(out, d.Instrument)
		}
	}
	return out
}

// Translations counts the bundle's translation documents.
func (b *Bundle) Translations() int {
	n := 0
	for _, d := range b.Docs {
		if d.IsTranslation() {
			n++
		}
	}
	return n
}

// Load reads files and folders (recursively, *.yaml and *.yml) and parses
// every document. Problems of syntax and shape are returned together; the
// bundle holds whatever parsed.
func Load(paths ...string) (*Bundle, Problems, error) {
	b := &Bundle{}
	var probs Problems
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, err
			}
			docs, ps := Parse(f, data)
			b.Docs = append(b.Docs, docs...)
			probs = append(probs, ps...)
		}
	}
	return b, probs.sorted(), nil
}

// LoadFS parses every *.yaml file of an fs.FS (the built-in content).
func LoadFS(fsys fs.FS, prefix string) (*Bundle, Problems, error) {
	b := &Bundle{}
	var probs Problems
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isYAML(path) {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		docs, ps := Parse(prefix+path, data)
		b.Docs = append(b.Docs, docs...)
		probs = append(probs, ps...)
		return nil
	})
	return b, probs.sorted(), err
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// PathError is a file or folder named to Load or LoadTemplates that
// cannot be read as one: its message as data, like a Problem's, so that
// the command line says it in the reader's language.
type PathError struct {
	Path    string
	Message i18n.Message
}

func (e *PathError) Error() string { return e.Path + ": " + render(english(), e.Message) }

// Localized is the error in p's language.
func (e *PathError) Localized(p *i18n.Printer) string { return e.Path + ": " + render(p, e.Message) }

func expand(p string) ([]string, error) {
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &PathError{Path: p, Message: i18n.Msg("programs.err.no_such_path")}
	}
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isYAML(path) {
			files = append(files, path)
		}
		return nil
	})
	if err == nil && len(files) == 0 {
		err = &PathError{Path: p, Message: i18n.Msg("programs.err.no_yaml_files")}
	}
	return files, err
}

// Parse parses one file's documents.
func Parse(file string, data []byte) ([]*Document, Problems) {
	var docs []*Document
	var probs Problems
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, syntaxProblem(file, err))
			break
		}
		if len(root.Content) == 0 {
			continue
		}
		n := root.Content[0]
		d := &Document{Pos: Pos{file, n.Line, n.Column}, positions: map[string]Pos{}, bad: map[string]bool{}}
		dc := &decoder{file: file, doc: d}
		if n.Kind != yaml.MappingNode {
			dc.fail(n, i18n.Msg("programs.err.doc_not_mapping"))
			probs = append(probs, dc.probs...)
			continue
		}
		kindNode := mapValue(n, "kind")
		switch {
		case kindNode == nil:
			dc.fail(n, i18n.Msg("programs.err.no_kind"))
		case kindNode.Value == "program":
			d.Kind, d.Program = "program", &Program{}
			dc.decode(n, reflect.ValueOf(d.Program).Elem(), "")
		case kindNode.Value == "instrument":
			d.Kind, d.Instrument = "instrument", &Instrument{}
			dc.decode(n, reflect.ValueOf(d.Instrument).Elem(), "")
		case kindNode.Value == "templates":
			continue // a feedback template file: 'polku templates import' reads it (templates.go)
		case kindNode.Value == "service":
			d.Kind, d.Service = "service", &Service{}
			dc.decode(n, reflect.ValueOf(d.Service).Elem(), "")
		default:
			dc.fail(kindNode, i18n.Msg("programs.err.bad_kind", "Value", q(kindNode.Value)))
		}
		probs = append(probs, dc.probs...)
		if d.Kind != "" {
			docs = append(docs, d)
		}
	}
	return docs, probs
}

func syntaxProblem(file string, err error) Problem {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if strings.HasPrefix(msg, "line ") {
		rest := msg[len("line "):]
		if i := strings.Index(rest, ":"); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line = n
				msg = strings.TrimSpace(rest[i+1:])
				// the YAML parser counts lines from 0 for these two errors; both point
				// at the start of the construct that is not closed properly.
				if strings.HasPrefix(msg, "did not find expected") || strings.HasPrefix(msg, "found a tab character") {
					line++
				}
			}
		}
	}
	return problem(Pos{file, line, 1}, yamlMessage(msg))
}

// yamlSyntax is the YAML parser's own sentences (English, from
// go.yaml.in/yaml) that polku says in the reader's language; any other is
// shown as the parser says it, inside programs.err.yaml.unknown.
var yamlSyntax = map[string]i18n.Message{
	"did not find expected key":                                    i18n.Msg("programs.err.yaml.expected_key"),
	"did not find expected node content":                           i18n.Msg("programs.err.yaml.expected_node"),
	"did not find expected '-' indicator":                          i18n.Msg("programs.err.yaml.expected_dash"),
	"did not find expected comment or line break":                  i18n.Msg("programs.err.yaml.expected_line_break"),
	"could not find expected ':'":                                  i18n.Msg("programs.err.yaml.expected_colon"),
	"mapping values are not allowed in this context":               i18n.Msg("programs.err.yaml.mapping_values"),
	"block sequence entries are not allowed in this context":       i18n.Msg("programs.err.yaml.block_sequence"),
	"found character that cannot start any token":                  i18n.Msg("programs.err.yaml.bad_start"),
	"found a tab character that violates indentation":              i18n.Msg("programs.err.yaml.tab_indent"),
	"found a tab character where an indentation space is expected": i18n.Msg("programs.err.yaml.tab_space"),
	"found unexpected end of stream":                               i18n.Msg("programs.err.yaml.end_of_stream"),
	"found unknown escape character":                               i18n.Msg("programs.err.yaml.escape"),
	"control characters are not allowed":                           i18n.Msg("programs.err.yaml.control"),
	"invalid leading UTF-8 octet":                                  i18n.Msg("programs.err.yaml.utf8", "Detail", "invalid leading UTF-8 octet"),
	"invalid trailing UTF-8 octet":                                 i18n.Msg("programs.err.yaml.utf8", "Detail", "invalid trailing UTF-8 octet"),
	"incomplete UTF-8 octet sequence":                              i18n.Msg("programs.err.yaml.utf8", "Detail", "incomplete UTF-8 octet sequence"),
	"did not find expected ',' or ']'":                             i18n.Msg("programs.err.yaml.flow_unclosed", "Close", "]"),
	"did not find expected ',' or '}'":                             i18n.Msg("programs.err.yaml.flow_unclosed", "Close", "}"),
}

func yamlMessage(msg string) i18n.Message {
	if m, ok := yamlSyntax[msg]; ok {
		return m
	}
	if rest, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		if name, ok := strings.CutSuffix(rest, "' referenced"); ok {
			return i18n.Msg("programs.err.yaml.anchor", "Name", name)
		}
	}
	return i18n.Msg("programs.err.yaml.unknown", "Detail", msg)
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// decoder decodes a yaml.Node into a struct strictly, recording every
// problem with its position instead of stopping at the first.
type decoder struct {
	file  string
	doc   *Document
	probs Problems
}

// failAt records a problem with the value at path; later checks of that
// path stay quiet, so one mistake is reported once.
func (d *decoder) failAt(n *yaml.Node, path string, m i18n.Message) {
	d.doc.bad[path] = true
	d.fail(n, m)
}

func (d *decoder) fail(n *yaml.Node, m i18n.Message) {
	d.probs = append(d.probs, problem(Pos{d.file, n.Line, n.Column}, m))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.doc.positions[path] = Pos{d.file, n.Line, n.Column}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value: left at its zero value, required checks report it
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.failAt(n, path, i18n.Msg("programs.err.not_mapping", "Path", pathArg(path)))
			return
		}
		fields := yamlFields(v.Type())
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				d.fail(k, i18n.Msg("programs.err.key_twice", "Key", q(k.Value)))
				continue
			}
			seen[k.Value] = true
			idx, ok := fields[k.Value]
			if !ok {
				d.fail(k, i18n.Msg("programs.err.unknown_key", "Key", q(k.Value), "Path", pathArg(path), "Known", knownKeys(fields)))
				continue
			}
			d.decode(val, v.Field(idx), join(path, k.Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.failAt(n, path, i18n.Msg("programs.err.not_list", "Path", pathArg(path)))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, el := range n.Content {
			d.decode(el, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.failAt(n, path, i18n.Msg("programs.err.not_text", "Path", pathArg(path)))
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.failAt(n, path, i18n.Msg("programs.err.not_int", "Path", pathArg(path), "Value", describe(n)))
			return
		}
		i, err := strconv.Atoi(n.Value)
		if err != nil {
			d.failAt(n, path, i18n.Msg("programs.err.bad_int", "Path", pathArg(path), "Value", q(n.Value)))
			return
		}
		v.SetInt(int64(i))
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
			d.failAt(n, path, i18n.Msg("programs.err.not_number", "Path", pathArg(path), "Value", describe(n)))
			return
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			d.failAt(n, path, i18n.Msg("programs.err.bad_number", "Path", pathArg(path), "Value", q(n.Value)))
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.failAt(n, path, i18n.Msg("programs.err.not_bool", "Path", pathArg(path), "Value", describe(n)))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		d.failAt(n, path, i18n.Msg("programs.err.unsupported_type", "Path", pathArg(path), "Type", v.Type().String()))
	}
}

// describe is what a value is, for a message: a mapping, a list, or the
// value in quotes.
func describe(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		return i18n.Msg("programs.err.got_mapping")
	case yaml.SequenceNode:
		return i18n.Msg("programs.err.got_list")
	}
	return q(n.Value)
}

func yamlFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	return m
}

func knownKeys(fields map[string]int) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
