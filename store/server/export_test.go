package server

// SetAfterAuthorize sets a function run inside a push's write transaction
// right after each op was authorized (tests use it to race a reassignment
// against the op).
func SetAfterAuthorize(s *Server, f func()) { s.afterAuthorize = f }

// VisibilityQuery is the query of what an actor sees, read on every page
// of a pull.
var VisibilityQuery = visibilityQuery
