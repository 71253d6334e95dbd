package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"polku/store"
	"polku/store/api"
	"polku/store/server"
)

// GET /healthz answers without a token: ready, the store reachable, the
// epoch; nothing about patients. When the store does not answer, 503.
func TestHealthz(t *testing.T) {
	f := newFixture(t, server.Config{})
	st, body := f.do("GET", "/healthz", "", "")
	if st != 200 {
		t.Fatalf("healthz: %d %s", st, body)
	}
	var h server.Health
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || !h.Ready || h.Store != "ok" || h.Epoch != f.srv.Epoch() || h.ChangeLogHead <= 0 {
		t.Fatalf("healthz: %+v", h)
	}
	for _, p := range []store.Patient{f.pa, f.pb} {
		if strings.Contains(body, p.ID) || strings.Contains(body, p.Pseudonym) {
			t.Fatalf("healthz names a patient: %s", body)
		}
	}
	// The metrics listener answers it too.
	ms := httptest.NewServer(f.srv.MetricsHandler())
	defer ms.Close()
	if resp, err := http.Get(ms.URL + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz on the metrics listener: %v %v", resp, err)
	}
	// A store that does not answer.
	f.db.Close()
	st, body = f.do("GET", "/healthz", "", "")
	if st != 503 || !strings.Contains(body, `"store":"unreachable"`) || !strings.Contains(body, `"status":"unavailable"`) {
		t.Fatalf("healthz with the store closed: %d %s", st, body)
	}
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	ms := httptest.NewServer(h)
	defer ms.Close()
	resp, err := http.Get(ms.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

// value is the value of the sample named by a metric and its labels, as
// exposed: `polku_ops_total{source="push",status="applied"}`.
func value(t *testing.T, text, sample string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no sample %s in:\n%s", sample, grepPolku(text))
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func grepPolku(text string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "polku_") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// GET /metrics counts requests by route template and status, latencies,
// ops by result, pulls, the store's size and the working tokens; no label
// carries a raw path, an id or patient text. The API's listener does not
// serve it.
func TestMetrics(t *testing.T) {
	f := newFixture(t, server.Config{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	ea := f.fx.Enrollments[f.pa.ID]
	msg := store.Message{ID: f.db.NewID(now), EnrollmentID: ea.ID, PatientID: f.pa.ID, Direction: store.DirectionOut, TherapistID: f.a.ID, Body: "hello", SentAt: now}
	if res := f.pushOne(f.tok["a"], "message.send", store.SendMessageOp{Message: msg}); res.Status != api.StatusApplied {
		t.Fatalf("push: %+v", res)
	}
	// A draft changed since the replica read it: a conflict.
	d, err := f.db.SaveDraft(t.Context(), store.ActorFor(f.a, "a"), store.Draft{PatientID: f.pa.ID, TargetType: store.DraftNote, TargetID: f.pa.ID, Body: "draft"})
	if err != nil {
		t.Fatal(err)
	}
	if res := f.pushOne(f.tok["a"], "draft.delete", store.DeleteDraftOp{ID: d.ID, Version: d.Version + 3}); res.Status != api.StatusConflict {
		t.Fatalf("stale draft delete: %+v", res)
	}
	// Someone else's patient: rejected.
	eb := f.fx.Enrollments[f.pb.ID]
	other := store.Message{ID: f.db.NewID(now), EnrollmentID: eb.ID, PatientID: f.pb.ID, Direction: store.DirectionOut, TherapistID: f.a.ID, Body: "no", SentAt: now}
	if res := f.pushOne(f.tok["a"], "message.send", store.SendMessageOp{Message: other}); res.Status != api.StatusRejected {
		t.Fatalf("push on another's patient: %+v", res)
	}
	items := f.pullAll(f.tok["a"])
	f.do("GET", "/v1/me", "", "")                        // 401
	f.do("GET", "/v1/patients/"+f.pa.ID, f.tok["a"], "") // 404: an unknown path
	f.do("GET", "/healthz", "", "")

	text := scrape(t, f.srv.MetricsHandler())
	if v := value(t, text, `polku_ops_total{source="push",status="applied"}`); v != 1 {
		t.Fatalf("applied ops %v", v)
	}
	if v := value(t, text, `polku_ops_total{source="push",status="conflict"}`); v != 1 {
		t.Fatalf("conflicts %v", v)
	}
	if v := value(t, text, `polku_ops_total{source="push",status="rejected"}`); v != 1 {
		t.Fatalf("rejected %v", v)
	}
	if v := value(t, text, `polku_http_requests_total{code="200",route="POST /v1/ops"}`); v != 3 {
		t.Fatalf("push requests %v", v)
	}
	pulls := value(t, text, `polku_pulls_total`)
	if pulls < 1 || value(t, text, `polku_http_requests_total{code="200",route="GET /v1/changes"}`) != pulls {
		t.Fatalf("pulls %v", pulls)
	}
	if v := value(t, text, `polku_pulled_records_total`); v != float64(len(items)) {
		t.Fatalf("pulled records %v, want %d", v, len(items))
	}
	if v := value(t, text, `polku_http_requests_total{code="401",route="GET /v1/me"}`); v != 1 {
		t.Fatalf("401s %v", v)
	}
	if v := value(t, text, `polku_http_requests_total{code="404",route="unmatched"}`); v != 1 {
		t.Fatalf("unmatched %v", v)
	}
	if v := value(t, text, `polku_http_requests_total{code="200",route="GET /healthz"}`); v != 1 {
		t.Fatalf("healthz %v", v)
	}
	if v := value(t, text, `polku_http_request_duration_seconds_count{route="POST /v1/ops"}`); v != 3 {
		t.Fatalf("latency count %v", v)
	}
	// The three pushes went through the group commit (and the draft too).
	// (A store on a cluster has no group commit and no file to measure.)
	if ops, groups := value(t, text, `polku_write_group_ops_total`), value(t, text, `polku_write_groups_total`); !onCluster() && (ops < 3 || groups < 1 || groups > ops) {
		t.Fatalf("group commit: %v ops in %v groups", ops, groups)
	}
	if v := value(t, text, `polku_store_bytes`); !onCluster() && v < 4096 {
		t.Fatalf("store size %v", v)
	}
	head, _ := f.db.LastSeq(t.Context())
	if v := value(t, text, `polku_change_log_head`); v != float64(head) {
		t.Fatalf("head %v, want %d", v, head)
	}
	// a, b, sup, othersup are staff; admin; pa, pb portal.
	if s, a, p := value(t, text, `polku_active_tokens{kind="staff"}`), value(t, text, `polku_active_tokens{kind="admin"}`), value(t, text, `polku_active_tokens{kind="portal"}`); s != 4 || a != 1 || p != 2 {
		t.Fatalf("active tokens staff %v admin %v portal %v", s, a, p)
	}
	// A revoked token stops counting.
	if _, err := server.RevokeTokens(t.Context(), f.db, store.System("test"), "", f.pb.ID); err != nil {
		t.Fatal(err)
	}
	if v := value(t, scrape(t, f.srv.MetricsHandler()), `polku_active_tokens{kind="portal"}`); v != 1 {
		t.Fatalf("portal tokens after a revoke: %v", v)
	}
	// No id, handle or patient text in any label.
	for _, s := range []string{f.pa.ID, f.pb.ID, f.pa.Pseudonym, f.a.Handle, f.a.ID, "hello", "/v1/patients/"} {
		if strings.Contains(text, s) {
			t.Fatalf("the metrics name %q:\n%s", s, grepPolku(text))
		}
	}
	// Not on the API's listener.
	if st, _ := f.do("GET", "/metrics", f.tok["admin"], ""); st != 404 {
		t.Fatalf("/metrics on the API listener: %d", st)
	}
}

// A patient's write through the portal counts as a portal op.
func TestMetricsCountPortalWrites(t *testing.T) {
	f := newFixture(t, server.Config{})
	st, body := f.do("POST", "/v1/patient/messages", f.tok["pa"], `{"body":"a question"}`)
	if st != 201 {
		t.Fatalf("portal message: %d %s", st, body)
	}
	text := scrape(t, f.srv.MetricsHandler())
	if v := value(t, text, `polku_ops_total{source="portal",status="applied"}`); v != 1 {
		t.Fatalf("portal ops %v", v)
	}
	if strings.Contains(text, "a question") {
		t.Fatal("patient text in the metrics")
	}
}
