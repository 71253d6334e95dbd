package syncer

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ReplicaError is a failure of the replica's own database during a sync
// round. Its text says what happened in words a therapist can act on; the
// driver's error (SQL terms, result codes) is kept in Err for logs and
// never shown.
type ReplicaError struct {
	Path string
	Err  error
}

func (e *ReplicaError) Unwrap() error { return e.Err }

func (e *ReplicaError) Error() string {
	what := "the replica could not be read or written"
	var se *sqlite.Error
	if errors.As(e.Err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			what = "the replica is busy (another polku is writing it); the next round tries again"
		case sqlite3.SQLITE_FULL:
			what = "the disk holding the replica is full"
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_AUTH:
			what = "the replica file cannot be written (check its permissions)"
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			what = "the replica file is damaged: run 'polku login' again to make a new one"
		case sqlite3.SQLITE_IOERR:
			what = "the replica file could not be read or written (a disk error)"
		}
	}
	if e.Path != "" {
		what += " (" + e.Path + ")"
	}
	return what
}

// replicaError wraps a driver error of the replica; anything else (the
// server's answers, network errors, the engine's own) passes as it is.
func replicaError(path string, err error) error {
	var se *sqlite.Error
	var re *ReplicaError
	if err == nil || errors.As(err, &re) || !errors.As(err, &se) {
		return err
	}
	return &ReplicaError{Path: path, Err: err}
}
