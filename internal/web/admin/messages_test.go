package admin

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/charte/charte/internal/i18n"
)

// TestAdminMessages checks that the catalogue has every message in both
// languages, and every message the templates name with T or TN.
func TestAdminMessages(t *testing.T) {
	if missing := adminMessages.Missing(); len(missing) > 0 {
		t.Errorf("adminMessages.Missing() = %q, want none", missing)
	}
	used := regexp.MustCompile(`\.(T|TN) "([a-z_.]+)"`)
	files, err := fs.Glob(templates, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(templates, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			key := m[2]
			if m[1] == "TN" {
				key += ".other"
			}
			if _, host := layoutMessages["en"][key]; host {
				continue
			}
			for _, lang := range []string{"fr", "en"} {
				if adminMessages[lang][key] == "" {
					t.Errorf("%s uses %q, which the %s catalogue lacks", f, key, lang)
				}
			}
		}
	}
}

// TestFrenchTypography checks the back office's French messages: a no-break
// space before : ; ? ! and inside « ».
func TestFrenchTypography(t *testing.T) {
	for key, msg := range adminMessages["fr"] {
		if m := i18n.FrenchSpacingFault(msg); m != "" {
			t.Errorf("fr %s: %q has an ordinary space in %q: use a no-break space (U+00A0)", key, msg, m)
		}
	}
}
