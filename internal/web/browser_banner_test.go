package web

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charte"
)

// TestBrowserBanner plays visitors of a customer page that embeds the
// banner from another origin under a strict CSP: one new browser context
// (cookies, storage) and one new pair of servers per case, one browser for
// all of them.
func TestBrowserBanner(t *testing.T) {
	browser := MustBrowser(t)
	tests := []struct {
		name string
		run  func(t *testing.T, s *shop, b *tab)
	}{
		{"the harness sees CSP violations", testHarness},
		{"first visit shows the banner and runs nothing blocked", testFirstVisit},
		{"first-layer buttons have the same size and weight", testButtonSizes},
		{"reject all", testRejectAll},
		{"close means continue without accepting", testClose},
		{"accept all", testAcceptAll},
		{"customise", testCustomise},
		{"withdraw deletes the category's cookies", testWithdraw},
		{"reload keeps accept all", testReloadKeeps("accept-all", []string{"stats", "inline", "ads"})},
		{"reload keeps reject all", testReloadKeeps("reject-all", nil)},
		{"charter change asks again", testCharterChange},
		{"expired decision asks again", testExpiry},
		{"global privacy control refuses without a banner", testGPC},
		{"iframe placeholder grants its category", testPlaceholder},
		{"keyboard only", testKeyboard},
		{"API down: the choice applies and is sent on the next page", testAPIDown},
		{"page language missing from the script: it reloads itself", testLanguage},
		{"accessibility scan with axe-core", testAxe},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := MustShop(t)
			b := newTab(t, browser)
			tc.run(t, s, b)
		})
	}
}

// testHarness checks that the console check is not vacuous: a page whose
// CSP refuses its inline script is reported.
func testHarness(t *testing.T, s *shop, b *tab) {
	b.do("open", chromedp.Navigate(s.page+"/violation"))
	got := waitProblems(t, b)
	if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, "Content Security Policy") }) ||
		!slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, "CSP violation: script-src") }) {
		t.Errorf("problems = %q, want the browser log's CSP error and the securitypolicyviolation event", got)
	}
}

// waitProblems waits until the tab has noted a console problem, and takes
// them (a Go-side condition, which Poll cannot see).
func waitProblems(t *testing.T, b *tab) []string {
	t.Helper()
	waitGo(t, "a console problem", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.problems) > 0
	})
	return b.takeProblems()
}

// waitGo waits until cond, which looks at the Go side, holds.
func waitGo(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: timeout", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkNothingRan checks that no blocked script or iframe was let through.
func checkNothingRan(t *testing.T, b *tab) {
	t.Helper()
	if got := b.ran(); len(got) != 0 {
		t.Errorf("blocked scripts ran: %q", got)
	}
	if got := eval[int](b, jsBlocked); got != 3 {
		t.Errorf("%d blocked scripts still wait, want all 3", got)
	}
	checkIframeBlocked(t, b)
}

func checkIframeBlocked(t *testing.T, b *tab) {
	t.Helper()
	if src := eval[string](b, jsIframe+`.getAttribute('src') ?? ''`); src != "" {
		t.Errorf("blocked iframe src = %q, want none", src)
	}
	if !eval[bool](b, jsIframe+`.hidden && !!`+jsGrant) {
		t.Errorf("blocked iframe is shown, or has no placeholder with a grant button")
	}
}

// waitRan waits until n blocked scripts ran and returns them in order.
func waitRan(b *tab, n int) []string {
	b.t.Helper()
	return pollUntil[[]string](b, fmt.Sprintf("%d blocked scripts to run", n), fmt.Sprintf(`window.ran?.length >= %d && window.ran`, n))
}

// waitIframe waits until the blocked iframe has loaded the player.
func waitIframe(b *tab) {
	b.t.Helper()
	b.waitFor("the iframe to load", jsIframe+`.getAttribute('src') == '/player' && !`+jsIframe+`.hidden && `+jsIframe+`.contentDocument?.title == 'Player' && !document.querySelector('[data-charte-placeholder]')`)
}

// watchEvents records the charte:consent events of the page in window.events.
func watchEvents(b *tab) {
	b.t.Helper()
	eval[chromedp.Void](b, `document.addEventListener('charte:consent', (e) => (window.events = window.events || []).push(e.detail.method))`)
}

// checkRecord checks a decision of the consent log.
func checkRecord(t *testing.T, s *shop, id string, method charte.Method, choices map[string]bool) *charte.Record {
	t.Helper()
	rec := s.record(id)
	if rec.Method != method {
		t.Errorf("recorded method = %s, want %s", rec.Method, method)
	}
	if diff := cmp.Diff(choices, rec.Choices); diff != "" {
		t.Errorf("recorded choices (-want +got):\n%s", diff)
	}
	if rec.Site != "shop" || rec.CharterVersion != s.sites.Default().Version {
		t.Errorf("recorded site, version = %s, %s, want shop, %s", rec.Site, rec.CharterVersion, s.sites.Default().Version)
	}
	return rec
}

// prefCookie returns the cookies_preferences cookie of the customer page,
// parsed.
func prefCookie(t *testing.T, s *shop, b *tab) (*network.Cookie, *consent.Decision) {
	t.Helper()
	c, ok := b.cookies(s.page + "/")[consent.CookieName]
	if !ok {
		t.Fatalf("no %s cookie on %s", consent.CookieName, s.page)
	}
	d, err := consent.ParseCookie(c.Value)
	if err != nil {
		t.Fatalf("ParseCookie(%q): %v", c.Value, err)
	}
	return c, d
}

// The choices a decision can record on the shop's charter, and the order in
// which all its blocked scripts run.
var (
	grantNone  = map[string]bool{"necessary": true, "statistics": false, "marketing": false}
	grantAll   = map[string]bool{"necessary": true, "statistics": true, "marketing": true}
	grantStats = map[string]bool{"necessary": true, "statistics": true, "marketing": false}
	grantAds   = map[string]bool{"necessary": true, "statistics": false, "marketing": true}
	allScripts = []string{"stats", "inline", "ads"}
)

func testFirstVisit(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.waitFor("the banner", jsFirstLayer)
	if got := eval[string](b, jsRoot+`.querySelector('[role=dialog]')?.getAttribute('aria-labelledby') ?? ''`); got == "" {
		t.Errorf("the banner is not a labelled dialog")
	}
	checkNothingRan(t, b)
	if !eval[bool](b, `charte.decision() === null`) {
		t.Errorf("charte.decision() = %s before any choice, want null", eval[string](b, `JSON.stringify(charte.decision())`))
	}
	// Silence is no decision: no cookie at all, and nothing in the log.
	if got := b.allCookies(); len(got) != 0 {
		var names []string
		for _, c := range got {
			names = append(names, c.Domain+" "+c.Name)
		}
		t.Errorf("cookies before any choice: %q, want none", names)
	}
	if n := len(s.records()); n != 0 {
		t.Errorf("%d decisions recorded before any choice, want 0", n)
	}
}

// testButtonSizes checks that accept, reject and customise look the same,
// at widths from a wide screen down to 320 px.
func testButtonSizes(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	var bugs []string
	for _, width := range []int64{1280, 800, 600, 480, 400, 320} {
		b.do("set the viewport", chromedp.EmulateViewport(width, 800))
		b.waitFor("the banner", jsFirstLayer)
		type box struct {
			Action string  `json:"action"`
			W      float64 `json:"w"`
			H      float64 `json:"h"`
			Weight string  `json:"weight"`
			Size   string  `json:"size"`
			Label  string  `json:"label"`
		}
		boxes := eval[[]box](b, `['accept-all', 'reject-all', 'customize'].map((a) => {
  const e = `+jsAction("'+a+'")+`, r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return {action: a, w: r.width, h: r.height, weight: s.fontWeight, size: s.fontSize, label: e.textContent};
})`)
		if len(boxes) != 3 {
			t.Fatalf("width %d: first-layer buttons = %v, want 3", width, boxes)
		}
		for _, o := range boxes[1:] {
			a := boxes[0]
			if o.Weight != a.Weight || o.Size != a.Size {
				t.Errorf("at %d px wide, %s has weight %s, size %s; %s has weight %s, size %s: want the same", width, a.Label, a.Weight, a.Size, o.Label, o.Weight, o.Size)
			}
			if math.Abs(o.W-a.W) > 1 || math.Abs(o.H-a.H) > 1 {
				msg := fmt.Sprintf("at %d px wide, %s is %.0f×%.0f px but %s is %.0f×%.0f px", width, a.Label, a.W, a.H, o.Label, o.W, o.H)
				if width == 400 || width == 480 {
					// Between 400 and 586 px, the three buttons
					// (flex: 1 1 12em, wrapping) fall on two rows: two
					// share the first, the third fills the second.
					bugs = append(bugs, msg)
					continue
				}
				t.Error(msg)
			}
		}
	}
	if len(bugs) > 0 {
		t.Errorf("the first-layer buttons are not the same size at every width: %s", strings.Join(bugs, "; "))
	}
}

func testRejectAll(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	watchEvents(b)
	b.click("Reject all", jsAction("reject-all"))
	id := b.recordedID("")
	checkRecord(t, s, id, charte.MethodRejectAll, grantNone)

	c, d := prefCookie(t, s, b)
	if d.ID != id || d.Version != s.charter.Version || d.Method != "reject_all" || !slices.Equal(d.Granted, []string{"necessary"}) {
		t.Errorf("cookie = %+v, want id %s, version %s, reject_all, only necessary granted", d, id, s.charter.Version)
	}
	// First-party on the customer's host, Lax, not Secure on http, kept 6 months.
	if c.Domain != "127.0.0.2" || c.Path != "/" || c.SameSite != network.CookieSameSiteLax || c.Secure || c.HTTPOnly || c.Session {
		t.Errorf("cookie %s: domain %s, path %s, SameSite %s, Secure %t, HttpOnly %t, session %t; want 127.0.0.2, /, Lax, false, false, false",
			c.Name, c.Domain, c.Path, c.SameSite, c.Secure, c.HTTPOnly, c.Session)
	}
	if exp := time.Unix(int64(c.Expires), 0); exp.Sub(d.Expires).Abs() > time.Minute || exp.Before(time.Now().AddDate(0, 5, 27)) {
		t.Errorf("cookie expires %v, decision expires %v: want both about 6 months from now", exp, d.Expires)
	}
	if got := b.cookies(s.charte + "/"); len(got) != 0 {
		t.Errorf("cookies on charte's origin: %v, want none", sortedKeys(got))
	}
	if got := eval[[]string](b, `window.events || []`); !slices.Equal(got, []string{"reject_all"}) {
		t.Errorf("charte:consent events = %q, want [reject_all]", got)
	}
	if eval[bool](b, `!!`+jsFirstLayer) || !eval[bool](b, `!!`+jsPersistent) {
		t.Errorf("after the choice: banner still shown, or no persistent control")
	}
	checkNothingRan(t, b)
}

func testClose(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.click("Continue without accepting", jsAction("close"))
	checkRecord(t, s, b.recordedID(""), charte.MethodRejectAll, grantNone)
	if eval[bool](b, `!!`+jsFirstLayer) {
		t.Errorf("banner still shown after closing it")
	}
	checkNothingRan(t, b)
}

func testAcceptAll(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.waitFor("the banner", jsFirstLayer)
	checkNothingRan(t, b)
	watchEvents(b)
	b.click("Accept all", jsAction("accept-all"))
	id := b.recordedID("")
	checkRecord(t, s, id, charte.MethodAcceptAll, grantAll)

	// In document order, although stats.js is served late.
	if got := waitRan(b, 3); !slices.Equal(got, allScripts) {
		t.Errorf("blocked scripts ran in order %q, want %q", got, allScripts)
	}
	waitIframe(b)
	if got := b.cookies(s.page + "/"); got["_pk_id.abc"] == nil || got["ads"] == nil {
		t.Errorf("cookies = %q, want _pk_id.abc and ads set by the scripts", sortedKeys(got))
	}
	_, d := prefCookie(t, s, b)
	if d.ID != id || d.Method != "accept_all" || !slices.Equal(d.Granted, []string{"marketing", "necessary", "statistics"}) {
		t.Errorf("cookie = %+v, want id %s, accept_all, every category", d, id)
	}
	if !eval[bool](b, `charte.accepted('statistics') && charte.accepted('marketing')`) {
		t.Errorf("charte.accepted() is false for a granted category")
	}
	if got := eval[[]string](b, `window.events || []`); !slices.Equal(got, []string{"accept_all"}) {
		t.Errorf("charte:consent events = %q, want [accept_all]", got)
	}
}

func testCustomise(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.click("Customise", jsAction("customize"))
	b.waitFor("the preference center", jsCenter)
	type sw struct {
		Checked, Disabled bool
	}
	got := eval[map[string]sw](b, `Object.fromEntries([...`+jsRoot+`.querySelectorAll('[data-charte-category]')].map((i) => [i.dataset.charteCategory, {Checked: i.checked, Disabled: i.disabled}]))`)
	// The necessary category has no switch: it says "always on" in words.
	want := map[string]sw{"statistics": {false, false}, "marketing": {false, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("switches (-want +got):\n%s", diff)
	}
	b.click("the statistics switch", jsSwitch("statistics"))
	b.waitFor("the statistics switch to be on", jsSwitch("statistics")+`.checked`)
	b.click("Save", jsAction("save"))
	checkRecord(t, s, b.recordedID(""), charte.MethodCustom, grantStats)

	if got := waitRan(b, 2); !slices.Equal(got, []string{"stats", "inline"}) {
		t.Errorf("blocked scripts ran: %q, want [stats inline]", got)
	}
	if n := eval[int](b, jsBlocked); n != 1 {
		t.Errorf("%d blocked scripts wait, want 1 (marketing)", n)
	}
	checkIframeBlocked(t, b)
}

func testWithdraw(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.click("Accept all", jsAction("accept-all"))
	first := b.recordedID("")
	waitRan(b, 3)
	if got := b.cookies(s.page + "/"); got["_pk_id.abc"] == nil {
		t.Fatalf("cookies after accept all = %q, want _pk_id.abc", sortedKeys(got))
	}

	b.click("the persistent cookie control", jsPersistent)
	b.waitFor("the preference center", jsCenter+` && `+jsSwitch("statistics")+`.checked`)
	b.click("the statistics switch", jsSwitch("statistics"))
	b.waitFor("the statistics switch to be off", `!`+jsSwitch("statistics")+`.checked`)
	b.click("Save", jsAction("save"))
	id := b.recordedID(first)
	rec := checkRecord(t, s, id, charte.MethodWithdraw, grantAds)
	if rec.PreviousID != first {
		t.Errorf("withdrawal's previous id = %q, want %q", rec.PreviousID, first)
	}
	got := b.cookies(s.page + "/")
	if got["_pk_id.abc"] != nil {
		t.Errorf("_pk_id.abc is still set after statistics was withdrawn")
	}
	if got["ads"] == nil {
		t.Errorf("ads was deleted, but marketing is still granted")
	}
	if _, d := prefCookie(t, s, b); d.ID != id || d.Method != "withdraw" || !slices.Equal(d.Granted, []string{"marketing", "necessary"}) {
		t.Errorf("cookie = %+v, want id %s, withdraw, marketing and necessary", d, id)
	}
}

// testReloadKeeps makes a choice, reloads, and checks that the banner does
// not ask again and the scripts run as the decision says.
func testReloadKeeps(action string, want []string) func(t *testing.T, s *shop, b *tab) {
	return func(t *testing.T, s *shop, b *tab) {
		b.open(s.page + "/")
		b.click(action, jsAction(action))
		id := b.recordedID("")
		if len(want) > 0 {
			waitRan(b, len(want))
		}

		b.reload()
		b.waitFor("the persistent control", jsPersistent)
		if eval[bool](b, `!!`+jsFirstLayer) {
			t.Errorf("banner shown again after reload")
		}
		if got := eval[string](b, `charte.decision()?.id`); got != id {
			t.Errorf("decision after reload = %q, want %q", got, id)
		}
		if len(want) == 0 {
			checkNothingRan(t, b)
		} else {
			if got := waitRan(b, len(want)); !slices.Equal(got, want) {
				t.Errorf("after reload, blocked scripts ran %q, want %q", got, want)
			}
			waitIframe(b)
		}
		if n := len(s.records()); n != 1 {
			t.Errorf("%d decisions recorded, want 1: a reload records nothing", n)
		}
	}
}

func testCharterChange(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.click("Accept all", jsAction("accept-all"))
	first := b.recordedID("")
	waitRan(b, 3)

	next := s.mustCharter("Measures the audience and records heatmaps.")
	if next.Version == s.charter.Version {
		t.Fatalf("changing a purpose kept the charter version %s", next.Version)
	}
	if err := s.sites.Replace(next); err != nil {
		t.Fatal(err)
	}
	// charte.js is cached for 5 minutes by design; a visitor who comes back
	// later gets the new version. Here, later is now.
	if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	b.reload()
	b.waitFor("the banner again", jsFirstLayer)
	if !eval[bool](b, `charte.decision() === null`) {
		t.Errorf("charte.decision() = %s under a new charter, want null", eval[string](b, `JSON.stringify(charte.decision())`))
	}
	checkNothingRan(t, b)

	b.click("Accept all", jsAction("accept-all"))
	rec := checkRecord(t, s, b.recordedID(first), charte.MethodAcceptAll, grantAll)
	if rec.CharterVersion != next.Version || rec.PreviousID != first {
		t.Errorf("new decision: version %s, previous %s; want %s, %s", rec.CharterVersion, rec.PreviousID, next.Version, first)
	}
}

func testExpiry(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.click("Accept all", jsAction("accept-all"))
	b.recordedID("")
	waitRan(b, 3)

	// The same decision, but its expiry (the 7th field) passed an hour ago;
	// the cookie itself is still there.
	v := eval[string](b, `(() => {
  const f = document.cookie.match(/(?:^|; )cookies_preferences=([^;]*)/)[1].split('.'), now = (Date.now() / 1e3) | 0;
  f[5] = now - 7200;
  f[6] = now - 3600;
  document.cookie = 'cookies_preferences=' + f.join('.') + '; path=/; max-age=3600; SameSite=Lax';
  return f.join('.');
})()`)
	if d, err := consent.ParseCookie(v); err != nil || d.Valid(s.charter.Version, time.Now()) {
		t.Fatalf("rewritten cookie %q: %+v, %v; want a well-formed, expired decision", v, d, err)
	}
	b.reload()
	b.waitFor("the banner again", jsFirstLayer)
	if !eval[bool](b, `charte.decision() === null`) {
		t.Errorf("charte.decision() = %s for an expired decision, want null", eval[string](b, `JSON.stringify(charte.decision())`))
	}
	checkNothingRan(t, b)
}

func testGPC(t *testing.T, s *shop, b *tab) {
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});`,
	}); err != nil {
		t.Fatal(err)
	}
	b.open(s.page + "/")
	id := b.recordedID("")
	checkRecord(t, s, id, charte.MethodGPC, grantNone)
	if eval[bool](b, `!!`+jsFirstLayer) || eval[bool](b, `!!`+jsCenter) {
		t.Errorf("banner shown to a visitor who sends GPC")
	}
	checkNothingRan(t, b)
	if _, d := prefCookie(t, s, b); d.Method != "gpc" || !slices.Equal(d.Granted, []string{"necessary"}) {
		t.Errorf("cookie = %+v, want gpc, only necessary", d)
	}

	// The visitor can still opt in, from the page's own control.
	b.click("the page's cookie settings button", `document.querySelector('#prefs')`)
	b.waitFor("the preference center", jsCenter)
	b.click("the statistics switch", jsSwitch("statistics"))
	b.waitFor("the statistics switch to be on", jsSwitch("statistics")+`.checked`)
	b.click("Save", jsAction("save"))
	checkRecord(t, s, b.recordedID(id), charte.MethodCustom, grantStats)
	if got := waitRan(b, 2); !slices.Equal(got, []string{"stats", "inline"}) {
		t.Errorf("blocked scripts ran: %q, want [stats inline]", got)
	}
}

func testPlaceholder(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.waitFor("the banner", jsFirstLayer)
	label := eval[string](b, jsGrant+`.textContent`)
	if !strings.Contains(strings.ToLower(label), "marketing") {
		t.Errorf("placeholder button says %q, want it to name the marketing category", label)
	}
	b.click("the placeholder's button", jsGrant)
	checkRecord(t, s, b.recordedID(""), charte.MethodCustom, grantAds)
	waitIframe(b)
	if got := waitRan(b, 1); !slices.Equal(got, []string{"ads"}) {
		t.Errorf("blocked scripts ran: %q, want [ads]", got)
	}
	if n := eval[int](b, jsBlocked); n != 2 {
		t.Errorf("%d blocked scripts wait, want 2 (statistics)", n)
	}
	if eval[bool](b, `!!`+jsFirstLayer) {
		t.Errorf("banner still shown after a choice in a placeholder")
	}
}

// tabTo presses Tab until jsFocus says want, at most n times.
func tabTo(t *testing.T, b *tab, want string, n int, opts ...chromedp.KeyOption) {
	t.Helper()
	var seen []string
	for range n {
		got := eval[string](b, jsFocus)
		if got == want {
			return
		}
		seen = append(seen, got)
		b.key(kb.Tab, opts...)
	}
	if got := eval[string](b, jsFocus); got != want {
		t.Fatalf("focus went %q then %q, never %q", seen, got, want)
	}
}

func testKeyboard(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/")
	b.waitFor("the banner", jsFirstLayer)
	// No focus is moved on page load: the banner is first in the tab
	// order instead, its first control reject all.
	if got := eval[string](b, jsFocus); got != "BODY" {
		t.Errorf("focus after the banner shows = %q, want BODY (the page's)", got)
	}
	// The policy link in the text, then reject all: the banner's controls
	// come before the page's.
	tabTo(t, b, "root:reject-all", 2)
	b.key(kb.Enter)
	checkRecord(t, s, b.recordedID(""), charte.MethodRejectAll, grantNone)
	checkNothingRan(t, b)

	// The page's own control opens the center; it is modal; Escape closes
	// it and gives focus back.
	tabTo(t, b, "prefs", 8)
	b.key(kb.Enter)
	b.waitFor("the preference center", jsCenter)
	if got := pollUntil[string](b, "focus in the center", `(f => f.startsWith('root:') && f)(`+jsFocus+`)`); got != "root:close" {
		t.Errorf("focus in the center = %q, want root:close", got)
	}
	b.key(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	if got := eval[string](b, jsFocus); got != "root:save" {
		t.Errorf("Shift+Tab from the center's first control: focus = %q, want root:save (Tab cycles inside)", got)
	}
	b.key(kb.Escape)
	b.waitFor("the center to close", `!`+jsCenter)
	if got := eval[string](b, jsFocus); got != "prefs" {
		t.Errorf("focus after Escape = %q, want prefs (the control that opened the center)", got)
	}
	if n := len(s.records()); n != 1 {
		t.Errorf("%d decisions recorded, want 1: Escape decides nothing", n)
	}
}

func testAPIDown(t *testing.T, s *shop, b *tab) {
	// The failed requests to the API are expected errors.
	b.allow = func(p string) bool { return strings.Contains(p, s.charte+"/api/v1/consents") }
	// Count the settled fetches of the page, to know when the first one failed.
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `{ const f = window.fetch; window.fetch = (...a) => { const p = f(...a); p.finally(() => window.settled = (window.settled || 0) + 1).catch(() => {}); return p; }; }`,
	}); err != nil {
		t.Fatal(err)
	}
	b.open(s.page + "/")
	b.waitFor("the banner", jsFirstLayer)
	s.down.Store(true)
	b.click("Reject all", jsAction("reject-all"))
	b.waitFor("the failed request", `window.settled >= 1`)
	if s.dropped.Load() == 0 {
		t.Fatalf("the page sent no request to the API")
	}

	// The choice applies locally, waiting to be sent.
	if _, d := prefCookie(t, s, b); d.ID != "" || d.Method != "reject_all" || !slices.Equal(d.Granted, []string{"necessary"}) {
		t.Errorf("cookie while the API is down = %+v, want no id, reject_all, only necessary", d)
	}
	var pending struct {
		Site    string          `json:"site"`
		Version string          `json:"charter_version"`
		Method  string          `json:"method"`
		Choices map[string]bool `json:"choices"`
	}
	if err := json.Unmarshal([]byte(eval[string](b, `localStorage.getItem('charte:pending') ?? ''`)), &pending); err != nil {
		t.Fatalf("charte:pending: %v", err)
	}
	if pending.Site != "shop" || pending.Version != s.charter.Version || pending.Method != "reject_all" || !cmp.Equal(pending.Choices, grantNone) {
		t.Errorf("charte:pending = %+v, want the reject_all decision", pending)
	}
	if eval[bool](b, `!!`+jsFirstLayer) {
		t.Errorf("banner still shown while the API is down")
	}
	checkNothingRan(t, b)
	if n := len(s.records()); n != 0 {
		t.Fatalf("%d decisions recorded while the API was down", n)
	}

	// The API is back: the next page view sends the decision.
	s.down.Store(false)
	b.reload()
	id := b.recordedID("")
	checkRecord(t, s, id, charte.MethodRejectAll, grantNone)
	if eval[bool](b, `!!`+jsFirstLayer) {
		t.Errorf("banner shown again on the next page view")
	}
	b.waitFor("charte:pending to be cleared", `localStorage.getItem('charte:pending') === null`)
	if n := len(s.records()); n != 1 {
		t.Errorf("%d decisions recorded, want 1", n)
	}
	if _, d := prefCookie(t, s, b); d.ID != id {
		t.Errorf("cookie id = %q after the API answered, want %q", d.ID, id)
	}
}

func testLanguage(t *testing.T, s *shop, b *tab) {
	b.open(s.page + "/fr")
	b.waitFor("the banner", jsFirstLayer)
	if got, want := eval[string](b, jsAction("accept-all")+`.textContent`), bannerUI["fr"].AcceptAll; got != want {
		t.Errorf("accept button on a French page = %q, want %q", got, want)
	}
	if n := eval[int](b, `document.querySelectorAll('#charte-root').length`); n != 1 {
		t.Errorf("%d banner roots, want 1", n)
	}
	srcs := eval[[]string](b, `[...document.scripts].map((s) => s.src).filter((s) => s.includes('/charte.js'))`)
	if len(srcs) != 2 || !strings.HasSuffix(srcs[1], "/sites/shop/charte.js?lang=fr") {
		t.Errorf("banner scripts = %q, want the page's and its ?lang=fr reload", srcs)
	}
	b.click("Tout refuser", jsAction("reject-all"))
	checkRecord(t, s, b.recordedID(""), charte.MethodRejectAll, grantNone)
}

// testAxe scans the page with axe-core, which sees into open shadow roots,
// with the banner, the preference center, and after a choice.
func testAxe(t *testing.T, s *shop, b *tab) {
	src := mustAxe(t)
	b.open(s.page + "/")
	b.waitFor("the banner", jsFirstLayer)
	bugs := axeScan(t, b, src, "with the banner")
	b.click("Customise", jsAction("customize"))
	b.waitFor("the preference center", jsCenter)
	bugs = append(bugs, axeScan(t, b, src, "with the preference center")...)
	b.click("Reject all", jsAction("reject-all"))
	b.recordedID("")
	bugs = append(bugs, axeScan(t, b, src, "after a choice")...)
	if len(bugs) > 0 {
		t.Errorf("accessibility: %s", strings.Join(bugs, "; "))
	}
}

// axeKnownBugs are violations found and reported, not fixed yet, by rule
// and the target axe names: they skip the scan rather than fail it, until
// they are gone.
var axeKnownBugs = map[string]string{}

// mustAxe returns the source of axe.min.js, whose path is in
// CHARTE_TEST_AXE; it skips the test without it, unless the browser tests
// are required. axe-core is never committed: .ci/run installs it.
func mustAxe(t *testing.T) []byte {
	t.Helper()
	path := os.Getenv("CHARTE_TEST_AXE")
	if path == "" {
		if requireBrowser() {
			t.Fatal("CHARTE_TEST_REQUIRE_BROWSER is set but CHARTE_TEST_AXE (the path of axe-core's axe.min.js) is not")
		}
		t.Skip("set CHARTE_TEST_AXE to axe-core's axe.min.js (npm install axe-core@4) to run the accessibility scan")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("CHARTE_TEST_AXE: %v", err)
	}
	return src
}

// axeScan injects axe-core through CDP (which the page's CSP does not
// govern) and fails on any serious or critical violation, except known
// bugs, which it returns.
func axeScan(t *testing.T, b *tab, src []byte, state string) (bugs []string) {
	t.Helper()
	if !eval[bool](b, `!!window.axe`) {
		eval[chromedp.Void](b, string(src))
	}
	type violation struct {
		Rule   string     `json:"rule"`
		Target [][]string `json:"target"`
		Text   string     `json:"text"`
	}
	type result struct {
		Serious []violation `json:"serious"`
		Minor   []string    `json:"minor"`
		Passes  int         `json:"passes"`
		Version string      `json:"version"`
	}
	r := eval[result](b, `axe.run(document, {resultTypes: ['violations']}).then((r) => {
  const say = (v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map((n) => JSON.stringify(n.target) + ' ' + (n.failureSummary || '')).join('; ');
  return {
    serious: r.violations.filter((v) => v.impact == 'serious' || v.impact == 'critical')
      .flatMap((v) => v.nodes.map((n) => ({rule: v.id, target: n.target.map((t) => [].concat(t)), text: v.id + ' (' + v.impact + '): ' + v.help + ' at ' + JSON.stringify(n.target) + ' ' + n.failureSummary}))),
    minor: r.violations.filter((v) => v.impact != 'serious' && v.impact != 'critical').map(say),
    passes: r.passes.length,
    version: axe.version,
  };
})`)
	if r.Passes == 0 {
		t.Errorf("axe %s: no rule passed; did it scan anything?", state)
	}
	for _, v := range r.Serious {
		var target []string
		for _, tg := range v.Target {
			target = append(target, tg...)
		}
		key, _ := json.Marshal(target)
		if bug, ok := axeKnownBugs[v.Rule+" "+string(key)]; ok {
			t.Logf("axe %s %s: known bug: %s", r.Version, state, v.Text)
			bugs = append(bugs, bug+" ("+state+")")
			continue
		}
		t.Errorf("axe %s %s: %s", r.Version, state, v.Text)
	}
	for _, v := range r.Minor {
		t.Logf("axe %s %s (not serious): %s", r.Version, state, v)
	}
	return bugs
}
