package charte_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// chain returns n records chained from the first.
func chain(n int) []*charte.Record {
	var recs []*charte.Record
	prev := ""
	for i := range n {
		r := &charte.Record{Decision: charte.Decision{ID: fmt.Sprintf("d%d", i+1), Site: "shop",
			CharterVersion: "v1", Method: charte.MethodRejectAll, CreatedAt: t0, ExpiresAt: t0}}
		r.Seq, r.PrevHash = int64(i+1), prev
		r.Hash = r.ComputeHash()
		prev = r.Hash
		recs = append(recs, r)
	}
	return recs
}

func headOf(r *charte.Record) charte.LogHead {
	return charte.LogHead{Seq: r.Seq, ID: r.ID, Hash: r.Hash}
}

func TestLogVerifier(t *testing.T) {
	recs := chain(3)
	replaced := *recs[2]
	replaced.ID = "forged"
	replaced.Hash = replaced.ComputeHash()
	changed := *recs[1]
	changed.Site = "other"
	tests := []struct {
		name     string
		head     charte.LogHead
		recs     []*charte.Record
		wantGood int64
		wantErr  *charte.ChainError // nil: the log is intact
	}{
		{name: "empty", head: charte.LogHead{}, recs: nil, wantGood: 0},
		{name: "ends at head", head: headOf(recs[2]), recs: recs, wantGood: 3},
		{
			name: "record changed", head: headOf(recs[2]), recs: []*charte.Record{recs[0], &changed, recs[2]}, wantGood: 1,
			wantErr: &charte.ChainError{Seq: 2, ID: "d2", Reason: "its content does not match its hash: the record was changed"},
		},
		{
			name: "end removed", head: headOf(recs[2]), recs: recs[:2], wantGood: 2,
			wantErr: &charte.ChainError{Seq: 3, ID: "d3", Reason: "the log ends at record 2, before the last record appended: records at the end of the log were removed"},
		},
		{
			name: "everything removed", head: headOf(recs[0]), recs: nil, wantGood: 0,
			wantErr: &charte.ChainError{Seq: 1, ID: "d1", Reason: "the log ends at record 0, before the last record appended: records at the end of the log were removed"},
		},
		{
			name: "end replaced", head: headOf(recs[2]), recs: []*charte.Record{recs[0], recs[1], &replaced}, wantGood: 2,
			wantErr: &charte.ChainError{Seq: 3, ID: "d3", Reason: "it is not the last record appended: the end of the log was replaced"},
		},
		{
			name: "added after head", head: headOf(recs[1]), recs: recs, wantGood: 2,
			wantErr: &charte.ChainError{Seq: 3, ID: "d3", Reason: "it comes after the last record appended: it was added to the log from outside"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := charte.LogVerifier{Head: tc.head}
			for _, r := range tc.recs {
				if err := v.Next(r); err != nil {
					break
				}
			}
			good, err := v.End()
			if good != tc.wantGood {
				t.Errorf("End() good = %d, want %d", good, tc.wantGood)
			}
			var got *charte.ChainError
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("End() = %v, want a *ChainError", err)
			}
			if diff := cmp.Diff(tc.wantErr, got); diff != "" {
				t.Errorf("End() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
