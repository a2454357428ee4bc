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
			{Name: "_ga_ABC123", Domain: ".example.org", Party: charte.PartyFirst, Category: charte.CategoryStatistics, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: lt("400d"), FirstSeen: first},
			{Name: "_ga_DEF456", Domain: ".example.org", Party: charte.PartyFirst, Category: charte.CategoryStatistics, ClassifiedBy: charte.ClassifiedByKnowledge, Lifetime: lt("400d"), FirstSeen: first},
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
		`- name: "_ga_*"`,       // the knowledge base's prefix, once
		`- name: "pvc_visits*"`, // not a token: a pattern
		`lifetime: 13mo  # TODO: seen living 400d`,
		`lifetime: 400d  # seen: 400d`, // unknown category: the operator decides
		`domain: ".doubleclick.net"`,
		`category: marketing  # knowledge base:`,
		`id: "www-example-org"`,
		`localStorage "Site History"`,
		"  - id: statistics\n  - id: marketing\n",
	} {
		if !strings.Contains(draft, want) {
			t.Errorf("draft lacks %q:\n%s", want, draft)
		}
	}
	if n := strings.Count(draft, `"_ga_*"`); n != 1 {
		t.Errorf("draft declares _ga_* %d times, want once:\n%s", n, draft)
	}
	checkDraft(t, b.Bytes())
}
