package charte

import "strings"

// Suggest returns the word of candidates closest to s, if one is close
// enough to be a likely typo of it, or "": what a "did you mean" names. An
// abbreviation of three letters or more (lang for languages) is close.
func Suggest(s string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		d := distance(strings.ToLower(s), c)
		limit := max(1, len(c)/3)
		if len(s) >= 3 && strings.HasPrefix(c, strings.ToLower(s)) {
			limit = len(c) // an abbreviation: lang for languages
		}
		if d <= limit && d < len(c) && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
