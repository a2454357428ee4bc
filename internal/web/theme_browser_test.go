package web

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/charte"
)

// TestBrowserThemeCSS checks, in Chromium, that theme_css gives the
// resolved theme in light and dark mode once a shadow root adopts it after
// a stylesheet carrying the default preset, as the banner's does.
func TestBrowserThemeCSS(t *testing.T) {
	browser := MustBrowser(t)
	b := newTab(t, browser)
	b.do("open a blank page", chromedp.Navigate("about:blank"))
	def, _ := charte.Preset(charte.PresetDefault)
	radius := func(n int) *int { return &n }
	// The default preset's values, light and dark, as the banner's own
	// stylesheet carries them.
	base := ":host{" + themeDecls(def.Light, def.Radius, def.Font) + "}@media(prefers-color-scheme:dark){:host{" + themeDecls(def.Dark, def.Radius, def.Font) + "}}"
	for _, tc := range []struct {
		name  string
		theme charte.Theme
	}{
		{"default", charte.Theme{}},
		{"dsfr", charte.Theme{Preset: charte.PresetDSFR}},
		{"light colours only", charte.Theme{Accent: "#005a9c", Font: `"Fira Sans", sans-serif`}},
		{"dark only", charte.Theme{Radius: radius(0), Dark: &charte.Colors{Background: "#000", Text: "#fff"}}},
		{"dsfr with a light text", charte.Theme{Preset: charte.PresetDSFR, Text: "#333"}},
	} {
		css := bannerThemeCSS(tc.theme)
		look := tc.theme.Resolve()
		for _, scheme := range []string{"light", "dark"} {
			if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			}); err != nil {
				t.Fatal(err)
			}
			want := look.Light
			if scheme == "dark" {
				want = look.Dark
			}
			got := eval[[]string](b, `(() => {
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  const root = host.attachShadow({mode: 'open'});
  const sheets = [`+strconv.Quote(base)+`, `+mustJSON(t, css)+`].map((text) => {
    const s = new CSSStyleSheet();
    s.replaceSync(text);
    return s;
  });
  root.adoptedStyleSheets = sheets;
  const p = document.createElement('p');
  root.append(p);
  const cs = getComputedStyle(p);
  return ['--charte-accent', '--charte-accent-text', '--charte-bg', '--charte-text', '--charte-radius', '--charte-font']
    .map((n) => cs.getPropertyValue(n).trim());
})()`)
			wantList := []string{shortHex(want.Accent), shortHex(want.AccentText), shortHex(want.Background), shortHex(want.Text), strconv.Itoa(look.Radius) + "px", compactFont(look.Font)}
			if len(got) != len(wantList) {
				t.Fatalf("%s, %s: got %v", tc.name, scheme, got)
			}
			for i := range got {
				if got[i] != wantList[i] {
					t.Errorf("%s, %s: computed %v, want %v (theme_css %s)", tc.name, scheme, got, wantList, css)
					break
				}
			}
		}
	}
}

// themeDecls writes a scheme's custom properties as bannerThemeCSS does.
func themeDecls(c charte.Colors, radius int, font string) string {
	return "--charte-accent:" + shortHex(c.Accent) + ";--charte-accent-text:" + shortHex(c.AccentText) + ";--charte-bg:" + shortHex(c.Background) +
		";--charte-text:" + shortHex(c.Text) + ";--charte-radius:" + strconv.Itoa(radius) + "px;--charte-font:" + compactFont(font)
}

// shortHex writes a colour in its shortest form, as bannerThemeCSS does.
func shortHex(s string) string {
	c, _ := charte.ParseColor(s)
	return c.String()
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
