package web

import (
	"sync"
	"time"
)

// loginLimiter slows, then refuses, repeated failed sign-ins from one client
// or for one user name: after slowAfter failures within the window each
// attempt waits, after blockAfter it is answered 429 until the window ends.
type loginLimiter struct {
	window     time.Duration
	slowAfter  int
	blockAfter int
	now        func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{window: 15 * time.Minute, slowAfter: 3, blockAfter: 5, now: now, failures: map[string][]time.Time{}}
}

// check returns how long to slow an attempt by, and whether to refuse it
// (with how long until it would be accepted), for all the keys it concerns.
func (l *loginLimiter) check(keys ...string) (delay time.Duration, blocked bool, retry time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		recent := l.recent(k, now)
		if len(recent) >= l.blockAfter {
			blocked = true
			retry = max(retry, recent[0].Add(l.window).Sub(now))
		} else if len(recent) >= l.slowAfter {
			delay = max(delay, time.Duration(len(recent)-l.slowAfter+1)*time.Second)
		}
	}
	return delay, blocked, retry
}

// fail records a failed attempt for every key.
func (l *loginLimiter) fail(keys ...string) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.failures[k] = append(l.recent(k, now), now)
	}
	if len(l.failures) > 10000 {
		for k := range l.failures {
			if len(l.recent(k, now)) == 0 {
				delete(l.failures, k)
			}
		}
	}
}

// succeed forgets the failures of a user name after a good sign-in.
func (l *loginLimiter) succeed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

// recent returns the failures of k within the window (l.mu held).
func (l *loginLimiter) recent(k string, now time.Time) []time.Time {
	fs := l.failures[k]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) > l.window {
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
