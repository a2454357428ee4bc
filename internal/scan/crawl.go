package scan

import (
	"context"
	"sync"

	"github.com/charte/charte/internal/charte"
)

// feed hands the pages visitor none crawls to the two other visitors as it
// finds them, so that they revisit them while the crawl goes on.
type feed struct {
	mu     sync.Mutex
	pages  []string
	closed bool
	err    error
	// grown is closed, and replaced, when a page comes or the feed
	// closes: what a reader waiting for the next page waits on.
	grown chan struct{}
}

func newFeed() *feed { return &feed{grown: make(chan struct{})} }

// add hands on a page crawled.
func (f *feed) add(page string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages = append(f.pages, page)
	f.wake()
}

// close says the crawl is over, with its error; a second close does
// nothing.
func (f *feed) close(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.closed, f.err = true, err
	f.wake()
}

// wake wakes the readers waiting on grown. f.mu is held.
func (f *feed) wake() {
	close(f.grown)
	f.grown = make(chan struct{})
}

// page returns the i-th page crawled when it has come (ok). Otherwise it
// returns a channel that closes when it may have come, or nil, with the
// crawl's error, when the crawl is over.
func (f *feed) page(i int) (page string, ok bool, wait <-chan struct{}, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case i < len(f.pages):
		return f.pages[i], true, nil, nil
	case f.closed:
		return "", false, nil, f.err
	}
	return "", false, f.grown, nil
}

// crawl visits the site breadth-first from the start page, up to o.Pages
// HTML pages, o.Tabs at a time, and hands them on to out as it goes.
func (v *visitor) crawl(ctx context.Context, out *feed) error {
	queue := []string{v.start}
	seen := map[string]bool{v.start: true}
	accepted := make(map[string]bool)
	pages := 0
	return v.window(ctx, charte.PhaseBeforeChoice, true,
		func(i, started int) (string, bool, <-chan struct{}, error) {
			// Never visit more than o.Pages HTML pages: a page that
			// turns out not to be HTML frees its place.
			if i >= len(queue) || pages+started >= v.o.Pages {
				return "", false, nil, nil
			}
			return queue[i], true, nil, nil
		},
		func(i int, r visitResult) error {
			if r.skip || pages >= v.o.Pages {
				return nil
			}
			if accepted[r.pv.URL] || r.final != "" && accepted[r.final] {
				return nil // a redirect to a page already visited
			}
			accepted[r.pv.URL] = true
			if r.final != "" {
				accepted[r.final], seen[r.final] = true, true
			}
			pages++
			v.rec.addPage(r.pv)
			out.add(r.pv.URL)
			for _, l := range r.links {
				u, ok := normalize(l)
				if ok && !seen[u] && crawlable(v.site, u) {
					seen[u] = true
					queue = append(queue, u)
				}
			}
			return nil
		})
}

// revisit visits the pages crawled by visitor none again, as they come
// from in.
func (v *visitor) revisit(ctx context.Context, in *feed, phase string) error {
	return v.window(ctx, phase, false,
		func(i, _ int) (string, bool, <-chan struct{}, error) { return in.page(i) },
		func(_ int, r visitResult) error {
			v.rec.addPage(r.pv)
			return nil
		})
}

// indexed is the result of the visit of the i-th page of a series.
type indexed struct {
	i int
	r visitResult
}

// window visits pages in parallel, page i in tab i % o.Tabs, and hands
// their results to done in the pages' order.
//
// next returns the i-th page to visit when it is known (ok). When it is
// not, next returns a channel that closes when it may be, or nil when no
// page will come but from the results of the visits under way; the window
// ends when none is under way and the channel is nil. started is how many
// pages are being visited, or were and wait for an earlier one to be
// handed to done (pages that turned out not to be HTML left out).
func (v *visitor) window(ctx context.Context, phase string, links bool,
	next func(i, started int) (page string, ok bool, wait <-chan struct{}, err error),
	done func(i int, r visitResult) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := v.o.Tabs
	results := make(chan indexed, n)
	busy := make([]bool, n)
	pending := make(map[int]visitResult)
	dispatched, processed, inflight := 0, 0, 0
	defer func() {
		cancel() // first: the visits still running end with ctx
		for ; inflight > 0; inflight-- {
			<-results
		}
	}()
	for {
		var wait <-chan struct{}
		for !busy[dispatched%n] {
			waiting := 0 // pages visited, waiting for an earlier one
			for _, r := range pending {
				if !r.skip {
					waiting++
				}
			}
			u, ok, w, err := next(dispatched, inflight+waiting)
			if err != nil {
				return err
			}
			wait = w
			if !ok {
				break
			}
			t, err := v.tabs.get(ctx, dispatched)
			if err != nil {
				return err
			}
			busy[dispatched%n] = true
			inflight++
			i := dispatched
			go func() { results <- indexed{i, v.visit(ctx, t, u, phase, links)} }()
			dispatched++
		}
		if inflight == 0 && wait == nil {
			return nil
		}
		select {
		case r := <-results:
			inflight--
			busy[r.i%n] = false
			if r.r.err != nil {
				return r.r.err
			}
			pending[r.i] = r.r
			for {
				r, ok := pending[processed]
				if !ok {
					break
				}
				delete(pending, processed)
				if err := done(processed, r); err != nil {
					return err
				}
				processed++
			}
		case <-wait:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
