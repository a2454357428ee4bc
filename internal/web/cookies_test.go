package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/charte/charte/internal/charterfile"
)

// TestEveryCookieIsDeclaredWithBackOffice walks every GET route of a
// server with every surface mounted (consent API and back office, on a real
// SQLite database), as a visitor and then as a signed-in user, and posts the
// back office's forms: every cookie that any response sets must be declared
// in charte's own charter. TestEveryCookieIsDeclared walks the public
// surface with its language variants.
func TestEveryCookieIsDeclaredWithBackOffice(t *testing.T) {
	e := MustAdminEnv(t)
	own := charterfile.Default()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base, _ := url.Parse(e.srv.URL + "/admin/")
	seen := map[string]bool{}
	do := func(method, path string, form url.Values) *http.Response {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, e.srv.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", e.srv.URL)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			seen[c.Name] = true
			decl, ok := own.Lookup(c.Name)
			if !ok {
				t.Errorf("%s %s sets cookie %q, which charte's own charter does not declare", method, path, c.Name)
				continue
			}
			if decl.Name != "cookies_preferences" && decl.Name != "csrftoken" && !c.HttpOnly {
				t.Errorf("%s %s: cookie %q is not HttpOnly", method, path, c.Name)
			}
			if c.SameSite != http.SameSiteLaxMode && c.SameSite != http.SameSiteStrictMode {
				t.Errorf("%s %s: cookie %q is neither SameSite=Lax nor Strict", method, path, c.Name)
			}
		}
		return resp
	}
	csrf := func() string {
		for _, c := range jar.Cookies(base) {
			if c.Name == "csrftoken" {
				return c.Value
			}
		}
		return ""
	}
	walk := func() {
		for _, rt := range e.s.routeList() {
			method, path, ok := strings.Cut(rt.pattern, " ")
			if !ok || method != http.MethodGet {
				continue
			}
			path = strings.NewReplacer("{$}", "", "{site}", "charte", "{id}", "no-such-id",
				"{file}", strings.TrimPrefix(e.s.static.URL("charte.css"), "/static/")).Replace(path)
			do(method, path, nil)
		}
	}

	walk()
	do(http.MethodGet, "/admin/login", nil)
	if resp := do(http.MethodPost, "/admin/login", url.Values{"username": {"admin"}, "password": {adminPassword}, "csrf_token": {csrf()}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in = %d, want 303", resp.StatusCode)
	}
	walk()
	do(http.MethodPost, "/admin/language", url.Values{"lang": {"en"}, "csrf_token": {csrf()}})
	do(http.MethodPost, "/admin/logout", url.Values{"csrf_token": {csrf()}})

	for _, name := range []string{"csrftoken", "sessionid", "django_language"} {
		if !seen[name] {
			t.Errorf("the walk set no %s cookie: it does not reach the part of the back office that sets it", name)
		}
	}
}
