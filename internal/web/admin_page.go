package web

import (
	"net/http"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/i18n"
)

// adminBase is what the layout of every back-office page needs.
type adminBase struct {
	pageBase
	CSRF string
	User *charte.User
	// Path is the page's own path and query, to come back to after a
	// language switch.
	Path string
	// Section names the current entry of the navigation.
	Section string
}

// adminBase returns the layout data of a back-office page.
func (s *Server) adminBase(r *http.Request) adminBase {
	return s.adminBaseWith(r, adminFrom(r.Context()))
}

func (s *Server) adminBaseWith(r *http.Request, a *adminContext) adminBase {
	lang := s.negotiate(r, uiLanguages)
	pb := s.base(r, lang, nil)
	pb.Languages = nil // the back office switches language with a form
	pb.t = func(key string, args ...any) string {
		if adminMessages.Has(lang) && adminMessages[lang][key] != "" {
			return adminMessages.T(lang, key, args...)
		}
		return messages.T(lang, key, args...)
	}
	return adminBase{pageBase: pb, CSRF: a.csrf, User: a.user, Path: s.basePath + r.URL.RequestURI()}
}

// LanguageChoices lists the back office's languages for the switch.
func (a adminBase) LanguageChoices() []languageLink {
	var out []languageLink
	for _, l := range uiLanguages {
		out = append(out, languageLink{Code: l, Name: i18n.Name(l), Current: l == a.Lang})
	}
	return out
}

// renderAdmin renders a back-office page.
func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	s.renderPage(w, r, status, name, data)
}
