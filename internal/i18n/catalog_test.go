package i18n

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testCatalog = Catalog{
	"en": {"hello": "Hello", "count": "%d cookies", "only.en": "English only"},
	"fr": {"hello": "Bonjour", "count": "%d cookies", "only.fr": "Français seulement"},
}

func TestCatalogT(t *testing.T) {
	tests := []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{name: "found", lang: "fr", key: "hello", want: "Bonjour"},
		{name: "formatted", lang: "fr", key: "count", args: []any{3}, want: "3 cookies"},
		{name: "base language", lang: "fr-CA", key: "hello", want: "Bonjour"},
		{name: "fallback to en", lang: "fr", key: "only.en", want: "English only"},
		{name: "unknown language", lang: "de", key: "hello", want: "Hello"},
		{name: "unknown key", lang: "fr", key: "nope", want: "nope"},
		{name: "key in another language only", lang: "en", key: "only.fr", want: "only.fr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := testCatalog.T(tc.lang, tc.key, tc.args...); got != tc.want {
				t.Errorf("T(%q, %q, %v) = %q, want %q", tc.lang, tc.key, tc.args, got, tc.want)
			}
		})
	}
}

func TestCatalogMissing(t *testing.T) {
	c := Catalog{
		"en": {"a": "A", "b": "B", "c": "C"},
		"fr": {"a": "A", "b": ""},
		"de": {"a": "A", "b": "B", "c": "C", "d": "D"},
	}
	want := []string{"en: d", "fr: b", "fr: c", "fr: d"}
	if diff := cmp.Diff(want, c.Missing()); diff != "" {
		t.Errorf("Missing() (-want +got):\n%s", diff)
	}
	complete := Catalog{"en": {"a": "A"}, "fr": {"a": "A"}}
	if got := complete.Missing(); got != nil {
		t.Errorf("Missing() of a complete catalog = %q, want nil", got)
	}
}

func TestCatalogLanguages(t *testing.T) {
	if diff := cmp.Diff([]string{"en", "fr"}, testCatalog.Languages()); diff != "" {
		t.Errorf("Languages() (-want +got):\n%s", diff)
	}
	if !testCatalog.Has("fr") || testCatalog.Has("fr-CA") || testCatalog.Has("de") {
		t.Errorf("Has: fr = %v, fr-CA = %v, de = %v; want true, false, false",
			testCatalog.Has("fr"), testCatalog.Has("fr-CA"), testCatalog.Has("de"))
	}
}
