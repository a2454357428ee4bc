package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	frEN := []string{"fr", "en"}
	tests := []struct {
		name                  string
		query, cookie, accept string
		supported             []string
		want                  string
	}{
		{name: "nothing", supported: frEN, want: "fr"},
		{name: "nothing, other default", supported: []string{"en", "fr"}, want: "en"},
		{name: "no supported languages", accept: "fr", want: ""},
		{name: "query", query: "en", cookie: "fr", accept: "fr", supported: frEN, want: "en"},
		{name: "query base language of a supported variant", query: "EN", supported: []string{"fr", "en_GB"}, want: "en_GB"},
		{name: "query exact with region", query: "en_gb", supported: []string{"fr", "en-GB"}, want: "en-GB"},
		{name: "query regional variant", query: "en-US", supported: frEN, want: "en"},
		{name: "query unsupported falls to cookie", query: "de", cookie: "en", supported: frEN, want: "en"},
		{name: "query garbage falls to cookie", query: "<script>", cookie: "en", supported: frEN, want: "en"},
		{name: "cookie", cookie: "en", accept: "fr", supported: frEN, want: "en"},
		{name: "cookie django style", cookie: "en-us", supported: frEN, want: "en"},
		{name: "cookie unsupported falls to header", cookie: "de", accept: "en", supported: frEN, want: "en"},
		{name: "header exact", accept: "en", supported: frEN, want: "en"},
		{name: "header regional", accept: "fr-CA,fr;q=0.8", supported: []string{"en", "fr"}, want: "fr"},
		{name: "header regional only", accept: "fr-CA", supported: []string{"en", "fr"}, want: "fr"},
		{name: "header q-values", accept: "fr;q=0.3, en;q=0.9", supported: frEN, want: "en"},
		{name: "header order at equal q", accept: "en, fr", supported: frEN, want: "en"},
		{name: "header first unsupported", accept: "de-DE, de;q=0.9, en;q=0.5", supported: frEN, want: "en"},
		{name: "header q=0 refuses", accept: "en;q=0, de", supported: []string{"fr", "en"}, want: "fr"},
		{name: "header nothing supported", accept: "de, it;q=0.8", supported: frEN, want: "fr"},
		{name: "header wildcard", accept: "*", supported: []string{"en", "fr"}, want: "en"},
		{name: "header malformed entry skipped", accept: "en;q=abc, !!, fr;q=0.5", supported: []string{"en", "fr"}, want: "fr"},
		{name: "header garbage", accept: ";;;,,,", supported: frEN, want: "fr"},
		{name: "header three languages", accept: "de;q=0.9, es;q=0.8, en;q=0.7", supported: []string{"fr", "en", "es"}, want: "es"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Negotiate(tc.query, tc.cookie, tc.accept, tc.supported)
			if got != tc.want {
				t.Errorf("Negotiate(%q, %q, %q, %q) = %q, want %q",
					tc.query, tc.cookie, tc.accept, tc.supported, got, tc.want)
			}
		})
	}
}

func TestName(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"fr", "Français"},
		{"en", "English"},
		{"de", "Deutsch"},
		{"fr-CA", "Français"},
		{"pt_BR", "Português"},
		{"EN", "English"},
		{"oc", "Occitan"},
		{"xx", "xx"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Name(tc.lang); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}
