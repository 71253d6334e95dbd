package store

import "context"

// DefParses is how many program and instrument definitions db has parsed.
func DefParses(db *DB) int64 { return db.defs.parses.Load() }

// SummaryFactsNow is the figures of an enrollment as a new draft reads them.
func SummaryFactsNow(ctx context.Context, db *DB, actor Actor, enrollmentID string) (*SummaryFacts, error) {
	e, err := db.Enrollment(ctx, actor, enrollmentID)
	if err != nil {
		return nil, err
	}
	return db.summaryFacts(ctx, e, nil)
}
