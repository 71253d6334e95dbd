// Package i18n is polku's languages: the message catalogs (Finnish,
// Swedish, English, embedded in the binary, with CLDR plural rules through
// go-i18n), the choice of a person's language, and the forms of dates,
// times, numbers and sorting in each language.
//
// A message is looked up by id (`queue.reason.feedback_due`) with named
// arguments; a message with a Count argument picks its plural form by the
// language's rules. Catalog files are catalog/<area>.<lang>.yaml, one area
// per part of polku (tui, cli, store, format), so that each part keeps its
// own sentences; every id exists in every language (the tests check it).
//
// Code that builds a sentence far from the person who reads it (the store
// writing a queue reason) returns a Message, an id with its arguments, and
// the edge that knows the reader renders it with a Printer.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// The languages polku speaks. English is the fallback.
const (
	EN = "en"
	FI = "fi"
	SV = "sv"
)

// Languages lists the supported languages, English first.
func Languages() []string { return []string{EN, FI, SV} }

//go:embed catalog/*.yaml
var catalogFiles embed.FS

// Catalogs is the embedded catalog files, for tests and tools.
func Catalogs() fs.FS { return catalogFiles }

// catalog is the parsed catalogs: immutable once built, shared by every
// Printer.
type catalog struct {
	bundle *goi18n.Bundle
	ids    map[string]map[string]*goi18n.Message // lang -> id -> message
}

// loadCatalog parses every language (the tests, IDs); a Printer parses
// only its own language and English (catalogFor), so that a person's
// start-up pays for one translation, not all of them.
var loadCatalog = sync.OnceValues(func() (*catalog, error) { return parseCatalogs(catalogFiles) })

var langCatalogs = map[string]func() (*catalog, error){
	EN: sync.OnceValues(func() (*catalog, error) { return parseCatalogs(catalogFiles, EN) }),
	FI: sync.OnceValues(func() (*catalog, error) { return parseCatalogs(catalogFiles, EN, FI) }),
	SV: sync.OnceValues(func() (*catalog, error) { return parseCatalogs(catalogFiles, EN, SV) }),
}

// catalogFor is the catalogs of lang and English.
func catalogFor(lang string) (*catalog, error) { return langCatalogs[lang]() }

// partial caches the catalogs of a language without some areas
// (NewExcept), by language and areas.
var partial = struct {
	sync.Mutex
	m map[string]func() (*catalog, error)
}{m: map[string]func() (*catalog, error){}}

// catalogExcept is the catalogs of lang and English without the areas
// named.
func catalogExcept(lang string, areas []string) (*catalog, error) {
	key := lang + "/" + strings.Join(areas, ",")
	partial.Lock()
	f, ok := partial.m[key]
	if !ok {
		f = sync.OnceValues(func() (*catalog, error) { return parseCatalogsExcept(catalogFiles, areas, EN, lang) })
		partial.m[key] = f
	}
	partial.Unlock()
	return f()
}

// parseCatalogs parses the catalog files of langs (every language when
// none is named).
func parseCatalogs(fsys fs.FS, langs ...string) (*catalog, error) {
	return parseCatalogsExcept(fsys, nil, langs...)
}

// parseCatalogsExcept parses the catalog files of langs but not those of
// the areas named.
func parseCatalogsExcept(fsys fs.FS, skip []string, langs ...string) (*catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	c := &catalog{bundle: b, ids: map[string]map[string]*goi18n.Message{}}
	names, err := fs.Glob(fsys, "catalog/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		lang, err := fileLang(name)
		if err != nil {
			return nil, err
		}
		if len(langs) > 0 && !slices.Contains(langs, lang) {
			continue
		}
		if area, _, _ := strings.Cut(path.Base(name), "."); slices.Contains(skip, area) {
			continue
		}
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if c.ids[lang] == nil {
			c.ids[lang] = map[string]*goi18n.Message{}
		}
		for _, m := range mf.Messages {
			if _, dup := c.ids[lang][m.ID]; dup {
				return nil, fmt.Errorf("%s: message %q is defined twice in %s", name, m.ID, lang)
			}
			c.ids[lang][m.ID] = m
		}
	}
	return c, nil
}

// fileLang is the language of catalog/<area>.<lang>.yaml.
func fileLang(name string) (string, error) {
	parts := strings.Split(strings.TrimSuffix(path.Base(name), ".yaml"), ".")
	if len(parts) != 2 {
		return "", fmt.Errorf("%s: a catalog file is named <area>.<lang>.yaml", name)
	}
	for _, l := range Languages() {
		if parts[1] == l {
			return l, nil
		}
	}
	return "", fmt.Errorf("%s: %q is not a language polku speaks (%s)", name, parts[1], strings.Join(Languages(), ", "))
}

// IDs lists the message ids of a language's catalogs, sorted.
func IDs(lang string) []string {
	c, err := loadCatalog()
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(c.ids[lang]))
	for id := range c.ids[lang] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// CatalogError is the error of parsing the embedded catalogs, nil when they
// parse (the tests check it; New falls back to ids when they do not).
func CatalogError() error {
	_, err := loadCatalog()
	return err
}
