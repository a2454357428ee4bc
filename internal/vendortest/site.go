package vendortest

import (
	_ "embed"
	"net/http"
	"strings"
)

//go:embed testdata/site.html
var sitePage string

// siteScript is the site's own script, after the vendors' snippets: it
// says on the page that it ran, so that a test sees blocking broke
// nothing of the site.
const siteScript = `document.getElementById('site-status').textContent = 'The site script ran.';
document.documentElement.dataset.siteScript = 'ran';
`

// SiteRan is a JavaScript expression that is true once the fixture's site
// script ran.
const SiteRan = `document.documentElement.dataset.siteScript === 'ran'`

// Site returns the handler of the fixture site: at / the page with the
// vendors' official snippets (testdata/site.html), with head written at
// the start of its <head> (the banner's <script>, for a site that loads it
// itself; "" behind charte proxy, which injects it), and at /site.js the
// site's own script.
func Site(head string) http.Handler { return serveSite(Page(head)) }

// Page returns the fixture page with head written at the start of its
// <head>.
func Page(head string) string { return strings.Replace(sitePage, "<!--charte:head-->", head, 1) }

// SiteOf returns the handler of the fixture site ([Site]) that serves
// body as its page: [Block]'s, for one.
func SiteOf(body string) http.Handler { return serveSite(body) }

func serveSite(body string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(body))
	})
	mux.HandleFunc("GET /site.js", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write([]byte(siteScript))
	})
	return mux
}
