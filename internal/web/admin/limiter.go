package admin

import (
	"sync"
	"time"
)

// The sign-in policy, after OWASP's Authentication Cheat Sheet: guesses are
// throttled per (user name, client) and per client, which may be refused;
// per user name alone they are only slowed, by a bounded delay, so that
// nobody can lock a user out of the back office by failing in their name
// from elsewhere.
const (
	// loginWindow is how long a failure counts.
	loginWindow = 15 * time.Minute
	// A user name from one client: slowed after pairSlowAfter failures,
	// refused after pairBlockAfter.
	pairSlowAfter  = 3
	pairBlockAfter = 5
	// One client, whatever the names: refused after clientBlockAfter
	// failures (several people behind one address may mistype).
	clientBlockAfter = 20
	// A user name from anywhere: slowed after nameSlowAfter failures, one
	// more second for each, maxNameDelay at most; never refused.
	nameSlowAfter = 3
	maxNameDelay  = 5 * time.Second
	// maxLoginKeys bounds the limiter's memory (a few hundred bytes a key).
	maxLoginKeys = 50_000
	// maxNameLen bounds the part of a key a user name takes: no user name
	// is longer (64 characters).
	maxNameLen = 256
)

// nameFailuresKept is how many failures are kept per user name: enough to
// reach maxNameDelay, so an attack from many addresses grows no list.
const nameFailuresKept = nameSlowAfter + int(maxNameDelay/time.Second) - 1

// loginLimiter counts failed sign-ins. An attempt is reserved, counted as a
// failure, before its password is checked, under the same lock that checks
// the limits, so that concurrent guesses cannot all pass the check before
// any failure is recorded; a success, or an attempt that checked nothing,
// gives its reservation back.
type loginLimiter struct {
	now func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, failures: map[string][]time.Time{}}
}

// loginAttempt is a reservation made by [loginLimiter.reserve].
type loginAttempt struct {
	keys [3]string // pair, client, name
	at   time.Time
}

// reserve checks the limits of a sign-in as name from client, and counts
// it as a failure unless it is refused. It returns the reservation, how
// long to slow the attempt by, and whether it is refused, with how long
// until it would not be.
func (l *loginLimiter) reserve(name, client string) (a *loginAttempt, delay time.Duration, blocked bool, retry time.Duration) {
	if len(name) > maxNameLen {
		name = name[:maxNameLen]
	}
	now := l.now()
	a = &loginAttempt{keys: [3]string{"pair:" + client + "\x00" + name, "client:" + client, "name:" + name}, at: now}
	l.mu.Lock()
	defer l.mu.Unlock()
	pair, byClient, byName := l.recent(a.keys[0], now), l.recent(a.keys[1], now), l.recent(a.keys[2], now)
	if len(pair) >= pairBlockAfter {
		blocked, retry = true, pair[len(pair)-pairBlockAfter].Add(loginWindow).Sub(now)
	}
	if len(byClient) >= clientBlockAfter {
		blocked, retry = true, max(retry, byClient[len(byClient)-clientBlockAfter].Add(loginWindow).Sub(now))
	}
	if blocked {
		return nil, 0, true, retry
	}
	delay = max(steps(len(pair), pairSlowAfter), min(steps(len(byName), nameSlowAfter), maxNameDelay))
	for i, k := range a.keys {
		fs := append(l.failures[k], now)
		if i == 2 && len(fs) > nameFailuresKept {
			fs = append(fs[:0], fs[len(fs)-nameFailuresKept:]...)
		}
		l.failures[k] = fs
	}
	l.bound(now)
	return a, delay, false, 0
}

// steps returns one second for each failure from the after-th on.
func steps(failures, after int) time.Duration {
	if failures < after {
		return 0
	}
	return time.Duration(failures-after+1) * time.Second
}

// cancel gives back the reservation of an attempt that checked no password.
func (l *loginLimiter) cancel(a *loginAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range a.keys {
		l.forget(k, a.at)
	}
}

// succeed gives back the reservation of a good sign-in and forgets the
// failures of its user name from its client.
func (l *loginLimiter) succeed(a *loginAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range a.keys[1:] {
		l.forget(k, a.at)
	}
	delete(l.failures, a.keys[0])
}

// forget removes one failure of k at t, the latest such (l.mu held).
func (l *loginLimiter) forget(k string, t time.Time) {
	fs := l.failures[k]
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Equal(t) {
			fs = append(fs[:i], fs[i+1:]...)
			break
		}
	}
	if len(fs) == 0 {
		delete(l.failures, k)
	} else {
		l.failures[k] = fs
	}
}

// recent returns the failures of k within the window (l.mu held).
func (l *loginLimiter) recent(k string, now time.Time) []time.Time {
	fs := l.failures[k]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) > loginWindow {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.failures, k)
	} else {
		l.failures[k] = fs
	}
	return fs
}

// bound keeps the number of keys under maxLoginKeys (l.mu held): it drops
// the keys with no recent failure, then, if more than three quarters of the
// bound remain, arbitrary ones down to that, so that the next sweep is far
// off. Forgetting some counts is the price of bounded memory under a flood
// from very many addresses; each of those still pays for its guesses.
func (l *loginLimiter) bound(now time.Time) {
	if len(l.failures) <= maxLoginKeys {
		return
	}
	for k := range l.failures {
		l.recent(k, now)
	}
	for k := range l.failures {
		if len(l.failures) <= maxLoginKeys*3/4 {
			break
		}
		delete(l.failures, k)
	}
}
