package vendortest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// Cookies returns every cookie the browser of ctx stores, of every site.
func Cookies(ctx context.Context) ([]*network.Cookie, error) {
	res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		return nil, fmt.Errorf("read the browser's cookies: %w", err)
	}
	return res.Cookies, nil
}

// Matches reports whether a cookie name matches one of the names of
// [Service.Cookies] (a name ending in * is a prefix).
func Matches(name string, names []string) bool {
	return slices.ContainsFunc(names, func(n string) bool {
		if p, ok := strings.CutSuffix(n, "*"); ok {
			return strings.HasPrefix(name, p)
		}
		return name == n
	})
}

// Stored returns, sorted, the names of svc's cookies among cookies: "_ga
// on 127.0.0.1", "fr on .facebook.com".
func Stored(cookies []*network.Cookie, svc Service) []string {
	var got []string
	for _, c := range cookies {
		if Matches(c.Name, svc.Cookies) {
			got = append(got, c.Name+" on "+c.Domain)
		}
	}
	slices.Sort(got)
	return got
}

// Missing returns the names of svc.Cookies of which cookies holds none.
func Missing(cookies []*network.Cookie, svc Service) []string {
	var missing []string
	for _, n := range svc.Cookies {
		if !slices.ContainsFunc(cookies, func(c *network.Cookie) bool { return Matches(c.Name, []string{n}) }) {
			missing = append(missing, n)
		}
	}
	return missing
}

// Poll evaluates the JavaScript condition expr in the tab of ctx until it
// is true, for up to timeout.
func Poll(ctx context.Context, expr string, timeout time.Duration) error {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	return err
}

// Ran returns the names of the stub scripts that ran in the page of ctx
// (window.vendortest), in order.
func Ran(ctx context.Context) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.vendortest || []`))
}
