package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/htmltest"
)

// MustNewServer returns a server for charte's built-in charter followed by
// the example charter.
func MustNewServer(tb testing.TB, opts Options) *Server {
	tb.Helper()
	example, err := charterfile.Load("../../examples/data-aveyron-occitanie.yaml")
	if err != nil {
		tb.Fatalf("load example: %v", err)
	}
	sites, err := NewSites(charterfile.Default(), example)
	if err != nil {
		tb.Fatal(err)
	}
	opts.Sites = sites
	return NewServer(opts)
}

// get serves one GET request and returns the response.
func get(tb testing.TB, h http.Handler, target string, header http.Header) *http.Response {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// parseHTML parses a response body as HTML.
func parseHTML(tb testing.TB, resp *http.Response) *html.Node {
	tb.Helper()
	doc, err := html.Parse(resp.Body)
	if err != nil {
		tb.Fatalf("parse html: %v", err)
	}
	return doc
}

// The HTML readers of every package's tests.
var (
	findAll = htmltest.FindAll
	attr    = htmltest.Attr
	text    = htmltest.Text
)

func TestPolicyPageLanguage(t *testing.T) {
	s := MustNewServer(t, Options{})
	tests := []struct {
		name     string
		target   string
		header   http.Header
		wantLang string
	}{
		{name: "default is the site's first language", target: "/cookies", wantLang: "fr"},
		{name: "query", target: "/cookies?lang=en", wantLang: "en"},
		{name: "unknown query falls through", target: "/cookies?lang=de", wantLang: "fr"},
		{name: "cookie", target: "/cookies", header: http.Header{"Cookie": {"django_language=en"}}, wantLang: "en"},
		{name: "query beats cookie", target: "/cookies?lang=fr", header: http.Header{"Cookie": {"django_language=en"}}, wantLang: "fr"},
		{name: "accept-language", target: "/cookies", header: http.Header{"Accept-Language": {"en-GB,en;q=0.9,fr;q=0.5"}}, wantLang: "en"},
		{name: "cookie beats accept-language", target: "/cookies", header: http.Header{"Cookie": {"django_language=fr"}, "Accept-Language": {"en"}}, wantLang: "fr"},
		{name: "other site", target: "/sites/data-aveyron/cookies?lang=en", wantLang: "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := get(t, s, tc.target, tc.header)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tc.target, resp.StatusCode)
			}
			doc := parseHTML(t, resp)
			htmlEl := findAll(doc, "html")[0]
			if got, _ := attr(htmlEl, "lang"); got != tc.wantLang {
				t.Errorf("GET %s: <html lang> = %q, want %q", tc.target, got, tc.wantLang)
			}
		})
	}
}

func TestPolicyPageContent(t *testing.T) {
	s := MustNewServer(t, Options{})
	seed := []string{"sessionid", "django_language", "csrftoken", "cookies_preferences"}
	for _, tc := range []struct {
		target string
		// wantTables holds the cookie names of each category's table, in order.
		wantTables [][]string
		wantText   []string
	}{
		{
			target:     "/cookies",
			wantTables: [][]string{seed, {"charte_demo_stats"}, {"charte_demo_ads"}},
			wantText:   []string{"Se souvenir de l'utilisateur d'une page à une autre.", "Se souvenir de la langue du visiteur."},
		},
		{
			target:     "/cookies?lang=en",
			wantTables: [][]string{seed, {"charte_demo_stats"}, {"charte_demo_ads"}},
			wantText:   []string{"Remembers the user from one page to the next.", "Remembers the visitor's language."},
		},
		{
			target:     "/sites/data-aveyron/cookies",
			wantTables: [][]string{seed},
			wantText:   []string{"Opendatasoft", "Authentification (front et back office)", "Récupérer des données via des appels API"},
		},
	} {
		t.Run(tc.target, func(t *testing.T) {
			doc := parseHTML(t, get(t, s, tc.target, nil))
			var tables [][]string
			for _, table := range findAll(doc, "table") {
				var names []string
				for _, code := range findAll(table, "code") {
					names = append(names, text(code))
				}
				tables = append(tables, names)
			}
			if diff := cmp.Diff(tc.wantTables, tables); diff != "" {
				t.Errorf("GET %s: cookie names per table (-want +got):\n%s", tc.target, diff)
			}
			body := text(doc)
			for _, w := range tc.wantText {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: page lacks %q", tc.target, w)
				}
			}
			for _, sc := range findAll(doc, "script") {
				if _, external := attr(sc, "src"); !external {
					t.Errorf("GET %s: inline script; the policy page must work under its CSP", tc.target)
				}
			}
		})
	}
}

func TestLanguageSwitchSetsCookie(t *testing.T) {
	s := MustNewServer(t, Options{})
	doc := parseHTML(t, get(t, s, "/cookies", nil))
	var switchURL string
	for _, a := range findAll(doc, "a") {
		if l, _ := attr(a, "hreflang"); l == "en" {
			switchURL, _ = attr(a, "href")
		}
	}
	if switchURL == "" {
		t.Fatal("no language switch link to English on the policy page")
	}
	resp := get(t, s, switchURL, nil)
	var got *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "django_language" {
			got = c
		}
	}
	if got == nil || got.Value != "en" {
		t.Fatalf("GET %s: django_language cookie = %v, want en", switchURL, got)
	}
	if !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.Path != "/" {
		t.Errorf("django_language attributes = HttpOnly %v, SameSite %v, Path %q; want HttpOnly, Lax, /", got.HttpOnly, got.SameSite, got.Path)
	}
	// Already set to the same value: no new Set-Cookie.
	resp = get(t, s, switchURL, http.Header{"Cookie": {"django_language=en"}})
	if len(resp.Cookies()) != 0 {
		t.Errorf("GET %s with the cookie already set: Set-Cookie %v, want none", switchURL, resp.Cookies())
	}
}

func TestAPI(t *testing.T) {
	s := MustNewServer(t, Options{})

	resp := get(t, s, "/api/v1/sites", nil)
	var sites []siteSummary
	if err := json.NewDecoder(resp.Body).Decode(&sites); err != nil {
		t.Fatalf("decode sites: %v", err)
	}
	def := charterfile.Default()
	if len(sites) != 2 || sites[0].ID != def.Site.ID || !sites[0].Default || sites[0].Version != def.Version || sites[1].ID != "data-aveyron" || sites[1].Default {
		t.Errorf("GET /api/v1/sites = %+v, want charte (default) then data-aveyron", sites)
	}

	resp = get(t, s, "/api/v1/sites/data-aveyron/charter", nil)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("charter Content-Type = %q", ct)
	}
	var ch charte.Charter
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		t.Fatalf("decode charter: %v", err)
	}
	if ch.Site.ID != "data-aveyron" || ch.Version == "" || len(ch.Cookies) != 4 || ch.Cookies[0].Purpose["fr"] == "" {
		t.Errorf("GET charter = site %q version %q, %d cookies; want data-aveyron with a version and 4 cookies", ch.Site.ID, ch.Version, len(ch.Cookies))
	}
}

func TestErrors(t *testing.T) {
	s := MustNewServer(t, Options{})
	tests := []struct {
		target    string
		status    int
		json      bool
		wantCode  string
		wantField string
	}{
		{target: "/api/v1/sites/nope/charter", status: 404, json: true, wantCode: "not_found", wantField: "site"},
		{target: "/api/v1/nothing", status: 404, json: true, wantCode: "not_found"},
		{target: "/sites/nope/cookies", status: 404},
		{target: "/nothing/here", status: 404},
		{target: "/static/nope.css", status: 404},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			resp := get(t, s, tc.target, nil)
			if resp.StatusCode != tc.status {
				t.Fatalf("GET %s = %d, want %d", tc.target, resp.StatusCode, tc.status)
			}
			if !tc.json {
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("GET %s: Content-Type %q, want an HTML page", tc.target, ct)
				}
				if h1 := findAll(parseHTML(t, resp), "h1"); len(h1) != 1 {
					t.Errorf("GET %s: error page has %d h1, want 1", tc.target, len(h1))
				}
				return
			}
			var body errorBody
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("decode error body: %v", err)
			}
			if body.Error.Code != tc.wantCode || body.Error.Field != tc.wantField || body.Error.Message == "" || body.Error.RequestID == "" {
				t.Errorf("GET %s: error = %+v, want code %q field %q with a message and request id", tc.target, body.Error, tc.wantCode, tc.wantField)
			}
		})
	}
}

func TestInternalErrorHidesCause(t *testing.T) {
	s := MustNewServer(t, Options{})
	req := httptest.NewRequest(http.MethodGet, "/api/v1/x", nil)
	rec := httptest.NewRecorder()
	s.writeError(rec, req, errors.New("secret database detail"))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("internal error = %d %q, want 500 without the cause", rec.Code, rec.Body.String())
	}
}

func TestETag(t *testing.T) {
	s := MustNewServer(t, Options{})
	for _, target := range []string{"/cookies", "/api/v1/sites/charte/charter", "/"} {
		resp := get(t, s, target, nil)
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("GET %s: no ETag", target)
		}
		resp = get(t, s, target, http.Header{"If-None-Match": {etag}})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match: %d, want 304", target, resp.StatusCode)
		}
		if en := get(t, s, target+"?lang=en", nil).Header.Get("ETag"); target != "/api/v1/sites/charte/charter" && en == etag {
			t.Errorf("GET %s: the English page has the French page's ETag", target)
		}
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	down := errors.New("database down")
	for _, tc := range []struct {
		name      string
		ready     func(context.Context) error
		wantReady int
	}{
		{name: "up", ready: func(context.Context) error { return nil }, wantReady: 200},
		{name: "down", ready: func(context.Context) error { return down }, wantReady: 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustNewServer(t, Options{Ready: tc.ready})
			if got := get(t, s, "/healthz", nil).StatusCode; got != 200 {
				t.Errorf("GET /healthz = %d, want 200", got)
			}
			if got := get(t, s, "/readyz", nil).StatusCode; got != tc.wantReady {
				t.Errorf("GET /readyz = %d, want %d", got, tc.wantReady)
			}
			body, _ := io.ReadAll(get(t, s, "/metrics", nil).Body)
			if !strings.Contains(string(body), `charte_http_requests_total{code="200",method="GET",route="GET /healthz"} 1`) {
				t.Errorf("GET /metrics lacks the /healthz request count:\n%.2000s", body)
			}
		})
	}
}

func TestStatic(t *testing.T) {
	s := MustNewServer(t, Options{})
	doc := parseHTML(t, get(t, s, "/", nil))
	var css string
	for _, l := range findAll(doc, "link") {
		if rel, _ := attr(l, "rel"); rel == "stylesheet" {
			css, _ = attr(l, "href")
		}
	}
	if !strings.HasPrefix(css, "/static/charte.") {
		t.Fatalf("stylesheet URL = %q, want a content-hash /static/ URL", css)
	}
	resp := get(t, s, css, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s = %d %q %q, want 200 text/css immutable", css, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := MustNewServer(t, Options{})
	resp := get(t, s, "/cookies", nil)
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q, want script-src 'self' and nothing inline", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("missing nosniff or no-referrer: %v", resp.Header)
	}
	// No style attributes anywhere: they would be blocked by the CSP.
	for d := range parseHTML(t, resp).Descendants() {
		if _, ok := attr(d, "style"); ok && d.Type == html.ElementNode {
			t.Errorf("<%s style=…> would be blocked by the CSP", d.Data)
		}
	}
}

// TestEveryCookieIsDeclared walks every route, in every language, and fails
// on any Set-Cookie that charte's own charter does not declare.
func TestEveryCookieIsDeclared(t *testing.T) {
	s := MustNewServer(t, Options{})
	own := charterfile.Default()
	seen := map[string]bool{}
	for _, rt := range s.routeList() {
		pattern := rt.pattern
		if i := strings.IndexByte(pattern, ' '); i >= 0 {
			pattern = pattern[i+1:]
		}
		var paths []string
		for _, site := range s.sites.All() {
			p := strings.NewReplacer("{$}", "", "{site}", site.Site.ID, "{file}", strings.TrimPrefix(s.static.URL("charte.css"), "/static/")).Replace(pattern)
			if p == "/" && rt.pattern == "/" {
				p = "/no/such/page"
			}
			paths = append(paths, p)
		}
		for _, p := range paths {
			for _, q := range []string{"", "?lang=fr", "?lang=en", "?lang=xx"} {
				for _, h := range []http.Header{nil, {"Accept-Language": {"en"}}, {"Cookie": {"django_language=fr"}}} {
					for _, c := range get(t, s, p+q, h).Cookies() {
						seen[c.Name] = true
						decl, ok := own.Lookup(c.Name)
						if !ok {
							t.Errorf("GET %s%s sets cookie %q, which charte's own charter does not declare", p, q, c.Name)
							continue
						}
						if decl.Name != "cookies_preferences" && decl.Name != "csrftoken" && !c.HttpOnly {
							t.Errorf("GET %s%s: cookie %q is not HttpOnly", p, q, c.Name)
						}
						if c.SameSite != http.SameSiteLaxMode {
							t.Errorf("GET %s%s: cookie %q is not SameSite=Lax", p, q, c.Name)
						}
					}
				}
			}
		}
	}
	if !seen["django_language"] {
		t.Errorf("walking the routes set no django_language cookie: the walk does not reach the language switch")
	}
}

func TestSitesReplace(t *testing.T) {
	a, b := charterfile.Default(), charterfile.Default()
	sites, err := NewSites(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := sites.Replace(a, b); err == nil {
		t.Error("Replace with two charters of one site id succeeded, want an error")
	}
	if got := sites.All(); len(got) != 1 || got[0] != a {
		t.Errorf("after a failed Replace, sites = %v, want the previous set", got)
	}
	if _, err := sites.Find("nope"); charte.ErrorCode(err) != charte.ENOTFOUND {
		t.Errorf("Find(nope) = %v, want not_found", err)
	}
}

func TestClientGoneIsNotAnError(t *testing.T) {
	var logs strings.Builder
	s := MustNewServer(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/x", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	s.writeError(rec, req, fmt.Errorf("record decision: %w", ctx.Err()))
	if rec.Code != 499 || strings.Contains(logs.String(), "internal error") {
		t.Errorf("a request whose client left = %d, logs %q; want 499 and no internal error", rec.Code, logs.String())
	}
}
