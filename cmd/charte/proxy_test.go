package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
