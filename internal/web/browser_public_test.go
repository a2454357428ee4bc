package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/charterfile"
)

// screen is a viewport the public pages must hold at.
type screen struct {
	name          string
	width, height int64
	// axe says whether axe-core scans the page at this size.
	axe bool
}

// publicScreens are a small phone, a phone and a laptop.
var publicScreens = []screen{
	{name: "320", width: 320, height: 640},
	{name: "390", width: 390, height: 844, axe: true},
	{name: "1280", width: 1280, height: 800, axe: true},
}

// TestBrowserPublicPages opens every public page (home, the policies of
// two sites, the demo, an error page) in both languages at 320×640,
// 390×844 and 1280×800, in the light and the dark scheme, and measures what
// a visitor would notice: the page never scrolls sideways, a cookie's name
// is never broken inside a word on a wide screen, and on a narrow one every
// cookie's cells fit on screen. axe-core reports no violation at 390 and
// 1280 px in either scheme. With CHARTE_TEST_SHOTS=DIR it also writes a
// full-page PNG of each, to look at.
func TestBrowserPublicPages(t *testing.T) {
	browser := MustBrowser(t)
	axeSrc := mustAxe(t)
	shots := os.Getenv("CHARTE_TEST_SHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ts := mustPublicServer(t)

	pages := []struct {
		name, path string
		// banner says the page embeds the banner: the visitor refuses
		// all first, so the page itself is measured, not the banner.
		banner bool
		// policy says the page shows cookie tables.
		policy bool
	}{
		{name: "home", path: "/?lang=fr"},
		{name: "home-en", path: "/?lang=en"},
		{name: "cookies", path: "/cookies?lang=fr", banner: true, policy: true},
		{name: "cookies-en", path: "/cookies?lang=en", banner: true, policy: true},
		{name: "site-cookies", path: "/sites/data-aveyron/cookies", banner: true, policy: true},
		{name: "demo", path: "/demo?lang=fr", banner: true},
		{name: "demo-en", path: "/demo?lang=en", banner: true},
		{name: "404", path: "/no-such-page?lang=fr"},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			b := newTab(t, browser)
			// charte's pages link no icon: the browser's own request for
			// /favicon.ico gets a 404; so does the error page, on purpose.
			b.allow = func(p string) bool { return strings.Contains(p, "404") }
			b.do("open "+pg.path, chromedp.Navigate(ts.URL+pg.path))
			if pg.banner {
				b.waitFor("the banner script to run", `!!window.charte`)
				b.click("Reject all", jsAction("reject-all"))
				b.recordedID("")
			}
			for _, sc := range publicScreens {
				for _, scheme := range []string{"light", "dark"} {
					state := fmt.Sprintf("%s at %d×%d, %s", pg.path, sc.width, sc.height, scheme)
					b.do("resize and set the colour scheme",
						chromedp.EmulateViewport(sc.width, sc.height),
						chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
							_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
								Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
							})
							return err
						}),
					)
					// Two frames: the new size and scheme are laid out.
					eval[chromedp.Void](b, `new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok())))`)
					if got := eval[string](b, `matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'`); got != scheme {
						t.Fatalf("%s: the page sees the %s scheme", state, got)
					}
					checkNoSidewaysScroll(t, b, state)
					if pg.policy {
						checkCookieTables(t, b, state, sc.width)
					}
					if pg.banner && strings.HasPrefix(pg.name, "demo") {
						checkDemoDecision(t, b, state)
					}
					if sc.axe {
						axeNone(t, b, axeSrc, state)
					}
					if shots != "" {
						writeShots(t, b, filepath.Join(shots, fmt.Sprintf("%s-%s-%s", pg.name, sc.name, scheme)), sc.width)
					}
				}
			}
		})
	}
}

// writeShots writes the whole page as PNG files of at most 1600 px high
// each, prefix-1.png, prefix-2.png…, easier to look at than one long image.
func writeShots(t *testing.T, b *tab, prefix string, width int64) {
	t.Helper()
	const slice = 1600
	height := eval[float64](b, `document.documentElement.scrollHeight`)
	for i, y := 1, 0.0; y < height; i, y = i+1, y+slice {
		png, err := chromedp.Call(b.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
			CaptureBeyondViewport: ptr(true),
			Clip:                  &page.Viewport{X: 0, Y: y, Width: float64(width), Height: min(slice, height-y), Scale: 1},
		})
		if err != nil {
			t.Fatalf("screenshot %s: %v", prefix, err)
		}
		if err := os.WriteFile(fmt.Sprintf("%s-%d.png", prefix, i), png.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// axeNone scans the page with axe-core and fails the test on every
// violation, whatever its impact: the public pages have none. The banner's
// known bugs (axeKnownBugs) are its own tests' business: they are logged.
func axeNone(t *testing.T, b *tab, src []byte, state string) {
	t.Helper()
	if !eval[bool](b, `!!window.axe`) {
		eval[chromedp.Void](b, string(src))
	}
	type violation struct {
		Key  string `json:"key"`
		Text string `json:"text"`
	}
	type result struct {
		Violations []violation `json:"violations"`
		Passes     int         `json:"passes"`
	}
	r := eval[result](b, `axe.run(document, {resultTypes: ['violations']}).then((r) => ({
  violations: r.violations.flatMap((v) => v.nodes.map((n) => ({
    key: v.id + ' ' + JSON.stringify(n.target.flatMap((t) => [].concat(t))),
    text: v.id + ' (' + v.impact + '): ' + v.help + ' at ' + JSON.stringify(n.target) + ' ' + n.failureSummary,
  }))),
  passes: r.passes.length,
}))`)
	if r.Passes == 0 {
		t.Errorf("axe %s: no rule passed; did it scan anything?", state)
	}
	for _, v := range r.Violations {
		if bug, ok := axeKnownBugs[v.Key]; ok {
			t.Logf("axe %s: the banner's known bug: %s", state, bug)
			continue
		}
		t.Errorf("axe %s: %s", state, v.Text)
	}
}

// checkNoSidewaysScroll fails the test when the page is wider than the
// viewport, naming the elements that stick out.
func checkNoSidewaysScroll(t *testing.T, b *tab, state string) {
	t.Helper()
	type overflow struct {
		Scroll int      `json:"scroll"`
		Inner  int      `json:"inner"`
		Wide   []string `json:"wide"`
	}
	got := eval[overflow](b, `(() => {
  const inner = innerWidth, wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > inner + 0.5 || r.left < -0.5) && !e.closest('[hidden], .skip')) wide.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(r.left) + '…' + Math.round(r.right));
  }
  return {scroll: document.documentElement.scrollWidth, inner, wide: wide.slice(0, 5)};
})()`)
	if got.Scroll > got.Inner {
		t.Errorf("%s: the page is %d px wide in a %d px viewport (it scrolls sideways); sticking out: %q", state, got.Scroll, got.Inner, got.Wide)
	}
}

// checkCookieTables checks the policy's cookie tables: at 1280 px each
// cookie's name is on one line; on a narrow screen every cell is inside
// the viewport and its text inside the cell.
func checkCookieTables(t *testing.T, b *tab, state string, width int64) {
	t.Helper()
	if n := eval[int](b, `document.querySelectorAll('.charte-cookies th[scope=row] code').length`); n == 0 {
		t.Fatalf("%s: no cookie names in the policy's tables", state)
	}
	if width >= 1280 {
		broken := eval[[]string](b, `[...document.querySelectorAll('.charte-cookies th[scope=row] code')]
  .filter((c) => c.getClientRects().length > 1).map((c) => c.textContent)`)
		if len(broken) > 0 {
			t.Errorf("%s: cookie names broken across lines: %q", state, broken)
		}
		return
	}
	cut := eval[[]string](b, `[...document.querySelectorAll('.charte-cookies td, .charte-cookies th[scope=row]')]
  .filter((c) => { const r = c.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth || c.scrollWidth > c.clientWidth + 1; })
  .map((c) => c.textContent.slice(0, 40))`)
	if len(cut) > 0 {
		t.Errorf("%s: cookie cells cut off: %q", state, cut)
	}
	if w := eval[float64](b, `document.querySelector('.charte-cookies tr:has(td)').getBoundingClientRect().width`); w > float64(width) {
		t.Errorf("%s: a cookie's card is %.0f px wide, more than the screen", state, w)
	}
}

// checkDemoDecision checks that the demo page says the visitor's choice in
// words in its language: "You refused all on 1 Dec 2026 at 14:03.",
// "Vous avez tout refusé le 1 déc. 2026 à 14 h 03.", the
// categories allowed by name and the receipt's id, labelled.
func checkDemoDecision(t *testing.T, b *tab, state string) {
	t.Helper()
	lang := eval[string](b, `document.documentElement.lang`)
	got := pollUntil[[]string](b, "the decision's receipt id", `(() => {
  const ps = [...document.querySelectorAll('#demo-decision p')].map((p) => p.textContent);
  return ps.length == 3 && !ps[2].includes('…') ? ps : null;
})()`)
	now := time.Now()
	months := map[string][]string{
		"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"},
	}
	date := fmt.Sprintf("%d %s %d", now.Day(), months[lang][now.Month()-1], now.Year())
	wantStart := map[string]string{"fr": "Vous avez tout refusé le " + date + " à ", "en": "You refused all on " + date + " at "}[lang]
	wantGranted := map[string]string{"fr": "Catégories autorisées\u00a0: Cookies nécessaires.", "en": "Categories allowed: Necessary cookies."}[lang]
	wantReceipt := map[string]string{"fr": "Identifiant de la preuve\u00a0: ", "en": "Receipt id: "}[lang]
	if !strings.HasPrefix(got[0], wantStart) || !strings.HasSuffix(got[0], ".") {
		t.Errorf("%s: the demo says %q, want it to start with %q", state, got[0], wantStart)
	}
	if got[1] != wantGranted {
		t.Errorf("%s: the demo says %q, want %q", state, got[1], wantGranted)
	}
	if !strings.HasPrefix(got[2], wantReceipt) || len(got[2]) < len(wantReceipt)+10 {
		t.Errorf("%s: the demo says %q, want the receipt's id after %q", state, got[2], wantReceipt)
	}
}

// mustPublicServer serves the built-in charter and the example charter of
// data-aveyron, with a consent log and a back office (so that the home page
// links to it).
func mustPublicServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	db, gc := mustConsentLog(t)
	example, err := charterfile.Load("../../examples/data-aveyron-occitanie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sites, err := NewSites(charterfile.Default(), example)
	if err != nil {
		t.Fatal(err)
	}
	key, err := db.FindOrCreateSecret(ctx, "csrf")
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(Options{Sites: sites, Recorder: gc, Log: db, Admin: &AdminOptions{Users: db, Sessions: db, Stats: db, Charters: db, CSRFKey: key}})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}
