package proxy

import (
	"context"
	"testing"
	"time"
)

// TestBudgetWait checks that a page waits for another page's share of the
// budget rather than go out without the banner at once, and gives up when
// nothing comes back in time or when the budget could never hold it.
func TestBudgetWait(t *testing.T) {
	ctx := context.Background()
	b := newBudget(10)
	if !b.take(10) {
		t.Fatal("take(10) of a budget of 10 = false")
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		b.give(10)
	}()
	if !b.takeWithin(ctx, 6, time.Minute) {
		t.Error("takeWithin(6) while another page gives 10 back = false, want true")
	}
	if b.takeWithin(ctx, 6, 20*time.Millisecond) {
		t.Error("takeWithin(6) with 4 left and nothing given back = true, want false")
	}
	start := time.Now()
	if b.takeWithin(ctx, 11, time.Minute) || time.Since(start) > 10*time.Second {
		t.Error("takeWithin(11) of a budget of 10 waited or succeeded, want false at once")
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if b.takeWithin(done, 6, time.Minute) {
		t.Error("takeWithin(6) on a cancelled request = true, want false")
	}
	if got := b.left.Load(); got != 4 {
		t.Errorf("left = %d, want 4", got)
	}
}
