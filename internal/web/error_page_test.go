package web

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/htmltest"
)

// TestErrorPageLanguage checks that an error page speaks its language: the
// status is named in words, and a French page does not show the domain's
// English message.
func TestErrorPageLanguage(t *testing.T) {
	s := MustNewServer(t, Options{})
	for _, tc := range []struct {
		lang, wantH1, wantBody string
	}{
		{"fr", "Page introuvable", "Aucune page ne se trouve à cette adresse."},
		{"en", "Page not found", "There is nothing at /nothing/here."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			resp := get(t, s, "/nothing/here?lang="+tc.lang, nil)
			if resp.StatusCode != 404 {
				t.Fatalf("GET /nothing/here = %d, want 404", resp.StatusCode)
			}
			doc := parseHTML(t, resp)
			h1 := htmltest.FindAll(doc, "h1")
			if len(h1) != 1 || htmltest.Text(h1[0]) != tc.wantH1 {
				t.Errorf("error page h1 = %d elements, want one reading %q", len(h1), tc.wantH1)
			}
			main := htmltest.Text(htmltest.FindAll(doc, "main")[0])
			if !strings.Contains(main, tc.wantBody) {
				t.Errorf("error page says %q, want %q", main, tc.wantBody)
			}
			if tc.lang == "fr" && strings.Contains(main, "There is nothing") {
				t.Errorf("French error page says %q, in English", main)
			}
		})
	}
}
