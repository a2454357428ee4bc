package storetest

import (
	"context"
	"testing"

	"github.com/charte/charte/internal/charte"
)

// BenchmarkAppend measures appends to log by many concurrent callers, as an
// API server under load makes them: through a [charte.GroupCommitter], and
// one by one for comparison. It reports the mean batch size.
func BenchmarkAppend(b *testing.B, log charte.ConsentLog) {
	// Many more callers than cores, like requests waiting on I/O.
	const callers = 64
	b.Run("GroupCommitter", func(b *testing.B) {
		counted := &countingLog{ConsentLog: log}
		g := charte.NewGroupCommitter(counted, 0)
		b.SetParallelism(max(1, callers/gomaxprocs()))
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				if _, err := g.Append(ctx, newDecision(b, "bench", 0)); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.StopTimer()
		if err := g.Close(); err != nil {
			b.Fatal(err)
		}
		if n := counted.batches.Load(); n > 0 {
			b.ReportMetric(float64(counted.decisions.Load())/float64(n), "decisions/batch")
		}
	})
	b.Run("OneByOne", func(b *testing.B) {
		b.SetParallelism(max(1, callers/gomaxprocs()))
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				if _, err := log.AppendDecisions(ctx, []*charte.Decision{newDecision(b, "bench", 0)}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
