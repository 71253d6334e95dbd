package store_test

import (
	"context"
	"strings"
	"testing"

	"polku/programs"
	"polku/store"
)

func names(ts []programs.Template) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return strings.Join(out, ",")
}

func TestTemplatesPerLanguageAndProgram(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, c := range []struct{ program, lang, want string }{
		{"insomnia", "fi", "unipäiväkirja,kiitos,pisteet,jatka,lopuksi"},
		{"gad", "fi", "kiitos,pisteet,jatka,lopuksi"},
		{"gad", "sv", "tack,poäng,fortsätt,avslutning"},
		{"insomnia", "en", "sleep diary,thanks,scores,keep going,sign-off"},
		{"", "de", "thanks,scores,keep going,sign-off"},
	} {
		got, err := f.db.TemplatesFor(ctx, c.program, c.lang)
		if err != nil || names(got) != c.want {
			t.Errorf("TemplatesFor(%q, %q) = %s, %v; want %s", c.program, c.lang, names(got), err, c.want)
		}
	}
	// The record carries the templates of the patient's program and language.
	rec, err := f.db.PatientRecord(ctx, f.actor, f.patient.ID, "overview")
	if err != nil {
		t.Fatal(err)
	}
	if names(rec.Templates) != "kiitos,pisteet,jatka,lopuksi" {
		t.Errorf("a Finnish-speaking gad patient's record offers %s", names(rec.Templates))
	}

	gadSV := programs.TemplateSet{Language: "sv", Program: "gad", Templates: []programs.Template{{Name: "oro", Body: "Hej {first_name}, bra jobbat med oroslistan."}}}
	res, err := f.db.ImportTemplates(ctx, sys, []programs.TemplateSet{gadSV}, true)
	if err != nil || len(res) != 1 || res[0].Status != store.TemplatesNew {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	if _, _, stored, _ := f.db.TemplateSets(ctx); stored {
		t.Fatal("the dry run stored the templates")
	}
	if _, err := f.db.ImportTemplates(ctx, sys, []programs.TemplateSet{gadSV}, false); err != nil {
		t.Fatal(err)
	}
	got, _ := f.db.TemplatesFor(ctx, "gad", "sv")
	if names(got) != "oro,tack,poäng,fortsätt,avslutning" {
		t.Errorf("after the import: %s", names(got))
	}
	if res, err := f.db.ImportTemplates(ctx, sys, []programs.TemplateSet{gadSV}, false); err != nil || res[0].Status != store.TemplatesUnchanged {
		t.Errorf("re-import: %+v %v", res, err)
	}
	gadSV.Templates[0].Body += " Fortsätt så."
	if res, err := f.db.ImportTemplates(ctx, sys, []programs.TemplateSet{gadSV}, false); err != nil || res[0].Status != store.TemplatesChanged {
		t.Errorf("changed: %+v %v", res, err)
	}
	if _, err := f.db.ImportTemplates(ctx, sys, []programs.TemplateSet{{Language: "fi", Program: "nope", Templates: gadSV.Templates}}, false); err == nil {
		t.Error("templates for a program that is not stored were imported")
	}
	// Whoever writes the setting, it is checked like a file.
	_, version, _, _ := f.db.TemplateSets(ctx)
	bad := []programs.TemplateSet{{Language: "fi", Templates: []programs.Template{{Name: "x", Body: "Hei {nimi}\x1b[2J"}}}}
	if err := f.db.SetSetting(ctx, sys, store.SettingTemplates, bad, version); err == nil {
		t.Error("a template with a control character and an unknown variable was stored")
	}
}
