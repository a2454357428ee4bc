package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// TestConsentLog runs the conformance tests of [charte.ConsentLog]. open
// returns a store on a fresh database for each test, which run in parallel.
func TestConsentLog(t *testing.T, open func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) Harness)
	}{
		{"AppendFind", testAppendFind},
		{"NotFound", testNotFound},
		{"Invalid", testInvalid},
		{"Duplicate", testDuplicate},
		{"FindDecisions", testFindDecisions},
		{"VerifyIntact", testVerifyIntact},
		{"VerifyTampered", testVerifyTampered},
		{"AppendOnly", testAppendOnly},
		{"Concurrency", testConcurrency},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

func testAppendFind(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	first := newDecision(t, "example", 0)
	first.Choices = map[string]bool{"necessary": true, "statistics": true, "marketing": false}
	first.Method = charte.MethodAcceptAll
	second := newDecision(t, "example", 1)
	second.PreviousID = first.ID
	second.Method = charte.MethodWithdraw
	second.Choices = nil

	recs, err := h.Log.AppendDecisions(ctx, []*charte.Decision{first, second})
	if err != nil {
		t.Fatalf("AppendDecisions: %v", err)
	}
	// What the log keeps: times in UTC at TimePrecision, no choices as an
	// empty map, each record chained to the one before.
	want := []*charte.Record{
		{Decision: *first, Seq: 1},
		{Decision: *second, Seq: 2},
	}
	for i, w := range want {
		w.CreatedAt = charte.StoredTime(w.CreatedAt)
		w.ExpiresAt = charte.StoredTime(w.ExpiresAt)
		if w.Choices == nil {
			w.Choices = map[string]bool{}
		}
		if i > 0 {
			w.PrevHash = want[i-1].Hash
		}
		w.Hash = w.ComputeHash()
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("AppendDecisions records mismatch (-want +got):\n%s", diff)
	}
	for _, w := range want {
		got, err := h.Log.FindDecisionByID(ctx, w.ID)
		if err != nil {
			t.Fatalf("FindDecisionByID(%q): %v", w.ID, err)
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("FindDecisionByID(%q) mismatch (-want +got):\n%s", w.ID, diff)
		}
		if got.CreatedAt.Location() != time.UTC {
			t.Errorf("FindDecisionByID(%q).CreatedAt in %v, want UTC", w.ID, got.CreatedAt.Location())
		}
	}
	// The caller's decision is not changed.
	if first.CreatedAt != base {
		t.Errorf("AppendDecisions changed the caller's CreatedAt to %v", first.CreatedAt)
	}
	// An empty batch is no error and stores nothing.
	if recs, err := h.Log.AppendDecisions(ctx, nil); err != nil || len(recs) != 0 {
		t.Errorf("AppendDecisions(nil) = %v, %v, want no records, nil", recs, err)
	}
	if n, err := h.Log.VerifyLog(ctx); n != 2 || err != nil {
		t.Errorf("VerifyLog() = %d, %v, want 2, nil", n, err)
	}
}

func testNotFound(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	MustAppend(t, h.Log, newDecision(t, "example", 0))
	r, err := h.Log.FindDecisionByID(context.Background(), "no-such-id")
	if code := charte.ErrorCode(err); code != charte.ENOTFOUND || r != nil {
		t.Errorf("FindDecisionByID(unknown) = %v, %v (code %q), want nil, %s", r, err, code, charte.ENOTFOUND)
	}
}

func testInvalid(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(d *charte.Decision)
		field  string
	}{
		{"no id", func(d *charte.Decision) { d.ID = "" }, "id"},
		{"no site", func(d *charte.Decision) { d.Site = "" }, "site"},
		{"no version", func(d *charte.Decision) { d.CharterVersion = "" }, "charter_version"},
		{"NUL in id", func(d *charte.Decision) { d.ID = "a\x00b" }, "id"},
		{"invalid UTF-8 site", func(d *charte.Decision) { d.Site = "\xff" }, "site"},
		{"no method", func(d *charte.Decision) { d.Method = "" }, "method"},
		{"unknown method", func(d *charte.Decision) { d.Method = "maybe" }, "method"},
		{"empty category", func(d *charte.Decision) { d.Choices[""] = true }, "choices"},
		{"no creation time", func(d *charte.Decision) { d.CreatedAt = time.Time{} }, "created_at"},
		{"no expiry", func(d *charte.Decision) { d.ExpiresAt = time.Time{} }, "expires_at"},
		{"expiry before creation", func(d *charte.Decision) { d.ExpiresAt = d.CreatedAt.Add(-time.Second) }, "expires_at"},
		{"year 10000", func(d *charte.Decision) { d.ExpiresAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "expires_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			good := newDecision(t, "example", 0)
			bad := newDecision(t, "example", 1)
			tc.change(bad)
			recs, err := h.Log.AppendDecisions(ctx, []*charte.Decision{good, bad})
			if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.EINVALID || field != tc.field || recs != nil {
				t.Errorf("AppendDecisions(%s) = %v, %v (code %q, field %q), want nil, %s on %q",
					tc.name, recs, err, code, field, charte.EINVALID, tc.field)
			}
		})
	}
	if n, err := h.Log.VerifyLog(ctx); n != 0 || err != nil {
		t.Errorf("VerifyLog() after invalid appends = %d, %v, want 0, nil", n, err)
	}
}

func testDuplicate(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	a := newDecision(t, "example", 0)
	MustAppend(t, h.Log, a)

	tests := []struct {
		name  string
		batch func() []*charte.Decision
	}{
		{"already in the log", func() []*charte.Decision {
			dup := newDecision(t, "other", 1)
			dup.ID = a.ID
			return []*charte.Decision{newDecision(t, "example", 2), dup, newDecision(t, "example", 3)}
		}},
		{"twice in the batch", func() []*charte.Decision {
			b := newDecision(t, "example", 2)
			dup := newDecision(t, "example", 3)
			dup.ID = b.ID
			return []*charte.Decision{b, dup}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			batch := tc.batch()
			recs, err := h.Log.AppendDecisions(ctx, batch)
			if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.ECONFLICT || field != "id" || recs != nil {
				t.Fatalf("AppendDecisions(%s) = %v, %v (code %q, field %q), want nil, %s on \"id\"", tc.name, recs, err, code, field, charte.ECONFLICT)
			}
			// The batch is atomic: none of it is stored.
			for _, d := range batch {
				if d.ID == a.ID {
					continue
				}
				if _, err := h.Log.FindDecisionByID(ctx, d.ID); charte.ErrorCode(err) != charte.ENOTFOUND {
					t.Errorf("FindDecisionByID(%q) after failed batch: %v, want %s", d.ID, err, charte.ENOTFOUND)
				}
			}
		})
	}
	// The failed batches left no gap.
	recs := MustAppend(t, h.Log, newDecision(t, "example", 4))
	if recs[0].Seq != 2 {
		t.Errorf("Seq after failed batches = %d, want 2", recs[0].Seq)
	}
	if n, err := h.Log.VerifyLog(ctx); n != 2 || err != nil {
		t.Errorf("VerifyLog() = %d, %v, want 2, nil", n, err)
	}
}

func testFindDecisions(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	// Ten records, a minute apart, on two sites: odd seqs on "a", even on "b".
	var ds []*charte.Decision
	for i := range 10 {
		site := "a"
		if i%2 == 1 {
			site = "b"
		}
		ds = append(ds, newDecision(t, site, i))
	}
	MustAppend(t, h.Log, ds[:4]...)
	MustAppend(t, h.Log, ds[4:]...)

	site := func(s string) *string { return &s }
	seq := func(n int64) *int64 { return &n }
	method := func(m charte.Method) *charte.Method { return &m }
	// at returns the stored creation time of the record created at base
	// plus minutes, plus extra.
	at := func(minutes int, extra time.Duration) *time.Time {
		t := charte.StoredTime(base.Add(time.Duration(minutes) * time.Minute)).Add(extra)
		return &t
	}
	tests := []struct {
		name   string
		filter charte.DecisionFilter
		want   []int64
	}{
		{"all", charte.DecisionFilter{}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"site", charte.DecisionFilter{Site: site("b")}, []int64{2, 4, 6, 8, 10}},
		{"unknown site", charte.DecisionFilter{Site: site("c")}, nil},
		{"since, inclusive", charte.DecisionFilter{Since: at(6, 0)}, []int64{7, 8, 9, 10}},
		// Stored times are truncated to microseconds: a record stored as
		// created before Since, in the same microsecond, is not selected.
		{"since, sub-microsecond", charte.DecisionFilter{Since: at(6, time.Nanosecond)}, []int64{8, 9, 10}},
		{"since, unstored time", charte.DecisionFilter{Since: func() *time.Time { t := base.Add(6 * time.Minute); return &t }()}, []int64{8, 9, 10}},
		{"since, in UTC", charte.DecisionFilter{Since: func() *time.Time { t := at(6, 0).UTC(); return &t }()}, []int64{7, 8, 9, 10}},
		{"after seq", charte.DecisionFilter{AfterSeq: seq(7)}, []int64{8, 9, 10}},
		{"limit", charte.DecisionFilter{Limit: 3}, []int64{1, 2, 3}},
		{"page", charte.DecisionFilter{AfterSeq: seq(3), Limit: 3}, []int64{4, 5, 6}},
		{"everything", charte.DecisionFilter{Site: site("a"), Since: at(2, 0), AfterSeq: seq(3), Limit: 2}, []int64{5, 7}},
		{"method", charte.DecisionFilter{Method: method(charte.MethodCustom)}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"other method", charte.DecisionFilter{Method: method(charte.MethodAcceptAll)}, nil},
		{"before, exclusive", charte.DecisionFilter{Before: at(3, 0)}, []int64{1, 2, 3}},
		{"since and before", charte.DecisionFilter{Since: at(2, 0), Before: at(5, 0)}, []int64{3, 4, 5}},
		{"before seq", charte.DecisionFilter{BeforeSeq: seq(4)}, []int64{1, 2, 3}},
		{"newest", charte.DecisionFilter{Newest: true}, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"newest, limit", charte.DecisionFilter{Newest: true, Limit: 3}, []int64{10, 9, 8}},
		{"newest, page back", charte.DecisionFilter{Newest: true, BeforeSeq: seq(8), Limit: 3}, []int64{7, 6, 5}},
		{"newest, site, page back", charte.DecisionFilter{Newest: true, Site: site("b"), BeforeSeq: seq(8), Limit: 2}, []int64{6, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []int64
			err := h.Log.FindDecisions(ctx, tc.filter, func(r *charte.Record) error {
				got = append(got, r.Seq)
				if want := ds[r.Seq-1].ID; r.ID != want {
					t.Errorf("record %d has id %s, want %s", r.Seq, r.ID, want)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("FindDecisions: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FindDecisions seqs mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("early stop", func(t *testing.T) {
		errStop := errors.New("stop")
		calls := 0
		err := h.Log.FindDecisions(ctx, charte.DecisionFilter{}, func(*charte.Record) error {
			calls++
			if calls == 3 {
				return errStop
			}
			return nil
		})
		if !errors.Is(err, errStop) || calls != 3 {
			t.Errorf("FindDecisions with fn stopping at 3 = %v after %d calls, want %v after 3", err, calls, errStop)
		}
	})
	t.Run("negative limit", func(t *testing.T) {
		err := h.Log.FindDecisions(ctx, charte.DecisionFilter{Limit: -1}, func(*charte.Record) error { return nil })
		if code := charte.ErrorCode(err); code != charte.EINVALID {
			t.Errorf("FindDecisions(Limit: -1) = %v (code %q), want %s", err, code, charte.EINVALID)
		}
	})
	t.Run("unknown method", func(t *testing.T) {
		m := charte.Method("maybe")
		err := h.Log.FindDecisions(ctx, charte.DecisionFilter{Method: &m}, func(*charte.Record) error { return nil })
		if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.EINVALID || field != "method" {
			t.Errorf("FindDecisions(Method: maybe) = %v (code %q, field %q), want %s on method", err, code, field, charte.EINVALID)
		}
	})
}

// appendN appends n decisions in batches of at most 7, and returns them.
func appendN(t *testing.T, log charte.ConsentLog, n int) []*charte.Record {
	t.Helper()
	var recs []*charte.Record
	for len(recs) < n {
		var batch []*charte.Decision
		for i := 0; i < 7 && len(recs)+len(batch) < n; i++ {
			batch = append(batch, newDecision(t, "example", len(recs)+len(batch)))
		}
		recs = append(recs, MustAppend(t, log, batch...)...)
	}
	return recs
}

func testVerifyIntact(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	if n, err := h.Log.VerifyLog(ctx); n != 0 || err != nil {
		t.Errorf("VerifyLog() on an empty log = %d, %v, want 0, nil", n, err)
	}
	appendN(t, h.Log, 50)
	if n, err := h.Log.VerifyLog(ctx); n != 50 || err != nil {
		t.Errorf("VerifyLog() = %d, %v, want 50, nil", n, err)
	}
}

func testVerifyTampered(t *testing.T, open func(t *testing.T) Harness) {
	const n = 10
	stmts := func(s ...string) func([]*charte.Record) []string {
		return func([]*charte.Record) []string { return s }
	}
	tests := []struct {
		name    string
		tamper  func(recs []*charte.Record) []string
		wantSeq int64 // the first bad record
		wantN   int64 // good records before it
		forged  bool  // the bad record is the forged one
		moved   int64 // the bad record's seq before the tampering, if it moved
	}{
		{name: "method changed", tamper: stmts(`UPDATE decisions SET method = 'accept_all' WHERE seq = 5`), wantSeq: 5, wantN: 4},
		{name: "choices changed", tamper: stmts(`UPDATE decisions SET choices = '{"necessary": true, "preferences": true, "statistics": true}' WHERE seq = 5`), wantSeq: 5, wantN: 4},
		{name: "site changed", tamper: stmts(`UPDATE decisions SET site = 'elsewhere' WHERE seq = 5`), wantSeq: 5, wantN: 4},
		{name: "previous id set", tamper: stmts(`UPDATE decisions SET previous_id = 'x' WHERE seq = 5`), wantSeq: 5, wantN: 4},
		{name: "hash changed", tamper: stmts(`UPDATE decisions SET hash = 'x' WHERE seq = 5`), wantSeq: 5, wantN: 4},
		{name: "first removed", tamper: stmts(`DELETE FROM decisions WHERE seq = 1`), wantSeq: 2, wantN: 0},
		{name: "middle removed", tamper: stmts(`DELETE FROM decisions WHERE seq = 5`), wantSeq: 6, wantN: 4},
		{name: "last removed", tamper: stmts(`DELETE FROM decisions WHERE seq = 10`), wantSeq: 10, wantN: 9},
		{name: "last two removed", tamper: stmts(`DELETE FROM decisions WHERE seq >= 9`), wantSeq: 10, wantN: 8},
		{name: "swapped", tamper: stmts(
			`UPDATE decisions SET seq = -1 WHERE seq = 3`,
			`UPDATE decisions SET seq = 3 WHERE seq = 4`,
			`UPDATE decisions SET seq = 4 WHERE seq = -1`,
		), wantSeq: 3, wantN: 2, moved: 4},
		{name: "last two swapped", tamper: stmts(
			`UPDATE decisions SET seq = -1 WHERE seq = 9`,
			`UPDATE decisions SET seq = 9 WHERE seq = 10`,
			`UPDATE decisions SET seq = 10 WHERE seq = -1`,
		), wantSeq: 9, wantN: 8, moved: 10},
		// An intruder can hash records too: the chain alone cannot tell a
		// well-forged end of the log, the log head can.
		{name: "last replaced, hashed", tamper: func(recs []*charte.Record) []string {
			f := forge(recs[8], 10)
			return []string{`DELETE FROM decisions WHERE seq = 10`, insertSQL(f)}
		}, wantSeq: 10, wantN: 9},
		{name: "record added, hashed", tamper: func(recs []*charte.Record) []string {
			return []string{insertSQL(forge(recs[9], 11))}
		}, wantSeq: 11, wantN: 10, forged: true},
		{name: "record added, unhashed", tamper: func(recs []*charte.Record) []string {
			f := forge(recs[9], 11)
			f.Hash = "x"
			return []string{insertSQL(f)}
		}, wantSeq: 11, wantN: 10, forged: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := open(t)
			recs := appendN(t, h.Log, n)
			MustExec(t, h.DB, h.Unguard...)
			MustExec(t, h.DB, tc.tamper(recs)...)

			got, err := h.Log.VerifyLog(context.Background())
			var ce *charte.ChainError
			if !errors.As(err, &ce) {
				t.Fatalf("VerifyLog() = %d, %v, want a *ChainError", got, err)
			}
			wantID := forgedID
			switch {
			case tc.moved != 0:
				wantID = recs[tc.moved-1].ID
			case !tc.forged:
				wantID = recs[tc.wantSeq-1].ID
			}
			if ce.Seq != tc.wantSeq || ce.ID != wantID || got != tc.wantN {
				t.Errorf("VerifyLog() = %d, %v, want %d good records and an error at record %d (%s)",
					got, err, tc.wantN, tc.wantSeq, wantID)
			}
		})
	}
}

const forgedID = "forged"

// forge returns a record that follows prev at seq, correctly chained and
// hashed, as an intruder who knows the hash would write it.
func forge(prev *charte.Record, seq int64) *charte.Record {
	f := &charte.Record{Decision: prev.Decision, Seq: seq, PrevHash: prev.Hash}
	f.ID = forgedID
	f.PreviousID = ""
	f.Method = charte.MethodAcceptAll
	f.Choices = map[string]bool{"necessary": true}
	f.Hash = f.ComputeHash()
	return f
}

// insertSQL returns an INSERT of r with literal values that both backends
// read alike.
func insertSQL(r *charte.Record) string {
	lit := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	choices, err := json.Marshal(r.Choices)
	if err != nil {
		panic(err) // a map[string]bool always encodes
	}
	const ts = "2006-01-02T15:04:05.000000Z"
	return fmt.Sprintf(`INSERT INTO decisions (seq, id, site, charter_version, choices, method, previous_id, created_at, expires_at, prev_hash, hash)
		VALUES (%d, %s, %s, %s, %s, %s, NULL, %s, %s, %s, %s)`,
		r.Seq, lit(r.ID), lit(r.Site), lit(r.CharterVersion), lit(string(choices)), lit(string(r.Method)),
		lit(r.CreatedAt.UTC().Format(ts)), lit(r.ExpiresAt.UTC().Format(ts)), lit(r.PrevHash), lit(r.Hash))
}

// countingLog counts the batches appended to a log.
type countingLog struct {
	charte.ConsentLog
	batches   atomic.Int64
	decisions atomic.Int64
}

func (c *countingLog) AppendDecisions(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
	c.batches.Add(1)
	c.decisions.Add(int64(len(ds)))
	return c.ConsentLog.AppendDecisions(ctx, ds)
}

func testConcurrency(t *testing.T, open func(t *testing.T) Harness) {
	const goroutines, each = 8, 25
	type appendFunc func(context.Context, *charte.Decision) (*charte.Record, error)
	direct := func(log charte.ConsentLog) appendFunc {
		return func(ctx context.Context, d *charte.Decision) (*charte.Record, error) {
			recs, err := log.AppendDecisions(ctx, []*charte.Decision{d})
			if err != nil {
				return nil, err
			}
			return recs[0], nil
		}
	}
	committed := func(t *testing.T, log charte.ConsentLog) appendFunc {
		counted := &countingLog{ConsentLog: log}
		g := charte.NewGroupCommitter(counted, 0)
		t.Cleanup(func() {
			if err := g.Close(); err != nil {
				t.Errorf("GroupCommitter.Close: %v", err)
			}
			t.Logf("%d decisions in %d batches", counted.decisions.Load(), counted.batches.Load())
		})
		return g.Append
	}
	tests := []struct {
		name string
		// appenders returns the ways to append; goroutine i uses the
		// (i mod len)th.
		appenders func(t *testing.T, h Harness) []appendFunc
	}{
		{"GroupCommitter", func(t *testing.T, h Harness) []appendFunc {
			return []appendFunc{committed(t, h.Log)}
		}},
		{"two instances, GroupCommitter", func(t *testing.T, h Harness) []appendFunc {
			return []appendFunc{committed(t, h.Log), committed(t, h.OpenLog(t))}
		}},
		{"two instances, direct", func(t *testing.T, h Harness) []appendFunc {
			return []appendFunc{direct(h.Log), direct(h.OpenLog(t))}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := open(t)
			ctx := context.Background()
			appenders := tc.appenders(t, h)
			seqs := make(chan int64, goroutines*each)
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Go(func() {
					appendTo := appenders[g%len(appenders)]
					for i := range each {
						d := newDecision(t, fmt.Sprintf("site%d", g), i)
						r, err := appendTo(ctx, d)
						if err != nil {
							t.Errorf("append (goroutine %d, decision %d): %v", g, i, err)
							return
						}
						if r.ID != d.ID {
							t.Errorf("append(%s) returned the record of %s", d.ID, r.ID)
						}
						seqs <- r.Seq
					}
				})
			}
			wg.Wait()
			close(seqs)
			if t.Failed() {
				return
			}

			// Every append got its own seq, and the log has no gap.
			got := map[int64]bool{}
			for s := range seqs {
				if got[s] {
					t.Errorf("seq %d returned twice", s)
				}
				got[s] = true
			}
			var inLog []int64
			if err := h.Log.FindDecisions(ctx, charte.DecisionFilter{}, func(r *charte.Record) error {
				inLog = append(inLog, r.Seq)
				return nil
			}); err != nil {
				t.Fatalf("FindDecisions: %v", err)
			}
			want := make([]int64, goroutines*each)
			for i := range want {
				want[i] = int64(i + 1)
				if !got[want[i]] {
					t.Errorf("seq %d was not returned by any append", want[i])
				}
			}
			if diff := cmp.Diff(want, inLog); diff != "" {
				t.Errorf("seqs in the log mismatch (-want +got):\n%s", diff)
			}
			if n, err := h.Log.VerifyLog(ctx); n != goroutines*each || err != nil {
				t.Errorf("VerifyLog() = %d, %v, want %d, nil", n, err, goroutines*each)
			}
		})
	}
}

// testAppendOnly checks that the database itself refuses to change or remove
// the consent log's records or to move its head anywhere but forward onto
// the last record, while appends keep working.
func testAppendOnly(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	recs := appendN(t, h.Log, 5)
	lit := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	forged := forge(recs[4], 6)
	after := forge(forged, 7)
	after.ID = forgedID + "-after"
	after.Hash = after.ComputeHash()
	refused := []struct {
		name  string
		stmts []string
	}{
		{name: "update a record", stmts: []string{`UPDATE decisions SET method = 'accept_all' WHERE seq = 3`}},
		{name: "update every record", stmts: []string{`UPDATE decisions SET hash = hash`}},
		{name: "renumber a record", stmts: []string{`UPDATE decisions SET seq = -1 WHERE seq = 5`}},
		{name: "delete a record", stmts: []string{`DELETE FROM decisions WHERE seq = 5`}},
		{name: "delete every record", stmts: []string{`DELETE FROM decisions`}},
		{name: "delete the head", stmts: []string{`DELETE FROM log_head`}},
		{name: "move the head back", stmts: []string{fmt.Sprintf(`UPDATE log_head SET seq = 4, id = %s, hash = %s`, lit(recs[3].ID), lit(recs[3].Hash))}},
		{name: "reset the head", stmts: []string{`UPDATE log_head SET seq = 0, id = '', hash = ''`}},
		{name: "head onto nothing", stmts: []string{`UPDATE log_head SET seq = 6, id = 'x', hash = 'x'`}},
		{name: "head with another hash", stmts: []string{fmt.Sprintf(`UPDATE log_head SET seq = 5, id = %s, hash = 'x'`, lit(recs[4].ID))}},
		{name: "head short of the last record", stmts: []string{
			insertSQL(forged), insertSQL(after),
			fmt.Sprintf(`UPDATE log_head SET seq = 6, id = %s, hash = %s`, lit(forged.ID), lit(forged.Hash)),
		}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := h.DB.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback() //nolint:errcheck // the statements are never kept
			var last error
			for _, s := range tc.stmts {
				if _, last = tx.ExecContext(ctx, s); last != nil {
					break
				}
			}
			if last == nil {
				t.Errorf("%s: the database accepted it, want an error", strings.Join(tc.stmts, "; "))
			}
		})
	}
	if n, err := h.Log.VerifyLog(ctx); n != 5 || err != nil {
		t.Errorf("VerifyLog() after the refused statements = %d, %v, want 5, nil", n, err)
	}
	// The append path still moves the head, and the log stays whole.
	appendN(t, h.Log, 3)
	if n, err := h.Log.VerifyLog(ctx); n != 8 || err != nil {
		t.Errorf("VerifyLog() after appending = %d, %v, want 8, nil", n, err)
	}
}
