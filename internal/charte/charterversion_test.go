package charte

import (
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// versionCharter is a charter with every kind of field filled in.
func versionCharter() *Charter {
	return &Charter{
		Site: Site{
			ID: "shop", Name: "Shop & Co", URL: "https://shop.example",
			Origins: []string{"https://shop.example"}, Languages: []string{"fr", "en"},
			Contact: "dpo@shop.example", ConsentLifetime: Duration{N: 6, Unit: UnitMonth},
		},
		Categories: []Category{
			{ID: CategoryNecessary, Name: Text{"fr": "Nécessaires", "en": "Necessary"}, Description: Text{"en": "Always on."}},
			{ID: CategoryStatistics, Name: Text{"en": "Statistics"}, Exempt: true},
			{ID: CategoryMarketing, Name: Text{"en": "Ads <targeted>"}},
		},
		Cookies: []Cookie{
			{Name: "sid", Provider: "Shop", Service: Text{"en": "Session"}, Purpose: Text{"en": "Sign-in"}, Category: CategoryNecessary, Lifetime: Lifetime{Session: true}, Party: PartyFirst},
			{Name: "_pk_id.*", Provider: "Matomo", Category: CategoryStatistics, Lifetime: Lifetime{Duration: Duration{N: 13, Unit: UnitMonth}}, Party: PartyFirst},
			{Name: "IDE", Provider: "Google", Category: CategoryMarketing, Lifetime: Lifetime{Duration: Duration{N: 390, Unit: UnitDay}}, Party: PartyThird, Domain: ".doubleclick.net"},
		},
		Options: Options{GoogleConsentMode: true, PersistentControl: true},
		Version: "0123456789ab",
		Updated: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
	}
}

func TestCharterVersionRoundTrip(t *testing.T) {
	ch := versionCharter()
	ch.Source = "shop.yaml"
	v, err := NewCharterVersion(ch)
	if err != nil {
		t.Fatalf("NewCharterVersion: %v", err)
	}
	if v.Site != "shop" || v.Version != ch.Version || !v.CreatedAt.IsZero() {
		t.Errorf("NewCharterVersion = %s/%s created %v, want shop/%s with no time (the store sets it)", v.Site, v.Version, v.CreatedAt, ch.Version)
	}
	got, err := v.Charter()
	if err != nil {
		t.Fatalf("Charter: %v", err)
	}
	want := versionCharter() // a stored version comes from no file
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NewCharterVersion(ch).Charter() mismatch (-want +got):\n%s", diff)
	}
}

// TestCharterVersionOld reads a version as charte stored it before
// NewCharterVersion (policy.JSON of a charter read by charterfile): every
// version already in a database has this form, and must keep reading.
func TestCharterVersionOld(t *testing.T) {
	content, err := os.ReadFile("testdata/charter_version_2026-12.json")
	if err != nil {
		t.Fatal(err)
	}
	v := &CharterVersion{Site: "shop", Version: "8b8166813035", Content: content}
	ch, err := v.Charter()
	if err != nil {
		t.Fatalf("Charter of a stored version: %v", err)
	}
	if diff := cmp.Diff(
		[]string{"shop", "Shop & Co", "6mo", "necessary", "statistics", "marketing", "Publicité <ciblée>", "IDE", "390d", ".doubleclick.net", "third", "2026-11-02"},
		[]string{ch.Site.ID, ch.Site.Name, ch.Site.ConsentLifetime.String(), ch.Categories[0].ID, ch.Categories[1].ID, ch.Categories[2].ID, ch.Categories[2].Name["fr"], ch.Cookies[2].Name, ch.Cookies[2].Lifetime.String(), ch.Cookies[2].Domain, string(ch.Cookies[2].Party), ch.Updated.Format(time.DateOnly)},
	); diff != "" {
		t.Errorf("Charter of a stored version mismatch (-want +got):\n%s", diff)
	}
	if !ch.Categories[1].Exempt || !ch.Options.GoogleConsentMode || !ch.Options.PersistentControl || !ch.Cookies[0].Lifetime.Session {
		t.Errorf("Charter of a stored version lost a flag: %+v", ch)
	}
	// Encoding it again loses nothing the old form had.
	again, err := NewCharterVersion(ch)
	if err != nil {
		t.Fatal(err)
	}
	var old, now any
	if err := json.Unmarshal(content, &old); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again.Content, &now); err != nil {
		t.Fatal(err)
	}
	if path, ok := within(old, now, "$"); !ok {
		t.Errorf("NewCharterVersion(old.Charter()) differs from the stored version at %s", path)
	}
}

// within reports whether the JSON value old is in new: equal, or an object
// whose every field is within new's field of the same name (new may add
// fields). It returns where they differ.
func within(old, new any, path string) (string, bool) {
	o, isObject := old.(map[string]any)
	n, _ := new.(map[string]any)
	if isObject && n != nil {
		for k, ov := range o {
			if p, ok := within(ov, n[k], path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	}
	if oa, isArray := old.([]any); isArray {
		na, _ := new.([]any)
		if len(na) != len(oa) {
			return path, false
		}
		for i := range oa {
			if p, ok := within(oa[i], na[i], path+"["+strconv.Itoa(i)+"]"); !ok {
				return p, false
			}
		}
		return "", true
	}
	return path, reflect.DeepEqual(old, new)
}

func TestCharterVersionErrors(t *testing.T) {
	t.Run("new", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			ch    *Charter
			field string
		}{
			{"nil", nil, ""},
			{"no site", &Charter{Version: "v1"}, "site"},
			{"no version", &Charter{Site: Site{ID: "shop"}}, "version"},
		} {
			if v, err := NewCharterVersion(tc.ch); ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
				t.Errorf("NewCharterVersion(%s) = %v, %v, want %s on %q", tc.name, v, err, EINVALID, tc.field)
			}
		}
	})
	t.Run("decode", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			content string
		}{
			{"not JSON", `{"site":`},
			{"not a charter", `[1, 2]`},
			{"a bad lifetime", `{"site": {"id": "shop"}, "version": "v1", "cookies": [{"name": "sid", "lifetime": "forever"}]}`},
			{"another site", `{"site": {"id": "other"}, "version": "v1"}`},
			{"another version", `{"site": {"id": "shop"}, "version": "v2"}`},
		} {
			v := &CharterVersion{Site: "shop", Version: "v1", Content: []byte(tc.content)}
			if ch, err := v.Charter(); ErrorCode(err) != EINTERNAL {
				t.Errorf("Charter(%s) = %v, %v, want %s", tc.name, ch, err, EINTERNAL)
			}
		}
	})
}
