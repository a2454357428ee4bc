package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestOriginAndProxy(t *testing.T) {
	tests := []struct {
		name       string
		publicURL  string
		trustProxy bool
		header     http.Header
		tls        bool
		wantOrigin string
		wantHTTPS  bool
		wantClient string
	}{
		{name: "direct", wantOrigin: "http://charte.test", wantClient: "192.0.2.1/32"},
		{name: "direct TLS", tls: true, wantOrigin: "https://charte.test", wantHTTPS: true, wantClient: "192.0.2.1/32"},
		{
			name:       "untrusted forwarded headers are ignored",
			header:     http.Header{"X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"evil.test"}, "X-Forwarded-For": {"203.0.113.9"}},
			wantOrigin: "http://charte.test", wantClient: "192.0.2.1/32",
		},
		{
			name: "trusted proxy", trustProxy: true,
			header:     http.Header{"X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"consent.example.org"}, "X-Forwarded-For": {"198.51.100.7, 203.0.113.9"}},
			wantOrigin: "https://consent.example.org", wantHTTPS: true, wantClient: "203.0.113.9/32",
		},
		{
			name: "public URL wins", publicURL: "https://consent.example.org/", trustProxy: true,
			header:     http.Header{"X-Forwarded-Host": {"other.test"}, "X-Forwarded-For": {"2001:db8:1:2:3:4:5:6"}},
			wantOrigin: "https://consent.example.org", wantHTTPS: true, wantClient: "2001:db8:1:2::/64",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := MustNewServer(t, Options{PublicURL: tc.publicURL, TrustProxy: tc.trustProxy})
			r := httptest.NewRequest(http.MethodGet, "http://charte.test/", nil)
			r.RemoteAddr = "192.0.2.1:5555"
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for k, v := range tc.header {
				r.Header[k] = v
			}
			if got := s.origin(r); got != tc.wantOrigin {
				t.Errorf("origin = %q, want %q", got, tc.wantOrigin)
			}
			if got := s.isHTTPS(r); got != tc.wantHTTPS {
				t.Errorf("isHTTPS = %v, want %v", got, tc.wantHTTPS)
			}
			if got := s.clientKey(r); got != netip.MustParsePrefix(tc.wantClient) {
				t.Errorf("clientKey = %v, want %v", got, tc.wantClient)
			}
		})
	}
}
