package web

// End-to-end tests of the banner in headless Chromium: a customer page on
// another origin (127.0.0.2) embeds the banner of a charte server
// (127.0.0.1) under a strict CSP, and each test plays a visitor. They need
// Debian's chromium; without it they skip, unless CHARTE_TEST_REQUIRE_BROWSER
// is set (CI sets it), and then they fail.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/template"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/sqlite"
)

// requireBrowser reports whether the browser tests must run (CI): a missing
// browser or axe-core is then a failure, not a skip.
func requireBrowser() bool { return browsertest.Required() }

// MustBrowser starts headless Chromium with a fresh profile for the test
// and returns a context whose children open tabs in it. It skips the test
// when there is no browser, unless CHARTE_TEST_REQUIRE_BROWSER is set.
func MustBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.MustStart(t)
}

// tab is one page in its own browser context (its own cookie jar and
// storage, like a new incognito window), which records every console
// error, uncaught exception and CSP violation of its pages.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
	// allow, if set, accepts problems a test expects (an API that is down).
	allow func(msg string) bool
}

// reportViolations makes every CSP violation of a page an error in the
// console, including those of elements in shadow roots and those the
// browser log might word differently. CDP adds it to each new document
// without going through the page's CSP.
const reportViolations = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber), true);`

// newTab opens a tab in a new browser context of browser. At the end of the
// test, it fails the test on any console problem its pages had.
func newTab(t *testing.T, browser context.Context) *tab {
	t.Helper()
	b := &tab{t: t}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.listen))
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	b.ctx = ctx
	t.Cleanup(func() {
		b.checkConsole()
		cancelTimeout()
		cancel()
	})
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: reportViolations})
			return err
		}),
	); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return b
}

// listen runs in the tab's event loop: it only notes problems.
func (b *tab) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = fmt.Sprintf("uncaught exception: %s", d.Text)
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		msg += fmt.Sprintf(" at %s:%d", d.URL, d.LineNumber+1)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			if a.Type == runtime.RemoteObjectTypeString {
				var s string
				if err := json.Unmarshal(a.Value, &s); err == nil {
					args = append(args, s)
					continue
				}
			}
			args = append(args, a.Description)
		}
		msg = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
	case *log.EventEntryAdded:
		e := ev.Entry
		// CSP reports come as errors; some browsers word them as warnings.
		if e.Level != log.EntryLevelError && !strings.Contains(e.Text, "Content Security Policy") {
			return
		}
		msg = fmt.Sprintf("browser log (%s, %s): %s %s", e.Source, e.Level, e.Text, e.URL)
	default:
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, msg)
}

// takeProblems returns the problems noted so far and forgets them.
func (b *tab) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// checkConsole fails the test on every problem the test did not allow.
func (b *tab) checkConsole() {
	b.t.Helper()
	for _, p := range b.takeProblems() {
		if b.allow != nil && b.allow(p) {
			continue
		}
		b.t.Errorf("browser console: %s", p)
	}
}

// do runs steps in the tab and fails the test at once on an error.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to url and waits until the banner's API is there.
func (b *tab) open(url string) {
	b.t.Helper()
	b.do("open "+url, chromedp.Navigate(url))
	b.waitFor("the banner script to run", `!!window.charte`)
}

// reload reloads the page and waits until the banner's API is there.
func (b *tab) reload() {
	b.t.Helper()
	b.do("reload", chromedp.Reload())
	b.waitFor("the banner script to run", `!!window.charte`)
}

// eval returns the value of a JavaScript expression in the tab's page.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// pageState describes the page for failure messages.
const pageState = `JSON.stringify({
  ran: window.ran || [],
  decision: window.charte ? charte.decision() : 'no window.charte',
  root: document.querySelector('#charte-root')?.shadowRoot?.innerHTML.slice(0, 300),
  focus: document.activeElement?.id || document.activeElement?.tagName,
})`

// pollUntil waits until a JavaScript expression is truthy and returns its
// value: the tests wait on conditions, never for a fixed time.
func pollUntil[T any](b *tab, what, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		state, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](pageState))
		b.t.Fatalf("waiting for %s (%s): %v\npage: %s", what, expr, err, state)
	}
	return v
}

// waitFor waits until a JavaScript expression is truthy.
func (b *tab) waitFor(what, expr string) {
	b.t.Helper()
	pollUntil[chromedp.Void](b, what, expr)
}

// deepHit is a function that reports whether a click at (x, y) reaches e:
// it follows the hit element into open shadow roots.
const deepHit = `(e, x, y) => {
  let h = document.elementFromPoint(x, y);
  while (h && h.shadowRoot) {
    const inner = h.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === h) break;
    h = inner;
  }
  return h === e || e.contains(h);
}`

// click clicks, with real mouse events, the element that a JavaScript
// expression returns (it may be inside a shadow root), once it is laid out
// and nothing covers its centre.
func (b *tab) click(what, elem string) {
	b.t.Helper()
	pt := pollUntil[[]float64](b, what+" to be clickable", `(() => {
  const e = `+elem+`;
  if (!e) return null;
  e.scrollIntoView({block: 'center'});
  const r = e.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
  return r.width > 0 && r.height > 0 && (`+deepHit+`)(e, x, y) ? [x, y] : null;
})()`)
	b.do("click "+what, chromedp.MouseClickXY(pt[0], pt[1]))
}

// key types keys with real key events into the focused element.
func (b *tab) key(keys string, opts ...chromedp.KeyOption) {
	b.t.Helper()
	b.do(fmt.Sprintf("press %q", keys), chromedp.KeyEvent(keys, opts...))
}

// cookies returns the browser's cookies for url, by name.
func (b *tab) cookies(url string) map[string]*network.Cookie {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		b.t.Fatalf("get cookies of %s: %v", url, err)
	}
	m := make(map[string]*network.Cookie, len(res.Cookies))
	for _, c := range res.Cookies {
		m[c.Name] = c
	}
	return m
}

// allCookies returns every cookie of the tab's browser context.
func (b *tab) allCookies() []*network.Cookie {
	b.t.Helper()
	res, err := chromedp.CallBrowser(b.ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(b.ctx).BrowserContextID})
	if err != nil {
		b.t.Fatalf("get cookies: %v", err)
	}
	return res.Cookies
}

// recordedID waits until the banner holds a decision that the API
// recorded, other than prev, and returns its id.
func (b *tab) recordedID(prev string) string {
	b.t.Helper()
	return pollUntil[string](b, "a recorded decision", `(d => d && d.id && d.id != '`+prev+`' && d.id)(charte.decision())`)
}

// ran returns the blocked scripts that ran, in order.
func (b *tab) ran() []string {
	b.t.Helper()
	return eval[[]string](b, `window.ran || []`)
}

// JavaScript expressions for the banner's elements.
const (
	jsRoot = `document.querySelector('#charte-root')?.shadowRoot`
	// jsFirstLayer is only in the first layer: the banner is shown.
	jsFirstLayer = jsRoot + `?.querySelector('[data-charte-action="customize"]')`
	// jsCenter is only in the preference center.
	jsCenter = jsRoot + `?.querySelector('[data-charte-action="save"]')`
	// jsPersistent is the small control that stays after a choice.
	jsPersistent = jsRoot + `?.querySelector('button.p[data-charte-open]')`
	jsIframe     = `document.querySelector('iframe[data-category]')`
	jsGrant      = `document.querySelector('[data-charte-placeholder="marketing"]')?.shadowRoot?.querySelector('[data-charte-grant="marketing"]')`
	// jsBlocked counts the blocked scripts still waiting (type text/plain).
	jsBlocked = `document.querySelectorAll('script[type="text/plain"][data-category]').length`
	// jsFocus names the focused element, inside the banner's root if it is there.
	jsFocus = `(a => a?.id == 'charte-root' ? 'root:' + (a.shadowRoot.activeElement?.dataset.charteAction ?? a.shadowRoot.activeElement?.className ?? 'none') : a?.id || a?.tagName)(document.activeElement)`
)

func jsAction(a string) string {
	return jsRoot + `?.querySelector('[data-charte-action="` + a + `"]')`
}

func jsSwitch(id string) string {
	return jsRoot + `?.querySelector('[data-charte-category="` + id + `"]')`
}

// shop is a charte server with a real SQLite consent log on 127.0.0.1, and
// a customer page that embeds its banner on another origin, 127.0.0.2.
type shop struct {
	t       *testing.T
	sites   *Sites
	db      *sqlite.DB
	charte  string // charte's origin
	page    string // the customer page's origin
	nonce   string
	tmpl    *template.Template
	charter *charte.Charter
	// down makes charte's API drop every connection, as if it were down;
	// dropped counts the requests it dropped.
	down    atomic.Bool
	dropped atomic.Int64
	// extra, if set, are members set in the banner's configuration in
	// charte.js as it is served, such as "layout": "bar": what a charter's
	// options give, tried without writing a charter for each.
	extra atomic.Pointer[map[string]any]
	// configure, if set, changes the banner's configuration before charte.js
	// is built from it: services and auto_block, whose modules the server
	// adds to the script, tried without a catalogue.
	configure atomic.Pointer[func(*bannerConfig)]
	// mux serves the customer site; a test may add its own pages.
	mux *http.ServeMux
}

// shopTemplates returns the customer site's files, in testdata/browser.
var shopTemplates = sync.OnceValues(func() (*template.Template, error) {
	return template.ParseGlob(filepath.Join("testdata", "browser", "*"))
})

// shopCSP is the customer page's policy: scripts only from itself and
// charte (and its inline script by nonce), styles only from itself,
// connections only to charte, frames only from itself. No 'unsafe-inline'.
func (s *shop) csp() string {
	return "default-src 'none'; script-src 'self' " + s.charte + " 'nonce-" + s.nonce + "'; style-src 'self'; img-src 'self'; connect-src " + s.charte + "; frame-src 'self'; base-uri 'none'; form-action 'self'"
}

// MustShop starts the two servers for one test.
func MustShop(t *testing.T) *shop {
	t.Helper()
	tmpl, err := shopTemplates()
	if err != nil {
		t.Fatal(err)
	}
	s := &shop{t: t, tmpl: tmpl, nonce: base64.RawURLEncoding.EncodeToString([]byte(rand.Text()))}

	pageLn, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.2 (a loopback alias): %v", err)
	}
	s.page = "http://" + pageLn.Addr().String()
	s.charter = s.mustCharter("Measures the audience.")

	db, gc := mustConsentLog(t)
	s.db = db
	if s.sites, err = NewSites(s.charter); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(Options{Sites: s.sites, Recorder: gc, Log: db})

	cs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() && strings.HasPrefix(r.URL.Path, "/api/") {
			s.dropped.Add(1)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			_ = conn.Close() // dropping the connection is the point
			return
		}
		if configure := s.configure.Load(); configure != nil && strings.HasSuffix(r.URL.Path, "/charte.js") {
			ch := s.sites.Default()
			cfg := newBannerConfig(ch, srv.bannerLanguages(r, ch), s.charte, time.Now())
			(*configure)(&cfg)
			js, err := bannerScript(cfg)
			if err != nil {
				t.Errorf("banner script: %v", err)
			}
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
			_, _ = w.Write(js) // as above
			return
		}
		if extra := s.extra.Load(); extra != nil && strings.HasSuffix(r.URL.Path, "/charte.js") {
			r.Header.Del("Accept-Encoding")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
			_, _ = w.Write(withConfig(t, rec.Body.Bytes(), *extra)) // as above
			return
		}
		srv.ServeHTTP(w, r)
	}))
	cs.Start() // on 127.0.0.1:0
	t.Cleanup(cs.Close)
	s.charte = cs.URL

	ps := httptest.NewUnstartedServer(s.pageHandler())
	ps.Listener.Close()
	ps.Listener = pageLn
	ps.Start()
	t.Cleanup(ps.Close)
	return s
}

// mustCharter returns the shop's charter, with a statistics purpose.
func (s *shop) mustCharter(purpose string) *charte.Charter {
	s.t.Helper()
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "shop.yaml", map[string]string{"Origin": s.page, "Purpose": purpose}); err != nil {
		s.t.Fatal(err)
	}
	ch, err := charterfile.Parse("shop.yaml", buf.Bytes())
	if err != nil {
		s.t.Fatalf("parse the shop's charter: %v", err)
	}
	return ch
}

// pageHandler serves the customer site: / in English, /fr in French.
func (s *shop) pageHandler() http.Handler {
	mux := http.NewServeMux()
	s.mux = mux
	page := func(lang string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			s.serve(w, "shop.html", "text/html; charset=utf-8", map[string]string{"Lang": lang, "Charte": s.charte, "Site": "shop", "Nonce": s.nonce})
		}
	}
	mux.HandleFunc("GET /{$}", page("en"))
	mux.HandleFunc("GET /fr", page("fr"))
	mux.HandleFunc("GET /stats.js", func(w http.ResponseWriter, r *http.Request) {
		// Late on purpose: the inline script after it must still wait for it.
		select {
		case <-time.After(100 * time.Millisecond):
		case <-r.Context().Done():
		}
		s.serve(w, "stats.js", "text/javascript", nil)
	})
	mux.HandleFunc("GET /ads.js", func(w http.ResponseWriter, r *http.Request) { s.serve(w, "ads.js", "text/javascript", nil) })
	mux.HandleFunc("GET /player", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, "player.html", "text/html; charset=utf-8", nil)
	})
	mux.HandleFunc("GET /violation", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, "violation.html", "text/html; charset=utf-8", nil)
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return mux
}

func (s *shop) serve(w http.ResponseWriter, name, contentType string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.t.Errorf("render %s: %v", name, err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Security-Policy", s.csp())
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes()) // the browser went away; nothing to do
}

// record returns a decision of the consent log.
func (s *shop) record(id string) *charte.Record {
	s.t.Helper()
	rec, err := s.db.FindDecisionByID(context.Background(), id)
	if err != nil {
		s.t.Fatalf("FindDecisionByID(%q): %v", id, err)
	}
	return rec
}

// records returns the whole consent log.
func (s *shop) records() []*charte.Record {
	s.t.Helper()
	var recs []*charte.Record
	if err := s.db.FindDecisions(context.Background(), charte.DecisionFilter{}, func(r *charte.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		s.t.Fatal(err)
	}
	return recs
}

// sortedKeys is for messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// withConfig returns the banner script js with the members of extra set in
// its configuration.
func withConfig(tb testing.TB, js []byte, extra map[string]any) []byte {
	tb.Helper()
	for _, b := range bannerBundles {
		if !bytes.HasPrefix(js, b[0]) || !bytes.HasSuffix(js, b[1]) {
			continue
		}
		var cfg map[string]any
		if err := json.Unmarshal(js[len(b[0]):len(js)-len(b[1])], &cfg); err != nil {
			tb.Errorf("banner config: %v", err)
			return js
		}
		maps.Copy(cfg, extra)
		out, err := json.Marshal(cfg)
		if err != nil {
			tb.Errorf("banner config: %v", err)
			return js
		}
		return slices.Concat(b[0], out, b[1])
	}
	tb.Errorf("the banner is not a bundle with a config inlined")
	return js
}
