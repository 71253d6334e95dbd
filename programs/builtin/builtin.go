// Package builtin carries polku's own program and instrument files,
// embedded in the binary: PHQ-9 and GAD-7 (reproduced under Pfizer's
// permission-free terms), two demo scales we wrote (not validated), and
// four programs written for polku.
package builtin

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"polku/programs"
)

//go:embed *.yaml fi/*.yaml sv/*.yaml
var files embed.FS

// FS is the built-in files.
func FS() fs.FS { return files }

// Load parses the built-in files. They are validated by the tests, so a
// problem here is a bug in the build.
func Load() (*programs.Bundle, error) {
	b, probs, err := programs.LoadFS(files, "builtin/")
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("built-in programs do not parse:\n%w", probs)
	}
	return b, nil
}

//go:embed templates/*.yaml
var templateFiles embed.FS

// Templates returns the default feedback templates (fi, sv and en; some
// for one program), parsed once (they are embedded constants; every
// caller gets its own copy of the list). They are validated by the tests.
func Templates() ([]programs.TemplateSet, error) {
	sets, err := parsedTemplates()
	return slices.Clone(sets), err
}

var parsedTemplates = sync.OnceValues(parseTemplates)

func parseTemplates() ([]programs.TemplateSet, error) {
	var sets []programs.TemplateSet
	err := fs.WalkDir(templateFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templateFiles, path)
		if err != nil {
			return err
		}
		docs, probs := programs.ParseTemplates("builtin/"+path, data)
		if len(probs) > 0 {
			return fmt.Errorf("built-in templates do not parse:\n%w", probs)
		}
		for _, d := range docs {
			sets = append(sets, *d.Set)
		}
		return nil
	})
	programs.SortTemplateSets(sets)
	return sets, err
}
