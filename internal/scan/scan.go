package scan

import (
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/charte"
)

// Options configure a [Scan]. Only URL is required.
type Options struct {
	// URL is the page the crawl starts from.
	URL string
	// Charter is the charter the site is compared with. Without one, the
	// report lists what the visitors saw and has no violations.
	Charter *charte.Charter
	// Pages is the most pages the crawl visits (default 20).
	Pages int
	// PageTimeout is how long one page may take to load and for its
	// network to go idle (default 20s).
	PageTimeout time.Duration
	// ChoiceTimeout is how long a visitor looks for the consent banner's
	// control on the first page, once it has loaded (default 3s).
	ChoiceTimeout time.Duration
	// Browser is the browser to run: a path or a command name. Empty means
	// the first found by [FindBrowser].
	Browser string
	// Tabs is how many pages each visitor loads at once (default 2: on a
	// small machine, more tabs cost more to open than they save).
	Tabs int
	// Language is the browser's Accept-Language (default "fr-FR,fr,en"):
	// the banner a French visitor sees.
	Language string
	// IgnoreCertErrors makes the browser accept any TLS certificate, for
	// test and staging sites.
	IgnoreCertErrors bool
	// Progress, when set, is called after each page a visitor has read. It
	// is called from several goroutines, one at a time.
	Progress func(Progress)
	// Now is the scan's clock (default time.Now).
	Now func() time.Time
}

// Progress tells how far a scan has gone.
type Progress struct {
	// Visitor is the visitor that read a page; Pages how many pages it has
	// read so far, including the visit on which it made its choice.
	Visitor string
	Pages   int
	// URL is the page just read.
	URL string
}

// defaults fills in o's zero fields.
func (o *Options) defaults() {
	o.Pages = cmp.Or(o.Pages, 20)
	o.PageTimeout = cmp.Or(o.PageTimeout, 20*time.Second)
	o.ChoiceTimeout = cmp.Or(o.ChoiceTimeout, 3*time.Second)
	o.Tabs = cmp.Or(o.Tabs, 2)
	o.Language = cmp.Or(o.Language, "fr-FR,fr,en")
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Scan crawls the site at o.URL as three visitors — one who does nothing,
// one who refuses all cookies, one who accepts all — each in a fresh
// headless browser, and reports every cookie, storage key and third-party
// host they saw, classified by o.Charter and the knowledge base, with the
// violations of the charter.
//
// It returns an [charte.EINVALID] error for a bad URL or a start page that
// cannot be loaded, [ErrNoBrowser] when there is no browser to run, and
// other errors when the browser fails.
func Scan(ctx context.Context, o Options) (*charte.ScanReport, error) {
	o.defaults()
	start, ok := normalize(o.URL)
	if !ok {
		return nil, charte.Errorf(charte.EINVALID, "%q is not an http(s) URL: give the address of a page, as in https://www.example.org/", o.URL)
	}
	browser, err := FindBrowser(o.Browser)
	if err != nil {
		return nil, err
	}
	o.Browser = browser
	started := o.Now()
	obs, version, err := observe(ctx, &o, start)
	if err != nil {
		return nil, err
	}
	r := build(o.Charter, start, obs)
	r.Started = started.UTC()
	r.DurationMS = o.Now().Sub(started).Milliseconds()
	r.Browser = version
	return r, nil
}

// crawlResult hands the pages visitor none crawls to the two others, as
// it finds them, so that they revisit them while the crawl goes on.
type crawlResult struct {
	mu      sync.Mutex
	pages   []string
	done    bool
	err     error
	changed chan struct{} // closed, and replaced, at every change
}

func newCrawlResult() *crawlResult { return &crawlResult{changed: make(chan struct{})} }

// add publishes a page crawled.
func (c *crawlResult) add(page string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages = append(c.pages, page)
	close(c.changed)
	c.changed = make(chan struct{})
}

// finish says the crawl is over, with its error.
func (c *crawlResult) finish(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.done, c.err = true, err
	close(c.changed)
	c.changed = make(chan struct{})
}

// at returns the i-th page crawled, if it is known yet; end reports that
// no more pages will come; changed closes at the next change.
func (c *crawlResult) at(i int) (page string, ok, end bool, changed <-chan struct{}, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i < len(c.pages) {
		return c.pages[i], true, false, c.changed, nil
	}
	return "", false, c.done, c.changed, c.err
}

// observe runs the three visitors at once, each in its own browser context.
func observe(ctx context.Context, o *Options, start string) ([]*observation, string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	site := siteOf(hostOf(start))
	crawl := newCrawlResult()
	var progress sync.Mutex
	// One browser process; each visitor gets a browser context of its own
	// (its own cookies, storage and cache, like a fresh profile): starting
	// Chromium once instead of three times is most of a small scan's time.
	shared, err := launch(ctx, o)
	if err != nil {
		return nil, "", err
	}
	defer shared.close()
	ids := []string{charte.VisitorNone, charte.VisitorReject, charte.VisitorAccept}
	vs := make([]*visitor, len(ids))
	errs := make([]error, len(ids))
	versions := make([]string, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		vs[i] = &visitor{id: id, o: o, start: start, site: site, rec: newRecorder(id, site), progress: &progress, shared: shared}
		wg.Go(func() {
			versions[i], errs[i] = vs[i].run(ctx, crawl)
			if errs[i] != nil {
				cancel() // the report would be incomplete: stop the others
			}
		})
	}
	wg.Wait()
	// The first visitor's error is the cause; the others' are often only
	// the cancellation it caused.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, "", err
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, "", err
	}
	obs := make([]*observation, len(vs))
	for i, v := range vs {
		obs[i] = v.rec.observation()
		obs[i].choice = v.choice
	}
	return obs, versions[0], nil
}

// visitor is one of the scan's three visitors.
type visitor struct {
	id       string
	o        *Options
	start    string
	site     string
	rec      *recorder
	b        *instance
	shared   *instance // the browser process the visitor opens its context in
	choice   *charte.Choice
	pages    int
	progress *sync.Mutex

	// tabs are the visitor's o.Tabs tabs: the first is open from the
	// start; the others open in the background, and ready closes once
	// they are (tabsErr says if they could not).
	tabs    []*tab
	ready   chan struct{}
	tabsErr error
}

// run runs the visitor to the end and returns its browser's version.
// Visitor none crawls and hands its pages to the others through crawl.
func (v *visitor) run(ctx context.Context, crawl *crawlResult) (version string, err error) {
	if v.id == charte.VisitorNone {
		defer func() { crawl.finish(err) }()
	}
	v.b, err = v.shared.newContext()
	if err != nil {
		return "", err
	}
	defer v.b.close()
	t, err := v.openTab(true)
	if err != nil {
		return "", err
	}
	v.tabs = make([]*tab, v.o.Tabs)
	v.tabs[0] = t
	v.ready = make(chan struct{})
	go v.openTabs()
	defer func() {
		<-v.ready // do not close the browser under a tab being opened
	}()

	if v.id == charte.VisitorNone {
		err := v.crawl(ctx, crawl)
		crawl.finish(err) // now: the others need not wait for the browser to close
		return v.b.version, err
	}

	// Visitors reject and accept: the first page, before any choice; the
	// choice; then the crawled pages again, as the crawl finds them.
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
	return v.b.version, v.revisit(ctx, crawl, phase)
}

// openTabs opens the visitor's other tabs, all at once.
func (v *visitor) openTabs() {
	defer close(v.ready)
	var wg sync.WaitGroup
	errs := make([]error, len(v.tabs))
	for i := 1; i < len(v.tabs); i++ {
		wg.Go(func() { v.tabs[i], errs[i] = v.openTab(false) })
	}
	wg.Wait()
	v.tabsErr = errors.Join(errs...)
}

// tab returns the tab that visits the i-th page: page i always goes to tab
// i % o.Tabs, so that what a tab keeps of its earlier pages (its
// sessionStorage) does not depend on which tab finished first.
func (v *visitor) tab(ctx context.Context, i int) (*tab, error) {
	k := i % len(v.tabs)
	if k == 0 {
		return v.tabs[0], nil
	}
	select {
	case <-v.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if v.tabsErr != nil {
		return nil, v.tabsErr
	}
	return v.tabs[k], nil
}

// indexed is the result of the visit of the i-th page of a series.
type indexed struct {
	i int
	r visitResult
}

// window visits pages in parallel, page i in tab i % o.Tabs, and hands
// their results to done in the pages' order. next returns the i-th page
// to visit, if it is known yet (ok), whether none will come (end), and a
// channel that closes when that may change; started is how many pages are
// being visited, or were and wait for an earlier one to be handed to done
// (pages that turned out not to be HTML left out).
func (v *visitor) window(ctx context.Context, phase string, links bool,
	next func(i int, started int) (u string, ok, end bool, changed <-chan struct{}, err error),
	done func(i int, r visitResult) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan indexed, len(v.tabs))
	busy := make([]bool, len(v.tabs))
	pending := make(map[int]visitResult)
	dispatched, processed, inflight := 0, 0, 0
	defer func() {
		cancel() // first: the visits still running end with ctx
		for ; inflight > 0; inflight-- {
			<-results
		}
	}()
	for {
		var changed <-chan struct{}
		end := false
		for !busy[dispatched%len(v.tabs)] {
			waiting := 0 // pages visited, waiting for an earlier one
			for _, r := range pending {
				if !r.skip {
					waiting++
				}
			}
			u, ok, e, ch, err := next(dispatched, inflight+waiting)
			if err != nil {
				return err
			}
			changed, end = ch, e
			if !ok {
				break
			}
			t, err := v.tab(ctx, dispatched)
			if err != nil {
				return err
			}
			busy[dispatched%len(v.tabs)] = true
			inflight++
			i := dispatched
			go func() { results <- indexed{i, v.visit(ctx, t, u, phase, links)} }()
			dispatched++
		}
		if inflight == 0 && (end || changed == nil) {
			return nil
		}
		select {
		case r := <-results:
			inflight--
			busy[r.i%len(v.tabs)] = false
			if r.r.err != nil {
				return r.r.err
			}
			pending[r.i] = r.r
			for {
				r, ok := pending[processed]
				if !ok {
					break
				}
				delete(pending, processed)
				if err := done(processed, r); err != nil {
					return err
				}
				processed++
			}
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// crawl visits the site breadth-first from the start page, up to o.Pages
// HTML pages, o.Tabs at a time, and publishes them in crawl as it goes.
func (v *visitor) crawl(ctx context.Context, crawl *crawlResult) error {
	queue := []string{v.start}
	seen := map[string]bool{v.start: true}
	accepted := make(map[string]bool)
	pages := 0
	return v.window(ctx, charte.PhaseBeforeChoice, true,
		func(i, started int) (string, bool, bool, <-chan struct{}, error) {
			// Never visit more than o.Pages HTML pages: a page that
			// turns out not to be HTML frees its place.
			if i >= len(queue) || pages+started >= v.o.Pages {
				return "", false, true, nil, nil
			}
			return queue[i], true, false, nil, nil
		},
		func(i int, r visitResult) error {
			if r.skip || pages >= v.o.Pages {
				return nil
			}
			if accepted[r.pv.URL] || r.final != "" && accepted[r.final] {
				return nil // a redirect to a page already visited
			}
			accepted[r.pv.URL] = true
			if r.final != "" {
				accepted[r.final], seen[r.final] = true, true
			}
			pages++
			v.rec.addPage(r.pv)
			crawl.add(r.pv.URL)
			for _, l := range r.links {
				u, ok := normalize(l)
				if ok && !seen[u] && crawlable(v.site, u) {
					seen[u] = true
					queue = append(queue, u)
				}
			}
			return nil
		})
}

// revisit visits the pages crawled by visitor none again, as it finds them.
func (v *visitor) revisit(ctx context.Context, crawl *crawlResult, phase string) error {
	return v.window(ctx, phase, false,
		func(i, _ int) (string, bool, bool, <-chan struct{}, error) {
			return crawl.at(i)
		},
		func(_ int, r visitResult) error {
			v.rec.addPage(r.pv)
			return nil
		})
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
	v.report(u)
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

// report counts a page read and tells o.Progress.
func (v *visitor) report(u string) {
	v.progress.Lock()
	defer v.progress.Unlock()
	v.pages++
	if v.o.Progress != nil {
		v.o.Progress(Progress{Visitor: v.id, Pages: v.pages, URL: u})
	}
}

//go:embed js/controls.js
var controlsJS string

// control is what js/controls.js answers.
type control struct {
	Rank     int    `json:"rank"`
	By       string `json:"by"`
	Selector string `json:"selector"`
	Text     string `json:"text"`
}

// choose looks for the visitor's consent control (reject or accept) in
// every frame of the page, for up to o.ChoiceTimeout, and clicks it. When
// it clicks, it returns the visit of the page after the click.
func (v *visitor) choose(ctx context.Context, t *tab) (*charte.Choice, charte.PageVisit, error) {
	choice := &charte.Choice{Page: v.start}
	deadline := time.Now().Add(v.o.ChoiceTimeout)
	for {
		cctx, cancel := context.WithTimeout(t.ctx, v.o.PageTimeout)
		w, main, c, err := v.find(cctx, t)
		cancel()
		if ctx.Err() != nil {
			return nil, charte.PageVisit{}, ctx.Err()
		}
		if err == nil && c != nil {
			choice.Found, choice.By, choice.Selector, choice.Text = true, c.By, c.Selector, c.Text
			if !main {
				choice.Frame = w.url
			}
			pv, err := v.click(ctx, t, w)
			return choice, pv, err
		}
		if time.Now().After(deadline) {
			return choice, charte.PageVisit{}, nil
		}
		select {
		case <-ctx.Done():
			return nil, charte.PageVisit{}, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// find returns the frame world holding the best consent control, whether
// it is the page's main frame, and the control; c is nil when there is
// none. Between equal controls, the main frame's, then the first frame's,
// win.
func (v *visitor) find(ctx context.Context, t *tab) (best frameWorld, main bool, c *control, err error) {
	worlds, err := t.worlds(ctx)
	if err != nil {
		return frameWorld{}, false, nil, err
	}
	expr := fmt.Sprintf("(%s)(%q, false)", controlsJS, v.id)
	for i, w := range worlds {
		var got *control
		if err := eval(ctx, w, expr, &got); err != nil || got == nil {
			continue
		}
		if c == nil || got.Rank < c.Rank {
			best, main, c = w, i == 0, got
		}
	}
	return best, main, c, nil
}

// click clicks the consent control in w and records the page after it.
func (v *visitor) click(ctx context.Context, t *tab, w frameWorld) (charte.PageVisit, error) {
	vis := &visit{url: v.start, phase: charte.PhaseAfterChoice, hosts: make(map[string]bool)}
	t.begin(vis)
	defer t.begin(nil)
	pctx, cancel := context.WithTimeout(t.ctx, v.o.PageTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	var ignored json.RawMessage
	// The click can navigate and destroy the world before it answers:
	// its error says nothing about the click.
	_ = eval(pctx, w, fmt.Sprintf("(%s)(%q, true)", controlsJS, v.id), &ignored)
	var note string
	if err := t.waitIdle(pctx); err != nil {
		if ctx.Err() != nil {
			return charte.PageVisit{}, ctx.Err()
		}
		note = fmt.Sprintf("the network was still busy %s after the click: the page was read as it was", v.o.PageTimeout)
	}
	pv, _, err := v.read(ctx, t, vis, false)
	if err != nil {
		return charte.PageVisit{}, err
	}
	pv.Error = note
	v.report(v.start)
	return pv, nil
}
