package fhir_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"polku/store"
	"polku/store/demo"
	"polku/store/fhir"
)

// The official HL7 FHIR R4 JSON schema (testdata/README.md says where it
// comes from), compiled once per resource type.
var (
	schemaOnce sync.Once
	compiler   *jsonschema.Compiler
	schemaErr  error
	schemasMu  sync.Mutex
	schemas    = map[string]*jsonschema.Schema{}
)

const schemaURL = "file:///fhir.schema.json"

func schemaFor(t testing.TB, typ string) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		f, err := os.Open(filepath.Join("testdata", "fhir.schema.json"))
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(bufio.NewReader(f))
		if err != nil {
			schemaErr = err
			return
		}
		compiler = jsonschema.NewCompiler()
		compiler.UseLoader(noLoader{}) // offline: nothing is fetched
		schemaErr = compiler.AddResource(schemaURL, doc)
	})
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	schemasMu.Lock()
	defer schemasMu.Unlock()
	if s, ok := schemas[typ]; ok {
		return s
	}
	s, err := compiler.Compile(schemaURL + "#/definitions/" + typ)
	if err != nil {
		t.Fatalf("compile the R4 schema of %s: %v", typ, err)
	}
	schemas[typ] = s
	return s
}

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, os.ErrNotExist
}

// validate checks one resource (JSON) against the R4 schema of its type.
func validate(t testing.TB, raw []byte) string {
	t.Helper()
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.ResourceType == "" {
		t.Fatalf("not a resource: %s", raw)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := schemaFor(t, head.ResourceType).Validate(inst); err != nil {
		t.Errorf("%s is not valid FHIR R4: %v\n%s", head.ResourceType, err, raw)
	}
	return head.ResourceType
}

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func demoStore(t testing.TB, patients int) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"), store.Options{Create: true, Clock: func() time.Time { return now }, Random: rand.NewChaCha8([32]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Generate(context.Background(), db, demo.Config{Seed: 1, Patients: patients, Now: now}); err != nil {
		t.Fatal(err)
	}
	return db
}

// The validator is not vacuous: it refuses what R4 refuses.
func TestSchemaRefusesInvalidResources(t *testing.T) {
	for _, bad := range []string{
		`{"resourceType":"Observation","id":"x","status":"final"}`,                                        // no code
		`{"resourceType":"Observation","id":"x","status":"final","code":{"text":"t"},"valueInteger":"7"}`, // a string for an integer
		`{"resourceType":"Observation","id":"x","status":"done","code":{"text":"t"}}`,                     // status not a code of R4
		`{"resourceType":"Patient","id":"has space"}`,                                                     // id pattern
		`{"resourceType":"Patient","id":"p","birthDate":"1.1.1990"}`,                                      // date
		`{"resourceType":"QuestionnaireResponse","id":"q","status":"completed","bogus":1}`,                // unknown element
		`{"resourceType":"Flag","id":"f","status":"active","subject":{"reference":"Patient/p"}}`,          // no code
		`{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"has space"}}]}`,
		`{"resourceType":"EpisodeOfCare","id":"e","status":"active"}`, // no patient
	} {
		inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		var head struct {
			ResourceType string `json:"resourceType"`
		}
		json.Unmarshal([]byte(bad), &head)
		if err := schemaFor(t, head.ResourceType).Validate(inst); err == nil {
			t.Errorf("the R4 schema accepts %s", bad)
		}
	}
}

func admin(t testing.TB, db *store.DB) store.Actor {
	return store.System("test")
}

func TestPatientBundleIsValidR4AndEveryReferenceResolves(t *testing.T) {
	db := demoStore(t, 40)
	ctx := context.Background()
	pats, err := db.Patients(ctx, store.System("test"), store.PatientFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	flags := 0
	for _, p := range pats {
		b, err := fhir.PatientBundle(ctx, db, admin(t, db), p.ID, fhir.Options{IncludeText: true})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		if validate(t, raw) != "Bundle" {
			t.Fatal("not a Bundle")
		}
		// Every resource on its own, and every reference inside the bundle.
		full := map[string]bool{}
		canon := map[string]bool{}
		for _, e := range b.Entry {
			r, _ := json.Marshal(e.Resource)
			seen[validate(t, r)]++
			full[e.FullURL] = true
			if q, ok := e.Resource.(*fhir.Questionnaire); ok {
				canon[q.URL+"|"+q.Version] = true
			}
		}
		base := fhir.DefaultBase + "/"
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, val := range x {
					if s, ok := val.(string); ok && k == "reference" && !full[base+s] {
						t.Errorf("patient %s: reference %q does not resolve in the bundle", p.Pseudonym, s)
					}
					if s, ok := val.(string); ok && k == "questionnaire" && !canon[s] {
						t.Errorf("patient %s: questionnaire %q is not in the bundle", p.Pseudonym, s)
					}
					walk(val)
				}
			case []any:
				for _, val := range x {
					walk(val)
				}
			}
		}
		var generic any
		json.Unmarshal(raw, &generic)
		walk(generic)
		for _, e := range b.Entry {
			if _, ok := e.Resource.(*fhir.Flag); ok {
				flags++
			}
			if pr, ok := e.Resource.(*fhir.Patient); ok && (pr.Meta == nil || pr.Meta.Tag[0].Code != "HTEST") {
				t.Errorf("synthetic patient %s is not tagged HTEST", p.Pseudonym)
			}
		}
	}
	for _, typ := range []string{"Patient", "EpisodeOfCare", "Questionnaire", "QuestionnaireResponse", "Observation", "Communication"} {
		if seen[typ] == 0 {
			t.Errorf("no %s in the demo store's bundles", typ)
		}
	}
	t.Logf("resources: %v, flags %d", seen, flags)
}

func TestObservationCodesAndDerivedFrom(t *testing.T) {
	db := demoStore(t, 20)
	ctx := context.Background()
	dir := t.TempDir()
	counts, err := fhir.WriteNDJSON(ctx, db, store.System("test"), dir, fhir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if counts["Communication"] != 0 {
		t.Errorf("feedback and messages exported without --include-text: %d", counts["Communication"])
	}
	qrs := map[string]bool{}
	loinc := map[string]int{}
	for _, typ := range fhir.ResourceTypes {
		data, err := os.ReadFile(filepath.Join(dir, typ+".ndjson"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
		if len(lines) != counts[typ] {
			t.Errorf("%s.ndjson has %d lines, counted %d", typ, len(lines), counts[typ])
		}
		for _, l := range lines {
			if got := validate(t, l); got != typ {
				t.Errorf("%s in %s.ndjson", got, typ)
			}
			switch typ {
			case "QuestionnaireResponse":
				var qr fhir.QuestionnaireResponse
				json.Unmarshal(l, &qr)
				qrs[qr.ID] = true
			case "Observation":
				var o fhir.Observation
				json.Unmarshal(l, &o)
				if len(o.DerivedFrom) != 1 || !qrs[strings.TrimPrefix(o.DerivedFrom[0].Reference, "QuestionnaireResponse/")] {
					t.Errorf("observation %s derived from %v", o.ID, o.DerivedFrom)
				}
				if o.Category[0].Coding[0].Code != "survey" || len(o.Interpretation) != 1 {
					t.Errorf("observation %s: category %v, interpretation %v", o.ID, o.Category, o.Interpretation)
				}
				if o.Code.Coding[0].System == fhir.LOINC {
					loinc[o.Code.Coding[0].Code]++
				}
			}
		}
	}
	if loinc["44261-6"] == 0 || loinc["70274-6"] == 0 {
		t.Errorf("PHQ-9 and GAD-7 totals not coded with LOINC: %v", loinc)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestExportNeedsAReader(t *testing.T) {
	db := demoStore(t, 10)
	ctx := context.Background()
	th, err := db.TherapistByHandle(ctx, demo.SupervisorHandle)
	if err != nil {
		t.Fatal(err)
	}
	sup := store.ActorFor(th, "test")
	if _, err := fhir.WriteNDJSON(ctx, db, sup, t.TempDir(), fhir.Options{}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a supervisor exports the whole store: %v", err)
	}
	dt, err := db.TherapistByHandle(ctx, demo.DemoHandle)
	if err != nil {
		t.Fatal(err)
	}
	me := store.ActorFor(dt, "test")
	pats, _ := db.Patients(ctx, store.System("test"), store.PatientFilter{})
	other := ""
	for _, p := range pats {
		if db.CanRead(ctx, me, p.ID) != nil {
			other = p.ID
		}
	}
	if other == "" {
		t.Fatal("every demo patient is the demo therapist's")
	}
	if _, err := fhir.PatientBundle(ctx, db, me, other, fhir.Options{}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a therapist exports another therapist's patient: %v", err)
	}
}
