package main

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuiltinCharterOrigin checks that the built-in charter's url and
// origins are where charte is served: --public-url when given, else the
// listening address, a wildcard host written as localhost.
func TestBuiltinCharterOrigin(t *testing.T) {
	for _, tc := range []struct {
		name        string
		publicURL   string
		addr        net.Addr
		wantURL     string
		wantOrigins []string
	}{
		{
			name:        "default address",
			addr:        &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080},
			wantURL:     "http://127.0.0.1:8080",
			wantOrigins: []string{"http://127.0.0.1:8080", "http://localhost:8080"},
		},
		{
			name:        "other port",
			addr:        &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9090},
			wantURL:     "http://127.0.0.1:9090",
			wantOrigins: []string{"http://127.0.0.1:9090", "http://localhost:9090"},
		},
		{
			name:        "wildcard host",
			addr:        &net.TCPAddr{IP: net.IPv4zero, Port: 8081},
			wantURL:     "http://localhost:8081",
			wantOrigins: []string{"http://localhost:8081", "http://127.0.0.1:8081"},
		},
		{
			name:        "IPv6 wildcard",
			addr:        &net.TCPAddr{IP: net.IPv6unspecified, Port: 8082},
			wantURL:     "http://localhost:8082",
			wantOrigins: []string{"http://localhost:8082", "http://127.0.0.1:8082"},
		},
		{
			name:        "a host's own address",
			addr:        &net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 80},
			wantURL:     "http://192.0.2.7:80",
			wantOrigins: []string{"http://192.0.2.7:80"},
		},
		{
			name:        "public url",
			publicURL:   "https://consent.example.org/",
			addr:        &net.TCPAddr{IP: net.IPv4zero, Port: 8080},
			wantURL:     "https://consent.example.org",
			wantOrigins: []string{"https://consent.example.org"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := builtinCharter(servedOrigin(tc.publicURL, tc.addr))
			if ch.Site.URL != tc.wantURL {
				t.Errorf("url = %q, want %q", ch.Site.URL, tc.wantURL)
			}
			if diff := cmp.Diff(tc.wantOrigins, ch.Site.Origins); diff != "" {
				t.Errorf("origins (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServeBuiltinCharterURL runs charte serve and reads the built-in
// charter back from the API and the policy page: its url is the address
// serve listens on, or --public-url, never a fixed 127.0.0.1:8080.
func TestServeBuiltinCharterURL(t *testing.T) {
	type charterJSON struct {
		Site struct {
			URL     string   `json:"url"`
			Origins []string `json:"origins"`
		} `json:"site"`
	}
	for _, tc := range []struct {
		name        string
		args        []string
		wantURL     func(served string) string
		wantOrigins func(served string) []string
	}{
		{
			name:    "listening address",
			wantURL: func(served string) string { return served },
			wantOrigins: func(served string) []string {
				_, port, _ := net.SplitHostPort(served[len("http://"):])
				return []string{served, "http://localhost:" + port}
			},
		},
		{
			name:        "public url",
			args:        []string{"--public-url", "https://consent.example.org"},
			wantURL:     func(string) string { return "https://consent.example.org" },
			wantOrigins: func(string) []string { return []string{"https://consent.example.org"} },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--db", "sqlite:" + filepath.Join(t.TempDir(), "charte.db")}, tc.args...)
			rs := MustRunServe(t, nil, args...)
			var got charterJSON
			if code := getJSON(t, rs.URL+"/api/v1/sites/charte/charter", &got); code != 200 {
				t.Fatalf("GET /api/v1/sites/charte/charter = %d", code)
			}
			if want := tc.wantURL(rs.URL); got.Site.URL != want {
				t.Errorf("built-in charter url = %q, want %q", got.Site.URL, want)
			}
			if diff := cmp.Diff(tc.wantOrigins(rs.URL), got.Site.Origins); diff != "" {
				t.Errorf("built-in charter origins (-want +got):\n%s", diff)
			}
		})
	}
}
