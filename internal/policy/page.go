package policy

import (
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/i18n"
)

// page is everything a policy template shows, already in one language, so
// the HTML and Markdown templates only lay it out and cannot drift apart.
type page struct {
	Lang    string
	Title   string
	Intro   rich
	What    prose
	Kinds   kinds
	Uses    uses
	Choices choices
	// Contact is nil when the charter names no contact.
	Contact *contact
	// Version and Updated are nil when the charter has none.
	Version rich
	Updated rich
}

type prose struct {
	Title      string
	Paragraphs []string
}

type kinds struct {
	Title string
	Intro string
	Items []term
}

type term struct {
	Term, Body string
}

type uses struct {
	Title      string
	Intro      string
	Columns    []string
	Categories []category
}

type category struct {
	// ID is the HTML id of the category's section; its heading's id is
	// ID + "-title".
	ID          string
	Name        string
	Description string
	// Consent says whether the category needs the visitor's consent; it is
	// empty when Description already says so.
	Consent string
	Caption string
	// Empty is said instead of the table when the category has no cookies.
	Empty   string
	Cookies []cookie
}

type cookie struct {
	Provider string
	Service  string
	Name     rich
	Purpose  string
	Lifetime string
	Party    string
}

type choices struct {
	Title      string
	Paragraphs []string
	// Button is the label of the HTML page's button that reopens the
	// preference center; Reopen says in words where to find it, for the
	// Markdown policy, which has no button.
	Button string
	Reopen string
}

type contact struct {
	Title string
	Body  rich
}

// rich is a line of text made of plain parts, code spans, links and dates,
// so that both templates can mark them up in their own syntax.
type rich []segment

type segment struct {
	Text string
	// Code marks the text as a code span: a cookie name, a version.
	Code bool
	// Href makes the text a link.
	Href string
	// Datetime makes the text a date, machine-readable as Datetime.
	Datetime string
}

func text(s string) segment { return segment{Text: s} }

func code(s string) segment { return segment{Text: s, Code: true} }

// build lays out ch in lang, which must be one of the site's languages.
func build(ch *charte.Charter, lang string) page {
	def := ch.Site.DefaultLanguage()
	in := func(t charte.Text) string { return t.In(lang, def) }
	t := func(key string, args ...any) string { return messages.T(lang, key, args...) }

	site := ch.Site.Name
	if site == "" {
		site = ch.Site.URL
	}
	siteRef := text(site)
	if ch.Site.URL != "" {
		siteRef.Href = ch.Site.URL
	}
	where := ch.Site.URL
	if where == "" {
		where = site
	}

	p := page{
		Lang:  lang,
		Title: t("title"),
		Intro: richT(lang, "intro", siteRef),
		What: prose{
			Title:      t("what.title"),
			Paragraphs: []string{t("what.body"), t("what.trackers")},
		},
		Kinds: kinds{
			Title: t("kinds.title"),
			Intro: t("kinds.intro"),
		},
		Uses: uses{
			Title: t("uses.title", where),
			Intro: t("uses.intro"),
			Columns: []string{
				t("col.provider"), t("col.service"), t("col.name"),
				t("col.purpose"), t("col.lifetime"), t("col.party"),
			},
		},
	}
	for _, k := range []string{"necessary", "statistics", "preferences", "marketing", "first", "third"} {
		p.Kinds.Items = append(p.Kinds.Items, term{t("kinds." + k + ".term"), t("kinds." + k + ".body")})
	}

	for _, c := range ch.Categories {
		cat := category{
			ID:          "charte-category-" + htmlID(c.ID),
			Name:        in(c.Name),
			Description: in(c.Description),
		}
		if cat.Name == "" {
			cat.Name = c.ID
		}
		switch {
		case c.Necessary():
			cat.Consent = t("category.necessary")
		case c.Exempt:
			cat.Consent = t("category.exempt")
		default:
			cat.Consent = t("category.consent")
		}
		if statesConsent(c, cat.Description, lang, def) {
			cat.Consent = ""
		}
		cat.Caption = t("category.caption", cat.Name)
		for _, k := range ch.CookiesIn(c.ID) {
			cat.Cookies = append(cat.Cookies, cookie{
				Provider: k.Provider,
				Service:  in(k.Service),
				Name:     cookieName(lang, k.Name),
				Purpose:  in(k.Purpose),
				Lifetime: lifetime(lang, k.Lifetime),
				Party:    party(lang, k),
			})
		}
		if len(cat.Cookies) == 0 {
			cat.Empty = t("category.empty")
		}
		p.Uses.Categories = append(p.Uses.Categories, cat)
	}

	keep := ch.Site.ConsentLifetime
	if keep.IsZero() {
		keep = charte.DefaultConsentLifetime
	}
	p.Choices = choices{
		Title: t("choices.title"),
		Paragraphs: []string{
			t("choices.body"),
			t("choices.lifetime", duration(lang, keep)),
			t("choices.browser"),
		},
		Button: t("choices.button"),
		Reopen: t("choices.reopen"),
	}
	if !ch.Options.PersistentControl {
		// No cookie button on every page: the site links to the
		// preference center itself (data-charte-open).
		p.Choices.Reopen = t("choices.reopen.site")
	}

	if ref, ok := contactRef(ch.Site.Contact); ok {
		p.Contact = &contact{Title: t("contact.title"), Body: richT(lang, "contact.body", ref)}
	}
	if ch.Version != "" {
		p.Version = richT(lang, "version", code(ch.Version))
	}
	if !ch.Updated.IsZero() {
		p.Updated = richT(lang, "updated", segment{
			Text:     date(lang, ch.Updated),
			Datetime: ch.Updated.Format(time.DateOnly),
		})
	}
	return p
}

// statesConsent reports whether description, a category's text in lang, is
// the built-in description of the category c and that text already says,
// unconditionally, whether the category needs consent: the necessary,
// preferences and marketing categories' do. The policy's consent sentence
// would then say it a second time. The built-in statistics text says
// "exempt when anonymous, else with consent": the sentence tells which.
func statesConsent(c charte.Category, description, lang, def string) bool {
	if c.ID == charte.CategoryStatistics {
		return false
	}
	b, ok := charte.BuiltinCategory(c.ID)
	return ok && description != "" && description == b.Description.In(lang, def)
}

// richT returns the message key in lang with each %s replaced by the next
// of parts; %% is a percent sign.
func richT(lang, key string, parts ...segment) rich {
	msg := messages.T(lang, key)
	var out rich
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, text(b.String()))
			b.Reset()
		}
	}
	for i := 0; i < len(msg); i++ {
		if msg[i] != '%' || i+1 == len(msg) {
			b.WriteByte(msg[i])
			continue
		}
		switch msg[i+1] {
		case '%':
			b.WriteByte('%')
			i++
		case 's':
			flush()
			if len(parts) > 0 {
				out = append(out, parts[0])
				parts = parts[1:]
			}
			i++
		default:
			b.WriteByte('%')
		}
	}
	flush()
	return out
}

// cookieName shows a cookie's name, and explains it when it is a pattern:
// "_ga_* (any name starting with _ga_)".
func cookieName(lang, name string) rich {
	out := rich{code(name)}
	if !strings.Contains(name, "*") {
		return out
	}
	var explained rich
	prefix, suffix := name[:strings.IndexByte(name, '*')], name[strings.LastIndexByte(name, '*')+1:]
	middle := name[len(prefix) : len(name)-len(suffix)]
	switch {
	case strings.Trim(middle, "*") != "":
		explained = rich{text(messages.T(lang, "pattern.other"))}
	case prefix != "" && suffix != "":
		explained = richT(lang, "pattern.both", code(prefix), code(suffix))
	case prefix != "":
		explained = richT(lang, "pattern.prefix", code(prefix))
	case suffix != "":
		explained = richT(lang, "pattern.suffix", code(suffix))
	default:
		explained = rich{text(messages.T(lang, "pattern.any"))}
	}
	out = append(out, text(" ("))
	out = append(out, explained...)
	return append(out, text(")"))
}

// lifetime says how long a cookie lives, in words.
func lifetime(lang string, l charte.Lifetime) string {
	if l.Session {
		return messages.T(lang, "lifetime.session")
	}
	return duration(lang, l.Duration)
}

// duration says a duration in words: "6 mois", "1 year", "2 weeks".
func duration(lang string, d charte.Duration) string {
	return i18n.Duration(lang, d.N, string(d.Unit))
}

// party says who sets a cookie, and on which domain when the charter says.
func party(lang string, c charte.Cookie) string {
	var s string
	switch c.Party {
	case charte.PartyThird:
		s = messages.T(lang, "party.third")
	case charte.PartyFirst, "":
		s = messages.T(lang, "party.first")
	default:
		s = string(c.Party)
	}
	if c.Domain != "" {
		s = messages.T(lang, "party.domain", s, c.Domain)
	}
	return s
}

// date writes a calendar date in words: "28 novembre 2026", "1er mai 2026",
// "28 November 2026". It uses t's own calendar day, so that a date written
// in the charter stays the same date whatever the time zone.
func date(lang string, t time.Time) string {
	y, m, d := t.Date()
	month := messages.T(lang, "month."+strconv.Itoa(int(m)))
	if d == 1 {
		return messages.T(lang, "date.first", month, y)
	}
	return messages.T(lang, "date", d, month, y)
}

// contactRef turns a charter's contact into a link: mailto: for an email
// address, the URL itself for a web address, plain text otherwise.
func contactRef(c string) (segment, bool) {
	c = strings.TrimSpace(c)
	switch {
	case c == "":
		return segment{}, false
	case strings.HasPrefix(c, "http://") || strings.HasPrefix(c, "https://"):
		return segment{Text: c, Href: c}, true
	case strings.HasPrefix(strings.ToLower(c), "mailto:"):
		return segment{Text: c[len("mailto:"):], Href: c}, true
	case strings.Contains(c, "@") && !strings.ContainsAny(c, " \t\n<>\"'"):
		return segment{Text: c, Href: "mailto:" + c}, true
	}
	return text(c), true
}

// htmlID turns a category id into something safe in an HTML id and a URL
// fragment: letters, digits, - and _ are kept, anything else becomes -.
func htmlID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, s)
}
