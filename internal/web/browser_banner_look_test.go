package web

import (
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
)

// The screens the banner is measured on: the smallest phone the issue
// names, a common phone, a laptop.
var bannerScreens = []struct {
	w, h int64
}{{320, 640}, {390, 844}, {1280, 800}}

// view sets the tab's viewport and colour scheme.
func (b *tab) view(w, h int64, dark bool) {
	b.t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	b.do("set the viewport", chromedp.EmulateViewport(w, h))
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		b.t.Fatalf("emulate %s: %v", scheme, err)
	}
}

// shot saves a screenshot of the viewport as name.png in the directory
// CHARTE_TEST_SHOTS names, if any: to look at, never to compare.
func (b *tab) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("CHARTE_TEST_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// rect is an element's box in CSS pixels.
type rect struct {
	X, Y, W, H float64
	Name       string
}

func (r rect) String() string {
	return fmt.Sprintf("%s %.0f×%.0f at (%.0f, %.0f)", r.Name, r.W, r.H, r.X, r.Y)
}

// jsRects returns the boxes of the elements a selector finds in the
// banner's shadow root, named by their action, class or tag.
func jsRects(sel string) string {
	return `[...` + jsRoot + `.querySelectorAll('` + sel + `')].filter((e) => e.checkVisibility()).map((e) => {
  const r = e.getBoundingClientRect();
  return {X: r.x, Y: r.y, W: r.width, H: r.height, Name: e.dataset.charteAction || e.dataset.charteCategory || e.className || e.tagName};
})`
}

// checkTargets checks that every button and switch in the banner's
// shadow root is at least 24×24 px (WCAG 2.2 2.5.8).
func checkTargets(t *testing.T, b *tab, where string) {
	t.Helper()
	for _, r := range eval[[]rect](b, jsRects("button, input")) {
		if r.W < 24 || r.H < 24 {
			t.Errorf("%s: target %s, want at least 24×24 px", where, r)
		}
	}
}

// checkNoOverflow checks that neither the page nor the banner's element
// that sel finds scrolls sideways.
func checkNoOverflow(t *testing.T, b *tab, where, sel string) {
	t.Helper()
	if got := eval[string](b, `(() => {
  const d = document.documentElement, e = `+jsRoot+`.querySelector('`+sel+`');
  if (d.scrollWidth > innerWidth) return 'the page is ' + d.scrollWidth + ' px wide';
  if (e && e.scrollWidth > e.clientWidth + 1) return e.className + ' scrolls sideways (' + e.scrollWidth + ' > ' + e.clientWidth + ')';
  return '';
})()`); got != "" {
		t.Errorf("%s: %s", where, got)
	}
}

// bannerLayouts are the first layer's layouts and positions, as the
// charter sets them (layout, position in the banner's configuration).
var bannerLayouts = []struct{ layout, position string }{
	{"box", "bottom-right"},
	{"box", "bottom-left"},
	{"box", "bottom"},
	{"box", "top"},
	{"box", "middle"},
	{"bar", "bottom"},
	{"bar", "top"},
	{"cloud", "bottom"},
	{"cloud", "middle"},
}

// TestBrowserBannerLayouts measures the first layer in each layout, on a
// French page (the longer texts), at each screen size, in light and dark
// schemes: its height, its buttons, its targets, no sideways scrolling,
// nothing outside the viewport; and runs axe-core at 390 and 1280 px.
func TestBrowserBannerLayouts(t *testing.T) {
	browser := MustBrowser(t)
	axe := mustAxe(t)
	for _, lay := range bannerLayouts {
		t.Run(lay.layout+"-"+lay.position, func(t *testing.T) {
			s := MustShop(t)
			s.extra.Store(&map[string]any{"layout": lay.layout, "position": lay.position})
			b := newTab(t, browser)
			for _, sc := range bannerScreens {
				for _, dark := range []bool{false, true} {
					where := fmt.Sprintf("%s %s at %d×%d", lay.layout, lay.position, sc.w, sc.h)
					if dark {
						where += " dark"
					}
					b.view(sc.w, sc.h, dark)
					b.open(s.page + "/fr")
					b.waitFor("the banner", jsFirstLayer)
					if !dark {
						checkFirstLayer(t, b, where, float64(sc.w), float64(sc.h))
					}
					b.shot(strings.ReplaceAll(where, " ", "-"))
					if sc.w != 320 {
						for _, bug := range axeScan(t, b, axe, where) {
							t.Errorf("accessibility: %s", bug)
						}
					}
				}
			}
		})
	}
}

// checkFirstLayer measures the first layer on a w×h screen.
func checkFirstLayer(t *testing.T, b *tab, where string, w, h float64) {
	t.Helper()
	card := eval[rect](b, `(() => { const r = `+jsRoot+`.querySelector('[role=dialog]').getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height, Name: 'card'}; })()`)
	if ratio := card.H / h; ratio > 0.30 {
		t.Errorf("%s: the first layer is %.0f px high, %.2f of the screen, want at most 0.30", where, card.H, ratio)
	}
	if card.X < 0 || card.Y < 0 || card.X+card.W > w+0.5 || card.Y+card.H > h+0.5 {
		t.Errorf("%s: the first layer, %s, is not inside the %.0f×%.0f viewport", where, card, w, h)
	}
	buttons := eval[[]rect](b, jsRects(".r button"))
	if len(buttons) != 3 {
		t.Fatalf("%s: first-layer buttons = %v, want 3", where, buttons)
	}
	for _, o := range buttons[1:] {
		if math.Abs(o.W-buttons[0].W) > 1 || math.Abs(o.H-buttons[0].H) > 1 {
			t.Errorf("%s: %s and %s, want the same size", where, buttons[0], o)
		}
	}
	if got := eval[[]string](b, `[...`+jsRoot+`.querySelectorAll('.r button')].map((e) => getComputedStyle(e).fontWeight + ' ' + getComputedStyle(e).fontSize)`); got[0] != got[1] || got[0] != got[2] {
		t.Errorf("%s: button weights and sizes %q, want the same", where, got)
	}
	checkTargets(t, b, where)
	checkNoOverflow(t, b, where, ".b")
}

// openLongest opens, in the preference center, the category whose details
// are the longest, and returns its name.
func openLongest(t *testing.T, b *tab) string {
	t.Helper()
	name := eval[string](b, `(() => {
  const all = [...`+jsRoot+`.querySelectorAll('section')];
  const s = all.reduce((a, c) => (c.textContent.length > a.textContent.length ? c : a));
  s.dataset.longest = '1';
  return s.querySelector('h3').textContent;
})()`)
	b.click("the details of "+name, jsRoot+`.querySelector('section[data-longest] .x')`)
	b.waitFor("the details to open", jsRoot+`.querySelector('section[data-longest] .x').getAttribute('aria-expanded') == 'true' && !`+jsRoot+`.querySelector('section[data-longest] [hidden]')`)
	return name
}

// TestBrowserBannerCenter measures the preference center at each screen
// size, in light and dark schemes, with its longest category open: its
// actions in view, its targets, no sideways scrolling, a modal dialog that
// makes the page inert and still, focus given back to the control that
// opened it; and runs axe-core at 390 and 1280 px.
func TestBrowserBannerCenter(t *testing.T) {
	browser := MustBrowser(t)
	axe := mustAxe(t)
	s := MustShop(t)
	b := newTab(t, browser)
	for _, sc := range bannerScreens {
		for _, dark := range []bool{false, true} {
			where := fmt.Sprintf("center at %d×%d", sc.w, sc.h)
			if dark {
				where += " dark"
			}
			b.view(sc.w, sc.h, dark)
			b.open(s.page + "/fr")
			b.waitFor("the banner", jsFirstLayer)
			// A long page, to see that it does not scroll behind the center.
			eval[chromedp.Void](b, `(() => { const d = document.createElement('div'); d.style.height = '3000px'; document.body.append(d); window.clicks = 0; document.querySelector('#prefs').addEventListener('click', () => clicks++); })()`)
			b.click("the page's cookie settings button", `document.querySelector('#prefs')`)
			b.waitFor("the preference center", jsRoot+`.querySelector('dialog[open]')?.matches(':modal')`)
			clicks := eval[int](b, `clicks`)
			if got := eval[string](b, jsRoot+`.activeElement?.tagName ?? 'none'`); got == "none" {
				t.Errorf("%s: focus is not in the center", where)
			}
			name := openLongest(t, b)
			actions := eval[[]rect](b, jsRects(".ft button"))
			if len(actions) != 3 {
				t.Fatalf("%s: center actions = %v, want 3", where, actions)
			}
			for _, a := range actions {
				if a.Y < 0 || a.Y+a.H > float64(sc.h)+0.5 || a.X < 0 || a.X+a.W > float64(sc.w)+0.5 {
					t.Errorf("%s, %s open: action %s is not in the %d×%d viewport", where, name, a, sc.w, sc.h)
				}
				if !eval[bool](b, `(`+deepHit+`)(`+jsAction(a.Name)+`, `+fmt.Sprint(a.X+a.W/2)+`, `+fmt.Sprint(a.Y+a.H/2)+`)`) {
					t.Errorf("%s, %s open: action %s is covered", where, name, a)
				}
			}
			if got := eval[[]string](b, `[...`+jsRoot+`.querySelectorAll('.ft button')].map((e) => e.dataset.charteAction)`); strings.Join(got, " ") != "reject-all accept-all save" {
				t.Errorf("%s: center actions in the order %q, want reject-all accept-all save, as on the first layer", where, got)
			}
			checkTargets(t, b, where)
			checkNoOverflow(t, b, where, "dialog")
			checkNoOverflow(t, b, where, ".bd")
			if !dark {
				checkInert(t, b, where, clicks)
			}
			b.shot(strings.ReplaceAll(where, " ", "-"))
			if sc.w != 320 {
				for _, bug := range axeScan(t, b, axe, where) {
					t.Errorf("accessibility: %s", bug)
				}
			}
			b.key(kb.Escape)
			b.waitFor("the center to close", `!`+jsRoot+`.querySelector('dialog')`)
			if got := eval[string](b, jsFocus); got != "prefs" {
				t.Errorf("%s: focus after Escape = %q, want prefs, the control that opened the center", where, got)
			}
			if got := eval[string](b, `getComputedStyle(document.documentElement).overflowY`); got == "hidden" {
				t.Errorf("%s: the page still cannot scroll after the center closed", where)
			}
		}
	}
	// Opened from the first layer, the center gives focus back to it.
	b.view(390, 844, false)
	b.click("Customise", jsAction("customize"))
	b.waitFor("the preference center", jsRoot+`.querySelector('dialog[open]')`)
	b.key(kb.Escape)
	b.waitFor("the first layer again", jsFirstLayer)
	if got := eval[string](b, jsFocus); got != "root:customize" {
		t.Errorf("focus after Escape from a center opened by Customise = %q, want root:customize", got)
	}
}

// checkInert checks, with the center open, that the page behind takes no
// click, no focus and no scroll.
func checkInert(t *testing.T, b *tab, where string, clicks int) {
	t.Helper()
	pt := eval[[]float64](b, `(() => { const r = document.querySelector('#prefs').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
	b.do("click the page behind", chromedp.MouseClickXY(pt[0], pt[1]))
	if got := eval[int](b, `clicks`); got != clicks {
		t.Errorf("%s: a click on the page's button behind the center reached it", where)
	}
	if eval[bool](b, `(document.querySelector('#prefs').focus(), document.activeElement?.id == 'prefs')`) {
		t.Errorf("%s: the page's button behind the center takes focus", where)
	}
	if !eval[bool](b, `!!`+jsRoot+`.querySelector('dialog[open]')`) {
		t.Fatalf("%s: the center closed on a click outside it", where)
	}
	b.do("scroll the page behind", chromedp.MouseEvent(chromedp.MouseWheel, pt[0], pt[1], func(p *input.DispatchMouseEventParams) { p.DeltaX, p.DeltaY = 1, 800 }))
	if got := eval[float64](b, `scrollY`); got != 0 {
		t.Errorf("%s: the page behind the center scrolled to %.0f", where, got)
	}
}

// TestBrowserBannerDSFR shows the banner with the dsfr preset's theme_css,
// as the server writes it, and checks its colours inside the shadow root,
// light and dark, at 390 and 1280 px, with axe-core.
func TestBrowserBannerDSFR(t *testing.T) {
	browser := MustBrowser(t)
	axe := mustAxe(t)
	s := MustShop(t)
	theme := charte.Theme{Preset: charte.PresetDSFR}
	s.extra.Store(&map[string]any{"theme_css": bannerThemeCSS(theme)})
	look := theme.Resolve()
	b := newTab(t, browser)
	for _, sc := range bannerScreens[1:] {
		for _, dark := range []bool{false, true} {
			where := fmt.Sprintf("dsfr at %d×%d", sc.w, sc.h)
			want := look.Light
			if dark {
				where += " dark"
				want = look.Dark
			}
			b.view(sc.w, sc.h, dark)
			b.open(s.page + "/fr")
			b.waitFor("the banner", jsFirstLayer)
			got := eval[[]string](b, `[getComputedStyle(`+jsAction("accept-all")+`).backgroundColor, getComputedStyle(`+jsAction("accept-all")+`).color, getComputedStyle(`+jsRoot+`.querySelector('.b')).backgroundColor, getComputedStyle(`+jsRoot+`.querySelector('.b')).color, getComputedStyle(`+jsRoot+`.querySelector('.b')).borderTopLeftRadius]`)
			wantList := []string{rgb(t, want.Accent), rgb(t, want.AccentText), rgb(t, want.Background), rgb(t, want.Text), "0px"}
			if strings.Join(got, " ") != strings.Join(wantList, " ") {
				t.Errorf("%s: accept's background and text, the card's background, text and radius = %q, want %q", where, got, wantList)
			}
			b.shot(strings.ReplaceAll(where, " ", "-"))
			for _, bug := range axeScan(t, b, axe, where) {
				t.Errorf("accessibility: %s", bug)
			}
			b.click("Customise", jsAction("customize"))
			b.waitFor("the preference center", jsRoot+`.querySelector('dialog[open]')`)
			b.shot(strings.ReplaceAll(where, " ", "-") + "-center")
			for _, bug := range axeScan(t, b, axe, where+" center") {
				t.Errorf("accessibility: %s", bug)
			}
		}
	}
}

// rgb writes a #hex colour as getComputedStyle does.
func rgb(tb testing.TB, hex string) string {
	tb.Helper()
	c, ok := charte.ParseColor(hex)
	if !ok {
		tb.Fatalf("ParseColor(%q) failed", hex)
	}
	return fmt.Sprintf("rgb(%d, %d, %d)", c.R, c.G, c.B)
}

// TestBrowserBannerTheme sets a theme's custom properties (theme_css) and
// checks that they reach the first layer and the center, in both schemes.
func TestBrowserBannerTheme(t *testing.T) {
	browser := MustBrowser(t)
	s := MustShop(t)
	s.extra.Store(&map[string]any{"theme_css": ":host{--charte-accent:#000091;--charte-accent-text:#fff;--charte-bg:#f6f6f6;--charte-text:#161616;--charte-radius:0px;--charte-font:serif}"})
	b := newTab(t, browser)
	const style = `((e, p) => getComputedStyle(e)[p])`
	for _, dark := range []bool{false, true} {
		b.view(390, 844, dark)
		b.open(s.page + "/fr")
		b.waitFor("the banner", jsFirstLayer)
		checks := []struct{ what, elem, prop, want string }{
			{"accept's background", jsAction("accept-all"), "backgroundColor", "rgb(0, 0, 145)"},
			{"accept's text", jsAction("accept-all"), "color", "rgb(255, 255, 255)"},
			{"customise's text", jsAction("customize"), "color", "rgb(0, 0, 145)"},
			{"the card's background", jsRoot + `.querySelector('.b')`, "backgroundColor", "rgb(246, 246, 246)"},
			{"the card's text", jsRoot + `.querySelector('.b')`, "color", "rgb(22, 22, 22)"},
			{"the card's corners", jsRoot + `.querySelector('.b')`, "borderTopLeftRadius", "0px"},
			{"the font", jsRoot + `.querySelector('h2')`, "fontFamily", "serif"},
		}
		for _, c := range checks {
			if got := eval[string](b, style+`(`+c.elem+`, '`+c.prop+`')`); got != c.want {
				t.Errorf("dark %v: %s = %q, want %q", dark, c.what, got, c.want)
			}
		}
		b.shot(fmt.Sprintf("theme-390-dark-%v", dark))
		b.click("Customise", jsAction("customize"))
		b.waitFor("the preference center", jsRoot+`.querySelector('dialog[open]')`)
		if got := eval[string](b, style+`(`+jsRoot+`.querySelector('dialog'), 'backgroundColor')`); got != "rgb(246, 246, 246)" {
			t.Errorf("dark %v: the center's background = %q, want the theme's", dark, got)
		}
		if got := eval[string](b, style+`(`+jsAction("reject-all")+`, 'backgroundColor')`); got != "rgb(0, 0, 145)" {
			t.Errorf("dark %v: the center's reject all = %q, want the theme's accent", dark, got)
		}
		b.shot(fmt.Sprintf("theme-center-390-dark-%v", dark))
	}
}

// TestBrowserBannerControl checks, on charte's demo page at 390 px, that
// the persistent control is round, named, large enough, and never on the
// iframe placeholder's button, wherever the page is scrolled.
func TestBrowserBannerControl(t *testing.T) {
	browser := MustBrowser(t)
	sites, err := NewSites(charterfile.Default())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(NewServer(Options{Sites: sites}))
	t.Cleanup(ts.Close)
	b := newTab(t, browser)
	b.allow = func(p string) bool {
		// No consent log here, and no icon: expected failures.
		return strings.Contains(p, "/api/v1/consents") || strings.Contains(p, "favicon.ico")
	}
	for _, sc := range bannerScreens {
		b.view(sc.w, sc.h, false)
		b.open(ts.URL + "/demo")
		if eval[bool](b, jsFirstLayer+` != null`) {
			b.click("Reject all", jsAction("reject-all"))
		}
		b.waitFor("the persistent control", jsPersistent)
		where := fmt.Sprintf("demo at %d×%d", sc.w, sc.h)
		ctl := eval[rect](b, `(() => { const e = `+jsPersistent+`, r = e.getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height, Name: e.getAttribute('aria-label') || ''}; })()`)
		if ctl.Name == "" || ctl.W < 24 || ctl.H < 24 || math.Abs(ctl.W-ctl.H) > 0.5 {
			t.Errorf("%s: persistent control %s, want a named square (round) target of 24 px or more", where, ctl)
		}
		if got := eval[string](b, `getComputedStyle(`+jsPersistent+`).borderTopLeftRadius`); got != "50%" && !strings.HasSuffix(got, "px") {
			t.Errorf("%s: control radius %q", where, got)
		}
		b.shot(fmt.Sprintf("control-demo-%dx%d", sc.w, sc.h))
		// Scroll step by step; the placeholder's button must never be under it.
		overlap := eval[string](b, `(async () => {
  const ctl = `+jsPersistent+`.getBoundingClientRect();
  const grant = document.querySelector('[data-charte-placeholder]')?.shadowRoot?.querySelector('button');
  if (!grant) return 'no placeholder button';
  for (let y = 0; y <= document.documentElement.scrollHeight; y += 20) {
    scrollTo(0, y);
    await new Promise(requestAnimationFrame);
    const g = grant.getBoundingClientRect();
    if (g.right > ctl.left && g.left < ctl.right && g.bottom > ctl.top && g.top < ctl.bottom) return 'at scroll ' + y + ' the button ' + JSON.stringify(g) + ' is under the control ' + JSON.stringify(ctl);
  }
  scrollTo(0, 0);
  return '';
})()`)
		if overlap != "" {
			t.Errorf("%s: %s", where, overlap)
		}
	}
}
