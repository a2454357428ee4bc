package i18n

import "testing"

func TestFrenchSpacingFault(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Fournisseur\u00a0: charte", ""},
		{"Fournisseur : charte", " :"},
		{"Vraiment\u202f?", ""},
		{"Vraiment ?", " ?"},
		{"« cookies »", "« "},
		{"«\u00a0cookies\u00a0»", ""},
		{"Ratio 4.5:1", ""},
		{"https://example.org", ""},
	}
	for _, tc := range tests {
		if got := FrenchSpacingFault(tc.in); got != tc.want {
			t.Errorf("FrenchSpacingFault(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFrenchCatalogues checks the catalogues of this package.
func TestFrenchCatalogues(t *testing.T) {
	for name, cat := range map[string]Catalog{"banner": banner, "durations": durations} {
		for key, msg := range cat["fr"] {
			if m := FrenchSpacingFault(msg); m != "" {
				t.Errorf("%s fr %s: %q has an ordinary space in %q: use a no-break space (U+00A0)", name, key, msg, m)
			}
		}
	}
}
