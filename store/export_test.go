package store

// DefParses is how many program and instrument definitions db has parsed.
func DefParses(db *DB) int64 { return db.defs.parses.Load() }
