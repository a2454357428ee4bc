package consent

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// testCharter declares a cookie per category, a pattern, a third-party
// cookie and an exempt category.
func testCharter() *Charter {
	return &Charter{
		Site:    Site{ID: "shop"},
		Version: "v1v1v1v1v1v1",
		Categories: []Category{
			{ID: "necessary"}, {ID: "statistics", Exempt: true}, {ID: "preferences"}, {ID: "marketing"},
		},
		Cookies: []Cookie{
			{Name: "sid", Category: "necessary", Party: "first"},
			{Name: "_pk_id.*", Category: "statistics", Party: "first"},
			{Name: "theme", Category: "preferences", Party: "first", Domain: ".shop.example"},
			{Name: "ads", Category: "marketing", Party: "first"},
			{Name: "IDE", Category: "marketing", Party: "third", Domain: ".doubleclick.net"},
		},
	}
}

// prefs returns a cookies_preferences header value granting categories.
func prefs(version string, expires time.Time, granted ...string) string {
	d := Decision{ID: "q3Zb0vXk2T9mLp4sWc8yAa", Version: version, Granted: granted, Method: "custom", Created: testNow.Add(-time.Hour), Expires: expires}
	return CookieName + "=" + d.Encode()
}

// setsAll is a handler that sets one cookie of every kind.
var setsAll = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	for _, c := range []string{"sid=1; HttpOnly", "_pk_id.abc=2", "theme=dark", "ads=3", "IDE=4", "tracker=5"} {
		w.Header().Add("Set-Cookie", c)
	}
	io.WriteString(w, "ok")
})

func setCookieNames(h http.Header) []string {
	var names []string
	for _, v := range h["Set-Cookie"] {
		n, _, _ := strings.Cut(v, "=")
		if strings.Contains(v, "Max-Age=0") {
			n = "-" + n // a deletion
		}
		names = append(names, n)
	}
	return names
}

func TestMiddlewareFilter(t *testing.T) {
	future := testNow.Add(24 * time.Hour)
	tests := []struct {
		name       string
		cookie     string
		reportOnly bool
		want       []string
	}{
		{name: "no decision: necessary and exempt only", want: []string{"sid", "_pk_id.abc"}},
		{name: "report-only lets undeclared through", reportOnly: true, want: []string{"sid", "_pk_id.abc", "tracker"}},
		{name: "accept all", cookie: prefs("v1v1v1v1v1v1", future, "statistics", "preferences", "marketing"), want: []string{"sid", "_pk_id.abc", "theme", "ads", "IDE"}},
		{name: "refused statistics (exempt opt-out)", cookie: prefs("v1v1v1v1v1v1", future, "preferences"), want: []string{"sid", "theme"}},
		{name: "stale version is no decision", cookie: prefs("oldoldoldold", future, "marketing"), want: []string{"sid", "_pk_id.abc"}},
		{name: "expired is no decision", cookie: prefs("v1v1v1v1v1v1", testNow.Add(-time.Minute), "marketing"), want: []string{"sid", "_pk_id.abc"}},
		{name: "malformed is no decision", cookie: CookieName + "=garbage", want: []string{"sid", "_pk_id.abc"}},
		{
			name:   "withdrawn categories' cookies in the browser are expired",
			cookie: prefs("v1v1v1v1v1v1", future) + "; _pk_id.old=1; theme=light; ads=1; IDE=9; other=1",
			// _pk_id.abc set by the app is dropped; _pk_id.old, theme (twice:
			// host and declared domain) and ads are expired; IDE is third-party.
			want: []string{"sid", "-_pk_id.old", "-theme", "-theme", "-ads"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var undeclared []string
			mw := Middleware(testCharter(), Options{
				ReportOnly:   tc.reportOnly,
				Now:          func() time.Time { return testNow },
				OnUndeclared: func(_ *http.Request, name string) { undeclared = append(undeclared, name) },
			})
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tc.cookie != "" {
				req.Header.Set("Cookie", tc.cookie)
			}
			rec := httptest.NewRecorder()
			mw(setsAll).ServeHTTP(rec, req)
			if diff := cmp.Diff(tc.want, setCookieNames(rec.Result().Header)); diff != "" {
				t.Errorf("Set-Cookie names (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"tracker"}, undeclared); diff != "" {
				t.Errorf("undeclared reports (-want +got):\n%s", diff)
			}
			if rec.Body.String() != "ok" {
				t.Errorf("body = %q, want the app's", rec.Body.String())
			}
		})
	}
}

func TestMiddlewareKeepsDeletions(t *testing.T) {
	var undeclared []string
	mw := Middleware(testCharter(), Options{Now: func() time.Time { return testNow }, OnUndeclared: func(_ *http.Request, name string) {
		undeclared = append(undeclared, name)
	}})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", CookieName+"=1..v..r.1.2") // the decision itself: always
		w.Header().Add("Set-Cookie", "ads=; Max-Age=0")
		w.Header().Add("Set-Cookie", "theme=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
		w.Header().Add("Set-Cookie", "ads=new; Max-Age=3600")
		// Max-Age takes precedence over Expires: this one lasts an hour.
		w.Header().Add("Set-Cookie", "ads=kept; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
		// An undeclared cookie's deletion passes too, unreported.
		w.Header().Add("Set-Cookie", "wp-settings-1=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/")
		w.Header().Add("Set-Cookie", "legacy=deleted; Max-Age=-1")
	})
	rec := httptest.NewRecorder()
	mw(h).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	got := rec.Result().Header["Set-Cookie"]
	want := []string{
		CookieName + "=1..v..r.1.2", "ads=; Max-Age=0", "theme=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
		"wp-settings-1=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/", "legacy=deleted; Max-Age=-1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", diff)
	}
	if len(undeclared) != 0 {
		t.Errorf("undeclared reports = %q, want none for deletions", undeclared)
	}
}

func TestIsDeletion(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"a=; Max-Age=0", true},
		{"a=; Max-Age=-5", true},
		{"a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", true},
		{"a=x; Max-Age=3600", false},
		{"a=x; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT", false},
		{"a=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=3600", false},
		{"a=x; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT", true},
		{"a=x; Expires=Fri, 01 Jan 2100 00:00:00 GMT", false},
		{"a=x", false},
		{"a=x; Path=/expires", false},
		{"not a cookie; Max-Age=0", false},
	} {
		if got := IsDeletion(tc.header, testNow); got != tc.want {
			t.Errorf("IsDeletion(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestContext(t *testing.T) {
	future := testNow.Add(time.Hour)
	tests := []struct {
		name   string
		cookie string
		want   map[string]bool
		found  bool
	}{
		{name: "none", want: map[string]bool{"necessary": true, "statistics": false, "marketing": false}},
		{name: "granted", cookie: prefs("v1v1v1v1v1v1", future, "marketing"), found: true, want: map[string]bool{"necessary": true, "statistics": false, "marketing": true}},
		{name: "stale", cookie: prefs("x", future, "marketing"), want: map[string]bool{"necessary": true, "marketing": false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]bool{}
			var found bool
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, found = FromContext(r.Context())
				for cat := range tc.want {
					got[cat] = Allowed(r, cat)
				}
			})
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tc.cookie != "" {
				req.Header.Set("Cookie", tc.cookie)
			}
			Middleware(testCharter(), Options{Now: func() time.Time { return testNow }})(h).ServeHTTP(httptest.NewRecorder(), req)
			if found != tc.found {
				t.Errorf("FromContext found = %v, want %v", found, tc.found)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Allowed (-want +got):\n%s", diff)
			}
		})
	}
	if _, ok := FromContext(context.Background()); ok {
		t.Error("FromContext(Background) found a decision")
	}
}

// TestWrappedAppKeepsWorking runs real handlers behind the middleware on a
// real server: late and missing WriteHeader, headers after the body,
// streaming with Flush, trailers, ReadFrom and Hijack.
func TestWrappedAppKeepsWorking(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/never-writes", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "ads=1")
		w.Header().Add("Set-Cookie", "sid=1")
	})
	mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "ads=1")
		w.WriteHeader(http.StatusTeapot)
		w.Header().Add("Set-Cookie", "sid=too-late") // ignored by net/http, as without charte
		io.WriteString(w, "tea")
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "ads=1")
		w.Header().Set("Trailer", "X-Sum")
		for i := range 3 {
			io.WriteString(w, strings.Repeat("x", 10)+"\n")
			w.(http.Flusher).Flush()
			if i == 0 {
				time.Sleep(time.Millisecond)
			}
		}
		w.Header().Set("X-Sum", "30")
	})
	mux.HandleFunc("/readfrom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "sid=1")
		n, err := w.(io.ReaderFrom).ReadFrom(strings.NewReader(strings.Repeat("y", 1<<16)))
		if err != nil || n != 1<<16 {
			t.Errorf("ReadFrom = %d, %v", n, err)
		}
	})
	mux.HandleFunc("/hijack", func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\nhello")
		brw.Flush()
	})
	mux.HandleFunc("/controller", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("ResponseController.SetWriteDeadline through the middleware: %v", err)
		}
		io.WriteString(w, "ok")
	})
	srv := httptest.NewServer(Middleware(testCharter(), Options{})(mux))
	defer srv.Close()

	for _, tc := range []struct {
		path       string
		status     int
		cookies    []string
		body       string
		trailerSum string
	}{
		{path: "/never-writes", status: 200, cookies: []string{"sid=1"}},
		{path: "/late", status: http.StatusTeapot, body: "tea"},
		{path: "/stream", status: 200, body: strings.Repeat(strings.Repeat("x", 10)+"\n", 3), trailerSum: "30"},
		{path: "/readfrom", status: 200, cookies: []string{"sid=1"}, body: strings.Repeat("y", 1<<16)},
		{path: "/controller", status: 200, body: "ok"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status || string(body) != tc.body || !slices.Equal(resp.Header["Set-Cookie"], tc.cookies) {
				t.Errorf("GET %s = %d %q cookies %q; want %d %q cookies %q", tc.path, resp.StatusCode, body, resp.Header["Set-Cookie"], tc.status, tc.body, tc.cookies)
			}
			if got := resp.Trailer.Get("X-Sum"); got != tc.trailerSum {
				t.Errorf("trailer X-Sum = %q, want %q", got, tc.trailerSum)
			}
		})
	}

	t.Run("/hijack", func(t *testing.T) {
		conn, err := net.DialTimeout("tcp", srv.Listener.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "GET /hijack HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusSwitchingProtocols {
			t.Errorf("hijacked response = %d, want 101", resp.StatusCode)
		}
	})
}
