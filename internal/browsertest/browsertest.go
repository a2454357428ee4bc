// Package browsertest finds and starts the headless Chromium that charte's
// browser tests drive, the same way for every package: charte scan's
// tests, the banner's and the back office's in internal/web, and the
// end-to-end tests of cmd/charte. Without a browser those tests skip,
// unless CHARTE_TEST_REQUIRE_BROWSER is set (CI sets it), and then they
// fail.
//
// Only _test.go files import it. It may import the standard library,
// internal/chromium (which finds the browser and holds the options charte
// starts it with) and chromedp.
package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/chromium"
)

// Required reports whether the browser tests must run
// (CHARTE_TEST_REQUIRE_BROWSER is set): a missing browser, or anything else
// they need, is then a failure, not a skip.
func Required() bool { return os.Getenv("CHARTE_TEST_REQUIRE_BROWSER") != "" }

// MustFind returns the path of the browser the tests run: CHARTE_BROWSER
// (a path or a command), else the first Chromium on PATH, as charte scan
// finds it ([chromium.Find]: /usr/bin/chromium on Debian). With none, it
// skips the test, or fails it when [Required].
func MustFind(tb testing.TB) string {
	tb.Helper()
	path, err := chromium.Find(os.Getenv("CHARTE_BROWSER"))
	if err == nil {
		return path
	}
	if Required() {
		tb.Fatalf("CHARTE_TEST_REQUIRE_BROWSER is set but there is no browser: %v", err)
	}
	tb.Skipf("install chromium (apt-get install chromium) to run the browser tests: %v", err)
	return ""
}

// MustStart starts headless Chromium ([MustFind]) with a fresh profile,
// with the options charte scan starts it with
// ([chromium.ExecAllocatorOptions]), and returns the context of its first tab:
// run actions in it, or open more tabs (and browser contexts) as its
// children. The browser stops when the test ends.
func MustStart(tb testing.TB) context.Context {
	tb.Helper()
	path := MustFind(tb)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromium.ExecAllocatorOptions(path, tb.TempDir())...)
	ctx, cancel := chromedp.NewContext(alloc)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start the browser %s: %v", path, err)
	}
	return ctx
}
