// Package i18n holds charte's message catalogues and negotiates the language a
// visitor is served in.
//
// Each package that shows text owns its own [Catalog] and tests it with
// [Catalog.Missing]; the consent banner's texts, which the web package sends
// inside the script, live here ([Banner]), one file per language. Plural
// messages take the form CLDR gives a number in each language
// ([Catalog.Plural]). The package may import the standard library and
// golang.org/x/text (language, feature/plural) only.
package i18n
