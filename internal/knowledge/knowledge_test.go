package knowledge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name, cookie, domain string
		third                bool
		wantOK               bool
		want                 Entry
	}{
		{
			name: "exact", cookie: "_ga", wantOK: true,
			want: Entry{Name: "_ga", Category: charte.CategoryStatistics, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("2y")}, Platform: "Google Analytics", Controller: "Google", Source: SourceOpenCookieDatabase},
		},
		{
			name: "prefix", cookie: "_ga_ABC123", wantOK: true,
			want: Entry{Name: "_ga_", Prefix: true, Category: charte.CategoryStatistics, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("2y")}, Platform: "Google Analytics", Controller: "Google", Source: SourceOpenCookieDatabase},
		},
		{
			// _gac_gb_ and _gac_ are both prefixes of the name: the longer wins.
			name: "longest prefix", cookie: "_gac_gb_123", wantOK: true,
			want: Entry{Name: "_gac_gb_", Prefix: true, Category: charte.CategoryMarketing, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("90d")}, Platform: "Google Ads", Controller: "Google", Source: SourceOpenCookieDatabase},
		},
		{
			name: "session retention", cookie: "PHPSESSID", wantOK: true,
			want: Entry{Name: "PHPSESSID", Category: charte.CategoryNecessary, Lifetime: charte.SessionLifetime, Platform: "PHP.net", Controller: "PHP.net", Source: SourceOpenCookieDatabase},
		},
		{
			// Two platforms call a cookie u; without a domain the rule
			// (most intrusive category, then platform name) decides.
			name: "several entries", cookie: "u", wantOK: true,
			want: Entry{Name: "u", Category: charte.CategoryMarketing, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("365d")}, Platform: "CreativeCDN", Controller: "RTB House", Domains: []string{"creativecdn.com"}, Source: SourceOpenCookieDatabase},
		},
		{
			name: "several entries, domain decides", cookie: "u", domain: ".t.tailtarget.com", wantOK: true,
			want: Entry{Name: "u", Category: charte.CategoryMarketing, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("1y")}, Platform: "Tailtarget", Controller: "Totvs", Domains: []string{"t.tailtarget.com"}, Source: SourceOpenCookieDatabase},
		},
		{
			name: "name with a tab in the source", cookie: "ce_need_secure_cookie", wantOK: true,
			want: Entry{Name: "ce_need_secure_cookie", Category: charte.CategoryStatistics, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("1h")}, Platform: "Crazy Egg", Controller: "Crazy Egg", Source: SourceOpenCookieDatabase},
		},
		{
			name: "star in the source is a prefix", cookie: "SSPR_42", wantOK: true,
			want: Entry{Name: "SSPR_", Prefix: true, Category: charte.CategoryMarketing, Lifetime: charte.SessionLifetime, Platform: "Adkernel", Controller: "AdKernel", Domains: []string{"adkernel.com"}, Source: SourceOpenCookieDatabase},
		},
		{
			// charte's own entry wins over the Open Cookie Database's,
			// which is Instagram's sessionid, on instagram.com.
			name: "charte's own", cookie: "sessionid", domain: "127.0.0.1", wantOK: true,
			want: Entry{Name: "sessionid", Category: charte.CategoryNecessary, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("2w")}, Platform: "Django", Source: SourceCharte},
		},
		{
			name: "the domain wins over charte's own", cookie: "sessionid", domain: ".instagram.com", third: true, wantOK: true,
			want: Entry{Name: "sessionid", Category: charte.CategoryMarketing, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("1y")}, Platform: "Instagram", Controller: "Meta", Domains: []string{"instagram.com"}, Source: SourceOpenCookieDatabase},
		},
		{
			// The source lists facebook.com for _fbp, which the Facebook
			// pixel sets on the site itself.
			name: "first party on another domain", cookie: "_fbp", domain: "www.example.org", wantOK: true,
			want: Entry{Name: "_fbp", Category: charte.CategoryMarketing, Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("4mo")}, Platform: "Facebook", Controller: "Facebook", Domains: []string{"facebook.com"}, Source: SourceOpenCookieDatabase},
		},
		{
			// tp is Tailtarget's prefix, on t.tailtarget.com: a third
			// party's tp_id on 127.0.0.2 is not Tailtarget's.
			name: "third party on another domain", cookie: "tp_id", domain: "127.0.0.2", third: true,
		},
		{name: "unknown", cookie: "charte_fixture_unknown"},
		{name: "case matters", cookie: "phpsessid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := LookupCookie(tc.cookie, tc.domain, tc.third)
			if ok != tc.wantOK {
				t.Fatalf("LookupCookie(%q, %q, %v) found = %v, want %v", tc.cookie, tc.domain, tc.third, ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("LookupCookie(%q, %q, %v) mismatch (-want +got):\n%s", tc.cookie, tc.domain, tc.third, diff)
			}
		})
	}
}

func TestLookupByName(t *testing.T) {
	// Without a domain, the rule alone decides between Instagram's
	// sessionid and charte's own.
	got, ok := Lookup("sessionid")
	if !ok || got.Source != SourceCharte {
		t.Errorf("Lookup(sessionid) = %+v, %v, want charte's own entry", got, ok)
	}
	got, ok = Lookup("_ga_XYZ")
	if !ok || got.Pattern() != "_ga_*" {
		t.Errorf("Lookup(_ga_XYZ) = %+v, %v, want the _ga_* entry", got, ok)
	}
}

func TestLookupIsDeterministic(t *testing.T) {
	// Every name with several entries gives the same answer whatever the
	// order of the table's lines.
	lines := strings.Split(strings.TrimSpace(table), "\n")
	reversed := make([]string, len(lines))
	for i, l := range lines {
		reversed[len(lines)-1-i] = l
	}
	ix, err := parse(own, strings.Join(reversed, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, es := range load().exact {
		if got := ix.exact[name][0]; !cmp.Equal(got, es[0]) {
			t.Errorf("entry for %q depends on the table's order: %+v, then %+v", name, es[0], got)
		}
	}
}

func TestTable(t *testing.T) {
	if n := Len(); n < 2000 {
		t.Errorf("Len() = %d, want the 2,000-odd entries of the source", n)
	}
	notice := strings.Join(Notice(), "\n")
	for _, want := range []string{"Open Cookie Database", "Apache License 2.0", "LICENSE-open-cookie-database", "0ee5a17fe1cb002943f89370d24fc26a4226061c"} {
		if !strings.Contains(notice, want) {
			t.Errorf("Notice() = %q, want it to name %q", notice, want)
		}
	}
	for _, es := range load().exact {
		for _, e := range es {
			if e.Name == "" || e.Name != strings.TrimSpace(e.Name) || strings.ContainsAny(e.Name, "\t*") {
				t.Errorf("entry name %q: want a trimmed name without wildcard", e.Name)
			}
		}
	}
}

func TestParseRejectsBadTables(t *testing.T) {
	for _, table := range []string{
		"a\texact\tnecessary\tsession\tp\tc\n",     // 6 fields
		"a\tfuzzy\tnecessary\tsession\tp\tc\t\n",   // bad match
		"a\texact\tadvertising\tsession\tp\tc\t\n", // bad category
		"a\texact\tnecessary\tforever\tp\tc\t\n",   // bad lifetime
	} {
		if _, err := parse("", table); err == nil {
			t.Errorf("parse(%q) = nil error, want one", table)
		}
	}
}
