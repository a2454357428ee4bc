package charte

import (
	"slices"
	"strconv"
	"strings"
)

// CharterDiff is what changed from one charter version to another, in what
// the visitor consents to (categories and cookies), and in the banner's
// look, which also makes a new version.
type CharterDiff struct {
	CategoriesAdded   []string
	CategoriesRemoved []string
	Added             []Cookie
	Removed           []Cookie
	Changed           []CookieChange
	// Look lists the banner's keys that changed, by their charter paths
	// (options.layout, theme.accent, theme.dark.text …), as the charters
	// give them ("" for a key left out).
	Look []FieldChange
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

// Empty reports whether nothing changed in the categories and cookies;
// the banner's look may have (see Look).
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
	d.Look = lookDiff(from, to)
	return d
}

// lookDiff returns the banner's keys that differ between from and to, in
// the order of the charter reference.
func lookDiff(from, to *Charter) []FieldChange {
	var out []FieldChange
	add := func(field, a, b string) {
		if a != b {
			out = append(out, FieldChange{Field: field, From: a, To: b})
		}
	}
	add("options.layout", string(from.Options.Layout), string(to.Options.Layout))
	add("options.position", string(from.Options.Position), string(to.Options.Position))
	f, t := from.Theme, to.Theme
	add("theme.preset", f.Preset, t.Preset)
	add("theme.accent", f.Accent, t.Accent)
	add("theme.accent_text", f.AccentText, t.AccentText)
	add("theme.background", f.Background, t.Background)
	add("theme.text", f.Text, t.Text)
	radius := func(r *int) string {
		if r == nil {
			return ""
		}
		return strconv.Itoa(*r)
	}
	add("theme.radius", radius(f.Radius), radius(t.Radius))
	add("theme.font", f.Font, t.Font)
	var fd, td Colors
	if f.Dark != nil {
		fd = *f.Dark
	}
	if t.Dark != nil {
		td = *t.Dark
	}
	add("theme.dark.accent", fd.Accent, td.Accent)
	add("theme.dark.accent_text", fd.AccentText, td.AccentText)
	add("theme.dark.background", fd.Background, td.Background)
	add("theme.dark.text", fd.Text, td.Text)
	return out
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
