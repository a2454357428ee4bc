package admin

import (
	"context"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/htmltest"
	"github.com/charte/charte/internal/i18n"
)

// testSites is the host's set of sites: charte's built-in charter alone.
type testSites struct{ ch *charte.Charter }

func (s testSites) Default() *charte.Charter { return s.ch }

func (s testSites) Find(id string) (*charte.Charter, error) {
	if id == s.ch.Site.ID {
		return s.ch, nil
	}
	return nil, &charte.Error{Code: charte.ENOTFOUND, Field: "site", Message: "Unknown site " + id + "."}
}

func (s testSites) All() []*charte.Charter { return []*charte.Charter{s.ch} }

// layoutMessages are the host catalogue's messages that the layout uses.
var layoutMessages = i18n.Catalog{
	"fr": {"skip": "Aller au contenu", "footer": "Propulsé par charte %s", "footer.policy": "Charte cookies"},
	"en": {"skip": "Skip to content", "footer": "Powered by charte %s", "footer.policy": "Cookie policy"},
}

// testStatus is the host's code-to-status table, as the web server's.
var testStatus = map[string]int{
	charte.EINVALID:      http.StatusBadRequest,
	charte.ENOTFOUND:     http.StatusNotFound,
	charte.ECONFLICT:     http.StatusConflict,
	charte.EUNAUTHORIZED: http.StatusUnauthorized,
	charte.EFORBIDDEN:    http.StatusForbidden,
	charte.ERATELIMIT:    http.StatusTooManyRequests,
}

// testHost is a host like the web server, at the root path, with the web
// server's real layout template; it believes X-Forwarded-For when
// trustProxy is set.
func testHost(tb testing.TB, trustProxy *atomic.Bool) Host {
	tb.Helper()
	layout, err := template.ParseFiles("../assets/templates/layout.html")
	if err != nil {
		tb.Fatal(err)
	}
	languages := []string{"fr", "en"}
	return Host{
		Sites:     testSites{charterfile.Default()},
		Version:   "test",
		CSS:       "/static/charte.css",
		Layout:    layout,
		Languages: languages,
		Language: func(r *http.Request) string {
			var cookie string
			if c, err := r.Cookie("django_language"); err == nil {
				cookie = c.Value
			}
			return i18n.Negotiate(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language"), languages)
		},
		SetLanguage: func(w http.ResponseWriter, r *http.Request, lang string) {
			http.SetCookie(w, &http.Cookie{Name: "django_language", Value: lang, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		},
		T: layoutMessages.T,
		WriteError: func(w http.ResponseWriter, r *http.Request, err error) {
			status, ok := testStatus[charte.ErrorCode(err)]
			if !ok {
				status = http.StatusInternalServerError
			}
			http.Error(w, charte.ErrorMessage(err), status)
		},
		Status: func(_ *http.Request, err error) int {
			status, ok := testStatus[charte.ErrorCode(err)]
			if !ok {
				status = http.StatusInternalServerError
			}
			return status
		},
		WritePage: func(w http.ResponseWriter, r *http.Request, status int, body []byte) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write(body) // the client went away; nothing to do
		},
		ClientKey: func(r *http.Request) netip.Prefix {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			if xff := r.Header.Get("X-Forwarded-For"); xff != "" && trustProxy.Load() {
				parts := strings.Split(xff, ",")
				host = strings.TrimSpace(parts[len(parts)-1])
			}
			addr, err := netip.ParseAddr(host)
			if err != nil {
				return netip.Prefix{}
			}
			p, _ := addr.Unmap().Prefix(32) // tests use IPv4
			return p
		},
		Origin:    func(r *http.Request) string { return "http://" + r.Host },
		IsHTTPS:   func(r *http.Request) bool { return false },
		RequestID: func(context.Context) string { return "" },
	}
}

// mountTest serves the back office's routes as the web server mounts them.
func mountTest(s *Office) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		mux.Handle(rt.Pattern, rt.Handler)
	}
	return mux
}

// The HTML readers of every package's tests.
var (
	findAll = htmltest.FindAll
	attr    = htmltest.Attr
	text    = htmltest.Text
)
