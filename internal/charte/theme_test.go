package charte

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestContrast(t *testing.T) {
	tests := []struct {
		a, b string
		want string
	}{
		{"#000", "#fff", "21:1"},
		{"#fff", "#fff", "1:1"},
		{"#767676", "#fff", "4.54:1"},
		{"#777", "#ffffff", "4.47:1"}, // under 4.5, and never written as 4.5
		{"#7f7fff", "#fff", "3.29:1"},
		{"#000091", "#fff", "14.9:1"},
		{"#FFFFFF", "#000091", "14.9:1"}, // either order, either case
		{"#8585f6", "#1e1e1e", "5.3:1"},
		{"#000091", "#8585f6", "4.74:1"},
		{"#949494", "#fff", "3.03:1"},
	}
	for _, tc := range tests {
		a, okA := ParseColor(tc.a)
		b, okB := ParseColor(tc.b)
		if !okA || !okB {
			t.Fatalf("ParseColor(%q, %q) = %v, %v", tc.a, tc.b, okA, okB)
		}
		if got := FormatRatio(Contrast(a, b)); got != tc.want {
			t.Errorf("Contrast(%s, %s) = %s (%v), want %s", tc.a, tc.b, got, Contrast(a, b), tc.want)
		}
	}
}

func TestParseColor(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for not a colour
	}{
		{"#fff", "#fff"},
		{"#FFFFFF", "#fff"},
		{"#000091", "#000091"},
		{"#1F3A93", "#1f3a93"},
		{"#aabbcc", "#abc"},
		{"fff", ""},
		{"#ffff", ""},
		{"#fffffff", ""},
		{"#ggg", ""},
		{"#-12", ""},
		{"red", ""},
		{"", ""},
		{"#+ffff", ""},
		{"rgb(0,0,0)", ""},
	}
	for _, tc := range tests {
		c, ok := ParseColor(tc.in)
		got := ""
		if ok {
			got = c.String()
		}
		if got != tc.want {
			t.Errorf("ParseColor(%q) = %q, %v, want %q", tc.in, got, ok, tc.want)
		}
	}
}

// TestPresets checks that each preset reaches WCAG 2.2 AA in both schemes:
// a charter that names it alone has no problem.
func TestPresets(t *testing.T) {
	for _, name := range Presets() {
		look, ok := Preset(name)
		if !ok {
			t.Fatalf("Preset(%q) not found", name)
		}
		ch := testCharter()
		ch.Theme.Preset = name
		checkProblems(t, ch.Check(), nil)
		for _, cs := range []Colors{look.Light, look.Dark} {
			for _, v := range []string{cs.Accent, cs.AccentText, cs.Background, cs.Text} {
				if _, ok := ParseColor(v); !ok {
					t.Errorf("preset %s: colour %q does not parse", name, v)
				}
			}
		}
		if look.Light == look.Dark {
			t.Errorf("preset %s has no dark colours of its own", name)
		}
	}
	if _, ok := Preset("material"); ok {
		t.Error(`Preset("material") found`)
	}
}

func TestThemeResolve(t *testing.T) {
	def, _ := Preset(PresetDefault)
	dsfr, _ := Preset(PresetDSFR)
	zero := 0
	tests := []struct {
		name  string
		theme Theme
		want  func() Look
	}{
		{"zero is default", Theme{}, func() Look { return def }},
		{"unknown preset is default", Theme{Preset: "nope"}, func() Look { return def }},
		{"dsfr", Theme{Preset: PresetDSFR}, func() Look { return dsfr }},
		{
			"light colour without dark: light in dark mode too",
			Theme{Preset: PresetDSFR, Accent: "#123456"},
			func() Look {
				l := dsfr
				l.Light.Accent = "#123456"
				l.Dark = l.Light
				return l
			},
		},
		{
			"dark overrides the preset's dark colours only",
			Theme{Accent: "#123456", Dark: &Colors{Background: "#000"}},
			func() Look {
				l := def
				l.Light.Accent = "#123456"
				l.Dark.Background = "#000"
				return l
			},
		},
		{
			"radius 0 and font",
			Theme{Radius: &zero, Font: "Luciole, sans-serif"},
			func() Look {
				l := def
				l.Radius, l.Font = 0, "Luciole, sans-serif"
				return l
			},
		},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want(), tc.theme.Resolve()); diff != "" {
			t.Errorf("%s: Resolve() mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestPlacement(t *testing.T) {
	tests := []struct {
		o        Options
		layout   Layout
		position Position
	}{
		{Options{}, LayoutBox, PositionBottomRight},
		{Options{Layout: LayoutBar}, LayoutBar, PositionBottom},
		{Options{Layout: LayoutCloud}, LayoutCloud, PositionBottom},
		{Options{Position: PositionMiddle}, LayoutBox, PositionMiddle},
		{Options{Layout: LayoutBar, Position: PositionTop}, LayoutBar, PositionTop},
	}
	for _, tc := range tests {
		if l, p := tc.o.Placement(); l != tc.layout || p != tc.position {
			t.Errorf("%+v.Placement() = %s, %s, want %s, %s", tc.o, l, p, tc.layout, tc.position)
		}
	}
}

// TestCheckTheme checks the rules of layout, position and theme: each want
// is "PATH: message", or a prefix of it when it ends with "…".
func TestCheckTheme(t *testing.T) {
	radius := func(n int) *int { return &n }
	tests := []struct {
		name   string
		change func(ch *Charter)
		want   []string
	}{
		{name: "every layout and position", change: func(ch *Charter) { ch.Options.Layout, ch.Options.Position = LayoutCloud, PositionTop }},
		{name: "bar at the top", change: func(ch *Charter) { ch.Options.Layout, ch.Options.Position = LayoutBar, PositionTop }},
		{
			name:   "unknown layout",
			change: func(ch *Charter) { ch.Options.Layout = "clod" },
			want:   []string{`options.layout: unknown layout "clod"; did you mean cloud?`},
		},
		{
			name:   "unknown layout, nothing close",
			change: func(ch *Charter) { ch.Options.Layout = "modal" },
			want:   []string{`options.layout: unknown layout "modal": use box, bar or cloud`},
		},
		{
			name:   "unknown position",
			change: func(ch *Charter) { ch.Options.Position = "bottom-rigth" },
			want:   []string{`options.position: unknown position "bottom-rigth"; did you mean bottom-right?`},
		},
		{
			name:   "bar at a side",
			change: func(ch *Charter) { ch.Options.Layout, ch.Options.Position = LayoutBar, PositionBottomLeft },
			want:   []string{`options.position: position bottom-left does not fit layout bar, which spans the whole width: write position: bottom or position: top, or use layout: box`},
		},
		{
			name:   "bar in the middle",
			change: func(ch *Charter) { ch.Options.Layout, ch.Options.Position = LayoutBar, PositionMiddle },
			want:   []string{`options.position: position middle does not fit layout bar…`},
		},
		{
			name:   "unknown preset",
			change: func(ch *Charter) { ch.Theme.Preset = "dsf" },
			want:   []string{`theme.preset: unknown preset "dsf"; did you mean dsfr?`},
		},
		{
			name: "colours not #rgb or #rrggbb",
			change: func(ch *Charter) {
				ch.Theme.Accent, ch.Theme.Text = "navy", "#12345"
				ch.Theme.Dark = &Colors{Background: "rgb(0,0,0)"}
			},
			want: []string{
				`theme.accent: accent "navy" is not a colour charte reads: write it #rgb or #rrggbb, as in accent: "#000091"`,
				`theme.dark.background: background "rgb(0,0,0)" is not a colour…`,
				`theme.text: text "#12345" is not a colour…`,
			},
		},
		{name: "radius 0 and 24", change: func(ch *Charter) { ch.Theme.Radius = radius(24) }},
		{
			name:   "radius out of range",
			change: func(ch *Charter) { ch.Theme.Radius = radius(25) },
			want:   []string{`theme.radius: radius 25 is out of range: write a number of pixels from 0 (square corners) to 24, as in radius: 8`},
		},
		{
			name:   "negative radius",
			change: func(ch *Charter) { ch.Theme.Radius = radius(-1) },
			want:   []string{`theme.radius: radius -1 is out of range…`},
		},
		{name: "font with quotes and accents", change: func(ch *Charter) { ch.Theme.Font = `"Marianne", 'Fira Sans', Écrite-2, sans-serif` }},
		{
			name:   "font that would end the CSS",
			change: func(ch *Charter) { ch.Theme.Font = `Marianne;}:host{color:red` },
			want:   []string{`theme.font: font "Marianne;}:host{color:red" contains ';': a font list may hold only letters, digits, spaces, commas, hyphens and quotes, as in font: "Marianne, system-ui, sans-serif"`},
		},
		{
			name:   "font with a comment",
			change: func(ch *Charter) { ch.Theme.Font = `Marianne /* x */` },
			want:   []string{`theme.font: font "Marianne /* x */" contains '/'…`},
		},
		{
			name:   "font with an open quote",
			change: func(ch *Charter) { ch.Theme.Font = `"Marianne, sans-serif` },
			want:   []string{`theme.font: font "\"Marianne, sans-serif" has a quote that is not closed: close it, or write the families without quotes`},
		},
		{
			name:   "font with an empty family",
			change: func(ch *Charter) { ch.Theme.Font = `Marianne, , sans-serif` },
			want:   []string{`theme.font: font "Marianne, , sans-serif" names no family between two commas…`},
		},
		{
			name:   "font too long",
			change: func(ch *Charter) { ch.Theme.Font = strings.Repeat("a", MaxFontLen+1) },
			want:   []string{`theme.font: font is 201 bytes long, more than the 200 a font list may have…`},
		},
		{
			name:   "text under 4.5:1",
			change: func(ch *Charter) { ch.Theme.Text = "#777" },
			want:   []string{`theme.text: text #777 on background #fff has a contrast of 4.47:1, under the 4.5:1 WCAG 2.2 AA asks for text: darken it`},
		},
		{
			name:   "text at 4.54:1",
			change: func(ch *Charter) { ch.Theme.Text = "#767676" },
		},
		{
			name:   "background that the preset's text does not reach",
			change: func(ch *Charter) { ch.Theme.Background = "#333" },
			want: []string{
				`theme.background: accent #1f3a93 on background #333 has a contrast of 1.25:1, under the 3:1 WCAG 2.2 AA asks for the switch and the focus ring: lighten background`,
				`theme.background: text #1b1b1b on background #333 has a contrast of 1.36:1, under the 4.5:1 WCAG 2.2 AA asks for text: lighten background`,
			},
		},
		{
			name:   "accent under 3:1 for the switch and the focus ring",
			change: func(ch *Charter) { ch.Theme.Accent, ch.Theme.AccentText = "#aaaaff", "#000" },
			want:   []string{`theme.accent: accent #aaaaff on background #fff has a contrast of 2.12:1, under the 3:1 WCAG 2.2 AA asks for the switch and the focus ring: darken it`},
		},
		{
			name:   "accent under 4.5:1 for links",
			change: func(ch *Charter) { ch.Theme.Accent, ch.Theme.AccentText = "#7f7fff", "#000" },
			want:   []string{`theme.accent: accent #7f7fff on background #fff has a contrast of 3.29:1, under the 4.5:1 WCAG 2.2 AA asks for links: darken it`},
		},
		{
			name:   "accent_text on accent",
			change: func(ch *Charter) { ch.Theme.AccentText = "#767676" },
			want:   []string{`theme.accent_text: accent_text #767676 on accent #1f3a93 has a contrast of 2.21:1, under the 4.5:1 WCAG 2.2 AA asks for the text of buttons: lighten it`},
		},
		{
			name: "dark colours",
			change: func(ch *Charter) {
				ch.Theme.Preset = PresetDSFR
				ch.Theme.Dark = &Colors{Text: "#555"}
			},
			want: []string{`theme.dark.text: in dark mode, text #555 on background #1e1e1e has a contrast of 2.23:1, under the 4.5:1 WCAG 2.2 AA asks for text: lighten it`},
		},
		{
			name: "light colours used in dark mode are checked once",
			change: func(ch *Charter) {
				ch.Theme.Text = "#777"
			},
			want: []string{`theme.text: text #777 on background #fff…`},
		},
		{
			name: "a whole dark theme of the site's",
			change: func(ch *Charter) {
				ch.Theme = Theme{Accent: "#005a9c", AccentText: "#fff", Background: "#fffdf8", Text: "#222", Dark: &Colors{Accent: "#9cf", AccentText: "#000", Background: "#111", Text: "#ddd"}}
			},
		},
		{
			name: "no contrast measured with a colour that is not one",
			change: func(ch *Charter) {
				ch.Theme.Accent, ch.Theme.Text = "#ffff", "#eee"
			},
			want: []string{`theme.accent: accent "#ffff" is not a colour…`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch := testCharter()
			tc.change(ch)
			checkProblems(t, ch.Check(), tc.want)
		})
	}
}
