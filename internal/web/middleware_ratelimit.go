package web

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charte/charte/internal/charte"
)

// rateLimiter is a token bucket per client address: perMinute tokens a
// minute, up to perMinute at once.
type rateLimiter struct {
	perMinute float64
	now       func() time.Time

	mu      sync.Mutex
	buckets map[netip.Prefix]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(perMinute int, now func() time.Time) *rateLimiter {
	return &rateLimiter{perMinute: float64(perMinute), now: now, buckets: map[netip.Prefix]*bucket{}}
}

// allow takes a token for key, or says how long to wait for one.
func (l *rateLimiter) allow(key netip.Prefix) (ok bool, retry time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		// Forget clients whose bucket has refilled: memory stays bounded by
		// the clients of the last minute.
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, found := l.buckets[key]
	if !found {
		b = &bucket{tokens: l.perMinute, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.perMinute, b.tokens+now.Sub(b.last).Minutes()*l.perMinute)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.perMinute * float64(time.Minute))
}

// clientKey returns the address a client is counted under: its IPv4
// address, or its IPv6 /64 (one household or office). Behind a trusted
// proxy (trustProxy), the client is the last address of X-Forwarded-For
// (the one the proxy added). Only this prefix is ever kept, in memory; no
// address is stored.
func clientKey(r *http.Request, trustProxy bool) netip.Prefix {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			host = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Prefix{}
	}
	addr = addr.Unmap()
	bits := 32
	if addr.Is6() {
		bits = 64
	}
	p, _ := addr.Prefix(bits) // bits is valid for the address family
	return p
}

// clientKey returns the address a request's client is counted under, with
// the server's trust of X-Forwarded-For.
func (s *Server) clientKey(r *http.Request) netip.Prefix { return clientKey(r, s.trustProxy) }

// rateLimit answers 429 with Retry-After, through writeError, once a client
// (as key counts it) has made more than limiter's decisions in the last
// minute; a nil limiter lets everything through.
func rateLimit(limiter *rateLimiter, key func(*http.Request) netip.Prefix, writeError errorWriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if limiter == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ok, retry := limiter.allow(key(r)); !ok {
				secs := max(int(math.Ceil(retry.Seconds())), 1)
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				writeError(w, r, &charte.Error{Code: charte.ERATELIMIT, Message: "Too many decisions from this address: try again in " + strconv.Itoa(secs) + " s."})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
