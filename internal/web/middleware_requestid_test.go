package web

import (
	"net/http/httptest"
	"regexp"
	"testing"
)

func TestRequestID(t *testing.T) {
	hexID := regexp.MustCompile(`^[0-9a-f]{16}$`)
	seen := map[string]bool{}
	for range 3 {
		h := &okHandler{}
		rec := serveThrough(requestID(), h, httptest.NewRequest("GET", "/", nil))
		id := rec.Header().Get("X-Request-Id")
		if !hexID.MatchString(id) {
			t.Errorf("requestID(): X-Request-Id = %q, want 16 hex digits", id)
		}
		if got := requestIDFrom(h.seen.Context()); got != id {
			t.Errorf("requestID(): the handler's context has id %q, want the header's %q", got, id)
		}
		if seen[id] {
			t.Errorf("requestID(): id %q given twice", id)
		}
		seen[id] = true
	}
	if got := requestIDFrom(httptest.NewRequest("GET", "/", nil).Context()); got != "" {
		t.Errorf("requestIDFrom(no id) = %q, want \"\"", got)
	}
}
