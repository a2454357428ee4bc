package charte

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/consent"
)

// TestCharterLookup checks that the charter finds its cookies by the rule of
// consent.Matcher (tested in full there) and returns its own declaration.
func TestCharterLookup(t *testing.T) {
	ch := &Charter{Cookies: []Cookie{
		{Name: "_ga*", Category: CategoryStatistics, Provider: "Google"},
		{Name: "_ga_*", Category: CategoryStatistics, Provider: "Google", Purpose: Text{"en": "Session"}},
		{Name: "_ga_ABC", Category: CategoryMarketing},
	}}
	for _, tc := range []struct {
		name   string
		want   Cookie
		wantOK bool
	}{
		{name: "_ga_ABC", want: ch.Cookies[2], wantOK: true},
		{name: "_ga_X", want: ch.Cookies[1], wantOK: true},
		{name: "_gat", want: ch.Cookies[0], wantOK: true},
		{name: "sid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ch.Lookup(tc.name)
			if ok != tc.wantOK {
				t.Errorf("Lookup(%q) found = %t, want %t", tc.name, ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Lookup(%q) mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

// TestConsentIsTheJSONForm checks that the two ways the consent package gets
// a charter agree: [Charter.Consent] in the same process (charte proxy), and
// consent.ParseCharter of the charter's JSON form (other Go applications,
// from /api/v1/sites/{site}/charter).
func TestConsentIsTheJSONForm(t *testing.T) {
	ch := versionCharter()
	data, err := json.Marshal(ch)
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := consent.ParseCharter(data)
	if err != nil {
		t.Fatalf("consent.ParseCharter(JSON of the charter): %v", err)
	}
	if diff := cmp.Diff(fromJSON, ch.Consent()); diff != "" {
		t.Errorf("Consent() differs from consent.ParseCharter of the JSON form (-json +Consent):\n%s", diff)
	}
}
