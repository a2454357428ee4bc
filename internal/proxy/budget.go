package proxy

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// budget is the memory all pages being looked into may hold together: the
// decoded beginnings, the compressed bytes kept to pass a page through
// untouched, the decoders' state. A page that cannot get its share waits a
// little for other pages to give theirs back ([budgetWait]), then goes out
// untouched: waiting longer would hold the upstream's answer, and a page
// without the banner is the price of a flood, not of a busy moment.
type budget struct {
	total int64
	left  atomic.Int64

	mu    sync.Mutex
	freed chan struct{} // closed, then replaced, when bytes come back
}

// budgetWait is how long a page waits for the budget before it goes out
// untouched.
const budgetWait = time.Second

func newBudget(n int64) *budget {
	b := &budget{total: n}
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

// give returns n bytes to the budget and wakes the pages waiting for it.
func (b *budget) give(n int64) {
	if n == 0 {
		return
	}
	b.left.Add(n)
	b.mu.Lock()
	if b.freed != nil {
		close(b.freed)
		b.freed = nil
	}
	b.mu.Unlock()
}

// returned is closed the next time bytes come back to the budget.
func (b *budget) returned() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.freed == nil {
		b.freed = make(chan struct{})
	}
	return b.freed
}

// takeWithin takes n bytes, waiting up to d for other pages to give bytes
// back, and reports whether it got them.
func (b *budget) takeWithin(ctx context.Context, n int64, d time.Duration) bool {
	if b.take(n) {
		return true
	}
	if n > b.total {
		return false // no page's giving back will make room
	}
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		ch := b.returned()
		if b.take(n) { // bytes may have come back before ch was made
			return true
		}
		select {
		case <-ch:
			if b.take(n) {
				return true
			}
		case <-t.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

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

// reserveWithin takes n more bytes for the page, waiting up to d for them
// (see [budget.takeWithin]).
func (h *holding) reserveWithin(ctx context.Context, n int, d time.Duration) bool {
	if !h.budget.takeWithin(ctx, int64(n), d) {
		return false
	}
	h.n += int64(n)
	return true
}

func (h *holding) release() {
	h.budget.give(h.n)
	h.n = 0
}
