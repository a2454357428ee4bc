package i18n

import "testing"

// TestDurationCatalog checks that every language of the durations has each
// unit in each plural form the language gives any count.
func TestDurationCatalog(t *testing.T) {
	if missing := durations.Missing(); missing != nil {
		t.Errorf("durations.Missing() = %q, want none", missing)
	}
	for _, unit := range []string{"h", "d", "w", "mo", "y"} {
		for _, lang := range durations.Languages() {
			for n := range 200 {
				key := unit + "." + PluralForm(lang, n)
				if _, ok := durations[lang][key]; !ok {
					t.Errorf("%s: no %s, the form of %d", lang, key, n)
					break
				}
			}
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		unit string
		want string
	}{
		{"fr", 6, "mo", "6 mois"},
		{"fr", 1, "y", "1 an"},
		{"fr", 2, "y", "2 ans"},
		{"fr-BE", 13, "mo", "13 mois"},
		{"en", 1, "d", "1 day"},
		{"en", 2, "w", "2 weeks"},
		{"de", 12, "h", "12 hours"},
		{"fr", 3, "fortnight", "3fortnight"},
	}
	for _, tc := range tests {
		if got := Duration(tc.lang, tc.n, tc.unit); got != tc.want {
			t.Errorf("Duration(%q, %d, %q) = %q, want %q", tc.lang, tc.n, tc.unit, got, tc.want)
		}
	}
}
