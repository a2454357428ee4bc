package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/chromium"
)

// ErrNoBrowser is the error [FindBrowser] and [Scan] return when no
// Chromium can be found.
var ErrNoBrowser = errors.New("no Chromium browser found: install chromium (on Debian or Ubuntu: apt-get install chromium), or give its path with --browser or CHARTE_BROWSER")

// FindBrowser returns the path of a Chromium-based browser: path itself when
// it is not empty (a command name is looked up on PATH), else the first of
// chromium, chromium-browser, google-chrome found on PATH. It returns
// [ErrNoBrowser] when there is none.
func FindBrowser(path string) (string, error) {
	p, err := chromium.Find(path)
	switch {
	case err == nil:
		return p, nil
	case path != "":
		return "", fmt.Errorf("%v: %w", err, ErrNoBrowser)
	}
	return "", ErrNoBrowser
}

// preferences is the profile's Default/Preferences file, written before the
// browser starts: Chromium blocks third-party cookies by default, and only
// this preference (no command-line flag) lets the scan see them, as a
// visitor whose browser allows them would.
const preferences = `{"profile":{"cookie_controls_mode":0}}`

// instance is a browser process with a fresh profile of its own, or one
// browser context in such a process (newContext).
type instance struct {
	dir     string
	cancel  []context.CancelFunc
	ctx     context.Context // the first tab; its browser is the process
	version string
}

// launch starts a headless browser in a new, empty profile.
func launch(ctx context.Context, o *Options) (*instance, error) {
	dir, err := os.MkdirTemp("", "charte-scan-")
	if err != nil {
		return nil, fmt.Errorf("create browser profile: %w", err)
	}
	b := &instance{dir: dir}
	if err := os.MkdirAll(filepath.Join(dir, "Default"), 0o700); err != nil {
		b.close()
		return nil, fmt.Errorf("create browser profile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Default", "Preferences"), []byte(preferences), 0o600); err != nil {
		b.close()
		return nil, fmt.Errorf("create browser profile: %w", err)
	}
	opts := append(chromium.ExecAllocatorOptions(o.Browser, dir),
		chromedp.WindowSize(1280, 800),
		// Cross-site iframes stay in the page's process, so that their
		// requests and Set-Cookie headers reach the page's DevTools session
		// and their documents can be searched for consent controls.
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,IsolateOrigins,site-per-process,HttpsUpgrades"),
		chromedp.Flag("accept-lang", o.Language),
	)
	if o.IgnoreCertErrors {
		opts = append(opts, chromedp.IgnoreCertErrors)
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b.cancel = []context.CancelFunc{bcancel, acancel}
	b.ctx = bctx
	if err := chromedp.Do(bctx); err != nil {
		b.close()
		return nil, fmt.Errorf("start the browser %s: %w", o.Browser, err)
	}
	v, err := chromedp.CallBrowser(bctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		b.close()
		return nil, fmt.Errorf("start the browser %s: %w", o.Browser, err)
	}
	b.version = v.Product
	return b, nil
}

// newContext opens a new browser context in b's browser: a visitor of its
// own, sharing nothing with the others but the process. Closing it disposes
// of the context, not of the browser.
func (b *instance) newContext() (*instance, error) {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("open a browser context: %w", err)
	}
	return &instance{ctx: ctx, cancel: []context.CancelFunc{cancel}, version: b.version}, nil
}

// close stops the browser and removes its profile.
func (b *instance) close() {
	for _, c := range b.cancel {
		c()
	}
	// The profile is a temporary directory: a failure to remove it leaves
	// litter in the system's temporary directory, nothing worse.
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}
