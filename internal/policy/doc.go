// Package policy renders a [charte.Charter] as the site's cookie policy, the
// "Charte cookies" page every European website must publish: as HTML (a
// fragment for the web package's layout or for a CMS), as Markdown, and as
// JSON.
//
// The prose around the charter (what a cookie is, which kinds need consent,
// how to change one's choices) follows the CNIL's 2020 guidelines and
// recommendation on cookies and lives in this package's [i18n.Catalog], in
// French and English. The charter supplies everything site-specific.
//
// The package may import the standard library, charte and i18n.
package policy
