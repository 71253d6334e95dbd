package programs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"polku/internal/i18n"
)

// Feedback templates: openings and closings a therapist inserts into
// feedback and messages, per language and, optionally, per program. A
// template file holds one or more documents of kind: templates; each is
// the set of one language (and one program, or every program):
//
//	kind: templates
//	language: fi
//	program: gad            # optional: only for this program
//	templates:
//	  - name: kiitos
//	    body: |
//	      Hei {first_name},
//
//	      kiitos harjoituksesta {exercise}.
//
// The variables are filled in when the template is inserted.

// TemplateSet is the templates of one language, for one program or ("")
// for every program.
type TemplateSet struct {
	Kind      string     `yaml:"kind" json:"-"`
	Language  string     `yaml:"language" json:"language"`
	Program   string     `yaml:"program,omitempty" json:"program,omitempty"`
	Templates []Template `yaml:"templates" json:"templates"`
}

// Template is one feedback template.
type Template struct {
	Name string `yaml:"name" json:"name"`
	Body string `yaml:"body" json:"body"`
}

// TemplateVars are the variables a template may use, in braces.
var TemplateVars = []string{"first_name", "module", "exercise", "therapist", "score_change"}

var templateVarRE = regexp.MustCompile(`\{([A-Za-z0-9_]*)\}`)

// TemplateDoc is one parsed templates document with its positions.
type TemplateDoc struct {
	Set *TemplateSet
	doc *Document
}

// Pos is where the document starts.
func (t *TemplateDoc) Pos() Pos { return t.doc.Pos }

// At is the position of a path in the document (see Document.At).
func (t *TemplateDoc) At(path string) Pos { return t.doc.At(path) }

// ParseTemplates parses one template file's documents and validates
// each: problems come back with file:line:col.
func ParseTemplates(file string, data []byte) ([]*TemplateDoc, Problems) {
	var out []*TemplateDoc
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
		d := &Document{Kind: "templates", Pos: Pos{file, n.Line, n.Column}, positions: map[string]Pos{}, bad: map[string]bool{}}
		dc := &decoder{file: file, doc: d}
		if n.Kind != yaml.MappingNode {
			dc.fail(n, i18n.Msg("programs.err.templates_not_mapping"))
			probs = append(probs, dc.probs...)
			continue
		}
		if k := mapValue(n, "kind"); k == nil || k.Value != "templates" {
			at := n
			if k != nil {
				at = k
			}
			dc.fail(at, i18n.Msg("programs.err.templates_kind"))
			probs = append(probs, dc.probs...)
			continue
		}
		set := &TemplateSet{}
		dc.decode(n, reflect.ValueOf(set).Elem(), "")
		probs = append(probs, dc.probs...)
		td := &TemplateDoc{Set: set, doc: d}
		if len(dc.probs) == 0 {
			td.check(&probs)
		}
		out = append(out, td)
	}
	return out, probs
}

// LoadTemplates reads template files and checks them together: a
// language and program may have one set across all of them.
func LoadTemplates(paths ...string) ([]*TemplateDoc, Problems, error) {
	var docs []*TemplateDoc
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
			ds, ps := ParseTemplates(f, data)
			docs = append(docs, ds...)
			probs = append(probs, ps...)
		}
	}
	first := map[string]*TemplateDoc{}
	for _, d := range docs {
		k := d.Set.Language + "/" + d.Set.Program
		if prev, dup := first[k]; dup {
			p := d.At("language")
			probs = append(probs, problem(p, i18n.Msg("programs.err.templates_twice", "Set", setName(d.Set), "First", fmt.Sprintf("%s:%d", prev.Pos().File, prev.Pos().Line))))
			continue
		}
		first[k] = d
	}
	return docs, probs.sorted(), nil
}

func setName(s *TemplateSet) i18n.Message {
	if s.Program == "" {
		return i18n.Msg("programs.err.set_every", "Lang", s.Language)
	}
	return i18n.Msg("programs.err.set_program", "Lang", s.Language, "Program", s.Program)
}

func (t *TemplateDoc) check(probs *Problems) {
	c := checker{doc: t.doc, probs: probs}
	s := t.Set
	c.plainText(reflect.ValueOf(s).Elem(), "")
	if c.required("language", s.Language == "") && !validLanguage(s.Language) {
		c.at("language", i18n.Msg("programs.err.bad_language", "Allowed", list(Languages), "Value", q(s.Language)))
	}
	if s.Program != "" && !slugRE.MatchString(s.Program) {
		c.at("program", i18n.Msg("programs.err.bad_template_program", "Value", q(s.Program)))
	}
	if !c.required("templates", len(s.Templates) == 0) {
		return
	}
	names := map[string]int{}
	for i, tp := range s.Templates {
		p := fmt.Sprintf("templates[%d]", i)
		if c.required(p+".name", strings.TrimSpace(tp.Name) == "") {
			if prev, dup := names[tp.Name]; dup {
				c.at(p+".name", i18n.Msg("programs.err.dup_template", "Name", q(tp.Name), "Other", fmt.Sprintf("templates[%d]", prev)))
			}
			names[tp.Name] = i
		}
		if c.required(p+".body", strings.TrimSpace(tp.Body) == "") {
			for _, m := range templateVarRE.FindAllStringSubmatch(tp.Body, -1) {
				if !oneOf(m[1], TemplateVars) {
					c.at(p+".body", i18n.Msg("programs.err.unknown_variable", "Name", "{"+m[1]+"}", "Vars", "{"+strings.Join(TemplateVars, "}, {")+"}"))
				}
			}
		}
	}
}

// TemplateValues are the values of the template variables.
type TemplateValues struct {
	FirstName string
	Module    string
	Exercise  string
	Therapist string
	// ScoreChange is the validated scales' change since the baseline in
	// the patient's language ("GAD-7 15 → 10").
	ScoreChange string
}

// Expand fills a template's variables in. A variable without a value
// becomes nothing, and the space or quotes around it go too, so that "Hei
// {first_name}," reads "Hei," rather than leaving the braces.
func (v TemplateValues) Expand(body string) string {
	vals := map[string]string{"first_name": v.FirstName, "module": v.Module, "exercise": v.Exercise, "therapist": v.Therapist,
		"score_change": v.ScoreChange}
	out := templateVarRE.ReplaceAllStringFunc(body, func(m string) string {
		name := m[1 : len(m)-1]
		if val, ok := vals[name]; ok {
			if val == "" {
				return "\x00"
			}
			return val
		}
		return m
	})
	if !strings.Contains(out, "\x00") {
		return out
	}
	for _, empty := range []string{" '\x00'", " \"\x00\"", " «\x00»", " ”\x00”", " \x00", "\x00"} {
		out = strings.ReplaceAll(out, empty, "")
	}
	return out
}

// SortTemplateSets orders sets by language, then every-program first,
// then by program id.
func SortTemplateSets(sets []TemplateSet) {
	sort.SliceStable(sets, func(i, j int) bool {
		a, b := sets[i], sets[j]
		if a.Language != b.Language {
			return a.Language < b.Language
		}
		return a.Program < b.Program
	})
}

// MarshalTemplates writes sets as a template file (one document each),
// which ParseTemplates reads back to the same sets.
func MarshalTemplates(sets []TemplateSet) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	for _, s := range sets {
		s.Kind = "templates"
		if err := enc.Encode(templateDoc(s)); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// templateDoc puts kind first and writes bodies as literal blocks.
func templateDoc(s TemplateSet) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
	}
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
	add("kind", str("templates"))
	add("language", str(s.Language))
	if s.Program != "" {
		add("program", str(s.Program))
	}
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, t := range s.Templates {
		body := str(t.Body)
		if strings.Contains(t.Body, "\n") {
			body.Style = yaml.LiteralStyle
		} else {
			body.Style = yaml.DoubleQuotedStyle
		}
		list.Content = append(list.Content, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("name"), str(t.Name), str("body"), body}})
	}
	add("templates", list)
	return m
}
