package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverer(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.Handler
		wantStatus int
		wantLog    bool
		wantPanic  bool
	}{
		{name: "no panic", handler: &okHandler{}, wantStatus: http.StatusOK},
		{name: "panic", handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }), wantStatus: http.StatusInternalServerError, wantLog: true},
		{name: "abort is let through", handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }), wantPanic: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			cw := &codeWriter{}
			mw := recoverer(slog.New(slog.NewTextHandler(&logs, nil)), cw.write)
			var rec *httptest.ResponseRecorder
			panicked := func() (p bool) {
				defer func() { p = recover() != nil }()
				rec = serveThrough(mw, tc.handler, httptest.NewRequest("GET", "/x", nil))
				return false
			}()
			if panicked != tc.wantPanic {
				t.Fatalf("recoverer(): panicked %v, want %v", panicked, tc.wantPanic)
			}
			if tc.wantPanic {
				return
			}
			if rec.Code != tc.wantStatus {
				t.Errorf("recoverer(): status %d, want %d", rec.Code, tc.wantStatus)
			}
			if got := strings.Contains(logs.String(), "level=ERROR msg=panic"); got != tc.wantLog {
				t.Errorf("recoverer(): logged a panic %v, want %v:\n%s", got, tc.wantLog, logs.String())
			}
			if tc.wantLog && (cw.err == nil || !strings.Contains(cw.err.Error(), "boom")) {
				t.Errorf("recoverer(): error written %v, want one naming the panic", cw.err)
			}
		})
	}
}
