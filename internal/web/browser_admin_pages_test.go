package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
)

// adminViewports are the screens every back-office page must hold at:
// the smallest phone, a common phone, a laptop.
var adminViewports = []struct {
	width, height int64
}{
	{320, 640},
	{390, 844},
	{1280, 800},
}

// TestBrowserAdminPages opens every page of the back office (sign-in,
// dashboard, receipts list, a receipt, charters, a diff, an error page)
// in real Chromium at 320×640, 390×844 and 1280×800, light and dark: no
// page scrolls sideways, and axe-core finds no violation at 390 and 1280
// px. With CHARTE_TEST_SHOTS set to a directory, it saves a screenshot of
// each page there.
func TestBrowserAdminPages(t *testing.T) {
	browser := MustBrowser(t)
	axe := mustAxe(t)
	e := MustAdminEnv(t)
	ids := mustSeedAdmin(t, e)
	shots := os.Getenv("CHARTE_TEST_SHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	anon := newTab(t, browser)
	b := newTab(t, browser)
	// The bad filter and the error page answer 400, as they should.
	b.allow = func(msg string) bool { return strings.Contains(msg, "status of 400") }
	b.do("open the sign-in page", chromedp.Navigate(e.srv.URL+"/admin/login"))
	waitAcrossNavigation(b, "the sign-in form", `!!document.querySelector('#username')`)
	b.do("sign in",
		chromedp.SendKeys(chromedp.CSS("#username"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), adminPassword),
	)
	b.click("the sign-in button", `document.querySelector('main button[type=submit]')`)
	waitAcrossNavigation(b, "the dashboard", `location.pathname === '/admin/' && !!document.querySelector('h1')`)

	def := charterfile.Default()
	pages := []struct {
		name, path string
		tab        *tab
		// ready is true once the page shows what it should.
		ready string
	}{
		{"signin", "/admin/login", anon, `!!document.querySelector('#username')`},
		{"dashboard", "/admin/?days=30", b, `!!document.querySelector('svg.chart') && document.querySelectorAll('table').length >= 2`},
		{"receipts", "/admin/receipts", b, `document.querySelectorAll('table.receipts tbody tr').length === 25 && !!document.querySelector('.pager a[rel=next]')`},
		{"receipts-filtered", "/admin/receipts?method=custom&from=2000-01-01", b, `document.querySelectorAll('table.receipts tbody tr').length > 0`},
		{"receipts-bad-filter", "/admin/receipts?from=yesterday", b, `!!document.querySelector('.alert.error')`},
		{"receipt", "/admin/receipts?id=" + ids[0], b, `!!document.querySelector('.seen')`},
		{"charters", "/admin/charters", b, `!!document.querySelector('table caption')`},
		{"diff", "/admin/charters/charte/diff?from=" + def.Version + "&to=v2-test", b, `!!document.querySelector('table.diff')`},
		{"error", "/admin/?days=12", b, `!!document.querySelector('.alert.error')`},
	}
	type run struct {
		width, height int64
		scheme, lang  string
	}
	var runs []run
	for _, vp := range adminViewports {
		for _, scheme := range []string{"light", "dark"} {
			runs = append(runs, run{vp.width, vp.height, scheme, "en"})
		}
	}
	// French words are longer: the narrow screens again, in French.
	runs = append(runs, run{320, 640, "light", "fr"}, run{390, 844, "dark", "fr"})
	for _, rn := range runs {
		for _, tab := range []*tab{anon, b} {
			tab.do("set the viewport and the colour scheme",
				chromedp.EmulateViewport(rn.width, rn.height),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
						Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: rn.scheme}},
					})
					return err
				}),
			)
		}
		for _, pg := range pages {
			state := fmt.Sprintf("%s at %d×%d, %s, %s", pg.name, rn.width, rn.height, rn.scheme, rn.lang)
			sep := "?"
			if strings.Contains(pg.path, "?") {
				sep = "&"
			}
			pg.tab.do("open "+pg.path, chromedp.Navigate(e.srv.URL+pg.path+sep+"lang="+rn.lang))
			waitAcrossNavigation(pg.tab, state, pg.ready+` && document.documentElement.lang === '`+rn.lang+`'`)
			if over := eval[string](pg.tab, jsOverflow); over != "" {
				t.Errorf("%s scrolls sideways: %s", state, over)
			}
			if rn.width >= 390 {
				for _, bug := range axeScan(t, pg.tab, axe, state) {
					t.Errorf("accessibility: %s", bug)
				}
			}
			if shots != "" {
				png, err := chromedp.Run(pg.tab.ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot of %s: %v", state, err)
				}
				name := fmt.Sprintf("admin-%s-%d-%s-%s.png", pg.name, rn.width, rn.scheme, rn.lang)
				if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	// Printed, a receipt keeps its content and drops the controls.
	b.do("print a receipt",
		chromedp.EmulateViewport(800, 1100),
		chromedp.Navigate(e.srv.URL+"/admin/receipts?id="+ids[0]+"&lang=en"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
	)
	waitAcrossNavigation(b, "the receipt", `!!document.querySelector('.seen')`)
	if hidden := eval[string](b, `['.sections', '.tools', 'footer.bottom', '.crumbs'].filter((s) => { const el = document.querySelector(s); return el && getComputedStyle(el).display !== 'none'; }).join(', ')`); hidden != "" {
		t.Errorf("printed, the receipt still shows %s", hidden)
	}
	if !eval[bool](b, `getComputedStyle(document.querySelector('.facts')).display !== 'none' && getComputedStyle(document.querySelector('.seen')).display !== 'none'`) {
		t.Error("printed, the receipt loses its facts or the policy seen")
	}
	if shots != "" {
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, "admin-receipt-print.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// jsOverflow describes what sticks out of the viewport sideways, or is
// "" when the page fits its width.
const jsOverflow = `(() => {
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= w) return '';
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > w + 0.5)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)');
  return 'scrollWidth ' + document.documentElement.scrollWidth + ' > ' + w + ': ' + wide.join(', ');
})()`

// mustSeedAdmin fills the back office of e with what its pages show: 40
// decisions over the last days, every method, and a second version of the
// charter (a cookie that lives longer, one more cookie). It returns the
// decisions' ids, oldest first.
func mustSeedAdmin(t *testing.T, e *adminEnv) []string {
	t.Helper()
	ctx := context.Background()
	def := charterfile.Default()
	methods := charte.Methods()
	now := time.Now().UTC()
	var ds []*charte.Decision
	for i := range 40 {
		created := now.Add(-time.Duration(40-i) * 7 * time.Hour)
		m := methods[i%len(methods)]
		choices := map[string]bool{"necessary": true, "statistics": m == charte.MethodAcceptAll || (m == charte.MethodCustom && i%2 == 0), "marketing": m == charte.MethodAcceptAll}
		ds = append(ds, &charte.Decision{ID: fmt.Sprintf("d%02d-0123456789abcdefghij", i), Site: def.Site.ID, CharterVersion: def.Version, Choices: choices, Method: m, CreatedAt: created, ExpiresAt: created.AddDate(0, 6, 0)})
	}
	recs, err := e.db.AppendDecisions(ctx, ds)
	if err != nil {
		t.Fatalf("append decisions: %v", err)
	}
	v2 := charterfile.Default()
	v2.Version = "v2-test"
	v2.Theme.Preset, v2.Theme.Accent = "dsfr", "#000091"
	for i := range v2.Cookies {
		if v2.Cookies[i].Name == "django_language" {
			v2.Cookies[i].Lifetime = charte.Lifetime{Duration: charte.Duration{N: 13, Unit: charte.UnitMonth}}
			v2.Cookies[i].Category = "statistics"
		}
	}
	body, _ := json.Marshal(v2)
	if err := e.db.SaveCharterVersion(ctx, &charte.CharterVersion{Site: v2.Site.ID, Version: v2.Version, Content: body}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	if !strings.HasPrefix(ids[0], "d00") {
		t.Fatalf("first decision %s", ids[0])
	}
	return ids
}
