package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"polku/store/riskphrase"
)

// riskScanVersion names the way texts are read and matched (textHit and
// package riskphrase). Change it when a change there can change a result:
// every kept scan is then made again.
const riskScanVersion = "1"

// riskScan is the result of scanning one patient text for risk phrases.
type riskScan struct {
	sourceType, sourceID string
	at                   string // the text's time, as its table has it
	hit                  riskphrase.Hit
}

// riskScanKey names the word lists and the matching a scan was made
// with, short enough to keep on every row.
func riskScanKey(wordsKey string) string {
	sum := sha256.Sum256([]byte(riskScanVersion + "\x03" + wordsKey))
	return hex.EncodeToString(sum[:12])
}

// keepRiskScans stores scan results in the risk_scans table (a migration
// of its own): derived data, like an index, not a record. They are not in the
// change log, not synced and not exported: any store can make them again
// from its own texts, and a result made with other word lists is ignored.
func (db *DB) keepRiskScans(ctx context.Context, key string, scans []riskScan) error {
	if len(scans) == 0 {
		return nil
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, keepScanQuery) // one row a statement: see flushScans
	if err != nil {
		return err
	}
	defer st.Close()
	for _, s := range scans {
		hit := ""
		if s.hit.Phrase != "" {
			b, err := json.Marshal(s.hit)
			if err != nil {
				return err
			}
			hit = string(b)
		}
		if _, err := st.ExecContext(ctx, s.sourceType, s.sourceID, key, hit, s.at); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// riskScanCols is the number of values of a risk_scans row written.
const riskScanCols = 5

// keepScanQuery writes a risk_scans row (riskScanCols values), replacing
// the scan kept before of the same text.
const keepScanQuery = "INSERT INTO risk_scans (source_type, source_id, words, hit, at) VALUES (?, ?, ?, ?, ?)" +
	" ON CONFLICT (source_type, source_id) DO UPDATE SET words = excluded.words, hit = excluded.hit, at = excluded.at"

// scanWords is what a write scans its patient texts with: the word lists'
// key kept on each risk_scans row and their matcher. A DB keeps the last
// one (writeScans) so that the matcher is compiled once per word lists,
// not per write; each transaction asks for it once (tx.scanWords).
type scanWords struct {
	raw     string // the risk_words settings it was made from
	key     string // riskScanKey; "" when the lists do not compile
	matcher *riskphrase.Matcher
}

type writeScans struct {
	mu  sync.Mutex
	cur *scanWords
}

// scanWords reads the risk_words settings in the transaction and returns
// the word lists a text written in it is scanned with. Lists that do not
// compile leave the texts unscanned (key ""): the write is not refused,
// a report scans them.
func (t *tx) scanWords() (*scanWords, error) {
	if t.words != nil {
		return t.words, nil
	}
	st, err := t.stmt(`SELECT key, value FROM settings
		WHERE key = 'risk_words' OR key LIKE 'risk_words.%' ORDER BY key`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(t.ctx)
	if err != nil {
		return nil, err
	}
	var settings []Setting
	var raw strings.Builder
	for rows.Next() {
		// value is TEXT: a string, which database/sql does not store
		// into a json.RawMessage.
		var s Setting
		var value string
		if err := rows.Scan(&s.Key, &value); err != nil {
			rows.Close()
			return nil, err
		}
		s.Value = json.RawMessage(value)
		settings = append(settings, s)
		raw.WriteString(s.Key + "\x00" + string(s.Value) + "\x01")
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c := &t.db.writeScans
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil || c.cur.raw != raw.String() {
		// As DB.Policy reads them: defaults, then the settings in key
		// order; a setting that does not apply leaves the default.
		p := DefaultPolicy()
		for _, s := range settings {
			if _, known := policyKeys[s.Key]; known {
				_ = applySetting(&p, s.Key, s.Value)
			}
		}
		w := &scanWords{raw: raw.String()}
		if m, err := riskphrase.Compile(p.RiskWords); err == nil {
			w.key, w.matcher = riskScanKey(riskWordsKey(p)), m
		}
		c.cur = w
	}
	t.words = c.cur
	return t.words, nil
}

// keepScan scans a patient text being written (an inbound message, a
// submission's answers, a diary entry's fields, a peer-group post) and
// keeps the result with the write, so that a report need not scan it.
// Other records are left alone.
func (t *tx) keepScan(rec any) error {
	src := scanSourceOf(rec)
	if src.typ == "" {
		return nil
	}
	w, err := t.scanWords()
	if err != nil || w.matcher == nil {
		return err
	}
	hit, err := w.scan(src)
	if err != nil {
		return err
	}
	return t.addScan(src, w.key, hit)
}

// scanSource is the patient text of a record that is scanned for risk
// phrases: its kind (typ "" : the record has none), id, time and texts.
type scanSource struct {
	typ, id string
	at      time.Time
	texts   []string
}

func scanSourceOf(rec any) scanSource {
	switch r := rec.(type) {
	case *Message:
		if r.Direction == DirectionIn {
			return scanSource{RiskSourceMessage, r.ID, r.SentAt, []string{r.Body}}
		}
	case *Submission:
		return scanSource{RiskSourceSubmit, r.ID, r.SubmittedAt, answerTexts(r.Answers)}
	case *DiaryEntry:
		return scanSource{RiskSourceDiary, r.ID, r.RecordedAt, answerTexts(r.Fields)}
	case *GroupPost:
		return scanSource{RiskSourcePost, r.ID, r.PostedAt, []string{r.Body}}
	}
	return scanSource{}
}

// scan scans a text with the word lists (w.matcher set) and returns the
// hit as stored ("" : none).
func (w *scanWords) scan(src scanSource) (string, error) {
	hit, _ := w.matcher.Match(src.texts...)
	if hit.Phrase == "" {
		return "", nil
	}
	b, err := json.Marshal(hit)
	return string(b), err
}

// addScan keeps a scan with the write, written in multi-row inserts.
func (t *tx) addScan(src scanSource, key, hit string) error {
	t.scans = append(t.scans, src.typ, src.id, key, hit, fmtTime(src.at))
	if len(t.scans) >= scanBatch*riskScanCols {
		return t.flushScans()
	}
	return nil
}

const scanBatch = 128

// flushScans writes the scans kept so far, in multi-row inserts.
//
// One row a statement: a statement of several rows is run by SQLite with
// a statement journal (each page it touches copied first, in case a later
// row fails), which made keeping the scans of a first sync or an import
// twice as slow as this.
func (t *tx) flushScans() error {
	for len(t.scans) > 0 {
		if _, err := t.exec(keepScanQuery, t.scans[:riskScanCols]...); err != nil {
			return err
		}
		t.scans = t.scans[riskScanCols:]
	}
	t.scans = nil
	return nil
}

// answerTexts lists the texts of a submission's answers or a diary entry's
// fields in the order textHit reads them.
func answerTexts(answers map[string]string) []string {
	texts := make([]string, 0, len(answers))
	for _, v := range answers {
		texts = append(texts, v)
	}
	sort.Strings(texts)
	return texts
}
