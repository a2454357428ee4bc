package i18n

import "testing"

func TestPluralForm(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "other"},
		{"en", 1, "one"},
		{"en", 2, "other"},
		{"en-GB", 1, "one"},
		{"fr", 0, "one"},
		{"fr", 1, "one"},
		{"fr", 2, "other"},
		{"fr_CA", 1, "one"},
		{"pl", 1, "one"},
		{"pl", 3, "few"},
		{"pl", 5, "many"},
		{"pl", 22, "few"},
		{"ar", 0, "zero"},
		{"ar", 2, "two"},
		{"ja", 1, "other"},
		{"en", -1, "one"},
		{"xx-!!", 1, "other"},
	}
	for _, tc := range tests {
		if got := PluralForm(tc.lang, tc.n); got != tc.want {
			t.Errorf("PluralForm(%q, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestCatalogPlural(t *testing.T) {
	c := Catalog{
		"en": {"day.one": "%d day", "day.other": "%d days", "en.only.other": "%d things"},
		"fr": {"day.one": "%d jour", "day.other": "%d jours"},
		"pl": {"day.one": "%d dzień", "day.other": "%d dni"},
	}
	tests := []struct {
		name, lang, key string
		n               int
		want            string
	}{
		{name: "one", lang: "en", key: "day", n: 1, want: "1 day"},
		{name: "other", lang: "en", key: "day", n: 2, want: "2 days"},
		{name: "zero is other in English", lang: "en", key: "day", n: 0, want: "0 days"},
		{name: "zero is one in French", lang: "fr", key: "day", n: 0, want: "0 jour"},
		{name: "base language", lang: "fr-BE", key: "day", n: 2, want: "2 jours"},
		{name: "form missing: other", lang: "pl", key: "day", n: 5, want: "5 dni"},
		{name: "fallback language takes its own form", lang: "de", key: "day", n: 1, want: "1 day"},
		{name: "fallback for a missing key", lang: "fr", key: "en.only", n: 1, want: "1 things"},
		{name: "missing everywhere", lang: "fr", key: "nope", n: 1, want: "nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Plural(tc.lang, tc.key, tc.n); got != tc.want {
				t.Errorf("Plural(%q, %q, %d) = %q, want %q", tc.lang, tc.key, tc.n, got, tc.want)
			}
		})
	}
}
