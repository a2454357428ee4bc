package vendortest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// BannerService is a service as the banner's configuration carries it
// (the "services" of charte.js's config).
type BannerService struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Provider string   `json:"provider"`
	Category string   `json:"category"`
	Hosts    []string `json:"hosts"`
	Embed    bool     `json:"embed"`
}

// BannerServices returns the services of the banner configuration that a
// site's charte.js embeds, and false when it has none (a charter without
// services, or a charte that does not know them yet).
func BannerServices(js []byte) ([]BannerService, bool) {
	const key = `"services":[`
	for rest := js; ; {
		i := bytes.Index(rest, []byte(key))
		if i < 0 {
			return nil, false
		}
		rest = rest[i+len(key)-1:]
		var svcs []BannerService
		if err := json.NewDecoder(bytes.NewReader(rest)).Decode(&svcs); err == nil && len(svcs) > 0 && svcs[0].ID != "" {
			return svcs, true
		}
		rest = rest[1:]
	}
}

// The banner as a test drives it: its shadow root, its buttons, its
// switches and the placeholders it puts before blocked frames.
const (
	jsRoot        = `document.querySelector('#charte-root')?.shadowRoot`
	jsCenter      = jsRoot + `?.querySelector('[data-charte-action="save"]')`
	jsPlaceholder = `[...document.querySelectorAll('[data-charte-placeholder]')].map((p) => (p.shadowRoot || p).textContent)`
)

func jsAction(a string) string { return jsRoot + `?.querySelector('[data-charte-action="` + a + `"]')` }
func jsSwitch(id string) string {
	return jsRoot + `?.querySelector('[data-charte-category="` + id + `"]')`
}

// Flow is issue 12's consent journey on the fixture page behind charte
// (the proxy, or the banner alone with auto_block): nothing reaches a
// vendor before consent and embeds show placeholders naming their
// service; after a custom choice of Granted only those categories'
// services are asked, and the refused ones' cookies are never stored;
// after "Accept all" every service is and the placeholders give way; the
// site's own script runs throughout and no script of the page throws.
type Flow struct {
	Stub *Stub
	Page string // the URL of the fixture page
	// Services are the charter's, as its banner has them; each embed's
	// placeholder must contain its Name ("" for any placeholder).
	Services []BannerService
	Granted  []string // the categories the custom choice grants: [statistics]
	// Unheld, if set, skips the test with this message when the first
	// visit asked every vendor host: nothing was held at all, the
	// blocking under test is not there yet (a partial hold fails).
	Unheld string
	// Settle is how long to wait for requests that should not come
	// (default 1.5 s).
	Settle time.Duration
}

// Run runs the journey in the tab of ctx, a browser started with the
// stub's options ([Stub.MustStartBrowser]) and a fresh profile.
func (f Flow) Run(t *testing.T, ctx context.Context) {
	t.Helper()
	if f.Settle == 0 {
		f.Settle = 1500 * time.Millisecond
	}
	category := map[string]string{}
	for _, s := range f.Services {
		category[s.ID] = s.Category
	}
	for _, s := range Services() {
		if category[s.ID] == "" {
			t.Fatalf("the charter does not name %s, which the fixture page uses: it names %v", s.ID, f.Services)
		}
	}
	granted := append([]string{"necessary"}, f.Granted...)
	// Nothing of the page may break: no script of it, the site's or a
	// vendor's, throws.
	var mu sync.Mutex
	var thrown []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			mu.Lock()
			thrown = append(thrown, fmt.Sprintf("%s at %s:%d", msg, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber+1))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen to the page: %v", err)
	}
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range thrown {
			t.Errorf("the page threw: %s", m)
		}
	}()

	// Before any choice.
	f.open(t, ctx, "the first visit")
	time.Sleep(f.Settle)
	if reqs := f.Stub.Requests(); len(reqs) > 0 {
		if f.Unheld != "" && slices.Equal(f.Stub.Hosts(), Hosts()) {
			t.Skip(f.Unheld)
		}
		t.Errorf("before any choice the page asked the vendors:\n%s", list(reqs))
	}
	f.checkCookies(t, ctx, "before any choice", nil, category)
	f.checkPlaceholders(t, ctx, "before any choice", []string{"necessary"})

	// A custom choice.
	f.click(t, ctx, "customize")
	f.until(t, ctx, "the preference center", "!!"+jsCenter)
	for _, id := range f.Granted {
		f.until(t, ctx, "the "+id+" switch", "!!"+jsSwitch(id))
		mustRun(t, ctx, "switch "+id+" on", chromedp.Evaluate[bool](jsSwitch(id)+`.checked || (`+jsSwitch(id)+`.click(), true)`), nil)
	}
	f.click(t, ctx, "save")
	f.until(t, ctx, "the custom choice", `!!window.charte?.decision?.()`)
	f.checkGranted(t, ctx, "after a custom choice of "+strings.Join(f.Granted, ", "), granted, category)
	f.checkPlaceholders(t, ctx, "after a custom choice of "+strings.Join(f.Granted, ", "), granted)

	f.Stub.Reset()
	f.open(t, ctx, "a page after the custom choice")
	f.checkGranted(t, ctx, "on a page after a custom choice of "+strings.Join(f.Granted, ", "), granted, category)

	// Accept all.
	mustRun(t, ctx, "open the preference center", chromedp.Evaluate[bool](`charte.show() ?? true`), nil)
	f.click(t, ctx, "accept-all")
	f.until(t, ctx, "every category to be granted", `[`+quoted(categories(f.Services))+`].every((c) => charte.accepted(c))`)
	f.waitHosts(t, "after accept all", Hosts())
	f.until(t, ctx, "the placeholders to give way to their frames", `!document.querySelector('[data-charte-placeholder]')`)
	f.checkCookies(t, ctx, "after accept all", categories(f.Services), category)
	f.until(t, ctx, "the site script after accept all", SiteRan)
}

// checkPlaceholders checks that each embed of a category not granted
// waits behind a placeholder that names it.
func (f Flow) checkPlaceholders(t *testing.T, ctx context.Context, when string, granted []string) {
	t.Helper()
	var texts []string
	mustRun(t, ctx, "read the placeholders", chromedp.Evaluate[[]string](jsPlaceholder), &texts)
	for _, s := range f.Services {
		if s.Embed && !slices.Contains(granted, s.Category) && !slices.ContainsFunc(texts, func(p string) bool { return strings.Contains(p, s.Name) }) {
			t.Errorf("%s no placeholder names %s (%s, %s): placeholders %q", when, s.Name, s.ID, s.Category, texts)
		}
	}
}

// open opens the page and waits for the banner and the site's script.
func (f Flow) open(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(f.Page)); err != nil {
		t.Fatalf("open %s: %v", what, err)
	}
	f.until(t, ctx, "the banner on "+what, "!!window.charte")
	f.until(t, ctx, "the site script on "+what, SiteRan)
}

// checkGranted waits for every host of the granted services, then checks
// nothing else was asked and no refused service's cookie is stored.
func (f Flow) checkGranted(t *testing.T, ctx context.Context, when string, granted []string, category map[string]string) {
	t.Helper()
	var want []string
	for _, s := range Services() {
		if slices.Contains(granted, category[s.ID]) {
			want = append(want, s.Hosts...)
		}
	}
	slices.Sort(want)
	f.waitHosts(t, when, slices.Compact(want))
	time.Sleep(f.Settle)
	var refused []Request
	for _, r := range f.Stub.Requests() {
		if !slices.Contains(granted, category[r.Service]) {
			refused = append(refused, r)
		}
	}
	if len(refused) > 0 {
		t.Errorf("%s the page asked services of refused categories:\n%s", when, list(refused))
	}
	f.checkCookies(t, ctx, when, granted, category)
	f.until(t, ctx, "the site script "+when, SiteRan)
}

// waitHosts waits until the stub was asked for every one of want.
func (f Flow) waitHosts(t *testing.T, when string, want []string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := f.Stub.Hosts()
		missing := slices.DeleteFunc(slices.Clone(want), func(h string) bool { return slices.Contains(got, h) })
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s the page never asked %v (it asked %v)", when, missing, got)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkCookies checks that the browser stores every cookie of the
// services of granted categories and none of the others'.
func (f Flow) checkCookies(t *testing.T, ctx context.Context, when string, granted []string, category map[string]string) {
	t.Helper()
	var cookies []*network.Cookie
	deadline := time.Now().Add(10 * time.Second)
	for {
		var err error
		if cookies, err = Cookies(ctx); err != nil {
			t.Fatal(err)
		}
		missing := false
		for _, s := range Services() {
			if slices.Contains(granted, category[s.ID]) && len(Missing(cookies, s)) > 0 {
				missing = true
			}
		}
		if !missing || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, s := range Services() {
		if slices.Contains(granted, category[s.ID]) {
			if m := Missing(cookies, s); len(m) > 0 {
				t.Errorf("%s %s (%s, granted) stored no %v", when, s.ID, category[s.ID], m)
			}
		} else if got := Stored(cookies, s); len(got) > 0 {
			t.Errorf("%s the browser stored cookies of %s (%s, refused): %v", when, s.ID, category[s.ID], got)
		}
	}
}

// click clicks one of the banner's buttons.
func (f Flow) click(t *testing.T, ctx context.Context, action string) {
	t.Helper()
	f.until(t, ctx, "the "+action+" button", "!!"+jsAction(action))
	mustRun(t, ctx, "click "+action, chromedp.Evaluate[bool](jsAction(action)+`.click() ?? true`), nil)
}

// until waits for a JavaScript condition in the page.
func (f Flow) until(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if err := Poll(ctx, expr, 15*time.Second); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// mustRun runs a typed action and stores its result in *res (if res is
// not nil).
func mustRun[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T], res *T) {
	t.Helper()
	got, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if res != nil {
		*res = got
	}
}

// categories returns the categories of svcs, sorted, once each.
func categories(svcs []BannerService) []string {
	var ids []string
	for _, s := range svcs {
		ids = append(ids, s.Category)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// quoted returns ids as a JavaScript list's items: 'a', 'b'.
func quoted(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(q, ", ")
}

// list writes requests one a line.
func list(reqs []Request) string {
	var b strings.Builder
	for _, r := range reqs {
		fmt.Fprintf(&b, "  %s (%s)\n", r, r.Service)
	}
	return b.String()
}
