// Package server is polku's HTTP JSON API over a store (polku serve): the
// sync endpoints therapists' replicas use (push operations, pull changes),
// the patient portal's endpoints, token authentication, access control,
// request limits and structured logs that never contain patient text.
// docs/api.md describes every endpoint.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
)

// Config configures a Server. Zero values take the defaults.
type Config struct {
	DB     *store.DB
	Logger *slog.Logger
	// Clock is the server's clock (default: the store's).
	Clock func() time.Time
	// MaxBody is the largest request body in bytes (default 8 MiB).
	MaxBody int64
	// MaxOps is the most operations one push may carry (default 200).
	MaxOps int
	// PageSize is the most records one pull page carries (default 5000);
	// a client may ask for fewer with limit=, up to MaxPageSize (default
	// 5000; more is a bad request).
	PageSize, MaxPageSize int
	// Rate is the sustained requests per second allowed per token, Burst
	// the most at once (defaults 20 and 60). A negative Rate turns the
	// limit off.
	Rate  float64
	Burst int
	// Lifetimes cap how long tokens of each kind work, counted from when
	// each was made, whatever expiry it was made with (zero fields: the
	// defaults, DefaultLifetimes).
	Lifetimes Lifetimes
	// MetricsAddr, when set, is a second listener (plain HTTP) that serves
	// GET /metrics and GET /healthz without a token (MetricsHandler). The
	// API's listener does not serve /metrics.
	MetricsAddr string
	// GroupSize is the most pushed operations committed together in one
	// transaction (group commit, default store.DefaultGroupSize); 1 commits
	// every operation alone.
	GroupSize int
}

// Server serves the API for one store.
type Server struct {
	db      *store.DB
	log     *slog.Logger
	now     func() time.Time
	cfg     Config
	epoch   string
	limiter *limiter
	metrics *metrics
	mux     *http.ServeMux
	probe   *http.ServeMux // the same routes, to list the methods a path takes
	// printers say errors to patients in their language.
	printers printers
	// afterAuthorize, when set (by tests), runs inside a push's write
	// transaction right after the op was authorized.
	afterAuthorize func()
}

// New makes a server for cfg.DB and turns on the store's group commit
// (unless cfg.GroupSize is 1).
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("server: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if cfg.Clock == nil {
		cfg.Clock = cfg.DB.Now
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 8 << 20
	}
	if cfg.MaxOps <= 0 {
		cfg.MaxOps = 200
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 5000
	}
	if cfg.MaxPageSize <= 0 {
		cfg.MaxPageSize = 5000
	}
	if cfg.PageSize > cfg.MaxPageSize {
		cfg.PageSize = cfg.MaxPageSize
	}
	if cfg.Rate == 0 {
		cfg.Rate = 20
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 60
	}
	epoch, err := cfg.DB.Meta(ctx, "epoch")
	if err != nil {
		return nil, fmt.Errorf("server: read the store's epoch: %w", err)
	}
	s := &Server{db: cfg.DB, log: cfg.Logger, now: cfg.Clock, cfg: cfg, epoch: epoch, limiter: newLimiter(cfg.Rate, cfg.Burst)}
	s.metrics = newMetrics(s)
	if cfg.GroupSize != 1 {
		cfg.DB.EnableGroupCommit(cfg.GroupSize)
	}
	s.routes()
	return s, nil
}

// Epoch is the store's epoch as the server announces it.
func (s *Server) Epoch() string { return s.epoch }

// Handler is the API as an http.Handler.
func (s *Server) Handler() http.Handler { return s.mux }

type handlerFunc func(w http.ResponseWriter, r *http.Request, p *principal) error

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	// probe knows the same routes, to tell a wrong method on a known path
	// (405) from an unknown path (404).
	probe := http.NewServeMux()
	s.probe = probe
	// handle registers a route and the query parameters it takes; any
	// other parameter is refused before the handler runs.
	handle := func(pattern string, h handlerFunc, params ...string) {
		s.mux.Handle(pattern, s.wrap(checkQuery(pattern, params, h)))
		probe.Handle(pattern, http.NotFoundHandler())
	}
	// Load balancers and monitors ask without a token.
	s.mux.Handle("GET /healthz", s.wrapAuth(s.handleHealth, false))
	probe.Handle("GET /healthz", http.NotFoundHandler())
	handle("GET /v1/me", s.handleMe)
	handle("GET /v1/changes", s.handlePull, "since", "check", "limit")
	handle("POST /v1/ops", s.handlePush)
	handle("GET /v1/patient/me", s.handlePatientMe)
	handle("GET /v1/patient/feedback", s.handlePatientFeedback, "since")
	handle("GET /v1/patient/messages", s.handlePatientMessages, "since")
	handle("POST /v1/patient/submissions", s.handlePatientSubmit)
	handle("POST /v1/patient/diary", s.handlePatientDiary)
	handle("POST /v1/patient/measures", s.handlePatientMeasure)
	handle("POST /v1/patient/messages", s.handlePatientMessage)
	handle("POST /v1/patient/feedback/read", s.handlePatientRead)
	s.groupRoutes(handle)
	handle("GET /v1/admin/synthetic-patients", s.handleSynthetic)
	handle("POST /v1/admin/patient-tokens", s.handleCreatePatientToken)
	handle("DELETE /v1/admin/tokens/{id}", s.handleRevokeToken)
	handle("POST /v1/referrals", s.handleAddReferral)
	handle("GET /v1/notifications", s.handleNotifications, "after", "limit")
	handle("GET /v1/audit/{patient}", s.handleAudit)
	s.mux.Handle("/", s.wrap(func(w http.ResponseWriter, r *http.Request, p *principal) error {
		if allow := allowed(probe, r); len(allow) > 0 {
			return methodNotAllowed(w, r, allow)
		}
		return errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.no_endpoint", "Method", r.Method, "Path", r.URL.Path)
	}))
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow []string) error {
	w.Header().Set("Allow", strings.Join(allow, ", "))
	return errm(http.StatusMethodNotAllowed, api.CodeMethodNotAllowed, "store.err.api.method_not_allowed", "Method", r.Method, "Path", r.URL.Path, "Allow", orList(allow))
}

// orList is words joined by "or" in the reader's language ("GET or
// POST").
func orList(words []string) any {
	if len(words) == 0 {
		return ""
	}
	var m any = words[0]
	for _, w := range words[1:] {
		m = i18n.Msg("store.err.api.or", "A", m, "B", w)
	}
	return m
}

// checkQuery refuses a query string the route does not take: a parameter
// it does not know, one given twice or empty, or one that does not parse.
// A typo must not turn into "everything" (since= left empty would pull
// from the start).
func checkQuery(pattern string, params []string, h handlerFunc) handlerFunc {
	takes := i18n.Msg("store.err.api.takes_none")
	if len(params) > 0 {
		takes = i18n.Msg("store.err.api.takes", "Params", strings.Join(params, ", "))
	}
	return func(w http.ResponseWriter, r *http.Request, p *principal) error {
		if r.URL.RawQuery == "" {
			return h(w, r, p)
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return badRequestm("store.err.api.query_parse", "Err", err.Error(), "Pattern", pattern, "Takes", takes)
		}
		for k, v := range q {
			if !slices.Contains(params, k) {
				return badRequestm("store.err.api.unknown_param_route", "Name", strconv.Quote(k), "Pattern", pattern, "Takes", takes)
			}
			if len(v) > 1 {
				return badRequestm("store.err.api.param_twice", "Name", strconv.Quote(k), "N", len(v))
			}
			if v[0] == "" {
				return badRequestm("store.err.api.param_empty", "Name", strconv.Quote(k))
			}
		}
		return h(w, r, p)
	}
}

// allowed lists the methods the routes in probe take on r's path. HEAD is
// not one of them (see wrap).
func allowed(probe *http.ServeMux, r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		req := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := probe.Handler(req); pattern != "" {
			out = append(out, m)
		}
	}
	return out
}

// httpError is an error with its HTTP status and API code.
type httpError struct {
	status int
	code   string
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, code: api.CodeBadRequest, msg: fmt.Sprintf(format, args...)}
}

// msgHTTPError is an httpError whose text is a sentence of the store
// catalogs, with that sentence as a message, which the answer carries
// beside the text (api.ErrorDetail.Msg, api.PushResult.Msg).
type msgHTTPError struct {
	*httpError
	m i18n.Message
}

func (e *msgHTTPError) Unwrap() error { return e.httpError }

// Message is the error's sentence as a message.
func (e *msgHTTPError) Message() i18n.Message { return e.m }

// english renders the server's own messages in English, for the text of
// an answer (and the log).
var english = sync.OnceValue(func() *i18n.Printer { return i18n.New(i18n.EN) })

// msgError is an answer of status and code that says m: its text is m in
// English (the text scripts and older clients read), and m travels beside
// it for a reader of another language.
func msgError(status int, code string, m i18n.Message) *msgHTTPError {
	return &msgHTTPError{&httpError{status: status, code: code, msg: store.RenderMessage(english(), m)}, m}
}

// errm is an answer of status and code that says message id (a
// store.err.* id) with its name/value arguments; an error among the
// arguments is its message when it has one, else its text.
func errm(status int, code, id string, kv ...any) error {
	return msgError(status, code, i18n.Msg(id, msgArgs(kv)...))
}

// badRequestm is a 400 that says message id with its arguments.
func badRequestm(id string, kv ...any) error {
	return msgError(http.StatusBadRequest, api.CodeBadRequest, i18n.Msg(id, msgArgs(kv)...))
}

// forbiddenm is a 403 that says message id with its arguments.
func forbiddenm(id string, kv ...any) error {
	return msgError(http.StatusForbidden, api.CodeForbidden, i18n.Msg(id, msgArgs(kv)...))
}

// badRequestErr is a 400 that says err: its message when err is a store
// error that is its message, else its text alone.
func badRequestErr(err error) error {
	if m, ok := wholeMessage(err); ok {
		return msgError(http.StatusBadRequest, api.CodeBadRequest, m)
	}
	return badRequest("%v", err)
}

// msgArgs are message arguments with each error among them as its
// message, or its text when it has none.
func msgArgs(kv []any) []any {
	for i := 1; i < len(kv); i += 2 {
		if e, ok := kv[i].(error); ok {
			kv[i] = errArg(e)
		}
	}
	return kv
}

// errArg is err as a message argument: its message when it is all of
// err's text, else the text.
func errArg(err error) any {
	if m, ok := wholeMessage(err); ok {
		return m
	}
	return err.Error()
}

// wholeMessage is err's message when err is (or wraps, with no words of
// its own) an error told as a message.
func wholeMessage(err error) (i18n.Message, bool) {
	var me interface {
		error
		Message() i18n.Message
	}
	if err == nil || !errors.As(err, &me) || me.Message().ID == "" || me.Error() != err.Error() {
		return i18n.Message{}, false
	}
	return me.Message(), true
}

// storeError maps a store error to a status and code.
func storeError(err error) error {
	var me *msgHTTPError
	var he *httpError
	switch {
	case errors.As(err, &me):
		return me
	case errors.As(err, &he):
		return he
	case errors.Is(err, store.ErrInvalid):
		he = &httpError{http.StatusBadRequest, api.CodeBadRequest, err.Error()}
	case errors.Is(err, store.ErrForbidden):
		he = &httpError{http.StatusForbidden, api.CodeForbidden, err.Error()}
	case errors.Is(err, store.ErrNotFound):
		he = &httpError{http.StatusNotFound, api.CodeNotFound, err.Error()}
	case errors.Is(err, store.ErrConflict):
		he = &httpError{http.StatusConflict, api.CodeConflict, err.Error()}
	case errors.Is(err, store.ErrUnavailable):
		// A cluster without a majority, or a write whose outcome was
		// lost with a node: the client tries again (a push is idempotent
		// by its key).
		return errm(http.StatusServiceUnavailable, api.CodeUnavailable, "store.err.api.unavailable")
	default:
		return err
	}
	var me2 interface {
		error
		Message() i18n.Message
	}
	if errors.As(err, &me2) && me2.Error() == err.Error() {
		return &msgHTTPError{he, me2.Message()}
	}
	return he
}

// errorMsg is the message of err as JSON when err is a store error that
// is its message, with no wrapper's words (nil otherwise).
func errorMsg(err error) json.RawMessage {
	var me interface {
		error
		Message() i18n.Message
	}
	if err == nil || !errors.As(err, &me) || me.Error() != err.Error() {
		return nil
	}
	return store.MessageJSON(me.Message())
}

// reqLog collects what the access log line says about a request. Handlers
// add counts, never content.
type reqLog struct {
	attrs []slog.Attr
}

func (l *reqLog) add(key string, v any) { l.attrs = append(l.attrs, slog.Any(key, v)) }

type logKey struct{}

func logOf(ctx context.Context) *reqLog {
	if l, ok := ctx.Value(logKey{}).(*reqLog); ok {
		return l
	}
	return &reqLog{}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// wrap authenticates, rate-limits, runs the handler, writes errors as JSON
// and logs one line per request.
func (s *Server) wrap(h handlerFunc) http.Handler { return s.wrapAuth(h, true) }

// wrapAuth is wrap; with auth false the handler runs without a token (and
// without a principal): GET /healthz.
func (s *Server) wrapAuth(h handlerFunc, auth bool) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		rl := &reqLog{}
		r = r.WithContext(context.WithValue(r.Context(), logKey{}, rl))
		// Every answer names its request, so that an error a user reports
		// can be found in the log (which has the details the answer leaves
		// out).
		reqID := newRequestID()
		w.Header().Set("X-Request-Id", reqID)
		if r.Method == http.MethodHead {
			// The mux serves HEAD with a GET route's handler, which reads
			// and audits: a HEAD would be a read that returns nothing.
			// The API has no HEAD.
			allow := allowed(s.probe, r)
			err := errm(http.StatusNotFound, api.CodeNotFound, "store.err.api.no_endpoint_head", "Path", r.URL.Path)
			if len(allow) > 0 {
				err = methodNotAllowed(w, r, allow)
			}
			s.finish(w, r, rl, nil, err, reqID, start)
			return
		}
		if !auth {
			err := h(w, r, nil)
			s.finish(w, r, rl, nil, err, reqID, start)
			return
		}
		p, err := s.authenticate(r)
		if errors.Is(err, errUnauthorized) {
			// Failed sign-ins are limited per address, so that guessing
			// tokens (hopeless anyway: 256 random bits) cannot load the store.
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			if ok, retry := s.limiter.allow("addr:" + host); !ok {
				w.Header().Set("Retry-After", fmt.Sprint(int(retry.Seconds())+1))
				err = errm(http.StatusTooManyRequests, api.CodeRateLimited, "store.err.api.rate_addr")
			}
		}
		if err == nil {
			if ok, retry := s.limiter.allow(p.tokenID); !ok {
				w.Header().Set("Retry-After", fmt.Sprint(int(retry.Seconds())+1))
				err = errm(http.StatusTooManyRequests, api.CodeRateLimited, "store.err.api.rate_token")
			}
		}
		if err == nil {
			err = h(w, r, p)
		}
		s.finish(w, r, rl, p, err, reqID, start)
	})
}

// finish writes an error answer, if any, and logs the request. An error
// that is not an httpError comes from the driver or the file system: its
// text goes to the log only, the answer says "internal error" and the
// request id.
func (s *Server) finish(w *statusWriter, r *http.Request, rl *reqLog, p *principal, err error, reqID string, start time.Time) {
	level := slog.LevelInfo
	if err != nil {
		// The patient a portal request is from: its token's, or an expired
		// patient token's.
		var patientID string
		var pe *patientError
		switch {
		case p != nil && p.kind == kindPatient:
			patientID = p.patientID
		case errors.As(err, &pe):
			patientID = pe.patientID
		}
		// A store error says what was wrong with the request (an invalid
		// field, a record not there): 400, 403, 404 or 409 from every
		// handler, never a 500.
		err = storeError(err)
		var he *httpError
		if !errors.As(err, &he) {
			if errors.Is(err, context.Canceled) {
				err = errm(499, api.CodeInternal, "store.err.api.cancelled")
			} else {
				// Logged with its text: driver and file system errors name
				// tables and paths, never patient text.
				level = slog.LevelError
				rl.add("err", err.Error())
				err = errm(http.StatusInternalServerError, api.CodeInternal, "store.err.api.internal", "ID", reqID)
			}
			errors.As(err, &he)
		}
		rl.add("code", he.code)
		if he.status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", "1")
		}
		if w.status == 0 {
			var me *msgHTTPError
			detail := api.ErrorDetail{Code: he.code, Message: he.msg}
			if errors.As(err, &me) {
				detail.Msg = store.MessageJSON(me.m)
				// The portal shows a patient the sentence in their own
				// language, as it shows them their program.
				if patientID != "" {
					detail.Text = store.RenderMessage(s.patientPrinter(r.Context(), patientID), me.m)
				}
			}
			writeJSON(w, he.status, api.ErrorBody{Error: detail})
		}
	}
	took := time.Since(start)
	if w.status == 0 {
		w.status = http.StatusOK
	}
	s.metrics.observe(r.Pattern, w.status, took)
	attrs := []slog.Attr{
		slog.String("request_id", reqID),
		slog.String("method", r.Method),
		slog.String("route", r.Pattern),
		slog.Int("status", w.status),
		slog.Float64("ms", float64(took.Microseconds())/1000),
		slog.Int64("bytes", w.bytes),
	}
	if p != nil {
		attrs = append(attrs, slog.String("kind", p.kind), slog.String("token", p.tokenID))
		if p.kind == kindTherapist {
			attrs = append(attrs, slog.String("actor", p.actor.Handle))
		}
		if p.device != "" {
			attrs = append(attrs, slog.String("device", p.device))
		}
	}
	attrs = append(attrs, rl.attrs...)
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// patientError is an answer to a request from a known patient that has no
// principal (an expired portal token): the answer says it in the
// patient's language too.
type patientError struct {
	error
	patientID string
}

func (e *patientError) Unwrap() error { return e.error }

// patientPrinter is the printer of the patient's language (patients.language),
// English when it cannot be read.
func (s *Server) patientPrinter(ctx context.Context, patientID string) *i18n.Printer {
	var lang string
	err := s.db.Reader().QueryRowContext(context.WithoutCancel(ctx), "SELECT language FROM patients WHERE id = ?", patientID).Scan(&lang)
	if err != nil {
		return english()
	}
	return s.printers.get(lang)
}

// printers keeps one printer per language: a printer parses its catalogs
// once.
type printers struct {
	mu sync.Mutex
	by map[string]*i18n.Printer
}

func (ps *printers) get(lang string) *i18n.Printer {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p, ok := ps.by[lang]; ok {
		return p
	}
	if ps.by == nil {
		ps.by = map[string]*i18n.Printer{}
	}
	p := i18n.New(lang)
	ps.by[lang] = p
	return p
}

// newRequestID is 64 random bits in hex.
func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// checkJSONType insists on a JSON body: Content-Type application/json,
// with no charset or charset=utf-8 (JSON is UTF-8; a body declared in
// another charset would be read as something it is not). A form or text
// body must not be read as JSON because it happens to parse. required:
// a missing Content-Type is refused too.
func checkJSONType(r *http.Request, required bool) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && !required {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return errm(http.StatusUnsupportedMediaType, codeUnsupportedMediaType, "store.err.api.content_type", "Type", strconv.Quote(ct))
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return errm(http.StatusUnsupportedMediaType, codeUnsupportedMediaType, "store.err.api.content_type_charset", "Type", strconv.Quote(ct))
		}
	}
	return nil
}

// readBody reads a request body up to the size limit and decodes it
// strictly into dst. It returns the body as read.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, dst any) ([]byte, error) {
	if err := checkJSONType(r, true); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errm(http.StatusRequestEntityTooLarge, api.CodeTooLarge, "store.err.api.too_large", "Max", s.cfg.MaxBody)
		}
		return nil, badRequestm("store.err.api.read_body", "Err", err.Error())
	}
	if err := api.DecodeStrict(bytes.NewReader(body), dst); err != nil {
		return nil, badRequestErr(err)
	}
	return body, nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, p *principal) error {
	if len(r.URL.Query()) > 0 {
		return badRequestm("store.err.api.no_params", "Route", "GET /v1/me")
	}
	me := api.Me{Kind: p.kind, Device: p.device, Epoch: s.epoch, ServerTime: s.now().UTC()}
	if p.kind == kindTherapist {
		th := p.therapist
		me.Therapist = &th
	} else {
		me.PatientID = p.patientID
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}

// limiter is a token bucket per API token.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), now: time.Now, buckets: map[string]*bucket{}}
}

func (l *limiter) allow(key string) (bool, time.Duration) {
	if l.rate < 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) > 100_000 {
			l.buckets = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// CheckAddr refuses plain HTTP on anything but a loopback address.
func CheckAddr(addr string, withTLS bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return invalidErr("store.err.api.serve_addr", "Addr", strconv.Quote(addr), "Err", err.Error())
	}
	if withTLS || isLoopback(host) {
		return nil
	}
	return invalidErr("store.err.api.serve_plain_http", "Addr", strconv.Quote(addr))
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve listens on addr (TLS when certFile and keyFile are given) until ctx
// ends, then shuts down gracefully: requests in flight finish (for up to
// ten seconds). ready, if not nil, is called with the bound address.
func (s *Server) Serve(ctx context.Context, addr, certFile, keyFile string, ready func(net.Addr)) error {
	withTLS := certFile != "" || keyFile != ""
	if withTLS && (certFile == "" || keyFile == "") {
		return invalidErr("store.err.api.serve_tls_both")
	}
	if err := CheckAddr(addr, withTLS); err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if withTLS {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return invalidErr("store.err.api.serve_tls_load", "Err", err.Error())
		}
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if withTLS {
		ln = tls.NewListener(ln, hs.TLSConfig)
	}
	s.log.Info("serving", "addr", ln.Addr().String(), "tls", withTLS, "epoch", s.epoch)
	if s.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", s.cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return invalidErr("store.err.api.serve_metrics", "Err", err.Error())
		}
		ms := &http.Server{Handler: s.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
			ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
		s.log.Info("serving metrics", "addr", mln.Addr().String())
		go ms.Serve(mln)
		defer ms.Close()
	}
	go s.pruneLoop(ctx)
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	<-errc
	s.log.Info("stopped")
	return err
}

// KeepKeys is how long idempotency keys are kept: longer than replicas
// keep pushed ops (30 days), which they push again after a restore.
const KeepKeys = 60 * 24 * time.Hour

// PruneKeys deletes idempotency keys older than KeepKeys.
func (s *Server) PruneKeys(ctx context.Context) (int64, error) {
	cutoff := s.now().Add(-KeepKeys).UTC().Format("2006-01-02T15:04:05.000Z")
	res, err := s.db.Writer().ExecContext(ctx, "DELETE FROM idempotency WHERE at < ?", cutoff)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s *Server) pruneLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := s.PruneKeys(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("prune idempotency keys", "err", err.Error())
		} else if n > 0 {
			s.log.Info("pruned idempotency keys", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// codeUnsupportedMediaType answers a body that is not application/json (415).
const codeUnsupportedMediaType = "unsupported_media_type"
