package web

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/htmltest"
)

// TestHomeLinkTexts checks that every link of the home page, in both
// languages, says where it goes in words: no code, no shell command, no
// bare path as its text.
func TestHomeLinkTexts(t *testing.T) {
	h := MustAdminEnv(t).s
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			doc := parseHTML(t, get(t, h, "/?lang="+lang, nil))
			links := htmltest.FindAll(doc, "main")[0]
			for _, a := range htmltest.FindAll(links, "a") {
				text := htmltest.Text(a)
				href, _ := htmltest.Attr(a, "href")
				if len(htmltest.FindAll(a, "code")) > 0 || strings.Contains(text, "charte user") || strings.HasPrefix(text, "/") || strings.HasPrefix(text, "GET ") || text == "" {
					t.Errorf("link to %s reads %q, want words", href, text)
				}
			}
		})
	}
}
