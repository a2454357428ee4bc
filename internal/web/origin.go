package web

import (
	"net/http"
	"slices"

	"github.com/charte/charte/internal/charte"
)

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
