package proxy

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkProxy measures the throughput of GETs through the proxy against
// the same upstream reached directly, on loopback, with keep-alive clients:
// a 10 KB JSON body (enforcement only, streamed through), a 10 KB HTML page
// (enforcement, injection and blocking), each from an upstream that answers at once,
// with 64 clients; and both again from an application that takes 2 ms per
// request (a fast PHP or Django page; most take longer), with 16 clients.
// Client, proxy and upstream share the machine's cores, so the bare cases
// are the worst case: the proxy's own work is all there is, and it doubles
// the HTTP work per request. Each pair logs the proxy's throughput as a
// share of the direct one (the goal: at least 80 %), and the process's CPU
// time per request, which other load on the machine does not skew: on
// cores of its own, CPU-bound throughput goes as its inverse.
//
//	go test -run '^$' -bench BenchmarkProxy -benchtime 5s ./internal/proxy/
func BenchmarkProxy(b *testing.B) {
	jsonBody := `{"items":[` + strings.Repeat(`{"id":12345,"name":"A product with a name","price":"19.90"},`, 170) + `{}]}`
	htmlBody := `<!doctype html><html><head><title>Shop</title><link rel="stylesheet" href="/s.css"></head><body>` + strings.Repeat(`<p class="item">A product with a name, <b>19.90</b></p>`, 180) + `</body></html>`
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "sid=1; Path=/; HttpOnly")
		switch r.URL.Path {
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, jsonBody)
		case "/html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, htmlBody)
		case "/app/json":
			time.Sleep(2 * time.Millisecond)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, jsonBody)
		case "/app/html":
			time.Sleep(2 * time.Millisecond)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, htmlBody)
		}
	})
	// The catalogue is on, as in charte proxy: the page has no service
	// to block, but the blocker reads all of it.
	tp := MustStartProxy(b, upstream, func(o *Options) { o.Catalog = blockCatalog })
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true}}
	b.Cleanup(client.CloseIdleConnections)

	// run GETs url in parallel and returns the throughput in requests a
	// second and the process's CPU time per request.
	run := func(b *testing.B, url string, clients int) (float64, time.Duration) {
		b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
		b.ReportAllocs()
		start, cpu := time.Now(), processCPU()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				resp, err := client.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					b.Error(err)
				}
				resp.Body.Close()
			}
		})
		rps := float64(b.N) / time.Since(start).Seconds()
		perReq := (processCPU() - cpu) / time.Duration(b.N)
		b.ReportMetric(rps, "req/s")
		b.ReportMetric(float64(perReq.Nanoseconds())/1e3, "cpu-µs/req")
		return rps, perReq
	}
	for _, path := range []string{"/json", "/html", "/app/json", "/app/html"} {
		clients := 64
		if strings.HasPrefix(path, "/app/") {
			clients = 16
		}
		var (
			direct, proxied       float64
			directCPU, proxiedCPU time.Duration
		)
		name := strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", "-")
		b.Run(name+"/direct", func(b *testing.B) { direct, directCPU = run(b, tp.upstream.URL+path, clients) })
		b.Run(name+"/proxy", func(b *testing.B) { proxied, proxiedCPU = run(b, tp.URL+path, clients) })
		if direct > 0 && proxiedCPU > 0 {
			b.Logf("%s: through the proxy %.0f req/s, direct %.0f req/s: %.0f %%; CPU a request %v through the proxy, %v direct: %.0f %%",
				path, proxied, direct, 100*proxied/direct, proxiedCPU, directCPU, 100*float64(directCPU)/float64(proxiedCPU))
		}
	}
}
