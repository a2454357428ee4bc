package charte_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// chainTime is the time of the records chained in these tests.
var chainTime = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// unchained returns n records with ids from first on, not yet chained.
func unchained(first, n int) []*charte.Record {
	recs := make([]*charte.Record, n)
	for i := range recs {
		recs[i] = &charte.Record{Decision: charte.Decision{ID: fmt.Sprintf("d%d", first+i), Site: "shop",
			CharterVersion: "v1", Choices: map[string]bool{"analytics": i%2 == 0}, Method: charte.MethodCustom,
			CreatedAt: chainTime, ExpiresAt: chainTime.AddDate(0, 6, 0)}}
	}
	return recs
}

func TestChain(t *testing.T) {
	// A log of two records, chained by hand as the stores did before Chain.
	log := unchained(1, 2)
	log[0].Seq, log[0].PrevHash = 1, ""
	log[0].Hash = log[0].ComputeHash()
	log[1].Seq, log[1].PrevHash = 2, log[0].Hash
	log[1].Hash = log[1].ComputeHash()
	head := charte.LogHead{Seq: 2, ID: "d2", Hash: log[1].Hash}

	tests := []struct {
		name     string
		head     charte.LogHead
		prior    []*charte.Record // the log up to head, for verification
		recs     []*charte.Record
		wantSeqs []int64
	}{
		{name: "nothing to an empty log", head: charte.LogHead{}, recs: nil},
		{name: "nothing to a log", head: head, prior: log, recs: nil},
		{name: "one to an empty log", head: charte.LogHead{}, recs: unchained(1, 1), wantSeqs: []int64{1}},
		{name: "three to an empty log", head: charte.LogHead{}, recs: unchained(1, 3), wantSeqs: []int64{1, 2, 3}},
		{name: "three to a log", head: head, prior: log, recs: unchained(3, 3), wantSeqs: []int64{3, 4, 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := charte.Chain(tc.head, tc.recs)

			want := tc.head
			if n := len(tc.recs); n > 0 {
				last := tc.recs[n-1]
				want = charte.LogHead{Seq: last.Seq, ID: last.ID, Hash: last.Hash}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Chain() head mismatch (-want +got):\n%s", diff)
			}
			var seqs []int64
			prevHash := tc.head.Hash
			for _, r := range tc.recs {
				seqs = append(seqs, r.Seq)
				if r.PrevHash != prevHash {
					t.Errorf("Chain(): record %d PrevHash = %q, want %q", r.Seq, r.PrevHash, prevHash)
				}
				if h := r.ComputeHash(); r.Hash != h {
					t.Errorf("Chain(): record %d Hash = %q, want %q", r.Seq, r.Hash, h)
				}
				prevHash = r.Hash
			}
			if diff := cmp.Diff(tc.wantSeqs, seqs); diff != "" {
				t.Errorf("Chain() seqs mismatch (-want +got):\n%s", diff)
			}

			// The whole log, as a store would keep it, verifies at the new head.
			v := charte.LogVerifier{Head: got}
			for _, r := range append(append([]*charte.Record(nil), tc.prior...), tc.recs...) {
				if err := v.Next(r); err != nil {
					t.Fatalf("LogVerifier.Next(record %d) = %v, want nil", r.Seq, err)
				}
			}
			if _, err := v.End(); err != nil {
				t.Errorf("LogVerifier.End() = %v, want nil", err)
			}
		})
	}
}

// TestChainHash pins the hash of a known record: logs already written must
// still verify, so the canonical form may never change.
func TestChainHash(t *testing.T) {
	recs := unchained(1, 1)
	charte.Chain(charte.LogHead{}, recs)
	const want = "f6886143fa352b1bf68b6336adde6cf3ed507602ec68fb3b2a3a0bf441bec6f2"
	if got := recs[0].Hash; got != want {
		t.Errorf("Chain() first record Hash = %q, want %q", got, want)
	}
}
