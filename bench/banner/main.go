// Command banner measures the two figures issue 3 sets for the banner, on
// the banner of charte's built-in charter served by charte's own handler:
//
//   - its weight: the bytes of GET /charte.js for a French visitor
//     (Accept-Language: fr), gzipped at level 9 (goal: at most 5,000 B),
//     in each layout; and, for the record, that of the preference center
//     it loads later (GET /charte-center.js);
//   - its speed: in headless Chromium, the time from DOMContentLoaded to the
//     banner being visible, on a customer page of another origin that
//     embeds it with one <script src> in its head (goal: within 10 ms),
//     the median of -loads page loads.
//
// Run it from the repository root with `go run ./bench/banner`; see
// docs/benchmarks.md. It needs Debian's chromium (or -chromium PATH).
//
// How the time is taken: a script that Chromium runs in every new document
// before the page's own (Page.addScriptToEvaluateOnNewDocument) watches the
// document with a MutationObserver. When #charte-root has a role=dialog
// element in its shadow root that has a size and passes checkVisibility, it
// notes performance.now() ("laid out"); then, from a requestAnimationFrame
// callback, it posts a task, which runs once that frame is rendered
// ("painted"). Both are compared with the navigation's
// domContentLoadedEventStart, on the same clock. The page also notes the
// time around its <script src> element: the banner's run time before
// DOMContentLoaded. The browser cache is off, so that every load fetches
// the script, unless -cache.
//
// It imports charte's web, charterfile and chromium packages, and chromedp.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/chromium"
	"github.com/charte/charte/internal/web"
)

// Goals from issue 3.
const (
	sizeGoal    = 5000                  // bytes, gzip -9
	visibleGoal = 10 * time.Millisecond // after DOMContentLoaded
)

// watch runs in each new document before the page's scripts.
const watch = `(() => {
  const r = window.__charteBench = {};
  const visible = () => {
    const host = document.getElementById('charte-root');
    const dlg = host && host.shadowRoot && host.shadowRoot.querySelector('[role=dialog]');
    if (!dlg) return false;
    const b = dlg.getBoundingClientRect();
    return b.width > 0 && b.height > 0 &&
      dlg.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true });
  };
  new MutationObserver((_, mo) => {
    if (r.laidOut !== undefined || !visible()) return;
    r.laidOut = performance.now();
    mo.disconnect();
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { r.painted = performance.now(); };
      ch.port2.postMessage(0);
    });
  }).observe(document, { childList: true, subtree: true });
  // The first frame rendered after DOMContentLoaded, banner or not: with
  // no banner on the page, it is the floor the browser sets.
  document.addEventListener('DOMContentLoaded', () => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { r.dclFrame = performance.now(); };
    ch.port2.postMessage(0);
  }));
})();`

// customerPage embeds the banner the way the issue says any site does.
const customerPage = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>Boulangerie Dupont</title>
%s
</head>
<body>
<h1>Boulangerie Dupont</h1>
<p>Pains au levain, viennoiseries et gâteaux, tous les jours sauf le lundi.</p>
</body>
</html>
`

// bannerTags are what the customer page has in its head: the banner, and
// two inline scripts timing it.
const bannerTags = `<script>window.__s0 = performance.now()</script>
<script src="%s/charte.js"></script>
<script>window.__s1 = performance.now()</script>`

// read collects one load's times, in ms on the page's clock.
const read = `(() => {
  const n = performance.getEntriesByType('navigation')[0];
  const r = window.__charteBench || {};
  return {
    dclStart: n.domContentLoadedEventStart, dclEnd: n.domContentLoadedEventEnd,
    laidOut: r.laidOut ?? -1, painted: r.painted ?? -1, dclFrame: r.dclFrame ?? -1,
    scriptRun: (window.__s1 ?? 0) - (window.__s0 ?? 0),
    lang: document.getElementById('charte-root')?.shadowRoot?.querySelector('h2')?.textContent ?? '',
  };
})()`

type loadTimes struct {
	DCLStart  float64 `json:"dclStart"`
	DCLEnd    float64 `json:"dclEnd"`
	LaidOut   float64 `json:"laidOut"`
	Painted   float64 `json:"painted"`
	DCLFrame  float64 `json:"dclFrame"`
	ScriptRun float64 `json:"scriptRun"`
	Title     string  `json:"lang"`
}

func main() {
	loads := flag.Int("loads", 20, "page loads to time")
	browser := flag.String("chromium", "", "the browser to run (default: chromium, then chromium-browser, google-chrome on PATH)")
	cache := flag.Bool("cache", false, "keep the browser cache on: the script comes from the cache after the first load (default: every load fetches it)")
	timeout := flag.Duration("timeout", 2*time.Minute, "time limit for the browser part")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("banner: ")

	// charte's banner, served by charte's own handler with its built-in
	// charter, on 127.0.0.1; the customer page on 127.0.0.2, another origin.
	sites, err := web.NewSites(charterfile.Default())
	if err != nil {
		log.Fatal(err)
	}
	var (
		mu             sync.Mutex
		acceptLanguage string // of the last request for /charte.js
	)
	srv := web.NewServer(web.Options{Sites: sites})
	charteURL := serve("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/charte.js" {
			mu.Lock()
			acceptLanguage = r.Header.Get("Accept-Language")
			mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	// /with embeds the banner; /without is the same page without it.
	pageURL := serve("127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		tags := ""
		if r.URL.Path == "/with" {
			tags = fmt.Sprintf(bannerTags, charteURL)
		}
		fmt.Fprintf(w, customerPage, tags)
	}))

	// (a) Weight.
	js, enc := fetch(charteURL+"/charte.js", "fr")
	gz := gzip9(js)
	both, _ := fetch(charteURL+"/charte.js?lang=fr,en", "fr")
	fmt.Printf("banner of the built-in charter, French (Accept-Language: fr): %d B, %d B gzip -9 (goal ≤ %d B: %s)\n",
		len(js), gz, sizeGoal, verdict(gz <= sizeGoal))
	fmt.Printf("  the same in French and English (?lang=fr,en): %d B, %d B gzip -9\n", len(both), gzip9(both))
	// Each layout is two members of the script's configuration (layout,
	// position); the weight is measured with them set as a charter sets
	// them, the CSS of every layout being in the script anyway.
	for _, l := range [][2]string{{"box", "bottom-right"}, {"box", "middle"}, {"bar", "bottom"}, {"cloud", "bottom"}} {
		with := bytes.Replace(js, []byte(`{"site":`), fmt.Appendf(nil, `{"layout":%q,"position":%q,"site":`, l[0], l[1]), 1)
		fmt.Printf("  layout %s, position %s: %d B gzip -9 (%s)\n", l[0], l[1], gzip9(with), verdict(gzip9(with) <= sizeGoal))
	}
	center, _ := fetch(charteURL+"/charte-center.js?lang=fr", "fr")
	fmt.Printf("  its preference center (/charte-center.js?lang=fr, loaded when first needed or the page is idle): %d B, %d B gzip -9\n", len(center), gzip9(center))
	if enc == "" {
		enc = "none"
	}
	wire, wireEnc := fetchEncoded(charteURL+"/charte.js", "fr", "gzip, deflate, br")
	if wireEnc == "" {
		wireEnc = "none"
	}
	fmt.Printf("  as charte serves it: %s to a client that takes none, %d B with Content-Encoding %s to one that takes gzip\n",
		enc, len(wire), wireEnc)

	// (b) Speed.
	path, err := chromium.Find(*browser)
	if err != nil {
		log.Fatalf("%v: apt-get install -y chromium, or give -chromium PATH", err)
	}
	version, _ := exec.Command(path, "--version").Output()
	fmt.Printf("browser: %s (%s)\n", strings.TrimSpace(string(version)), path)
	fmt.Printf("machine: %d CPU, load %s before the loads\n", runtime.NumCPU(), loadavg())

	profile, err := os.MkdirTemp("", "charte-bench-banner-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(profile)
	opts := append(chromium.ExecAllocatorOptions(path, profile),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.Flag("accept-lang", "fr-FR,fr"),
		chromedp.WindowSize(1280, 800),
	)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	if err := chromedp.Do(ctx); err != nil {
		log.Fatalf("start the browser: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		log.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: !*cache}); err != nil {
		log.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		log.Fatal(err)
	}

	var (
		laidOut, painted, dclLen, run []float64 // with the banner
		floor                         []float64 // without
		title                         string
	)
	for i := 0; i < *loads+1; i++ {
		with, err := load(ctx, pageURL+"/with?load="+fmt.Sprint(i), "painted")
		if err != nil {
			log.Fatalf("load %d with the banner: %v", i, err)
		}
		without, err := load(ctx, pageURL+"/without?load="+fmt.Sprint(i), "dclFrame")
		if err != nil {
			log.Fatalf("load %d without the banner: %v", i, err)
		}
		if i == 0 {
			continue // the first loads warm the browser up
		}
		laidOut = append(laidOut, with.LaidOut-with.DCLStart)
		painted = append(painted, with.Painted-with.DCLStart)
		dclLen = append(dclLen, with.DCLEnd-with.DCLStart)
		run = append(run, with.ScriptRun)
		floor = append(floor, without.DCLFrame-without.DCLStart)
		title = with.Title
	}
	mu.Lock()
	fmt.Printf("the browser asked for /charte.js with Accept-Language %q; the banner says %q\n", acceptLanguage, title)
	mu.Unlock()
	fmt.Printf("%d loads of each page (after one warm-up load each), ms after DOMContentLoaded (domContentLoadedEventStart): median [min–max]\n", len(painted))
	fmt.Printf("  with the banner:\n")
	fmt.Printf("    banner laid out and visible (DOM, style, layout):  %s\n", stats(laidOut))
	fmt.Printf("    first frame with the banner rendered:              %s\n", stats(painted))
	fmt.Printf("    DOMContentLoaded handlers (dclEnd - dclStart):     %s\n", stats(dclLen))
	fmt.Printf("    before DOMContentLoaded, <script src> (fetch+run): %s\n", stats(run))
	fmt.Printf("  the same page without the banner:\n")
	fmt.Printf("    first frame rendered after DOMContentLoaded:       %s\n", stats(floor))
	fmt.Printf("machine: load %s after the loads\n", loadavg())
	goal := float64(visibleGoal.Milliseconds())
	fmt.Printf("goal: visible within %v after DOMContentLoaded (medians):\n", visibleGoal)
	fmt.Printf("  laid out and visible at %.1f ms: %s\n", median(laidOut), verdict(median(laidOut) <= goal))
	fmt.Printf("  on screen in the frame rendered at %.1f ms: %s (the page without the banner renders its first frame after DOMContentLoaded at %.1f ms)\n",
		median(painted), verdict(median(painted) <= goal), median(floor))
}

// load loads url and waits until the watch script has set field.
func load(ctx context.Context, url, field string) (loadTimes, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return loadTimes{}, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__charteBench && window.__charteBench.`+field+` !== undefined`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		return loadTimes{}, fmt.Errorf("no %s: %w", field, err)
	}
	return chromedp.Run(ctx, chromedp.Evaluate[loadTimes](read))
}

// loadavg returns the 1-minute load average, where Linux tells it.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b))[0]
}

// serve serves h on addr and returns its base URL.
func serve(addr string, h http.Handler) string {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		s := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		if err := s.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}()
	return "http://" + ln.Addr().String()
}

// fetch returns a URL's body and Content-Encoding, as a client asking for
// lang and no compression gets it.
func fetch(url, lang string) ([]byte, string) {
	return fetchEncoded(url, lang, "identity")
}

// fetchEncoded returns a URL's body as sent, not decoded, and its
// Content-Encoding, for a client asking for lang and the encodings enc.
func fetchEncoded(url, lang, enc string) ([]byte, string) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Accept-Language", lang)
	req.Header.Set("Accept-Encoding", enc) // set by hand: the client then leaves the body as sent
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		log.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b, resp.Header.Get("Content-Encoding")
}

// gzip9 returns the size of b gzipped at level 9, as `gzip -9` does.
func gzip9(b []byte) int {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	return buf.Len()
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func stats(v []float64) string {
	return fmt.Sprintf("%6.2f [%.2f–%.2f]", median(v), slices.Min(v), slices.Max(v))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
