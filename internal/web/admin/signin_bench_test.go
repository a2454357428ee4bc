package admin

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charte/charte/internal/password"
)

// BenchmarkSignInConcurrent measures the memory of 200 wrong sign-ins sent
// at once, with the real argon2id parameters (64 MiB a hash), from one
// address and from 200: the resident set of the whole process (server and
// clients) before and at its peak in MiB, and the passwords checked and the
// 429 answers per 200 sign-ins. Run it with
//
//	go test -run '^$' -bench SignInConcurrent -benchtime 3x ./internal/web/
func BenchmarkSignInConcurrent(b *testing.B) {
	for _, bc := range []struct {
		name      string
		addresses int
	}{
		{name: "one address", addresses: 1},
		{name: "200 addresses", addresses: 200},
	} {
		b.Run(bc.name, func(b *testing.B) {
			const n = 200
			e := mustAdminEnvWith(b, password.DefaultParams)
			var checks atomic.Int64
			e.s.checkPassword = func(pw, hash string) error {
				checks.Add(1)
				return password.Check(pw, hash)
			}
			browsers := make([]*browser, bc.addresses)
			for i := range browsers {
				browsers[i] = e.browser(b).from(fmt.Sprintf("10.2.%d.%d", i/250, i%250+1))
				browsers[i].get("/admin/login")
			}
			_ = dummyHash() // computed once, outside the measure
			debug.FreeOSMemory()
			peak := startPeakRSS(b)
			start := peak()
			var refused int64
			for b.Loop() {
				e.s.logins = newLoginLimiter(time.Now)
				for _, resp := range concurrently(n, func(i int) *http.Response {
					return browsers[i%len(browsers)].signInAs("admin", "guess guess guess")
				}) {
					if resp.StatusCode == http.StatusTooManyRequests {
						refused++
					}
				}
			}
			b.ReportMetric(float64(start)/(1<<20), "start-RSS-MiB")
			b.ReportMetric(float64(peak())/(1<<20), "peak-RSS-MiB")
			b.ReportMetric(float64(checks.Load())/float64(b.N), "checks/op")
			b.ReportMetric(float64(refused)/float64(b.N), "429/op")
		})
	}
}

// startPeakRSS resets the process's peak resident set (VmHWM) to its
// current one and returns a function that reads it in bytes.
func startPeakRSS(tb testing.TB) func() int64 {
	tb.Helper()
	// Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Skipf("cannot reset the peak resident set: %v", err)
	}
	return func() int64 {
		f, err := os.ReadFile("/proc/self/status")
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(f))
		for sc.Scan() {
			if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
				kib, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
				if err != nil {
					tb.Fatalf("VmHWM %q: %v", v, err)
				}
				return kib << 10
			}
		}
		tb.Fatal("no VmHWM in /proc/self/status")
		return 0
	}
}
