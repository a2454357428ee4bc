package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
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
			families, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			counted, observed := 0.0, uint64(0)
			for _, f := range families {
				for _, m := range f.GetMetric() {
					labels := map[string]string{}
					for _, l := range m.GetLabel() {
						labels[l.GetName()] = l.GetValue()
					}
					if labels["route"] != tc.wantRoute {
						continue
					}
					switch f.GetName() {
					case "charte_http_requests_total":
						if labels["method"] == "GET" && labels["code"] == tc.wantCode {
							counted += m.GetCounter().GetValue()
						}
					case "charte_http_request_duration_seconds":
						observed += m.GetHistogram().GetSampleCount()
					}
				}
			}
			if counted != 1 || observed != 1 {
				t.Errorf("observe(): charte_http_requests_total{route=%q,code=%q} = %v, durations observed %d; want 1 and 1", tc.wantRoute, tc.wantCode, counted, observed)
			}
			if want := "msg=request"; !strings.Contains(logs.String(), want) || !strings.Contains(logs.String(), "status="+tc.wantCode) {
				t.Errorf("observe(): log %q, want a request line with status=%s", logs.String(), tc.wantCode)
			}
		})
	}
}
