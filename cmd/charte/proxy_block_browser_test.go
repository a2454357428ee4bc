package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/browsertest"
)

// blockPage is a page of an application that pastes Google's GA4 snippet
// and a YouTube embed as their vendors publish them, and runs a script of
// its own after them.
const blockPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-ABC123');
</script>
</head><body><main><h1>Shop</h1>
<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="YouTube video player" allowfullscreen></iframe>
<p id="app">waiting</p>
<script src="/app.js"></script>
</main></body></html>`

// TestProxyBlocksInBrowser checks, in headless Chromium, a page behind
// charte proxy with the GA4 snippet and a YouTube iframe: before any
// choice the browser asks neither Google nor YouTube for anything, the
// frame has the banner's placeholder and the site's own script runs;
// after "Accept all" the banner releases both. Every host but loopback
// resolves to nothing: no request leaves the machine.
func TestProxyBlocksInBrowser(t *testing.T) {
	dir := t.TempDir()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/app.js" {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, `document.getElementById('app').textContent = 'ran';`)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, blockPage)
	}))
	t.Cleanup(app.Close)
	charter := filepath.Join(dir, "shop.yaml")
	text := strings.Replace(shopCharter, "STATS", "statistics", 1)
	text = strings.Replace(text, "  - id: statistics\n", "  - id: statistics\n  - id: marketing\n", 1)
	if err := os.WriteFile(charter, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rs := MustRunProxy(t, nil, "--upstream", app.URL, "--charter", charter, "--db", "sqlite:"+filepath.Join(dir, "charte.db"))

	browser := browsertest.MustStart(t, browsertest.WithFlag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()

	var (
		mu       sync.Mutex
		requests []string
	)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	// vendorRequests returns the requests made so far to hosts other than
	// the proxy's.
	vendorRequests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, u := range requests {
			if !strings.HasPrefix(u, rs.URL) && !strings.HasPrefix(u, "data:") && u != "about:blank" {
				out = append(out, u)
			}
		}
		return out
	}
	until := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(rs.URL+"/")); err != nil {
		t.Fatal(err)
	}
	until("the banner", "!!window.charte")
	until("the site's script", `document.getElementById('app').textContent == 'ran'`)
	until("the frame's placeholder", `!!document.querySelector('[data-charte-placeholder="marketing"]') && document.querySelector('iframe').hidden`)
	if got := vendorRequests(); len(got) > 0 {
		t.Errorf("before any choice the browser asked %q", got)
	}

	btn := `document.querySelector('#charte-root')?.shadowRoot?.querySelector('[data-charte-action="accept-all"]')`
	until("the accept-all button", "!!"+btn)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](btn+`.click() ?? true`)); err != nil {
		t.Fatal(err)
	}
	until("the frame to load", `document.querySelector('iframe').src.startsWith('https://www.youtube.com/embed/')`)
	until("gtag.js to be released", `!!document.querySelector('script[src^="https://www.googletagmanager.com/gtag/js"]:not([type])')`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := strings.Join(vendorRequests(), " ")
		if strings.Contains(got, "https://www.googletagmanager.com/gtag/js?id=G-ABC123") && strings.Contains(got, "https://www.youtube.com/embed/dQw4w9WgXcQ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after accepting all, the browser asked %q, want gtag.js and the YouTube frame", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
