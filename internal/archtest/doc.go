// Package archtest holds no code: its test enforces, for every package of
// the module, the imports that the package's doc comment allows, so that the
// layering of docs/decisions.md and STYLE.md (the domain at the centre, one
// package per outside dependency, only cmd/charte sees them all) is checked
// by `go test` rather than by review.
//
// It may import only the standard library.
package archtest
