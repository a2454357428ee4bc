package charte

import (
	"slices"
	"strings"
)

// CharterDiff is what changed from one charter version to another, in what
// the visitor consents to: categories and cookies.
type CharterDiff struct {
	CategoriesAdded   []string
	CategoriesRemoved []string
	Added             []Cookie
	Removed           []Cookie
	Changed           []CookieChange
}

// CookieChange is a cookie declared in both versions, with what changed.
type CookieChange struct {
	Name    string
	Changes []FieldChange
}

// FieldChange is one field of a cookie that changed; texts are compared in
// every language and shown in lang.
type FieldChange struct {
	Field    string
	From, To string
}

// Empty reports whether nothing changed.
func (d CharterDiff) Empty() bool {
	return len(d.CategoriesAdded)+len(d.CategoriesRemoved)+len(d.Added)+len(d.Removed)+len(d.Changed) == 0
}

// Diff compares two charters; texts of changed fields are given in lang.
func Diff(from, to *Charter, lang string) CharterDiff {
	var d CharterDiff
	fromCats, toCats := map[string]bool{}, map[string]bool{}
	for _, c := range from.Categories {
		fromCats[c.ID] = true
	}
	for _, c := range to.Categories {
		toCats[c.ID] = true
		if !fromCats[c.ID] {
			d.CategoriesAdded = append(d.CategoriesAdded, c.ID)
		}
	}
	for _, c := range from.Categories {
		if !toCats[c.ID] {
			d.CategoriesRemoved = append(d.CategoriesRemoved, c.ID)
		}
	}
	old := map[string]Cookie{}
	for _, c := range from.Cookies {
		old[c.Name] = c
	}
	seen := map[string]bool{}
	for _, c := range to.Cookies {
		seen[c.Name] = true
		o, ok := old[c.Name]
		if !ok {
			d.Added = append(d.Added, c)
			continue
		}
		var ch []FieldChange
		add := func(field, a, b string) {
			if a != b {
				ch = append(ch, FieldChange{Field: field, From: a, To: b})
			}
		}
		add("category", o.Category, c.Category)
		add("provider", o.Provider, c.Provider)
		if !textEqual(o.Purpose, c.Purpose) {
			ch = append(ch, FieldChange{Field: "purpose", From: o.Purpose.In(lang), To: c.Purpose.In(lang)})
		}
		if !textEqual(o.Service, c.Service) {
			ch = append(ch, FieldChange{Field: "service", From: o.Service.In(lang), To: c.Service.In(lang)})
		}
		add("lifetime", o.Lifetime.String(), c.Lifetime.String())
		add("party", string(o.Party), string(c.Party))
		add("domain", o.Domain, c.Domain)
		if len(ch) > 0 {
			d.Changed = append(d.Changed, CookieChange{Name: c.Name, Changes: ch})
		}
	}
	for _, c := range from.Cookies {
		if !seen[c.Name] {
			d.Removed = append(d.Removed, c)
		}
	}
	slices.SortFunc(d.Changed, func(a, b CookieChange) int { return strings.Compare(a.Name, b.Name) })
	return d
}

func textEqual(a, b Text) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
