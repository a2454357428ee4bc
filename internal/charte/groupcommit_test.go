package charte_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// memLog is a fake consent log in memory. It records the ids of each batch,
// refuses bad decisions as a store would (atomically), and, while gate is
// open, waits for it to close before each commit.
type memLog struct {
	charte.ConsentLog

	gate chan struct{}
	// failFn, when set, fails every commit with its error.
	failFn func(ds []*charte.Decision) error

	mu      sync.Mutex
	batches [][]string
	ids     map[string]int64
}

func newMemLog() *memLog { return &memLog{ids: map[string]int64{}} }

func (l *memLog) AppendDecisions(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
	if l.gate != nil {
		<-l.gate
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	batch := make([]string, len(ds))
	for i, d := range ds {
		batch[i] = d.ID
	}
	l.batches = append(l.batches, batch)
	if l.failFn != nil {
		if err := l.failFn(ds); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, d := range ds {
		if !d.Method.Valid() {
			return nil, charte.FieldErrorf("method", "bad method")
		}
		if _, ok := l.ids[d.ID]; ok || seen[d.ID] {
			return nil, charte.Errorf(charte.ECONFLICT, "duplicate id %s", d.ID)
		}
		seen[d.ID] = true
	}
	recs := make([]*charte.Record, len(ds))
	for i, d := range ds {
		seq := int64(len(l.ids) + 1)
		l.ids[d.ID] = seq
		recs[i] = &charte.Record{Decision: *d, Seq: seq}
	}
	return recs, nil
}

func (l *memLog) Batches() [][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.batches
}

func (l *memLog) Stored(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.ids[id]
	return ok
}

// created is when the test decisions are made.
var created = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// decision returns a valid decision.
func decision(id string) *charte.Decision {
	return &charte.Decision{ID: id, Site: "s", CharterVersion: "v", Method: charte.MethodAcceptAll, CreatedAt: created, ExpiresAt: created.AddDate(0, 6, 0)}
}

// result is what one Append returned.
type result struct {
	rec *charte.Record
	err error
}

// appendAsync starts Append(d) in a goroutine and returns where its result
// will be.
func appendAsync(ctx context.Context, g *charte.GroupCommitter, d *charte.Decision) <-chan result {
	c := make(chan result, 1)
	go func() {
		rec, err := g.Append(ctx, d)
		c <- result{rec, err}
	}()
	return c
}

// queue starts one Append for each id while the log's gate is closed: the
// first append is taken into a commit, which waits at the gate, and the
// others queue behind it. It returns the results in the order of ids.
func queue(t *testing.T, g *charte.GroupCommitter, ids ...string) []<-chan result {
	t.Helper()
	var rs []<-chan result
	for i, id := range ids {
		rs = append(rs, appendAsync(context.Background(), g, decision(id)))
		if i == 0 {
			synctest.Wait() // the first commit is under way
		}
	}
	synctest.Wait() // everyone else is queued
	return rs
}

func TestGroupCommitterSingle(t *testing.T) {
	log := newMemLog()
	g := charte.NewGroupCommitter(log, 0)
	defer g.Close()
	rec, err := g.Append(context.Background(), decision("a"))
	if err != nil || rec.ID != "a" || rec.Seq != 1 {
		t.Fatalf("Append(a) = %+v, %v, want record 1 of a", rec, err)
	}
	if diff := cmp.Diff([][]string{{"a"}}, log.Batches()); diff != "" {
		t.Errorf("batches mismatch (-want +got):\n%s", diff)
	}
}

func TestGroupCommitterBatches(t *testing.T) {
	tests := []struct {
		name     string
		maxBatch int
		ids      []string
		want     [][]string
	}{
		{
			name:     "everything queued goes in the next batch",
			maxBatch: 0,
			ids:      []string{"a", "b", "c", "d", "e"},
			want:     [][]string{{"a"}, {"b", "c", "d", "e"}},
		},
		{
			name:     "at most maxBatch",
			maxBatch: 2,
			ids:      []string{"a", "b", "c", "d", "e", "f"},
			want:     [][]string{{"a"}, {"b", "c"}, {"d", "e"}, {"f"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				log := newMemLog()
				log.gate = make(chan struct{})
				g := charte.NewGroupCommitter(log, tc.maxBatch)
				defer g.Close()

				rs := queue(t, g, tc.ids...)
				// Appends arrive in an order the scheduler picks: compare
				// batch sizes, then check that every id got its record.
				close(log.gate)
				for i, r := range rs {
					got := <-r
					if got.err != nil || got.rec.ID != tc.ids[i] {
						t.Errorf("Append(%s) = %+v, %v, want its record", tc.ids[i], got.rec, got.err)
					}
				}
				var sizes, wantSizes []int
				for _, b := range log.Batches() {
					sizes = append(sizes, len(b))
				}
				for _, b := range tc.want {
					wantSizes = append(wantSizes, len(b))
				}
				if diff := cmp.Diff(wantSizes, sizes); diff != "" {
					t.Errorf("batch sizes mismatch (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestGroupCommitterIsolation(t *testing.T) {
	invalid := decision("bad")
	invalid.Method = "maybe"
	tests := []struct {
		name  string
		bad   *charte.Decision
		code  string
		sizes []int // of the batches AppendDecisions was called with
	}{
		// Refused before it is queued: its neighbours commit together.
		{"invalid", invalid, charte.EINVALID, []int{1, 3}},
		// Only the store knows: the batch of four fails, then each of the
		// four is committed on its own.
		{"duplicate", decision("a"), charte.ECONFLICT, []int{1, 4, 1, 1, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				log := newMemLog()
				log.gate = make(chan struct{})
				g := charte.NewGroupCommitter(log, 0)
				defer g.Close()

				first := queue(t, g, "a")[0]
				var rs []<-chan result
				for _, id := range []string{"b", "c", "d"} {
					rs = append(rs, appendAsync(context.Background(), g, decision(id)))
				}
				bad := appendAsync(context.Background(), g, tc.bad)
				synctest.Wait()
				close(log.gate)

				if r := <-first; r.err != nil {
					t.Fatalf("Append(a) = %v", r.err)
				}
				if r := <-bad; charte.ErrorCode(r.err) != tc.code || r.rec != nil {
					t.Errorf("Append(bad) = %+v, %v, want nil, %s", r.rec, r.err, tc.code)
				}
				for _, r := range rs {
					if r := <-r; r.err != nil {
						t.Errorf("Append(good neighbour) = %v, want its record", r.err)
					}
				}
				var sizes []int
				for _, b := range log.Batches() {
					sizes = append(sizes, len(b))
				}
				if diff := cmp.Diff(tc.sizes, sizes); diff != "" {
					t.Errorf("batch sizes mismatch (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestGroupCommitterValidatesFirst checks that a decision that does not
// validate gets its error at once, and never reaches the log.
func TestGroupCommitterValidatesFirst(t *testing.T) {
	calls := 0
	log := &fakeLog{appendFn: func(_ context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
		calls++
		return nil, errors.New("AppendDecisions called")
	}}
	g := charte.NewGroupCommitter(log, 0)
	defer g.Close()
	for _, tc := range []struct {
		name   string
		change func(d *charte.Decision)
		field  string
	}{
		{"no id", func(d *charte.Decision) { d.ID = "" }, "id"},
		{"bad method", func(d *charte.Decision) { d.Method = "maybe" }, "method"},
		{"no creation time", func(d *charte.Decision) { d.CreatedAt = time.Time{} }, "created_at"},
		{"expires before created", func(d *charte.Decision) { d.ExpiresAt = d.CreatedAt.Add(-time.Second) }, "expires_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := decision("a")
			tc.change(d)
			// With a cancelled context, a decision that went as far as the
			// queue could get the context's error instead.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			rec, err := g.Append(ctx, d)
			if charte.ErrorCode(err) != charte.EINVALID || charte.ErrorField(err) != tc.field || rec != nil {
				t.Errorf("Append(%s) = %+v, %v, want nil, %s on %q", tc.name, rec, err, charte.EINVALID, tc.field)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		if _, err := g.Append(context.Background(), nil); charte.ErrorCode(err) != charte.EINVALID {
			t.Errorf("Append(nil) = %v, want %s", err, charte.EINVALID)
		}
	})
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if calls != 0 {
		t.Errorf("AppendDecisions called %d times, want 0", calls)
	}
}

func TestGroupCommitterStoreFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := newMemLog()
		log.gate = make(chan struct{})
		errDisk := errors.New("disk on fire")
		g := charte.NewGroupCommitter(log, 0)
		defer g.Close()

		rs := queue(t, g, "a", "b", "c")
		log.failFn = func([]*charte.Decision) error { return errDisk }
		close(log.gate)
		for i, r := range rs {
			if r := <-r; i > 0 && !errors.Is(r.err, errDisk) {
				t.Errorf("Append in a failed batch = %v, want %v", r.err, errDisk)
			}
		}
		// A failure of the store is not retried decision by decision.
		if got := len(log.Batches()); got != 2 {
			t.Errorf("AppendDecisions called %d times, want 2", got)
		}
	})
}

func TestGroupCommitterWrongCount(t *testing.T) {
	log := &fakeLog{appendFn: func(context.Context, []*charte.Decision) ([]*charte.Record, error) { return nil, nil }}
	g := charte.NewGroupCommitter(log, 0)
	defer g.Close()
	if _, err := g.Append(context.Background(), decision("a")); charte.ErrorCode(err) != charte.EINTERNAL {
		t.Errorf("Append with a log returning no record = %v, want %s", err, charte.EINTERNAL)
	}
}

type fakeLog struct {
	charte.ConsentLog
	appendFn func(context.Context, []*charte.Decision) ([]*charte.Record, error)
}

func (l *fakeLog) AppendDecisions(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
	return l.appendFn(ctx, ds)
}

func TestGroupCommitterCancel(t *testing.T) {
	t.Run("while queued", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			log := newMemLog()
			log.gate = make(chan struct{})
			g := charte.NewGroupCommitter(log, 0)
			defer g.Close()

			first := queue(t, g, "a")[0]
			ctx, cancel := context.WithCancel(context.Background())
			queued := appendAsync(ctx, g, decision("b"))
			synctest.Wait()
			cancel()
			if r := <-queued; !errors.Is(r.err, context.Canceled) {
				t.Errorf("Append cancelled while queued = %v, want %v", r.err, context.Canceled)
			}
			close(log.gate)
			if r := <-first; r.err != nil {
				t.Errorf("Append(a) = %v", r.err)
			}
			if log.Stored("b") {
				t.Errorf("decision cancelled while queued was stored")
			}
		})
	})
	t.Run("while committed", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			log := newMemLog()
			log.gate = make(chan struct{})
			g := charte.NewGroupCommitter(log, 0)
			defer g.Close()

			ctx, cancel := context.WithCancel(context.Background())
			r := appendAsync(ctx, g, decision("a"))
			synctest.Wait() // a is in the commit, which waits at the gate
			cancel()
			if r := <-r; !errors.Is(r.err, context.Canceled) {
				t.Errorf("Append cancelled during its commit = %v, want %v", r.err, context.Canceled)
			}
			close(log.gate)
			if err := g.Close(); err != nil {
				t.Fatal(err)
			}
			if !log.Stored("a") {
				t.Errorf("decision handed to a commit was not stored after its caller left")
			}
		})
	})
	t.Run("deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			log := newMemLog()
			log.gate = make(chan struct{})
			g := charte.NewGroupCommitter(log, 0)
			defer g.Close()
			defer close(log.gate)

			queue(t, g, "a")
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if _, err := g.Append(ctx, decision("b")); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Append past its deadline = %v, want %v", err, context.DeadlineExceeded)
			}
		})
	})
}

func TestGroupCommitterClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := newMemLog()
		log.gate = make(chan struct{})
		g := charte.NewGroupCommitter(log, 0)

		rs := queue(t, g, "a", "b", "c", "d")
		closed := make(chan error)
		go func() { closed <- g.Close() }()
		synctest.Wait()
		select {
		case <-closed:
			t.Fatal("Close returned before the pending appends were committed")
		default:
		}
		// New appends are refused at once while the pending ones drain.
		if _, err := g.Append(context.Background(), decision("late")); !errors.Is(err, charte.ErrCommitterClosed) {
			t.Errorf("Append while closing = %v, want %v", err, charte.ErrCommitterClosed)
		}
		close(log.gate)
		for _, r := range rs {
			if r := <-r; r.err != nil {
				t.Errorf("pending Append during Close = %v, want its record", r.err)
			}
		}
		if err := <-closed; err != nil {
			t.Errorf("Close() = %v", err)
		}
		if err := g.Close(); err != nil {
			t.Errorf("second Close() = %v", err)
		}
		if _, err := g.Append(context.Background(), decision("after")); !errors.Is(err, charte.ErrCommitterClosed) {
			t.Errorf("Append after Close = %v, want %v", err, charte.ErrCommitterClosed)
		}
	})
}

// TestGroupCommitterConcurrent is for the race detector: many callers, each
// getting its own record, in batches no larger than asked.
func TestGroupCommitterConcurrent(t *testing.T) {
	const goroutines, each, maxBatch = 8, 200, 16
	log := newMemLog()
	g := charte.NewGroupCommitter(log, maxBatch)
	var wg sync.WaitGroup
	for n := range goroutines {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("%d-%d", n, i)
				d := decision(id)
				if i%50 == 0 {
					d.Method = "bad" // one bad decision now and then
				}
				rec, err := g.Append(context.Background(), d)
				switch {
				case i%50 == 0 && charte.ErrorCode(err) != charte.EINVALID:
					t.Errorf("Append(%s, bad method) = %v, want %s", id, err, charte.EINVALID)
				case i%50 != 0 && (err != nil || rec.ID != id):
					t.Errorf("Append(%s) = %+v, %v, want its record", id, rec, err)
				}
			}
		})
	}
	wg.Wait()
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	want := goroutines * (each - each/50)
	if got := len(log.ids); got != want {
		t.Errorf("%d decisions stored, want %d", got, want)
	}
	for _, b := range log.Batches() {
		if len(b) > maxBatch {
			t.Errorf("batch of %d decisions, want at most %d", len(b), maxBatch)
		}
	}
	t.Logf("%d decisions in %d batches", want, len(log.Batches()))
}
