package scan

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/charte"
)

// visitor is one of the scan's three visitors: none, reject or accept.
type visitor struct {
	id       string
	o        *Options
	start    string // the page the crawl starts from, normalised
	site     string // the registrable domain of start: what is first party
	rec      *recorder
	progress *progress
	browser  *instance // the visitor's own browser context
	tabs     *tabs

	// choice is what the visitor did with the banner (reject and accept).
	choice *charte.Choice
}

// run runs the visitor to the end, in a browser context of its own in
// shared, and returns its browser's version. Visitor none crawls and hands
// its pages on to the others through pages; they revisit them.
func (v *visitor) run(ctx context.Context, shared *instance, pages *feed) (version string, err error) {
	if v.id == charte.VisitorNone {
		defer func() { pages.close(err) }()
	}
	v.browser, err = shared.newContext()
	if err != nil {
		return "", err
	}
	defer v.browser.close()
	v.tabs, err = v.openTabs()
	if err != nil {
		return "", err
	}
	defer v.tabs.wait() // do not close the browser under a tab being opened

	if v.id == charte.VisitorNone {
		err := v.crawl(ctx, pages)
		pages.close(err) // now: the others need not wait for the browser to close
		return v.browser.version, err
	}

	// Visitors reject and accept: the first page, before any choice; the
	// choice; then the crawled pages again, as the crawl finds them.
	t := v.tabs.first()
	res := v.visit(ctx, t, v.start, charte.PhaseBeforeChoice, false)
	if res.err != nil {
		return "", res.err
	}
	v.rec.addPage(res.pv)
	phase := charte.PhaseBeforeChoice
	choice, pv, err := v.choose(ctx, t)
	if err != nil {
		return "", err
	}
	v.choice = choice
	if choice.Found {
		phase = charte.PhaseAfterChoice
		v.rec.addPage(pv)
	}
	return v.browser.version, v.revisit(ctx, pages, phase)
}

// tabs are a visitor's o.Tabs tabs. The first is open from the start; the
// others open in the background while the first visits its first page.
type tabs struct {
	all   []*tab
	ready chan struct{} // closed once the others are open, or failed to
	err   error         // why they could not open; read once ready
}

// openTabs opens the visitor's first tab and starts opening the others.
func (v *visitor) openTabs() (*tabs, error) {
	first, err := v.openTab(true)
	if err != nil {
		return nil, err
	}
	ts := &tabs{all: make([]*tab, v.o.Tabs), ready: make(chan struct{})}
	ts.all[0] = first
	go func() {
		defer close(ts.ready)
		var wg sync.WaitGroup
		errs := make([]error, len(ts.all))
		for i := 1; i < len(ts.all); i++ {
			wg.Go(func() { ts.all[i], errs[i] = v.openTab(false) })
		}
		wg.Wait()
		ts.err = errors.Join(errs...)
	}()
	return ts, nil
}

// first returns the first tab, which is always open.
func (ts *tabs) first() *tab { return ts.all[0] }

// get returns the tab that visits the i-th page: page i always goes to tab
// i % o.Tabs, so that what a tab keeps of its earlier pages (its
// sessionStorage) does not depend on which tab finished first.
func (ts *tabs) get(ctx context.Context, i int) (*tab, error) {
	k := i % len(ts.all)
	if k == 0 {
		return ts.all[0], nil
	}
	select {
	case <-ts.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if ts.err != nil {
		return nil, ts.err
	}
	return ts.all[k], nil
}

// wait waits until the tabs opening in the background are open, or failed
// to.
func (ts *tabs) wait() { <-ts.ready }

// progress counts the pages each visitor has read and tells
// [Options.Progress], one page at a time.
type progress struct {
	mu    sync.Mutex
	fn    func(Progress)
	pages map[string]int // by visitor
}

func newProgress(fn func(Progress)) *progress {
	return &progress{fn: fn, pages: make(map[string]int)}
}

// page counts a page read by a visitor.
func (p *progress) page(visitor, u string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages[visitor]++
	if p.fn != nil {
		p.fn(Progress{Visitor: visitor, Pages: p.pages[visitor], URL: u})
	}
}

// visitResult is the outcome of one visit.
type visitResult struct {
	pv    charte.PageVisit
	links []string
	// final is the page's URL after redirects, normalised.
	final string
	// skip is set for a page that is not HTML.
	skip bool
	// err is set when the visit makes the scan fail: the start page does
	// not load, or the browser is gone.
	err error
}

// visit loads one page in a tab, waits for its network to go idle, and
// records what the visitor's browser then holds.
func (v *visitor) visit(ctx context.Context, t *tab, u, phase string, links bool) visitResult {
	vis := &visit{url: u, phase: phase, hosts: make(map[string]bool)}
	t.begin(vis)
	defer t.begin(nil)
	pctx, cancel := context.WithTimeout(t.ctx, v.o.PageTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()

	resp, err := chromedp.Run(pctx, chromedp.NavigateResponse(u))
	var loadErr *chromedp.LoadError
	if errors.As(err, &loadErr) && loadErr.ErrorText == "net::ERR_ABORTED" && u != v.start {
		return visitResult{skip: true} // a download, or a file the browser does not display
	}
	if err != nil {
		if ctx.Err() != nil {
			return visitResult{err: ctx.Err()}
		}
		msg := err.Error()
		if errors.Is(err, context.DeadlineExceeded) {
			msg = fmt.Sprintf("the page did not load in %s", v.o.PageTimeout)
		}
		if u == v.start {
			return visitResult{err: charte.Errorf(charte.EINVALID, "cannot load %s: %s", u, msg)}
		}
		return visitResult{pv: charte.PageVisit{URL: u, Phase: phase, Error: msg, Cookies: []charte.PageCookie{}, LocalStorage: []string{}, SessionStorage: []string{}, ThirdPartyHosts: []string{}}}
	}
	if resp == nil || !isHTML(resp.MimeType) {
		if u == v.start {
			mime := ""
			if resp != nil {
				mime = resp.MimeType
			}
			return visitResult{err: charte.Errorf(charte.EINVALID, "%s is not an HTML page (%s): give the address of a page of the site", u, mime)}
		}
		return visitResult{skip: true}
	}
	res := visitResult{}
	res.final, _ = normalize(resp.URL)
	if u != v.start && res.final != "" && !crawlable(v.site, res.final) {
		return visitResult{skip: true} // redirected to another site
	}
	var note string
	if err := t.waitIdle(pctx); err != nil {
		if ctx.Err() != nil {
			return visitResult{err: ctx.Err()}
		}
		note = fmt.Sprintf("the network was still busy after %s: the page was read as it was", v.o.PageTimeout)
	}
	res.pv, res.links, err = v.read(ctx, t, vis, links)
	if err != nil {
		return visitResult{err: err}
	}
	res.pv.Status = int(resp.Status)
	res.pv.Error = note
	v.progress.page(v.id, u)
	return res
}

//go:embed js/page.js
var pageJS string

// read reads the page's frames and the browser's cookies after a visit.
func (v *visitor) read(ctx context.Context, t *tab, vis *visit, links bool) (charte.PageVisit, []string, error) {
	rctx, cancel := context.WithTimeout(t.ctx, v.o.PageTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	worlds, err := t.worlds(rctx)
	if err != nil && ctx.Err() != nil {
		return charte.PageVisit{}, nil, ctx.Err()
	}
	var frames []frameData
	var found []string
	for i, w := range worlds {
		var f frameData
		wantLinks := links && i == 0
		if err := eval(rctx, w, fmt.Sprintf("(%s)(%t)", pageJS, wantLinks), &f); err != nil {
			continue // a frame that navigated away meanwhile
		}
		frames = append(frames, f)
		if wantLinks {
			found = f.Links
		}
	}
	at := v.o.Now()
	res, err := chromedp.CallBrowser(rctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(rctx).BrowserContextID})
	if err == nil {
		// The tab handles its events before the answer to a command that
		// follows them: after this one, every event that set a cookie now
		// in the jar has been credited to its visit.
		_, err = chromedp.Call(rctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "0"})
	}
	if err != nil {
		if ctx.Err() != nil {
			return charte.PageVisit{}, nil, ctx.Err()
		}
		return charte.PageVisit{}, nil, fmt.Errorf("read the browser's cookies: %w", err)
	}
	// The tab may still be making requests for the page: copy their hosts
	// under its lock.
	t.mu.Lock()
	hosts := slices.Collect(maps.Keys(vis.hosts))
	t.mu.Unlock()
	return v.rec.record(vis, res.Cookies, frames, hosts, at), found, nil
}
