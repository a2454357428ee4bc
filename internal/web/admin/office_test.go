package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/password"
	"github.com/charte/charte/internal/sqlite"
)

const adminPassword = "correct horse battery staple"

// adminEnv is a running back office on a real SQLite database and one
// user, "admin", mounted in a test host (host_test.go).
type adminEnv struct {
	srv *httptest.Server
	db  *sqlite.DB
	gc  *charte.GroupCommitter
	s   *Office
	// trustProxy makes the host believe X-Forwarded-For.
	trustProxy atomic.Bool
}

func MustAdminEnv(tb testing.TB) *adminEnv {
	tb.Helper()
	return mustAdminEnvWith(tb, password.Params{Memory: 1024, Time: 1, Threads: 1})
}

// mustAdminEnvWith is [MustAdminEnv] with the user's password hashed with
// params.
func mustAdminEnvWith(tb testing.TB, params password.Params) *adminEnv {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "admin.db"))
	if err != nil {
		tb.Fatal(err)
	}
	gc := charte.NewGroupCommitter(db, 0)
	tb.Cleanup(func() {
		gc.Close()
		db.Close()
	})
	hash, err := password.Hash(adminPassword, params)
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.CreateUser(ctx, &charte.User{Name: "admin", PasswordHash: hash}); err != nil {
		tb.Fatal(err)
	}
	def := charterfile.Default()
	body, _ := json.Marshal(def)
	if err := db.SaveCharterVersion(ctx, &charte.CharterVersion{Site: def.Site.ID, Version: def.Version, Content: body}); err != nil {
		tb.Fatal(err)
	}
	e := &adminEnv{db: db, gc: gc}
	e.s, e.srv = mustAdminServer(tb, db, &e.trustProxy)
	return e
}

// mustAdminServer starts a back office on db, as cmd/charte does: another
// instance on the same database when called again.
func mustAdminServer(tb testing.TB, db *sqlite.DB, trustProxy *atomic.Bool) (*Office, *httptest.Server) {
	tb.Helper()
	key, err := db.FindOrCreateSecret(context.Background(), "csrf")
	if err != nil {
		tb.Fatal(err)
	}
	s := New(Options{Users: db, Sessions: db, Stats: db, Charters: db, Log: db, Sleep: func(time.Duration) {}, CSRFKey: key}, testHost(tb, trustProxy))
	srv := httptest.NewServer(mountTest(s))
	tb.Cleanup(srv.Close)
	return s, srv
}

// browser is an HTTP client with a cookie jar that does not follow redirects.
type browser struct {
	tb  testing.TB
	c   *http.Client
	env *adminEnv
	// header is sent with every request, as X-Forwarded-For to come from
	// another address.
	header http.Header
}

func (e *adminEnv) browser(tb testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{tb: tb, env: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.env.srv.URL + "/admin/")
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (b *browser) get(path string) *http.Response {
	b.tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.env.srv.URL+path, nil)
	for k, v := range b.header {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.tb.Cleanup(func() { resp.Body.Close() })
	return resp
}

// post sends a form from charte's own origin, with the CSRF token of the
// jar unless the form sets csrf_token itself.
func (b *browser) post(path string, form url.Values, header http.Header) *http.Response {
	b.tb.Helper()
	if _, set := form["csrf_token"]; !set {
		form.Set("csrf_token", b.cookie("csrftoken"))
	}
	req, _ := http.NewRequest(http.MethodPost, b.env.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.env.srv.URL)
	for k, v := range b.header {
		req.Header[k] = v
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.tb.Cleanup(func() { resp.Body.Close() })
	return resp
}

// signIn signs in as admin and fails the test if it does not work.
func (b *browser) signIn() {
	b.tb.Helper()
	b.get("/admin/login")
	resp := b.post("/admin/login", url.Values{"username": {"admin"}, "password": {adminPassword}}, nil)
	if resp.StatusCode != http.StatusSeeOther || b.cookie("sessionid") == "" {
		b.tb.Fatalf("sign-in = %d, session %q; want 303 and a session", resp.StatusCode, b.cookie("sessionid"))
	}
}

func TestAdminRequiresSession(t *testing.T) {
	e := MustAdminEnv(t)
	b := e.browser(t)
	checked := 0
	for _, rt := range e.s.Routes() {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok || !strings.HasPrefix(path, "/admin/") || path == "/admin/login" || path == "/admin/language" {
			continue
		}
		path = strings.NewReplacer("{$}", "", "{site}", "charte").Replace(path)
		var resp *http.Response
		if method == http.MethodPost {
			b.get("/admin/login") // a CSRF token, but no session
			resp = b.post(path, url.Values{}, nil)
		} else {
			resp = b.get(path)
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/login?next=") {
			t.Errorf("%s %s without a session = %d → %q, want 303 to the login page", method, path, resp.StatusCode, loc)
		}
		checked++
	}
	if checked < 6 {
		t.Errorf("checked %d admin routes, want every one (at least 6)", checked)
	}
}

func TestAdminSignIn(t *testing.T) {
	e := MustAdminEnv(t)

	t.Run("wrong password gives no session", func(t *testing.T) {
		b := e.browser(t)
		b.get("/admin/login")
		resp := b.post("/admin/login", url.Values{"username": {"admin"}, "password": {"wrong password!"}}, nil)
		if resp.StatusCode != http.StatusUnauthorized || b.cookie("sessionid") != "" {
			t.Errorf("wrong password = %d, session %q; want 401 and none", resp.StatusCode, b.cookie("sessionid"))
		}
		resp = b.post("/admin/login", url.Values{"username": {"nobody"}, "password": {adminPassword}}, nil)
		if resp.StatusCode != http.StatusUnauthorized || b.cookie("sessionid") != "" {
			t.Errorf("unknown user = %d, session %q; want 401 and none", resp.StatusCode, b.cookie("sessionid"))
		}
	})

	t.Run("session id changes at sign-in", func(t *testing.T) {
		b := e.browser(t)
		u, _ := url.Parse(e.srv.URL + "/admin/")
		b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "sessionid", Value: "attacker-chosen-session-id-000000000000", Path: "/admin"}})
		b.signIn()
		if got := b.cookie("sessionid"); got == "attacker-chosen-session-id-000000000000" || len(got) < 40 {
			t.Errorf("session id after sign-in = %q, want a new random one", got)
		}
		if resp := b.get("/admin/"); resp.StatusCode != http.StatusOK {
			t.Errorf("dashboard after sign-in = %d, want 200", resp.StatusCode)
		}
	})

	t.Run("logout kills the session on the server", func(t *testing.T) {
		b := e.browser(t)
		b.signIn()
		stolen := b.cookie("sessionid")
		if resp := b.post("/admin/logout", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout = %d, want 303", resp.StatusCode)
		}
		other := e.browser(t)
		u, _ := url.Parse(e.srv.URL + "/admin/")
		other.c.Jar.SetCookies(u, []*http.Cookie{{Name: "sessionid", Value: stolen, Path: "/admin"}})
		if resp := other.get("/admin/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the old session after logout = %d, want a redirect to sign in", resp.StatusCode)
		}
	})

	t.Run("cookies are declared and flagged", func(t *testing.T) {
		b := e.browser(t)
		b.get("/admin/login")
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/admin/login", strings.NewReader(url.Values{"username": {"admin"}, "password": {adminPassword}, "csrf_token": {b.cookie("csrftoken")}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", e.srv.URL)
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		own := charterfile.Default()
		for _, c := range resp.Cookies() {
			if _, ok := own.Lookup(c.Name); !ok {
				t.Errorf("sign-in sets undeclared cookie %q", c.Name)
			}
			if c.SameSite != http.SameSiteLaxMode || (c.Name == "sessionid" && !c.HttpOnly) {
				t.Errorf("cookie %s: SameSite %v HttpOnly %v", c.Name, c.SameSite, c.HttpOnly)
			}
		}
	})
}

func TestAdminCSRF(t *testing.T) {
	e := MustAdminEnv(t)
	b := e.browser(t)
	b.signIn()
	for _, tc := range []struct {
		name   string
		form   url.Values
		header http.Header
	}{
		{name: "missing token", form: url.Values{"csrf_token": {""}}},
		{name: "wrong token", form: url.Values{"csrf_token": {"not-the-token-not-the-token-not-the-token"}}},
		{name: "other origin", form: url.Values{}, header: http.Header{"Origin": {"https://evil.example"}}},
		{name: "cross-site fetch metadata", form: url.Values{}, header: http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"null"}}},
		{name: "other referer", form: url.Values{}, header: http.Header{"Origin": {"null"}, "Referer": {"https://evil.example/page"}}},
		{name: "JSON without header token", form: url.Values{"csrf_token": {""}}, header: http.Header{"Content-Type": {"application/json"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := b.post("/admin/logout", tc.form, tc.header)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST /admin/logout with %s = %d, want 403", tc.name, resp.StatusCode)
			}
		})
	}
	if resp := b.get("/admin/"); resp.StatusCode != http.StatusOK {
		t.Errorf("the session ended although every logout was forbidden: %d", resp.StatusCode)
	}
	// The header form of the token works too.
	resp := b.post("/admin/logout", url.Values{"csrf_token": {""}}, http.Header{"X-Csrf-Token": {b.cookie("csrftoken")}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /admin/logout with X-CSRF-Token = %d, want 303", resp.StatusCode)
	}
}

func TestAdminBruteForce(t *testing.T) {
	e := MustAdminEnv(t)
	var slept []time.Duration
	e.s.sleep = func(d time.Duration) { slept = append(slept, d) }
	b := e.browser(t)
	b.get("/admin/login")
	var codes []int
	for range 6 {
		codes = append(codes, b.post("/admin/login", url.Values{"username": {"admin"}, "password": {"guess guess guess"}}, nil).StatusCode)
	}
	want := []int{401, 401, 401, 401, 401, 429}
	if !equalInts(codes, want) {
		t.Errorf("statuses of 6 failed sign-ins = %v, want %v", codes, want)
	}
	if len(slept) < 2 {
		t.Errorf("failed sign-ins were slowed %d times, want the 4th and 5th slowed", len(slept))
	}
	resp := b.post("/admin/login", url.Values{"username": {"admin"}, "password": {adminPassword}}, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the right password while blocked = %d, want 429 with Retry-After", resp.StatusCode)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAdminPages(t *testing.T) {
	e := MustAdminEnv(t)
	def := charterfile.Default()
	// Three decisions: accept all, reject all, and statistics only.
	var ids []string
	for i, tc := range []struct {
		method  charte.Method
		choices map[string]bool
	}{
		{method: charte.MethodAcceptAll, choices: map[string]bool{"statistics": true, "marketing": true}},
		{method: charte.MethodRejectAll, choices: map[string]bool{"statistics": false, "marketing": false}},
		{method: charte.MethodCustom, choices: map[string]bool{"statistics": true, "marketing": false}},
	} {
		now := time.Now().UTC().Truncate(time.Second)
		d := &charte.Decision{ID: fmt.Sprintf("decision-%d-0123456789abcdef", i), Site: "charte", CharterVersion: def.Version, Choices: tc.choices, Method: tc.method, CreatedAt: now, ExpiresAt: now.AddDate(0, 6, 0)}
		for _, c := range def.Categories {
			if c.Necessary() {
				d.Choices[c.ID] = true
			}
		}
		rec, err := e.gc.Append(context.Background(), d)
		if err != nil {
			t.Fatalf("append decision: %v", err)
		}
		ids = append(ids, rec.ID)
	}
	b := e.browser(t)
	b.signIn()

	// Dashboard: the day's row says 3 decisions, statistics 67 %, marketing 33 %.
	doc := mustParse(t, b.get("/admin/?days=7"))
	if svg := findAll(doc, "svg"); len(svg) == 0 {
		t.Error("the dashboard has no chart")
	}
	rows := tableRows(doc)
	today := time.Now().UTC().Format("2006-01-02")
	if !containsRow(rows, []string{today, "3", "67 %", "33 %"}) {
		t.Errorf("dashboard rows = %v, want %s with 3 decisions, 67 %% and 33 %%", rows, today)
	}
	// Shares add up to 100 % (largest remainder: the tie goes to the first).
	for _, want := range [][]string{{"Tout accepter", "1", "34 %"}, {"Tout refuser", "1", "33 %"}, {"Choix personnalisé", "1", "33 %"}, {"Retrait", "0", "0 %"}} {
		if !containsRow(rows, want) {
			t.Errorf("dashboard methods = %v, want %v", rows, want)
		}
	}
	if resp := b.get("/admin/?days=12"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("dashboard with days=12 = %d, want 400", resp.StatusCode)
	}

	// Receipt: what was chosen, and the charter the visitor saw.
	doc = mustParse(t, b.get("/admin/receipts?id="+ids[2]))
	body := text(doc)
	// Categories by name, not by id.
	if !strings.Contains(body, "Cookies statistiques : accepté") || !strings.Contains(body, "Cookies publicitaires : refusé") || !strings.Contains(body, "cookies_preferences") {
		t.Errorf("receipt page lacks the choices or the charter seen:\n%.600s", body)
	}
	if resp := b.get("/admin/receipts?id=AAAAAAAAAAAAAAAAAAAAAA"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown receipt = %d, want 404", resp.StatusCode)
	}

	// Export as CSV: a header and the three decisions.
	resp := b.get("/admin/export?format=csv&site=charte")
	csv, _ := io.ReadAll(resp.Body)
	if lines := strings.Split(strings.TrimSpace(string(csv)), "\n"); resp.StatusCode != 200 || len(lines) != 4 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("export = %d, %d lines, %q", resp.StatusCode, len(lines), resp.Header.Get("Content-Disposition"))
	}

	// Charters: the site, its version.
	if body := text(mustParse(t, b.get("/admin/charters"))); !strings.Contains(body, def.Version) {
		t.Errorf("charters page lacks the version %s", def.Version)
	}

	// Language: switch to English, and the back office follows.
	resp = b.post("/admin/language", url.Values{"lang": {"en"}, "next": {"/admin/receipts"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/receipts" {
		t.Fatalf("language switch = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	doc = mustParse(t, b.get("/admin/"))
	if lang, _ := attr(findAll(doc, "html")[0], "lang"); lang != "en" || !strings.Contains(text(doc), "Dashboard") {
		t.Errorf("after switching to English, <html lang=%q>", lang)
	}

	// Security headers on every page.
	resp = b.get("/admin/")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("admin CSP = %q, want no script and frame-ancestors 'none'", csp)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("admin headers = %v", resp.Header)
	}
}

func mustParse(tb testing.TB, resp *http.Response) *html.Node {
	tb.Helper()
	doc, err := html.Parse(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// tableRows returns the text of every table row's cells.
func tableRows(doc *html.Node) [][]string {
	var rows [][]string
	for _, tr := range findAll(doc, "tr") {
		var cells []string
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
				cells = append(cells, text(c))
			}
		}
		rows = append(rows, cells)
	}
	return rows
}

func containsRow(rows [][]string, want []string) bool {
	for _, r := range rows {
		if len(r) == len(want) {
			match := true
			for i := range r {
				match = match && r[i] == want[i]
			}
			if match {
				return true
			}
		}
	}
	return false
}

// TestAdminSignInRefusedPage checks that a sign-in refused by the limits
// gets the form again with a message in the back office's language, not a
// bare error page.
func TestAdminSignInRefusedPage(t *testing.T) {
	for _, tc := range []struct {
		lang, want string
	}{
		{lang: "en", want: "Too many failed sign-ins: try again in 15\u00a0min."},
		{lang: "fr", want: "Trop de tentatives de connexion ont échoué\u00a0: réessayez dans 15\u00a0min."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := MustAdminEnv(t)
			e.s.sleep = func(time.Duration) {}
			b := e.browser(t)
			b.header = http.Header{"Accept-Language": {tc.lang}}
			b.get("/admin/login")
			for range 5 {
				b.post("/admin/login", url.Values{"username": {"admin"}, "password": {"guess guess guess"}}, nil)
			}
			resp := b.post("/admin/login", url.Values{"username": {"admin"}, "password": {"guess guess guess"}}, nil)
			doc := mustParse(t, resp)
			alert := false
			for _, p := range findAll(doc, "p") {
				if role, _ := attr(p, "role"); role == "alert" && text(p) == strings.Join(strings.Fields(tc.want), " ") { // text folds no-break spaces
					alert = true
				}
			}
			form := len(findAll(doc, "form")) > 0
			if resp.StatusCode != http.StatusTooManyRequests || !alert || !form {
				t.Errorf("6th failed sign-in in %s = %d, alert %q shown: %v, form: %v; want 429, the alert and the form", tc.lang, resp.StatusCode, tc.want, alert, form)
			}
		})
	}
}
