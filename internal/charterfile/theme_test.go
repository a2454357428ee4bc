package charterfile

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// TestParseTheme checks the banner's layout, position and theme keys: the
// problems of the file and those of charte.Charter.Check, at FILE:LINE:COL.
func TestParseTheme(t *testing.T) {
	base := []string{siteLine, categoriesLine, cookiesLine}
	tests := []struct {
		name string
		in   []string // after base: line 4 is the first
		want []string
	}{
		{name: "valid", in: []string{"options: {layout: bar, position: top}", `theme: {preset: dsfr, accent: "#000091", radius: 0, font: "Marianne, 'Fira Sans', sans-serif", dark: {text: "#fff"}}`}},
		{
			name: "unknown keys",
			in:   []string{"options: {layuot: bar}", "theme: {accnt: x, dark: {backgroud: x, radius: 2}}"},
			want: []string{
				`4:11: unknown key "layuot" in options; did you mean "layout"?`,
				`5:9: unknown key "accnt" in theme; did you mean "accent"?`,
				`5:26: unknown key "backgroud" in theme.dark; did you mean "background"?`,
				`5:40: unknown key "radius" in theme.dark: use accent, accent_text, background or text`,
			},
		},
		{
			name: "unknown layout, position and preset",
			in:   []string{"options:", "  layout: boxx", "  position: botom", "theme:", "  preset: dsf"},
			want: []string{
				`5:11: unknown layout "boxx"; did you mean box?`,
				`6:13: unknown position "botom"; did you mean bottom?`,
				`8:11: unknown preset "dsf"; did you mean dsfr?`,
			},
		},
		{
			name: "bar at a side",
			in:   []string{"options: {layout: bar, position: bottom-right}"},
			want: []string{`4:34: position bottom-right does not fit layout bar, which spans the whole width: write position: bottom or position: top, or use layout: box`},
		},
		{
			name: "unquoted colour is a comment",
			in:   []string{"theme:", "  accent: #000091"},
			want: []string{`5:3: accent is empty: write accent: "#000091", in quotes, since # begins a comment in YAML`},
		},
		{
			name: "colour not #rgb or #rrggbb",
			in:   []string{"theme:", "  text: navy", "  dark:", "    accent: \"#12345\""},
			want: []string{
				`5:9: text "navy" is not a colour charte reads: write it #rgb or #rrggbb, as in text: "#000091"`,
				`7:13: accent "#12345" is not a colour charte reads: write it #rgb or #rrggbb, as in accent: "#000091"`,
			},
		},
		{
			name: "radius",
			in:   []string{"theme: {radius: 8px}"},
			want: []string{`4:17: radius must be a whole number of pixels, not "8px": write radius: 8, without a unit`},
		},
		{
			name: "radius out of range",
			in:   []string{"theme: {radius: 30}"},
			want: []string{`4:17: radius 30 is out of range: write a number of pixels from 0 (square corners) to 24, as in radius: 8`},
		},
		{
			name: "font that would end the CSS",
			in:   []string{`theme: {font: "a}b"}`},
			want: []string{`4:15: font "a}b" contains '}': a font list may hold only letters, digits, spaces, commas, hyphens and quotes, as in font: "Marianne, system-ui, sans-serif"`},
		},
		{
			name: "theme and dark not mappings",
			in:   []string{"theme: dsfr"},
			want: []string{`4:8: theme must be a mapping, not "dsfr": write theme: {preset: dsfr}, or theme: {accent: "#000091", …}`},
		},
		{
			name: "dark not a mapping",
			in:   []string{"theme: {dark: [x]}"},
			want: []string{`4:15: dark must be a mapping of colours, not a list: write dark: {accent: "#8585f6", accent_text: "#000091", background: "#1e1e1e", text: "#cecece"}`},
		},
		{
			name: "contrast under AA, at the key that set it",
			in: []string{
				"theme:",
				`  accent: "#7f7fff"`,
				`  accent_text: "#000"`,
				"  dark:",
				`    background: "#eee"`,
			},
			want: []string{
				`5:11: accent #7f7fff on background #fff has a contrast of 3.29:1, under the 4.5:1 WCAG 2.2 AA asks for links: darken it`,
				`8:17: in dark mode, accent #abf on background #eee has a contrast of 1.6:1, under the 3:1 WCAG 2.2 AA asks for the switch and the focus ring: darken background`,
				`8:17: in dark mode, text #eee on background #eee has a contrast of 1:1, under the 4.5:1 WCAG 2.2 AA asks for text: darken background`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := doc(append(append([]string(nil), base...), tc.in...)...)
			if tc.want == nil {
				MustParse(t, "c.yaml", in)
				return
			}
			checkProblems(t, problemsOf(t, in), tc.want)
		})
	}
}

func TestParseThemeValues(t *testing.T) {
	in := doc(siteLine, categoriesLine, cookiesLine,
		"options: {layout: cloud, position: middle}",
		"theme:",
		"  preset: dsfr",
		`  background: "#FFFDF8"`,
		"  radius: 4",
		"  font: Luciole, sans-serif",
		"  dark:",
		`    accent: "#9cf"`,
	)
	ch := MustParse(t, "c.yaml", in)
	four := 4
	want := charte.Theme{Preset: "dsfr", Background: "#FFFDF8", Radius: &four, Font: "Luciole, sans-serif", Dark: &charte.Colors{Accent: "#9cf"}}
	if diff := cmp.Diff(want, ch.Theme); diff != "" {
		t.Errorf("Parse() theme mismatch (-want +got):\n%s", diff)
	}
	if ch.Options.Layout != charte.LayoutCloud || ch.Options.Position != charte.PositionMiddle {
		t.Errorf("Parse() options = %+v, want a cloud in the middle", ch.Options)
	}
}
