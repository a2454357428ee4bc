package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/password"
)

// from makes b's requests come from addr, which e's server believes.
func (b *browser) from(addr string) *browser {
	b.env.trustProxy.Store(true)
	b.header = http.Header{"X-Forwarded-For": {addr}}
	return b
}

// countChecks makes e's server count the passwords it checks, each check
// taking hold long at least so that concurrent attempts overlap.
func (e *adminEnv) countChecks(hold time.Duration) *atomic.Int64 {
	var n atomic.Int64
	e.s.checkPassword = func(pw, hash string) error {
		n.Add(1)
		time.Sleep(hold)
		return password.Check(pw, hash)
	}
	return &n
}

// signInAs posts a sign-in from b and returns the response.
func (b *browser) signInAs(name, pw string) *http.Response {
	b.tb.Helper()
	return b.post("/admin/login", url.Values{"username": {name}, "password": {pw}}, nil)
}

// concurrently calls signIn(i) for i in [0, n) all at once, and returns
// the responses.
func concurrently(n int, signIn func(i int) *http.Response) []*http.Response {
	resps := make([]*http.Response, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			resps[i] = signIn(i)
		})
	}
	close(start)
	wg.Wait()
	return resps
}

// TestAdminSignInConcurrent: wrong passwords sent all at once from one
// address are counted before any is checked, so no more are checked than
// the limit allows; the others are refused with 429 and Retry-After.
func TestAdminSignInConcurrent(t *testing.T) {
	for _, tc := range []struct {
		name string
		user string
	}{
		{name: "known user", user: "admin"},
		{name: "unknown user", user: "nobody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := MustAdminEnv(t)
			checks := e.countChecks(20 * time.Millisecond)
			b := e.browser(t)
			b.get("/admin/login")
			resps := concurrently(40, func(int) *http.Response { return b.signInAs(tc.user, "guess guess guess") })
			statuses := map[int]int{}
			for _, resp := range resps {
				statuses[resp.StatusCode]++
				if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
					t.Errorf("a 429 has no Retry-After")
				}
			}
			if n := checks.Load(); n > pairBlockAfter || n == 0 {
				t.Errorf("40 concurrent wrong sign-ins checked %d passwords, want 1 to %d", n, pairBlockAfter)
			}
			if statuses[http.StatusUnauthorized] != int(checks.Load()) || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != 40 {
				t.Errorf("statuses of 40 concurrent wrong sign-ins = %v, want one 401 a check (%d) and 429 for the rest", statuses, checks.Load())
			}
		})
	}
}

// TestAdminSignInHashSlots: sign-ins from many addresses at once, each
// within its limits, run no more hashes at once than there are slots; those
// that find no slot in time are answered 429 with Retry-After, and count as
// no failure.
func TestAdminSignInHashSlots(t *testing.T) {
	e := MustAdminEnv(t)
	e.s.hashWait = 50 * time.Millisecond
	var running, most atomic.Int64
	e.s.checkPassword = func(pw, hash string) error {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(100 * time.Millisecond)
		return password.Check(pw, hash)
	}
	const n = 200
	browsers := make([]*browser, n)
	for i := range browsers {
		browsers[i] = e.browser(t).from(fmt.Sprintf("10.1.%d.%d", i/250, i%250+1))
		browsers[i].get("/admin/login")
	}
	resps := concurrently(n, func(i int) *http.Response { return browsers[i].signInAs("admin", "guess guess guess") })
	busy := 0
	for _, resp := range resps {
		switch resp.StatusCode {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			busy++
			if resp.Header.Get("Retry-After") != "1" {
				t.Errorf("429 for a busy server has Retry-After %q, want 1", resp.Header.Get("Retry-After"))
			}
		default:
			t.Errorf("a wrong sign-in = %d, want 401 or 429", resp.StatusCode)
		}
	}
	if m := most.Load(); m > int64(cap(e.s.hashes)) {
		t.Errorf("%d passwords were checked at once, want %d at most", m, cap(e.s.hashes))
	}
	if busy == 0 {
		t.Errorf("none of %d sign-ins at once was answered 429", n)
	}
	// A sign-in refused for want of a slot is no failure: this address has
	// its 5 attempts still, and the right password works.
	e.s.checkPassword = password.Check
	refused := browsers[0]
	for i, resp := range resps {
		if resp.StatusCode == http.StatusTooManyRequests {
			refused = browsers[i]
			break
		}
	}
	for range pairBlockAfter - 1 {
		if resp := refused.signInAs("admin", "guess guess guess"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a wrong sign-in after a busy 429 = %d, want 401", resp.StatusCode)
		}
	}
	if resp := refused.signInAs("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the right password after 4 failures and a busy 429 = %d, want 303", resp.StatusCode)
	}
}

// TestAdminNoLockOut: failures in a user's name from other addresses slow
// that user's sign-in down, by a few seconds at most, but never refuse it.
func TestAdminNoLockOut(t *testing.T) {
	e := MustAdminEnv(t)
	var mu sync.Mutex
	var slept []time.Duration
	e.s.sleep = func(d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
	}
	if err := e.db.CreateUser(t.Context(), &charte.User{Name: "alice", PasswordHash: mustHash(t, "alice's own password")}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		attacker := e.browser(t).from(fmt.Sprintf("203.0.113.%d", i+1))
		attacker.get("/admin/login")
		for range 4 {
			if resp := attacker.signInAs("alice", "guess guess guess"); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("a guess from address %d = %d, want 401", i+1, resp.StatusCode)
			}
		}
	}
	alice := e.browser(t).from("198.51.100.7")
	alice.get("/admin/login")
	resp := alice.signInAs("alice", "alice's own password")
	if resp.StatusCode != http.StatusSeeOther || alice.cookie("sessionid") == "" {
		t.Errorf("alice's sign-in after 20 failures in her name from 5 other addresses = %d, session %q; want 303 and a session", resp.StatusCode, alice.cookie("sessionid"))
	}
	for _, d := range slept {
		if d > maxNameDelay {
			t.Errorf("a sign-in was slowed by %v, want %v at most", d, maxNameDelay)
		}
	}
	if len(slept) == 0 || slept[len(slept)-1] != maxNameDelay {
		t.Errorf("sign-ins were slowed by %v, want alice's, the last, by %v", slept, maxNameDelay)
	}
}

// mustHash hashes pw with fast parameters.
func mustHash(tb testing.TB, pw string) string {
	tb.Helper()
	h, err := password.Hash(pw, password.Params{Memory: 1024, Time: 1, Threads: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// TestAdminSignInLimits: one user name from one client, and one client
// whatever the names, are refused once past their limits, even the right
// password, until the window ends; other clients are not.
func TestAdminSignInLimits(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures int
		user     func(i int) string // the name of the i-th failure
	}{
		{name: "per name and client", failures: pairBlockAfter, user: func(int) string { return "admin" }},
		{name: "per client", failures: clientBlockAfter, user: func(i int) string { return fmt.Sprintf("user%d", i) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := MustAdminEnv(t)
			// Known names: an unknown one costs a real argon2id hash.
			names := map[string]bool{"someone": true}
			for i := range tc.failures {
				names[tc.user(i)] = tc.user(i) != "admin"
			}
			for name, create := range names {
				if create {
					if err := e.db.CreateUser(t.Context(), &charte.User{Name: name, PasswordHash: mustHash(t, "not guessed at all")}); err != nil {
						t.Fatal(err)
					}
				}
			}
			now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
			e.s.logins.now = func() time.Time { return now }
			b := e.browser(t).from("192.0.2.1")
			b.get("/admin/login")
			for i := range tc.failures {
				if resp := b.signInAs(tc.user(i), "guess guess guess"); resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("failure %d = %d, want 401", i+1, resp.StatusCode)
				}
			}
			for _, try := range []struct{ user, pw string }{{"admin", "guess guess guess"}, {"admin", adminPassword}, {"someone", "guess guess guess"}} {
				resp := b.signInAs(try.user, try.pw)
				if tc.name == "per name and client" && try.user != "admin" {
					continue // another name from this client is allowed
				}
				if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
					t.Errorf("sign-in as %s past the limit = %d, Retry-After %q; want 429 with Retry-After", try.user, resp.StatusCode, resp.Header.Get("Retry-After"))
				}
			}
			other := e.browser(t).from("192.0.2.2")
			other.get("/admin/login")
			if resp := other.signInAs("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("the right password from another client = %d, want 303", resp.StatusCode)
			}
			now = now.Add(loginWindow + time.Second)
			if resp := b.signInAs("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("the right password once the window ended = %d, want 303", resp.StatusCode)
			}
		})
	}
}

// TestLoginLimiterBounded: the limiter's memory stays bounded under a flood
// of names and addresses, and a name's delay does not grow past its cap.
func TestLoginLimiterBounded(t *testing.T) {
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	var delay time.Duration
	for i := range 2 * maxLoginKeys {
		_, delay, _, _ = l.reserve("alice", fmt.Sprintf("10.%d.%d.0/32", i/65536, i%65536))
	}
	if n := len(l.failures); n > maxLoginKeys {
		t.Errorf("after %d failures from as many addresses, the limiter holds %d keys, want %d at most", 2*maxLoginKeys, n, maxLoginKeys)
	}
	if n := len(l.failures["name:alice"]); n > nameFailuresKept {
		t.Errorf("the limiter keeps %d failures for one name, want %d at most", n, nameFailuresKept)
	}
	if delay != maxNameDelay {
		t.Errorf("the delay after many failures for one name = %v, want %v", delay, maxNameDelay)
	}
	long := strings.Repeat("x", 1<<20)
	a, _, _, _ := l.reserve(long, "192.0.2.1/32")
	if n := len(a.keys[2]); n > maxNameLen+len("name:") {
		t.Errorf("a 1 MiB user name takes a key of %d bytes, want %d at most", n, maxNameLen+len("name:"))
	}
}

// TestAdminCSRFBound: a CSRF token is good only when the server issued it,
// for the session (or before sign-in, the pre-session) it is sent with.
func TestAdminCSRFBound(t *testing.T) {
	forged := strings.Repeat("A", 43) // as long as the tokens used to be
	e := MustAdminEnv(t)
	signedIn := func(t *testing.T) *browser {
		b := e.browser(t)
		b.signIn()
		return b
	}
	for _, tc := range []struct {
		name string
		// setup returns the browser that posts, and the token it plants
		// in its cookie and sends in the form ("" for its own).
		setup func(t *testing.T) (*browser, string)
		path  string
		want  int
	}{
		{
			name:  "own token, signed in",
			setup: func(t *testing.T) (*browser, string) { return signedIn(t), "" },
			path:  "/admin/logout", want: http.StatusSeeOther,
		},
		{
			name: "own token, before sign-in",
			setup: func(t *testing.T) (*browser, string) {
				b := e.browser(t)
				b.get("/admin/login")
				return b, ""
			},
			path: "/admin/login", want: http.StatusSeeOther,
		},
		{
			name:  "forged pair, signed in",
			setup: func(t *testing.T) (*browser, string) { return signedIn(t), forged },
			path:  "/admin/logout", want: http.StatusForbidden,
		},
		{
			name: "forged pair, before sign-in",
			setup: func(t *testing.T) (*browser, string) {
				b := e.browser(t)
				b.get("/admin/login")
				return b, forged
			},
			path: "/admin/login", want: http.StatusForbidden,
		},
		{
			name: "token of another session",
			setup: func(t *testing.T) (*browser, string) {
				other := signedIn(t)
				return signedIn(t), other.cookie(csrfCookie)
			},
			path: "/admin/logout", want: http.StatusForbidden,
		},
		{
			name: "pre-session token once signed in",
			setup: func(t *testing.T) (*browser, string) {
				attacker := e.browser(t)
				attacker.get("/admin/login")
				return signedIn(t), attacker.cookie(csrfCookie)
			},
			path: "/admin/logout", want: http.StatusForbidden,
		},
		{
			name: "pre-session token from another network",
			setup: func(t *testing.T) (*browser, string) {
				attacker := e.browser(t).from("203.0.113.9")
				attacker.get("/admin/login")
				victim := e.browser(t).from("198.51.100.7")
				victim.get("/admin/login")
				return victim, attacker.cookie(csrfCookie)
			},
			path: "/admin/login", want: http.StatusForbidden,
		},
		{
			name: "token signed with another key",
			setup: func(t *testing.T) (*browser, string) {
				b := signedIn(t)
				other := &Office{csrfKey: []byte("not the key of this database!!!!"), now: time.Now}
				return b, other.newCSRFToken(e.s.csrfBinding(&http.Request{}, tokenHash(b.cookie(sessionCookie))))
			},
			path: "/admin/logout", want: http.StatusForbidden,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, planted := tc.setup(t)
			if planted != "" {
				u, _ := url.Parse(e.srv.URL + "/admin/")
				b.c.Jar.SetCookies(u, []*http.Cookie{{Name: csrfCookie, Value: planted, Path: "/admin"}})
			}
			sent := b.cookie(csrfCookie)
			resp := b.post(tc.path, url.Values{"username": {"admin"}, "password": {adminPassword}}, nil)
			if resp.StatusCode != tc.want {
				t.Fatalf("POST %s = %d, want %d", tc.path, resp.StatusCode, tc.want)
			}
			if tc.want != http.StatusForbidden {
				return
			}
			if body := text(mustParse(t, resp)); !strings.Contains(body, "jeton de sécurité") { // the back office's French (no Accept-Language)
				t.Errorf("the 403 page does not say the token is at fault:\n%.400s", body)
			}
			// A new token is issued in place of the refused one, and works.
			if got := b.cookie(csrfCookie); got == sent || got == "" {
				t.Fatalf("after a refused token, the csrftoken cookie is %q, want a new one", got)
			}
			if resp := b.post(tc.path, url.Values{"username": {"admin"}, "password": {adminPassword}}, nil); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("POST %s with the new token = %d, want 303", tc.path, resp.StatusCode)
			}
		})
	}
}

// TestAdminCSRFInstances: two instances on one database accept each other's
// tokens, before and after sign-in.
func TestAdminCSRFInstances(t *testing.T) {
	e := MustAdminEnv(t)
	_, second := mustAdminServer(t, e.db, &e.trustProxy)
	b := e.browser(t)
	b.get("/admin/login") // first instance: a pre-session token
	other := &adminEnv{db: e.db, srv: second}
	b2 := &browser{tb: t, c: b.c, env: other} // the same browser, the second instance
	var got []int
	got = append(got, b2.signInAs("admin", adminPassword).StatusCode) // second instance: a session token
	got = append(got, b.post("/admin/language", url.Values{"lang": {"en"}}, nil).StatusCode)
	got = append(got, b2.post("/admin/logout", url.Values{}, nil).StatusCode)
	if diff := cmp.Diff([]int{303, 303, 303}, got); diff != "" {
		t.Errorf("sign-in on the second instance, language on the first, logout on the second (-want +got):\n%s", diff)
	}
}
