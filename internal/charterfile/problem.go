package charterfile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one problem in a charter file, at a position: File:Line:Col:
// Message. Lines and columns count from 1.
type Problem struct {
	File      string
	Line, Col int
	Message   string
}

// String returns the problem as FILE:LINE:COL: message.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
}

// Problems is every problem found in a charter file. It is the error that
// [Parse] and [Load] return for an invalid charter; find it with errors.As.
type Problems []Problem

// Error returns the problems one per line, sorted by position.
func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps.sorted() {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// sorted returns a sorted copy of ps without repeated problems (a YAML merge
// key can make one node be checked twice).
func (ps Problems) sorted() Problems {
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(out)
}
