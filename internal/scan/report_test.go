package scan

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
)

const testCharter = `
site: {id: t, name: T, url: "https://www.example.org/", languages: [fr], contact: dpo@example.org}
categories:
  - id: necessary
  - id: statistics
    exempt: true
  - id: marketing
cookies:
  - {name: sid, provider: T, service: S, purpose: P, category: necessary, lifetime: session, party: first}
  - {name: _pk_id*, provider: T, service: S, purpose: P, category: statistics, lifetime: 13mo, party: first}
  - {name: ads, provider: T, service: S, purpose: P, category: marketing, lifetime: 30d, party: first}
  - {name: IDE, provider: Google, service: S, purpose: P, category: marketing, lifetime: 13mo, party: third, domain: .doubleclick.net}
  - {name: cart, provider: T, service: S, purpose: P, category: necessary, lifetime: session, party: first}
  - {name: never, provider: T, service: S, purpose: P, category: necessary, lifetime: session, party: first}
`

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

const home = "https://www.example.org/"

// sighted returns a sighting on the home page.
func sighted(visitor, phase string) *charte.Sighting {
	return &charte.Sighting{Visitor: visitor, Page: home, Phase: phase}
}

// seen returns a cookie seen on the home page that lives for lives (0 for
// a session cookie).
func seen(name, domain string, lives time.Duration, before, after *charte.Sighting, setAfter bool) *seenCookie {
	s := &seenCookie{key: cookieKey{name, domain, "/"}, fact: cookieFact{at: t0}, before: before, after: after, setAfter: setAfter,
		setBy: charte.Setter{Kind: charte.SetByResponse, URL: home}}
	if lives > 0 {
		s.fact.expires = t0.Add(lives)
	}
	s.first = *cmpOr(before, after)
	return s
}

func cmpOr(a, b *charte.Sighting) *charte.Sighting {
	if a != nil {
		return a
	}
	return b
}

const day = 24 * time.Hour

func testObservations() []*observation {
	none, reject, accept := charte.VisitorNone, charte.VisitorReject, charte.VisitorAccept
	before, after := charte.PhaseBeforeChoice, charte.PhaseAfterChoice
	found := &charte.Choice{Found: true, By: "name", Text: "Refuser", Page: home}
	return []*observation{
		{id: none, cookies: []*seenCookie{
			seen("sid", "www.example.org", 30*day, sighted(none, before), nil, false),
			seen("_pk_id.1.abc", "www.example.org", 395*day, sighted(none, before), nil, false),
			seen("IDE", ".doubleclick.net", 400*day, sighted(none, before), nil, false),
			seen("x_unknown", "www.example.org", 0, sighted(none, before), nil, false),
			seen("_ga", ".example.org", 2*day, sighted(none, before), nil, false),
			seen("zz_trk", ".tracker.example", day, sighted(none, before), nil, false),
		}},
		{id: reject, choice: found, cookies: []*seenCookie{
			seen("_pk_id.1.abc", "www.example.org", 395*day, sighted(reject, before), sighted(reject, after), false),
		}, storage: []*seenStorage{{kind: "local", origin: "https://www.example.org", key: "cart", first: *sighted(reject, before)}}},
		{id: accept, choice: found, cookies: []*seenCookie{
			seen("ads", "www.example.org", 30*day+20*time.Hour, nil, sighted(accept, after), true),
		}},
	}
}

func TestViolations(t *testing.T) {
	ch, err := charterfile.Parse("t.yaml", []byte(testCharter))
	if err != nil {
		t.Fatal(err)
	}
	r := build(ch, home, testObservations())
	type v struct{ Kind, Cookie, Domain, Visitor string }
	var got []v
	for _, x := range r.Violations {
		got = append(got, v{x.Kind, x.Cookie, x.Domain, x.Visitor})
		if x.Message == "" {
			t.Errorf("violation %+v has no message", x)
		}
	}
	want := []v{
		{charte.ViolationSetBeforeConsent, "IDE", ".doubleclick.net", "none"},
		{charte.ViolationSetBeforeConsent, "_ga", ".example.org", "none"},
		{charte.ViolationSetAfterRefusal, "_pk_id.1.abc", "www.example.org", "reject"},
		{charte.ViolationUndeclared, "_ga", ".example.org", "none"},
		{charte.ViolationUndeclared, "zz_trk", ".tracker.example", "none"},
		{charte.ViolationUndeclared, "x_unknown", "www.example.org", "none"},
		{charte.ViolationThirdPartyUndeclared, "zz_trk", "tracker.example", "none"},
		{charte.ViolationLifetimeOver13Months, "IDE", ".doubleclick.net", "none"},
		{charte.ViolationLifetimeMismatch, "IDE", ".doubleclick.net", "none"},
		{charte.ViolationLifetimeMismatch, "sid", "www.example.org", "none"},
		{charte.ViolationUnusedDeclaration, "never", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("violations mismatch (-want +got):\n%s", diff)
	}
	for _, x := range r.Violations {
		if x.Kind == charte.ViolationSetAfterRefusal && !strings.Contains(x.Message, "still there") {
			t.Errorf("set_after_refusal of a cookie set before the refusal: message %q, want it to say the cookie was still there", x.Message)
		}
	}

	// What the scan says of each cookie.
	byName := make(map[string]charte.ScanCookie)
	for _, c := range r.Cookies {
		byName[c.Name] = c
	}
	for name, want := range map[string]struct {
		party              charte.Party
		category, by, decl string
	}{
		"_pk_id.1.abc": {charte.PartyFirst, charte.CategoryStatistics, charte.ClassifiedByCharter, "_pk_id*"},
		"IDE":          {charte.PartyThird, charte.CategoryMarketing, charte.ClassifiedByCharter, "IDE"},
		"_ga":          {charte.PartyFirst, charte.CategoryStatistics, charte.ClassifiedByKnowledge, ""},
		"x_unknown":    {charte.PartyFirst, charte.CategoryUnknown, charte.ClassifiedByNothing, ""},
		"zz_trk":       {charte.PartyThird, charte.CategoryUnknown, charte.ClassifiedByNothing, ""},
	} {
		c := byName[name]
		if c.Party != want.party || c.Category != want.category || c.ClassifiedBy != want.by || c.DeclaredAs != want.decl {
			t.Errorf("cookie %s: party %s, category %s by %s, declared as %q; want %s, %s by %s, %q", name, c.Party, c.Category, c.ClassifiedBy, c.DeclaredAs, want.party, want.category, want.by, want.decl)
		}
	}
	if got := byName["_pk_id.1.abc"].Visitors; !cmp.Equal(got, []string{"none", "reject"}) {
		t.Errorf("_pk_id.1.abc seen by %v, want none and reject", got)
	}

	// Without a charter: every cookie, no violation.
	r = build(nil, home, testObservations())
	if len(r.Violations) != 0 || len(r.Cookies) != 7 || r.Charter != nil {
		t.Errorf("build(no charter) = %d violations, %d cookies, charter %v; want 0, 7, nil", len(r.Violations), len(r.Cookies), r.Charter)
	}
}

func TestObservedLifetime(t *testing.T) {
	tests := []struct {
		lives time.Duration
		want  string
	}{
		{0, "session"},
		{10 * time.Second, "1h"},
		{24 * time.Hour, "24h"},
		{47 * time.Hour, "47h"},
		{48*time.Hour - time.Second, "2d"},
		{400*day - time.Millisecond, "400d"},
	}
	for _, tc := range tests {
		f := cookieFact{at: t0}
		if tc.lives > 0 {
			f.expires = t0.Add(tc.lives)
		}
		if got := observedLifetime(f).String(); got != tc.want {
			t.Errorf("observedLifetime(%s) = %s, want %s", tc.lives, got, tc.want)
		}
	}
}
