package web

import (
	"net/http"
	"slices"

	"github.com/charte/charte/internal/charte"
)

// cors answers preflight requests for the consent API and adds CORS
// headers for the origins that some site of sites declares: the banner
// posts decisions from the pages of the sites it is embedded in. A
// preflight from any other origin is forbidden, through writeError. Which
// site an origin may post for is checked by the handler
// ([Server.checkOrigin]), once the body names the site.
func cors(sites *Sites, writeError errorWriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := r.Header.Get("Origin")
			allowed := origin != "" && anySiteAllows(sites, origin)
			if allowed {
				h := w.Header()
				h.Set("Access-Control-Allow-Origin", origin)
				h.Add("Vary", "Origin")
			}
			if r.Method == http.MethodOptions {
				if !allowed {
					writeError(w, r, &charte.Error{Code: charte.EFORBIDDEN, Field: "origin", Message: "This origin is not declared by any site's charter (site.origins)."})
					return
				}
				h := w.Header()
				h.Set("Access-Control-Allow-Methods", "GET, POST")
				h.Set("Access-Control-Allow-Headers", "Content-Type")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// anySiteAllows reports whether some site's charter declares origin.
func anySiteAllows(sites *Sites, origin string) bool {
	for _, ch := range sites.All() {
		if slices.Contains(ch.Site.Origins, origin) {
			return true
		}
	}
	return false
}
