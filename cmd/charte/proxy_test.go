package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// shopCharter is the charter of the application the tests put behind the
// proxy: a statistics cookie set by the server, HttpOnly, as Matomo's
// server-side tracking does.
const shopCharter = `site:
  id: shop
  name: Shop
  url: https://shop.example
  languages: [en]
  contact: dpo@shop.example
categories:
  - id: necessary
  - id: statistics
cookies:
  - name: cookies_preferences
    provider: charte
    service: Cookie consent
    purpose: Keeps the visitor's cookie choices.
    category: necessary
    lifetime: 6mo
    party: first
  - name: _pk_id.*
    provider: Matomo
    service: Audience statistics
    purpose: Tells visits apart for audience statistics.
    category: ` + "STATS" + `
    lifetime: 13mo
    party: first
`

// writeShopCharter writes the shop's charter with _pk_id.* in category
// and returns its path.
func writeShopCharter(tb testing.TB, file, category string) string {
	tb.Helper()
	if err := os.WriteFile(file, []byte(strings.Replace(shopCharter, "STATS", category, 1)), 0o644); err != nil {
		tb.Fatal(err)
	}
	return file
}

// shopApp is an application that knows nothing of charte: every page sets
// an analytics cookie and an undeclared one.
func shopApp(tb testing.TB) *httptest.Server {
	tb.Helper()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "_pk_id.x", Value: "visitor42", Path: "/", MaxAge: 3600, HttpOnly: true})
		http.SetCookie(w, &http.Cookie{Name: "tracker", Value: "1", Path: "/"})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1></body></html>`)
	}))
	tb.Cleanup(app.Close)
	return app
}

// MustRunProxy starts `charte proxy` on a free loopback port with args and
// stops it when the test ends.
func MustRunProxy(tb testing.TB, vars map[string]string, args ...string) *runningServer {
	tb.Helper()
	return mustRunServer(tb, "proxy", vars, args...)
}

// visitor is a browser without JavaScript: a cookie jar that shows what the
// proxy lets the application store.
type visitor struct {
	tb     testing.TB
	base   *url.URL
	client *http.Client
}

func newVisitor(tb testing.TB, base string) *visitor {
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	u, _ := url.Parse(base)
	return &visitor{tb: tb, base: u, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// get fetches a page and returns the response's Set-Cookie headers and its
// body.
func (v *visitor) get(path string) ([]string, []byte) {
	v.tb.Helper()
	resp, err := v.client.Get(v.base.String() + path)
	if err != nil {
		v.tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		v.tb.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
	}
	return resp.Header.Values("Set-Cookie"), body
}

// decide posts a decision to the consent API as the banner does from a
// page behind the proxy (same origin), and returns the decision's id.
func (v *visitor) decide(version, method, previous string) string {
	v.tb.Helper()
	body, _ := json.Marshal(map[string]any{"site": "shop", "charter_version": version, "choices": map[string]bool{}, "method": method, "previous_id": previous})
	req, _ := http.NewRequest(http.MethodPost, v.base.String()+"/_charte/api/v1/consents", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", v.base.Scheme+"://"+v.base.Host)
	resp, err := v.client.Do(req)
	if err != nil {
		v.tb.Fatal(err)
	}
	defer resp.Body.Close()
	var rec struct{ ID, Cookie string }
	if err := json.NewDecoder(resp.Body).Decode(&rec); err != nil || resp.StatusCode != http.StatusCreated {
		v.tb.Fatalf("POST consents %s = %d, %v", method, resp.StatusCode, err)
	}
	if got := v.cookie("cookies_preferences"); got != rec.Cookie {
		v.tb.Fatalf("after POST consents %s, cookies_preferences = %q, want %q set by the API", method, got, rec.Cookie)
	}
	return rec.ID
}

// cookie returns the value of a cookie in the jar, or "".
func (v *visitor) cookie(name string) string {
	for _, c := range v.client.Jar.Cookies(v.base) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// scriptSrcs returns the src of every script element of a page.
func scriptSrcs(tb testing.TB, page []byte) []string {
	tb.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		tb.Fatal(err)
	}
	var srcs []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "script" {
			for _, a := range n.Attr {
				if a.Key == "src" {
					srcs = append(srcs, a.Val)
				}
			}
		}
	}
	return srcs
}

// hasCookie reports whether Set-Cookie headers set (or, with deleted,
// expire) a cookie.
func hasCookie(headers []string, name string, deleted bool) bool {
	for _, h := range headers {
		c, err := http.ParseSetCookie(h)
		if err == nil && c.Name == name && (c.MaxAge < 0) == deleted {
			return true
		}
	}
	return false
}

// TestProxyEndToEnd is issue 4's "done when", without a browser: an
// application that sets an HttpOnly analytics cookie from the server, behind
// charte proxy. Before consent the visitor never gets it; after "accept
// all" they do; after withdrawing, the next response deletes it.
func TestProxyEndToEnd(t *testing.T) {
	dir := t.TempDir()
	app := shopApp(t)
	charter := writeShopCharter(t, filepath.Join(dir, "shop.yaml"), "statistics")
	rs := MustRunProxy(t, nil, "--upstream", app.URL, "--charter", charter, "--db", "sqlite:"+filepath.Join(dir, "charte.db"))
	v := newVisitor(t, rs.URL)

	// First visit: the page has the banner, the analytics cookie is held back.
	set, page := v.get("/")
	if srcs := scriptSrcs(t, page); len(srcs) != 1 || srcs[0] != "/_charte/charte.js" {
		t.Errorf("page scripts = %q, want the banner /_charte/charte.js", srcs)
	}
	if hasCookie(set, "_pk_id.x", false) || v.cookie("_pk_id.x") != "" {
		t.Fatalf("before consent, the proxy let _pk_id.x through: %q", set)
	}
	if hasCookie(set, "tracker", false) {
		t.Errorf("the undeclared cookie tracker went through: %q", set)
	}
	if _, js := v.get("/_charte/charte.js"); !bytes.Contains(js, []byte(`/_charte/api/v1"`)) {
		t.Error("the banner served under /_charte does not post to /_charte/api/v1")
	}

	var sites []siteJSON
	if code := getJSON(t, rs.URL+"/_charte/api/v1/sites", &sites); code != 200 || len(sites) != 1 || sites[0].ID != "shop" {
		t.Fatalf("GET /_charte/api/v1/sites = %d %+v, want the shop", code, sites)
	}
	version := sites[0].Version

	// Accept all: the API sets cookies_preferences, the app's cookie follows.
	id := v.decide(version, "accept_all", "")
	set, _ = v.get("/products")
	if !hasCookie(set, "_pk_id.x", false) || v.cookie("_pk_id.x") != "visitor42" {
		t.Fatalf("after accepting, Set-Cookie = %q and the jar has _pk_id.x = %q; want the app's cookie", set, v.cookie("_pk_id.x"))
	}

	// Withdraw: the next response expires the HttpOnly cookie.
	v.decide(version, "withdraw", id)
	set, _ = v.get("/")
	if !hasCookie(set, "_pk_id.x", true) || hasCookie(set, "_pk_id.x", false) {
		t.Errorf("after withdrawing, Set-Cookie = %q, want _pk_id.x expired and not set again", set)
	}
	if got := v.cookie("_pk_id.x"); got != "" {
		t.Errorf("after withdrawing, the jar still has _pk_id.x = %q", got)
	}

	// Metrics under the prefix count what the proxy did.
	_, metrics := v.get("/_charte/metrics")
	for _, want := range []string{"charte_proxy_undeclared_cookies_total 3", "charte_proxy_banner_injections_total 3"} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if n := strings.Count(rs.stderr.String(), "undeclared cookie dropped"); n != 1 {
		t.Errorf("the undeclared cookie was logged %d times, want once:\n%s", n, rs.stderr.String())
	}
}

// TestProxyReload checks that SIGHUP swaps the enforcer with the charter: a
// cookie the new charter makes necessary passes without consent.
func TestProxyReload(t *testing.T) {
	dir := t.TempDir()
	app := shopApp(t)
	charter := writeShopCharter(t, filepath.Join(dir, "shop.yaml"), "statistics")
	rs := MustRunProxy(t, map[string]string{
		"CHARTE_UPSTREAM": app.URL,
		"CHARTE_CHARTER":  charter,
		"CHARTE_DB":       "sqlite:" + filepath.Join(dir, "charte.db"),
	})
	v := newVisitor(t, rs.URL)
	if set, _ := v.get("/"); hasCookie(set, "_pk_id.x", false) {
		t.Fatalf("before the reload, _pk_id.x went through: %q", set)
	}
	writeShopCharter(t, charter, "necessary")
	rs.hup <- os.Interrupt
	deadline := time.Now().Add(10 * time.Second)
	for {
		set, _ := v.get("/")
		if hasCookie(set, "_pk_id.x", false) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the reload, _pk_id.x is still dropped:\n%s", rs.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestProxyBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		vars map[string]string
		want string
	}{
		{name: "no upstream", args: []string{"proxy"}, want: "--upstream is required"},
		{name: "upstream without scheme", args: []string{"proxy", "--upstream", "127.0.0.1:8000"}, want: "absolute http or https URL"},
		{name: "ftp upstream", args: []string{"proxy"}, vars: map[string]string{"CHARTE_UPSTREAM": "ftp://files.example"}, want: "absolute http or https URL"},
		{name: "two charters", args: []string{"proxy", "--upstream", "http://127.0.0.1:8000", "--charter", "a.yaml", "--charter", "b.yaml"}, want: "one --charter only"},
		{name: "root prefix", args: []string{"proxy", "--upstream", "http://127.0.0.1:8000", "--prefix", "/"}, want: "--prefix"},
		{name: "unclean prefix", args: []string{"proxy", "--upstream", "http://127.0.0.1:8000"}, vars: map[string]string{"CHARTE_PREFIX": "/a/../b"}, want: "--prefix"},
		{name: "stray argument", args: []string{"proxy", "--upstream", "http://127.0.0.1:8000", "site.yaml"}, want: "unexpected argument"},
		{name: "bad public url", args: []string{"proxy", "--upstream", "http://127.0.0.1:8000", "--public-url", "shop.example"}, want: "--public-url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := MustRun(t, tc.vars, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("charte %v = %d %q, want %d with %q", tc.args, code, stderr, exitUsage, tc.want)
			}
		})
	}
	if code, _, stderr := MustRun(t, nil, "proxy", "--upstream", "http://127.0.0.1:8000", "--addr", "127.0.0.1:0", "--charter", "testdata/invalid.yaml"); code != exitInvalid || !strings.Contains(stderr, "invalid.yaml:") {
		t.Errorf("charte proxy with an invalid charter = %d %q, want %d naming the file", code, stderr, exitInvalid)
	}
}

// wordpressApp behaves as WordPress does behind a proxy (issue 9): any
// request whose Host is not its site address is redirected there, 301;
// logging out deletes cookies the charter never declared, by Max-Age and by
// a past Expires; and /forge sets cookies_preferences itself.
func wordpressApp(tb testing.TB, siteHost string) *httptest.Server {
	tb.Helper()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != siteHost {
			http.Redirect(w, r, "http://"+siteHost+r.URL.RequestURI(), http.StatusMovedPermanently)
			return
		}
		switch r.URL.Path {
		case "/wp-login.php":
			w.Header().Add("Set-Cookie", "wordpress_logged_in_0123=; Path=/; Max-Age=0")
			w.Header().Add("Set-Cookie", "wp-settings-1=+; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/")
		case "/forge":
			w.Header().Add("Set-Cookie", "cookies_preferences=1.forged; Path=/; Max-Age=15552000")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><title>Blog</title></head><body><h1>Blog</h1></body></html>`)
	}))
	tb.Cleanup(app.Close)
	return app
}

// TestProxyInFrontOfWordPress checks issue 9's points 8 and 7 through the
// command, for visitors of blog.example: by default the application gets
// the visitor's Host and serves its pages; --upstream-host upstream brings
// back the redirect; a site address that is neither the public host nor the
// upstream is logged; deleting undeclared cookies passes without a warning;
// a cookies_preferences the application sets is dropped and logged once.
func TestProxyInFrontOfWordPress(t *testing.T) {
	const public = "blog.example"
	for _, tc := range []struct {
		name       string
		siteHost   string // the application's site address; "" means public
		args       []string
		path       string
		wantStatus int
		wantSet    []string // cookies set (or deleted) that must pass
		notSet     []string // cookie names that must not be set
		wantLog    string   // logged once; "" means no WARN at all
	}{
		{name: "public pages by default", path: "/?p=1", wantStatus: http.StatusOK},
		{name: "the upstream's Host on request", args: []string{"--upstream-host", "upstream"}, path: "/?p=1", wantStatus: http.StatusMovedPermanently},
		{name: "a site address elsewhere", siteHost: "localhost:8080", path: "/?p=1", wantStatus: http.StatusMovedPermanently, wantLog: "redirects to a host that is neither"},
		{name: "logout deletes undeclared cookies", path: "/wp-login.php?action=logout", wantStatus: http.StatusOK, wantSet: []string{"wordpress_logged_in_0123", "wp-settings-1"}},
		{name: "the application forging consent", path: "/forge", wantStatus: http.StatusOK, notSet: []string{"cookies_preferences"}, wantLog: "the application set the consent cookie"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			app := wordpressApp(t, cmp.Or(tc.siteHost, public))
			charter := writeShopCharter(t, filepath.Join(dir, "shop.yaml"), "statistics")
			rs := MustRunProxy(t, nil, append([]string{"--upstream", app.URL, "--charter", charter, "--db", "sqlite:" + filepath.Join(dir, "charte.db"), "--log-format", "text"}, tc.args...)...)
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for range 2 { // logged once, not per request
				req, _ := http.NewRequest(http.MethodGet, rs.URL+tc.path, nil)
				req.Host = public
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.wantStatus {
					t.Fatalf("GET %s = %d (Location %q), want %d", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.wantStatus)
				}
				if tc.wantStatus == http.StatusOK && !bytes.Contains(body, []byte(`/_charte/charte.js`)) {
					t.Errorf("GET %s: the page has no banner", tc.path)
				}
				set := resp.Header.Values("Set-Cookie")
				for _, name := range tc.wantSet {
					if !slices.ContainsFunc(set, func(h string) bool { return strings.HasPrefix(h, name+"=") }) {
						t.Errorf("Set-Cookie = %q, want %s's deletion passed", set, name)
					}
				}
				for _, name := range tc.notSet {
					if hasCookie(set, name, false) {
						t.Errorf("Set-Cookie = %q, want %s dropped", set, name)
					}
				}
			}
			logged := rs.stderr.String()
			warns := strings.Count(logged, "level=WARN")
			switch {
			case tc.wantLog == "" && warns != 0:
				t.Errorf("log has %d warnings, want none:\n%s", warns, logged)
			case tc.wantLog != "" && (strings.Count(logged, tc.wantLog) != 1 || warns != 1):
				t.Errorf("log:\n%s\nwant one warning, %q", logged, tc.wantLog)
			}
		})
	}
}

// TestProxyUpstreamFlags checks --upstream-timeout end to end (a silent
// application gets the visitor a 504 within it) and the flags' checks and
// help.
func TestProxyUpstreamFlags(t *testing.T) {
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(silent.Close)
	dir := t.TempDir()
	rs := MustRunProxy(t, nil, "--upstream", silent.URL, "--upstream-timeout", "300ms", "--db", "sqlite:"+filepath.Join(dir, "charte.db"))
	start := time.Now()
	resp, err := http.Get(rs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGatewayTimeout || time.Since(start) > 3*time.Second {
		t.Errorf("GET from a silent application = %d after %v, want 504 after about 300ms", resp.StatusCode, time.Since(start))
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{args: []string{"--upstream-host", "a b"}, want: "--upstream-host"},
		{args: []string{"--upstream-host", "user@shop.example"}, want: "--upstream-host"},
		{args: []string{"--upstream-timeout", "-1s"}, want: "--upstream-timeout"},
	} {
		args := append([]string{"proxy", "--upstream", "http://127.0.0.1:8000"}, tc.args...)
		if code, _, stderr := MustRun(t, nil, args...); code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("charte %v = %d %q, want %d with %q", args, code, stderr, exitUsage, tc.want)
		}
	}
	_, stdout, stderr := MustRun(t, nil, "proxy", "--help")
	for _, flag := range []string{"-upstream-host", "-upstream-timeout", "-upstream-idle-timeout"} {
		if !strings.Contains(stdout+stderr, flag) {
			t.Errorf("charte proxy --help does not document %s:\n%s", flag, stdout+stderr)
		}
	}
}

// TestProxyBlocksServices is the proxy's part of issue 12's "done when",
// without a browser: a page that pastes the GA4 snippet, a YouTube iframe
// and the Meta Pixel, behind charte proxy, comes out with each in its
// blocked form, counted by service; services the charter does not name are
// blocked too, and logged once each.
func TestProxyBlocksServices(t *testing.T) {
	dir := t.TempDir()
	const page = `<!doctype html><html><head><title>Shop</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-ABC123');
</script>
<script>
!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;
n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,
document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '123456789');fbq('track', 'PageView');
</script>
<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=123456789&ev=PageView&noscript=1"/></noscript>
</head><body><h1>Shop</h1>
<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="YouTube video player" allowfullscreen></iframe>
<img src="https://www.facebook.com/tr?id=123456789&amp;ev=Purchase" alt="">
<script src="/app.js"></script>
</body></html>`
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	t.Cleanup(app.Close)
	charter := writeShopCharter(t, filepath.Join(dir, "shop.yaml"), "statistics")
	rs := MustRunProxy(t, nil, "--upstream", app.URL, "--charter", charter, "--db", "sqlite:"+filepath.Join(dir, "charte.db"))
	v := newVisitor(t, rs.URL)
	_, body := v.get("/")
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	type element struct{ Name, Type, Category, Service, Src, DataSrc string }
	var got []element
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "script" && n.Data != "iframe" && n.Data != "img" {
			continue
		}
		e := element{Name: n.Data}
		for _, a := range n.Attr {
			switch a.Key {
			case "type":
				e.Type = a.Val
			case "data-category":
				e.Category = a.Val
			case "data-charte-service":
				e.Service = a.Val
			case "src":
				e.Src = a.Val
			case "data-src":
				e.DataSrc = a.Val
			}
		}
		got = append(got, e)
	}
	want := []element{
		{Name: "script", Type: "text/plain", Category: "statistics", Service: "google-analytics-4", Src: "https://www.googletagmanager.com/gtag/js?id=G-ABC123"},
		{Name: "script"}, // gtag's queue: it loads nothing
		{Name: "script", Type: "text/plain", Category: "marketing", Service: "meta-pixel"},
		{Name: "script", Src: "/_charte/charte.js"},
		{Name: "iframe", Category: "marketing", Service: "youtube", DataSrc: "https://www.youtube.com/embed/dQw4w9WgXcQ"},
		{Name: "img", Category: "marketing", Service: "meta-pixel", DataSrc: "https://www.facebook.com/tr?id=123456789&ev=Purchase"},
		{Name: "script", Src: "/app.js"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("scripts, iframes and pixels of the page behind the proxy (-want +got):\n%s", diff)
	}
	_, metrics := v.get("/_charte/metrics")
	for _, want := range []string{
		`charte_proxy_blocked_total{service="google-analytics-4"} 1`,
		`charte_proxy_blocked_total{service="meta-pixel"} 2`,
		`charte_proxy_blocked_total{service="youtube"} 1`,
		`charte_proxy_block_unchecked_total 0`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
	v.get("/again")
	for _, id := range []string{"google-analytics-4", "meta-pixel", "youtube"} {
		if n := strings.Count(rs.stderr.String(), "service="+id); n != 1 {
			t.Errorf("the unnamed service %s was logged %d times, want once:\n%s", id, n, rs.stderr.String())
		}
	}

	// A charter that names GA4 and YouTube: only the Meta Pixel, which it
	// does not name, is logged.
	named := filepath.Join(dir, "services.yaml")
	text := strings.Replace(strings.Replace(shopCharter, "STATS", "statistics", 1), "categories:\n", "services:\n  - {id: google-analytics-4, measurement_id: G-ABC123}\n  - {id: youtube}\ncategories:\n", 1)
	if err := os.WriteFile(named, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rs = MustRunProxy(t, nil, "--upstream", app.URL, "--charter", named, "--db", "sqlite:"+filepath.Join(dir, "named.db"))
	v = newVisitor(t, rs.URL)
	if _, body := v.get("/"); !bytes.Contains(body, []byte(`data-category="marketing" data-charte-service="youtube"`)) || !bytes.Contains(body, []byte(`data-category="statistics" data-charte-service="google-analytics-4"`)) {
		t.Errorf("with a charter that names them, GA4 and YouTube are not blocked under their categories:\n%s", body)
	}
	for id, want := range map[string]int{"google-analytics-4": 0, "youtube": 0, "meta-pixel": 1} {
		if n := strings.Count(rs.stderr.String(), "service="+id); n != want {
			t.Errorf("with a charter that names GA4 and YouTube, %s was logged %d times, want %d:\n%s", id, n, want, rs.stderr.String())
		}
	}
}
