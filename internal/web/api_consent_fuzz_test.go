package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/charte/charte/consent"
)

// FuzzConsentCreate posts arbitrary bodies to POST /api/v1/consents, with
// a real SQLite log behind it, and checks what the API promises whatever it
// is sent: never a server error; a refusal is a JSON error naming the field
// at fault; an acceptance records exactly the charter's categories, each
// choice the visitor sent as the boolean they sent, necessary granted, and a
// cookie that the middleware reads back.
func FuzzConsentCreate(f *testing.F) {
	s, ch, _ := MustConsentServer(f, 0, nil)
	v := ch.Version
	for _, body := range []string{
		`{"site":"shop","charter_version":"` + v + `","method":"accept_all"}`,
		`{"site":"shop","charter_version":"` + v + `","method":"reject_all"}`,
		`{"site":"shop","charter_version":"` + v + `","choices":{"statistics":false,"marketing":true},"method":"custom"}`,
		`{"site":"shop","charter_version":"` + v + `","choices":{"marketing":null},"method":"custom"}`,
		`{"site":"shop","charter_version":"` + v + `","choices":{"marketing":1},"method":"custom"}`,
		`{"site":"shop","charter_version":"` + v + `","choices":{"necessary":false},"method":"gpc"}`,
		`{"site":"shop","charter_version":"` + v + `","method":"withdraw","previous_id":"AAAAAAAAAAAAAAAAAAAAAA"}`,
		`{"site":"shop","charter_version":"` + v + `","method":"custom","choices":{"marketing":true,"marketing":false}}`,
		`{"site":"shop","charter_version":"` + v + `","method":"custom"} {}`,
		`{"site":"shop","charter_version":"` + v + `","method":"custom","choices":[]}`,
		`{"site":"shop","charter_version":"` + v + `","method":"custom","choices":{"\u006darketing":true}}`,
		`{"site":null,"charter_version":null,"method":null,"choices":null,"previous_id":null}`,
		`{"Site":"shop","CHARTER_VERSION":"` + v + `","Method":"accept_all"}`,
		`[]`, `null`, `"x"`, `{`, ``, "\xff\xfe{}",
	} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rec := post(t, s, "/api/v1/consents", body, nil)
		if rec.Code >= 500 {
			t.Fatalf("POST %q = %d %s, want no server error", body, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusCreated {
			var e errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Field == "" || e.Error.Message == "" {
				t.Fatalf("POST %q = %d %s, want a JSON error naming a field", body, rec.Code, rec.Body)
			}
			return
		}
		var got consentResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("POST %q = 201 %s: %v", body, rec.Body, err)
		}
		if len(got.Choices) != len(ch.Categories) || !got.Choices["necessary"] {
			t.Fatalf("POST %q recorded choices %v, want one per category of the charter, necessary granted", body, got.Choices)
		}
		for _, c := range ch.Categories {
			if _, ok := got.Choices[c.ID]; !ok {
				t.Fatalf("POST %q recorded choices %v, missing %s", body, got.Choices, c.ID)
			}
		}
		// What was sent, read the way encoding/json reads the request
		// (field names match case-insensitively, the last duplicate wins).
		var sent map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &sent); err != nil {
			t.Fatalf("POST %q accepted a body that is not a JSON object: %v", body, err)
		}
		for k, raw := range sent {
			if !strings.EqualFold(k, "choices") {
				continue
			}
			var choices map[string]any
			_ = json.Unmarshal(raw, &choices) // null: no choices
			for cat, val := range choices {
				b, ok := val.(bool)
				if !ok {
					t.Fatalf("POST %q recorded a decision although choices.%s is %v, not a boolean", body, cat, val)
				}
				if got.Method == "custom" && cat != "necessary" && got.Choices[cat] != b {
					t.Fatalf("POST %q recorded %s = %v, want the %v sent", body, cat, got.Choices[cat], b)
				}
			}
		}
		cd, err := consent.ParseCookie(got.Cookie)
		if err != nil || cd.ID != got.ID {
			t.Fatalf("POST %q returned cookie %q that does not parse back (%v)", body, got.Cookie, err)
		}
	})
}
