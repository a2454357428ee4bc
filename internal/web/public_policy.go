package web

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/policy"
)

// policyPage is the data of policy.html.
type policyPage struct {
	pageBase
	Charter *charte.Charter
	Policy  template.HTML
}

// handlePolicy serves a site's cookie policy (the default site's at
// /cookies) in the visitor's language.
func (s *Server) handlePolicy(w http.ResponseWriter, r *http.Request) error {
	ch := s.sites.Default()
	if id := r.PathValue("site"); id != "" {
		var err error
		if ch, err = s.sites.Find(id); err != nil {
			return err
		}
	}
	langs := policy.Languages(ch)
	lang := s.negotiate(r, langs)
	s.rememberLanguage(w, r, lang)
	frag, err := policy.Fragment(ch, lang)
	if err != nil {
		return fmt.Errorf("render policy of %s: %w", ch.Site.ID, err)
	}
	s.renderPage(w, r, http.StatusOK, "policy.html", policyPage{
		pageBase: s.base(r, lang, langs),
		Charter:  ch,
		Policy:   frag,
	})
	return nil
}
