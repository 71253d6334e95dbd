//go:build !unix

package store

// LockStore is a no-op where there is no flock: stop 'polku serve' before
// 'polku restore' by hand.
func LockStore(path, holder string) (release func(), err error) {
	return func() {}, nil
}
