package admin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/mock"
	"github.com/charte/charte/internal/password"
)

// errStore is what a failing store answers: its text must never reach the
// browser.
var errStore = errors.New("database is locked: /var/lib/charte/secret.db")

// fakeOffice returns a back office on fakes: a user "admin" whose session
// token "good-session" is valid; sessions and stats as the test sets them.
func fakeOffice(tb testing.TB, sessions *mock.SessionService, stats *mock.StatsService, log *mock.ConsentLog) *httptest.Server {
	tb.Helper()
	hash, err := password.Hash(adminPassword, password.Params{Memory: 1024, Time: 1, Threads: 1})
	if err != nil {
		tb.Fatal(err)
	}
	user := &charte.User{ID: 1, Name: "admin", PasswordHash: hash}
	users := &mock.UserService{
		FindUserByNameFn: func(_ context.Context, name string) (*charte.User, error) {
			if name == user.Name {
				return user, nil
			}
			return nil, charte.Errorf(charte.ENOTFOUND, "No user %q.", name)
		},
		FindUserByIDFn: func(context.Context, int64) (*charte.User, error) { return user, nil },
	}
	o := New(Options{Users: users, Sessions: sessions, Stats: stats, Charters: &mock.CharterService{}, Log: log, Sleep: func(time.Duration) {}}, testHost(tb, &atomic.Bool{}))
	srv := httptest.NewServer(mountTest(o))
	tb.Cleanup(srv.Close)
	return srv
}

// validSession is a TouchSession that knows one session, good-session.
func validSession(_ context.Context, hash string, now time.Time, _ time.Duration) (*charte.Session, error) {
	if hash != tokenHash("good-session") {
		return nil, charte.Errorf(charte.ENOTFOUND, "No session.")
	}
	return &charte.Session{TokenHash: hash, UserID: 1, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}, nil
}

// TestAdminStoreFails checks how the back office answers when a store
// fails: a 500, no session started, nothing of the cause shown.
func TestAdminStoreFails(t *testing.T) {
	failingStats := &mock.StatsService{DecisionStatsFn: func(context.Context, charte.StatsFilter) ([]charte.DayStats, error) { return nil, errStore }}
	tests := []struct {
		name     string
		sessions *mock.SessionService
		stats    *mock.StatsService
		log      *mock.ConsentLog
		signIn   bool   // sign in with the right password, else open path signed in
		path     string // "" is the dashboard
	}{
		{
			name:     "dashboard with failing stats",
			sessions: &mock.SessionService{TouchSessionFn: validSession},
			stats:    failingStats,
		},
		{
			name:     "session lookup fails",
			sessions: &mock.SessionService{TouchSessionFn: func(context.Context, string, time.Time, time.Duration) (*charte.Session, error) { return nil, errStore }},
			stats:    &mock.StatsService{},
		},
		{
			name:     "sign-in cannot create the session",
			sessions: &mock.SessionService{CreateSessionFn: func(context.Context, *charte.Session) error { return errStore }},
			stats:    &mock.StatsService{},
			signIn:   true,
		},
		{
			name:     "receipt lookup fails",
			sessions: &mock.SessionService{TouchSessionFn: validSession},
			stats:    &mock.StatsService{},
			log:      &mock.ConsentLog{FindDecisionByIDFn: func(context.Context, string) (*charte.Record, error) { return nil, errStore }},
			path:     "/admin/receipts?id=AAAAAAAAAAAAAAAAAAAAAA",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.log == nil {
				tc.log = &mock.ConsentLog{}
			}
			if tc.path == "" {
				tc.path = "/admin/"
			}
			srv := fakeOffice(t, tc.sessions, tc.stats, tc.log)
			e := &adminEnv{srv: srv}
			b := e.browser(t)
			var resp *http.Response
			if tc.signIn {
				b.get("/admin/login")
				resp = b.signInAs("admin", adminPassword)
			} else {
				u, _ := url.Parse(srv.URL + "/admin/")
				b.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "good-session", Path: "/admin"}})
				resp = b.get(tc.path)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", resp.StatusCode)
			}
			if strings.Contains(string(body), "secret") || strings.Contains(string(body), "locked") {
				t.Errorf("the page %q shows the store's error", body)
			}
			if tc.signIn && b.cookie(sessionCookie) != "" {
				t.Errorf("a session cookie was set although no session was stored")
			}
		})
	}
}

// TestSweepSessions checks that the sweep removes the sessions idle longer
// than the back office's own SessionIdle, at its clock, and stops with its
// context.
func TestSweepSessions(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var gotNow time.Time
	var gotIdle time.Duration
	sessions := &mock.SessionService{DeleteExpiredSessionsFn: func(_ context.Context, at time.Time, idle time.Duration) (int64, error) {
		gotNow, gotIdle = at, idle
		return 2, nil
	}}
	o := New(Options{Users: &mock.UserService{}, Sessions: sessions, Stats: &mock.StatsService{}, Charters: &mock.CharterService{}, Log: &mock.ConsentLog{}, SessionIdle: 45 * time.Minute, Now: func() time.Time { return now }}, testHost(t, &atomic.Bool{}))
	o.sweep(context.Background())
	if !gotNow.Equal(now) || gotIdle != 45*time.Minute {
		t.Errorf("sweep: DeleteExpiredSessions(%v, %v), want (%v, 45m)", gotNow, gotIdle, now)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		o.SweepSessions(ctx)
		close(done)
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("SweepSessions did not return when its context ended")
	}
}
