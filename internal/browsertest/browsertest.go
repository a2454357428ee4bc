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
	"encoding/json"
	"os"
	"path/filepath"
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

// Option changes how [MustStart] starts the browser.
type Option func(*start)

// start is what the options of [MustStart] set.
type start struct {
	flags       []chromedp.ExecAllocatorOption
	preferences map[string]any
}

// WithFlag starts the browser with the command-line flag name (without
// its leading dashes) set to value: true for a bare flag, a string for
// one with a value, as [chromedp.Flag] takes them. Example:
// WithFlag("host-resolver-rules", "MAP www.example.com 127.0.0.1:8443").
func WithFlag(name string, value any) Option {
	return func(s *start) { s.flags = append(s.flags, chromedp.Flag(name, value)) }
}

// WithThirdPartyCookies starts the browser with third-party cookies
// allowed, as a lax browser stores them: Chromium blocks them by default
// and no flag lifts that, so the profile's Default/Preferences says it
// (profile.cookie_controls_mode: 0) before the browser starts.
func WithThirdPartyCookies() Option {
	return func(s *start) {
		if s.preferences == nil {
			s.preferences = map[string]any{}
		}
		s.preferences["profile"] = map[string]any{"cookie_controls_mode": 0}
	}
}

// MustStart starts headless Chromium ([MustFind]) with a fresh profile,
// with the options charte scan starts it with
// ([chromium.ExecAllocatorOptions]) and those given, and returns the
// context of its first tab: run actions in it, or open more tabs (and
// browser contexts) as its children. The browser stops when the test ends.
func MustStart(tb testing.TB, opts ...Option) context.Context {
	tb.Helper()
	path := MustFind(tb)
	var s start
	for _, opt := range opts {
		opt(&s)
	}
	profile := tb.TempDir()
	if s.preferences != nil {
		prefs, err := json.Marshal(s.preferences)
		if err != nil {
			tb.Fatalf("encode the browser's preferences: %v", err)
		}
		if err := os.MkdirAll(filepath.Join(profile, "Default"), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(profile, "Default", "Preferences"), prefs, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromium.ExecAllocatorOptions(path, profile), s.flags...)...)
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
