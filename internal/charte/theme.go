package charte

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Layout is the shape of the banner's first layer.
type Layout string

// The banner's layouts. "" in a charter is [LayoutBox].
const (
	// LayoutBox is a card in a corner or at the middle of the screen.
	LayoutBox Layout = "box"
	// LayoutBar is a band across the whole width, at the top or bottom.
	LayoutBar Layout = "bar"
	// LayoutCloud is a wide card floating near an edge, its actions beside
	// the text on a large screen.
	LayoutCloud Layout = "cloud"
)

// Layouts are the banner's layouts, in the order documents list them.
func Layouts() []string { return []string{string(LayoutBox), string(LayoutBar), string(LayoutCloud)} }

// Position is where on the screen the banner's first layer sits.
type Position string

// The banner's positions. "" in a charter is the layout's default (see
// [Options.Placement]).
const (
	PositionBottom      Position = "bottom"
	PositionBottomLeft  Position = "bottom-left"
	PositionBottomRight Position = "bottom-right"
	PositionTop         Position = "top"
	PositionMiddle      Position = "middle"
)

// Positions are the banner's positions, in the order documents list them.
func Positions() []string {
	return []string{string(PositionBottom), string(PositionBottomLeft), string(PositionBottomRight), string(PositionTop), string(PositionMiddle)}
}

// Placement returns the banner's layout and position with their defaults:
// a box at the bottom right, a bar or a cloud at the bottom. Values that
// [Charter.Check] refuses are returned as they are.
func (o Options) Placement() (Layout, Position) {
	l, p := o.Layout, o.Position
	if l == "" {
		l = LayoutBox
	}
	if p == "" {
		p = PositionBottom
		if l == LayoutBox {
			p = PositionBottomRight
		}
	}
	return l, p
}

// Theme is the banner's look as a charter gives it: a preset, and the
// values of it that the site overrides. Empty fields are the preset's.
type Theme struct {
	// Preset names the built-in look the theme starts from: "default" (or
	// "") or "dsfr" (see [Presets]).
	Preset string `json:"preset,omitempty"`
	// Accent colours the buttons, the track of a switch that is on, the
	// focus ring and links. Colours are written #rgb or #rrggbb.
	Accent string `json:"accent,omitempty"`
	// AccentText is the colour of text on accent buttons.
	AccentText string `json:"accent_text,omitempty"`
	// Background is the banner's background colour.
	Background string `json:"background,omitempty"`
	// Text is the colour of the banner's text.
	Text string `json:"text,omitempty"`
	// Radius is the corners' radius in CSS pixels, 0 to [MaxRadius]; nil is
	// the preset's.
	Radius *int `json:"radius,omitempty"`
	// Font is a CSS font-family list, as in Marianne, system-ui, sans-serif.
	Font string `json:"font,omitempty"`
	// Dark overrides the preset's colours in dark mode. When it is nil and
	// the theme gives any light colour, dark mode uses the light colours:
	// the site's own look wins over the preset's dark one.
	Dark *Colors `json:"dark,omitempty"`
}

// Colors are the four colours of a theme in one colour scheme. In a
// [Theme], empty fields are the preset's.
type Colors struct {
	Accent     string `json:"accent,omitempty"`
	AccentText string `json:"accent_text,omitempty"`
	Background string `json:"background,omitempty"`
	Text       string `json:"text,omitempty"`
}

// hasAny reports whether c gives any colour.
func (c Colors) hasAny() bool {
	return c.Accent != "" || c.AccentText != "" || c.Background != "" || c.Text != ""
}

// over returns c with the colours that o gives in their place.
func (c Colors) over(o Colors) Colors {
	if o.Accent != "" {
		c.Accent = o.Accent
	}
	if o.AccentText != "" {
		c.AccentText = o.AccentText
	}
	if o.Background != "" {
		c.Background = o.Background
	}
	if o.Text != "" {
		c.Text = o.Text
	}
	return c
}

// Look is a theme resolved: every value given, light and dark.
type Look struct {
	Light, Dark Colors
	// Radius is in CSS pixels.
	Radius int
	Font   string
}

// MaxRadius is the largest corner radius a theme may give, in CSS pixels:
// past it, the banner's buttons would turn into pills and its corners cut
// into the text.
const MaxRadius = 24

// MaxFontLen is the longest font list a theme may give, in bytes.
const MaxFontLen = 200

// The built-in presets' names.
const (
	PresetDefault = "default"
	PresetDSFR    = "dsfr"
)

// Presets are the names of the built-in looks.
func Presets() []string { return []string{PresetDefault, PresetDSFR} }

// Preset returns the built-in look called name ("" is the default), and
// false for a name that is not one of [Presets].
//
// default is charte's own look: a navy accent, white card, near-black
// text, and in dark mode a light blue accent on a dark grey card. dsfr
// follows the published tokens of the French State design system (Système
// de design de l'État): blue France #000091 (#8585f6 in dark mode) with
// #f5f5fe text on it (#000091 in dark mode), the default background (#fff,
// raised #1e1e1e in dark mode), title grey #161616 (default grey #cecece
// in dark mode), square corners, and Marianne with the system's fallback.
func Preset(name string) (Look, bool) {
	switch name {
	case "", PresetDefault:
		return Look{
			Light:  Colors{Accent: "#1f3a93", AccentText: "#fff", Background: "#fff", Text: "#1b1b1b"},
			Dark:   Colors{Accent: "#abf", AccentText: "#000", Background: "#222", Text: "#eee"},
			Radius: 8,
			Font:   "system-ui, sans-serif",
		}, true
	case PresetDSFR:
		return Look{
			Light:  Colors{Accent: "#000091", AccentText: "#f5f5fe", Background: "#fff", Text: "#161616"},
			Dark:   Colors{Accent: "#8585f6", AccentText: "#000091", Background: "#1e1e1e", Text: "#cecece"},
			Radius: 0,
			Font:   "Marianne, arial, sans-serif",
		}, true
	}
	return Look{}, false
}

// Resolve returns the look that t gives: its preset (the default one when
// the preset is unknown, which [Charter.Check] reports) with t's values in
// place of the preset's. Colours are returned as the charter writes them.
func (t Theme) Resolve() Look {
	look, ok := Preset(t.Preset)
	if !ok {
		look, _ = Preset(PresetDefault)
	}
	light := Colors{Accent: t.Accent, AccentText: t.AccentText, Background: t.Background, Text: t.Text}
	switch {
	case t.Dark != nil:
		look.Dark = look.Dark.over(*t.Dark)
	case light.hasAny():
		look.Dark = look.Light.over(light)
	}
	look.Light = look.Light.over(light)
	if t.Radius != nil {
		look.Radius = *t.Radius
	}
	if t.Font != "" {
		look.Font = t.Font
	}
	return look
}

// RGB is a colour in sRGB, 8 bits a channel.
type RGB struct{ R, G, B uint8 }

// ParseColor reads a colour written #rgb or #rrggbb, in either case; ok
// is false for anything else.
func ParseColor(s string) (c RGB, ok bool) {
	hex, found := strings.CutPrefix(s, "#")
	if !found || len(hex) != 3 && len(hex) != 6 {
		return RGB{}, false
	}
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return RGB{}, false
	}
	return RGB{uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
}

// String returns c as CSS's shortest hex form: #fff, or #1f3a93.
func (c RGB) String() string {
	s := fmt.Sprintf("%02x%02x%02x", c.R, c.G, c.B)
	if s[0] == s[1] && s[2] == s[3] && s[4] == s[5] {
		return "#" + s[:1] + s[2:3] + s[4:5]
	}
	return "#" + s
}

// Luminance returns c's relative luminance as WCAG 2.2 defines it, from 0
// (black) to 1 (white): each sRGB channel linearised, weighted 0.2126 red,
// 0.7152 green, 0.0722 blue.
func (c RGB) Luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast returns the WCAG 2.2 contrast ratio of a and b, from 1 (the
// same luminance) to 21 (black on white): (L1 + 0.05) / (L2 + 0.05), L1
// the lighter's relative luminance.
func Contrast(a, b RGB) float64 {
	la, lb := a.Luminance(), b.Luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// FormatRatio writes a contrast ratio as N:1 with at most two decimals,
// rounded down so that a ratio under a threshold never reads as reaching
// it: 4.54:1, 2.9:1, 21:1.
func FormatRatio(r float64) string {
	s := strconv.FormatFloat(math.Floor(r*100)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + ":1"
}
