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
)

// Problem is one thing wrong with a program file, at a position.
type Problem struct {
	File string
	Line int
	Col  int
	Msg  string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// Problems is every problem found, in file and line order. It is an error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders problems by file, line and column.
func (ps Problems) Sort() Problems { return ps.sorted() }

func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return ps
}

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

func expand(p string) ([]string, error) {
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such file or folder", p)
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
		err = fmt.Errorf("%s: no .yaml or .yml files in this folder", p)
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
			dc.fail(n, "a document must be a mapping with kind: program or kind: instrument")
			probs = append(probs, dc.probs...)
			continue
		}
		kindNode := mapValue(n, "kind")
		switch {
		case kindNode == nil:
			dc.fail(n, "missing key \"kind\" (program, instrument or service)")
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
			dc.fail(kindNode, "kind must be program, instrument or service, not %q", kindNode.Value)
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
				if strings.HasPrefix(msg, "did not find expected ',' or") {
					msg += ` (inside {...} or [...], put text containing ? : , # [ ] { } in "quotes")`
				}
			}
		}
	}
	return Problem{File: file, Line: line, Col: 1, Msg: "YAML syntax: " + msg}
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
func (d *decoder) failAt(n *yaml.Node, path, format string, args ...any) {
	d.doc.bad[path] = true
	d.fail(n, format, args...)
}

func (d *decoder) fail(n *yaml.Node, format string, args ...any) {
	d.probs = append(d.probs, Problem{File: d.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
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
	name := path
	if name == "" {
		name = "document"
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.failAt(n, path, "%s must be a mapping of keys to values", name)
			return
		}
		fields := yamlFields(v.Type())
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				d.fail(k, "key %q appears twice", k.Value)
				continue
			}
			seen[k.Value] = true
			idx, ok := fields[k.Value]
			if !ok {
				d.fail(k, "unknown key %q in %s (known keys: %s)", k.Value, name, knownKeys(fields))
				continue
			}
			d.decode(val, v.Field(idx), join(path, k.Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.failAt(n, path, "%s must be a list", name)
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, el := range n.Content {
			d.decode(el, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.failAt(n, path, "%s must be text", name)
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.failAt(n, path, "%s must be a whole number, not %s", name, describe(n))
			return
		}
		i, err := strconv.Atoi(n.Value)
		if err != nil {
			d.failAt(n, path, "%s: %q is not a whole number", name, n.Value)
			return
		}
		v.SetInt(int64(i))
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
			d.failAt(n, path, "%s must be a number, not %s", name, describe(n))
			return
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			d.failAt(n, path, "%s: %q is not a number", name, n.Value)
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.failAt(n, path, "%s must be true or false, not %s", name, describe(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		d.failAt(n, path, "%s: unsupported type %s", name, v.Type())
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
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
