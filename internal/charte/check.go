package charte

import (
	"cmp"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charte/charte/consent"
)

// Problem is one thing wrong with a charter, as [Charter.Check] finds it.
type Problem struct {
	// Path is where the problem is, in the charter's own key names:
	// site.url, site.languages[1], categories[2].id, cookies[3].lifetime,
	// cookies[0].purpose.en for one language of a text; "" for the charter
	// as a whole.
	Path string
	// Message says what is wrong and what to write instead; it is safe to
	// show users. When Other is set, it cites Other as "first at PATH".
	Message string
	// Other is the path of the first occurrence of a value given twice, or
	// "".
	Other string

	// before and after are Message around its citation of Other, for Cite.
	before, after string
}

// String returns the problem as PATH: message.
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Cite returns the message with its citation of Other written as where, for
// a reader that knows Other by another name than its path: charterfile
// gives "on line 4". Without Other, it returns the message.
func (p Problem) Cite(where string) string {
	if p.Other == "" || p.before == "" && p.after == "" {
		return p.Message // not a problem of Check's with a citation
	}
	return p.before + where + p.after
}

// MaxProblems is how many problems [Charter.Check] lists at most, besides
// one more that says there are more: past that, a charter repeats one
// mistake, and the first ones show what to fix.
const MaxProblems = 1000

// errTooMany stops a check that found more than MaxProblems problems. It is
// raised with panic and recovered by [Charter.Check].
type errTooMany struct{}

// Check returns every problem of ch that breaks a rule of the charter, in no
// particular order, or nil for a valid charter. The rules hold whoever built
// the charter (a file, a test, the back office):
//
//   - values are well formed: the site id is a slug, url an absolute http(s)
//     URL, each origin scheme://host[:port], contact an email address or an
//     http(s) URL, languages language codes, category ids lowercase words,
//     cookie names or patterns tokens that RFC 6265 allows, domains domain
//     names, party first or third;
//   - the site has at least one language and one origin; no language,
//     origin, category id or cookie name is given twice;
//   - the consent lifetime, and the lifetime of every cookie that is not
//     necessary, are at most [MaxLifetime], 13 months;
//   - only the statistics category may be exempt from consent, and an exempt
//     category holds no third-party cookie;
//   - every cookie is in a category of the charter;
//   - every text of a category or cookie is in every site language, and in
//     no other; a built-in category's text may leave out the languages that
//     its built-in text has (see [BuiltinCategory]), and a nil text on one
//     is its built-in text. Texts are not checked while the languages have a
//     problem, which would make every text look wrong;
//   - the longest consent cookie a visitor's decision can make fits in
//     [consent.MaxCookieLen] bytes, or the middleware and the proxy would
//     read it as no decision at all;
//   - the banner's layout, position and theme preset are known ones, and a
//     bar sits at the top or bottom; colours are #rgb or #rrggbb, the radius
//     0 to [MaxRadius] pixels, the font a font list of letters, digits,
//     spaces, commas, hyphens and quotes;
//   - the theme, resolved ([Theme.Resolve]), reaches WCAG 2.2 AA contrast
//     in light and dark mode: 4.5:1 for text on the background and for
//     accent_text on accent, and for accent on the background (links),
//     which must reach at least the 3:1 of the switch and the focus ring.
//
// Check stops after [MaxProblems] problems, and then returns one more.
func (ch *Charter) Check() []Problem {
	return collect(ch, func(c *checker) {
		c.site()
		c.categories()
		c.cookies()
		c.options()
		c.theme()
	})
}

// collect runs check on a new checker of ch and returns the problems it
// found, the first [MaxProblems] and one more when it stopped there.
func collect(ch *Charter, check func(c *checker)) (problems []Problem) {
	c := &checker{ch: ch}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(errTooMany); !ok {
				panic(r)
			}
		}
		problems = c.problems
	}()
	check(c)
	return c.problems
}

// checker gathers the problems of one charter.
type checker struct {
	ch       *Charter
	problems []Problem
	// langsOK is set when the site's languages have no problem: texts are
	// checked against them, isLang, only then.
	langsOK bool
	isLang  map[string]bool
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	c.full()
}

// addTwice adds the problem of a value given twice, whose first occurrence
// is at other: the message is before, the citation of other, after.
func (c *checker) addTwice(path, other, before, after string) {
	c.problems = append(c.problems, Problem{Path: path, Message: before + "at " + other + after, Other: other, before: before, after: after})
	c.full()
}

func (c *checker) full() {
	if len(c.problems) > MaxProblems {
		panic(errTooMany{})
	}
}

func (c *checker) site() {
	s := c.ch.Site
	if msg := checkSlug(s.ID); msg != "" {
		c.add("site.id", "%s", msg)
	}
	if _, msg := checkURL(s.URL); msg != "" {
		c.add("site.url", "url %s", msg)
	}
	if len(s.Origins) == 0 {
		c.add("site.origins", "origins is empty: list the origins allowed to show the banner, or remove origins to allow the origin of url")
	}
	first := make(map[string]int)
	for i, o := range s.Origins {
		path := "site.origins[" + strconv.Itoa(i) + "]"
		origin, msg := checkOrigin(o)
		if msg != "" {
			c.add(path, "%s", msg)
			continue
		}
		if j, ok := first[origin]; ok {
			c.addTwice(path, "site.origins["+strconv.Itoa(j)+"]", "origin "+origin+" is listed twice (first ", "): remove one")
			continue
		}
		first[origin] = i
	}
	c.languages()
	if msg := checkContact(s.Contact); msg != "" {
		c.add("site.contact", "%s", msg)
	}
	if d := s.ConsentLifetime; d.Longer(MaxLifetime) {
		c.add("site.consent_lifetime", "consent_lifetime %s is longer than 13 months, the most the CNIL allows: write 13mo or less (6mo is recommended)", d)
	}
}

func (c *checker) languages() {
	langs := c.ch.Site.Languages
	if len(langs) == 0 {
		c.add("site.languages", "languages is empty: list at least one language, the default first, as in languages: [fr, en]")
		return
	}
	ok := true
	first := make(map[string]int, len(langs))
	for i, l := range langs {
		path := "site.languages[" + strconv.Itoa(i) + "]"
		if msg := checkLanguage(l); msg != "" {
			c.add(path, "%s", msg)
			ok = false
			continue
		}
		if j, dup := first[l]; dup {
			c.addTwice(path, "site.languages["+strconv.Itoa(j)+"]", "language "+l+" is listed twice (first ", "): remove one")
			ok = false
			continue
		}
		first[l] = i
	}
	if ok {
		c.langsOK, c.isLang = true, make(map[string]bool, len(first))
		for l := range first {
			c.isLang[l] = true
		}
	}
}

func (c *checker) categories() {
	first := make(map[string]int)
	for i, cat := range c.ch.Categories {
		path := "categories[" + strconv.Itoa(i) + "]"
		if msg := checkCategoryID(cat.ID); msg != "" {
			c.add(path+".id", "%s", msg)
		}
		if j, dup := first[cat.ID]; dup {
			c.addTwice(path, "categories["+strconv.Itoa(j)+"]", fmt.Sprintf("category %q is declared twice (first ", cat.ID), "): remove one")
		} else {
			first[cat.ID] = i
		}
		if cat.Exempt && cat.ID != CategoryStatistics {
			c.add(path+".exempt", "exempt is only allowed on the statistics category, for audience measurement the CNIL exempts from consent: remove exempt: true")
		}
		builtin, isBuiltin := BuiltinCategory(cat.ID)
		what := " of category " + strconv.Quote(cat.ID)
		c.categoryText(path+".name", "name"+what, cat, "name", cat.Name, builtin.Name, isBuiltin)
		c.categoryText(path+".description", "description"+what, cat, "description", cat.Description, builtin.Description, isBuiltin)
	}
	if msg := c.consentCookie(); msg != "" {
		c.add("categories", "%s", msg)
	}
}

// categoryText checks a category's name or description (key), whose
// built-in text, for a built-in category, fills the languages it leaves
// out.
func (c *checker) categoryText(path, what string, cat Category, key string, t, builtin Text, isBuiltin bool) {
	if !isBuiltin || t != nil {
		c.text(path, what, t, builtin)
		return
	}
	if !c.langsOK {
		return
	}
	for _, l := range c.ch.Site.Languages {
		if _, ok := builtin[l]; !ok {
			c.add(path+"."+l, "category %q has no %s in %s: give %s: {%s: \"…\"}", cat.ID, key, l, key, l)
		}
	}
}

// text checks that t, named what in messages, is in every site language and
// no other; defaults stand for the languages t leaves out.
func (c *checker) text(path, what string, t, defaults Text) {
	if !c.langsOK {
		return
	}
	langs := c.ch.Site.Languages
	var extra []string
	for l := range t {
		if !c.isLang[l] {
			extra = append(extra, l)
		}
	}
	slices.Sort(extra) // maps have no order: the problems come in one
	for _, l := range extra {
		if s := Suggest(l, langs); s != "" {
			c.add(path+"."+l, "%s is in %s, which the site does not declare; did you mean %s?", what, l, s)
		} else {
			c.add(path+"."+l, "%s is in %s, which the site does not declare: add %s to site languages, or remove this text", what, l, l)
		}
	}
	for _, l := range langs {
		if strings.TrimSpace(t[l]) != "" {
			continue
		}
		if _, ok := defaults[l]; ok {
			continue
		}
		c.add(path+"."+l, "%s has no %s translation: add %s: \"…\"", what, l, l)
	}
}

// consentCookie returns the problem of a charter whose longest consent
// cookie is longer than consent.MaxCookieLen, or "". It names the longest
// ids, which are what to shorten.
func (c *checker) consentCookie() string {
	n := c.ch.LongestConsentCookie()
	if n <= consent.MaxCookieLen {
		return ""
	}
	ids := make([]string, 0, len(c.ch.Categories))
	for _, cat := range c.ch.Categories {
		if cat.ID != CategoryNecessary {
			ids = append(ids, cat.ID)
		}
	}
	slices.SortStableFunc(ids, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	var named []string
	excess := n - consent.MaxCookieLen
	for _, id := range ids {
		named = append(named, fmt.Sprintf("%s (%d characters)", id, len(id)))
		if excess -= len(id) - 1; excess <= 0 {
			break
		}
	}
	return fmt.Sprintf("the consent cookie of a visitor who accepts every category would be %d bytes, more than the %d that charte reads back: shorten the longest category ids by %d characters in all, such as %s",
		n, consent.MaxCookieLen, n-consent.MaxCookieLen, strings.Join(named, ", "))
}

func (c *checker) cookies() {
	var ids []string // the categories' ids, once each, in charter order
	cats := make(map[string]Category, len(c.ch.Categories))
	for _, cat := range c.ch.Categories {
		if _, ok := cats[cat.ID]; !ok {
			cats[cat.ID] = cat
			ids = append(ids, cat.ID)
		}
	}
	first := make(map[string]int)
	for i, k := range c.ch.Cookies {
		path := "cookies[" + strconv.Itoa(i) + "]"
		what := "cookie"
		if k.Name != "" {
			what = "cookie " + strconv.Quote(k.Name)
		}
		if msg := checkCookieName(k.Name); msg != "" {
			c.add(path+".name", "%s", msg)
		}
		if j, dup := first[k.Name]; dup && k.Name != "" {
			c.addTwice(path+".name", "cookies["+strconv.Itoa(j)+"].name", fmt.Sprintf("cookie %q is declared twice (first ", k.Name), "): merge the two or remove one")
		} else if !dup {
			first[k.Name] = i
		}
		cat, known := cats[k.Category]
		if !known {
			if s := Suggest(k.Category, ids); s != "" {
				c.add(path+".category", "unknown category %q in %s; did you mean %q?", k.Category, what, s)
			} else {
				c.add(path+".category", "unknown category %q in %s: declare it under categories, or use %s", k.Category, what, orList(ids))
			}
		}
		if known && !cat.Necessary() && !k.Lifetime.Session && k.Lifetime.Duration.Longer(MaxLifetime) {
			c.add(path+".lifetime", "lifetime %s of %s is longer than 13 months, the most the CNIL allows for a cookie that is not necessary: write 13mo or less", k.Lifetime, what)
		}
		switch {
		case k.Party != PartyFirst && k.Party != PartyThird:
			c.add(path+".party", "party must be first or third, not %q", k.Party)
		case k.Party == PartyThird && cat.Exempt:
			c.add(path+".party", "%s is a third-party cookie, but category %q is exempt from consent, and the CNIL exemption excludes third-party cookies: move the cookie to another category, or remove exempt: true", what, k.Category)
		}
		if msg := checkDomain(k.Domain); msg != "" {
			c.add(path+".domain", "%s", msg)
		}
		c.text(path+".service", "service of "+what, k.Service, nil)
		c.text(path+".purpose", "purpose of "+what, k.Purpose, nil)
	}
}

// orList writes words as "a, b or c".
func orList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

var (
	slugRE       = regexp.MustCompile(`^[a-z0-9-]{1,63}$`)
	categoryIDRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	languageRE   = regexp.MustCompile(`^[a-z]{2,3}(-([A-Z]{2}|[0-9]{3}))?$`)
	domainRE     = regexp.MustCompile(`^\.?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	nonSlugRE    = regexp.MustCompile(`[^a-z0-9]+`)
)

// Each check of a value returns "" for a good value, or a message saying
// what is wrong and what to write instead.

func checkSlug(s string) string {
	if slugRE.MatchString(s) {
		return ""
	}
	msg := fmt.Sprintf("site id %q is not a slug: use 1 to 63 lowercase letters, digits and hyphens", s)
	if fix := strings.Trim(nonSlugRE.ReplaceAllString(strings.ToLower(s), "-"), "-"); fix != "" && slugRE.MatchString(fix) {
		return msg + fmt.Sprintf(", as in %s", fix)
	}
	return msg + ", as in data-aveyron"
}

func checkCategoryID(s string) string {
	if categoryIDRE.MatchString(s) {
		return ""
	}
	return fmt.Sprintf("category id %q is invalid: use up to 63 lowercase letters, digits, - and _, starting with a letter, as in statistics or video_players", s)
}

// checkURL checks an absolute http(s) URL and returns its origin.
func checkURL(s string) (origin, msg string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		if err == nil && u.Scheme == "" && !strings.Contains(s, " ") {
			return "", fmt.Sprintf("%q is not an absolute http(s) URL: write it with its scheme, as in https://%s", s, strings.TrimPrefix(s, "//"))
		}
		return "", fmt.Sprintf("%q is not an absolute http(s) URL: write one such as https://www.example.org", s)
	}
	return originOf(u), ""
}

// Origin returns the origin of rawURL, an absolute http(s) URL, as browsers
// send it in an Origin header: scheme://host[:port], in lowercase, without
// a default port. It returns "" when rawURL is not an absolute http(s) URL.
func Origin(rawURL string) string {
	o, _ := checkURL(rawURL)
	return o
}

// originOf is u's origin as browsers send it: lowercase, no default port.
func originOf(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" || scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}

// checkOrigin checks an origin and returns it as browsers send it.
func checkOrigin(s string) (origin, msg string) {
	o, msg := checkURL(s)
	if msg != "" {
		return "", "origin " + msg
	}
	u, _ := url.Parse(s) // checkURL parsed it already
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return "", fmt.Sprintf("origin %q has more than scheme://host[:port]: write %s", s, o)
	}
	return o, ""
}

func checkContact(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		if _, msg := checkURL(s); msg != "" {
			return "contact " + msg
		}
		return ""
	}
	if a, err := mail.ParseAddress(s); err == nil && a.Name == "" && a.Address == s {
		if _, domain, _ := strings.Cut(s, "@"); strings.Contains(domain, ".") && !strings.Contains(domain, "[") {
			return ""
		}
	}
	if rest, ok := strings.CutPrefix(s, "mailto:"); ok {
		return fmt.Sprintf("contact %q: write the address alone, as in %s", s, rest)
	}
	return fmt.Sprintf("contact %q is neither an email address nor an http(s) URL: write one, as in dpo@example.org or https://www.example.org/contact", s)
}

// ValidLanguage reports whether s is a language code as charters write
// them: 2 or 3 lowercase letters, optionally followed by a region, as in
// fr, en-GB or es-419.
func ValidLanguage(s string) bool { return languageRE.MatchString(s) }

func checkLanguage(s string) string {
	if languageRE.MatchString(s) {
		return ""
	}
	base, region, hasRegion := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	fix := strings.ToLower(base)
	if hasRegion {
		fix += "-" + strings.ToUpper(region)
	}
	if languageRE.MatchString(fix) {
		return fmt.Sprintf("language %q is not written as a language code: write %s", s, fix)
	}
	return fmt.Sprintf("language %q is not a language code: use 2 or 3 lowercase letters, optionally followed by a region, as in fr, en or fr-BE", s)
}

// checkCookieName checks a cookie name or pattern. It allows what RFC 6265
// allows in a cookie name (a token: no control characters, spaces or
// separators), plus * as the wildcard.
func checkCookieName(s string) string {
	if strings.Trim(s, "*") == "" {
		return fmt.Sprintf("cookie name %q would match every cookie: write a name, or a pattern with a fixed part, as in _ga_*", s)
	}
	for _, r := range s {
		var what string
		switch {
		case r == utf8.RuneError:
			what = "an invalid UTF-8 byte"
		case r == ' ':
			what = "a space"
		case r == '\t':
			what = "a tab"
		case r < 0x20 || r == 0x7f:
			what = fmt.Sprintf("the control character %q", r)
		case r >= 0x80:
			what = fmt.Sprintf("%q, which is not ASCII", r)
		case strings.ContainsRune(`()<>@,;:\"/[]?={}`, r):
			what = fmt.Sprintf("%q", r)
		default:
			continue
		}
		msg := fmt.Sprintf("cookie name %q contains %s, which RFC 6265 forbids in cookie names", s, what)
		if r == '?' || r == '[' || r == ']' {
			return msg + ": in a pattern, only * is a wildcard, as in _ga_*"
		}
		return msg + ": write the name as the site sets it"
	}
	return ""
}

func checkDomain(s string) string {
	if s == "" || domainRE.MatchString(strings.ToLower(s)) {
		return ""
	}
	if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
		return fmt.Sprintf("domain %q is not a domain name: write the host alone, as in %s", s, u.Hostname())
	}
	return fmt.Sprintf("domain %q is not a domain name: write one such as .example.com", s)
}

func (c *checker) options() {
	o := c.ch.Options
	layoutOK := o.Layout == "" || slices.Contains(Layouts(), string(o.Layout))
	if !layoutOK {
		c.unknown("options.layout", "layout", string(o.Layout), Layouts())
	}
	if o.Position != "" && !slices.Contains(Positions(), string(o.Position)) {
		c.unknown("options.position", "position", string(o.Position), Positions())
		return
	}
	if l, p := o.Placement(); layoutOK && l == LayoutBar && p != PositionBottom && p != PositionTop {
		c.add("options.position", "position %s does not fit layout bar, which spans the whole width: write position: bottom or position: top, or use layout: box", p)
	}
}

// unknown adds the problem of a value that is not one of words.
func (c *checker) unknown(path, key, v string, words []string) {
	if s := Suggest(v, words); s != "" {
		c.add(path, "unknown %s %q; did you mean %s?", key, v, s)
		return
	}
	c.add(path, "unknown %s %q: use %s", key, v, orList(words))
}

// themeColor is one colour key of a theme: its path and value as given.
type themeColor struct{ path, key, value string }

func (c *checker) theme() {
	t := c.ch.Theme
	ok := true
	if t.Preset != "" {
		if _, known := Preset(t.Preset); !known {
			c.unknown("theme.preset", "preset", t.Preset, Presets())
			ok = false
		}
	}
	light := themeColors("theme", Colors{Accent: t.Accent, AccentText: t.AccentText, Background: t.Background, Text: t.Text})
	var dark []themeColor
	if t.Dark != nil {
		dark = themeColors("theme.dark", *t.Dark)
	}
	for _, tc := range append(light, dark...) {
		if tc.value == "" {
			continue
		}
		if _, valid := ParseColor(tc.value); !valid {
			c.add(tc.path, "%s %q is not a colour charte reads: write it #rgb or #rrggbb, as in %s: \"#000091\"", tc.key, tc.value, tc.key)
			ok = false
		}
	}
	if t.Radius != nil && (*t.Radius < 0 || *t.Radius > MaxRadius) {
		c.add("theme.radius", "radius %d is out of range: write a number of pixels from 0 (square corners) to %d, as in radius: 8", *t.Radius, MaxRadius)
	}
	if msg := checkFont(t.Font); msg != "" {
		c.add("theme.font", "%s", msg)
	}
	if !ok {
		return // contrast is not measured between colours that are not ones
	}
	look := t.Resolve()
	c.contrast("", look.Light, light)
	if look.Dark != look.Light {
		given := dark
		if t.Dark == nil {
			given = nil // the preset's own dark colours, which reach AA
		}
		c.contrast("in dark mode, ", look.Dark, given)
	}
}

// themeColors returns the colour keys of cs under path, in the order
// accent, accent_text, background, text.
func themeColors(path string, cs Colors) []themeColor {
	return []themeColor{
		{path + ".accent", "accent", cs.Accent},
		{path + ".accent_text", "accent_text", cs.AccentText},
		{path + ".background", "background", cs.Background},
		{path + ".text", "text", cs.Text},
	}
}

// contrast adds a problem for each pair of look's colours that is under
// WCAG 2.2 AA. given are the keys the charter sets, in [themeColors]'
// order: a problem is placed at the first of its pair that the charter
// sets, or at the theme's preset when it sets neither. scheme begins the
// messages of dark mode.
func (c *checker) contrast(scheme string, look Colors, given []themeColor) {
	at := func(first, second int) (string, int) {
		for _, i := range []int{first, second} {
			if i < len(given) && given[i].value != "" {
				return given[i].path, i
			}
		}
		return "theme.preset", -1
	}
	pairs := []struct {
		fg, bg   int // indexes into themeColors' order
		min      float64
		what     string
		minorMin float64 // with minor, a lower threshold and its own words
		minor    string
	}{
		{3, 2, 4.5, "text", 0, ""},
		{1, 0, 4.5, "the text of buttons", 0, ""},
		{0, 2, 4.5, "links", 3, "the switch and the focus ring"},
	}
	values := []string{look.Accent, look.AccentText, look.Background, look.Text}
	keys := []string{"accent", "accent_text", "background", "text"}
	for _, p := range pairs {
		fg, _ := ParseColor(values[p.fg])
		bg, _ := ParseColor(values[p.bg])
		r := Contrast(fg, bg)
		min, what := p.min, p.what
		if p.minor != "" && r < p.minorMin {
			min, what = p.minorMin, p.minor
		}
		if r >= min {
			continue
		}
		path, i := at(p.fg, p.bg)
		// The way to move the colour at path that can reach the higher
		// contrast against the other: darken it against a light colour.
		other := bg
		if i == p.bg {
			other = fg
		}
		fix, it := "lighten ", "it"
		if lo := other.Luminance() + 0.05; lo*lo > 0.05*1.05 {
			fix = "darken "
		}
		if i == p.bg {
			it = keys[p.bg] // the second colour the message names
		}
		fix += it
		if i < 0 {
			fix = "give " + keys[p.fg] + " and " + keys[p.bg] + " that reach it"
		}
		c.add(path, "%s%s %s on %s %s has a contrast of %s, under the %s WCAG 2.2 AA asks for %s: %s",
			scheme, keys[p.fg], values[p.fg], keys[p.bg], values[p.bg], FormatRatio(r), FormatRatio(min), what, fix)
	}
}

// ValidFont reports whether s is a font list that [Charter.Check] accepts
// for a theme: one or more families, of letters, digits, spaces, commas,
// hyphens and paired quotes, at most [MaxFontLen] bytes.
func ValidFont(s string) bool { return s != "" && checkFont(s) == "" }

// checkFont checks a theme's font list, which becomes CSS text: letters,
// digits, spaces, commas, hyphens and quotes only, the quotes in pairs.
func checkFont(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > MaxFontLen {
		return fmt.Sprintf("font is %d bytes long, more than the %d a font list may have: name two or three families, as in font: \"Marianne, system-ui, sans-serif\"", len(s), MaxFontLen)
	}
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case r == ' ' || r == ',' || r == '-' || r == '_' || r == '"' || r == '\'':
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
		case r > 0x7f && unicode.IsLetter(r):
		default:
			return fmt.Sprintf("font %q contains %q: a font list may hold only letters, digits, spaces, commas, hyphens and quotes, as in font: \"Marianne, system-ui, sans-serif\"", s, r)
		}
	}
	if quote != 0 {
		return fmt.Sprintf("font %q has a quote that is not closed: close it, or write the families without quotes", s)
	}
	if slices.ContainsFunc(strings.Split(s, ","), func(f string) bool { return strings.TrimSpace(f) == "" }) {
		return fmt.Sprintf("font %q names no family between two commas: write families separated by commas, as in font: \"Marianne, system-ui, sans-serif\"", s)
	}
	return ""
}
