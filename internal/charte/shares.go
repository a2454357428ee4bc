package charte

import (
	"cmp"
	"slices"
)

// Shares returns each count's share of their sum as whole percentages that
// add up to exactly 100, by largest-remainder rounding (Hamilton's method):
// each share is first rounded down, then the points still missing go one
// each to the counts whose shares lost the most, ties to the larger count,
// then to the earlier one. A count of zero always has a share of zero.
// Without anything counted (or with a negative count), every share is zero.
func Shares(counts []int64) []int {
	shares := make([]int, len(counts))
	var total int64
	for _, n := range counts {
		if n < 0 {
			return shares
		}
		total += n
	}
	if total == 0 {
		return shares
	}
	type rest struct {
		i   int
		rem int64 // (n*100) mod total: what rounding down lost, in 1/total points
	}
	rests := make([]rest, 0, len(counts))
	given := 0
	for i, n := range counts {
		shares[i] = int(n * 100 / total)
		given += shares[i]
		if r := n * 100 % total; r > 0 {
			rests = append(rests, rest{i, r})
		}
	}
	slices.SortStableFunc(rests, func(a, b rest) int {
		if c := cmp.Compare(b.rem, a.rem); c != 0 {
			return c
		}
		return cmp.Compare(counts[b.i], counts[a.i])
	})
	for k := 0; given < 100 && k < len(rests); k++ {
		shares[rests[k].i]++
		given++
	}
	return shares
}
