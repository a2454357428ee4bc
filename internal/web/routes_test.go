package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/mock"
)

// TestSurfacesMounted checks that a surface that is not configured is not
// mounted: its routes are the catch-all 404 (JSON under /api/), not a 500.
func TestSurfacesMounted(t *testing.T) {
	bare := MustNewServer(t, Options{BasePath: "/_charte"})
	withLog := MustNewServer(t, Options{Recorder: &mock.Recorder{}, Log: &mock.ConsentLog{}})
	tests := []struct {
		name     string
		h        http.Handler
		method   string
		target   string
		want     int
		wantJSON bool
	}{
		{name: "no back office", h: bare, method: http.MethodGet, target: "/_charte/admin/", want: http.StatusNotFound},
		{name: "no back office, no slash", h: bare, method: http.MethodGet, target: "/_charte/admin", want: http.StatusNotFound},
		{name: "no back office, sign-in", h: bare, method: http.MethodPost, target: "/_charte/admin/login", want: http.StatusNotFound},
		{name: "no consent log, record", h: bare, method: http.MethodPost, target: "/_charte/api/v1/consents", want: http.StatusNotFound, wantJSON: true},
		{name: "no consent log, receipt", h: bare, method: http.MethodGet, target: "/_charte/api/v1/consents/x", want: http.StatusNotFound, wantJSON: true},
		{name: "sites without a consent log", h: bare, method: http.MethodGet, target: "/_charte/api/v1/sites", want: http.StatusOK, wantJSON: true},
		{name: "consent log, no back office", h: withLog, method: http.MethodGet, target: "/admin/receipts", want: http.StatusNotFound},
		{name: "consent log mounted", h: withLog, method: http.MethodGet, target: "/api/v1/consents/x", want: http.StatusNotFound, wantJSON: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tc.h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
			if rec.Code != tc.want {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.target, rec.Code, tc.want)
			}
			ctype := rec.Header().Get("Content-Type")
			if got := strings.HasPrefix(ctype, "application/json"); got != tc.wantJSON {
				t.Errorf("%s %s: Content-Type %q, want JSON %v", tc.method, tc.target, ctype, tc.wantJSON)
			}
		})
	}
}

// TestMountPanics checks that options missing a service the surface needs
// are refused at start-up, not with a 500 per request.
func TestMountPanics(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{name: "recorder without log", opts: Options{Recorder: &mock.Recorder{}}},
		{name: "back office without users", opts: Options{Log: &mock.ConsentLog{}, Admin: &AdminOptions{Sessions: &mock.SessionService{}, Stats: &mock.StatsService{}, Charters: &mock.CharterService{}}}},
		{name: "back office without log", opts: Options{Admin: &AdminOptions{Users: &mock.UserService{}, Sessions: &mock.SessionService{}, Stats: &mock.StatsService{}, Charters: &mock.CharterService{}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewServer(%s) did not panic", tc.name)
				}
			}()
			MustNewServer(t, tc.opts)
		})
	}
}

// TestRunWithoutBackOffice checks that a server without a back office has
// no background work: Run returns at once.
func TestRunWithoutBackOffice(t *testing.T) {
	s := MustNewServer(t, Options{})
	done := make(chan struct{})
	go func() {
		s.Run(t.Context())
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("Run without a back office did not return")
	}
}

// TestHomeLinksMountedSurfaces checks that the home page links to the back
// office only when it is mounted (charte proxy has none).
func TestHomeLinksMountedSurfaces(t *testing.T) {
	tests := []struct {
		name string
		h    http.Handler
		want bool
	}{
		{name: "no back office", h: MustNewServer(t, Options{}), want: false},
		{name: "back office", h: MustAdminEnv(t).s, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := false
			for _, a := range findAll(parseHTML(t, get(t, tc.h, "/", nil)), "a") {
				if href, _ := attr(a, "href"); href == "/admin/" {
					got = true
				}
			}
			if got != tc.want {
				t.Errorf("GET / links to /admin/: %v, want %v", got, tc.want)
			}
		})
	}
}
