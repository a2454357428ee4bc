package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// TestStatsService runs the conformance tests of [charte.StatsService], over
// decisions appended through [charte.ConsentLog]. open returns a store on a
// fresh database for each test, which run in parallel.
func TestStatsService(t *testing.T, open func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) Harness)
	}{
		{"DecisionStats", testDecisionStats},
		{"Invalid", testStatsInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// statsCategories are the categories of the statistics' decisions.
var statsCategories = []string{"necessary", "preferences", "statistics", "marketing"}

// statsDecision returns a decision for site, made at at by method, that
// grants the categories granted and denies the others. A withdrawal has no
// choices.
func statsDecision(tb testing.TB, site string, at time.Time, method charte.Method, granted ...string) *charte.Decision {
	tb.Helper()
	d := &charte.Decision{
		ID:             newID(tb),
		Site:           site,
		CharterVersion: "v1",
		Method:         method,
		CreatedAt:      at,
		ExpiresAt:      at.AddDate(0, 6, 0),
	}
	if method != charte.MethodWithdraw {
		d.Choices = map[string]bool{}
		for _, c := range statsCategories {
			d.Choices[c] = false
		}
		for _, c := range granted {
			d.Choices[c] = true
		}
	}
	return d
}

// utcDay returns midnight UTC of March day, 2025.
func utcDay(day int) time.Time {
	return time.Date(2025, time.March, day, 0, 0, 0, 0, time.UTC)
}

func testDecisionStats(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	paris := time.FixedZone("CET", 3600)
	all := statsCategories
	MustAppend(t, h.Log,
		// The day before: a withdrawal, which grants nothing, in the last
		// microsecond of the day.
		statsDecision(t, "example", utcDay(10).Add(-time.Microsecond), charte.MethodWithdraw),
		// Day 1, March 10: two accept_all, one reject_all. One accept_all
		// is made at 00:30 in Paris on March 11, still March 10 in UTC.
		statsDecision(t, "example", utcDay(10), charte.MethodAcceptAll, all...),
		statsDecision(t, "example", time.Date(2025, time.March, 11, 0, 30, 0, 0, paris), charte.MethodAcceptAll, all...),
		statsDecision(t, "example", utcDay(10).Add(12*time.Hour), charte.MethodRejectAll, "necessary"),
		// Another site, the same day: not counted.
		statsDecision(t, "other", utcDay(10).Add(13*time.Hour), charte.MethodAcceptAll, all...),
		// Day 2, March 11: a custom choice granting statistics only, and a
		// GPC signal, the latter with nanoseconds that storage drops.
		statsDecision(t, "example", utcDay(11).Add(9*time.Hour), charte.MethodCustom, "necessary", "statistics"),
		statsDecision(t, "example", utcDay(11).Add(23*time.Hour+59*time.Minute+59*time.Second+999999999), charte.MethodGPC, "necessary"),
		// March 12 at midnight: the end of the period, excluded.
		statsDecision(t, "example", utcDay(12), charte.MethodAcceptAll, all...),
	)
	// A later batch, appended separately, on day 1 again.
	MustAppend(t, h.Log, statsDecision(t, "other", utcDay(10).Add(14*time.Hour), charte.MethodGPC, "necessary"))

	day9 := charte.DayStats{
		Day: utcDay(9), Decisions: 1,
		Methods: map[charte.Method]int64{charte.MethodWithdraw: 1},
		Granted: map[string]int64{},
	}
	day10 := charte.DayStats{
		Day: utcDay(10), Decisions: 3,
		Methods: map[charte.Method]int64{charte.MethodAcceptAll: 2, charte.MethodRejectAll: 1},
		Granted: map[string]int64{"necessary": 3, "preferences": 2, "statistics": 2, "marketing": 2},
	}
	day11 := charte.DayStats{
		Day: utcDay(11), Decisions: 2,
		Methods: map[charte.Method]int64{charte.MethodCustom: 1, charte.MethodGPC: 1},
		Granted: map[string]int64{"necessary": 2, "statistics": 1},
	}
	day12 := charte.DayStats{
		Day: utcDay(12), Decisions: 1,
		Methods: map[charte.Method]int64{charte.MethodAcceptAll: 1},
		Granted: map[string]int64{"necessary": 1, "preferences": 1, "statistics": 1, "marketing": 1},
	}
	otherDay10 := charte.DayStats{
		Day: utcDay(10), Decisions: 2,
		Methods: map[charte.Method]int64{charte.MethodAcceptAll: 1, charte.MethodGPC: 1},
		Granted: map[string]int64{"necessary": 2, "preferences": 1, "statistics": 1, "marketing": 1},
	}
	tests := []struct {
		name   string
		filter charte.StatsFilter
		want   []charte.DayStats
	}{
		{"two days", charte.StatsFilter{Site: "example", From: utcDay(10), To: utcDay(12)}, []charte.DayStats{day10, day11}},
		{"one day", charte.StatsFilter{Site: "example", From: utcDay(11), To: utcDay(12)}, []charte.DayStats{day11}},
		{"everything", charte.StatsFilter{Site: "example", To: utcDay(31)}, []charte.DayStats{day9, day10, day11, day12}},
		{"bounds in another zone", charte.StatsFilter{Site: "example", From: utcDay(10).In(paris), To: utcDay(12).In(paris)}, []charte.DayStats{day10, day11}},
		{"part of a day", charte.StatsFilter{Site: "example", From: utcDay(10).Add(12 * time.Hour), To: utcDay(10).Add(24 * time.Hour)}, []charte.DayStats{{
			Day: utcDay(10), Decisions: 2,
			Methods: map[charte.Method]int64{charte.MethodAcceptAll: 1, charte.MethodRejectAll: 1},
			Granted: map[string]int64{"necessary": 2, "preferences": 1, "statistics": 1, "marketing": 1},
		}}},
		// Stored times are at microseconds: a bound within the microsecond
		// after a decision excludes it as From and includes it as To.
		{"sub-microsecond bounds", charte.StatsFilter{Site: "example", From: utcDay(10).Add(-time.Microsecond + time.Nanosecond), To: utcDay(10).Add(time.Nanosecond)}, []charte.DayStats{{
			Day: utcDay(10), Decisions: 1,
			Methods: map[charte.Method]int64{charte.MethodAcceptAll: 1},
			Granted: map[string]int64{"necessary": 1, "preferences": 1, "statistics": 1, "marketing": 1},
		}}},
		{"other site", charte.StatsFilter{Site: "other", From: utcDay(1), To: utcDay(31)}, []charte.DayStats{otherDay10}},
		{"empty period", charte.StatsFilter{Site: "example", From: utcDay(10), To: utcDay(10)}, []charte.DayStats{}},
		{"period without decisions", charte.StatsFilter{Site: "example", From: utcDay(20), To: utcDay(31)}, []charte.DayStats{}},
		{"unknown site", charte.StatsFilter{Site: "unknown", To: utcDay(31)}, []charte.DayStats{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := h.Stats.DecisionStats(ctx, tc.filter)
			if err != nil {
				t.Fatalf("DecisionStats(%+v): %v", tc.filter, err)
			}
			if got == nil {
				t.Errorf("DecisionStats(%+v) = nil, want a non-nil slice", tc.filter)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DecisionStats(%+v) mismatch (-want +got):\n%s", tc.filter, diff)
			}
			for _, d := range got {
				if d.Day.Location() != time.UTC {
					t.Errorf("DecisionStats(%+v) day %v not in UTC", tc.filter, d.Day)
				}
			}
		})
	}
}

func testStatsInvalid(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	tests := []struct {
		name   string
		filter charte.StatsFilter
		field  string
	}{
		{"no site", charte.StatsFilter{From: utcDay(10), To: utcDay(11)}, "site"},
		{"invalid UTF-8 site", charte.StatsFilter{Site: "\xff", From: utcDay(10), To: utcDay(11)}, "site"},
		{"to before from", charte.StatsFilter{Site: "example", From: utcDay(11), To: utcDay(10)}, "to"},
		{"to a nanosecond before from", charte.StatsFilter{Site: "example", From: utcDay(11), To: utcDay(11).Add(-time.Nanosecond)}, "to"},
		{"to in year 10000", charte.StatsFilter{Site: "example", From: utcDay(11), To: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := h.Stats.DecisionStats(context.Background(), tc.filter)
			if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.EINVALID || field != tc.field || got != nil {
				t.Errorf("DecisionStats(%s) = %v, %v (code %q, field %q), want nil, %s on %q", tc.name, got, err, code, field, charte.EINVALID, tc.field)
			}
		})
	}
}
