package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"polku/store"
)

// The intake side of the demo: every referral carries content (referrer,
// region, reason, ICD-10 codes, a screening score), and a few referral-only
// patients (SYN-R001...) show every state of the intake queue of team 1.

var regions = []string{"helsinki", "pirkanmaa", "varsinais-suomi", "pohjois-pohjanmaa", "keski-suomi", "vantaa-kerava",
	"lansi-uusimaa", "pohjois-savo", "lappi", "pohjanmaa", "aland"}

var referrers = []string{"Dr. Lehto", "Dr. Niemi", "Dr. Sund", "Dr. Korpela", "Dr. Salo", "Dr. Berg"}

var codesByProgram = map[string][]string{
	"gad": {"F41.1"}, "depression": {"F32.1", "F32.0", "F33.1"}, "insomnia": {"F51.0", "G47.0"}, "social-anxiety-youth": {"F40.1", "F93.2"},
}

// referralContent fills a generated referral's content from its own
// random stream (the patient's stream, and so the rest of the demo, stays
// as it was).
func (g *gen) referralContent(r *store.Referral, i int, progID, lang string, age int) {
	rng := rand.New(rand.NewPCG(g.cfg.Seed, uint64(i)+1<<41))
	r.SourceID = fmt.Sprintf("SYN-REF-%05d", i+1)
	r.Region = regions[rng.IntN(len(regions))]
	r.ReferrerName = referrers[rng.IntN(len(referrers))]
	reasons := texts(lang).reasons[progID]
	r.Reason = reasons[rng.IntN(len(reasons))]
	codes := codesByProgram[progID]
	r.Codes = []string{codes[rng.IntN(len(codes))]}
	if age >= 16 && age < 18 && progID != "social-anxiety-youth" {
		r.DoctorAssessment = texts(lang).doctorAssessment
	}
	screened := r.ReceivedAt.AddDate(0, 0, -1-rng.IntN(5))
	if limit := g.today.AddDate(0, 0, -1); screened.After(limit) {
		screened = limit // never in the future, whatever the referral's date
	}
	day := screened.In(g.loc).Format(time.DateOnly)
	switch progID {
	case "gad":
		t := 10 + rng.IntN(9)
		r.Screening = []store.Screening{{Instrument: "gad7", Date: day, Total: &t}}
	case "depression":
		t := 10 + rng.IntN(10)
		r.Screening = []store.Screening{{Instrument: "phq9", Date: day, Total: &t}}
	}
}

// ShowcaseReferrals is how many referral-only patients (SYN-R001...) every
// demo has besides its --patients.
const ShowcaseReferrals = 7

// intakeShowcase makes the referral-only patients of team 1's intake
// queue: new, with a risk item, over the promise, 16 without the doctor's
// assessment, 14 for the youth program, declined and referred onward, and
// on the waiting list.
func (g *gen) intakeShowcase() []any {
	supID := g.supervisorID
	type sc struct {
		name, birth, lang, prog, code, region, reason string
		received                                      time.Time
		screening                                     []store.Screening
		state                                         string
	}
	day := func(d int) string { return g.today.AddDate(0, 0, d).Format(time.DateOnly) }
	at := func(days int, hour int) time.Time {
		return g.today.AddDate(0, 0, -days).Add(time.Duration(hour) * time.Hour)
	}
	fourteen := 14
	list := []sc{
		{"Aino Virta", day(-30*365 - 100), "fi", "gad", "F41.1", "pirkanmaa", "Jatkuvaa huolta vuoden ajan; nukkuu huonosti.", at(1, 9),
			[]store.Screening{{Instrument: "gad7", Date: day(-3), Total: &fourteen}}, "new"},
		{"Juha Ranta", day(-45*365 - 20), "fi", "depression", "F32.1", "helsinki", "Matala mieliala ja uupumus kuukausien ajan; joinain päivinä elämä tuntuu merkityksettömältä.", at(0, 8),
			[]store.Screening{{Instrument: "phq9", Date: day(-2), Answers: []int{2, 2, 2, 2, 1, 2, 1, 1, 1}}}, "new"},
		{"Karin Holm", day(-38*365 - 200), "sv", "insomnia", "F51.0", "pohjanmaa", "Har sovit dåligt i två år.", at(12, 10), nil, "new"},
		{"Eero Laine", day(-16*365 - 40), "fi", "gad", "F41.1", "keski-suomi", "Huolta koulusta ja tulevaisuudesta; vatsakipuja.", at(2, 11), nil, "new"},
		{"Ella Koski", day(-14*365 - 60), "fi", "social-anxiety-youth", "F40.1", "varsinais-suomi", "Pelkää puhumista tunnilla; välttää ruokalaa.", at(3, 13), nil, "new"},
		{"Mikko Aho", day(-52*365 - 10), "fi", "depression", "F32.2", "lappi", "Vaikea masennus, tuore itsemurhayritys; tarvitsee kiireellistä psykiatrista hoitoa.", at(2, 9), nil, "declined"},
		{"Sofia Berg", day(-29*365 - 150), "sv", "gad", "F41.1", "aland", "Oro och spänningar; vill ha vård på svenska.", at(8, 10), nil, "waiting"},
	}
	if len(list) != ShowcaseReferrals {
		panic("demo: ShowcaseReferrals does not count the showcase")
	}
	var out []any
	for n, s := range list {
		created := s.received
		pat := &store.Patient{ID: g.id(created), Pseudonym: fmt.Sprintf("SYN-R%03d", n+1), DisplayName: s.name, BirthDate: s.birth,
			Language: s.lang, Synthetic: true, CreatedAt: created, UpdatedAt: created, Version: 1}
		r := &store.Referral{ID: g.id(s.received), PatientID: pat.ID, ReceivedAt: s.received, ReferringUnit: texts(s.lang).units[n%len(referringUnits)],
			RequestedProgram: s.prog, Status: store.ReferralReceived, UpdatedAt: s.received, Version: 1,
			SourceID: fmt.Sprintf("SYN-INTAKE-%d", n+1), Team: "team-1", Region: s.region, ReferrerName: referrers[n%len(referrers)],
			Reason: s.reason, Codes: []string{s.code}, Screening: s.screening}
		out = append(out, pat, r)
		switch s.state {
		case "declined":
			decided := s.received.Add(26 * time.Hour)
			out = append(out, &store.Assessment{ID: g.id(decided), ReferralID: r.ID, PatientID: pat.ID, TherapistID: supID, Method: "phone",
				Answers: map[string]string{"motivation": "yes", "acute-suicidality": "yes", "urgent-care": "yes"},
				Note:    "Puhelinarvio: akuutti riski, tarvitsee kiireellistä hoitoa (synteettinen)", AssessedAt: decided})
			r.Status, r.Version, r.DecidedBy, r.DecidedAt, r.DecisionCode = store.ReferralDeclined, 2, supID, &decided, "urgent-care"
			r.Note = "Akuutti itsetuhoisuus: ohjattu päivystykseen samana päivänä (synteettinen) (referred onward: emergency)"
			r.UpdatedAt = decided
			out = append(out, &store.Notification{ID: g.id(decided), Kind: store.NotifyDeclined, Recipient: store.ToReferrer, ReferralID: r.ID,
				PatientID: pat.ID, SourceID: r.SourceID, Language: "fi", CreatedAt: decided,
				Text: "Referral " + r.SourceID + " was not accepted for internet therapy: the patient needs urgent care. Suggested instead: Emergency department (päivystys)."})
		case "waiting":
			w := s.received.Add(30 * time.Hour)
			r.WaitingSince, r.Version, r.Note, r.UpdatedAt = &w, 2, "Ruotsia puhuvalla terapeutilla ei ole vapaata tilaa (synteettinen)", w
		}
		g.sum.OpenReferral++
		g.sum.Showcase++
	}
	return out
}
