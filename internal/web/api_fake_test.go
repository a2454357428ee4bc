package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/mock"
)

// errStore is what a failing store answers: its text must never reach a
// visitor.
var errStore = errors.New("database is locked: /var/lib/charte/secret.db")

// TestConsentAPIStoreFails checks how the consent API answers when the
// consent log fails: a 500 with the JSON error body and the request id,
// the error logged with that id, and nothing of the cause in the answer.
func TestConsentAPIStoreFails(t *testing.T) {
	version := charterfile.Default().Version
	failing := func(context.Context, string) (*charte.Record, error) { return nil, errStore }
	tests := []struct {
		name     string
		recorder *mock.Recorder
		log      *mock.ConsentLog
		method   string
		target   string
		body     string
	}{
		{
			name:     "append fails",
			recorder: &mock.Recorder{AppendFn: func(context.Context, *charte.Decision) (*charte.Record, error) { return nil, errStore }},
			log:      &mock.ConsentLog{},
			method:   http.MethodPost, target: "/api/v1/consents",
			body: `{"site":"charte","charter_version":"` + version + `","method":"accept_all"}`,
		},
		{
			name:     "previous decision lookup fails",
			recorder: &mock.Recorder{},
			log:      &mock.ConsentLog{FindDecisionByIDFn: failing},
			method:   http.MethodPost, target: "/api/v1/consents",
			body: `{"site":"charte","charter_version":"` + version + `","method":"withdraw","previous_id":"AAAAAAAAAAAAAAAAAAAAAA"}`,
		},
		{
			name:     "receipt lookup fails",
			recorder: &mock.Recorder{},
			log:      &mock.ConsentLog{FindDecisionByIDFn: failing},
			method:   http.MethodGet, target: "/api/v1/consents/AAAAAAAAAAAAAAAAAAAAAA",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := MustNewServer(t, Options{Recorder: tc.recorder, Log: tc.log, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			var resp *http.Response
			if tc.method == http.MethodPost {
				resp = post(t, s, tc.target, tc.body, http.Header{"Content-Type": {"application/json"}}).Result()
			} else {
				resp = get(t, s, tc.target, nil)
			}
			raw, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("%s %s = %d %q, want 500 JSON", tc.method, tc.target, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			var body errorBody
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("%s %s: body %q is not an error body: %v", tc.method, tc.target, raw, err)
			}
			id := resp.Header.Get("X-Request-Id")
			if body.Error.Code != charte.EINTERNAL || body.Error.Message != "Internal error." || body.Error.RequestID != id {
				t.Errorf("%s %s: error %+v, want internal, a generic message and the request id %q", tc.method, tc.target, body.Error, id)
			}
			if bytes.Contains(raw, []byte("secret")) || bytes.Contains(raw, []byte("locked")) {
				t.Errorf("%s %s: the answer %q leaks the store's error", tc.method, tc.target, raw)
			}
			if l := logs.String(); !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "id="+id) || !strings.Contains(l, "database is locked") {
				t.Errorf("%s %s: logs %q, want the error logged with the request id", tc.method, tc.target, l)
			}
		})
	}
}
