package charte_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

func TestDayStatsBuilder(t *testing.T) {
	day1 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	day2 := day1.AddDate(0, 0, 1)
	tests := []struct {
		name string
		add  func(b *charte.DayStatsBuilder)
		want []charte.DayStats
	}{
		{name: "none", add: func(*charte.DayStatsBuilder) {}, want: []charte.DayStats{}},
		{
			name: "days in order",
			add: func(b *charte.DayStatsBuilder) {
				b.AddMethod(day1, charte.MethodAcceptAll, 3)
				b.AddMethod(day1, charte.MethodCustom, 2)
				b.AddGranted(day1, "statistics", 4)
				b.AddGranted(day2, "marketing", 1)
				b.AddMethod(day2, charte.MethodRejectAll, 5)
				b.AddMethod(day2, charte.MethodRejectAll, 1)
			},
			want: []charte.DayStats{
				{
					Day: day1, Decisions: 5,
					Methods: map[charte.Method]int64{charte.MethodAcceptAll: 3, charte.MethodCustom: 2},
					Granted: map[string]int64{"statistics": 4},
				},
				{
					Day: day2, Decisions: 6,
					Methods: map[charte.Method]int64{charte.MethodRejectAll: 6},
					Granted: map[string]int64{"marketing": 1},
				},
			},
		},
		{
			name: "granted only",
			add:  func(b *charte.DayStatsBuilder) { b.AddGranted(day1, "statistics", 1) },
			want: []charte.DayStats{{Day: day1, Methods: map[charte.Method]int64{}, Granted: map[string]int64{"statistics": 1}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b charte.DayStatsBuilder
			tc.add(&b)
			got := b.Days()
			if got == nil {
				t.Fatalf("Days() = nil, want non-nil")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Days() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
