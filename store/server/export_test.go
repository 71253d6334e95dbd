package server

// SetAfterAuthorize sets a function run inside a push's write transaction
// right after each op was authorized (tests use it to race a reassignment
// against the op).
func SetAfterAuthorize(s *Server, f func()) { s.afterAuthorize = f }

// IntakePatientsQuery is the query of the patients of the intake queue a
// pull reads on every page.
const IntakePatientsQuery = intakePatientsQuery
