package i18n

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBannerCatalog checks that the banner's catalogue has every text in
// every language, with the same fmt verbs, and each plural message in each
// form its language has.
func TestBannerCatalog(t *testing.T) {
	if missing := banner.Missing(); missing != nil {
		t.Errorf("banner.Missing() = %q, want none", missing)
	}
	verbs := regexp.MustCompile(`%[a-z]`)
	for _, lang := range BannerLanguages() {
		for key, msg := range banner[lang] {
			if diff := cmp.Diff(verbs.FindAllString(banner["en"][key], -1), verbs.FindAllString(msg, -1)); diff != "" {
				t.Errorf("%s: %s has other verbs than in English (-en +%s):\n%s", lang, key, lang, diff)
			}
		}
	}
	for _, unit := range []string{"h", "d", "w", "mo", "y"} {
		for _, lang := range BannerLanguages() {
			for n := range 200 {
				key := "unit." + unit + "." + PluralForm(lang, n)
				if _, ok := banner[lang][key]; !ok {
					t.Errorf("%s: no %s, the form of %d", lang, key, n)
					break
				}
			}
		}
	}
}

func TestBanner(t *testing.T) {
	tests := []struct {
		lang, key string
		n         int // for a plural message, else 0
		want      string
	}{
		{lang: "fr", key: "accept_all", want: "Tout accepter"},
		{lang: "en", key: "accept_all", want: "Accept all"},
		{lang: "fr-BE", key: "reject_all", want: "Tout refuser"},
		{lang: "de", key: "reject_all", want: "Reject all"},
		{lang: "fr", key: "allow", want: "Autoriser « %s » pour afficher ce contenu"},
		{lang: "fr", key: "unit.mo", n: 6, want: "6 mois"},
		{lang: "fr", key: "unit.y", n: 1, want: "1 an"},
		{lang: "en", key: "unit.w", n: 2, want: "2 weeks"},
		{lang: "de", key: "unit.h", n: 12, want: "12 hours"},
	}
	for _, tc := range tests {
		got := Banner(tc.lang, tc.key)
		if tc.n != 0 {
			got = BannerPlural(tc.lang, tc.key, tc.n)
		}
		if got != tc.want {
			t.Errorf("Banner(%q, %q, %d) = %q, want %q", tc.lang, tc.key, tc.n, got, tc.want)
		}
	}
}
