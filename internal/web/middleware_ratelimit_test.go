package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
)

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		perMinute int // 0: no limiter
		requests  int
		wait      time.Duration // before the last request
		wantCodes []int
		wantRetry string // of the last response
	}{
		{name: "no limiter", requests: 3, wantCodes: []int{200, 200, 200}},
		{name: "within the limit", perMinute: 3, requests: 3, wantCodes: []int{200, 200, 200}},
		{name: "over the limit", perMinute: 2, requests: 3, wantCodes: []int{200, 200, 429}, wantRetry: "30"},
		{name: "refilled", perMinute: 2, requests: 3, wait: 30 * time.Second, wantCodes: []int{200, 200, 200}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := now
			var limiter *rateLimiter
			if tc.perMinute > 0 {
				limiter = newRateLimiter(tc.perMinute, func() time.Time { return clock })
			}
			key := func(*http.Request) netip.Prefix { return netip.MustParsePrefix("192.0.2.1/32") }
			cw := &codeWriter{}
			mw := rateLimit(limiter, key, cw.write)
			var codes []int
			var rec *httptest.ResponseRecorder
			for i := range tc.requests {
				if i == tc.requests-1 {
					clock = clock.Add(tc.wait)
				}
				rec = serveThrough(mw, &okHandler{}, httptest.NewRequest("POST", "/api/v1/consents", nil))
				codes = append(codes, rec.Code)
			}
			if !slices.Equal(codes, tc.wantCodes) {
				t.Errorf("rateLimit(%d a minute): statuses %v, want %v", tc.perMinute, codes, tc.wantCodes)
			}
			if got := rec.Header().Get("Retry-After"); got != tc.wantRetry {
				t.Errorf("rateLimit(%d a minute): Retry-After %q, want %q", tc.perMinute, got, tc.wantRetry)
			}
			if tc.wantRetry != "" && charte.ErrorCode(cw.err) != charte.ERATELIMIT {
				t.Errorf("rateLimit(%d a minute): error %v, want a rate_limit error", tc.perMinute, cw.err)
			}
		})
	}
}

func TestClientKey(t *testing.T) {
	tests := []struct {
		name       string
		remote     string
		xff        []string
		trustProxy bool
		want       string
	}{
		{name: "IPv4", remote: "192.0.2.7:1234", want: "192.0.2.7/32"},
		{name: "IPv6 is its /64", remote: "[2001:db8:1:2:3:4:5:6]:1234", want: "2001:db8:1:2::/64"},
		{name: "mapped IPv4", remote: "[::ffff:192.0.2.7]:1234", want: "192.0.2.7/32"},
		{name: "X-Forwarded-For ignored", remote: "192.0.2.7:1234", xff: []string{"198.51.100.1"}, want: "192.0.2.7/32"},
		{name: "trusted proxy: its last address", remote: "10.0.0.1:1234", xff: []string{"203.0.113.9", "198.51.100.1, 198.51.100.2"}, trustProxy: true, want: "198.51.100.2/32"},
		{name: "trusted proxy without the header", remote: "10.0.0.1:1234", trustProxy: true, want: "10.0.0.1/32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientKey(r, tc.trustProxy); got != netip.MustParsePrefix(tc.want) {
				t.Errorf("clientKey(%s, %v, trust %v) = %v, want %s", tc.remote, tc.xff, tc.trustProxy, got, tc.want)
			}
		})
	}
}
