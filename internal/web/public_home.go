package web

import (
	"net/http"

	"github.com/charte/charte/internal/charte"
)

// homePage is the data of home.html.
type homePage struct {
	pageBase
	Sites   []*charte.Charter
	Default *charte.Charter
	// BackOffice says the back office is mounted, to link to it.
	BackOffice bool
}

// handleHome serves a newcomer's first page: what charte is and where to go.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	lang := s.negotiate(r, nil)
	s.rememberLanguage(w, r, lang)
	s.renderPage(w, r, http.StatusOK, "home.html", homePage{
		pageBase: s.base(r, lang, nil),
		Sites:    s.sites.All(),
		Default:  s.sites.Default(),

		BackOffice: s.office != nil,
	})
	return nil
}
