package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"polku/store/riskphrase"
)

// riskScanVersion names the way texts are read and matched (textHit and
// package riskphrase). Change it when a change there can change a result:
// every kept scan is then made again.
const riskScanVersion = "1"

// riskScan is the result of scanning one patient text for risk phrases.
type riskScan struct {
	sourceType, sourceID string
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
	const batch = 200
	for len(scans) > 0 {
		n := min(len(scans), batch)
		args := make([]any, 0, n*4)
		for _, s := range scans[:n] {
			hit := ""
			if s.hit.Phrase != "" {
				b, err := json.Marshal(s.hit)
				if err != nil {
					return err
				}
				hit = string(b)
			}
			args = append(args, s.sourceType, s.sourceID, key, hit)
		}
		q := "INSERT INTO risk_scans (source_type, source_id, words, hit) VALUES (?, ?, ?, ?)" + strings.Repeat(", (?, ?, ?, ?)", n-1) +
			" ON CONFLICT (source_type, source_id) DO UPDATE SET words = excluded.words, hit = excluded.hit"
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		scans = scans[n:]
	}
	return tx.Commit()
}
