package i18n

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBannerCatalog checks that the banner's catalogue has every text in
// every language, with the same fmt verbs.
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
}

func TestBanner(t *testing.T) {
	tests := []struct {
		lang, key string
		want      string
	}{
		{lang: "fr", key: "accept_all", want: "Tout accepter"},
		{lang: "en", key: "accept_all", want: "Accept all"},
		{lang: "fr-BE", key: "reject_all", want: "Tout refuser"},
		{lang: "de", key: "reject_all", want: "Reject all"},
		{lang: "fr", key: "allow", want: "Autoriser «\u00a0%s\u00a0» pour afficher ce contenu"},
	}
	for _, tc := range tests {
		got := Banner(tc.lang, tc.key)
		if got != tc.want {
			t.Errorf("Banner(%q, %q) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}
