package charterfile

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/charte/charte/internal/charte"
)

// versionDoc is the material content of a charter: what a visitor consents
// to. Its JSON encoding is canonical: struct fields in a fixed order, map
// keys sorted by encoding/json, lists sorted by id and name.
type versionDoc struct {
	Format     string            `json:"format"`
	Categories []versionCategory `json:"categories"`
	Cookies    []versionCookie   `json:"cookies"`
}

type versionCategory struct {
	ID          string      `json:"id"`
	Exempt      bool        `json:"exempt"`
	Name        charte.Text `json:"name"`
	Description charte.Text `json:"description"`
}

type versionCookie struct {
	Name     string       `json:"name"`
	Category string       `json:"category"`
	Provider string       `json:"provider"`
	Purpose  charte.Text  `json:"purpose"`
	Lifetime string       `json:"lifetime"`
	Party    charte.Party `json:"party"`
}

// Version returns the version hash of a charter's material content: the
// first 12 hex digits of the SHA-256 of a canonical JSON form of its
// categories (id, exempt, name, description) and cookies (name, category,
// provider, purpose, lifetime, party). A new version means every visitor
// must be asked again, so what does not change what they consent to is left
// out: the site's name, url, origins and contact, cookie services and
// domains, the options, the banner's look (layout, position, theme: a site
// restyles its banner without asking everyone again; what makes a consent
// free, equal buttons and wording, is a rule of the banner, not of the
// theme), the updated date, and the file's layout, comments and key order.
func Version(ch *charte.Charter) string {
	doc := versionDoc{
		Format:     "charte-version-1",
		Categories: make([]versionCategory, len(ch.Categories)),
		Cookies:    make([]versionCookie, len(ch.Cookies)),
	}
	for i, c := range ch.Categories {
		doc.Categories[i] = versionCategory{ID: c.ID, Exempt: c.Exempt, Name: c.Name, Description: c.Description}
	}
	for i, c := range ch.Cookies {
		doc.Cookies[i] = versionCookie{
			Name:     c.Name,
			Category: c.Category,
			Provider: c.Provider,
			Purpose:  c.Purpose,
			Lifetime: c.Lifetime.String(),
			Party:    c.Party,
		}
	}
	slices.SortStableFunc(doc.Categories, func(a, b versionCategory) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(doc.Cookies, func(a, b versionCookie) int { return cmp.Compare(a.Name, b.Name) })
	b, err := json.Marshal(doc)
	if err != nil {
		// Strings, booleans and string maps always encode.
		panic("charterfile: encode version: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:charte.VersionLen]
}
