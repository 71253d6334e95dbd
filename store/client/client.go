// Package client talks to a polku server (store/server) over its HTTP API:
// the sync calls a replica makes and the patient portal's calls that
// 'polku simulate' makes.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"polku/internal/i18n"
	"polku/store"
	"polku/store/api"
)

// Client is an authenticated connection to one server.
type Client struct {
	base    *url.URL
	token   string
	http    *http.Client
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	backoff Backoff
}

// Options configure a client.
type Options struct {
	// HTTP is the HTTP client to use (default: one with a 30 s timeout).
	// Its redirect policy is replaced: redirects are followed only on the
	// server's own origin (scheme, host and port).
	HTTP *http.Client
	// Clock reads Retry-After dates (default time.Now).
	Clock func() time.Time
	// Sleep waits between retries (default: a timer that ctx can end).
	Sleep func(ctx context.Context, d time.Duration) error
	// Backoff says how 429 and 503 answers are retried.
	Backoff Backoff
}

// maxRedirects is how many same-origin redirects one request follows.
const maxRedirects = 5

// New makes a client for the server at baseURL (https://host:port, or
// http://127.0.0.1:port on this computer) with a token.
func New(baseURL, token string, opts Options) (*Client, error) {
	u, err := ParseServer(baseURL)
	if err != nil {
		return nil, err
	}
	hc := opts.HTTP
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 4
		hc = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	}
	own := *hc // the caller's client keeps its own policy
	own.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// A redirect to another origin would carry the token there (Go
		// keeps Authorization across ports of one host, and anywhere
		// within a domain) or downgrade https to http: never follow it.
		if req.URL.Scheme != u.Scheme || !strings.EqualFold(req.URL.Host, u.Host) {
			to := url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host}
			return &RedirectError{From: u.String(), To: to.String()}
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("the server at %s redirected %d times: stopped", u, len(via))
		}
		return nil
	}
	c := &Client{base: u, token: strings.TrimSpace(token), http: &own, now: opts.Clock, sleep: opts.Sleep, backoff: opts.Backoff.withDefaults()}
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	return c, nil
}

// ParseServer checks a server address. Plain http:// is refused for any
// host but this computer's loopback addresses: tokens and patient data
// would cross the network unencrypted.
func ParseServer(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(s), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, store.NewError(store.ErrInvalid, i18n.Msg("store.err.client.address", "Server", strconv.Quote(s)))
	}
	if u.Path != "" || u.RawQuery != "" {
		return nil, store.NewError(store.ErrInvalid, i18n.Msg("store.err.client.address_path", "Server", strconv.Quote(s)))
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, store.NewError(store.ErrInvalid, i18n.Msg("store.err.client.address_plain_http", "Server", strconv.Quote(s), "Host", u.Host))
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Server is the server's address.
func (c *Client) Server() string { return c.base.String() }

// Error is an error answer from the server.
type Error struct {
	Status  int
	Code    string
	Message string
	// Msg is Message as a message of the store catalogs, when the server
	// sent it (servers older than it send only the English text): the
	// edge that knows the reader says it in their language (Localize).
	Msg i18n.Message
	// RetryAfter is the wait the server asked for (Retry-After on a 429
	// or 503), 0 when it gave none.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Code == CodeNotPolku {
		return e.Message // says the status itself
	}
	return fmt.Sprintf("server: %s (%d %s)", e.Message, e.Status, e.Code)
}

// CodeNotPolku is the Code of an error answer that is not a polku
// server's (an HTML page or other JSON from a proxy in front of it).
const CodeNotPolku = "not_polku"

// notPolku says what an answer that is not a polku error body was: its
// status, that a proxy may be in between, and at most a short, printable
// first line of its text (an HTML page from a proxy is up to a megabyte
// of markup, and its text is not to be trusted on a terminal).
func notPolku(resp *http.Response, body []byte) string {
	msg := "the server answered " + resp.Status + " (not polku's answer: is a proxy in front of it?)"
	if line := firstLine(body); line != "" {
		msg += ": " + line
	}
	return msg
}

// firstLine is the first line of text in body with markup, controls and
// escapes dropped, at most 80 characters.
func firstLine(body []byte) string {
	const max = 80
	var b strings.Builder
	inTag := false
	n := 0
	for _, r := range string(body) {
		switch {
		case r == '<':
			inTag = true
			continue
		case r == '>' && inTag:
			inTag = false
			continue
		case inTag:
			continue
		case r == '\n' || r == '\r':
			if strings.TrimSpace(b.String()) != "" {
				return finishLine(b.String(), n >= max)
			}
			b.Reset()
			n = 0
			continue
		case r == '\t':
			r = ' '
		case r == utf8.RuneError || !unicode.IsPrint(r) || unicode.Is(unicode.Bidi_Control, r):
			continue
		}
		if n >= max {
			return finishLine(b.String(), true)
		}
		b.WriteRune(r)
		n++
	}
	return finishLine(b.String(), false)
}

func finishLine(s string, cut bool) string {
	s = strings.Join(strings.Fields(s), " ")
	if cut && s != "" {
		s += "…"
	}
	return s
}

// IsResync says whether the server answered that the replica's pull
// cursor names a change it does not have (it was restored from a backup).
func IsResync(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == api.CodeResync
}

// IsUnauthorized says whether the server refused the token.
func IsUnauthorized(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusUnauthorized
}

// IsOffline says whether err means the server could not be reached (as
// opposed to an answer from it).
func IsOffline(err error) bool {
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return true
	}
	var ne net.Error
	var oe *net.OpError
	var e *Error
	if errors.As(err, &e) {
		return e.Status >= 500 && e.Status != http.StatusInternalServerError
	}
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// do sends one request. A 429 answer (the request was refused before it
// ran) is tried again, and so is a 503 to a request that is safe to repeat
// (not a POST without an idempotency key), as the server's Retry-After
// says or else with backoff, up to the backoff's attempts; a wait longer
// than the backoff's maximum is left to the caller (RetryAfter).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, header map[string]string, body, out any) (int, error) {
	u := *c.base
	u.Path = path
	if query != nil {
		u.RawQuery = query.Encode()
	}
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		raw = b
	}
	repeatable := method != http.MethodPost || header["Idempotency-Key"] != "" || path == "/v1/ops"
	for attempt := 0; ; attempt++ {
		status, err := c.once(ctx, method, u.String(), header, raw, body != nil, out)
		var e *Error
		if !errors.As(err, &e) || attempt+1 >= c.backoff.Attempts ||
			!(e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable && repeatable) {
			return status, err
		}
		wait := c.backoff.Wait(err, attempt)
		if wait > c.backoff.Max {
			return status, err
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return status, err
		}
	}
}

func (c *Client) once(ctx context.Context, method, u string, header map[string]string, raw []byte, hasBody bool, out any) (int, error) {
	var rd io.Reader
	if hasBody {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, unreachable(c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var eb api.ErrorBody
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(b, &eb) != nil || eb.Error.Message == "" || eb.Error.Code == "" {
			eb.Error = api.ErrorDetail{Code: CodeNotPolku, Message: notPolku(resp, b)}
		}
		e := &Error{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message}
		if m, err := store.MessageFromJSON(eb.Error.Msg); err == nil {
			e.Msg = m
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		}
		return resp.StatusCode, e
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.StatusCode, fmt.Errorf("reading the server's answer to %s %s: %w", method, req.URL.Path, err)
		}
	}
	return resp.StatusCode, nil
}

// Me asks who the token belongs to.
func (c *Client) Me(ctx context.Context) (*api.Me, error) {
	var me api.Me
	_, err := c.do(ctx, http.MethodGet, "/v1/me", nil, nil, nil, &me)
	return &me, err
}

// Push sends operations in order.
func (c *Client) Push(ctx context.Context, ops []api.PushOp) (*api.PushResponse, error) {
	return c.PushUnder(ctx, "", ops)
}

// PushUnder sends operations in order, saying they belong to the server
// epoch epoch ("" for none): a server with another epoch applies none of
// them and answers an *Error with Code api.CodeEpochChanged.
func (c *Client) PushUnder(ctx context.Context, epoch string, ops []api.PushOp) (*api.PushResponse, error) {
	var resp api.PushResponse
	var header map[string]string
	if epoch != "" {
		header = map[string]string{api.HeaderEpoch: epoch}
	}
	_, err := c.do(ctx, http.MethodPost, "/v1/ops", nil, header, api.PushRequest{Ops: ops}, &resp)
	return &resp, err
}

// Pull asks for one page of changes after a cursor ("" or "0" for all),
// with the check the cursor came with ("" for none); limit 0 takes the
// server's page size. A server whose change at the cursor is not the one
// the check names answers an *Error with Code api.CodeResync.
func (c *Client) Pull(ctx context.Context, since, check string, limit int) (*api.PullResponse, error) {
	q := url.Values{}
	if since != "" {
		q.Set("since", since)
	}
	if check != "" {
		q.Set("check", check)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var resp api.PullResponse
	_, err := c.do(ctx, http.MethodGet, "/v1/changes", q, nil, nil, &resp)
	return &resp, err
}

// --- the patient portal ---

func keyHeader(key string) map[string]string {
	if key == "" {
		return nil
	}
	return map[string]string{"Idempotency-Key": key}
}

// PatientMe reads the patient's enrollment and program.
func (c *Client) PatientMe(ctx context.Context) (*api.PatientView, error) {
	var v api.PatientView
	_, err := c.do(ctx, http.MethodGet, "/v1/patient/me", nil, nil, nil, &v)
	return &v, err
}

// Submit submits an exercise; key (optional) makes a retry safe.
func (c *Client) Submit(ctx context.Context, key string, req api.SubmitRequest) (*api.Created, error) {
	var out api.Created
	_, err := c.do(ctx, http.MethodPost, "/v1/patient/submissions", nil, keyHeader(key), req, &out)
	return &out, err
}

// Diary stores a diary day.
func (c *Client) Diary(ctx context.Context, key string, req api.DiaryRequest) (*api.Created, error) {
	var out api.Created
	_, err := c.do(ctx, http.MethodPost, "/v1/patient/diary", nil, keyHeader(key), req, &out)
	return &out, err
}

// Measure answers an instrument.
func (c *Client) Measure(ctx context.Context, key string, req api.MeasureRequest) (*api.Created, error) {
	var out api.Created
	_, err := c.do(ctx, http.MethodPost, "/v1/patient/measures", nil, keyHeader(key), req, &out)
	return &out, err
}

// Message sends a message to the therapist.
func (c *Client) Message(ctx context.Context, key string, req api.MessageRequest) (*api.Created, error) {
	var out api.Created
	_, err := c.do(ctx, http.MethodPost, "/v1/patient/messages", nil, keyHeader(key), req, &out)
	return &out, err
}

// MaxReadIDs is the most ids the server takes in one request that marks
// records read (store/server.MaxReadIDs).
const MaxReadIDs = 1000

// MarkFeedbackRead marks feedback read, in requests of at most MaxReadIDs
// ids; key (optional) makes a retry safe, each request with its own key
// derived from it.
func (c *Client) MarkFeedbackRead(ctx context.Context, key string, ids ...string) error {
	for part := 0; len(ids) > 0; part++ {
		n := min(len(ids), MaxReadIDs)
		k := key
		if key != "" && (part > 0 || n < len(ids)) {
			k = key + "." + strconv.Itoa(part)
		}
		if _, err := c.do(ctx, http.MethodPost, "/v1/patient/feedback/read", nil, keyHeader(k), api.ReadRequest{IDs: ids[:n]}, nil); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// Feedback lists the patient's feedback.
func (c *Client) Feedback(ctx context.Context) ([]store.Feedback, error) {
	list, _, err := c.FeedbackSince(ctx, "")
	return list, err
}

// FeedbackSince lists the patient's feedback written or changed after a
// cursor ("" for all), and the cursor to pass next time.
func (c *Client) FeedbackSince(ctx context.Context, cursor string) ([]store.Feedback, string, error) {
	var out api.FeedbackList
	_, err := c.do(ctx, http.MethodGet, "/v1/patient/feedback", sinceQuery(cursor), nil, nil, &out)
	return out.Feedback, out.Cursor, err
}

// Messages lists the patient's messages.
func (c *Client) Messages(ctx context.Context) ([]store.Message, error) {
	list, _, err := c.MessagesSince(ctx, "")
	return list, err
}

// MessagesSince lists the patient's messages written or changed after a
// cursor ("" for all), and the cursor to pass next time.
func (c *Client) MessagesSince(ctx context.Context, cursor string) ([]store.Message, string, error) {
	var out api.MessageList
	_, err := c.do(ctx, http.MethodGet, "/v1/patient/messages", sinceQuery(cursor), nil, nil, &out)
	return out.Messages, out.Cursor, err
}

func sinceQuery(cursor string) url.Values {
	if cursor == "" {
		return nil
	}
	return url.Values{"since": {cursor}}
}

// --- admin ---

// SyntheticPatients lists the synthetic patients with an active enrollment.
func (c *Client) SyntheticPatients(ctx context.Context) ([]api.PatientRef, error) {
	var out api.SyntheticPatients
	_, err := c.do(ctx, http.MethodGet, "/v1/admin/synthetic-patients", nil, nil, nil, &out)
	return out.Patients, err
}

// CreatePatientToken makes a patient portal token.
func (c *Client) CreatePatientToken(ctx context.Context, patientID, device string) (*api.PatientToken, error) {
	var out api.PatientToken
	_, err := c.do(ctx, http.MethodPost, "/v1/admin/patient-tokens", nil, nil, api.PatientTokenRequest{PatientID: patientID, Device: device}, &out)
	return &out, err
}

// PatientAudit reads a patient's access report (id or pseudonym) from the
// server's audit log.
func (c *Client) PatientAudit(ctx context.Context, patient string) (*api.AuditLog, error) {
	var out api.AuditLog
	_, err := c.do(ctx, http.MethodGet, "/v1/audit/"+url.PathEscape(patient), nil, nil, nil, &out)
	return &out, err
}

// RevokeToken revokes a token by id.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, "/v1/admin/tokens/"+url.PathEscape(id), nil, nil, nil, nil)
	return err
}

// CodeTokenExpired is the code of a 401 answer to an expired token.
const CodeTokenExpired = "token_expired"

// IsExpired says whether the server refused the token because it expired
// (the answer's message says what to do).
func IsExpired(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusUnauthorized && e.Code == CodeTokenExpired
}
