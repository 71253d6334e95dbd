package store

import (
	"strings"
	"testing"

	"polku/internal/i18n"
	"polku/store/riskphrase"
)

// TestReasonsRenderInEveryLanguage: the reasons the rules write, rendered
// in English from their messages, read as their English text word for
// word; in Finnish and Swedish they take the plural form their counts ask
// for and format dates the language's way.
func TestReasonsRenderInEveryLanguage(t *testing.T) {
	fi, sv, en := i18n.New(i18n.FI), i18n.New(i18n.SV), i18n.New(i18n.EN)
	for _, c := range []struct {
		name     string
		now      string
		build    func(w *ruleWorld) []Reason
		fi, sv   string // in the text
		fiBadge  string
		svBadge  string
		notFi    string // not in the Finnish text (the wrong plural form)
		notSv    string
		wantCode string
	}{
		{name: "feedback one day over", now: "2026-11-19 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-02")
			f.submitted = []triageSub{{id: "s1", exercise: "my-goals", at: helsinki("2026-11-16 10:00")}}
			return feedbackReasons(f, &w.env)
		}, fi: "palautettu 16.11., 3 työpäivää sitten: lupaus (2 työpäivää) ylittynyt 1 työpäivällä",
			sv:      "inlämnad 16.11., för 3 arbetsdagar sedan: 1 arbetsdag över löftet om 2 arbetsdagar",
			fiBadge: "PAL 3pv!", svBadge: "ÅTF 3d!", notSv: "1 arbetsdagar", wantCode: ReasonFeedbackOverdue},
		{name: "feedback over since this morning", now: "2026-11-18 15:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-02")
			f.submitted = []triageSub{{id: "s1", exercise: "my-goals", at: helsinki("2026-11-16 10:00")}}
			return feedbackReasons(f, &w.env)
		}, fi: "2 työpäivää sitten: lupaus (2 työpäivää) ylittynyt tänään klo 10.00 alkaen",
			sv: "för 2 arbetsdagar sedan: över löftet om 2 arbetsdagar sedan i dag kl. 10.00", wantCode: ReasonFeedbackOverdue},
		{name: "feedback due today", now: "2026-11-25 09:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-02")
			f.submitted = []triageSub{{id: "s1", exercise: "my-goals", at: helsinki("2026-11-23 10:00")}}
			return feedbackReasons(f, &w.env)
		}, fi: "palaute tänään klo 10.00 mennessä", sv: "återkoppling i dag senast kl. 10.00", fiBadge: "PAL 1pv", svBadge: "ÅTF 1d", wantCode: ReasonFeedbackDue},
		{name: "one message", now: "2026-11-24 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-02")
			f.messages = []triageMsg{{id: "m1", direction: DirectionIn, at: helsinki("2026-11-23 10:00")}}
			return messageReasons(f, &w.env)
		}, fi: "1 viesti vastaamatta 23.11. alkaen, vastaus 2 työpäivän kuluessa", sv: "1 meddelande obesvarat sedan 23.11., svar inom 2 arbetsdagar",
			notFi: "viestiä", notSv: "obesvarade", fiBadge: "VIESTI 1", svBadge: "MEDD 1", wantCode: ReasonMessageDue},
		{name: "three messages", now: "2026-11-24 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-02")
			for _, id := range []string{"m1", "m2", "m3"} {
				f.messages = append(f.messages, triageMsg{id: id, direction: DirectionIn, at: helsinki("2026-11-23 10:00")})
			}
			return messageReasons(f, &w.env)
		}, fi: "3 viestiä vastaamatta 23.11. alkaen", sv: "3 meddelanden obesvarade sedan 23.11.", wantCode: ReasonMessageDue},
		{name: "start over the promise", now: "2026-11-23 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentScheduled, "2026-11-30")
			received := helsinki("2026-11-10 12:00")
			f.referral = &received
			return startingReasons(f, &w.env)
		}, fi: "Lähete saapui 10.11., 8 työpäivää sitten: aloituslupaus (5 työpäivää) ylittynyt 3 työpäivällä",
			sv:      "Remissen kom 10.11., för 8 arbetsdagar sedan: starten 3 arbetsdagar över startlöftet om 5 arbetsdagar",
			fiBadge: "ALKU 7 pv:n päästä", svBadge: "START om 7 d", wantCode: ReasonStartDue},
		{name: "ending in one day", now: "2026-11-23 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-02")
			f.end = w.env.today.AddDate(0, 0, 1)
			return endingReasons(f, &w.env)
		}, fi: "Ohjelma päättyy 24.11., 1 päivän päästä", sv: "Programmet slutar 24.11., om 1 dag", notSv: "dagar", fiBadge: "PÄÄTTYY 1pv", svBadge: "SLUTAR 1d", wantCode: ReasonEndingSoon},
		{name: "ended five days ago", now: "2026-11-23 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-02")
			f.end = w.env.today.AddDate(0, 0, -5)
			return endingReasons(f, &w.env)
		}, fi: "Ohjelma päättyi 18.11. ilman loppumittauksia", sv: "Programmet slutade 18.11. utan slutmätningar", fiBadge: "PÄÄTTYNYT", svBadge: "SLUT", wantCode: ReasonEnded},
		{name: "no welcome, one day", now: "2026-11-23 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentActive, "2026-11-22")
			return startingReasons(f, &w.env)
		}, fi: "(aloitus 22.11., 1 päivä sitten)", sv: "(startade 22.11., för 1 dag sedan)", notFi: "päivää", notSv: "dagar", wantCode: ReasonNoWelcome},
		{name: "risk phrase on a finished enrollment", now: "2026-11-23 10:00", build: func(w *ruleWorld) []Reason {
			f := w.facts("gad", EnrollmentCompleted, "2026-08-24")
			f.messages = []triageMsg{{id: "m1", direction: DirectionIn, at: helsinki("2026-11-17 09:00")}}
			f.hits["m1"] = riskphrase.Hit{Lang: "fi", Phrase: "itsemurh*", Found: "itsemurha"}
			return riskReasons(f, &w.env)
		}, fi: `viestissä 17.11. on "itsemurha" (listan fi ilmaus "itsemurh*"), kuittaamatta; hoitojaksosta ohjelmassa`,
			sv:      `meddelandet från 17.11. innehåller "itsemurha" (listans fi fras "itsemurh*"), inte kvitterat; från vårdperioden i`,
			fiBadge: "RISKI? viesti", svBadge: "RISK? medd", wantCode: ReasonRiskPhrase},
	} {
		w := newRuleWorld(t, helsinki(c.now))
		rs := c.build(w)
		if len(rs) != 1 {
			t.Fatalf("%s: %d reasons %+v, want 1", c.name, len(rs), rs)
		}
		r := rs[0]
		if r.Code != c.wantCode {
			t.Errorf("%s: code %s, want %s", c.name, r.Code, c.wantCode)
		}
		if got := RenderMessage(en, r.Msg); got != r.Text {
			t.Errorf("%s: English from the message\n %q\nthe text\n %q", c.name, got, r.Text)
		}
		if got := RenderMessage(en, r.BadgeMsg); got != r.Badge {
			t.Errorf("%s: English badge from the message %q, the badge %q", c.name, got, r.Badge)
		}
		for _, l := range []struct {
			p                *i18n.Printer
			want, not, badge string
		}{{fi, c.fi, c.notFi, c.fiBadge}, {sv, c.sv, c.notSv, c.svBadge}} {
			got := r
			got.Localize(l.p)
			if !strings.Contains(got.Text, l.want) {
				t.Errorf("%s (%s):\n %q\nlacks\n %q", c.name, l.p.Lang(), got.Text, l.want)
			}
			if l.not != "" && strings.Contains(got.Text, l.not) {
				t.Errorf("%s (%s): %q has the wrong form %q", c.name, l.p.Lang(), got.Text, l.not)
			}
			if l.badge != "" && got.Badge != l.badge {
				t.Errorf("%s (%s): badge %q, want %q", c.name, l.p.Lang(), got.Badge, l.badge)
			}
			if got.Text == r.Text || strings.Contains(got.Text, "store.") {
				t.Errorf("%s (%s): not translated: %q", c.name, l.p.Lang(), got.Text)
			}
		}
	}
}

// TestCourseEventsInEveryLanguage: a step of a treatment's course reads
// in the reader's language, the count of an extension in its plural form.
func TestCourseEventsInEveryLanguage(t *testing.T) {
	name := func(id string) string { return map[string]string{"a": "Anna Virtanen", "b": "Ben Lindqvist"}[id] }
	for _, c := range []struct {
		ev         EnrollmentEvent
		en, fi, sv string
	}{
		{EnrollmentEvent{Kind: CourseComplete, Date: "2026-11-18", ActorID: "a"},
			"18 Nov 2026 completed by Anna Virtanen", "18.11.2026 päätetty, tekijä Anna Virtanen", "18.11.2026 avslutad av Anna Virtanen"},
		{EnrollmentEvent{Kind: CourseExtend, Weeks: 1, PlannedEnd: "2027-01-25", Date: "2026-11-18", ActorID: "a"},
			"extended by 1 week to 25 Jan 2027", "jatkettu 1 viikolla, loppu 25.1.2027", "förlängd med 1 vecka till 25.1.2027"},
		{EnrollmentEvent{Kind: CourseExtend, Weeks: 4, PlannedEnd: "2027-01-25", Date: "2026-11-18", ActorID: "a"},
			"extended by 4 weeks", "jatkettu 4 viikolla", "förlängd med 4 veckor"},
		{EnrollmentEvent{Kind: CourseDiscontinue, ReasonCode: EndOther, Reason: "muutti", Date: "2026-11-18", ActorID: "b"},
			"discontinued: other (muutti) by Ben Lindqvist", "keskeytetty: muu (muutti), tekijä Ben Lindqvist", "avbruten: annat (muutti) av Ben Lindqvist"},
		{EnrollmentEvent{Kind: CourseTransfer, FromTherapist: "a", ToTherapist: "b", Date: "2026-11-18", ActorID: "a"},
			"transferred from Anna Virtanen to Ben Lindqvist", "siirretty terapeutilta Anna Virtanen terapeutille Ben Lindqvist", "överförd från Anna Virtanen till Ben Lindqvist"},
	} {
		for lang, want := range map[string]string{i18n.EN: c.en, i18n.FI: c.fi, i18n.SV: c.sv} {
			if got := RenderMessage(i18n.New(lang), DescribeEventMsg(c.ev, name)); !strings.Contains(got, want) {
				t.Errorf("%s %s: %q lacks %q", c.ev.Kind, lang, got, want)
			}
		}
	}
}
