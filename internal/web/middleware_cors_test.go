package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/charte/charte/internal/charte"
)

func TestCORS(t *testing.T) {
	ch := &charte.Charter{Site: charte.Site{ID: "shop", Origins: []string{"https://shop.example"}}}
	sites, err := NewSites(ch)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		method      string
		origin      string
		wantStatus  int
		wantAllow   string
		wantMethods string
		wantNext    bool
	}{
		{name: "declared origin", method: http.MethodPost, origin: "https://shop.example", wantStatus: 200, wantAllow: "https://shop.example", wantNext: true},
		{name: "other origin passes to the handler", method: http.MethodPost, origin: "https://evil.example", wantStatus: 200, wantNext: true},
		{name: "no origin", method: http.MethodGet, wantStatus: 200, wantNext: true},
		{name: "preflight", method: http.MethodOptions, origin: "https://shop.example", wantStatus: http.StatusNoContent, wantAllow: "https://shop.example", wantMethods: "GET, POST"},
		{name: "preflight from another origin", method: http.MethodOptions, origin: "https://evil.example", wantStatus: http.StatusForbidden},
		{name: "preflight without origin", method: http.MethodOptions, wantStatus: http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/api/v1/consents", nil)
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			h := &okHandler{}
			cw := &codeWriter{}
			rec := serveThrough(cors(sites, cw.write), h, req)
			if rec.Code != tc.wantStatus {
				t.Errorf("cors() %s from %q: status %d, want %d", tc.method, tc.origin, rec.Code, tc.wantStatus)
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tc.wantAllow {
				t.Errorf("cors() %s from %q: Access-Control-Allow-Origin %q, want %q", tc.method, tc.origin, got, tc.wantAllow)
			}
			if got := rec.Header().Get("Access-Control-Allow-Methods"); got != tc.wantMethods {
				t.Errorf("cors() %s from %q: Access-Control-Allow-Methods %q, want %q", tc.method, tc.origin, got, tc.wantMethods)
			}
			if got := h.seen != nil; got != tc.wantNext {
				t.Errorf("cors() %s from %q: reached the handler %v, want %v", tc.method, tc.origin, got, tc.wantNext)
			}
			if tc.wantStatus == http.StatusForbidden && charte.ErrorField(cw.err) != "origin" {
				t.Errorf("cors() %s from %q: error %v, want one naming the origin", tc.method, tc.origin, cw.err)
			}
		})
	}
}
