package web

import (
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSecurityHeadersMiddleware(t *testing.T) {
	tests := []struct {
		name string
		path string
		want map[string]string
	}{
		{name: "page", path: "/cookies", want: map[string]string{
			"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
			"Content-Security-Policy": pageCSP, "X-Frame-Options": "SAMEORIGIN",
		}},
		{name: "API", path: "/api/v1/sites", want: map[string]string{
			"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
			"Content-Security-Policy": "", "X-Frame-Options": "",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serveThrough(securityHeaders(), &okHandler{}, httptest.NewRequest("GET", tc.path, nil))
			got := map[string]string{}
			for k := range tc.want {
				got[k] = rec.Header().Get(k)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("securityHeaders() on %s: headers (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}
