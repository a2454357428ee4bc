package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/sqlite"
)

// statsCharter is a charter with every kind of category, for decisions.
const statsCharter = `
site:
  id: shop
  name: Shop
  url: https://shop.example
  origins: ["https://shop.example"]
  languages: [en]
  contact: dpo@shop.example
categories:
  - id: necessary
  - id: statistics
    exempt: true
  - id: marketing
cookies:
  - {name: sid, provider: Shop, service: Session, purpose: Session, category: necessary, lifetime: session, party: first}
  - {name: _pk_id.*, provider: Matomo, service: Audience, purpose: Audience, category: statistics, lifetime: 13mo, party: first}
  - {name: ads, provider: Ads, service: Ads, purpose: Ads, category: marketing, lifetime: 30d, party: first}
`

// mustConsentLog opens a consent log on a real SQLite database in a
// temporary directory, with a group committer in front, both closed when
// the test ends.
func mustConsentLog(tb testing.TB) (*sqlite.DB, *charte.GroupCommitter) {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "consent.db"))
	if err != nil {
		tb.Fatal(err)
	}
	gc := charte.NewGroupCommitter(db, 0)
	tb.Cleanup(func() {
		if err := gc.Close(); err != nil {
			tb.Error(err)
		}
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db, gc
}

// MustConsentServer returns a server for the shop charter backed by a real
// SQLite consent log in a temporary directory.
func MustConsentServer(tb testing.TB, rateLimit int, now func() time.Time) (*Server, *charte.Charter, *sqlite.DB) {
	tb.Helper()
	ch, err := charterfile.Parse("shop.yaml", []byte(statsCharter))
	if err != nil {
		tb.Fatal(err)
	}
	db, gc := mustConsentLog(tb)
	sites, err := NewSites(ch)
	if err != nil {
		tb.Fatal(err)
	}
	return NewServer(Options{Sites: sites, Recorder: gc, Log: db, RateLimit: rateLimit, Now: now}), ch, db
}

func post(tb testing.TB, h http.Handler, target, body string, header http.Header) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestConsentCreate(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s, ch, _ := MustConsentServer(t, 0, func() time.Time { return now })
	v := ch.Version
	tests := []struct {
		name        string
		body        string
		wantChoices map[string]bool
		wantMethod  charte.Method
	}{
		{
			name:        "accept all grants everything",
			body:        `{"site":"shop","charter_version":"` + v + `","choices":{},"method":"accept_all"}`,
			wantChoices: map[string]bool{"necessary": true, "statistics": true, "marketing": true},
			wantMethod:  charte.MethodAcceptAll,
		},
		{
			name:        "reject all denies the exempt category too, necessary stays",
			body:        `{"site":"shop","charter_version":"` + v + `","choices":{"necessary":false,"marketing":true},"method":"reject_all"}`,
			wantChoices: map[string]bool{"necessary": true, "statistics": false, "marketing": false},
			wantMethod:  charte.MethodRejectAll,
		},
		{
			name:        "custom: left-out exempt category is on, left-out other is off",
			body:        `{"site":"shop","charter_version":"` + v + `","choices":{},"method":"custom"}`,
			wantChoices: map[string]bool{"necessary": true, "statistics": true, "marketing": false},
			wantMethod:  charte.MethodCustom,
		},
		{
			name:        "gpc keeps the exempt opt-out default",
			body:        `{"site":"shop","charter_version":"` + v + `","choices":{"marketing":false},"method":"gpc"}`,
			wantChoices: map[string]bool{"necessary": true, "statistics": true, "marketing": false},
			wantMethod:  charte.MethodGPC,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(t, s, "/api/v1/consents", tc.body, http.Header{"Origin": {"https://shop.example"}})
			if rec.Code != http.StatusCreated {
				t.Fatalf("POST = %d %s, want 201", rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "https://shop.example" {
				t.Errorf("Access-Control-Allow-Origin = %q, want the site's origin", got)
			}
			var got consentResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantChoices, got.Choices); diff != "" {
				t.Errorf("choices (-want +got):\n%s", diff)
			}
			if got.Method != tc.wantMethod || got.Site != "shop" || got.CharterVersion != v || len(got.ID) < 22 {
				t.Errorf("response = %+v", got)
			}
			if !got.CreatedAt.Equal(now) || !got.ExpiresAt.Equal(now.AddDate(0, 6, 0)) {
				t.Errorf("created %v expires %v, want now and 6 months later", got.CreatedAt, got.ExpiresAt)
			}
			cd, err := consent.ParseCookie(got.Cookie)
			if err != nil {
				t.Fatalf("cookie %q: %v", got.Cookie, err)
			}
			if len(got.Cookie) > consent.MaxCookieLen || cd.ID != got.ID || cd.Version != v || cd.Allowed("marketing") != tc.wantChoices["marketing"] || cd.Allowed("statistics") != tc.wantChoices["statistics"] {
				t.Errorf("cookie %q does not carry the decision", got.Cookie)
			}

			// The receipt reads the same decision back from the log.
			resp := get(t, s, "/api/v1/consents/"+got.ID, nil)
			var receipt consentResponse
			if err := json.NewDecoder(resp.Body).Decode(&receipt); err != nil || resp.StatusCode != 200 {
				t.Fatalf("GET receipt = %d, %v", resp.StatusCode, err)
			}
			if receipt.Seq == 0 || receipt.Hash == "" || receipt.ID != got.ID || !cmp.Equal(receipt.Choices, got.Choices) {
				t.Errorf("receipt = %+v, want the recorded decision with its place in the log", receipt)
			}
		})
	}
}

func TestConsentCreateErrors(t *testing.T) {
	s, ch, db := MustConsentServer(t, 0, nil)
	v := ch.Version
	// A decision of another site, recorded behind the API's back.
	now := time.Now()
	other, err := db.AppendDecisions(context.Background(), []*charte.Decision{{
		ID: "decision-of-another-site", Site: "other", CharterVersion: "v1", Method: charte.MethodAcceptAll,
		Choices: map[string]bool{"necessary": true}, CreatedAt: now, ExpiresAt: now.AddDate(0, 6, 0),
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		body      string
		header    http.Header
		status    int
		wantField string
	}{
		{name: "not json", body: `{"site":`, status: 400, wantField: "body"},
		{name: "empty", body: ``, status: 400, wantField: "body"},
		{name: "a string", body: `"x"`, status: 400, wantField: "body"},
		{name: "an array", body: `[]`, status: 400, wantField: "body"},
		{name: "field without a name", body: `{"":""}`, status: 400, wantField: "body"},
		{name: "unknown site", body: `{"site":"nope","charter_version":"` + v + `","method":"accept_all"}`, status: 400, wantField: "site"},
		{name: "stale version", body: `{"site":"shop","charter_version":"000000000000","method":"accept_all"}`, status: 400, wantField: "charter_version"},
		{name: "no version", body: `{"site":"shop","method":"accept_all"}`, status: 400, wantField: "charter_version"},
		{name: "unknown category", body: `{"site":"shop","charter_version":"` + v + `","choices":{"videos":true},"method":"custom"}`, status: 400, wantField: "choices.videos"},
		{name: "bad method", body: `{"site":"shop","charter_version":"` + v + `","method":"yes"}`, status: 400, wantField: "method"},
		{name: "choice not a bool", body: `{"site":"shop","charter_version":"` + v + `","choices":{"marketing":"yes"},"method":"custom"}`, status: 400, wantField: "choices.marketing"},
		{name: "unknown field", body: `{"site":"shop","charter_version":"` + v + `","method":"custom","ip":"1.2.3.4"}`, status: 400, wantField: "ip"},
		{name: "choice null", body: `{"site":"shop","charter_version":"` + v + `","choices":{"marketing":null},"method":"custom"}`, status: 400, wantField: "choices.marketing"},
		{name: "choice null among others", body: `{"site":"shop","charter_version":"` + v + `","choices":{"statistics":true,"marketing":null},"method":"custom"}`, status: 400, wantField: "choices.marketing"},
		{name: "unknown previous id", body: `{"site":"shop","charter_version":"` + v + `","method":"withdraw","previous_id":"AAAAAAAAAAAAAAAAAAAAAA"}`, status: 400, wantField: "previous_id"},
		{name: "previous id of another site", body: `{"site":"shop","charter_version":"` + v + `","method":"withdraw","previous_id":"` + other[0].ID + `"}`, status: 400, wantField: "previous_id"},
		{name: "bad previous id", body: `{"site":"shop","charter_version":"` + v + `","method":"custom","previous_id":"x;y"}`, status: 400, wantField: "previous_id"},
		{name: "too large", body: `{"site":"shop","pad":"` + strings.Repeat("x", 17<<10) + `"}`, status: 413, wantField: "body"},
		{name: "foreign origin", body: `{"site":"shop","charter_version":"` + v + `","method":"accept_all"}`, header: http.Header{"Origin": {"https://evil.example"}}, status: 403, wantField: "origin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(t, s, "/api/v1/consents", tc.body, tc.header)
			if rec.Code != tc.status {
				t.Fatalf("POST = %d %s, want %d", rec.Code, rec.Body, tc.status)
			}
			var body errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("error body %q: %v", rec.Body, err)
			}
			if body.Error.Field != tc.wantField || body.Error.Message == "" {
				t.Errorf("error = %+v, want field %q", body.Error, tc.wantField)
			}
		})
	}
	// A previous_id naming a decision of the same site is taken.
	first := post(t, s, "/api/v1/consents", `{"site":"shop","charter_version":"`+v+`","method":"accept_all"}`, nil)
	var got consentResponse
	if err := json.Unmarshal(first.Body.Bytes(), &got); err != nil || first.Code != 201 {
		t.Fatalf("POST = %d %s", first.Code, first.Body)
	}
	if rec := post(t, s, "/api/v1/consents", `{"site":"shop","charter_version":"`+v+`","method":"withdraw","previous_id":"`+got.ID+`"}`, nil); rec.Code != 201 {
		t.Errorf("POST with the previous decision's id = %d %s, want 201", rec.Code, rec.Body)
	}
	if resp := get(t, s, "/api/v1/consents/AAAAAAAAAAAAAAAAAAAAAA", nil); resp.StatusCode != 404 {
		t.Errorf("GET unknown receipt = %d, want 404", resp.StatusCode)
	}
}

func TestConsentCookieOnSameOrigin(t *testing.T) {
	s, ch, _ := MustConsentServer(t, 0, nil)
	own := charterfile.Default()
	body := `{"site":"shop","charter_version":"` + ch.Version + `","method":"reject_all"}`
	for _, tc := range []struct {
		origin     string
		wantCookie bool
	}{
		{origin: "http://example.com", wantCookie: true}, // httptest's requests are for example.com
		{origin: "https://shop.example", wantCookie: false},
		{origin: "", wantCookie: false},
	} {
		var h http.Header
		if tc.origin != "" {
			h = http.Header{"Origin": {tc.origin}}
		}
		rec := post(t, s, "/api/v1/consents", body, h)
		cookies := rec.Result().Cookies()
		if got := len(cookies) == 1 && cookies[0].Name == consent.CookieName; got != tc.wantCookie {
			t.Errorf("POST from %q: Set-Cookie %v, want cookies_preferences: %v", tc.origin, cookies, tc.wantCookie)
		}
		for _, c := range cookies {
			if _, ok := own.Lookup(c.Name); !ok || c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 {
				t.Errorf("cookie %+v: want a declared, script-readable, SameSite=Lax cookie that lasts", c)
			}
		}
	}
}

func TestConsentPreflight(t *testing.T) {
	s, _, _ := MustConsentServer(t, 0, nil)
	for _, tc := range []struct {
		origin string
		status int
	}{
		{"https://shop.example", 204},
		{"https://evil.example", 403},
	} {
		req := httptest.NewRequest(http.MethodOptions, "/api/v1/consents", nil)
		req.Header.Set("Origin", tc.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("preflight from %s = %d, want %d", tc.origin, rec.Code, tc.status)
		}
		if tc.status == 204 && (rec.Header().Get("Access-Control-Allow-Origin") != tc.origin || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST")) {
			t.Errorf("preflight headers = %v", rec.Header())
		}
	}
}

func TestConsentRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s, ch, _ := MustConsentServer(t, 3, func() time.Time { return now })
	body := `{"site":"shop","charter_version":"` + ch.Version + `","method":"reject_all"}`
	for i := range 3 {
		if rec := post(t, s, "/api/v1/consents", body, nil); rec.Code != 201 {
			t.Fatalf("decision %d = %d, want 201", i+1, rec.Code)
		}
	}
	rec := post(t, s, "/api/v1/consents", body, nil)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("4th decision in a minute = %d (Retry-After %q), want 429 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	// Another client is not affected.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/consents", strings.NewReader(body))
	req.RemoteAddr = "192.0.2.99:1234"
	other := httptest.NewRecorder()
	s.ServeHTTP(other, req)
	if other.Code != 201 {
		t.Errorf("another client = %d, want 201", other.Code)
	}
	// A token comes back after 20 s.
	now = now.Add(21 * time.Second)
	if rec := post(t, s, "/api/v1/consents", body, nil); rec.Code != 201 {
		t.Errorf("after 21 s = %d, want 201", rec.Code)
	}
}

func TestConsentLogIsVerifiable(t *testing.T) {
	s, ch, db := MustConsentServer(t, 0, nil)
	for _, m := range []string{"accept_all", "reject_all", "custom", "gpc", "withdraw"} {
		if rec := post(t, s, "/api/v1/consents", `{"site":"shop","charter_version":"`+ch.Version+`","method":"`+m+`"}`, nil); rec.Code != 201 {
			t.Fatalf("POST %s = %d", m, rec.Code)
		}
	}
	n, err := db.VerifyLog(context.Background())
	if err != nil || n != 5 {
		t.Errorf("VerifyLog = %d, %v; want 5 good records", n, err)
	}
}
