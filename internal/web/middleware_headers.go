package web

import (
	"net/http"
	"strings"
)

// pageCSP is the Content-Security-Policy of charte's own pages: nothing
// inline, nothing from elsewhere. The policy page loads charte's banner from
// its own origin, so 'self' is all it needs.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

// securityHeaders sets the headers every response carries, and the CSP of
// HTML pages (the API's JSON needs none, and its banner script is embedded
// by other origins). It sees paths without the base path, which
// [http.StripPrefix] removes first.
func securityHeaders() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			if !strings.HasPrefix(r.URL.Path, "/api/") {
				h.Set("Content-Security-Policy", pageCSP)
				h.Set("X-Frame-Options", "SAMEORIGIN")
			}
			next.ServeHTTP(w, r)
		})
	}
}
