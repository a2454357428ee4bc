package consent

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// nopWriter is the cheapest ResponseWriter, so that a benchmark measures
// the middleware and not the recorder.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// BenchmarkMiddleware measures the middleware's overhead per request over
// the bare handler: with no cookie and no Set-Cookie (the goal: under 1 µs
// and no allocation), and with a valid decision and 5 Set-Cookie headers.
func BenchmarkMiddleware(b *testing.B) {
	now := func() time.Time { return testNow }
	future := testNow.Add(time.Hour)
	body := []byte("ok")
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	five := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Set-Cookie"] = append(h["Set-Cookie"][:0], "sid=1; Path=/; HttpOnly", "_pk_id.abc=2; Max-Age=3600", "theme=dark", "ads=3", "tracker=4")
		w.Write(body)
	})
	for _, bc := range []struct {
		name    string
		handler http.Handler
		cookie  string
		wrap    bool
	}{
		{name: "no-cookie/bare", handler: plain},
		{name: "no-cookie/middleware", handler: plain, wrap: true},
		{name: "consent-5-set-cookie/bare", handler: five, cookie: prefs("v1v1v1v1v1v1", future, "statistics", "marketing")},
		{name: "consent-5-set-cookie/middleware", handler: five, cookie: prefs("v1v1v1v1v1v1", future, "statistics", "marketing"), wrap: true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := bc.handler
			if bc.wrap {
				h = Middleware(testCharter(), Options{Now: now})(h)
			}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if bc.cookie != "" {
				req.Header.Set("Cookie", bc.cookie)
			}
			w := &nopWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
		})
	}
}
