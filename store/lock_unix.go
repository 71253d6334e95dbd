//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// LockStore takes the store's lock: an exclusive flock on PATH.lock, held
// until release is called or the process ends (a kill -9 too). 'polku
// serve' holds it while it serves and 'polku restore' while it replaces the
// file, so that a restore never swaps the file under a running server. It
// does not wait: when another process holds the lock it returns an error
// that wraps ErrStoreBusy and names the holder. holder ("polku serve") is
// written into the lock file with the process id for that message.
func LockStore(path, holder string) (release func(), err error) {
	lockPath := path + ".lock"
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the store's lock %s: %w", lockPath, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := "another process"
			if b, rerr := os.ReadFile(lockPath); rerr == nil && strings.TrimSpace(string(b)) != "" {
				who = strings.TrimSpace(string(b))
			}
			return nil, busyError(fmt.Sprintf("%s is in use by %s: stop it first", path, who))
		}
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(fmt.Sprintf("%s (pid %d)\n", holder, os.Getpid())), 0)
	return func() {
		f.Truncate(0)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
