package charterfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// doc joins lines into a file, so that a test's line numbers are the
// positions of its arguments.
func doc(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// Lines of a small valid charter, for tests to combine.
const (
	siteLine       = `site: {id: s, name: S, url: "https://s.org", languages: [fr, en], contact: a@s.org}`
	categoriesLine = `categories: [{id: necessary}]`
	cookiesLine    = `cookies: [{name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: session, party: first}]`
)

// MustParse parses a charter that must be valid.
func MustParse(tb testing.TB, name, data string) *charte.Charter {
	tb.Helper()
	ch, err := Parse(name, []byte(data))
	if err != nil {
		tb.Fatalf("Parse(%s) = %v, want no error", name, err)
	}
	return ch
}

// problemsOf parses data, which must be invalid, and returns its problems.
func problemsOf(tb testing.TB, data string) Problems {
	tb.Helper()
	ch, err := Parse("c.yaml", []byte(data))
	var ps Problems
	if !errors.As(err, &ps) {
		tb.Fatalf("Parse() = %+v, %v; want Problems", ch, err)
	}
	if ch != nil {
		tb.Errorf("Parse() returned a charter with its problems")
	}
	return ps
}

// TestParseProblems checks each rule: every want is "LINE:COL: text" where
// text is the whole message, or a part of it when it ends with "…".
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "empty file",
			in:   "# nothing\n",
			want: []string{"1:1: the file holds no charter: write one with the keys site, categories and cookies"},
		},
		{
			name: "tab indentation",
			in:   doc("site:", "  id: s", "\tname: S"),
			want: []string{"3:1: invalid YAML: found a tab character that violates indentation: indent with spaces, not tabs"},
		},
		{
			name: "unclosed flow list",
			in:   doc(siteLine, categoriesLine, "cookies: [{name: sid}", "# end"),
			want: []string{"3:1: invalid YAML: did not find expected ',' or ']'"},
		},
		{
			name: "unquoted colon on first line",
			in:   doc("site: id: s", categoriesLine),
			want: []string{`1:1: invalid YAML: mapping values are not allowed in this context: check the indentation, and quote values that contain ": "`},
		},
		{
			name: "control character",
			in:   doc(siteLine, "categories: [{id: \x01}]"),
			want: []string{"2:19: invalid YAML: control characters are not allowed: remove the control character"},
		},
		{
			name: "unknown anchor",
			in:   doc(siteLine, categoriesLine, "cookies: *nope"),
			want: []string{"3:10: invalid YAML: unknown anchor 'nope' referenced"},
		},
		{
			name: "two documents",
			in:   doc(siteLine, categoriesLine, cookiesLine, "---", "site: {}"),
			want: []string{"4:1: a charter file holds one YAML document: remove this second one, from its ---"},
		},
		{
			name: "root is a list",
			in:   doc("- site"),
			want: []string{`1:1: a charter must be a mapping with the keys site, categories and cookies, not a list`},
		},
		{
			name: "unknown top-level key with hint",
			in:   doc(siteLine, categoriesLine, "cookie: []"),
			want: []string{
				`1:1: missing key "cookies" in charter: add the list of the site's cookies, or cookies: [] if it sets none`,
				`3:1: unknown key "cookie" in charter; did you mean "cookies"?`,
			},
		},
		{
			name: "unknown cookie key with hint",
			in: doc(siteLine, categoriesLine, "cookies:",
				"  - name: sid",
				"    provider: S",
				"    service: Session",
				"    purpos: Login",
				"    category: necessary",
				"    lifetime: session",
				"    party: first"),
			want: []string{
				`4:5: missing key "purpose" in cookie "sid": add purpose: {fr: "…", en: "…"}, what the cookie is for`,
				`7:5: unknown key "purpos" in cookie; did you mean "purpose"?`,
			},
		},
		{
			name: "unknown key without hint",
			in:   doc(siteLine, categoriesLine, cookiesLine, "options: {colour: red}"),
			want: []string{`4:11: unknown key "colour" in options: use google_consent_mode, persistent_control, layout, position or auto_block`},
		},
		{
			name: "abbreviated key",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", lang: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{
				`1:7: missing key "languages" in site: add …`,
				`1:46: unknown key "lang" in site; did you mean "languages"?`,
			},
		},
		{
			name: "duplicate key",
			in:   doc(siteLine, categoriesLine, cookiesLine, "options:", "  persistent_control: true", "  persistent_control: false"),
			want: []string{`6:3: duplicate key "persistent_control" in options: it is already set on line 5; keep one`},
		},
		{
			name: "site is not a mapping",
			in:   doc("site: s", categoriesLine, "cookies: []"),
			want: []string{`1:7: site must be a mapping, not "s": write site: {id: …, name: …, url: …, languages: [fr, en], contact: …}`},
		},
		{
			name: "categories is not a list",
			in:   doc(siteLine, "categories: necessary", "cookies: []"),
			want: []string{`2:13: categories must be a list, not "necessary": write categories: [{id: necessary}]`},
		},
		{
			name: "cookies is empty",
			in:   doc(siteLine, categoriesLine, "cookies:"),
			want: []string{`3:1: cookies must be a list, not empty: write one entry per cookie, …`},
		},
		{
			name: "cookie is not a mapping",
			in:   doc(siteLine, categoriesLine, "cookies: [sid]"),
			want: []string{`3:11: each cookie must be a mapping, not "sid": write - {name: sessionid, …`},
		},
		{
			name: "missing site fields",
			in:   doc("site:", "  id: s", categoriesLine, "cookies: []"),
			want: []string{
				`2:3: missing key "contact" in site: add contact: dpo@example.org, the address of the controller or DPO for questions`,
				`2:3: missing key "languages" in site: add languages: [fr, en], the languages of the site's texts, default first`,
				`2:3: missing key "name" in site: add name: followed by the site's name`,
				`2:3: missing key "url" in site: add url: https://www.example.org, the site's address`,
			},
		},
		{
			name: "missing top-level keys",
			in:   doc(siteLine),
			want: []string{
				`1:1: missing key "categories" in charter: add …`,
				`1:1: missing key "cookies" in charter: add …`,
			},
		},
		{
			name: "missing cookie fields",
			in:   doc(siteLine, categoriesLine, "cookies:", "  - name: sid", "    provider: S"),
			want: []string{
				`4:5: missing key "category" in cookie "sid": add category: followed by one of necessary`,
				`4:5: missing key "lifetime" in cookie "sid": add lifetime: session, or a duration such as 30d, 6mo or 1y`,
				`4:5: missing key "party" in cookie "sid": add party: first if the site sets the cookie, or party: third if another site does`,
				`4:5: missing key "purpose" in cookie "sid": add purpose: {fr: "…", en: "…"}, what the cookie is for`,
				`4:5: missing key "service" in cookie "sid": add service: {fr: "…", en: "…"}, the service the cookie belongs to`,
			},
		},
		{
			name: "site id not a slug",
			in:   doc(`site: {id: Data Aveyron, name: S, url: "https://s.org", languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:12: site id "Data Aveyron" is not a slug: use 1 to 63 lowercase letters, digits and hyphens, as in data-aveyron`},
		},
		{
			name: "site id too long",
			in:   doc(`site: {id: `+strings.Repeat("a", 64)+`, name: S, url: "https://s.org", languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:12: site id "aaaa…`},
		},
		{
			name: "empty site name",
			in:   doc(`site: {id: s, name: "", url: "https://s.org", languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:21: site name is empty: write name: followed by the site's name`},
		},
		{
			name: "url without scheme",
			in:   doc(`site: {id: s, name: S, url: s.org, languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:29: url "s.org" is not an absolute http(s) URL: write it with its scheme, as in https://s.org`},
		},
		{
			name: "url with another scheme",
			in:   doc(`site: {id: s, name: S, url: "ftp://s.org", languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:29: url "ftp://s.org" is not an absolute http(s) URL: write one such as https://www.example.org`},
		},
		{
			name: "origins",
			in: doc("site:",
				"  id: s",
				"  name: S",
				"  url: https://s.org",
				"  origins:",
				"    - https://s.org/",
				"    - s.org",
				"    - https://S.org:443",
				"    - https://user@s.org",
				"  languages: [fr]",
				"  contact: a@s.org",
				categoriesLine, "cookies: []"),
			want: []string{
				`6:7: origin "https://s.org/" has more than scheme://host[:port]: write https://s.org`,
				`7:7: origin "s.org" is not an absolute http(s) URL: write it with its scheme, as in https://s.org`,
				`9:7: origin "https://user@s.org" has more than scheme://host[:port]: write https://s.org`,
			},
		},
		{
			name: "duplicate origin",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", origins: ["https://s.org", "https://S.ORG:443"], languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:73: origin https://s.org is listed twice (first on line 1): remove one`},
		},
		{
			name: "empty origins",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", origins: [], languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:55: origins is empty: list the origins allowed to show the banner, or remove origins to allow the origin of url`},
		},
		{
			name: "bad contact",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr], contact: "DPO <a@s.org>"}`, categoriesLine, "cookies: []"),
			want: []string{`1:72: contact "DPO <a@s.org>" is neither an email address nor an http(s) URL: write one, as in dpo@example.org or https://www.example.org/contact`},
		},
		{
			name: "mailto contact",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr], contact: "mailto:a@s.org"}`, categoriesLine, "cookies: []"),
			want: []string{`1:72: contact "mailto:a@s.org": write the address alone, as in a@s.org`},
		},
		{
			name: "contact url without host",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr], contact: "https://"}`, categoriesLine, "cookies: []"),
			want: []string{`1:72: contact "https://" is not an absolute http(s) URL: …`},
		},
		{
			name: "languages",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [FR, fr_be, french, fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{
				`1:58: language "FR" is not written as a language code: write fr`,
				`1:62: language "fr_be" is not written as a language code: write fr-BE`,
				`1:69: language "french" is not a language code: use 2 or 3 lowercase letters, optionally followed by a region, as in fr, en or fr-BE`,
			},
		},
		{
			name: "duplicate language",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr, en, fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:66: language fr is listed twice (first on line 1): remove one`},
		},
		{
			name: "no language",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:57: languages is empty: list at least one language, the default first, as in languages: [fr, en]`},
		},
		{
			name: "consent lifetime too long",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr], contact: a@s.org, consent_lifetime: 14mo}`, categoriesLine, "cookies: []"),
			want: []string{`1:99: consent_lifetime 14mo is longer than 13 months, the most the CNIL allows: write 13mo or less (6mo is recommended)`},
		},
		{
			name: "consent lifetime malformed",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr], contact: a@s.org, consent_lifetime: session}`, categoriesLine, "cookies: []"),
			want: []string{`1:99: consent_lifetime must be a duration: duration "session" must start with a number, as in 30d, 6mo or 1y`},
		},
		{
			name: "updated not a date",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr], contact: a@s.org, updated: 28/11/2026}`, categoriesLine, "cookies: []"),
			want: []string{`1:90: updated "28/11/2026" is not a date: write the day the charter last changed as YYYY-MM-DD, as in updated: 2026-11-28`},
		},
		{
			name: "option not a boolean",
			in:   doc(siteLine, categoriesLine, cookiesLine, "options: {google_consent_mode: yes}"),
			want: []string{`4:32: google_consent_mode must be true or false, not "yes"`},
		},
		{
			// Four ids of 46 characters: an accept-all cookie of 259 bytes,
			// which consent.ParseCookie would refuse (issue 10).
			name: "consent cookie too long",
			in: doc(siteLine, "categories:", "  - id: necessary",
				"  - {id: x"+strings.Repeat("a", 45)+", name: A, description: A}",
				"  - {id: y"+strings.Repeat("b", 45)+", name: B, description: B}",
				"  - {id: z"+strings.Repeat("c", 45)+", name: C, description: C}",
				"  - {id: w"+strings.Repeat("d", 45)+", name: D, description: D}",
				"cookies: []"),
			want: []string{"3:3: the consent cookie of a visitor who accepts every category would be 259 bytes, more than the 200 that charte reads back: " +
				"shorten the longest category ids by 59 characters in all, such as x" + strings.Repeat("a", 45) + " (46 characters), y" + strings.Repeat("b", 45) + " (46 characters)"},
		},
		{
			name: "duplicate category",
			in:   doc(siteLine, "categories:", "  - id: necessary", "  - id: statistics", "  - id: statistics", "cookies: []"),
			want: []string{`5:5: category "statistics" is declared twice (first on line 4): remove one`},
		},
		{
			name: "category id invalid",
			in:   doc(siteLine, "categories:", "  - id: Vidéo", "    name: Vidéo", "    description: Vidéos", "cookies: []"),
			want: []string{`3:9: category id "Vidéo" is invalid: use up to 63 lowercase letters, digits, - and _, starting with a letter, as in statistics or video_players`},
		},
		{
			name: "custom category without texts",
			in:   doc(siteLine, "categories:", "  - id: necessary", "  - id: video", "cookies: []"),
			want: []string{
				`4:5: missing key "description" in category "video": add description: {fr: "…", en: "…"} (only built-in categories have default texts)`,
				`4:5: missing key "name" in category "video": add name: {fr: "…", en: "…"} (only built-in categories have default texts)`,
			},
		},
		{
			name: "custom category close to a built-in one",
			in:   doc(siteLine, "categories:", "  - id: necessary", "  - id: statistic", "cookies: []"),
			want: []string{
				`4:5: missing key "description" in category "statistic": add description: {fr: "…", en: "…"}, or did you mean the built-in category "statistics"?`,
				`4:5: missing key "name" in category "statistic": add name: {fr: "…", en: "…"}, or did you mean the built-in category "statistics"?`,
			},
		},
		{
			name: "built-in category without text in a site language",
			in: doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr, de], contact: a@s.org}`,
				"categories:",
				"  - id: necessary",
				`    name: {fr: Nécessaires, de: Notwendig}`,
				`    description: {de: Notwendige Cookies}`,
				"  - id: statistics",
				"cookies: []"),
			want: []string{
				`6:5: category "statistics" has no description in de: give description: {de: "…"}`,
				`6:5: category "statistics" has no name in de: give name: {de: "…"}`,
			},
		},
		{
			name: "implicit necessary without text in a site language",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [de], contact: a@s.org}`, "categories: []", "cookies: []"),
			want: []string{`2:1: the necessary category, added because categories does not declare it, has no text in de: declare it with - {id: necessary, name: {de: "…"}, description: {de: "…"}}`},
		},
		{
			name: "exempt outside statistics",
			in:   doc(siteLine, "categories:", "  - id: necessary", "  - id: marketing", "    exempt: true", "cookies: []"),
			want: []string{`5:13: exempt is only allowed on the statistics category, for audience measurement the CNIL exempts from consent: remove exempt: true`},
		},
		{
			name: "third-party cookie in exempt statistics",
			in: doc(siteLine,
				"categories: [{id: necessary}, {id: statistics, exempt: true}]",
				"cookies:",
				"  - name: _pk_id.*",
				"    provider: Matomo",
				"    service: Matomo",
				"    purpose: Audience",
				"    category: statistics",
				"    lifetime: 13mo",
				"    party: third"),
			want: []string{`10:12: cookie "_pk_id.*" is a third-party cookie, but category "statistics" is exempt from consent, and the CNIL exemption excludes third-party cookies: move the cookie to another category, or remove exempt: true`},
		},
		{
			name: "unknown category with hint",
			in:   doc(siteLine, "categories: [{id: necessary}, {id: statistics}]", `cookies: [{name: _ga, provider: G, service: GA, purpose: Audience, category: statistic, lifetime: 13mo, party: third}]`),
			want: []string{`3:78: unknown category "statistic" in cookie "_ga"; did you mean "statistics"?`},
		},
		{
			name: "undeclared category",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: _ga, provider: G, service: GA, purpose: Audience, category: marketing, lifetime: 13mo, party: third}]`),
			want: []string{`3:78: unknown category "marketing" in cookie "_ga": declare it under categories, or use necessary`},
		},
		{
			name: "duplicate cookie",
			in: doc(siteLine, categoriesLine, "cookies:",
				"  - {name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: session, party: first}",
				"  - {name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: 1d, party: first}"),
			want: []string{`5:12: cookie "sid" is declared twice (first on line 4): merge the two or remove one`},
		},
		{
			name: "malformed lifetime",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: 3 parsecs, party: first}]`),
			want: []string{`3:101: lifetime must be "session" or a duration: duration "3 parsecs" has an unknown unit: use h, d, w, mo or y, as in 30d, 6mo or 1y`},
		},
		{
			name: "lifetime without unit",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: 30, party: first}]`),
			want: []string{`3:101: lifetime must be "session" or a duration: duration "30" has an unknown unit: …`},
		},
		{
			name: "consent cookie living too long",
			in:   doc(siteLine, "categories: [{id: necessary}, {id: marketing}]", `cookies: [{name: _fbp, provider: Meta, service: Pixel, purpose: Ads, category: marketing, lifetime: 2y, party: third}]`),
			want: []string{`3:101: lifetime 2y of cookie "_fbp" is longer than 13 months, the most the CNIL allows for a cookie that is not necessary: write 13mo or less`},
		},
		{
			name: "bad party",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: session, party: 1st}]`),
			want: []string{`3:117: party must be first or third, not "1st"`},
		},
		{
			name: "empty provider and texts",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: " ", service: "", purpose: {fr: "", en: x}, category: necessary, lifetime: session, party: first}]`),
			want: []string{
				`3:33: provider of cookie "sid" is empty: write provider: Google, a plain name`,
				`3:47: service of cookie "sid" is empty: write service: {fr: "…", en: "…"}`,
				`3:65: the fr purpose of cookie "sid" is empty: write it, as in fr: "…"`,
			},
		},
		{
			name: "provider as a text",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: {fr: S}, service: Session, purpose: Login, category: necessary, lifetime: session, party: first}]`),
			want: []string{`3:33: provider of cookie "sid" must be a plain value, not a mapping: write provider: Google, a plain name`},
		},
		{
			name: "text missing a translation",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: {fr: Connexion}, category: necessary, lifetime: session, party: first}]`),
			want: []string{`3:63: purpose of cookie "sid" has no en translation: add en: "…"`},
		},
		{
			name: "text in an undeclared language",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: {fr: Connexion, en: Login, de: Anmeldung}, category: necessary, lifetime: session, party: first}]`),
			want: []string{`3:90: purpose of cookie "sid" is in de, which the site does not declare: add de to site languages, or remove this text`},
		},
		{
			name: "text language close to a declared one",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: {fr: Connexion, eng: Login}, category: necessary, lifetime: session, party: first}]`),
			want: []string{
				`3:63: purpose of cookie "sid" has no en translation: add en: "…"`,
				`3:79: purpose of cookie "sid" is in eng, which the site does not declare; did you mean en?`,
			},
		},
		{
			name: "text is a list",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: [Login], category: necessary, lifetime: session, party: first}]`),
			want: []string{`3:63: purpose of cookie "sid" must be a text, not a list: write purpose: {fr: "…", en: "…"}`},
		},
		{
			name: "domain with scheme",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: session, party: first, domain: "https://s.org/x"}]`),
			want: []string{`3:132: domain "https://s.org/x" is not a domain name: write the host alone, as in s.org`},
		},
		{
			name: "merge key with unknown key",
			in: doc(siteLine, categoriesLine,
				"defaults: &d {provider: S, category: necessary, party: frist}",
				"cookies: [{<<: *d, name: sid, service: Session, purpose: Login, lifetime: session}]"),
			want: []string{
				`3:1: unknown key "defaults" in charter: use site, options, theme, categories, cookies or services`,
				`3:56: party must be first or third, not "frist"`,
			},
		},
		{
			name: "multiple problems",
			in: doc(`site: {id: S, name: S, url: "https://s.org", languages: [fr], contact: a@s.org}`,
				"categories: [{id: necessary}, {id: necessary}]",
				`cookies: [{name: "a b", provider: S, service: X, purpose: Y, category: necessary, lifetime: forever, party: first}]`),
			want: []string{
				`1:12: site id "S" is not a slug: use 1 to 63 lowercase letters, digits and hyphens, as in s`,
				`2:31: category "necessary" is declared twice (first on line 2): remove one`,
				`3:18: cookie name "a b" contains a space, which RFC 6265 forbids in cookie names: write the name as the site sets it`,
				`3:93: lifetime must be "session" or a duration: duration "forever" must start with a number, as in 30d, 6mo or 1y`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkProblems(t, problemsOf(t, tc.in), tc.want)
		})
	}
}

// TestParseCheckPlaced checks how the problems of charte.Charter.Check are
// placed in the file: at the node of their path, or of the nearest path
// read above it, and never again where the file already has a problem.
func TestParseCheckPlaced(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "text with an empty language and a missing one",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: {fr: ""}, category: necessary, lifetime: session, party: first}]`),
			want: []string{
				`3:63: purpose of cookie "sid" has no en translation: add en: "…"`,
				`3:68: the fr purpose of cookie "sid" is empty: write it, as in fr: "…"`,
			},
		},
		{
			name: "empty text in a language the site does not declare",
			in:   doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: {fr: Connexion, en: Login, de: ""}, category: necessary, lifetime: session, party: first}]`),
			want: []string{`3:90: purpose of cookie "sid" is in de, which the site does not declare: add de to site languages, or remove this text`},
		},
		{
			name: "url with a problem and no origins",
			in:   doc(`site: {id: s, name: S, url: s.org, languages: [fr], contact: a@s.org}`, categoriesLine, "cookies: []"),
			want: []string{`1:29: url "s.org" is not an absolute http(s) URL: write it with its scheme, as in https://s.org`},
		},
		{
			name: "texts unchecked while languages have a problem",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [FR, {fr: x}], contact: a@s.org}`, "categories: [{id: necessary}, {id: video, name: {de: V}, description: {fr: V}}]", "cookies: []"),
			want: []string{
				`1:58: language "FR" is not written as a language code: write fr`,
				`1:62: each language must be a language code, as in fr or en-GB, not a mapping`,
			},
		},
		{
			name: "categories not a list, in a language without built-in texts",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [de], contact: a@s.org}`, "categories: necessary", "cookies: []"),
			want: []string{
				`2:1: the necessary category, added because categories does not declare it, has no text in de: declare it with - {id: necessary, name: {de: "…"}, description: {de: "…"}}`,
				`2:13: categories must be a list, not "necessary": write categories: [{id: necessary}]`,
			},
		},
		{
			name: "undeclared category with the necessary category left out",
			in:   doc(siteLine, "categories: [{id: statistics}]", `cookies: [{name: _ga, provider: G, service: GA, purpose: Audience, category: marketing, lifetime: 13mo, party: third}]`),
			want: []string{`3:78: unknown category "marketing" in cookie "_ga": declare it under categories, or use statistics or necessary`},
		},
		{
			name: "category without an id",
			in:   doc(siteLine, "categories: [{name: X}, {id: statistics, exempt: yes}, {id: marketing, exempt: true}]", cookiesLine),
			want: []string{
				`2:14: missing key "id" in category: add …`,
				`2:50: exempt must be true or false, not "yes"`,
				`2:80: exempt is only allowed on the statistics category, for audience measurement the CNIL exempts from consent: remove exempt: true`,
			},
		},
		{
			name: "cookie with a problem in its name",
			in: doc(siteLine, categoriesLine, "cookies:",
				`  - {name: [sid], provider: S, service: Session, purpose: Login, category: necessary, lifetime: 2y, party: third}`,
				`  - {name: [sid], provider: S, service: Session, purpose: Login, category: necessary, lifetime: 2y, party: 3rd}`),
			want: []string{
				`4:12: cookie name must be a plain value, not a list: write name: sessionid`,
				`5:12: cookie name must be a plain value, not a list: write name: sessionid`,
				`5:108: party must be first or third, not "3rd"`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkProblems(t, problemsOf(t, tc.in), tc.want)
		})
	}
}

// TestParseCategoryOrder checks that the categories keep the file's order,
// the necessary category first only when the file leaves it out.
func TestParseCategoryOrder(t *testing.T) {
	for _, tc := range []struct {
		categories string
		want       []string
	}{
		{"categories: [{id: statistics}, {id: necessary}]", []string{"statistics", "necessary"}},
		{"categories: [{id: statistics}, {id: marketing}]", []string{"necessary", "statistics", "marketing"}},
		{"categories: []", []string{"necessary"}},
	} {
		ch := MustParse(t, "c.yaml", doc(siteLine, tc.categories, cookiesLine))
		var got []string
		for _, c := range ch.Categories {
			got = append(got, c.ID)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: category ids mismatch (-want +got):\n%s", tc.categories, diff)
		}
	}
}

// checkProblems compares problems with wants of the form "LINE:COL: text",
// where a text ending in "…" is a prefix of the message.
func checkProblems(t *testing.T, ps Problems, want []string) {
	t.Helper()
	got := make([]string, len(ps))
	for i, p := range ps {
		if p.File != "c.yaml" {
			t.Errorf("problem %q: file = %q, want c.yaml", p, p.File)
		}
		s := strings.TrimPrefix(p.String(), "c.yaml:")
		if i < len(want) {
			if prefix, ok := strings.CutSuffix(want[i], "…"); ok && strings.HasPrefix(s, prefix) {
				s = want[i]
			}
		}
		got[i] = s
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse() problems mismatch (-want +got):\n%s", diff)
	}
}

// TestCookieNames checks the cookie name problems of the file; the rule for
// names is charte's (TestCheckCookieName).
func TestCookieNames(t *testing.T) {
	// An empty name is a problem of the file, at the name.
	in := doc(siteLine, categoriesLine, `cookies: [{name: "", provider: S, service: Session, purpose: Login, category: necessary, lifetime: session, party: first}]`)
	checkProblems(t, problemsOf(t, in), []string{`3:18: cookie name is empty: write name: sessionid`})
}

func TestParse(t *testing.T) {
	in := doc(
		"# A charter with defaults left out.",
		"cookies:",
		"  - name: _pk_*",
		"    provider: Matomo",
		"    service: Matomo",
		"    purpose: {fr: Mesure d'audience, en: Audience measurement}",
		"    category: statistics",
		"    lifetime: 13 months",
		"    party: first",
		"    domain: .s.org",
		"categories:",
		"  - id: statistics",
		"    exempt: true",
		"    name: Mesure d'audience",
		"site:",
		"  id: s",
		"  name: S",
		"  url: https://WWW.s.org:443/fr/",
		"  languages: [fr, en]",
		"  contact: https://s.org/contact",
		"options:",
		"  google_consent_mode: true",
	)
	got := MustParse(t, "c.yaml", in)
	necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	statistics, _ := charte.BuiltinCategory(charte.CategoryStatistics)
	want := &charte.Charter{
		Site: charte.Site{
			ID:              "s",
			Name:            "S",
			URL:             "https://WWW.s.org:443/fr/",
			Origins:         []string{"https://www.s.org"},
			Languages:       []string{"fr", "en"},
			Contact:         "https://s.org/contact",
			ConsentLifetime: charte.DefaultConsentLifetime,
		},
		Categories: []charte.Category{
			necessary,
			{
				ID:          "statistics",
				Name:        charte.Text{"fr": "Mesure d'audience", "en": "Mesure d'audience"},
				Description: statistics.Description,
				Exempt:      true,
			},
		},
		Cookies: []charte.Cookie{{
			Name:     "_pk_*",
			Provider: "Matomo",
			Service:  charte.Text{"fr": "Matomo", "en": "Matomo"},
			Purpose:  charte.Text{"fr": "Mesure d'audience", "en": "Audience measurement"},
			Category: "statistics",
			Lifetime: charte.Lifetime{Duration: charte.Duration{N: 13, Unit: charte.UnitMonth}},
			Party:    charte.PartyFirst,
			Domain:   ".s.org",
		}},
		Options: charte.Options{GoogleConsentMode: true, PersistentControl: true},
		Source:  "c.yaml",
	}
	want.Version = Version(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
	}
}

func TestParseBuiltinTexts(t *testing.T) {
	// Only the site's languages are kept; a partial text on a built-in
	// category is completed with the default texts.
	in := doc(`site: {id: s, name: S, url: "https://s.org", languages: [en, de], contact: a@s.org, updated: 2026-01-31, consent_lifetime: 13mo}`,
		"categories:",
		"  - id: necessary",
		"    name: {de: Notwendig}",
		"    description: {de: Notwendige Cookies}",
		"  - id: marketing",
		"    name: {de: Werbung, en: Ads}",
		"    description: {de: Werbe-Cookies}",
		"cookies: []",
		"options: {persistent_control: false}")
	got := MustParse(t, "c.yaml", in)
	necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	marketing, _ := charte.BuiltinCategory(charte.CategoryMarketing)
	want := []charte.Category{
		{ID: "necessary", Name: charte.Text{"en": necessary.Name["en"], "de": "Notwendig"}, Description: charte.Text{"en": necessary.Description["en"], "de": "Notwendige Cookies"}},
		{ID: "marketing", Name: charte.Text{"en": "Ads", "de": "Werbung"}, Description: charte.Text{"en": marketing.Description["en"], "de": "Werbe-Cookies"}},
	}
	if diff := cmp.Diff(want, got.Categories); diff != "" {
		t.Errorf("Parse() categories mismatch (-want +got):\n%s", diff)
	}
	if want := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC); !got.Updated.Equal(want) {
		t.Errorf("Parse() Updated = %v, want %v", got.Updated, want)
	}
	if want := (charte.Duration{N: 13, Unit: charte.UnitMonth}); got.Site.ConsentLifetime != want {
		t.Errorf("Parse() ConsentLifetime = %v, want %v", got.Site.ConsentLifetime, want)
	}
	if got.Options.PersistentControl {
		t.Errorf("Parse() PersistentControl = true, want false")
	}
}

func TestParseImplicitNecessary(t *testing.T) {
	ch := MustParse(t, "c.yaml", doc(siteLine, "categories: [{id: marketing}]", cookiesLine))
	var ids []string
	for _, c := range ch.Categories {
		ids = append(ids, c.ID)
	}
	if diff := cmp.Diff([]string{"necessary", "marketing"}, ids); diff != "" {
		t.Errorf("Parse() category ids mismatch (-want +got):\n%s", diff)
	}
	necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	if diff := cmp.Diff(necessary, ch.Categories[0]); diff != "" {
		t.Errorf("Parse() implicit necessary mismatch (-want +got):\n%s", diff)
	}
}

func TestParseNecessaryLifetime(t *testing.T) {
	// Necessary cookies are not capped at 13 months.
	MustParse(t, "c.yaml", doc(siteLine, categoriesLine, `cookies: [{name: sid, provider: S, service: Session, purpose: Login, category: necessary, lifetime: 2y, party: first}]`))
}

func TestParseJSON(t *testing.T) {
	in := `{
  "site": {
    "id": "s",
    "name": "S",
    "url": "https://s.org",
    "languages": ["fr", "en"],
    "contact": "a@s.org"
  },
  "categories": [{"id": "necessary"}],
  "cookies": [
    {
      "name": "sid",
      "provider": "S",
      "service": {"fr": "Session", "en": "Session"},
      "purpose": "Login",
      "category": "necessary",
      "lifetime": "session",
      "party": "first"
    }
  ]
}
`
	ch := MustParse(t, "c.json", in)
	yml := MustParse(t, "c.yaml", doc(siteLine, categoriesLine, cookiesLine))
	if ch.Version != yml.Version {
		t.Errorf("JSON version = %s, YAML version = %s, want equal", ch.Version, yml.Version)
	}

	bad := strings.Replace(in, `"party": "first"`, `"party": "firts"`, 1)
	bad = strings.Replace(bad, `"contact"`, `"contacts"`, 1)
	checkProblems(t, problemsOf(t, bad), []string{
		`2:11: missing key "contact" in site: add …`,
		`7:5: unknown key "contacts" in site; did you mean "contact"?`,
		`18:16: party must be first or third, not "firts"`,
	})
}

func TestProblemsError(t *testing.T) {
	ps := Problems{
		{File: "b.yaml", Line: 1, Col: 1, Message: "third"},
		{File: "a.yaml", Line: 10, Col: 2, Message: "second"},
		{File: "a.yaml", Line: 2, Col: 30, Message: "first"},
	}
	want := "a.yaml:2:30: first\na.yaml:10:2: second\nb.yaml:1:1: third"
	if got := ps.Error(); got != want {
		t.Errorf("Problems.Error() = %q, want %q", got, want)
	}
	var err error = ps
	var target Problems
	if !errors.As(err, &target) || len(target) != 3 {
		t.Errorf("errors.As(Problems) = %v, want the problems", target)
	}
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no example charters found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			ch, err := Load(f)
			if err != nil {
				t.Fatalf("Load(%s) = %v", f, err)
			}
			if len(ch.Version) != 12 || ch.Source != f {
				t.Errorf("Load(%s): Version = %q, Source = %q", f, ch.Version, ch.Source)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	ch := Default()
	var got []string
	for _, c := range ch.Cookies {
		got = append(got, c.Name+" "+c.Category)
	}
	want := []string{"sessionid necessary", "django_language necessary", "csrftoken necessary", "cookies_preferences necessary", "charte_demo_stats statistics", "charte_demo_ads marketing"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Default() cookies mismatch (-want +got):\n%s", diff)
	}
	if ch.Source != "" || ch.Site.ID != "charte" || len(ch.Version) != 12 {
		t.Errorf("Default() Source = %q, Site.ID = %q, Version = %q", ch.Source, ch.Site.ID, ch.Version)
	}
	// Each call returns its own charter.
	ch.Cookies[0].Name = "changed"
	if Default().Cookies[0].Name != "sessionid" {
		t.Errorf("Default() returned a shared charter")
	}
}

func TestDefaultPanicsOnInvalidFile(t *testing.T) {
	saved := defaultYAML
	t.Cleanup(func() { defaultYAML = saved })
	defaultYAML = []byte("site: {}\n")
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("Default() with an invalid file did not panic")
		}
	}()
	Default()
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(doc(siteLine, categoriesLine, cookiesLine)), 0o600); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	ch, err := Load(path)
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	if want := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC); !ch.Updated.Equal(want) {
		t.Errorf("Load() Updated = %v, want %v (the file's mod time)", ch.Updated, want)
	}
	if ch.Source != path {
		t.Errorf("Load() Source = %q, want %q", ch.Source, path)
	}

	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want ErrNotExist", err)
	}
	if err := os.WriteFile(path, []byte("site: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var ps Problems
	if _, err := Load(path); !errors.As(err, &ps) || ps[0].File != path {
		t.Errorf("Load(invalid) = %v, want Problems in %s", err, path)
	}
}

func TestVersion(t *testing.T) {
	base := doc(
		"site:",
		"  id: s",
		"  name: S",
		"  url: https://s.org",
		"  languages: [fr, en]",
		"  contact: a@s.org",
		"categories:",
		"  - id: necessary",
		"  - id: statistics",
		"    exempt: true",
		"cookies:",
		"  - name: sid",
		"    provider: S",
		"    service: {fr: Session, en: Session}",
		"    purpose: {fr: Connexion, en: Login}",
		"    category: necessary",
		"    lifetime: session",
		"    party: first",
		"  - name: _pk_*",
		"    provider: Matomo",
		"    service: Matomo",
		"    purpose: {fr: Audience, en: Audience}",
		"    category: statistics",
		"    lifetime: 13mo",
		"    party: first",
	)
	baseVersion := MustParse(t, "base", base).Version
	if len(baseVersion) != 12 {
		t.Fatalf("Version = %q, want 12 hex digits", baseVersion)
	}
	tests := []struct {
		name string
		in   string
		same bool
	}{
		{
			name: "reformatted",
			same: true,
			in: doc(
				"# Reformatted.",
				`site: {id: s, name: S, url: "https://s.org", languages: [fr, en], contact: a@s.org}`,
				`categories: [{id: necessary}, {id: statistics, exempt: true}]`,
				`cookies:`,
				`- {name: sid, provider: S, service: {fr: Session, en: Session}, purpose: {fr: "Connexion", en: 'Login'}, category: necessary, lifetime: session, party: first}`,
				`- {name: "_pk_*", provider: Matomo, service: Matomo, purpose: {fr: Audience, en: Audience}, category: statistics, lifetime: 13 months, party: first}`,
			),
		},
		{
			name: "keys, cookies and categories reordered",
			same: true,
			in: doc(
				"cookies:",
				"  - name: _pk_*",
				"    party: first",
				"    lifetime: 13mo",
				"    category: statistics",
				"    purpose: {en: Audience, fr: Audience}",
				"    service: Matomo",
				"    provider: Matomo",
				"  - party: first",
				"    name: sid",
				"    provider: S",
				"    service: {fr: Session, en: Session}",
				"    purpose: {en: Login, fr: Connexion}",
				"    category: necessary",
				"    lifetime: session",
				"categories:",
				"  - exempt: true",
				"    id: statistics",
				"  - id: necessary",
				"site:",
				"  contact: a@s.org",
				"  languages: [fr, en]",
				"  url: https://s.org",
				"  name: S",
				"  id: s",
			),
		},
		{name: "contact changed", same: true, in: strings.Replace(base, "a@s.org", "dpo@s.org", 1)},
		{name: "site name and url changed", same: true, in: strings.Replace(strings.Replace(base, "name: S\n", "name: Another\n", 1), "https://s.org", "https://t.org", 1)},
		{name: "service changed", same: true, in: strings.Replace(base, "service: Matomo", "service: Matomo Cloud", 1)},
		{name: "options and updated added", same: true, in: strings.Replace(base, "  contact:", "  updated: 2027-01-01\n  contact:", 1) + "options: {google_consent_mode: true}\n"},
		{name: "plain string for a text", same: true, in: strings.Replace(base, "purpose: {fr: Audience, en: Audience}", "purpose: Audience", 1)},
		{name: "built-in text spelt out", same: true, in: strings.Replace(base, "  - id: necessary\n", "  - id: necessary\n    name: {fr: Cookies nécessaires}\n", 1)},
		{name: "cookie added", in: base + doc(
			"  - name: csrftoken",
			"    provider: S",
			"    service: Forms",
			"    purpose: CSRF",
			"    category: necessary",
			"    lifetime: session",
			"    party: first")},
		{name: "purpose changed", in: strings.Replace(base, "en: Login", "en: Sign-in", 1)},
		{name: "lifetime changed", in: strings.Replace(base, "lifetime: 13mo", "lifetime: 12mo", 1)},
		{name: "provider changed", in: strings.Replace(base, "provider: Matomo", "provider: InnoCraft", 1)},
		{name: "party changed", in: strings.Replace(base, "party: first\n  - name: _pk_*", "party: third\n  - name: _pk_*", 1)},
		{name: "exemption removed", in: strings.Replace(base, "    exempt: true\n", "", 1)},
		{name: "category added", in: strings.Replace(base, "cookies:", "  - id: marketing\ncookies:", 1)},
		{name: "default language changed", same: true, in: strings.Replace(base, "[fr, en]", "[en, fr]", 1)},
		{name: "empty theme", same: true, in: base + "theme: {}\n"},
		{name: "persistent control off", same: true, in: base + "options: {persistent_control: false}\n"},
		{name: "layout set", same: true, in: base + "options: {layout: bar}\n"},
		{name: "position set", same: true, in: base + "options: {position: middle}\n"},
		{name: "preset set", same: true, in: base + "theme: {preset: dsfr}\n"},
		{name: "accent set", same: true, in: base + "theme: {accent: \"#000091\"}\n"},
		{name: "radius 0 set", same: true, in: base + "theme: {radius: 0}\n"},
		{name: "dark colour set", same: true, in: base + "theme: {dark: {text: \"#fff\"}}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := Parse("c.yaml", []byte(tc.in))
			if err != nil {
				t.Fatalf("Parse() = %v", err)
			}
			if got := ch.Version == baseVersion; got != tc.same {
				t.Errorf("Version = %s, base version = %s, want same = %t", ch.Version, baseVersion, tc.same)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	if b, err := os.ReadFile("../../examples/data-aveyron-occitanie.yaml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(doc(siteLine, categoriesLine, cookiesLine)))
	f.Add([]byte(doc(siteLine, "categories: &c [*c]", "cookies: [{<<: *c}]")))
	f.Add([]byte(`{"site": {"id": "s"}, "cookies": [{"name": "*"}]}`))
	f.Add([]byte("site:\n\tid: s\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ch, err := Parse("f.yaml", data)
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Parse() = %v, want Problems", err)
			}
			return
		}
		if len(ch.Version) != 12 {
			t.Fatalf("Parse() Version = %q, want 12 hex digits", ch.Version)
		}
	})
}

func TestParseLimits(t *testing.T) {
	t.Run("alias expansion", func(t *testing.T) {
		// Each level merges the one before ten times: 10^8 keys.
		var b strings.Builder
		b.WriteString("x0: &x0 {name: a, provider: b}\n")
		for i := 1; i <= 8; i++ {
			fmt.Fprintf(&b, "x%d: &x%d {<<: [", i, i)
			for j := range 10 {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "*x%d", i-1)
			}
			b.WriteString("]}\n")
		}
		b.WriteString(doc(siteLine, categoriesLine, "cookies: [*x8]"))
		checkProblems(t, problemsOf(t, b.String()), []string{
			"7:15: the aliases up to this *x5 stand for more than 4 MB of YAML, more than a charter may repeat through aliases: write the values out, or name long ones less often",
		})
	})
	t.Run("many problems", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(doc(siteLine, categoriesLine, "cookies:"))
		for range 2000 {
			b.WriteString("  - {name: '*'}\n")
		}
		ps := problemsOf(t, b.String())
		if len(ps) != maxProblems+1 || !strings.Contains(ps.Error(), "more than 1000 problems: fix these first") {
			t.Errorf("Parse() = %d problems, want %d ending with a note", len(ps), maxProblems+1)
		}
	})
}
