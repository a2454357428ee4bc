package charte_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

func TestBuiltinCategoryIDs(t *testing.T) {
	// The ids are charter keys, a public contract, necessary first.
	want := []string{"necessary", "preferences", "statistics", "marketing"}
	if diff := cmp.Diff(want, charte.BuiltinCategoryIDs()); diff != "" {
		t.Errorf("BuiltinCategoryIDs() (-want +got):\n%s", diff)
	}
}

func TestBuiltinCategory(t *testing.T) {
	tests := []struct {
		id     string
		ok     bool
		wantFR string // the French name
		wantEN string
	}{
		{id: "necessary", ok: true, wantFR: "Cookies nécessaires", wantEN: "Necessary cookies"},
		{id: "preferences", ok: true, wantFR: "Cookies de préférences", wantEN: "Preference cookies"},
		{id: "statistics", ok: true, wantFR: "Cookies statistiques", wantEN: "Statistics cookies"},
		{id: "marketing", ok: true, wantFR: "Cookies publicitaires", wantEN: "Marketing cookies"},
		{id: "video", ok: false},
		{id: "Necessary", ok: false},
		{id: "", ok: false},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			c, ok := charte.BuiltinCategory(tc.id)
			if ok != tc.ok {
				t.Fatalf("BuiltinCategory(%q) ok = %t, want %t", tc.id, ok, tc.ok)
			}
			if !ok {
				if c.ID != "" || c.Name != nil || c.Description != nil {
					t.Errorf("BuiltinCategory(%q) = %+v, want the zero category", tc.id, c)
				}
				return
			}
			if c.ID != tc.id || c.Name["fr"] != tc.wantFR || c.Name["en"] != tc.wantEN {
				t.Errorf("BuiltinCategory(%q) = %q %v, want %q {fr: %q, en: %q}", tc.id, c.ID, c.Name, tc.id, tc.wantFR, tc.wantEN)
			}
			if len(c.Name) != 2 || len(c.Description) != 2 || c.Description["fr"] == "" || c.Description["en"] == "" {
				t.Errorf("BuiltinCategory(%q) texts = %v, %v, want French and English", tc.id, c.Name, c.Description)
			}
		})
	}
}

// TestBuiltinCategoryCopies checks that a caller who edits the texts it got
// (as a charter that overrides a built-in name does) changes no one else's.
func TestBuiltinCategoryCopies(t *testing.T) {
	c, _ := charte.BuiltinCategory("statistics")
	c.Name["fr"] = "Mesure d'audience"
	c.Description["en"] = "changed"
	c.Name["de"] = "Statistik"
	again, _ := charte.BuiltinCategory("statistics")
	if again.Name["fr"] != "Cookies statistiques" || again.Description["en"] == "changed" || len(again.Name) != 2 {
		t.Errorf("BuiltinCategory(statistics) after an edit = %v %v, want the built-in texts", again.Name, again.Description)
	}
}
