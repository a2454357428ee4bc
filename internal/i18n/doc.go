// Package i18n holds charte's message catalogues and negotiates the language a
// visitor is served in.
//
// Each package that shows text owns its own [Catalog] and tests it with
// [Catalog.Missing]. The package may import the standard library and
// golang.org/x/text/language only.
package i18n
