package charte

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testCharter returns a small valid charter, built in Go: the rules of
// Check do not depend on how a charter was made.
func testCharter() *Charter {
	necessary, _ := BuiltinCategory(CategoryNecessary)
	statistics, _ := BuiltinCategory(CategoryStatistics)
	statistics.Exempt = true
	return &Charter{
		Site: Site{
			ID:              "data-aveyron",
			Name:            "Data Aveyron",
			URL:             "https://www.example.org/fr/",
			Origins:         []string{"https://www.example.org"},
			Languages:       []string{"fr", "en"},
			Contact:         "dpo@example.org",
			ConsentLifetime: DefaultConsentLifetime,
		},
		Categories: []Category{
			necessary,
			statistics,
			{ID: "video", Name: Text{"fr": "Vidéos", "en": "Videos"}, Description: Text{"fr": "Lecteurs", "en": "Players"}},
		},
		Cookies: []Cookie{
			{Name: "sessionid", Provider: "Site", Service: Text{"fr": "Site", "en": "Site"}, Purpose: Text{"fr": "Connexion", "en": "Login"}, Category: CategoryNecessary, Lifetime: Lifetime{Duration: MustParseDuration("2y")}, Party: PartyFirst},
			{Name: "_pk_id.*", Provider: "Matomo", Service: Text{"fr": "Matomo", "en": "Matomo"}, Purpose: Text{"fr": "Audience", "en": "Audience"}, Category: CategoryStatistics, Lifetime: Lifetime{Duration: MustParseDuration("13mo")}, Party: PartyFirst},
			{Name: "yt", Provider: "Google", Service: Text{"fr": "YouTube", "en": "YouTube"}, Purpose: Text{"fr": "Vidéo", "en": "Video"}, Category: "video", Lifetime: SessionLifetime, Party: PartyThird, Domain: ".youtube.com"},
		},
	}
}

// TestCheck checks each rule on a charter built in Go: each want is
// "PATH: message", or a prefix of it when it ends with "…".
func TestCheck(t *testing.T) {
	long := func(c byte) string { return string(c) + strings.Repeat(string(c+1), 45) }
	tests := []struct {
		name   string
		change func(ch *Charter)
		want   []string
	}{
		{name: "valid", change: func(*Charter) {}},
		{
			name:   "site id not a slug",
			change: func(ch *Charter) { ch.Site.ID = "Data Aveyron" },
			want:   []string{`site.id: site id "Data Aveyron" is not a slug: use 1 to 63 lowercase letters, digits and hyphens, as in data-aveyron`},
		},
		{
			name:   "site id without a slug to suggest",
			change: func(ch *Charter) { ch.Site.ID = strings.Repeat("a", 64) },
			want:   []string{`site.id: site id "` + strings.Repeat("a", 64) + `" is not a slug: use 1 to 63 lowercase letters, digits and hyphens, as in data-aveyron`},
		},
		{
			name:   "empty site id",
			change: func(ch *Charter) { ch.Site.ID = "" },
			want:   []string{`site.id: site id "" is not a slug: …`},
		},
		{
			name:   "url without scheme",
			change: func(ch *Charter) { ch.Site.URL = "//s.org" },
			want:   []string{`site.url: url "//s.org" is not an absolute http(s) URL: write it with its scheme, as in https://s.org`},
		},
		{
			name:   "url with another scheme",
			change: func(ch *Charter) { ch.Site.URL = "ftp://s.org" },
			want:   []string{`site.url: url "ftp://s.org" is not an absolute http(s) URL: write one such as https://www.example.org`},
		},
		{
			name:   "url with a space",
			change: func(ch *Charter) { ch.Site.URL = "www example org" },
			want:   []string{`site.url: url "www example org" is not an absolute http(s) URL: write one such as https://www.example.org`},
		},
		{
			name:   "no origin",
			change: func(ch *Charter) { ch.Site.Origins = nil },
			want:   []string{`site.origins: origins is empty: list the origins allowed to show the banner, or remove origins to allow the origin of url`},
		},
		{
			name: "origins",
			change: func(ch *Charter) {
				ch.Site.Origins = []string{"https://s.org/", "s.org", "https://S.org:443", "https://user@s.org", "http://s.org:80", "https://s.org?", "http://[::1]:8080", "https://s.org"}
			},
			want: []string{
				`site.origins[0]: origin "https://s.org/" has more than scheme://host[:port]: write https://s.org`,
				`site.origins[1]: origin "s.org" is not an absolute http(s) URL: write it with its scheme, as in https://s.org`,
				`site.origins[3]: origin "https://user@s.org" has more than scheme://host[:port]: write https://s.org`,
				`site.origins[5]: origin "https://s.org?" has more than scheme://host[:port]: write https://s.org`,
				`site.origins[7]: origin https://s.org is listed twice (first at site.origins[2]): remove one`,
			},
		},
		{
			name:   "no language",
			change: func(ch *Charter) { ch.Site.Languages = nil },
			want:   []string{`site.languages: languages is empty: list at least one language, the default first, as in languages: [fr, en]`},
		},
		{
			// Texts are not checked against languages that have a problem.
			name:   "languages",
			change: func(ch *Charter) { ch.Site.Languages = []string{"FR", "fr_be", "french", "fr", "de-AT", "es-419"} },
			want: []string{
				`site.languages[0]: language "FR" is not written as a language code: write fr`,
				`site.languages[1]: language "fr_be" is not written as a language code: write fr-BE`,
				`site.languages[2]: language "french" is not a language code: use 2 or 3 lowercase letters, optionally followed by a region, as in fr, en or fr-BE`,
			},
		},
		{
			name:   "duplicate language",
			change: func(ch *Charter) { ch.Site.Languages = []string{"fr", "en", "fr"} },
			want:   []string{`site.languages[2]: language fr is listed twice (first at site.languages[0]): remove one`},
		},
		{
			name:   "contact as a URL",
			change: func(ch *Charter) { ch.Site.Contact = "https://www.example.org/contact" },
		},
		{
			name:   "contact with a name",
			change: func(ch *Charter) { ch.Site.Contact = "DPO <a@s.org>" },
			want:   []string{`site.contact: contact "DPO <a@s.org>" is neither an email address nor an http(s) URL: write one, as in dpo@example.org or https://www.example.org/contact`},
		},
		{
			name:   "contact without a domain",
			change: func(ch *Charter) { ch.Site.Contact = "dpo@localhost" },
			want:   []string{`site.contact: contact "dpo@localhost" is neither an email address nor an http(s) URL: …`},
		},
		{
			name:   "mailto contact",
			change: func(ch *Charter) { ch.Site.Contact = "mailto:a@s.org" },
			want:   []string{`site.contact: contact "mailto:a@s.org": write the address alone, as in a@s.org`},
		},
		{
			name:   "contact URL without host",
			change: func(ch *Charter) { ch.Site.Contact = "https://" },
			want:   []string{`site.contact: contact "https://" is not an absolute http(s) URL: write one such as https://www.example.org`},
		},
		{
			name:   "consent lifetime of 13 months",
			change: func(ch *Charter) { ch.Site.ConsentLifetime = MustParseDuration("13mo") },
		},
		{
			name:   "consent lifetime too long",
			change: func(ch *Charter) { ch.Site.ConsentLifetime = MustParseDuration("14mo") },
			want:   []string{`site.consent_lifetime: consent_lifetime 14mo is longer than 13 months, the most the CNIL allows: write 13mo or less (6mo is recommended)`},
		},
		{
			name:   "category id invalid",
			change: func(ch *Charter) { ch.Categories[2].ID = "Vidéo"; ch.Cookies[2].Category = "Vidéo" },
			want:   []string{`categories[2].id: category id "Vidéo" is invalid: use up to 63 lowercase letters, digits, - and _, starting with a letter, as in statistics or video_players`},
		},
		{
			name:   "duplicate category",
			change: func(ch *Charter) { ch.Categories = append(ch.Categories, ch.Categories[1]) },
			want:   []string{`categories[3]: category "statistics" is declared twice (first at categories[1]): remove one`},
		},
		{
			name:   "exempt outside statistics",
			change: func(ch *Charter) { ch.Categories[2].Exempt = true },
			want: []string{
				`categories[2].exempt: exempt is only allowed on the statistics category, for audience measurement the CNIL exempts from consent: remove exempt: true`,
				`cookies[2].party: cookie "yt" is a third-party cookie, but category "video" is exempt from consent, and the CNIL exemption excludes third-party cookies: move the cookie to another category, or remove exempt: true`,
			},
		},
		{
			name: "custom category text missing a language",
			change: func(ch *Charter) {
				ch.Categories[2].Name = Text{"fr": "Vidéos", "en": " "}
				ch.Categories[2].Description = nil
			},
			want: []string{
				`categories[2].description.en: description of category "video" has no en translation: add en: "…"`,
				`categories[2].description.fr: description of category "video" has no fr translation: add fr: "…"`,
				`categories[2].name.en: name of category "video" has no en translation: add en: "…"`,
			},
		},
		{
			// A built-in category's text falls back to its built-in text.
			name: "built-in category texts",
			change: func(ch *Charter) {
				ch.Categories[0].Name = Text{"fr": "Nécessaires"}
				ch.Categories[1].Name, ch.Categories[1].Description = nil, nil
			},
		},
		{
			name: "built-in category without text in a site language",
			change: func(ch *Charter) {
				ch.Site.Languages = []string{"fr", "de"}
				ch.Categories[0].Name = Text{"fr": "Nécessaires", "de": "Notwendig"}
				ch.Categories[0].Description = Text{"fr": "Nécessaires"}
				ch.Categories[1].Name, ch.Categories[1].Description = nil, nil
				ch.Categories = ch.Categories[:2]
				ch.Cookies = ch.Cookies[:2]
				for i := range ch.Cookies {
					ch.Cookies[i].Service, ch.Cookies[i].Purpose = Text{"fr": "x", "de": "x"}, Text{"fr": "x", "de": "x"}
				}
			},
			want: []string{
				`categories[0].description.de: description of category "necessary" has no de translation: add de: "…"`,
				`categories[1].description.de: category "statistics" has no description in de: give description: {de: "…"}`,
				`categories[1].name.de: category "statistics" has no name in de: give name: {de: "…"}`,
			},
		},
		{
			name: "texts in languages the site does not declare",
			change: func(ch *Charter) {
				ch.Cookies[0].Purpose = Text{"fr": "Connexion", "en": "Login", "de": "Anmeldung"}
				ch.Cookies[1].Service = Text{"fr": "Matomo", "eng": "Matomo"}
			},
			want: []string{
				`cookies[0].purpose.de: purpose of cookie "sessionid" is in de, which the site does not declare: add de to site languages, or remove this text`,
				`cookies[1].service.en: service of cookie "_pk_id.*" has no en translation: add en: "…"`,
				`cookies[1].service.eng: service of cookie "_pk_id.*" is in eng, which the site does not declare; did you mean en?`,
			},
		},
		{
			name: "cookie without a name",
			change: func(ch *Charter) {
				ch.Cookies[2].Name, ch.Cookies[2].Purpose = "", nil
				ch.Cookies = append(ch.Cookies, ch.Cookies[2])
			},
			want: []string{
				`cookies[2].name: cookie name "" would match every cookie: …`,
				`cookies[2].purpose.en: purpose of cookie has no en translation: add en: "…"`,
				`cookies[2].purpose.fr: purpose of cookie has no fr translation: add fr: "…"`,
				`cookies[3].name: cookie name "" would match every cookie: …`,
				`cookies[3].purpose.en: purpose of cookie has no en translation: add en: "…"`,
				`cookies[3].purpose.fr: purpose of cookie has no fr translation: add fr: "…"`,
			},
		},
		{
			name:   "cookie name",
			change: func(ch *Charter) { ch.Cookies[0].Name = "a b" },
			want:   []string{`cookies[0].name: cookie name "a b" contains a space, which RFC 6265 forbids in cookie names: write the name as the site sets it`},
		},
		{
			name:   "duplicate cookie",
			change: func(ch *Charter) { ch.Cookies = append(ch.Cookies, ch.Cookies[0]) },
			want:   []string{`cookies[3].name: cookie "sessionid" is declared twice (first at cookies[0].name): merge the two or remove one`},
		},
		{
			name:   "unknown category with hint",
			change: func(ch *Charter) { ch.Cookies[1].Category = "statistic" },
			want:   []string{`cookies[1].category: unknown category "statistic" in cookie "_pk_id.*"; did you mean "statistics"?`},
		},
		{
			name:   "undeclared category",
			change: func(ch *Charter) { ch.Cookies[2].Category = "marketing" },
			want:   []string{`cookies[2].category: unknown category "marketing" in cookie "yt": declare it under categories, or use necessary, statistics or video`},
		},
		{
			name: "no category to use",
			change: func(ch *Charter) {
				ch.Categories, ch.Cookies = nil, ch.Cookies[2:]
			},
			want: []string{`cookies[0].category: unknown category "video" in cookie "yt": declare it under categories, or use `},
		},
		{
			name:   "lifetime too long",
			change: func(ch *Charter) { ch.Cookies[2].Lifetime = Lifetime{Duration: MustParseDuration("2y")} },
			want:   []string{`cookies[2].lifetime: lifetime 2y of cookie "yt" is longer than 13 months, the most the CNIL allows for a cookie that is not necessary: write 13mo or less`},
		},
		{
			name: "lifetime of a cookie in an unknown category",
			change: func(ch *Charter) {
				ch.Cookies[2].Lifetime, ch.Cookies[2].Category = Lifetime{Duration: MustParseDuration("2y")}, "videos"
			},
			want: []string{`cookies[2].category: unknown category "videos" in cookie "yt"; did you mean "video"?`},
		},
		{
			name:   "bad party",
			change: func(ch *Charter) { ch.Cookies[0].Party = "1st" },
			want:   []string{`cookies[0].party: party must be first or third, not "1st"`},
		},
		{
			name:   "third-party cookie in exempt statistics",
			change: func(ch *Charter) { ch.Cookies[1].Party = PartyThird },
			want:   []string{`cookies[1].party: cookie "_pk_id.*" is a third-party cookie, but category "statistics" is exempt from consent, and the CNIL exemption excludes third-party cookies: move the cookie to another category, or remove exempt: true`},
		},
		{
			name:   "domain with scheme",
			change: func(ch *Charter) { ch.Cookies[2].Domain = "https://s.org/x" },
			want:   []string{`cookies[2].domain: domain "https://s.org/x" is not a domain name: write the host alone, as in s.org`},
		},
		{
			name:   "domain with a space",
			change: func(ch *Charter) { ch.Cookies[2].Domain = "a b" },
			want:   []string{`cookies[2].domain: domain "a b" is not a domain name: write one such as .example.com`},
		},
		{
			// Three ids of 46 characters besides necessary: an accept-all
			// cookie of 212 bytes, which consent.ParseCookie would refuse
			// (issue 10).
			name: "consent cookie of 212 bytes",
			change: func(ch *Charter) {
				ch.Categories = ch.Categories[:1]
				for _, c := range []byte{'a', 'c', 'e'} {
					ch.Categories = append(ch.Categories, Category{ID: long(c), Name: Text{"fr": "x", "en": "x"}, Description: Text{"fr": "x", "en": "x"}})
				}
				ch.Cookies = ch.Cookies[:1]
			},
			want: []string{"categories: the consent cookie of a visitor who accepts every category would be 212 bytes, more than the 200 that charte reads back: " +
				"shorten the longest category ids by 12 characters in all, such as " + long('a') + " (46 characters)"},
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

// checkProblems compares problems, in path order, with wants of the form
// "PATH: message", where a want ending in "…" is a prefix of the problem.
func checkProblems(t *testing.T, ps []Problem, want []string) {
	t.Helper()
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	slices.Sort(got)
	for i := range got {
		if i < len(want) {
			if prefix, ok := strings.CutSuffix(want[i], "…"); ok && strings.HasPrefix(got[i], prefix) {
				got[i] = want[i]
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check() problems mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckStopsAtMaxProblems(t *testing.T) {
	ch := testCharter()
	for i := range 2 * MaxProblems {
		ch.Cookies = append(ch.Cookies, Cookie{Name: "c " + strconv.Itoa(i), Category: CategoryNecessary, Party: PartyFirst, Service: Text{"fr": "x", "en": "x"}, Purpose: Text{"fr": "x", "en": "x"}})
	}
	if got := len(ch.Check()); got != MaxProblems+1 {
		t.Errorf("Check() = %d problems, want %d", got, MaxProblems+1)
	}
}

func TestCheckPanics(t *testing.T) {
	// A panic that is not the check's own limit is not swallowed.
	defer func() {
		if r := recover(); r == nil {
			t.Error("Check() of a nil charter did not panic")
		}
	}()
	var ch *Charter
	ch.Check()
}

func TestProblemCite(t *testing.T) {
	ch := testCharter()
	ch.Site.Languages = append(ch.Site.Languages, "fr")
	ps := ch.Check()
	if len(ps) != 1 {
		t.Fatalf("Check() = %v, want one problem", ps)
	}
	p := ps[0]
	if p.Path != "site.languages[2]" || p.Other != "site.languages[0]" {
		t.Errorf("Check() = %+v, want it on site.languages[2], first at site.languages[0]", p)
	}
	if got, want := p.Cite("on line 4"), "language fr is listed twice (first on line 4): remove one"; got != want {
		t.Errorf("Cite() = %q, want %q", got, want)
	}
	plain := Problem{Path: "site.url", Message: "url is wrong"}
	for _, p := range []Problem{plain, {Path: "site.url", Message: "url is wrong", Other: "site.origins[0]"}} {
		if got := p.Cite("on line 4"); got != p.Message {
			t.Errorf("%#v.Cite() = %q, want its message", p, got)
		}
	}
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{plain, "site.url: url is wrong"},
		{Problem{Message: "too long"}, "too long"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://WWW.s.org:443/fr/", "https://www.s.org"},
		{"http://s.org:80", "http://s.org"},
		{"http://s.org:8080/x", "http://s.org:8080"},
		{"https://[::1]:8443", "https://[::1]:8443"},
		{"s.org", ""},
		{"ftp://s.org", ""},
		{"https://", ""},
	} {
		if got := Origin(tc.in); got != tc.want {
			t.Errorf("Origin(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	words := []string{"site", "options", "categories", "cookies"}
	for _, tc := range []struct{ in, want string }{
		{"cookie", "cookies"},
		{"Site", "site"},
		{"cat", "categories"}, // an abbreviation
		{"opt", "options"},
		{"colour", ""},
		{"s", ""},
		{"", ""},
	} {
		if got := Suggest(tc.in, words); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCheckCookieName(t *testing.T) {
	tests := []struct {
		name string
		want string // "" for a valid name, else a part of the message
	}{
		{name: "sessionid"},
		{name: "_ga_*"},
		{name: "*_session"},
		{name: "a*b*c"},
		{name: "__Host-id"},
		{name: "_pk_id.1.abcd"},
		{name: "a!#$%&'+-.^_`|~b"},
		{name: "", want: "would match every cookie"},
		{name: "*", want: "would match every cookie"},
		{name: "**", want: "would match every cookie"},
		{name: "a b", want: "contains a space"},
		{name: "a\tb", want: "contains a tab"},
		{name: "a\x01b", want: `contains the control character '\x01'`},
		{name: "a\x7fb", want: `contains the control character '\x7f'`},
		{name: "a\xffb", want: `contains an invalid UTF-8 byte`},
		{name: "café", want: `contains 'é', which is not ASCII`},
		{name: "a;b", want: `contains ';'`},
		{name: "a,b", want: `contains ','`},
		{name: "a=b", want: `contains '='`},
		{name: `a"b`, want: `contains '"'`},
		{name: `a\b`, want: `contains '\\'`},
		{name: "a:b", want: `contains ':'`},
		{name: "a/b", want: `contains '/'`},
		{name: "a@b", want: `contains '@'`},
		{name: "a(b)", want: `contains '('`},
		{name: "a<b>", want: `contains '<'`},
		{name: "a{b}", want: `contains '{'`},
		{name: "_ga_?", want: "only * is a wildcard"},
		{name: "a[0]", want: "only * is a wildcard"},
	}
	for _, tc := range tests {
		if got := checkCookieName(tc.name); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("checkCookieName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestValidLanguage(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{{"fr", true}, {"fil", true}, {"en-GB", true}, {"es-419", true}, {"FR", false}, {"fr_BE", false}, {"french", false}, {"", false}} {
		if got := ValidLanguage(tc.in); got != tc.want {
			t.Errorf("ValidLanguage(%q) = %t, want %t", tc.in, got, tc.want)
		}
	}
}
