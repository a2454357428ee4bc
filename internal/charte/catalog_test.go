package charte

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testCatalog is a small catalogue for the rules of ApplyServices.
type testCatalog map[string]*ServiceDef

func (t testCatalog) Service(id string) (*ServiceDef, bool) { d, ok := t[id]; return d, ok }

func (t testCatalog) ServiceIDs() []string {
	var ids []string
	for id := range t {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (t testCatalog) ServiceByHost(string) (*ServiceDef, bool) { return nil, false }

func (t testCatalog) ServiceByURL(string, string) (*ServiceDef, bool) { return nil, false }

func newTestCatalog() testCatalog {
	return testCatalog{
		"google-analytics-4": {
			ID: "google-analytics-4", Name: "Google Analytics 4", Provider: "Google Ireland Limited", Category: CategoryStatistics,
			Purpose: Text{"fr": "Mesure d'audience", "en": "Audience measurement"},
			Params:  []ServiceParam{{Name: "measurement_id", Pattern: `^G-[A-Z0-9]{4,12}$`, Required: true, Example: "G-XXXXXXXXXX", Description: "a Google Analytics 4 measurement id"}},
			Cookies: []Cookie{
				{Name: "_ga", Lifetime: Lifetime{Duration: MustParseDuration("13mo")}, Party: PartyFirst},
				{Name: "_ga_*", Lifetime: Lifetime{Duration: MustParseDuration("13mo")}, Party: PartyFirst, Purpose: Text{"fr": "État de la session", "en": "Session state"}},
			},
		},
		"matomo": {
			ID: "matomo", Name: "Matomo", Provider: "the site", Category: CategoryStatistics, Exemptable: true,
			Purpose: Text{"fr": "Mesure d'audience", "en": "Audience measurement"},
			Params: []ServiceParam{
				{Name: "url", Pattern: `^https://\S+/$`, Required: true, Example: "https://stats.example.org/"},
				{Name: "site_id", Pattern: `^[0-9]+$`, Required: true, Example: "1"},
			},
			Cookies: []Cookie{
				{Name: "_pk_id.*", Lifetime: Lifetime{Duration: MustParseDuration("13mo")}, Party: PartyFirst},
				{Name: "_pk_ses.*", Lifetime: Lifetime{Duration: MustParseDuration("1h")}, Party: PartyFirst},
			},
		},
		"youtube": {
			ID: "youtube", Name: "YouTube", Provider: "Google Ireland Limited", Category: CategoryMarketing, Embed: true,
			Purpose: Text{"fr": "Vidéos", "en": "Videos"},
			Cookies: []Cookie{{Name: "VISITOR_INFO1_LIVE", Lifetime: Lifetime{Duration: MustParseDuration("6mo")}, Party: PartyThird, Domain: ".youtube.com"}},
		},
		"broken": {ID: "broken", Name: "Broken", Category: CategoryMarketing, Params: []ServiceParam{{Name: "key", Pattern: "(", Example: "x"}}},
		"crisp":  {ID: "crisp", Name: "Crisp", Provider: "Crisp IM SAS", Category: CategoryPreferences, Purpose: Text{"en": "Chat"}},
	}
}

// TestApplyServices checks each rule of ApplyServices on charters built in
// Go: each want is "PATH: message".
func TestApplyServices(t *testing.T) {
	ga := func(id string) SiteService {
		return SiteService{ID: "google-analytics-4", Params: map[string]string{"measurement_id": id}}
	}
	matomo := SiteService{ID: "matomo", Params: map[string]string{"url": "https://stats.example.org/", "site_id": "3"}}
	tests := []struct {
		name     string
		services []SiteService
		change   func(ch *Charter)
		want     []string
	}{
		{name: "none"},
		{name: "valid", services: []SiteService{{ID: "youtube"}, func() SiteService { m := matomo; m.Exempt = true; return m }()}},
		{
			name:     "unknown id with a suggestion",
			services: []SiteService{{ID: "google-analytic-4"}},
			want:     []string{`services[0].id: unknown service "google-analytic-4"; did you mean google-analytics-4?`},
		},
		{
			name:     "unknown id",
			services: []SiteService{{ID: "facebook"}},
			want:     []string{`services[0].id: unknown service "facebook": charte services lists the services charte knows`},
		},
		{
			name:     "no id",
			services: []SiteService{{}},
			want:     []string{`services[0].id: a service needs an id, such as id: broken`},
		},
		{
			name:     "twice",
			services: []SiteService{{ID: "youtube"}, {ID: "youtube"}},
			want:     []string{`services[1].id: service youtube is named twice (first at services[0].id): remove one`},
		},
		{
			name:     "missing required param",
			services: []SiteService{{ID: "google-analytics-4"}},
			change:   func(ch *Charter) { ch.Categories[1].Exempt = false },
			want:     []string{`services[0].measurement_id: service google-analytics-4 needs its measurement_id: write measurement_id: G-XXXXXXXXXX`},
		},
		{
			name:     "malformed param",
			services: []SiteService{ga("G-12")},
			change:   func(ch *Charter) { ch.Categories[1].Exempt = false },
			want:     []string{`services[0].measurement_id: measurement_id G-12 is not a Google Analytics 4 measurement id: write measurement_id: G-XXXXXXXXXX`},
		},
		{
			name:     "param matched as a whole",
			services: []SiteService{{ID: "matomo", Params: map[string]string{"url": "https://stats.example.org/", "site_id": "3 or 4"}}},
			want:     []string{`services[0].site_id: site_id "3 or 4" is not of the form Matomo expects: write site_id: 1`, `services[0].id: service matomo needs consent, but category statistics is exempt from consent: write exempt: true here if the service is configured as the CNIL exemption requires, or remove exempt: true from the category`},
		},
		{
			name:     "unknown params",
			services: []SiteService{{ID: "google-analytics-4", Params: map[string]string{"measurment_id": "G-ABCD1234", "zz": "1"}}, {ID: "youtube", Params: map[string]string{"video": "x"}}},
			change:   func(ch *Charter) { ch.Categories[1].Exempt = false },
			want: []string{
				`services[0].measurement_id: service google-analytics-4 needs its measurement_id: write measurement_id: G-XXXXXXXXXX`,
				`services[0].measurment_id: service google-analytics-4 has no parameter "measurment_id"; did you mean measurement_id?`,
				`services[0].zz: service google-analytics-4 has no parameter "zz": it takes measurement_id`,
				`services[1].video: service youtube takes no parameter, not "video": remove it`,
			},
		},
		{
			name:     "a pattern that does not compile matches nothing",
			services: []SiteService{{ID: "broken", Params: map[string]string{"key": "x"}}},
			want:     []string{`services[0].key: key x is not of the form Broken expects: write key: x`},
		},
		{
			name:     "exempt on a service without an exempt configuration",
			services: []SiteService{{ID: "youtube", Exempt: true}},
			want:     []string{`services[0].exempt: service youtube has no configuration exempt from consent: remove exempt: true`},
		},
		{
			name:     "exempt into a category that is not exempt",
			services: []SiteService{func() SiteService { m := matomo; m.Exempt = true; return m }()},
			change:   func(ch *Charter) { ch.Categories[1].Exempt = false },
			want:     []string{`services[0].exempt: service matomo in its exempt configuration puts its cookies in category statistics, which is not exempt from consent: add exempt: true to category statistics, or remove exempt: true here`},
		},
		{
			name:     "a service that needs consent in an exempt category",
			services: []SiteService{ga("G-ABCD1234")},
			want:     []string{`services[0].id: service google-analytics-4 needs consent, but category statistics is exempt from consent: move the service's cookies out of it`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch := testCharter()
			if tc.change != nil {
				tc.change(ch)
			}
			ch.Services = tc.services
			var got []string
			for _, p := range ch.ApplyServices(newTestCatalog()) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ApplyServices() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyServicesCookies checks the cookies and categories that
// ApplyServices declares.
func TestApplyServicesCookies(t *testing.T) {
	ch := testCharter()
	ch.Categories = ch.Categories[:1] // necessary alone
	ch.Site.Languages = []string{"fr", "en", "de"}
	ch.Cookies = []Cookie{{Name: "_ga", Provider: "Me", Category: CategoryNecessary, Party: PartyFirst}}
	ch.Services = []SiteService{
		{ID: "google-analytics-4", Params: map[string]string{"measurement_id": "G-ABCD1234"}},
		{ID: "youtube"},
		{ID: "matomo", Params: map[string]string{"url": "https://stats.example.org/", "site_id": "3"}},
		{ID: "crisp"},
	}
	if ps := ch.ApplyServices(newTestCatalog()); len(ps) > 0 {
		t.Fatalf("ApplyServices() = %v, want no problem", ps)
	}
	var cats []string
	for _, c := range ch.Categories {
		cats = append(cats, c.ID)
		if c.ID == CategoryStatistics && c.Exempt {
			t.Errorf("category statistics, added for services that need consent, is exempt")
		}
		if c.ID == CategoryMarketing && c.Name.In("fr") != "Cookies publicitaires" {
			t.Errorf("category marketing has name %q, want the built-in one", c.Name.In("fr"))
		}
	}
	if want := []string{"necessary", "statistics", "marketing", "preferences"}; !slices.Equal(cats, want) {
		t.Errorf("categories = %v, want %v (crisp sets no cookie, but its category comes too)", cats, want)
	}
	lang3 := func(fr, en string) Text { return Text{"fr": fr, "en": en, "de": en} }
	want := []Cookie{
		{Name: "_ga", Provider: "Me", Category: CategoryNecessary, Party: PartyFirst},
		{Name: "_ga_*", Provider: "Google Ireland Limited", Service: lang3("Google Analytics 4", "Google Analytics 4"), Purpose: lang3("État de la session", "Session state"), Category: CategoryStatistics, Lifetime: Lifetime{Duration: MustParseDuration("13mo")}, Party: PartyFirst, FromService: "google-analytics-4"},
		{Name: "VISITOR_INFO1_LIVE", Provider: "Google Ireland Limited", Service: lang3("YouTube", "YouTube"), Purpose: lang3("Vidéos", "Videos"), Category: CategoryMarketing, Lifetime: Lifetime{Duration: MustParseDuration("6mo")}, Party: PartyThird, Domain: ".youtube.com", FromService: "youtube"},
		{Name: "_pk_id.*", Provider: "the site", Service: lang3("Matomo", "Matomo"), Purpose: lang3("Mesure d'audience", "Audience measurement"), Category: CategoryStatistics, Lifetime: Lifetime{Duration: MustParseDuration("13mo")}, Party: PartyFirst, FromService: "matomo"},
		{Name: "_pk_ses.*", Provider: "the site", Service: lang3("Matomo", "Matomo"), Purpose: lang3("Mesure d'audience", "Audience measurement"), Category: CategoryStatistics, Lifetime: Lifetime{Duration: MustParseDuration("1h")}, Party: PartyFirst, FromService: "matomo"},
	}
	if diff := cmp.Diff(want, ch.Cookies); diff != "" {
		t.Errorf("cookies mismatch (-want +got):\n%s", diff)
	}
	if ps := ch.ApplyServices(newTestCatalog()); len(ps) > 0 || len(ch.Cookies) != len(want) || len(ch.Categories) != 4 {
		t.Errorf("ApplyServices() again = %v, %d cookies, %d categories; want no problem, %d and 4", ps, len(ch.Cookies), len(ch.Categories), len(want))
	}
	ch.Categories = ch.Categories[:1]
	ch.Cookies = nil
	ch.Site.Languages = nil
	ch.Services = []SiteService{{ID: "matomo", Exempt: true, Params: map[string]string{"url": "https://stats.example.org/", "site_id": "3"}}}
	if ps := ch.ApplyServices(newTestCatalog()); len(ps) > 0 {
		t.Errorf("ApplyServices() of an exempt service alone = %v, want no problem", ps)
	}
	if st, _ := ch.Category(CategoryStatistics); !st.Exempt {
		t.Errorf("category statistics, added for an exempt service, is not exempt")
	}
	if got := ch.Cookies[0].Purpose; !cmp.Equal(got, Text{"fr": "Mesure d'audience"}) {
		t.Errorf("purpose for a site without languages = %v, want it in French, the default", got)
	}
	if ch.Cookies[0].Party != PartyFirst {
		t.Errorf("party = %q", ch.Cookies[0].Party)
	}
}

// TestApplyServicesTooMany checks that ApplyServices stops at MaxProblems,
// as Check does.
func TestApplyServicesTooMany(t *testing.T) {
	ch := testCharter()
	for range MaxProblems + 10 {
		ch.Services = append(ch.Services, SiteService{ID: "nope"})
	}
	if got := len(ch.ApplyServices(newTestCatalog())); got != MaxProblems+1 {
		t.Errorf("ApplyServices() gave %d problems, want %d", got, MaxProblems+1)
	}
}
