package server

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"polku/store/api"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no package globals: two servers in one process count apart). Labels
// carry route templates ("GET /v1/changes"), status codes, op statuses
// and token kinds: never a raw path, an id, a handle or patient text.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	ops      *prometheus.CounterVec
	pulls    prometheus.Counter
	pulled   prometheus.Counter
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polku_http_requests_total",
			Help: "HTTP requests answered, by route template and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "polku_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .15, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		ops: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polku_ops_total",
			Help: "Write operations received, by source (push: replicas' POST /v1/ops; portal: patients' writes) and result (applied, duplicate, conflict, rejected, error).",
		}, []string{"source", "status"}),
		pulls: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "polku_pulls_total",
			Help: "Pull pages served to replicas (GET /v1/changes answered 200).",
		}),
		pulled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "polku_pulled_records_total",
			Help: "Records sent to replicas in pull pages.",
		}),
	}
	// Every label value is made up front so that a rate() over a counter
	// that has not moved yet is 0, not absent.
	for _, st := range []string{api.StatusApplied, api.StatusDuplicate, api.StatusConflict, api.StatusRejected, api.StatusError} {
		m.ops.WithLabelValues("push", st)
		m.ops.WithLabelValues("portal", st)
	}
	db := s.db
	m.reg.MustRegister(m.requests, m.latency, m.ops, m.pulls, m.pulled,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "polku_write_groups_total",
			Help: "Write transactions of the group commit (each commits the operations that waited together).",
		}, func() float64 { return float64(db.GroupCommitStats().Groups) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "polku_write_group_ops_total",
			Help: "Operations written through the group commit, applied or refused; divided by polku_write_groups_total, the mean group size.",
		}, func() float64 { return float64(db.GroupCommitStats().Ops) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "polku_store_bytes",
			Help: "Size of the store file and its write-ahead log.",
		}, func() float64 {
			var n int64
			for _, suffix := range []string{"", "-wal"} {
				if st, err := os.Stat(db.Path() + suffix); err == nil {
					n += st.Size()
				}
			}
			return float64(n)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "polku_store_wal_bytes",
			Help: "Size of the store's write-ahead log (grows while checkpoints cannot run).",
		}, func() float64 {
			if st, err := os.Stat(db.Path() + "-wal"); err == nil {
				return float64(st.Size())
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "polku_change_log_head",
			Help: "The newest change-log sequence number (compare with a replica or a restored copy).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := db.LastSeq(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}),
		&tokenCollector{s: s, desc: prometheus.NewDesc("polku_active_tokens",
			"Tokens that work now (not revoked, not expired), by kind: staff, admin or portal.", []string{"kind"}, nil)},
	)
	return m
}

// observe counts one answered request.
func (m *metrics) observe(pattern string, status int, took time.Duration) {
	route := pattern
	if route == "" || route == "/" {
		route = "unmatched" // a 404: the raw path stays out of the labels
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// tokenCollector counts the working tokens when scraped.
type tokenCollector struct {
	s    *Server
	desc *prometheus.Desc
}

func (c *tokenCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *tokenCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	now := c.s.now().UTC()
	counts := map[string]int{"staff": 0, "admin": 0, "portal": 0}
	rows, err := c.s.db.Reader().QueryContext(ctx, `SELECT t.kind, COALESCE(th.role, ''), t.created_at FROM tokens t
		LEFT JOIN therapists th ON t.kind = 'therapist' AND th.id = t.subject_id
		WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`, now.Format(stampLayout))
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var kind, role, created string
		if err := rows.Scan(&kind, &role, &created); err != nil {
			ch <- prometheus.NewInvalidMetric(c.desc, err)
			return
		}
		if !parseStamp(created).Add(c.s.cfg.Lifetimes.of(kind, role)).After(now) {
			continue // past the server's cap on its kind
		}
		switch {
		case kind == kindPatient:
			counts["portal"]++
		case role == "admin":
			counts["admin"]++
		default:
			counts["staff"]++
		}
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), k)
	}
}

// MetricsHandler serves the metrics in Prometheus's text format, with
// GET /healthz beside them. It is meant for its own listener (serve
// --metrics-addr), apart from the API: it needs no token.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { s.handleHealth(w, r, nil) })
	return mux
}

// Health is the answer of GET /healthz.
type Health struct {
	// Status is "ok" (200) or "unavailable" (503).
	Status string `json:"status"`
	Ready  bool   `json:"ready"`
	// Store is "ok" or "unreachable" (the store did not answer a read).
	Store string `json:"store"`
	Epoch string `json:"epoch"`
	// ChangeLogHead is the newest change-log sequence number.
	ChangeLogHead int64     `json:"change_log_head"`
	ServerTime    time.Time `json:"server_time"`
}

// handleHealth answers GET /healthz: no token, no patient data. 503 when
// the store does not answer a read within two seconds.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, _ *principal) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	h := Health{Status: "ok", Ready: true, Store: "ok", Epoch: s.epoch, ServerTime: s.now().UTC()}
	head, err := s.db.LastSeq(ctx)
	status := http.StatusOK
	if err != nil {
		s.log.Error("health: the store does not answer", "err", err.Error())
		h.Status, h.Ready, h.Store = "unavailable", false, "unreachable"
		status = http.StatusServiceUnavailable
	}
	h.ChangeLogHead = head
	writeJSON(w, status, h)
	return nil
}
