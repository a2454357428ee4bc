package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBannerGzip(t *testing.T) {
	s := MustNewServer(t, Options{})
	plain := get(t, s, "/charte.js", http.Header{"Accept-Language": {"fr"}})
	plainBody, _ := io.ReadAll(plain.Body)
	for _, tc := range []struct {
		accept string
		gzip   bool
	}{
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"gzip;q=0", false},
		{"identity", false},
		{"", false},
	} {
		resp := get(t, s, "/charte.js", http.Header{"Accept-Language": {"fr"}, "Accept-Encoding": {tc.accept}})
		body, _ := io.ReadAll(resp.Body)
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Errorf("Accept-Encoding %q: gzip = %v, want %v", tc.accept, got, tc.gzip)
			continue
		}
		if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: no Vary: Accept-Encoding", tc.accept)
		}
		if tc.gzip {
			zr, err := gzip.NewReader(strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
			if resp.Header.Get("ETag") == plain.Header.Get("ETag") {
				t.Error("the gzipped banner has the plain one's ETag")
			}
		}
		if string(body) != string(plainBody) {
			t.Errorf("Accept-Encoding %q: the banner differs from the plain one", tc.accept)
		}
	}
}
