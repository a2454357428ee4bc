package web

import (
	"net/http"

	"github.com/charte/charte/internal/web/admin"
)

// newOffice returns the back office of opts, mounted in s: it borrows the
// server's layout, error pages, sites and view of the client.
func (s *Server) newOffice(opts AdminOptions) *admin.Office {
	if s.log == nil {
		panic("web: the back office needs Options.Log")
	}
	return admin.New(admin.Options{
		Users:        opts.Users,
		Sessions:     opts.Sessions,
		Stats:        opts.Stats,
		Charters:     opts.Charters,
		Log:          s.log,
		CheckCharter: opts.CheckCharter,
		SessionIdle:  opts.SessionIdle,
		Sleep:        opts.Sleep,
		CSRFKey:      opts.CSRFKey,
		Now:          s.now,
		Logger:       s.logger,
	}, admin.Host{
		Sites:       s.sites,
		BasePath:    s.basePath,
		Version:     s.version,
		CSS:         s.staticURL("admin.css"),
		Layout:      mustParseLayout(),
		Languages:   uiLanguages,
		Language:    func(r *http.Request) string { return s.negotiate(r, nil) },
		SetLanguage: s.setLanguageCookie,
		T:           messages.T,
		WriteError:  s.writeError,
		Status:      s.errorStatus,
		WritePage:   s.writePage,
		ClientKey:   s.clientKey,
		Origin:      s.origin,
		IsHTTPS:     s.isHTTPS,
		RequestID:   requestIDFrom,
	})
}
