package demo

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"polku/store/riskphrase"
)

// shape walks a bank value and reports, by path, what must be equal in
// every language: a map's keys, a slice's length; and each text, which
// must not be empty.
func shape(path string, v reflect.Value, keys map[string]string, text func(path, s string)) {
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			shape(path+"."+t.Field(i).Name, v.Field(i), keys, text)
		}
	case reflect.Map:
		var ks []string
		for _, k := range v.MapKeys() {
			ks = append(ks, k.String())
		}
		sort.Strings(ks)
		keys[path] = "keys " + strings.Join(ks, ",")
		for _, k := range ks {
			shape(path+"["+k+"]", v.MapIndex(reflect.ValueOf(k)), keys, text)
		}
	case reflect.Slice, reflect.Array:
		keys[path] = fmt.Sprintf("len %d", v.Len())
		for i := 0; i < v.Len(); i++ {
			shape(fmt.Sprintf("%s[%d]", path, i), v.Index(i), keys, text)
		}
	case reflect.String:
		text(path, v.String())
	}
}

// Every bank exists in every language with the same keys and as many
// entries, every text is written (none empty, none left in English), and
// the templates take the same arguments.
func TestEveryBankInEveryLanguage(t *testing.T) {
	texts := map[string]map[string]string{}
	shapes := map[string]map[string]string{}
	for _, lang := range Languages {
		b, ok := banks[lang]
		if !ok {
			t.Fatalf("no bank for %s", lang)
		}
		shapes[lang], texts[lang] = map[string]string{}, map[string]string{}
		shape("bank", reflect.ValueOf(*b), shapes[lang], func(path, s string) {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", lang, path)
			}
			texts[lang][path] = s
		})
	}
	if len(texts["en"]) < 300 {
		t.Fatalf("the English bank has only %d texts: the walk misses fields", len(texts["en"]))
	}
	for _, lang := range Languages[:2] {
		for path, want := range shapes["en"] {
			if got := shapes[lang][path]; got != want {
				t.Errorf("%s: %s has %s, English %s", lang, path, got, want)
			}
		}
		for path := range shapes[lang] {
			if _, ok := shapes["en"][path]; !ok {
				t.Errorf("%s: %s is not in English", lang, path)
			}
		}
		for path, en := range texts["en"] {
			s, ok := texts[lang][path]
			if !ok {
				t.Errorf("%s: no %s", lang, path)
				continue
			}
			if code := strings.Contains(path, "[_"); code && s != en {
				t.Errorf("%s: %s is a code, %q, and English has %q", lang, path, s, en)
			} else if !code && s == en && len(en) > 3 {
				t.Errorf("%s: %s is the English text %q", lang, path, en)
			}
			for _, arg := range []string{"%[1]s", "%[2]s", "%[3]s"} {
				if strings.Contains(en, arg) != strings.Contains(s, arg) && !(arg == "%[2]s" && strings.Contains(path, "eedback")) {
					t.Errorf("%s: %s uses %s differently from English: %q", lang, path, arg, s)
				}
			}
			if strings.Contains(path, "eedback") && !strings.Contains(s, "%[1]s") {
				t.Errorf("%s: feedback %s does not greet the patient by name: %q", lang, path, s)
			}
		}
	}
}

// The demo's risk messages raise a flag by the phrase list of their own
// language, and nothing else the demo writes matches any list: a flag in
// the demo is always one of its risk cases.
func TestRiskMessagesMatchTheirLanguageOnly(t *testing.T) {
	defaults := riskphrase.Defaults()
	all := riskphrase.MustCompile(defaults)
	for _, lang := range Languages {
		own := riskphrase.MustCompile(map[string][]string{lang: defaults[lang]})
		b := banks[lang]
		if len(b.risk) == 0 {
			t.Errorf("%s: no risk messages", lang)
		}
		for _, m := range b.risk {
			if h, ok := own.Match(m); !ok {
				t.Errorf("%s: the risk message %q matches no phrase of the %s list", lang, m, lang)
			} else if h.Lang != lang {
				t.Errorf("%s: %q matched the %s list", lang, m, h.Lang)
			}
		}
		shape("bank", reflect.ValueOf(*b), map[string]string{}, func(path, s string) {
			if strings.HasPrefix(path, "bank.risk[") {
				return
			}
			if h, ok := all.Match(s); ok {
				t.Errorf("%s: %s %q raises a risk flag (%s list: %q)", lang, path, s, h.Lang, h.Found)
			}
		})
	}
}

// About 80 % of the demo's people speak Finnish, 15 % Swedish and 5 %
// English.
func TestLanguageShares(t *testing.T) {
	count := map[string]int{}
	for r := 0; r < 100; r++ {
		count[languageOf(r)]++
	}
	if count["fi"] != 80 || count["sv"] != 15 || count["en"] != 5 {
		t.Errorf("languageOf shares %v, want fi 80, sv 15, en 5", count)
	}
	ther := map[string]int{}
	for i := 1; i <= 2000; i++ {
		ther[TherapistLanguage(7, i)]++
	}
	if ther["fi"] != 1600 || ther["sv"] != 300 || ther["en"] != 100 {
		t.Errorf("therapists' languages %v of 2000, want 1600/300/100", ther)
	}
	for seed := uint64(0); seed < 40; seed++ {
		sv := 0
		for i := 1; i < 8; i++ {
			if TherapistLanguage(seed, i) == "sv" {
				sv++
			}
		}
		if sv == 0 {
			t.Errorf("seed %d: no Swedish-speaking therapist among the first eight", seed)
		}
	}
	if TherapistLanguage(7, 0) != "fi" || TherapistLanguage(7, 5) != TherapistLanguage(7, 5) {
		t.Error("the demo therapist is not Finnish-speaking, or a seed does not give the same language")
	}
	for _, own := range Languages {
		if l := therapistLanguages(own, false, false); l[0] != own {
			t.Errorf("a %s-speaking therapist speaks %v first", own, l)
		}
	}
}
