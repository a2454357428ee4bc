package charte

import (
	"context"
	"runtime"
	"sync"
)

// DefaultMaxBatch is the batch size [NewGroupCommitter] uses when given a
// size of zero or less.
const DefaultMaxBatch = 256

// ErrCommitterClosed is returned by [GroupCommitter.Append] once the
// committer is closed: the decision was not stored.
var ErrCommitterClosed = &Error{Code: EINTERNAL, Message: "The consent log is shutting down."}

// GroupCommitter batches concurrent appends into one AppendDecisions call (one
// transaction, one fsync).
//
// Durability costs one fsync per commit, whatever the commit holds, so
// committing decisions one by one caps a server at a few hundred decisions a
// second. The committer has one goroutine that commits while callers queue:
// when a commit finishes, everything queued in the meantime goes into the
// next one, up to the batch size. There is no timer: a lone decision is
// committed at once, so latency does not grow when load is low, and batches
// grow by themselves as load rises.
//
// One bad decision never fails its neighbours: a decision that does not
// pass [Decision.Validate] is refused before it joins a batch, and when a
// batch still fails with [EINVALID] or [ECONFLICT] (a duplicate id, a rule
// that only the store knows), each of its decisions is retried on its own.
type GroupCommitter struct {
	log      ConsentLog
	maxBatch int

	reqs chan *commitRequest // unbuffered: callers wait in the send queue
	stop chan struct{}       // closed by Close once no Append is pending
	done chan struct{}       // closed when the goroutine ends

	mu        sync.RWMutex
	closed    bool
	pending   sync.WaitGroup // Append calls in progress
	closeOnce sync.Once
}

type commitRequest struct {
	d   *Decision
	res chan commitResult // buffered, so the committer never blocks on a caller that left
}

type commitResult struct {
	rec *Record
	err error
}

// NewGroupCommitter returns a committer appending to log in batches of at most
// maxBatch decisions ([DefaultMaxBatch] when maxBatch <= 0), and starts its
// goroutine. Call [GroupCommitter.Close] to stop it.
func NewGroupCommitter(log ConsentLog, maxBatch int) *GroupCommitter {
	if maxBatch <= 0 {
		maxBatch = DefaultMaxBatch
	}
	g := &GroupCommitter{
		log:      log,
		maxBatch: maxBatch,
		reqs:     make(chan *commitRequest),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go g.run()
	return g
}

// Append appends d to the log with the next batch and returns its record once
// it is durably committed. It returns the EINVALID error of
// [Decision.Validate] at once, without queueing d; the errors of
// [ConsentLog.AppendDecisions] for d alone; and [ErrCommitterClosed] after
// [GroupCommitter.Close].
//
// While d waits for a batch, the end of ctx ends the wait with ctx's error and
// d is not stored. Once d is handed to a commit it is committed regardless, so
// that a commit in progress is never torn apart; if ctx ends first, Append
// still returns ctx's error at once, and [ConsentLog.FindDecisionByID] tells
// whether d was stored.
func (g *GroupCommitter) Append(ctx context.Context, d *Decision) (*Record, error) {
	// The store validates too, but a bad decision found there fails its
	// whole batch, which is then retried one decision at a time.
	if err := d.Validate(); err != nil {
		return nil, err
	}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return nil, ErrCommitterClosed
	}
	g.pending.Add(1)
	g.mu.RUnlock()
	defer g.pending.Done()

	req := &commitRequest{d: d, res: make(chan commitResult, 1)}
	select {
	case g.reqs <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-req.res:
		return r.rec, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close stops accepting appends, waits for the pending ones to be committed
// and stops the goroutine. It is safe to call more than once.
func (g *GroupCommitter) Close() error {
	g.closeOnce.Do(func() {
		g.mu.Lock()
		g.closed = true
		g.mu.Unlock()
		// The goroutine keeps serving until every Append that got in before
		// the close has its answer: this is the drain.
		g.pending.Wait()
		close(g.stop)
	})
	<-g.done
	return nil
}

func (g *GroupCommitter) run() {
	defer close(g.done)
	batch := make([]*commitRequest, 0, g.maxBatch)
	for {
		select {
		case r := <-g.reqs:
			batch = append(batch[:0], r)
		case <-g.stop:
			return
		}
		// Take everyone who queued while the previous commit ran, without
		// waiting for more; then yield the processor for as long as more
		// keep coming, so that the handlers the last commit's answers (and
		// the network) made ready get to queue theirs first. On one core,
		// committing at once would commit one decision at a time.
		batch = g.drain(batch)
		for len(batch) < g.maxBatch {
			runtime.Gosched()
			n := len(batch)
			batch = g.drain(batch)
			if len(batch) == n {
				break
			}
		}
		g.commit(batch)
		clear(batch) // let the requests be collected
	}
}

// drain adds to batch the decisions queued now, without waiting.
func (g *GroupCommitter) drain(batch []*commitRequest) []*commitRequest {
	for len(batch) < g.maxBatch {
		select {
		case r := <-g.reqs:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// commit appends one batch and answers its callers. The context is the
// committer's own: a decision handed to a commit is committed even if its
// caller has gone, and no caller can cancel its neighbours' commit.
func (g *GroupCommitter) commit(batch []*commitRequest) {
	ctx := context.Background()
	ds := make([]*Decision, len(batch))
	for i, r := range batch {
		ds[i] = r.d
	}
	recs, err := g.log.AppendDecisions(ctx, ds)
	switch {
	case err == nil && len(recs) == len(batch):
		for i, r := range batch {
			r.res <- commitResult{rec: recs[i]}
		}
	case err == nil:
		err = Errorf(EINTERNAL, "The consent log returned %d records for %d decisions.", len(recs), len(batch))
		for _, r := range batch {
			r.res <- commitResult{err: err}
		}
	case len(batch) > 1 && isDecisionError(err):
		// The transaction was rolled back: nothing of the batch is stored.
		// Find the culprit by committing each decision on its own.
		for _, r := range batch {
			recs, err := g.log.AppendDecisions(ctx, []*Decision{r.d})
			if err == nil && len(recs) != 1 {
				err = Errorf(EINTERNAL, "The consent log returned %d records for 1 decision.", len(recs))
			}
			if err != nil {
				r.res <- commitResult{err: err}
				continue
			}
			r.res <- commitResult{rec: recs[0]}
		}
	default:
		// Failures of the store itself (disk, network) are everybody's.
		for _, r := range batch {
			r.res <- commitResult{err: err}
		}
	}
}

// isDecisionError reports whether err is the fault of one decision rather
// than of the store.
func isDecisionError(err error) bool {
	switch ErrorCode(err) {
	case EINVALID, ECONFLICT:
		return true
	}
	return false
}
