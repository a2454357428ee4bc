package proxy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkProxyHostilePages measures the proxy's peak memory while 200
// clients at once fetch a page it cannot inject into cheaply (issue 9): a
// 20 MB HTML page with neither </head> nor <body>, and a 20 KB gzip body
// that expands to 20 MiB. Each iteration sends the 200 requests together
// and reads every answer to its end; a sampler reads the process's RSS and
// the Go heap every 5 ms. The upstream, the client and the proxy share the
// process: the upstream's bodies are built once, before the baseline, and
// the client discards what it reads, so what grows is the proxy's.
//
//	go test -run '^$' -bench BenchmarkProxyHostilePages -benchtime 3x ./internal/proxy/
//
// peak-RSS-MiB is the highest RSS seen, baseline included; grown-RSS-MiB
// and peak-heap-MiB are what the requests added on top of the baseline.
func BenchmarkProxyHostilePages(b *testing.B) {
	const clients = 200
	markerless := bytes.Repeat([]byte("<p>A paragraph of a page that never says where its head ends.</p>\n"), 20_000_000/67)
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.BestCompression) // the level is valid
	zeros := make([]byte, 1<<20)
	for range 20 {
		zw.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	bomb := zb.Bytes()
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/markerless":
			w.Header().Set("Content-Length", strconv.Itoa(len(markerless)))
			w.Write(markerless)
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
			w.Write(bomb)
		}
	})
	tp := MustStartProxy(b, upstream, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}}
	b.Cleanup(client.CloseIdleConnections)

	for _, tc := range []struct {
		name, path string
		size       int // the bytes the client must receive
	}{
		{name: "markerless-20MB", path: "/markerless", size: len(markerless)},
		{name: "gzip-20KB-to-20MiB", path: "/bomb", size: len(bomb)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			runtime.GC()
			baseRSS := rssBytes()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			baseHeap := ms.HeapInuse
			var peakRSS, peakHeap atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				t := time.NewTicker(5 * time.Millisecond)
				defer t.Stop()
				for {
					if r := rssBytes(); r > peakRSS.Load() {
						peakRSS.Store(r)
					}
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peakHeap.Load() {
						peakHeap.Store(ms.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-t.C:
					}
				}
			}()
			b.ResetTimer()
			for range b.N {
				var wg sync.WaitGroup
				for range clients {
					wg.Go(func() {
						resp, err := client.Get(tp.URL + tc.path)
						if err != nil {
							b.Error(err)
							return
						}
						defer resp.Body.Close()
						n, err := io.Copy(io.Discard, resp.Body)
						if err != nil || n != int64(tc.size) {
							b.Errorf("GET %s: read %d bytes, %v; want %d", tc.path, n, err, tc.size)
						}
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			close(stop)
			<-sampled
			const mib = 1 << 20
			b.ReportMetric(float64(peakRSS.Load())/mib, "peak-RSS-MiB")
			b.ReportMetric(float64(peakRSS.Load()-min(baseRSS, peakRSS.Load()))/mib, "grown-RSS-MiB")
			b.ReportMetric(float64(peakHeap.Load()-min(baseHeap, peakHeap.Load()))/mib, "peak-heap-MiB")
		})
	}
}

// rssBytes returns the process's resident set size from /proc, 0 where
// there is none.
func rssBytes() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64) // 0 on a format we do not know
			return kb << 10
		}
	}
	return 0
}
