package scan

import (
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"http://Example.ORG", "http://example.org/", true},
		{"https://example.org:443/a?b=1#top", "https://example.org/a?b=1", true},
		{"http://example.org:80/a#", "http://example.org/a", true},
		{"http://127.0.0.1:8080/b.html#haut", "http://127.0.0.1:8080/b.html", true},
		{"http://user:pw@example.org/", "http://example.org/", true},
		{"http://[::1]:8080/", "http://[::1]:8080/", true},
		{"mailto:dpo@example.org", "", false},
		{"javascript:void(0)", "", false},
		{"/relative", "", false},
		{"ftp://example.org/", "", false},
	}
	for _, tc := range tests {
		got, ok := normalize(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normalize(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSiteOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"www.example.org", "example.org"},
		{".example.org", "example.org"},
		{"a.b.example.co.uk", "example.co.uk"},
		{"127.0.0.1", "127.0.0.1"},
		{"127.0.0.1:8080", "127.0.0.1"},
		{"localhost", "localhost"},
		{"[::1]", "::1"},
	}
	for _, tc := range tests {
		if got := siteOf(tc.in); got != tc.want {
			t.Errorf("siteOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCrawlable(t *testing.T) {
	tests := []struct {
		u    string
		want bool
	}{
		{"https://www.example.org/page", true},
		{"https://shop.example.org/page", true}, // same site, another host
		{"http://example.org/doc.pdf", false},
		{"http://example.org/image.JPG", false},
		{"http://example.org/data", true}, // only its MIME type will tell
		{"https://other.example/", false},
	}
	for _, tc := range tests {
		if got := crawlable("example.org", tc.u); got != tc.want {
			t.Errorf("crawlable(example.org, %q) = %v, want %v", tc.u, got, tc.want)
		}
	}
	for mime, want := range map[string]bool{"text/html": true, "text/html; charset=utf-8": true, "application/xhtml+xml": true, "application/json": false, "application/pdf": false, "": false} {
		if got := isHTML(mime); got != want {
			t.Errorf("isHTML(%q) = %v, want %v", mime, got, want)
		}
	}
}

func TestParseSetCookie(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		line     string
		name     string
		host     string
		deleting bool
	}{
		{"a=1", "a", "www.example.org", false},
		{"a=1; Path=/; HttpOnly", "a", "www.example.org", false},
		{"a=1; Domain=.Example.org", "a", "example.org", false},
		{"a=; Max-Age=0", "a", "www.example.org", true},
		{"a=; max-age=-1", "a", "www.example.org", true},
		{"a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "a", "www.example.org", true},
		{"a=; expires=Thu, 01-Jan-1970 00:00:01 GMT", "a", "www.example.org", true},
		{"a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT", "a", "www.example.org", false},
		// Max-Age wins over Expires.
		{"a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", "a", "www.example.org", false},
		{" spaced = 1 ", "spaced", "www.example.org", false},
	}
	for _, tc := range tests {
		sc, ok := parseSetCookie(tc.line, "www.example.org", now)
		if sc.name != tc.name || sc.host != tc.host || ok == tc.deleting {
			t.Errorf("parseSetCookie(%q) = %+v, %v, want name %q, host %q, deleting %v", tc.line, sc, ok, tc.name, tc.host, tc.deleting)
		}
	}
}
