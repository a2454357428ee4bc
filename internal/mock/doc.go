// Package mock holds fakes of charte's service interfaces for tests: each
// is a struct with one function field per method, named after it with an
// Fn suffix, that a test sets to make the method answer as it needs (a
// store that fails, a record that exists). A method whose field is nil
// panics, so that a test notices a call it did not expect.
//
// It may import only the standard library and internal/charte. Only
// _test.go files import it; the real stores are tested against a real
// database in internal/storetest.
package mock
