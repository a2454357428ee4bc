package web

import (
	"net/http"
	"slices"

	"github.com/charte/charte/internal/charte"
)

// cors answers preflight requests for the consent API and adds CORS
// headers for the origins that some site declares: the banner posts
// decisions from the pages of the sites it is embedded in. Which site an
// origin may post for is checked by the handler ([Server.checkOrigin]),
// once the body names the site.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := origin != "" && s.anySiteAllows(origin)
		if allowed {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			if !allowed {
				s.writeError(w, r, &charte.Error{Code: charte.EFORBIDDEN, Field: "origin", Message: "This origin is not declared by any site's charter (site.origins)."})
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

// anySiteAllows reports whether some site's charter declares origin.
func (s *Server) anySiteAllows(origin string) bool {
	for _, ch := range s.sites.All() {
		if slices.Contains(ch.Site.Origins, origin) {
			return true
		}
	}
	return false
}

// checkOrigin lets a request through when it comes from no browser page
// (no Origin header), from charte's own pages, or from an origin the site
// declares; otherwise it is forbidden.
func (s *Server) checkOrigin(r *http.Request, ch *charte.Charter) error {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == s.origin(r) || slices.Contains(ch.Site.Origins, origin) {
		return nil
	}
	return &charte.Error{Code: charte.EFORBIDDEN, Field: "origin", Message: "Origin " + origin + " is not declared in site " + ch.Site.ID + "'s origins."}
}
