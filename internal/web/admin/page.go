package admin

import (
	"bytes"
	"net/http"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/i18n"
)

// adminBase is what the layout of every back-office page needs: the
// fields of the host's layout ("head", "footer") and the back office's own.
type adminBase struct {
	// Base is the path charte's routes are under: every link starts with it.
	Base    string
	Lang    string
	CSS     string
	Version string
	t       func(key string, args ...any) string

	CSRF string
	User *charte.User
	// Path is the page's own path and query, to come back to after a
	// language switch.
	Path string
	// Section names the current entry of the navigation.
	Section string
	// languages are those of the language switch.
	languages []string
	// Sites are the sites of the site switcher; SiteID is the one shown.
	Sites  []*charte.Charter
	SiteID string
}

// T translates a message into the page's language: the back office's
// catalogue first, then the host's (the layout's messages).
func (a adminBase) T(key string, args ...any) string { return a.t(key, args...) }

// TN translates a message with a count, in the plural form the page's
// language gives it (the catalogue holds key.one and key.other).
func (a adminBase) TN(key string, n int64) string {
	return adminMessages.Plural(a.Lang, key, int(n))
}

// languageLink is one entry of the language switch.
type languageLink struct {
	Code    string
	Name    string
	Current bool
}

// adminBase returns the layout data of a back-office page.
func (s *Office) adminBase(r *http.Request) adminBase {
	return s.adminBaseWith(r, adminFrom(r.Context()))
}

func (s *Office) adminBaseWith(r *http.Request, a *adminContext) adminBase {
	lang := s.host.Language(r)
	return adminBase{
		Base:    s.basePath,
		Lang:    lang,
		CSS:     s.host.CSS,
		Version: s.host.Version,
		t: func(key string, args ...any) string {
			if adminMessages.Has(lang) && adminMessages[lang][key] != "" {
				return adminMessages.T(lang, key, args...)
			}
			return s.host.T(lang, key, args...)
		},
		CSRF:      a.csrf,
		User:      a.user,
		Path:      s.basePath + r.URL.RequestURI(),
		languages: s.host.Languages,
		Sites:     s.sites.All(),
		SiteID:    s.sites.Default().Site.ID,
	}
}

// CurrentLanguage is the name of the page's language, in that language.
func (a adminBase) CurrentLanguage() string { return i18n.Name(a.Lang) }

// SiteName is the name of the site shown.
func (a adminBase) SiteName() string {
	for _, ch := range a.Sites {
		if ch.Site.ID == a.SiteID {
			return ch.Site.Name
		}
	}
	return a.SiteID
}

// LanguageChoices lists the back office's languages for the switch.
func (a adminBase) LanguageChoices() []languageLink {
	var out []languageLink
	for _, l := range a.languages {
		out = append(out, languageLink{Code: l, Name: i18n.Name(l), Current: l == a.Lang})
	}
	return out
}

// renderAdmin renders a back-office page to a buffer, then has the host
// write it with its status, so a template error becomes a clean 500 and
// never half a page.
func (s *Office) renderAdmin(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.logger.ErrorContext(r.Context(), "render page", "id", s.host.RequestID(r.Context()), "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	s.host.WritePage(w, r, status, buf.Bytes())
}
