package services

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/knowledge"
)

var (
	slugRE  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	paramRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	hostRE  = regexp.MustCompile(`^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(/[a-z0-9._~-]+)*$`)
	placeRE = regexp.MustCompile(`\{([^}]*)\}`)
	loaders = []string{"script", "gtag", "gtm", "matomo", "fbq", "piano", "clarity", "hotjar", "linkedin", "tiktok", "pinterest", "x", "hubspot", "crisp", "intercom", "zendesk", "plausible", "fathom", "uet", "snap"}
)

// siteCharter returns a valid charter with no service, in French and
// English.
func siteCharter() *charte.Charter {
	necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	return &charte.Charter{
		Site: charte.Site{
			ID: "example", Name: "Example", URL: "https://www.example.org/", Origins: []string{"https://www.example.org"},
			Languages: []string{"fr", "en"}, Contact: "dpo@example.org", ConsentLifetime: charte.DefaultConsentLifetime,
		},
		Categories: []charte.Category{necessary},
	}
}

// TestServices checks every service of the catalogue: its facts are well
// formed, and a charter that names it with its parameters' examples passes
// charte's check, in the exempt configuration too where it has one.
func TestServices(t *testing.T) {
	cat := Default()
	if n := len(cat.ServiceIDs()); n < 40 {
		t.Errorf("the catalogue has %d services, want at least 40", n)
	}
	if ids := cat.ServiceIDs(); !slices.IsSorted(ids) {
		t.Errorf("ServiceIDs() = %v, not sorted", ids)
	}
	seen := map[string]bool{}
	for _, d := range cat.Services() {
		t.Run(d.ID, func(t *testing.T) {
			if seen[d.ID] {
				t.Errorf("id %q twice", d.ID)
			}
			seen[d.ID] = true
			if !slugRE.MatchString(d.ID) {
				t.Errorf("id %q is not a slug", d.ID)
			}
			if got, ok := cat.Service(d.ID); !ok || got != d {
				t.Errorf("Service(%q) = %v, %t", d.ID, got, ok)
			}
			if d.Name == "" || d.Provider == "" {
				t.Errorf("name %q, provider %q: want both", d.Name, d.Provider)
			}
			if _, ok := charte.BuiltinCategory(d.Category); !ok {
				t.Errorf("category %q is not built in", d.Category)
			}
			if d.Exemptable && d.Category != charte.CategoryStatistics {
				t.Errorf("exemptable, but in %s: the CNIL exempts audience measurement only", d.Category)
			}
			for _, l := range []string{"fr", "en"} {
				if strings.TrimSpace(d.Purpose[l]) == "" {
					t.Errorf("no purpose in %s", l)
				}
				if !strings.HasSuffix(d.Purpose[l], ".") {
					t.Errorf("purpose in %s does not end with a full stop: %q", l, d.Purpose[l])
				}
			}
			if f := i18n.FrenchSpacingFault(d.Purpose["fr"]); f != "" {
				t.Errorf("French purpose has an ordinary space where a no-break one belongs: %q", f)
			}
			params := map[string]bool{}
			for _, p := range d.Params {
				if !paramRE.MatchString(p.Name) || p.Name == "id" || p.Name == "exempt" {
					t.Errorf("param name %q: want snake_case, not id or exempt", p.Name)
				}
				params[p.Name] = true
				if !strings.HasPrefix(p.Pattern, "^") || !strings.HasSuffix(p.Pattern, "$") {
					t.Errorf("param %s: pattern %q is not anchored", p.Name, p.Pattern)
				}
				re, err := regexp.Compile(p.Pattern)
				if err != nil {
					t.Errorf("param %s: pattern %q: %v", p.Name, p.Pattern, err)
					continue
				}
				if !re.MatchString(p.Example) {
					t.Errorf("param %s: example %q does not match its pattern %q", p.Name, p.Example, p.Pattern)
				}
				if p.Description == "" {
					t.Errorf("param %s has no description", p.Name)
				}
			}
			if d.Tag == nil && !d.Embed {
				t.Errorf("neither a tag nor an embed: nothing to load")
			}
			if d.Tag != nil {
				if !slices.Contains(loaders, d.Tag.Loader) {
					t.Errorf("loader %q is not one of %v", d.Tag.Loader, loaders)
				}
				for _, m := range placeRE.FindAllStringSubmatch(d.Tag.Src, -1) {
					if !params[m[1]] {
						t.Errorf("src %q names {%s}, which is not a parameter", d.Tag.Src, m[1])
					}
				}
				example := d.Tag.Src
				for _, p := range d.Params {
					example = strings.ReplaceAll(example, "{"+p.Name+"}", p.Example)
				}
				if u, err := url.Parse(example); err != nil || u.Scheme != "https" || u.Host == "" {
					t.Errorf("src %q gives %q, not an https URL", d.Tag.Src, example)
				}
			}
			if len(d.Hosts) == 0 && d.ID != "matomo" {
				t.Errorf("no hosts")
			}
			for _, h := range d.Hosts {
				if !hostRE.MatchString(h) {
					t.Errorf("host %q: want a lowercase host name, or *. and one, or one and /path", h)
				}
			}
			for _, s := range d.ConsentMode {
				if !slices.Contains([]string{"analytics_storage", "ad_storage", "ad_user_data", "ad_personalization"}, s) {
					t.Errorf("consent mode signal %q is not one of Google Consent Mode v2's", s)
				}
			}
			if len(d.Sources) == 0 {
				t.Errorf("no sources")
			}
			for _, s := range d.Sources {
				if u, err := url.Parse(s); err != nil || u.Scheme != "https" {
					t.Errorf("source %q is not an https URL", s)
				}
			}
			for _, k := range d.Cookies {
				if k.Category != d.Category || k.Provider != d.Provider || k.Party == "" {
					t.Errorf("cookie %s: category %q, provider %q, party %q; want the def's, and a party", k.Name, k.Category, k.Provider, k.Party)
				}
				for _, l := range []string{"fr", "en"} {
					if k.Purpose != nil && !strings.HasSuffix(k.Purpose[l], ".") {
						t.Errorf("cookie %s: purpose in %s does not end with a full stop: %q", k.Name, l, k.Purpose[l])
					}
				}
				if f := i18n.FrenchSpacingFault(k.Purpose["fr"]); f != "" {
					t.Errorf("cookie %s: French purpose has an ordinary space where a no-break one belongs: %q", k.Name, f)
				}
				if (k.Party == charte.PartyThird) != (k.Domain != "") {
					t.Errorf("cookie %s: party %s with domain %q: a third party's cookie names its domain, and only it", k.Name, k.Party, k.Domain)
				}
			}
			configs := []bool{false}
			if d.Exemptable {
				configs = append(configs, true)
			}
			for _, exempt := range configs {
				ch := siteCharter()
				s := charte.SiteService{ID: d.ID, Exempt: exempt, Params: map[string]string{}}
				for _, p := range d.Params {
					s.Params[p.Name] = p.Example
				}
				ch.Services = []charte.SiteService{s}
				problems := append(ch.ApplyServices(cat), ch.Check()...)
				for _, p := range problems {
					t.Errorf("exempt %t: %s", exempt, p)
				}
				if n := len(ch.Cookies); n != len(d.Cookies) {
					t.Errorf("exempt %t: the charter declares %d cookies, want the service's %d", exempt, n, len(d.Cookies))
				}
			}
		})
	}
}

// disagree are the catalogue's cookies whose category or lifetime is not
// what internal/knowledge (the Open Cookie Database) says, each with why.
var disagree = map[string]string{
	// Lifetimes.
	"_ga":                      "Google sets 2 years by default; the gtag loader passes cookie_expires for 13 months, the most the CNIL allows",
	"_ga_*":                    "the same as _ga",
	"_fbp":                     "Meta's documentation says 90 days",
	"_fbc":                     "Meta's documentation says 90 days; knowledge's 2 years is not what the pixel sets",
	"_hjSession_*":             "Hotjar's documentation: 30 minutes (1h in a charter); knowledge files it under necessary, but it serves Hotjar's analytics",
	"_hjSessionUser_*":         "knowledge files it under necessary, but it serves Hotjar's analytics",
	"VISITOR_INFO1_LIVE":       "knowledge's 179 days is 6 months, as a charter writes it",
	"VISITOR_PRIVACY_METADATA": "knowledge's 180 days is 6 months, as a charter writes it",
	"__Secure-ROLLOUT_TOKEN":   "knowledge's 180 days is 6 months, as a charter writes it",
	"NID":                      "Google's cookie list: 6 months; knowledge says 1 year",
	"_uetvid":                  "Microsoft's documentation: 13 months; knowledge says 16 days",
	"_uetsid":                  "Microsoft's documentation: 1 day; knowledge says 1 hour",
	// Categories.
	"_pcid":                "knowledge files it under Piano's paywall (necessary); Piano Analytics uses it as its visitor id",
	"_pctx":                "the same as _pcid",
	"__zlcmid":             "knowledge says necessary; the chat widget that sets it is a comfort the visitor did not ask for on every page",
	"mc_cid":               "knowledge says statistics; it ties a visit to an email campaign, which is marketing",
	"mc_eid":               "the same as mc_cid",
	"intercom-id-*":        "knowledge says statistics; it keeps the messenger's conversations, a preference",
	"intercom-session-*":   "the same as intercom-id-*",
	"intercom-device-id-*": "the same as intercom-id-*",
}

// TestServicesKnowledge checks every cookie of the catalogue against
// internal/knowledge: where it knows the cookie, the category and the
// lifetime are the same, unless disagree says why not.
func TestServicesKnowledge(t *testing.T) {
	used := map[string]bool{}
	for _, d := range Default().Services() {
		for _, k := range d.Cookies {
			name := strings.ReplaceAll(k.Name, "*", "1")
			e, ok := knowledge.LookupCookie(name, k.Domain, k.Party == charte.PartyThird)
			if !ok {
				continue
			}
			sameLife := !e.KnowsLifetime() || e.Lifetime == k.Lifetime
			if e.Category == k.Category && sameLife {
				if _, ok := disagree[k.Name]; ok {
					t.Errorf("%s %s: knowledge agrees now (%s, %s): remove it from disagree", d.ID, k.Name, e.Category, e.Lifetime)
				}
				continue
			}
			if _, ok := disagree[k.Name]; ok {
				used[k.Name] = true
				continue
			}
			t.Errorf("%s %s: %s, %s in the catalogue; knowledge says %s, %s (%s): fix it, or say why in disagree", d.ID, k.Name, k.Category, k.Lifetime, e.Category, e.Lifetime, e.Platform)
		}
	}
	for name := range disagree {
		if !used[name] {
			t.Errorf("disagree names %s, which is no cookie of the catalogue that knowledge knows otherwise: remove it", name)
		}
	}
}

// TestServiceByHost checks the host lookup: exact hosts, then the longest
// wildcard, without case, port or final dot.
func TestServiceByHost(t *testing.T) {
	cat := Default()
	for _, tc := range []struct {
		host, want string
	}{
		{"www.googletagmanager.com", "google-analytics-4"}, // GA4 comes first in the catalogue
		{"region1.google-analytics.com", "google-analytics-4"},
		{"google-analytics.com", "google-analytics-4"},
		{"WWW.YouTube.com:443", "youtube"},
		{"www.youtube-nocookie.com.", "youtube"},
		{"i.ytimg.com", "youtube"},
		{"static.hotjar.com", "hotjar"},
		{"googleads.g.doubleclick.net", "google-ads"},
		{"ad.doubleclick.net", "google-campaign-manager"},
		{"player.vimeo.com", "vimeo"},
		{"www.google.com", ""}, // two services by path: ServiceByURL
		{"connect.facebook.net", "meta-pixel"},
		{"px.ads.linkedin.com", "linkedin-insight"},
		{"example-org.disqus.com", "disqus"},
		{"evilhotjar.com", ""},
		{"example.org", ""},
		{"", ""},
		{"[::1]:8080", ""},
	} {
		d, ok := cat.ServiceByHost(tc.host)
		got := ""
		if ok {
			got = d.ID
		}
		if got != tc.want {
			t.Errorf("ServiceByHost(%q) = %q, want %q", tc.host, got, tc.want)
		}
	}
}

// TestServiceByURL checks the lookup by host and path: a host/path entry
// holds the URLs under that path segment, before the host's own entries.
func TestServiceByURL(t *testing.T) {
	cat := Default()
	for _, tc := range []struct {
		host, path, want string
	}{
		{"www.google.com", "/maps/embed", "google-maps"},
		{"www.google.com", "/maps", "google-maps"},
		{"WWW.GOOGLE.COM:443", "/maps?pb=1", "google-maps"},
		{"www.google.com", "/mapsx", ""},
		{"www.google.com", "/recaptcha/api.js", "recaptcha"},
		{"www.gstatic.com", "/recaptcha/releases/x/recaptcha__fr.js", "recaptcha"},
		{"www.google.com", "/", ""},
		{"www.google.com", "", ""},
		{"www.youtube.com", "/embed/x", "youtube"}, // no path entry: by host
		{"example.org", "/maps", ""},
	} {
		d, ok := cat.ServiceByURL(tc.host, tc.path)
		got := ""
		if ok {
			got = d.ID
		}
		if got != tc.want {
			t.Errorf("ServiceByURL(%q, %q) = %q, want %q", tc.host, tc.path, got, tc.want)
		}
	}
}

// TestNewWildcardOrder checks that the longest wildcard wins, and the first
// def among equals.
func TestNewWildcardOrder(t *testing.T) {
	cat := New([]*charte.ServiceDef{
		{ID: "a", Hosts: []string{"*.example.com"}},
		{ID: "b", Hosts: []string{"*.cdn.example.com", "x.example.com"}},
		{ID: "c", Hosts: []string{"*.example.com", "x.example.com"}},
	})
	for host, want := range map[string]string{"y.cdn.example.com": "b", "cdn.example.com": "b", "z.example.com": "a", "x.example.com": "b"} {
		if d, ok := cat.ServiceByHost(host); !ok || d.ID != want {
			t.Errorf("ServiceByHost(%q) = %v, want %s", host, d, want)
		}
	}
}
