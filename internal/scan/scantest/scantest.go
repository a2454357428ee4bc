// Package scantest serves the fixture sites that charte scan's tests audit,
// on loopback addresses (the browser they need comes from
// internal/browsertest). Only _test.go files import it, and it may import
// only the standard library (testing included).
//
// The fixture "shop" (testdata/sites/shop) is a small French shop on
// 127.0.0.1 with a home-made banner ("Tout accepter" / "Tout refuser"),
// cookies set by its server and by its scripts, one set before consent
// (early_ads, on /b.html), one set after refusal (late_tracker), one asking
// for a 3-year lifetime (_ga, once accepted), localStorage and
// sessionStorage keys, a JSON and a PDF link the crawler must skip, and a
// third party on 127.0.0.2, over HTTPS, whose iframe and pixel set a
// SameSite=None; Secure cookie (tp_id). Its charter (charte.yaml) declares
// some of them.
package scantest

import (
	"embed"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

//go:embed testdata/sites
var sites embed.FS

// Site is a fixture site served for one test.
type Site struct {
	// URL is the site's home page: http://127.0.0.1:PORT/.
	URL string
	// ThirdParty is the third party's origin: https://127.0.0.2:PORT.
	ThirdParty string
	// Charter is the path of the site's charter, in a temporary directory.
	Charter string
}

// MustServe serves the fixture site name until the test ends. It skips the
// test when 127.0.0.2 cannot be listened on (cookies are kept per host, not
// per port, so the third party needs a host of its own).
func MustServe(tb testing.TB, name string) *Site {
	tb.Helper()
	root, err := fs.Sub(sites, "testdata/sites/"+name)
	if err != nil {
		tb.Fatal(err)
	}
	third := httptest.NewUnstartedServer(nil)
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		tb.Skipf("cannot listen on 127.0.0.2 for the third party: %v", err)
	}
	third.Listener = l
	third.StartTLS()
	tb.Cleanup(third.Close)
	thirdURL := "https://" + l.Addr().String()
	third.Config.Handler = &handler{root: root, dir: "third", third: thirdURL, cookies: map[string][]string{
		"/frame.html": {"tp_id=f81d4fae; Max-Age=2592000; Path=/; SameSite=None; Secure"},
		"/pixel.gif":  {"tp_id=f81d4fae; Max-Age=2592000; Path=/; SameSite=None; Secure"},
	}}

	www := httptest.NewServer(&handler{root: root, dir: "www", third: thirdURL, session: true, cookies: map[string][]string{
		"/b.html": {"server_flag=1; Max-Age=3600; Path=/"},
	}})
	tb.Cleanup(www.Close)

	ch, err := fs.ReadFile(root, "charte.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	charter := filepath.Join(tb.TempDir(), name+".yaml")
	if err := os.WriteFile(charter, ch, 0o644); err != nil {
		tb.Fatal(err)
	}
	return &Site{URL: www.URL + "/", ThirdParty: thirdURL, Charter: charter}
}

// handler serves one side of a fixture site.
type handler struct {
	root    fs.FS
	dir     string
	third   string
	session bool                // set sessionid on pages, as a framework would
	cookies map[string][]string // Set-Cookie lines by path
}

// pixel is a 1×1 transparent GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p == "/" {
		p = "/index.html"
	}
	for _, c := range h.cookies[p] {
		w.Header().Add("Set-Cookie", c)
	}
	if p == "/pixel.gif" {
		w.Header().Set("Content-Type", "image/gif")
		_, _ = w.Write(pixel) // the test's browser went away: nothing to do
		return
	}
	body, err := fs.ReadFile(h.root, path.Join(h.dir, p))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(p))
	switch {
	case path.Ext(p) == "":
		ct = "application/json"
	case ct == "":
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	if strings.HasPrefix(ct, "text/html") {
		if _, err := r.Cookie("sessionid"); h.session && err != nil {
			w.Header().Add("Set-Cookie", "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax")
		}
		body = []byte(strings.ReplaceAll(string(body), "{{THIRD}}", h.third))
	}
	_, _ = w.Write(body) // the test's browser went away: nothing to do
}

// FillDraft does to a draft charter what its operator does, simply: writes
// a contact and the purposes, gives the unknown cookies a category, and
// the services the parameters of the examples their TODOs give.
func FillDraft(draft string) string {
	draft = todoParam.ReplaceAllString(draft, `$1: "$2"`)
	return strings.NewReplacer(
		`contact: ""`, `contact: "dpo@example.org"`,
		`purpose: ""`, `purpose: "Une finalité."`,
		`category: unknown`, `category: necessary`,
	).Replace(draft)
}

// todoParam is a service's parameter left for the operator to give, with
// its example.
var todoParam = regexp.MustCompile(`(?m)([a-z_]+): ""  # TODO: .*, as in [a-z_]+: (\S+)$`)
