package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/browsertest"
)

// TestProxyInBrowser is issue 4's end-to-end test in headless Chromium: a
// page of an application behind charte proxy gets the banner; after "Reject
// all" the application's HttpOnly statistics cookie is never stored; after
// "Accept all" it is.
func TestProxyInBrowser(t *testing.T) {
	browser := browsertest.MustStart(t)
	dir := t.TempDir()
	app := shopApp(t)
	charter := writeShopCharter(t, filepath.Join(dir, "shop.yaml"), "statistics")
	rs := MustRunProxy(t, nil, "--upstream", app.URL, "--charter", charter, "--db", "sqlite:"+filepath.Join(dir, "charte.db"))

	ctx, cancelTimeout := context.WithTimeout(browser, 60*time.Second)
	defer cancelTimeout()

	// until waits for a JavaScript condition in the page.
	until := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	// action clicks one of the banner's buttons inside its shadow root.
	action := func(name string) {
		t.Helper()
		btn := `document.querySelector('#charte-root')?.shadowRoot?.querySelector('[data-charte-action="` + name + `"]')`
		until("the "+name+" button", "!!"+btn)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](btn+`.click() ?? true`)); err != nil {
			t.Fatalf("click %s: %v", name, err)
		}
	}
	// statsCookie returns the browser's _pk_id.x cookie, or nil.
	statsCookie := func() *network.Cookie {
		t.Helper()
		res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{rs.URL + "/"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Cookies {
			if c.Name == "_pk_id.x" {
				return c
			}
		}
		return nil
	}
	open := func(what string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(rs.URL+"/")); err != nil {
			t.Fatalf("open %s: %v", what, err)
		}
		until("the banner script", "!!window.charte")
	}

	open("the first visit")
	if c := statsCookie(); c != nil {
		t.Fatalf("before any choice the browser stored %s", c.Name)
	}
	action("reject-all")
	until("the refusal to be recorded", `/(^|; )cookies_preferences=1\.[^.]+\./.test(document.cookie)`)
	open("a page after refusing")
	if c := statsCookie(); c != nil {
		t.Errorf("after refusing, the browser stored %s", c.Name)
	}

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`charte.show() ?? true`)); err != nil {
		t.Fatal(err)
	}
	action("accept-all")
	until("the acceptance to be recorded", `/(^|; )cookies_preferences=1\.[^.]+\.[^.]+\.[^.]*statistics[^.]*\.a\./.test(document.cookie)`)
	open("a page after accepting")
	c := statsCookie()
	if c == nil || !c.HTTPOnly || c.Value != "visitor42" {
		t.Errorf("after accepting, the browser's _pk_id.x = %+v, want the application's HttpOnly cookie", c)
	}
}
