// Command profile serves charte's HTTP surface wired as `charte serve` wires
// it (built-in charter, a store, a group committer, web.Server) and, when it
// is stopped (SIGINT, SIGTERM), writes a CPU profile and tells how the
// group committer batched: the tool behind the "what dominates" part of
// docs/benchmarks.md, since charte itself has no profiling endpoint.
//
//	go build -o /tmp/profile ./bench/profile
//	taskset -c 0 /tmp/profile -db sqlite:/tmp/p.db -cpuprofile /tmp/cpu.pprof 2>/tmp/requests.log &
//	taskset -c 1 wrk -t1 -c64 -d10s -s bench/consent.lua http://127.0.0.1:18082 -- VERSION
//	kill %1; go tool pprof -top /tmp/profile /tmp/cpu.pprof
//
// With -yield, decisions go through an experimental committer instead of
// charte.GroupCommitter: the same algorithm, except that after taking the
// first decision of a batch it yields the processor (runtime.Gosched) for
// as long as more decisions keep arriving, so that on one core the
// handlers that are ready get to queue theirs before the commit starts.
// It tests a suggestion; charte does not have it.
//
// It imports charte's packages; it duplicates the few lines of wiring of
// cmd/charte/serve.go, which it cannot import.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/postgres"
	"github.com/charte/charte/internal/sqlite"
	"github.com/charte/charte/internal/web"
)

type store interface {
	charte.ConsentLog
	charte.CharterService
	Close() error
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "address to listen on")
	dsn := flag.String("db", "", "database: sqlite:PATH, postgres://…, or none (a log in memory that keeps nothing: the cost of charte without a store)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	yield := flag.Bool("yield", false, "use the experimental yielding committer instead of charte.GroupCommitter")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("profile: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := open(ctx, *dsn)
	if err != nil {
		log.Fatal(err)
	}
	ch := charterfile.Default()
	v, err := charte.NewCharterVersion(ch)
	if err != nil {
		log.Fatal(err)
	}
	if err := st.SaveCharterVersion(ctx, v); err != nil {
		log.Fatal(err)
	}
	sites, err := web.NewSites(ch)
	if err != nil {
		log.Fatal(err)
	}
	counted := &countingLog{ConsentLog: st}
	var rec interface {
		web.Recorder
		Close() error
	}
	if *yield {
		rec = newYieldCommitter(counted, charte.DefaultMaxBatch)
	} else {
		rec = charte.NewGroupCommitter(counted, 0)
	}
	// As serve does: request logs as text on standard error.
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv := web.NewServer(web.Options{Sites: sites, Logger: logger, Recorder: rec, Log: st})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				log.Print(err)
			}
		}()
	}
	shutDown := make(chan struct{})
	go func() {
		defer close(shutDown)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx) // the figures below matter more
	}()
	fmt.Fprintf(os.Stdout, "serving %s on http://%s/ (GOMAXPROCS %d, committer %s), charter version %s\n",
		redact(*dsn), ln.Addr(), runtime.GOMAXPROCS(0), map[bool]string{false: "charte.GroupCommitter", true: "yield"}[*yield], ch.Version)
	start := time.Now()
	if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
	<-shutDown // no handler is left to append
	if err := rec.Close(); err != nil {
		log.Print(err)
	}
	counted.report(os.Stdout, time.Since(start))
	if err := st.Close(); err != nil {
		log.Print(err)
	}
}

func open(ctx context.Context, dsn string) (store, error) {
	switch {
	case dsn == "none":
		return &nullLog{}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite:"):
		return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	}
	return nil, fmt.Errorf("-db %q: use sqlite:PATH or postgres://…", dsn)
}

func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i >= 0 && strings.Contains(dsn[:i], "://") {
		return dsn[:strings.Index(dsn, "://")+3] + "…" + dsn[i:]
	}
	return dsn
}

// nullLog chains records in memory, as a store would, and keeps none.
type nullLog struct {
	mu   sync.Mutex
	seq  int64
	hash string
}

func (l *nullLog) AppendDecisions(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recs := make([]*charte.Record, len(ds))
	for i, d := range ds {
		l.seq++
		r := &charte.Record{Decision: *d, Seq: l.seq, PrevHash: l.hash}
		r.Hash = r.ComputeHash()
		l.hash = r.Hash
		recs[i] = r
	}
	return recs, nil
}

func (l *nullLog) FindDecisionByID(ctx context.Context, id string) (*charte.Record, error) {
	return nil, charte.Errorf(charte.ENOTFOUND, "No decision has this id.")
}

func (l *nullLog) FindDecisions(ctx context.Context, f charte.DecisionFilter, fn func(*charte.Record) error) error {
	return nil
}

func (l *nullLog) VerifyLog(ctx context.Context) (int64, error) { return l.seq, nil }

func (l *nullLog) SaveCharterVersion(ctx context.Context, v *charte.CharterVersion) error { return nil }

func (l *nullLog) FindCharterVersion(ctx context.Context, site, version string) (*charte.CharterVersion, error) {
	return nil, charte.Errorf(charte.ENOTFOUND, "No such charter version.")
}

func (l *nullLog) FindCharterVersions(ctx context.Context, site string) ([]*charte.CharterVersion, error) {
	return nil, nil
}

func (l *nullLog) Close() error { return nil }

// countingLog records the size and duration of every batch appended.
type countingLog struct {
	charte.ConsentLog
	mu    sync.Mutex
	sizes []int
	took  time.Duration
}

func (c *countingLog) AppendDecisions(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
	start := time.Now()
	recs, err := c.ConsentLog.AppendDecisions(ctx, ds)
	c.mu.Lock()
	c.sizes = append(c.sizes, len(ds))
	c.took += time.Since(start)
	c.mu.Unlock()
	return recs, err
}

func (c *countingLog) report(w *os.File, run time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sizes) == 0 {
		fmt.Fprintln(w, "no batch appended")
		return
	}
	total := 0
	for _, n := range c.sizes {
		total += n
	}
	s := slices.Clone(c.sizes)
	slices.Sort(s)
	q := func(p float64) int { return s[int(p*float64(len(s)-1))] }
	fmt.Fprintf(w, "%d decisions in %d commits: %.1f decisions/commit (p10 %d, p50 %d, p90 %d, max %d); %.2f ms per commit, %.0f%% of the run's wall time in AppendDecisions\n",
		total, len(s), float64(total)/float64(len(s)), q(.1), q(.5), q(.9), s[len(s)-1],
		float64(c.took.Microseconds())/1000/float64(len(s)), 100*c.took.Seconds()/run.Seconds())
}

// yieldCommitter is charte.GroupCommitter's algorithm with one change (see
// the package comment). It leaves out what the benchmark does not exercise:
// cancellation while queued and retrying a failed batch one by one.
type yieldCommitter struct {
	log      charte.ConsentLog
	maxBatch int
	reqs     chan *yieldReq // unbuffered, as in charte.GroupCommitter
	done     chan struct{}
	closeMu  sync.Mutex
	closed   bool
}

type yieldReq struct {
	d   *charte.Decision
	res chan yieldRes
}

type yieldRes struct {
	rec *charte.Record
	err error
}

func newYieldCommitter(log charte.ConsentLog, maxBatch int) *yieldCommitter {
	c := &yieldCommitter{log: log, maxBatch: maxBatch, reqs: make(chan *yieldReq), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *yieldCommitter) Append(ctx context.Context, d *charte.Decision) (*charte.Record, error) {
	r := &yieldReq{d: d, res: make(chan yieldRes, 1)}
	select {
	case c.reqs <- r:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	res := <-r.res
	return res.rec, res.err
}

func (c *yieldCommitter) Close() error {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.reqs)
		<-c.done
	}
	return nil
}

func (c *yieldCommitter) run() {
	defer close(c.done)
	batch := make([]*yieldReq, 0, c.maxBatch)
	for r := range c.reqs {
		batch = append(batch[:0], r)
		// Yield while decisions keep arriving: the handlers made ready by
		// the last commit's answers and by the network run and queue theirs.
		for len(batch) < c.maxBatch {
			runtime.Gosched()
			n := len(batch)
			batch = c.drain(batch)
			if len(batch) == n {
				break
			}
		}
		ds := make([]*charte.Decision, len(batch))
		for i, r := range batch {
			ds[i] = r.d
		}
		recs, err := c.log.AppendDecisions(context.Background(), ds)
		for i, r := range batch {
			if err != nil {
				r.res <- yieldRes{err: err}
			} else {
				r.res <- yieldRes{rec: recs[i]}
			}
		}
		clear(batch)
	}
}

// drain adds to batch the decisions queued now, without waiting.
func (c *yieldCommitter) drain(batch []*yieldReq) []*yieldReq {
	for len(batch) < c.maxBatch {
		select {
		case r, ok := <-c.reqs:
			if !ok {
				return batch
			}
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}
