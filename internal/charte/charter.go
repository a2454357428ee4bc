package charte

import (
	"strings"
	"time"

	"github.com/charte/charte/consent"
)

// Built-in category ids. Every charter has [CategoryNecessary]; the others
// come with default texts (see [BuiltinCategory]) and may be declared by id alone.
const (
	CategoryNecessary   = "necessary"
	CategoryPreferences = "preferences"
	CategoryStatistics  = "statistics"
	CategoryMarketing   = "marketing"
)

// Party says who sets a cookie: the site itself or another site.
type Party string

// The two parties of a cookie.
const (
	PartyFirst Party = "first"
	PartyThird Party = "third"
)

// DefaultConsentLifetime is how long a decision is kept when the charter does
// not say: the CNIL recommends asking again after 6 months.
var DefaultConsentLifetime = Duration{N: 6, Unit: UnitMonth}

// MaxLifetime is the longest lifetime a non-necessary cookie, or a consent,
// may have: 13 months (CNIL 2020 guidelines, art. 82 of the French data
// protection act).
var MaxLifetime = Duration{N: 13, Unit: UnitMonth}

// Charter is a site's cookie charter: what the site is, the purposes it
// asks consent for, and every cookie it sets. It is the single source from
// which the policy page, the banner, enforcement and audits are derived.
type Charter struct {
	Site       Site       `json:"site"`
	Categories []Category `json:"categories"`
	Cookies    []Cookie   `json:"cookies"`
	// Services are the catalogue services the charter names; their cookies
	// are added to Cookies by [Charter.ApplyServices].
	Services []SiteService `json:"services,omitempty"`
	// Options holds the charter's optional behaviours.
	Options Options `json:"options"`
	// Theme is the banner's look; its zero value is the default preset.
	Theme Theme `json:"theme,omitzero"`
	// Version is the hash of the charter's material content, computed by
	// charterfile: it changes when what the visitor consents to changes.
	Version string `json:"version"`
	// Updated is the date the charter was last changed: the site's
	// `updated` key, or the file's modification time.
	Updated time.Time `json:"updated,omitzero"`
	// Source is the file the charter was read from ("" for built-in ones).
	Source string `json:"-"`
}

// Site describes the website a charter is for.
type Site struct {
	// ID is a slug, unique per server, used in URLs.
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
	// Origins are the origins (scheme://host[:port]) of the pages allowed to
	// embed the banner and post decisions.
	Origins []string `json:"origins"`
	// Languages are the languages the charter's texts are written in; the
	// first is the default.
	Languages []string `json:"languages"`
	// Contact is the controller's or DPO's address for questions.
	Contact string `json:"contact"`
	// ConsentLifetime is how long a decision is kept before asking again.
	ConsentLifetime Duration `json:"consent_lifetime"`
}

// DefaultLanguage returns the site's first language, or "fr".
func (s Site) DefaultLanguage() string {
	if len(s.Languages) == 0 {
		return "fr"
	}
	return s.Languages[0]
}

// HasLanguage reports whether the site's texts exist in lang.
func (s Site) HasLanguage(lang string) bool {
	for _, l := range s.Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Options are a charter's optional behaviours.
type Options struct {
	// GoogleConsentMode makes the banner send Google Consent Mode v2 signals.
	GoogleConsentMode bool `json:"google_consent_mode"`
	// PersistentControl shows a small "cookies" control after a choice, to
	// reopen the preference center. On by default.
	PersistentControl bool `json:"persistent_control"`
	// Layout is the banner's shape; "" is a box.
	Layout Layout `json:"layout,omitempty"`
	// Position is where the banner sits; "" is the layout's default (see
	// [Options.Placement]). A bar sits only at the bottom or the top.
	Position Position `json:"position,omitempty"`
	// AutoBlock makes the banner hold the scripts and frames of known
	// service hosts that other scripts insert after it, until their
	// category is granted.
	AutoBlock bool `json:"auto_block,omitempty"`
}

// Category is a purpose a visitor may consent to.
type Category struct {
	ID          string `json:"id"`
	Name        Text   `json:"name"`
	Description Text   `json:"description"`
	// Exempt marks anonymous audience measurement that the CNIL exempts from
	// consent: on by default, with an opt-out.
	Exempt bool `json:"exempt"`
}

// Necessary reports whether the category is the always-on necessary one.
func (c Category) Necessary() bool { return c.ID == CategoryNecessary }

// Cookie is one cookie (or family of cookies, when Name is a pattern) that a
// site sets or lets a third party set.
type Cookie struct {
	// Name is the exact name, or a pattern where * matches any run of
	// characters (_ga_*).
	Name     string   `json:"name"`
	Provider string   `json:"provider"`
	Service  Text     `json:"service"`
	Purpose  Text     `json:"purpose"`
	Category string   `json:"category"`
	Lifetime Lifetime `json:"lifetime"`
	Party    Party    `json:"party"`
	// Domain is the domain a third-party cookie is set on.
	Domain string `json:"domain,omitempty"`
	// FromService is the id of the catalogue service the cookie was added
	// for by [Charter.ApplyServices], or "" for a cookie declared by hand.
	FromService string `json:"from_service,omitempty"`
}

// IsPattern reports whether the cookie's name is a pattern.
func (c Cookie) IsPattern() bool { return strings.Contains(c.Name, "*") }

// Matches reports whether a cookie called name is this one.
func (c Cookie) Matches(name string) bool { return consent.MatchName(c.Name, name) }

// Category returns the category with the given id.
func (ch *Charter) Category(id string) (Category, bool) {
	for _, c := range ch.Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// CookiesIn returns the cookies of one category, in charter order.
func (ch *Charter) CookiesIn(category string) []Cookie {
	var out []Cookie
	for _, c := range ch.Cookies {
		if c.Category == category {
			out = append(out, c)
		}
	}
	return out
}

// Lookup returns the declared cookie that a cookie called name is, by the
// rule that enforcement applies ([consent.Matcher]): an exact declaration
// wins over a pattern, a longer pattern over a shorter one, and the first
// declared among equals.
func (ch *Charter) Lookup(name string) (Cookie, bool) {
	i := consent.NewMatcher(ch.consentCookies()).Index(name)
	if i < 0 {
		return Cookie{}, false
	}
	return ch.Cookies[i], true
}

// Text is a text in one or more languages, keyed by language code. Charter
// files may give a plain string, which charterfile expands to every language
// of the site.
type Text map[string]string

// In returns the text in lang, else in the first of fallbacks that has it,
// else any text, else "".
func (t Text) In(lang string, fallbacks ...string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	for _, f := range fallbacks {
		if s, ok := t[f]; ok {
			return s
		}
	}
	for _, l := range []string{"en", "fr"} {
		if s, ok := t[l]; ok {
			return s
		}
	}
	for _, s := range t {
		return s
	}
	return ""
}

// Consent returns the charter in the form the public consent package's
// middleware takes.
func (ch *Charter) Consent() *consent.Charter {
	out := &consent.Charter{Site: consent.Site{ID: ch.Site.ID}, Version: ch.Version}
	for _, c := range ch.Categories {
		out.Categories = append(out.Categories, consent.Category{ID: c.ID, Exempt: c.Exempt})
	}
	out.Cookies = ch.consentCookies()
	return out
}

// consentCookies returns the charter's cookies as the consent package has
// them, in charter order: the i-th is ch.Cookies[i].
func (ch *Charter) consentCookies() []consent.Cookie {
	var out []consent.Cookie
	for _, c := range ch.Cookies {
		out = append(out, consent.Cookie{Name: c.Name, Category: c.Category, Party: string(c.Party), Domain: c.Domain})
	}
	return out
}
