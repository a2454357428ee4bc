package charte

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	base := &Charter{
		Categories: []Category{{ID: "necessary"}, {ID: "statistics"}},
		Cookies: []Cookie{
			{Name: "sid", Category: "necessary", Provider: "Shop", Purpose: Text{"en": "Session"}, Lifetime: SessionLifetime, Party: PartyFirst},
			{Name: "_pk_id.*", Category: "statistics", Provider: "Matomo", Purpose: Text{"en": "Audience"}, Lifetime: Lifetime{Duration: Duration{N: 13, Unit: UnitMonth}}, Party: PartyFirst},
		},
	}
	next := &Charter{
		Categories: []Category{{ID: "necessary"}, {ID: "marketing"}},
		Cookies: []Cookie{
			{Name: "sid", Category: "necessary", Provider: "Shop", Purpose: Text{"en": "Keeps you signed in"}, Lifetime: Lifetime{Duration: Duration{N: 2, Unit: UnitWeek}}, Party: PartyFirst},
			{Name: "ads", Category: "marketing", Provider: "Ads", Purpose: Text{"en": "Ads"}, Lifetime: SessionLifetime, Party: PartyThird},
		},
	}
	got := Diff(base, next, "en")
	want := CharterDiff{
		CategoriesAdded:   []string{"marketing"},
		CategoriesRemoved: []string{"statistics"},
		Added:             []Cookie{next.Cookies[1]},
		Removed:           []Cookie{base.Cookies[1]},
		Changed: []CookieChange{{Name: "sid", Changes: []FieldChange{
			{Field: "purpose", From: "Session", To: "Keeps you signed in"},
			{Field: "lifetime", From: "session", To: "2w"},
		}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if !Diff(base, base, "en").Empty() {
		t.Error("Diff of a charter with itself is not empty")
	}
}

func TestDiffCookieFields(t *testing.T) {
	sid := Cookie{Name: "sid", Category: "necessary", Provider: "Shop", Service: Text{"en": "Shop", "fr": "Boutique"},
		Purpose: Text{"en": "Session", "fr": "Session"}, Lifetime: SessionLifetime, Party: PartyFirst, Domain: "shop.example"}
	with := func(edit func(*Cookie)) Cookie {
		c := sid
		c.Service, c.Purpose = cloneText(sid.Service), cloneText(sid.Purpose)
		edit(&c)
		return c
	}
	tests := []struct {
		name string
		to   Cookie
		lang string
		want []FieldChange // nil: no change
	}{
		{name: "same", to: with(func(*Cookie) {})},
		{name: "category", to: with(func(c *Cookie) { c.Category = "statistics" }),
			want: []FieldChange{{Field: "category", From: "necessary", To: "statistics"}}},
		{name: "provider", to: with(func(c *Cookie) { c.Provider = "Shop SAS" }),
			want: []FieldChange{{Field: "provider", From: "Shop", To: "Shop SAS"}}},
		{name: "purpose in another language, shown in lang", to: with(func(c *Cookie) { c.Purpose["fr"] = "Connexion" }), lang: "fr",
			want: []FieldChange{{Field: "purpose", From: "Session", To: "Connexion"}}},
		// A text changed in another language is a change, shown in lang.
		{name: "purpose gains a language", to: with(func(c *Cookie) { c.Purpose["de"] = "Sitzung" }), lang: "en",
			want: []FieldChange{{Field: "purpose", From: "Session", To: "Session"}}},
		{name: "purpose loses a language, same length", to: with(func(c *Cookie) { delete(c.Purpose, "fr"); c.Purpose["de"] = "Session" }), lang: "en",
			want: []FieldChange{{Field: "purpose", From: "Session", To: "Session"}}},
		{name: "service", to: with(func(c *Cookie) { c.Service["en"] = "Shop front" }), lang: "en",
			want: []FieldChange{{Field: "service", From: "Shop", To: "Shop front"}}},
		{name: "lifetime", to: with(func(c *Cookie) { c.Lifetime = Lifetime{Duration: Duration{N: 30, Unit: UnitDay}} }),
			want: []FieldChange{{Field: "lifetime", From: "session", To: "30d"}}},
		{name: "party", to: with(func(c *Cookie) { c.Party = PartyThird }),
			want: []FieldChange{{Field: "party", From: "first", To: "third"}}},
		{name: "domain", to: with(func(c *Cookie) { c.Domain = "" }),
			want: []FieldChange{{Field: "domain", From: "shop.example", To: ""}}},
		{name: "several, in field order", to: with(func(c *Cookie) { c.Domain = ".shop.example"; c.Provider = "Other"; c.Category = "marketing" }),
			want: []FieldChange{{Field: "category", From: "necessary", To: "marketing"}, {Field: "provider", From: "Shop", To: "Other"}, {Field: "domain", From: "shop.example", To: ".shop.example"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lang := tc.lang
			if lang == "" {
				lang = "en"
			}
			got := Diff(&Charter{Cookies: []Cookie{sid}}, &Charter{Cookies: []Cookie{tc.to}}, lang)
			var want CharterDiff
			if tc.want != nil {
				want.Changed = []CookieChange{{Name: "sid", Changes: tc.want}}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
			if got.Empty() != (tc.want == nil) {
				t.Errorf("Diff(…).Empty() = %t, want %t", got.Empty(), tc.want == nil)
			}
		})
	}
}

func TestDiffOrder(t *testing.T) {
	cookie := func(name, provider string) Cookie { return Cookie{Name: name, Provider: provider} }
	from := &Charter{
		Categories: []Category{{ID: "necessary"}, {ID: "b"}, {ID: "a"}},
		Cookies:    []Cookie{cookie("z", "1"), cookie("a", "1"), cookie("m", "1"), cookie("gone2", ""), cookie("gone1", "")},
	}
	to := &Charter{
		Categories: []Category{{ID: "d"}, {ID: "necessary"}, {ID: "c"}},
		Cookies:    []Cookie{cookie("new2", ""), cookie("m", "2"), cookie("z", "2"), cookie("new1", ""), cookie("a", "2")},
	}
	got := Diff(from, to, "en")
	change := func(name string) CookieChange {
		return CookieChange{Name: name, Changes: []FieldChange{{Field: "provider", From: "1", To: "2"}}}
	}
	// Categories and added or removed cookies in the charters' order;
	// changed cookies by name.
	want := CharterDiff{
		CategoriesAdded:   []string{"d", "c"},
		CategoriesRemoved: []string{"b", "a"},
		Added:             []Cookie{cookie("new2", ""), cookie("new1", "")},
		Removed:           []Cookie{cookie("gone2", ""), cookie("gone1", "")},
		Changed:           []CookieChange{change("a"), change("m"), change("z")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

func TestDiffLook(t *testing.T) {
	zero := 0
	from := &Charter{Theme: Theme{Accent: "#000091"}}
	to := &Charter{
		Options: Options{Layout: LayoutBar, Position: PositionTop},
		Theme:   Theme{Preset: PresetDSFR, Radius: &zero, Dark: &Colors{Text: "#fff"}},
	}
	want := []FieldChange{
		{Field: "options.layout", To: "bar"},
		{Field: "options.position", To: "top"},
		{Field: "theme.preset", To: "dsfr"},
		{Field: "theme.accent", From: "#000091"},
		{Field: "theme.radius", To: "0"},
		{Field: "theme.dark.text", To: "#fff"},
	}
	d := Diff(from, to, "en")
	if diff := cmp.Diff(want, d.Look); diff != "" {
		t.Errorf("Diff().Look (-want +got):\n%s", diff)
	}
	if !d.Empty() {
		t.Error("a change of look alone changed categories or cookies")
	}
	if got := Diff(to, to, "en").Look; got != nil {
		t.Errorf("Diff of a charter with itself: Look = %v", got)
	}
}
