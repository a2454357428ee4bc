package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/consent"
)

// compressed returns body in a content coding at a given level (gzip) or
// quality (brotli), with brotli's window as large as it goes.
func compressed(tb testing.TB, enc string, body []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case "gzip":
		w, _ = gzip.NewWriterLevel(&b, gzip.BestCompression) // the level is valid
	case "br":
		w = brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: 5, LGWin: 24})
	}
	w.Write(body)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// storedGzip returns a gzip stream of body in stored (uncompressed)
// blocks, preceded by empty ones: a stream that costs more than it gives.
func storedGzip(tb testing.TB, body []byte, empties int) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.NoCompression) // the level is valid
	for range empties {
		w.Flush() // an empty stored block, 5 bytes
	}
	w.Write(body)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// proseHTML returns n bytes of paragraphs of pseudo-random words, with
// neither head nor body: HTML that compresses as real pages do, a few
// times, not a thousand.
func proseHTML(n int) []byte {
	words := strings.Fields("the a cookie consent page shop basket order price delivery account privacy policy charter visitor banner choice statistics marketing necessary")
	var b bytes.Buffer
	x := uint32(2463534242)
	for b.Len() < n {
		b.WriteString("<p>")
		for range 12 {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b.WriteString(words[x%uint32(len(words))])
			b.WriteByte(' ')
			fmt.Fprintf(&b, "%d ", x%1000)
		}
		b.WriteString("</p>\n")
	}
	return b.Bytes()[:n]
}

// TestHostilePages checks that pages the proxy cannot inject into cheaply
// go out as the upstream sent them, byte for byte, and are counted: no
// marker within the look-ahead, a look-ahead the shared budget cannot hold,
// a body that inflates like a decompression bomb.
func TestHostilePages(t *testing.T) {
	markerless := proseHTML(2 << 20)
	zeros := make([]byte, 20<<20)
	headThenZeros := append([]byte("<html><head><title>x</title></head><body>"), make([]byte, 4<<20)...)
	tests := []struct {
		name     string
		encoding string
		body     []byte
		edit     func(*Options)
		want     Stats
	}{
		{name: "markerless 2 MB page", body: markerless, want: Stats{UntouchedNoMarker: 1}},
		{name: "markerless 2 MB gzip page", encoding: "gzip", body: compressed(t, "gzip", markerless), want: Stats{UntouchedNoMarker: 1}},
		{name: "20 KB gzip of 20 MiB of zeros", encoding: "gzip", body: compressed(t, "gzip", zeros), want: Stats{UntouchedInflation: 1}},
		{name: "gzip bomb after a head", encoding: "gzip", body: compressed(t, "gzip", headThenZeros), want: Stats{UntouchedInflation: 1}},
		{name: "brotli of 20 MiB of zeros, 16 MiB window", encoding: "br", body: compressed(t, "br", zeros), want: Stats{UntouchedInflation: 1}},
		{name: "gzip of empty blocks", encoding: "gzip", body: storedGzip(t, []byte(page), 30_000), want: Stats{UntouchedNoMarker: 1}},
		{
			name: "over the shared budget", body: []byte(page),
			edit: func(o *Options) { o.MaxBuffered = 1 << 10 }, want: Stats{UntouchedBudget: 1},
		},
		{
			name: "brotli window over the shared budget", encoding: "br", body: compressed(t, "br", []byte(page)),
			edit: func(o *Options) { o.MaxBuffered = 1 << 20 }, want: Stats{UntouchedBudget: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				if tc.encoding != "" {
					w.Header().Set("Content-Encoding", tc.encoding)
				}
				w.Write(tc.body)
			})
			tp := MustStartProxy(t, upstream, tc.edit)
			req, _ := http.NewRequest(http.MethodGet, tp.URL+"/", nil)
			req.Header.Set("Accept-Encoding", "gzip, br")
			_, body := do(t, req)
			if !bytes.Equal(body, tc.body) {
				t.Errorf("body: %d bytes, want the upstream's %d bytes untouched", len(body), len(tc.body))
			}
			if diff := cmp.Diff(tc.want, tp.Stats()); diff != "" {
				t.Errorf("Stats() (-want +got):\n%s", diff)
			}
			full := int64(DefaultMaxBuffered)
			if tc.edit != nil {
				var o Options
				tc.edit(&o)
				full = o.MaxBuffered
			}
			waitBudget(t, tp, full)
		})
	}
}

// TestBudgetReturns checks that every way a page goes out gives its share
// of the budget back: injected (plain, gzip, brotli), passed through, and
// cut short by a client that goes away.
func TestBudgetReturns(t *testing.T) {
	big := strings.Repeat("<p>x</p>", 100_000)
	bodies := map[string][]byte{
		"/plain": []byte(page),
		"/gzip":  gzipped(t, page),
		"/br":    brotlied(t, page),
		"/big":   gzipped(t, "<html><head></head><body>"+big),
		"/none":  gzipped(t, big),
	}
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/gzip", "/big", "/none":
			w.Header().Set("Content-Encoding", "gzip")
		case "/br":
			w.Header().Set("Content-Encoding", "br")
		}
		w.Write(bodies[r.URL.Path])
	})
	tp := MustStartProxy(t, upstream, nil)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			path := []string{"/plain", "/gzip", "/br", "/big", "/none"}[i%5]
			req, _ := http.NewRequest(http.MethodGet, tp.URL+path, nil)
			req.Header.Set("Accept-Encoding", "gzip, br")
			if i%2 == 1 { // reads a little, then goes away
				resp, err := rawClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.ReadFull(resp.Body, make([]byte, 10))
				resp.Body.Close()
				return
			}
			do(t, req)
		})
	}
	wg.Wait()
	waitBudget(t, tp, DefaultMaxBuffered)
}

// waitBudget waits for the proxy's handlers to finish with the pages sent
// and fails unless the whole budget, full, is back.
func waitBudget(tb testing.TB, tp *testProxy, full int64) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for tp.budget.left.Load() != full {
		if time.Now().After(deadline) {
			tb.Fatalf("budget left = %d after every page went out, want all %d back", tp.budget.left.Load(), full)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestUpstreamTimeouts checks the two clocks on the upstream: its response
// headers must come within the upstream timeout (else 504), and a body that
// sends nothing for the idle timeout is cut short, while a stream that
// keeps sending lasts as long as it does.
func TestUpstreamTimeouts(t *testing.T) {
	const timeout = 300 * time.Millisecond
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/silent":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			for i := range 20 { // 1 s, more than three idle timeouts
				fmt.Fprintf(w, "data: %d\n\n", i)
				w.(http.Flusher).Flush()
				time.Sleep(50 * time.Millisecond)
			}
		case "/stall":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write([]byte("first bytes"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/stall-page":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><p>no head yet"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}
	})
	tp := MustStartProxy(t, upstream, func(o *Options) {
		o.UpstreamTimeout = timeout
		o.UpstreamIdleTimeout = timeout
	})
	for _, tc := range []struct {
		name, path string
		wantStatus int
		wantBody   string // a prefix of what the client reads
		wantCut    bool   // the body ends in an error
		maxTime    time.Duration
	}{
		{name: "silent upstream", path: "/silent", wantStatus: http.StatusGatewayTimeout, wantBody: "<!doctype html>", maxTime: 3 * timeout},
		{name: "server-sent events outlast the idle timeout", path: "/events", wantStatus: http.StatusOK, wantBody: "data: 0\n\ndata: 1\n\n", maxTime: 5 * time.Second},
		{name: "stalled body", path: "/stall", wantStatus: http.StatusOK, wantBody: "first bytes", wantCut: true, maxTime: 3 * timeout},
		{name: "stalled page", path: "/stall-page", wantStatus: http.StatusOK, wantCut: true, maxTime: 3 * timeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resp, err := rawClient.Get(tp.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			elapsed := time.Since(start)
			if resp.StatusCode != tc.wantStatus || !bytes.HasPrefix(body, []byte(tc.wantBody)) || (err != nil) != tc.wantCut {
				t.Errorf("GET %s = %d %q, read error %v; want %d %q, cut short: %v", tc.path, resp.StatusCode, body, err, tc.wantStatus, tc.wantBody, tc.wantCut)
			}
			if tc.path == "/events" && !bytes.HasSuffix(body, []byte("data: 19\n\n")) {
				t.Errorf("GET /events ended with %q, want all 20 events", body[max(0, len(body)-30):])
			}
			if elapsed > tc.maxTime {
				t.Errorf("GET %s took %v, want at most %v", tc.path, elapsed, tc.maxTime)
			}
		})
	}
	if s := tp.Stats(); s.UpstreamErrors != 1 || s.IdleTimeouts != 2 {
		t.Errorf("Stats() = %+v, want 1 upstream error and 2 idle timeouts", s)
	}
}

// logBuffer collects what a slog text handler writes, safe for concurrent
// use.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestApplicationCookies checks the Set-Cookie headers the charter does not
// decide: a deletion passes, declared or not, unreported; the consent
// cookie set by the application is dropped, logged once; its deletion
// passes.
func TestApplicationCookies(t *testing.T) {
	forged := prefs("statistics").String()
	past := time.Unix(0, 0).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		set        []string
		want       []string
		wantLogged string // a substring of the log; "" means nothing at WARN
		undeclared int64
		dropped    uint64
	}{
		{
			name: "deletions of undeclared cookies pass",
			set:  []string{"wordpress_logged_in_abc=; Path=/; Max-Age=0", "legacy=; Expires=" + past + "; Path=/wp-admin", "old=gone; Max-Age=-1"},
			want: []string{"wordpress_logged_in_abc=; Path=/; Max-Age=0", "legacy=; Expires=" + past + "; Path=/wp-admin", "old=gone; Max-Age=-1"},
		},
		{
			name: "a past Expires with a Max-Age is no deletion",
			set:  []string{"tracker=1; Max-Age=3600; Expires=" + past},
			want: nil, wantLogged: "", undeclared: 1,
		},
		{
			name: "order kept around the charter's decisions",
			set:  []string{"sid=1; Path=/", "a=; Max-Age=0", "tracker=2", "_pk_id.x=; Max-Age=0", "sid2=; Max-Age=0"},
			want: []string{"sid=1; Path=/", "a=; Max-Age=0", "_pk_id.x=; Max-Age=0", "sid2=; Max-Age=0"}, undeclared: 1,
		},
		{
			name: "the application forging consent",
			set:  []string{forged + "; Path=/; Max-Age=15552000", "sid=1"},
			want: []string{"sid=1"}, wantLogged: "the application set the consent cookie", dropped: 1,
		},
		{
			name: "the application deleting the decision",
			set:  []string{consent.CookieName + "=; Path=/; Max-Age=0"},
			want: []string{consent.CookieName + "=; Path=/; Max-Age=0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for _, c := range tc.set {
					w.Header().Add("Set-Cookie", c)
				}
				w.Header().Set("Content-Type", "text/plain")
				io.WriteString(w, "ok")
			})
			var log logBuffer
			tp := MustStartProxy(t, upstream, func(o *Options) {
				o.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelWarn}))
			})
			for range 2 { // the second time, nothing more is logged
				req, _ := http.NewRequest(http.MethodGet, tp.URL+"/wp-login.php?action=logout", nil)
				resp, _ := do(t, req)
				if diff := cmp.Diff(tc.want, resp.Header.Values("Set-Cookie")); diff != "" {
					t.Errorf("Set-Cookie (-want +got):\n%s", diff)
				}
			}
			if got := tp.undeclared.Load(); got != 2*tc.undeclared {
				t.Errorf("undeclared cookies reported = %d, want %d", got, 2*tc.undeclared)
			}
			if got := tp.Stats().ConsentCookiesDropped; got != 2*tc.dropped {
				t.Errorf("ConsentCookiesDropped = %d, want %d", got, 2*tc.dropped)
			}
			logged := log.String()
			if tc.wantLogged == "" && logged != "" || tc.wantLogged != "" && strings.Count(logged, tc.wantLogged) != 1 {
				t.Errorf("log:\n%s\nwant %q once", logged, tc.wantLogged)
			}
		})
	}
}

// TestCanonicalHost puts an application that redirects every request whose
// Host is not its site address, as WordPress does, behind the proxy: with
// the visitor's Host passed on it serves its pages; with UpstreamHost set
// to the upstream's name it redirects, as it did before issue 9.
func TestCanonicalHost(t *testing.T) {
	const public = "shop.example"
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != public {
			http.Redirect(w, r, "https://"+public+r.URL.RequestURI(), http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	})
	for _, tc := range []struct {
		name         string
		upstreamHost func(upstream string) string
		wantStatus   int
	}{
		{name: "the visitor's Host by default", wantStatus: http.StatusOK},
		{name: "the upstream's name", upstreamHost: func(upstream string) string { return upstream }, wantStatus: http.StatusMovedPermanently},
		{name: "a given name", upstreamHost: func(string) string { return public }, wantStatus: http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tp := MustStartProxy(t, upstream, func(o *Options) {
				if tc.upstreamHost != nil {
					o.UpstreamHost = tc.upstreamHost(o.Upstream.Host)
				}
			})
			for range 2 {
				req, _ := http.NewRequest(http.MethodGet, tp.URL+"/?p=1", nil)
				req.Host = public
				resp, body := do(t, req)
				if resp.StatusCode != tc.wantStatus {
					t.Fatalf("GET / = %d %s, want %d", resp.StatusCode, resp.Header.Get("Location"), tc.wantStatus)
				}
				if tc.wantStatus == http.StatusOK && !bytes.Contains(body, []byte(testTag)) {
					t.Errorf("page = %q, want the banner", body)
				}
			}
		})
	}
}

// TestRedirectWarnings checks which redirects the proxy logs: those to a
// host that is neither the public one nor the upstream's, once per host.
func TestRedirectWarnings(t *testing.T) {
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Query().Get("to"))
		w.WriteHeader(http.StatusFound)
	})
	var log logBuffer
	tp := MustStartProxy(t, upstream, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelWarn}))
	})
	for _, tc := range []struct {
		to     string
		logged bool
	}{
		{to: "/relative"},
		{to: "https://shop.example/secure"}, // the public host, another scheme
		{to: "http://shop.example:8443/"},
		{to: "https://sso.example.org/login", logged: true},
		{to: "https://sso.example.org/again"}, // logged once
		{to: "//cdn.example.net/x", logged: true},
	} {
		before := strings.Count(log.String(), "redirects to a host")
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, tp.URL+"/r?to="+url.QueryEscape(tc.to), nil)
		req.Host = "shop.example"
		do(t, req)
		if got := strings.Count(log.String(), "redirects to a host") - before; got != map[bool]int{true: 1}[tc.logged] {
			t.Errorf("redirect to %s logged %d times, want logged: %v", tc.to, got, tc.logged)
		}
	}
}
