package charterfile

import (
	"testing"

	"github.com/charte/charte/internal/charte"
)

// TestParseServicesProblems checks the problems of a services key, each at
// its line and column.
func TestParseServicesProblems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "unknown service",
			in:   doc(siteLine, categoriesLine, cookiesLine, "services:", "  - id: google-analytic-4"),
			want: []string{`5:9: unknown service "google-analytic-4"; did you mean google-analytics-4?`},
		},
		{
			name: "malformed parameter",
			in:   doc(siteLine, categoriesLine, cookiesLine, "services:", "  - id: google-analytics-4", "    measurement_id: G-12"),
			want: []string{`6:21: measurement_id G-12 is not a Google Analytics 4 measurement id: write measurement_id: G-XXXXXXXXXX`},
		},
		{
			name: "missing parameter, at the entry",
			in:   doc(siteLine, categoriesLine, cookiesLine, "services:", "  - {id: hotjar}"),
			want: []string{`5:5: service hotjar needs its site_id: write site_id: 1234567`},
		},
		{
			name: "unknown parameter",
			in:   doc(siteLine, categoriesLine, cookiesLine, "services:", "  - id: matomo", "    url: https://stats.example.org/", "    siteid: 3"),
			want: []string{
				`5:5: service matomo needs its site_id: write site_id: 1`,
				`7:13: service matomo has no parameter "siteid"; did you mean site_id?`,
			},
		},
		{
			name: "shapes",
			in:   doc(siteLine, categoriesLine, cookiesLine, "services:", "  - youtube", "  - id: [youtube]", "  - id: hotjar", "    site_id: {n: 1}", "    exempt: maybe", "  - measurement_id: G-ABCD1234"),
			want: []string{
				`5:5: each service must be a mapping, not "youtube": write - id: youtube, or - {id: google-analytics-4, measurement_id: G-XXXXXXXXXX}`,
				`6:9: service id must be a plain value, not a list: write id: youtube`,
				`8:14: site_id of service "hotjar" must be a plain value, not a mapping: write site_id: 1234567`,
				`9:13: exempt must be true or false, not "maybe"`,
				`10:5: missing key "id" in service: add id: followed by a service of the catalogue, as in id: youtube (charte services lists them)`,
			},
		},
		{
			name: "not a list",
			in:   doc(siteLine, categoriesLine, cookiesLine, "services: youtube"),
			want: []string{`4:11: services must be a list, not "youtube": write one entry per service, as in - {id: youtube}`},
		},
		{
			name: "twice",
			in:   doc(siteLine, categoriesLine, cookiesLine, "services:", "  - id: youtube", "  - id: youtube"),
			want: []string{`6:9: service youtube is named twice (first on line 5): remove one`},
		},
		{
			name: "exempt into a category that is not",
			in:   doc(siteLine, `categories: [{id: necessary}, {id: statistics}]`, cookiesLine, "services:", "  - {id: matomo, url: https://stats.example.org/, site_id: 3, exempt: true}"),
			want: []string{`5:71: service matomo in its exempt configuration puts its cookies in category statistics, which is not exempt from consent: add exempt: true to category statistics, or remove exempt: true here`},
		},
		{
			name: "the problems of a service's cookies, at its entry",
			in:   doc(`site: {id: s, name: S, url: "https://s.org", languages: [fr, en, de], contact: a@s.org}`, categoriesLine, cookiesLine, "services:", "  - id: youtube"),
			want: []string{
				`2:14: category "necessary" has no description in de: give description: {de: "…"}`,
				`2:14: category "necessary" has no name in de: give name: {de: "…"}`,
				`5:5: description of category "marketing" has no de translation: add de: "…"`,
				`5:5: name of category "marketing" has no de translation: add de: "…"`,
			},
		},
		{
			name: "auto_block",
			in:   doc(siteLine, categoriesLine, cookiesLine, "options: {auto_block: 1}"),
			want: []string{`4:23: auto_block must be true or false, not "1"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkProblems(t, problemsOf(t, tc.in), tc.want)
		})
	}
}

// TestParseServices checks that a charter's services declare their cookies
// and categories, that a cookie declared by hand wins, and that the version
// changes when a service is added.
func TestParseServices(t *testing.T) {
	base := doc(siteLine, categoriesLine, cookiesLine, "options: {auto_block: true}")
	plain := MustParse(t, "c.yaml", base)
	if !plain.Options.AutoBlock {
		t.Errorf("options.auto_block: true read as false")
	}
	ch := MustParse(t, "c.yaml", base+doc("services:", "  - id: google-analytics-4", "    measurement_id: G-ABCD1234", "  - id: youtube"))
	if ch.Version == plain.Version {
		t.Errorf("version %s did not change when services were added", ch.Version)
	}
	var ids []string
	for _, c := range ch.Categories {
		ids = append(ids, c.ID)
	}
	if want := "necessary statistics marketing"; join3(ids) != want {
		t.Errorf("categories = %v, want %s", ids, want)
	}
	if st, _ := ch.Category(charte.CategoryStatistics); st.Name["en"] != "Statistics cookies" || st.Name["fr"] == "" {
		t.Errorf("category statistics, added for a service, has name %v", st.Name)
	}
	ga, ok := ch.Lookup("_ga")
	if !ok || ga.FromService != "google-analytics-4" || ga.Category != charte.CategoryStatistics || ga.Service["fr"] != "Google Analytics 4" || ga.Purpose["en"] == "" {
		t.Errorf("Lookup(_ga) = %+v, %t; want Google Analytics 4's", ga, ok)
	}
	if _, ok := ch.Lookup("VISITOR_INFO1_LIVE"); !ok {
		t.Errorf("YouTube's cookies are not declared")
	}
	if len(ch.Services) != 2 || ch.Services[0].Params["measurement_id"] != "G-ABCD1234" {
		t.Errorf("Services = %+v", ch.Services)
	}

	// A cookie declared by hand wins.
	hand := MustParse(t, "c.yaml", doc(siteLine, `categories: [{id: necessary}, {id: statistics}]`,
		`cookies: [{name: _ga, provider: Us, service: Ours, purpose: Ours, category: statistics, lifetime: 6mo, party: first}]`,
		"services: [{id: google-analytics-4, measurement_id: G-ABCD1234}]"))
	n := 0
	for _, c := range hand.Cookies {
		if c.Name == "_ga" {
			n++
			if c.Provider != "Us" || c.FromService != "" || c.Lifetime.String() != "6mo" {
				t.Errorf("_ga = %+v, want the hand-declared one", c)
			}
		}
	}
	if n != 1 {
		t.Errorf("_ga declared %d times, want 1", n)
	}

	// The exempt configuration, into a category the file does not declare.
	exempt := MustParse(t, "c.yaml", doc(siteLine, categoriesLine, cookiesLine, "services: [{id: matomo, url: 'https://stats.example.org/', site_id: 3, exempt: true}]"))
	if st, ok := exempt.Category(charte.CategoryStatistics); !ok || !st.Exempt {
		t.Errorf("category statistics = %+v, %t; want it added, exempt", st, ok)
	}
	if exempt.Categories[0].ID != charte.CategoryNecessary {
		t.Errorf("first category = %s, want necessary", exempt.Categories[0].ID)
	}
	if c, ok := exempt.Lookup("_pk_id.1.abcd"); !ok || c.Category != charte.CategoryStatistics || c.FromService != "matomo" {
		t.Errorf("Lookup(_pk_id.1.abcd) = %+v, %t", c, ok)
	}

	// The implicit necessary category still comes first.
	implicit := MustParse(t, "c.yaml", doc(siteLine, `categories: [{id: preferences}]`, "cookies: []", "services: [{id: youtube}]"))
	var got []string
	for _, c := range implicit.Categories {
		got = append(got, c.ID)
	}
	if join3(got) != "necessary preferences marketing" {
		t.Errorf("categories = %v, want necessary first, then the file's, then the services'", got)
	}
}

func join3(ids []string) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += " "
		}
		s += id
	}
	return s
}
