package charte_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

func TestShares(t *testing.T) {
	tests := []struct {
		name   string
		counts []int64
		want   []int
	}{
		{"nothing", nil, []int{}},
		{"nothing counted", []int64{0, 0, 0}, []int{0, 0, 0}},
		{"one", []int64{7}, []int{100}},
		{"exact", []int64{1, 1, 2}, []int{25, 25, 50}},
		// Rounding each to the nearest gives 33+33+33 = 99.
		{"thirds", []int64{1, 1, 1}, []int{34, 33, 33}},
		// Rounding each to the nearest gives 67+17+17 = 101.
		{"two thirds and sixths", []int64{4, 1, 1}, []int{67, 17, 16}},
		{"largest remainder wins", []int64{1, 2, 3, 4, 5, 6}, []int{5, 9, 14, 19, 24, 29}},
		{"zero stays zero", []int64{0, 3, 0, 3, 3}, []int{0, 34, 0, 33, 33}},
		// Equal remainders: the larger count first, then the earlier.
		{"tie to the larger count, then the earlier", []int64{1, 4, 1}, []int{17, 67, 16}},
		{"tiny share", []int64{1, 999}, []int{0, 100}},
		{"many small", []int64{1, 1, 1, 1, 1, 1, 1}, []int{15, 15, 14, 14, 14, 14, 14}},
		{"big counts", []int64{1_000_000_001, 2_000_000_000, 3_000_000_000}, []int{17, 33, 50}},
		{"negative count", []int64{3, -1}, []int{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := charte.Shares(tc.counts)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Shares(%v) (-want +got):\n%s", tc.counts, diff)
			}
			sum := 0
			for _, s := range got {
				sum += s
			}
			var total int64
			negative := false
			for _, n := range tc.counts {
				total += n
				negative = negative || n < 0
			}
			if total > 0 && !negative && sum != 100 {
				t.Errorf("Shares(%v) adds up to %d, want 100", tc.counts, sum)
			}
		})
	}
}
