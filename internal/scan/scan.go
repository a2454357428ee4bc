package scan

import (
	"cmp"
	"context"
	"errors"
	"sync"
	"time"

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

// observe runs the three visitors at once, each in its own browser context.
func observe(ctx context.Context, o *Options, start string) ([]*observation, string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	site := siteOf(hostOf(start))
	pages := newFeed()
	progress := newProgress(o.Progress)
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
		vs[i] = &visitor{id: id, o: o, start: start, site: site, rec: newRecorder(id, site), progress: progress}
		wg.Go(func() {
			versions[i], errs[i] = vs[i].run(ctx, shared, pages)
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
