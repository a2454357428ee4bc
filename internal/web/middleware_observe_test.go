package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestObserve(t *testing.T) {
	tests := []struct {
		name      string
		pattern   string // "" serves the handler without a mux
		handler   http.HandlerFunc
		wantRoute string
		wantCode  string
	}{
		{name: "route pattern", pattern: "GET /cookies", handler: func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }, wantRoute: "GET /cookies", wantCode: "200"},
		{name: "status written", pattern: "GET /cookies", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }, wantRoute: "GET /cookies", wantCode: "418"},
		{name: "nothing written", pattern: "GET /cookies", handler: func(http.ResponseWriter, *http.Request) {}, wantRoute: "GET /cookies", wantCode: "200"},
		{name: "catch-all", pattern: "/", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) }, wantRoute: "other", wantCode: "404"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			m := newMetrics(reg)
			var logs bytes.Buffer
			mux := http.NewServeMux()
			mux.Handle(tc.pattern, tc.handler)
			// The mux sets r.Pattern on the request observe holds.
			mw := observe(m, slog.New(slog.NewTextHandler(&logs, nil)))
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, pattern := mux.Handler(r)
				r.Pattern = pattern
				mux.ServeHTTP(w, r)
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cookies", nil))
			var counted dto.Metric
			if err := m.requests.WithLabelValues(tc.wantRoute, "GET", tc.wantCode).Write(&counted); err != nil {
				t.Fatal(err)
			}
			if got := counted.GetCounter().GetValue(); got != 1 {
				t.Errorf("observe(): charte_http_requests_total{route=%q,code=%q} = %v, want 1", tc.wantRoute, tc.wantCode, got)
			}
			families, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range families {
				if f.GetName() == "charte_http_request_duration_seconds" && (len(f.GetMetric()) != 1 || f.GetMetric()[0].GetHistogram().GetSampleCount() != 1) {
					t.Errorf("observe(): durations %v, want one observation", f.GetMetric())
				}
			}
			if want := "msg=request"; !strings.Contains(logs.String(), want) || !strings.Contains(logs.String(), "status="+tc.wantCode) {
				t.Errorf("observe(): log %q, want a request line with status=%s", logs.String(), tc.wantCode)
			}
		})
	}
}
