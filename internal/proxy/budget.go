package proxy

import "sync/atomic"

// budget is the memory all pages being looked into may hold together: the
// decoded beginnings, the compressed bytes kept to pass a page through
// untouched, the decoders' state. A page that cannot get its share goes out
// untouched rather than waiting: waiting would hold the upstream's answer.
type budget struct {
	left atomic.Int64
}

func newBudget(n int64) *budget {
	b := &budget{}
	b.left.Store(n)
	return b
}

// take takes n bytes from the budget, or none and false when fewer are
// left.
func (b *budget) take(n int64) bool {
	for {
		left := b.left.Load()
		if left < n {
			return false
		}
		if b.left.CompareAndSwap(left, left-n) {
			return true
		}
	}
}

// give returns n bytes to the budget.
func (b *budget) give(n int64) { b.left.Add(n) }

// holding is what one page holds from a budget; release gives it all back
// and may be called more than once.
type holding struct {
	budget *budget
	n      int64
}

// reserve takes n more bytes for the page.
func (h *holding) reserve(n int) bool {
	if !h.budget.take(int64(n)) {
		return false
	}
	h.n += int64(n)
	return true
}

func (h *holding) release() {
	h.budget.give(h.n)
	h.n = 0
}
