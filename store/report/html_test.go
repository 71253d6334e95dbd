package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"polku/programs"
)

// richFacts is a month with something in every figure.
func richFacts() *Facts {
	f := facts()
	f.Instruments["phq9"] = phq9()
	f.Instruments["sleep-check"] = &programs.Instrument{ID: "sleep-check", Title: "Sleep check", Validated: ptr(false)}
	recv := at("2026-11-02 10:00")
	ended := at("2026-11-25 10:00")
	for i := 0; i < 12; i++ {
		id := strconv.Itoa(i)
		f.Referrals = append(f.Referrals, Referral{ReceivedAt: recv.AddDate(0, 0, i*2)})
		f.Enrollments = append(f.Enrollments, Enrollment{ID: id, ProgramID: []string{"depression", "gad"}[i%2], Status: "completed",
			Start: day("2026-11-03").AddDate(0, 0, i), EndedAt: &ended, ReferralReceived: &recv, Modules: 8, ModulesDone: i % 9})
		f.Scores[id] = []Score{{Instrument: "phq9", Total: 8 + i}, {Instrument: "phq9", Total: 20 - i},
			{Instrument: "sleep-check", Total: i}, {Instrument: "sleep-check", Total: 2}}
		f.Feedback = append(f.Feedback, Feedback{SubmittedAt: recv.AddDate(0, 0, i), SentAt: recv.AddDate(0, 0, i+i%4)})
	}
	f.Reasons = reasons
	f.InactiveDays = 7
	for i, reason := range []string{"patient_choice", "patient_choice", "no_contact", ""} {
		f.Enrollments = append(f.Enrollments, Enrollment{ID: "d" + strconv.Itoa(i), PatientID: "pd" + strconv.Itoa(i), Status: "discontinued",
			Start: day("2026-10-01"), EndedAt: &ended, DiscontinueReason: reason})
	}
	f.Flags = []Flag{{Source: SourceCritical, RaisedAt: at("2026-11-10 09:00")}, {Source: SourceMessage, RaisedAt: at("2026-11-11 09:00")},
		{Source: SourceMessage, RaisedAt: at("2026-11-12 09:00"), AckedAt: ptr(at("2026-11-12 10:00"))}}
	return f
}

var attr = regexp.MustCompile(`data-([a-z]+)="([^"]*)"`)

// svgOf returns, for each element of the figure with the given id that has
// data attributes, those attributes.
func svgOf(t *testing.T, html, id string) []map[string]string {
	t.Helper()
	i := strings.Index(html, `<figure id="`+id+`">`)
	if i < 0 {
		t.Fatalf("no figure %s", id)
	}
	fig := html[i:]
	fig = fig[:strings.Index(fig, "</figure>")]
	var out []map[string]string
	for _, el := range strings.Split(fig, "<")[1:] {
		m := map[string]string{}
		for _, a := range attr.FindAllStringSubmatch(el, -1) {
			m[a[1]] = a[2]
		}
		if len(m) > 0 {
			out = append(out, m)
		}
	}
	return out
}

func TestHTMLChartsShowTheJSONNumbers(t *testing.T) {
	r := Compute(richFacts())
	// The JSON is what the charts must agree with.
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteHTML(&b, nil); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, banned := range []string{"<script", "<link", "@import", "url(", "src=", "https://"} {
		if strings.Contains(html, banned) {
			t.Errorf("the HTML report contains %q: it must be self-contained", banned)
		}
	}

	bars := svgOf(t, html, "weekly")
	if len(bars) != 2*len(back.WeeklyFlows) {
		t.Fatalf("weekly chart has %d bars for %d weeks", len(bars), len(back.WeeklyFlows))
	}
	refs, starts := 0, 0
	for i, w := range back.WeeklyFlows {
		if bars[2*i]["week"] != w.Start || bars[2*i]["value"] != strconv.Itoa(w.Referrals) || bars[2*i+1]["value"] != strconv.Itoa(w.Starts) {
			t.Errorf("week %s: bars %v %v, JSON %+v", w.Start, bars[2*i], bars[2*i+1], w)
		}
		refs += w.Referrals
		starts += w.Starts
	}
	if refs != back.Access.ReferralsReceived || starts != back.Engagement.Started {
		t.Errorf("weekly totals %d/%d, JSON %d/%d", refs, starts, back.Access.ReferralsReceived, back.Engagement.Started)
	}

	for _, h := range []struct {
		id   string
		bins []Bin
	}{{"wait", back.Access.WaitDays}, {"latency", back.Work.Latency}} {
		got := svgOf(t, html, h.id)
		if len(got) != len(h.bins) {
			t.Fatalf("%s: %d bars, JSON has %d bins", h.id, len(got), len(h.bins))
		}
		for i, bin := range h.bins {
			if got[i]["value"] != strconv.Itoa(bin.Count) || got[i]["min"] != strconv.Itoa(bin.Min) {
				t.Errorf("%s bin %d: bar %v, JSON %+v", h.id, i, got[i], bin)
			}
		}
	}

	// The bars of the reasons and the flag sources are the JSON's counts.
	for _, c := range []struct {
		id   string
		keys []string
		vals []int
	}{{"reasons", nil, nil}, {"flags", nil, nil}} {
		if c.id == "reasons" {
			for _, rs := range back.Engagement.DiscontinuedByReason {
				c.keys, c.vals = append(c.keys, rs.Reason), append(c.vals, rs.Count)
			}
		} else {
			for _, k := range back.Risk.BySource {
				c.keys, c.vals = append(c.keys, k.Source), append(c.vals, k.Raised)
			}
		}
		got := svgOf(t, html, c.id)
		if len(got) != len(c.keys) || len(got) == 0 {
			t.Fatalf("%s: %d bars, JSON has %d", c.id, len(got), len(c.keys))
		}
		for i := range got {
			if got[i]["key"] != c.keys[i] || got[i]["value"] != strconv.Itoa(c.vals[i]) {
				t.Errorf("%s bar %d: %v, JSON %s=%d", c.id, i, got[i], c.keys[i], c.vals[i])
			}
		}
	}
	if !strings.Contains(html, `id="episodes" data-value="`+strconv.Itoa(back.Engagement.Inactivity.Episodes)+`"`) {
		t.Errorf("the inactivity episodes are not the JSON's %d", back.Engagement.Inactivity.Episodes)
	}

	// Every dot of the outcome charts is one pair of the JSON, and none is missing.
	dots := regexp.MustCompile(`data-baseline="(\d+)" data-last="(\d+)"`).FindAllStringSubmatch(html, -1)
	want := map[string]int{}
	n := 0
	for _, o := range append(back.Outcomes, back.NotValid...) {
		for _, p := range o.Pairs {
			want[strconv.Itoa(p.Baseline)+"/"+strconv.Itoa(p.Last)]++
			n++
		}
	}
	if len(dots) != n || n == 0 {
		t.Fatalf("%d dots, JSON has %d pairs", len(dots), n)
	}
	for _, d := range dots {
		want[d[1]+"/"+d[2]]--
	}
	for k, v := range want {
		if v != 0 {
			t.Errorf("pair %s: %d more in the JSON than in the charts", k, v)
		}
	}
	if !strings.Contains(html, "not a validated instrument") {
		t.Error("the not-validated instrument's chart is not marked")
	}
}

func TestCSVHasEveryFigure(t *testing.T) {
	r := Compute(richFacts())
	var b bytes.Buffer
	if err := r.WriteCSV(&b, nil); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(r.Rows(nil))+1 {
		t.Fatalf("%d CSV records for %d rows", len(recs), len(r.Rows(nil)))
	}
	found := false
	for _, rec := range recs {
		if rec[0] == "outcomes: PHQ-9" && rec[1] == "recovery" {
			found = true
			o := r.Outcomes[0]
			if rec[2] != ShareText(*o.Recovery) {
				t.Errorf("CSV recovery %q, JSON %+v", rec[2], *o.Recovery)
			}
		}
		if strings.HasPrefix(rec[0], "not validated") && (rec[1] == "recovery" || rec[1] == "reliable improvement") {
			t.Errorf("a not-validated instrument has %s in the CSV", rec[1])
		}
	}
	if !found {
		t.Error("no PHQ-9 recovery figure in the CSV")
	}
}
