package scan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charte/charte/internal/charte"
)

func TestWriteDraft(t *testing.T) {
	lt := func(s string) charte.Lifetime {
		l, err := charte.ParseLifetime(s)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	first := charte.Sighting{Visitor: "none", Page: home, Phase: charte.PhaseBeforeChoice}
	r := &charte.ScanReport{
		Site: home, Started: t0,
		Cookies: []charte.ScanCookie{
			{Name: "_gac_ABC123", Domain: ".example.org", Party: charte.PartyFirst, Category: charte.CategoryMarketing, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: lt("400d"), FirstSeen: first},
			{Name: "_gac_DEF456", Domain: ".example.org", Party: charte.PartyFirst, Category: charte.CategoryMarketing, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: lt("400d"), FirstSeen: first},
			{Name: "pvc_visits[0]", Domain: "www.example.org", Party: charte.PartyFirst, Category: charte.CategoryUnknown, ClassifiedBy: charte.ClassifiedByNothing, Lifetime: lt("400d"), FirstSeen: first},
			{Name: "IDE", Domain: ".doubleclick.net", Party: charte.PartyThird, Category: charte.CategoryMarketing, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: lt("30d"), FirstSeen: first},
			{Name: "x", Domain: "cdn.example.net", Party: charte.PartyThird, Category: charte.CategoryUnknown, ClassifiedBy: charte.ClassifiedByNothing, Lifetime: charte.SessionLifetime, FirstSeen: first},
		},
		Storage: []charte.StorageKey{{Kind: "local", Origin: "https://www.example.org", Key: "Site History", Category: charte.CategoryUnknown}},
	}
	var b bytes.Buffer
	if err := WriteDraft(&b, r, nil); err != nil {
		t.Fatal(err)
	}
	draft := b.String()
	for _, want := range []string{
		`- name: "_gac_*"`,      // the knowledge base's prefix, once
		`- name: "pvc_visits*"`, // not a token: a pattern
		`lifetime: 13mo  # TODO: seen living 400d`,
		`lifetime: 400d  # seen: 400d`, // unknown category: the operator decides
		`domain: ".doubleclick.net"`,
		`category: marketing  # knowledge base:`,
		`id: "www-example-org"`,
		`localStorage "Site History"`,
		"  - id: necessary\n  - id: marketing\n",
	} {
		if !strings.Contains(draft, want) {
			t.Errorf("draft lacks %q:\n%s", want, draft)
		}
	}
	if n := strings.Count(draft, `"_gac_*"`); n != 1 {
		t.Errorf("draft declares _gac_* %d times, want once:\n%s", n, draft)
	}
	checkDraft(t, b.Bytes())
}

// TestWriteDraftServices checks that a draft proposes the catalogue's
// services that the report shows, by host or by cookie, with the
// parameters the cookies tell, and leaves their cookies to them; a cookie
// of a service's name that another party sets stays a cookie.
func TestWriteDraftServices(t *testing.T) {
	first := charte.Sighting{Visitor: "all", Page: home, Phase: charte.PhaseAfterChoice}
	year, _ := charte.ParseLifetime("1y")
	r := &charte.ScanReport{
		Site: home, Started: t0,
		Cookies: []charte.ScanCookie{
			{Name: "_ga", Domain: ".example.org", Party: charte.PartyFirst, Category: charte.CategoryStatistics, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: year, FirstSeen: first},
			{Name: "_ga_ABC123", Domain: ".example.org", Party: charte.PartyFirst, Category: charte.CategoryStatistics, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: year, FirstSeen: first},
			{Name: "fr", Domain: "www.example.org", Party: charte.PartyFirst, Category: charte.CategoryUnknown, ClassifiedBy: charte.ClassifiedByNothing, Lifetime: year, FirstSeen: first},
			{Name: "VISITOR_INFO1_LIVE", Domain: ".youtube.com", Party: charte.PartyThird, Category: charte.CategoryMarketing, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: year, FirstSeen: first},
		},
		ThirdParties: []charte.ThirdParty{{Host: "www.youtube.com"}, {Host: "static.hotjar.com"}, {Host: "cdn.example.net"}},
	}
	var b bytes.Buffer
	if err := WriteDraft(&b, r, nil); err != nil {
		t.Fatal(err)
	}
	draft := b.String()
	for _, want := range []string{
		"services:\n  - id: google-analytics-4  # Google Analytics 4, Google Ireland Limited; seen: cookie _ga, cookie _ga_ABC123\n" +
			"    measurement_id: \"G-ABC123\"  # from the cookie _ga_ABC123\n" +
			"  - id: hotjar  # Hotjar, Hotjar Ltd; seen: requests to static.hotjar.com\n" +
			"    site_id: \"\"  # TODO: a Hotjar site id (a number), as in site_id: 1234567\n" +
			"  - id: youtube  # YouTube, Google Ireland Limited; seen: requests to www.youtube.com, cookie VISITOR_INFO1_LIVE\n",
		`- name: "fr"`, // not Facebook's: a first-party cookie
		"  - id: necessary\n  - id: statistics\n  - id: marketing\n",
	} {
		if !strings.Contains(draft, want) {
			t.Errorf("draft lacks %q:\n%s", want, draft)
		}
	}
	for _, not := range []string{`name: "_ga"`, `name: "_ga_*"`, `VISITOR_INFO1_LIVE"`} {
		if strings.Contains(draft, not) {
			t.Errorf("draft declares %s, a service's cookie:\n%s", not, draft)
		}
	}
	checkDraft(t, b.Bytes())
}
