// Package archtest holds no code, only tests of the module's layout, so
// that `go test` rather than review checks it: every package imports only
// what its row of the import rules allows (the domain at the centre, one
// package per outside dependency, only commands see them all; see
// docs/decisions.md), and the two stores have the same migrations.
//
// Its tests may import the standard library and the charte domain package.
package archtest
