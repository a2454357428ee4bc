package charte

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// decisionCharter has a necessary, an exempt and a plain category.
func decisionCharter() *Charter {
	return &Charter{
		Site:       Site{ID: "shop", ConsentLifetime: Duration{N: 6, Unit: UnitMonth}},
		Categories: []Category{{ID: CategoryNecessary}, {ID: CategoryStatistics, Exempt: true}, {ID: CategoryMarketing}},
		Version:    "0123456789ab",
	}
}

func TestCharterNewDecision(t *testing.T) {
	ch := decisionCharter()
	now := time.Date(2026, 11, 28, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))
	created := time.Date(2026, 11, 28, 11, 0, 0, 123456000, time.UTC)
	prev := NewDecisionID()
	tests := []struct {
		name        string
		req         DecisionRequest
		wantChoices map[string]bool
		wantField   string // "" when the request is valid
		wantMessage string
	}{
		{
			name:        "accept_all grants every category",
			req:         DecisionRequest{CharterVersion: ch.Version, Method: MethodAcceptAll, Choices: map[string]bool{"marketing": false}},
			wantChoices: map[string]bool{"necessary": true, "statistics": true, "marketing": true},
		},
		{
			name:        "reject_all denies the exempt category too, necessary stays",
			req:         DecisionRequest{CharterVersion: ch.Version, Method: MethodRejectAll, Choices: map[string]bool{"necessary": false, "marketing": true}},
			wantChoices: map[string]bool{"necessary": true, "statistics": false, "marketing": false},
		},
		{
			name:        "custom: left-out exempt is on, left-out other is off",
			req:         DecisionRequest{CharterVersion: ch.Version, Method: MethodCustom},
			wantChoices: map[string]bool{"necessary": true, "statistics": true, "marketing": false},
		},
		{
			name:        "custom keeps what was sent, but necessary",
			req:         DecisionRequest{CharterVersion: ch.Version, Method: MethodCustom, Choices: map[string]bool{"necessary": false, "statistics": false, "marketing": true}},
			wantChoices: map[string]bool{"necessary": true, "statistics": false, "marketing": true},
		},
		{
			name:        "gpc keeps the exempt opt-out default",
			req:         DecisionRequest{CharterVersion: ch.Version, Method: MethodGPC, Choices: map[string]bool{"marketing": false}},
			wantChoices: map[string]bool{"necessary": true, "statistics": true, "marketing": false},
		},
		{
			name:        "withdraw with a previous decision",
			req:         DecisionRequest{CharterVersion: ch.Version, Method: MethodWithdraw, PreviousID: prev, Choices: map[string]bool{"statistics": false, "marketing": false}},
			wantChoices: map[string]bool{"necessary": true, "statistics": false, "marketing": false},
		},
		{
			name:      "no charter version",
			req:       DecisionRequest{Method: MethodAcceptAll},
			wantField: "charter_version", wantMessage: "charter_version is required.",
		},
		{
			name:      "stale charter version, before a bad method",
			req:       DecisionRequest{CharterVersion: "000000000000", Method: "yes"},
			wantField: "charter_version", wantMessage: `Charter version "000000000000" is not the current version "0123456789ab" of site "shop": show the banner again.`,
		},
		{
			name:      "unknown method",
			req:       DecisionRequest{CharterVersion: ch.Version, Method: "yes"},
			wantField: "method", wantMessage: "method must be one of accept_all, reject_all, custom, gpc, withdraw.",
		},
		{
			name:      "no method",
			req:       DecisionRequest{CharterVersion: ch.Version},
			wantField: "method", wantMessage: "method must be one of accept_all, reject_all, custom, gpc, withdraw.",
		},
		{
			name:      "previous_id of the wrong shape, before an unknown category",
			req:       DecisionRequest{CharterVersion: ch.Version, Method: MethodCustom, PreviousID: "x;y", Choices: map[string]bool{"videos": true}},
			wantField: "previous_id", wantMessage: "previous_id is not a decision id.",
		},
		{
			name:      "unknown categories: the first in sorted order",
			req:       DecisionRequest{CharterVersion: ch.Version, Method: MethodCustom, Choices: map[string]bool{"videos": true, "marketing": true, "ads": false}},
			wantField: "choices.ads", wantMessage: `Site "shop" has no category "ads".`,
		},
		{
			name:      "an unknown category is refused even on accept_all",
			req:       DecisionRequest{CharterVersion: ch.Version, Method: MethodAcceptAll, Choices: map[string]bool{"videos": true}},
			wantField: "choices.videos", wantMessage: `Site "shop" has no category "videos".`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ch.NewDecision(tc.req, now)
			if tc.wantField != "" {
				if ErrorCode(err) != EINVALID || ErrorField(err) != tc.wantField || ErrorMessage(err) != tc.wantMessage {
					t.Fatalf("NewDecision(%+v) = %v, %v, want %s on %q: %q", tc.req, d, err, EINVALID, tc.wantField, tc.wantMessage)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewDecision(%+v): %v", tc.req, err)
			}
			want := &Decision{
				Site: "shop", CharterVersion: ch.Version, Choices: tc.wantChoices, Method: tc.req.Method, PreviousID: tc.req.PreviousID,
				CreatedAt: created, ExpiresAt: time.Date(2027, 5, 28, 11, 0, 0, 123456000, time.UTC),
			}
			if diff := cmp.Diff(want, d, cmpopts.IgnoreFields(Decision{}, "ID")); diff != "" {
				t.Errorf("NewDecision(%+v) mismatch (-want +got):\n%s", tc.req, diff)
			}
			if len(d.ID) != DecisionIDLen || !ValidDecisionID(d.ID) {
				t.Errorf("NewDecision(%+v).ID = %q, want a new decision id", tc.req, d.ID)
			}
			if err := d.Validate(); err != nil {
				t.Errorf("NewDecision(%+v) made a decision that does not validate: %v", tc.req, err)
			}
		})
	}
}

func TestNewDecisionDoesNotKeepTheRequestsChoices(t *testing.T) {
	ch := decisionCharter()
	sent := map[string]bool{"marketing": true}
	d, err := ch.NewDecision(DecisionRequest{CharterVersion: ch.Version, Method: MethodCustom, Choices: sent}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	sent["marketing"] = false
	if !d.Choices["marketing"] {
		t.Errorf("changing the request's choices changed the decision's: %v", d.Choices)
	}
}

func TestValidDecisionID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{NewDecisionID(), true},
		{"AAAAAAAAAAAAAAAA", true},
		{"AAAAAAAAAAAAAAA", false}, // 15 characters
		{"a-b_c-d_e-f_g-h_", true},
		{string(make([]byte, 65)), false},
		{"AAAAAAAAAAAAAAAA;", false},
		{"AAAAAAAAAAAAAAAé", false},
		{"", false},
	} {
		if got := ValidDecisionID(tc.id); got != tc.want {
			t.Errorf("ValidDecisionID(%q) = %t, want %t", tc.id, got, tc.want)
		}
	}
}

func TestStoredTime(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"cut to the microsecond", time.Date(2026, 1, 2, 3, 4, 5, 6789999, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 6789000, time.UTC)},
		{"in UTC", time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", -5*3600)), time.Date(2026, 1, 2, 8, 4, 5, 0, time.UTC)},
		{"zero stays zero", time.Time{}, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := StoredTime(tc.in)
			if !got.Equal(tc.want) || got.Location() != time.UTC || !StoredTime(got).Equal(got) {
				t.Errorf("StoredTime(%v) = %v, want %v in UTC, unchanged by a second cut", tc.in, got, tc.want)
			}
		})
	}
}

func TestMethodList(t *testing.T) {
	if got, want := MethodList(), "accept_all, reject_all, custom, gpc, withdraw"; got != want {
		t.Errorf("MethodList() = %q, want %q", got, want)
	}
}
