package scan

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/charte"
)

//go:embed js/hook.js
var hookJS string

// bindingName is the binding js/hook.js reports cookie writes through.
const bindingName = "__charteScanCookie"

// Network idle: the network is idle when no request has started or ended
// for quietPeriod, not counting requests that have run for longer than
// longRequest (long polls, streams).
const (
	quietPeriod = 500 * time.Millisecond
	longRequest = 10 * time.Second
)

// tab is one browser tab, and what its DevTools events say of the visit in
// progress.
type tab struct {
	ctx    context.Context
	cancel context.CancelFunc
	v      *visitor

	mu       sync.Mutex
	inflight map[network.RequestID]time.Time
	urls     map[network.RequestID]string // during the current visit
	last     time.Time                    // last network activity
	cur      *visit
	kick     chan struct{}
}

// visit is one visit of a page by a tab: what events are credited to.
type visit struct {
	url   string
	phase string
	// hosts are the hosts of every request made during the visit.
	hosts map[string]bool
}

// openTab opens a tab in the visitor's browser (the browser's first tab
// when first is set) and starts following its events.
func (v *visitor) openTab(first bool) (*tab, error) {
	t := &tab{v: v, inflight: make(map[network.RequestID]time.Time), urls: make(map[network.RequestID]string), kick: make(chan struct{}, 1)}
	if first {
		t.ctx, t.cancel = v.browser.ctx, func() {}
	} else {
		t.ctx, t.cancel = chromedp.NewContext(v.browser.ctx)
		if err := chromedp.Do(t.ctx); err != nil {
			t.cancel()
			return nil, fmt.Errorf("open a tab: %w", err)
		}
	}
	if err := chromedp.Listen(t.ctx, t.handle); err != nil {
		t.cancel()
		return nil, fmt.Errorf("open a tab: %w", err)
	}
	if _, err := chromedp.Call(t.ctx, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName}); err != nil {
		t.cancel()
		return nil, fmt.Errorf("open a tab: %w", err)
	}
	if _, err := chromedp.Call(t.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookJS}); err != nil {
		t.cancel()
		return nil, fmt.Errorf("open a tab: %w", err)
	}
	return t, nil
}

// begin makes vis the visit that the tab's events are credited to.
func (t *tab) begin(vis *visit) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cur = vis
	t.last = time.Now()
	clear(t.inflight)
	clear(t.urls)
}

// handle is the tab's event listener. It runs in the tab's message loop:
// it only records, under the tab's lock, and never sends a command.
func (t *tab) handle(ev any) {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.Request == nil || e.Type == network.ResourceTypeEventSource || e.Type == network.ResourceTypeWebSocket {
			return
		}
		if _, ok := t.inflight[e.RequestID]; !ok || e.RedirectResponse == nil {
			t.inflight[e.RequestID] = now
		}
		t.urls[e.RequestID] = e.Request.URL
		if t.cur != nil {
			if h := hostOf(e.Request.URL); h != "" && strings.HasPrefix(e.Request.URL, "http") {
				t.cur.hosts[h] = true
			}
		}
	case *network.EventLoadingFinished:
		delete(t.inflight, e.RequestID)
	case *network.EventLoadingFailed:
		delete(t.inflight, e.RequestID)
	case *network.EventResponseReceivedExtraInfo:
		t.setCookieHeaders(e, now)
	case *runtime.EventBindingCalled:
		if e.Name == bindingName {
			t.scriptCookie(e.Payload, now)
		}
	default:
		return
	}
	t.last = now
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// setCookieHeaders records the cookies a response sets. t.mu is held.
func (t *tab) setCookieHeaders(e *network.EventResponseReceivedExtraInfo, now time.Time) {
	if t.cur == nil {
		return
	}
	var lines []string
	for k, v := range e.Headers {
		if s, ok := v.(string); ok && strings.EqualFold(k, "set-cookie") {
			lines = append(lines, strings.Split(s, "\n")...)
		}
	}
	if len(lines) == 0 {
		return
	}
	blocked := make(map[string]bool)
	for _, b := range e.BlockedCookies {
		if b != nil {
			blocked[b.CookieLine] = true
		}
	}
	u := t.urls[e.RequestID]
	if u == "" {
		u = t.cur.url
	}
	for _, l := range lines {
		if blocked[l] {
			continue
		}
		if sc, ok := parseSetCookie(l, hostOf(u), now); ok {
			t.v.rec.addEvent(setEvent{cookie: sc, setter: charte.Setter{Kind: charte.SetByResponse, URL: u}, visit: t.cur, at: now})
		}
	}
}

// scriptCookie records a cookie written by a script, as js/hook.js reports
// it. t.mu is held.
func (t *tab) scriptCookie(payload string, now time.Time) {
	if t.cur == nil {
		return
	}
	var p struct{ Cookie, Script, Frame string }
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		return // not from js/hook.js: a page can call the binding too
	}
	script := p.Script
	if script == "" {
		script = p.Frame
	}
	if sc, ok := parseSetCookie(p.Cookie, hostOf(p.Frame), now); ok {
		t.v.rec.addEvent(setEvent{cookie: sc, setter: charte.Setter{Kind: charte.SetByScript, URL: script}, visit: t.cur, at: now})
	}
}

// waitIdle waits until the tab's network is idle, or ctx ends.
func (t *tab) waitIdle(ctx context.Context) error {
	timer := time.NewTimer(quietPeriod)
	defer timer.Stop()
	for {
		t.mu.Lock()
		now := time.Now()
		quiet := now.Sub(t.last)
		busy := false
		for _, started := range t.inflight {
			if now.Sub(started) < longRequest {
				busy = true
				break
			}
		}
		t.mu.Unlock()
		if !busy && quiet >= quietPeriod {
			return nil
		}
		wait := quietPeriod - quiet
		if busy || wait <= 0 {
			wait = quietPeriod
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.kick:
		case <-timer.C:
		}
	}
}

// frameWorld is an isolated JavaScript world in one frame of a tab.
type frameWorld struct {
	url string
	id  runtime.ExecutionContextID
}

// worlds returns an isolated world in every frame of the tab's page, the
// main frame first. Frames that go away meanwhile are left out.
func (t *tab) worlds(ctx context.Context) ([]frameWorld, error) {
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, fmt.Errorf("read the page's frames: %w", err)
	}
	var out []frameWorld
	var walk func(*page.FrameTree)
	walk = func(ft *page.FrameTree) {
		if ft == nil || ft.Frame == nil {
			return
		}
		w, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: ft.Frame.ID, WorldName: "charte-scan"})
		if err == nil {
			out = append(out, frameWorld{url: ft.Frame.URL, id: w.ExecutionContextID})
		}
		for _, c := range ft.ChildFrames {
			walk(c)
		}
	}
	walk(tree.FrameTree)
	if len(out) == 0 {
		return nil, errors.New("read the page's frames: the page has none")
	}
	return out, nil
}

// eval evaluates expr in a world and decodes its JSON value into out.
func eval(ctx context.Context, w frameWorld, expr string, out any) error {
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ContextID: w.id, ReturnByValue: new(true)})
	if err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return fmt.Errorf("script failed in %s: %s", w.url, res.ExceptionDetails.Text)
	}
	if res.Result == nil || len(res.Result.Value) == 0 {
		return json.Unmarshal([]byte("null"), out)
	}
	return json.Unmarshal(res.Result.Value, out)
}
