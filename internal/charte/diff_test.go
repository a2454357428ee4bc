package charte

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	base := &Charter{
		Categories: []Category{{ID: "necessary"}, {ID: "statistics"}},
		Cookies: []Cookie{
			{Name: "sid", Category: "necessary", Provider: "Shop", Purpose: Text{"en": "Session"}, Lifetime: SessionLifetime, Party: PartyFirst},
			{Name: "_pk_id.*", Category: "statistics", Provider: "Matomo", Purpose: Text{"en": "Audience"}, Lifetime: Lifetime{Duration: Duration{N: 13, Unit: UnitMonth}}, Party: PartyFirst},
		},
	}
	next := &Charter{
		Categories: []Category{{ID: "necessary"}, {ID: "marketing"}},
		Cookies: []Cookie{
			{Name: "sid", Category: "necessary", Provider: "Shop", Purpose: Text{"en": "Keeps you signed in"}, Lifetime: Lifetime{Duration: Duration{N: 2, Unit: UnitWeek}}, Party: PartyFirst},
			{Name: "ads", Category: "marketing", Provider: "Ads", Purpose: Text{"en": "Ads"}, Lifetime: SessionLifetime, Party: PartyThird},
		},
	}
	got := Diff(base, next, "en")
	want := CharterDiff{
		CategoriesAdded:   []string{"marketing"},
		CategoriesRemoved: []string{"statistics"},
		Added:             []Cookie{next.Cookies[1]},
		Removed:           []Cookie{base.Cookies[1]},
		Changed: []CookieChange{{Name: "sid", Changes: []FieldChange{
			{Field: "purpose", From: "Session", To: "Keeps you signed in"},
			{Field: "lifetime", From: "session", To: "2w"},
		}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if !Diff(base, base, "en").Empty() {
		t.Error("Diff of a charter with itself is not empty")
	}
}
