package proxy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charte"
)

// Defaults of [Options].
const (
	// DefaultMaxInject is how much of an HTML page, decoded, the proxy reads
	// at most while looking for where the banner goes; a page with neither
	// </head> nor <body> in that much passes through unmodified. Real pages
	// close their head within a few kilobytes.
	DefaultMaxInject = 64 << 10
	// DefaultMaxBuffered is how much all the pages being looked into may
	// hold together.
	DefaultMaxBuffered = 32 << 20
	// DefaultMaxInflation is the ratio of decoded to compressed bytes past
	// which a page is taken for a decompression bomb. HTML compresses 3 to
	// 15 times, very repetitive markup some 40 times; a gzip of zeros 1,000
	// times, a brotli of them far more.
	DefaultMaxInflation = 100
	// DefaultUpstreamTimeout is how long the upstream has to send its
	// response headers.
	DefaultUpstreamTimeout = 30 * time.Second
	// DefaultUpstreamIdleTimeout is how long a response body may send
	// nothing before the proxy gives up on it.
	DefaultUpstreamIdleTimeout = 60 * time.Second
)

// Options configure a [Proxy]; cmd/charte builds them.
type Options struct {
	// Upstream is the application's base URL, http or https. A path in it
	// is a base path: /x is forwarded to Upstream's path + /x.
	Upstream *url.URL
	// UpstreamHost is the Host header the application gets. Empty means
	// the visitor's, as Caddy and Traefik do: applications build their
	// links and canonical redirects from it (WordPress ignores
	// X-Forwarded-Host).
	UpstreamHost string
	// Prefix is the path charte's own routes are served under, such as
	// /_charte: requests for it and below it go to Charte.
	Prefix string
	// Charte serves the requests under Prefix: charte's web server with
	// that base path.
	Charte http.Handler
	// Enforcer returns the enforcer of the current charter, which cmd/charte
	// swaps on reload; it is called once per upstream response and must not
	// return nil.
	Enforcer func() *consent.Enforcer
	// BannerPath is the path of the banner script injected into HTML pages,
	// such as /_charte/charte.js.
	BannerPath string
	// TrustProxy keeps the X-Forwarded-For chain, X-Forwarded-Host and
	// X-Forwarded-Proto the client sent (charte proxy is itself behind a
	// proxy that sets them); otherwise they are replaced by what charte sees.
	TrustProxy bool
	// MaxInject caps the decoded HTML read to find where the banner goes,
	// and the compressed bytes kept meanwhile; 0 means [DefaultMaxInject].
	MaxInject int
	// MaxBuffered caps what all pages being looked into hold together;
	// past it, pages pass through untouched. 0 means [DefaultMaxBuffered].
	MaxBuffered int64
	// MaxInflation is the decoded-to-compressed ratio past which a page
	// passes through untouched; 0 means [DefaultMaxInflation].
	MaxInflation int
	// UpstreamTimeout bounds the wait for the upstream's response headers
	// (then 504); 0 means [DefaultUpstreamTimeout], negative none.
	UpstreamTimeout time.Duration
	// UpstreamIdleTimeout bounds how long a response body may send nothing
	// (then the response is cut short); 0 means
	// [DefaultUpstreamIdleTimeout], negative none. Streams that keep
	// sending (server-sent events, downloads) last as long as they do.
	UpstreamIdleTimeout time.Duration
	// Catalog recognises the services whose scripts, frames and pixels the
	// proxy blocks in HTML pages until the visitor grants their category:
	// a <script src>, <iframe src> or <img src> on one of a service's
	// hosts, or an inline script that loads one, goes out in its blocked
	// form (type="text/plain" or data-src, with data-category and
	// data-charte-service), which the banner releases. Nil blocks nothing.
	Catalog charte.ServiceCatalog
	// Services returns the services the current charter names, by id, with
	// the category each is blocked under; a service it does not name is
	// blocked under its catalogue category, and logged once. It is called
	// once per page; nil means the charter names none.
	Services func() map[string]string
	// Transport reaches the upstream; nil means [NewTransport]'s.
	Transport http.RoundTripper
	// Logger receives upstream errors and warnings; nil discards them.
	Logger *slog.Logger
}

// Proxy is an [http.Handler] serving charte under a prefix and proxying
// the rest to the upstream application. Create it with [New].
type Proxy struct {
	prefix     string
	charte     http.Handler
	enforcer   func() *consent.Enforcer
	rp         *httputil.ReverseProxy
	transport  http.RoundTripper
	logger     *slog.Logger
	bannerPath string
	// tag is the script tag injected when the page's CSP asks no nonce.
	tag          []byte
	maxInject    int
	maxInflation int
	budget       *budget
	trustProxy   bool
	upstreamHost string
	// upstreamOrigin and upstreamPath are the upstream's scheme://host,
	// lower-case, and base path, for Location headers that name it;
	// upstreamHostname is its host name alone.
	upstreamOrigin, upstreamPath, upstreamHostname string

	catalog  charte.ServiceCatalog
	loaders  []tagLoader // the catalogue's tag URLs
	services func() map[string]string
	// blocked counts, by service id, the elements blocked (a
	// *atomic.Uint64 each); blockUnchecked the tags too long to check;
	// unnamed the services blocked that the charter does not name (logged
	// once each).
	blocked        sync.Map
	blockUnchecked atomic.Uint64
	unnamed        sync.Map

	injected       atomic.Uint64
	upstreamErrors atomic.Uint64
	idleTimeouts   atomic.Uint64
	consentDropped atomic.Uint64
	untouched      [untouchedReasons]atomic.Uint64
	cspWarned      atomic.Bool
	warned         sync.Map // key → *atomic.Int64, the last warning's time
	// redirectHosts are the foreign hosts redirects were logged for.
	redirectMu    sync.Mutex
	redirectHosts map[string]bool
}

// New returns a proxy for opts. It fails on an upstream that is not an
// absolute http(s) URL, a prefix that is not a path below /, or a missing
// handler, enforcer or banner path.
func New(opts Options) (*Proxy, error) {
	u := opts.Upstream
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("proxy: upstream must be an absolute http or https URL")
	}
	prefix := strings.TrimRight(opts.Prefix, "/")
	if !strings.HasPrefix(prefix, "/") || strings.ContainsAny(prefix, "?#") {
		return nil, fmt.Errorf("proxy: prefix %q must be a path below /, such as /_charte", opts.Prefix)
	}
	if opts.Charte == nil || opts.Enforcer == nil || opts.Enforcer() == nil {
		return nil, fmt.Errorf("proxy: a charte handler and an enforcer are required")
	}
	if opts.BannerPath == "" {
		return nil, fmt.Errorf("proxy: a banner path is required")
	}
	p := &Proxy{
		prefix:           prefix,
		charte:           opts.Charte,
		enforcer:         opts.Enforcer,
		transport:        opts.Transport,
		logger:           opts.Logger,
		bannerPath:       opts.BannerPath,
		tag:              scriptTag(opts.BannerPath, ""),
		maxInject:        cmp.Or(max(opts.MaxInject, 0), DefaultMaxInject),
		maxInflation:     cmp.Or(max(opts.MaxInflation, 0), DefaultMaxInflation),
		budget:           newBudget(cmp.Or(max(opts.MaxBuffered, 0), DefaultMaxBuffered)),
		trustProxy:       opts.TrustProxy,
		upstreamHost:     opts.UpstreamHost,
		upstreamOrigin:   strings.ToLower(u.Scheme + "://" + u.Host),
		upstreamPath:     strings.TrimRight(u.EscapedPath(), "/"),
		upstreamHostname: strings.ToLower(u.Hostname()),
		redirectHosts:    map[string]bool{},
		catalog:          opts.Catalog,
		services:         opts.Services,
	}
	if p.logger == nil {
		p.logger = slog.New(slog.DiscardHandler)
	}
	if p.catalog != nil {
		p.loaders = tagLoaders(p.catalog)
	}
	if p.transport == nil {
		p.transport = NewTransport()
	}
	target := *u
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			p.rewrite(pr, &target)
		},
		Transport: &timeoutTransport{
			next:   p.transport,
			header: orDefault(opts.UpstreamTimeout, DefaultUpstreamTimeout),
			idle:   orDefault(opts.UpstreamIdleTimeout, DefaultUpstreamIdleTimeout),
			idled:  &p.idleTimeouts,
		},
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.errorHandler,
		ErrorLog:       slog.NewLogLogger(p.logger.Handler(), slog.LevelWarn),
		BufferPool:     bufferPool{},
		// FlushInterval stays 0: ReverseProxy flushes every write of a
		// response of unknown length (chunked, streaming) and of
		// text/event-stream by itself, and writes the others through its
		// 32 KiB buffer; nothing is held back.
	}
	return p, nil
}

// NewTransport returns the transport a [Proxy] uses by default: HTTP/1.1
// keep-alive with many idle connections to the one upstream, bounded
// connection set-up, and no transparent decompression (the proxy decodes
// only the HTML it injects into).
func NewTransport() *http.Transport {
	return &http.Transport{
		// Not ProxyFromEnvironment: the upstream is the application next
		// door, not something to reach through an outgoing proxy.
		Proxy: nil,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		// No ResponseHeaderTimeout: the proxy bounds the wait itself
		// (Options.UpstreamTimeout), whatever the transport.
		DisableCompression: true,
		WriteBufferSize:    32 << 10,
		ReadBufferSize:     32 << 10,
	}
}

// Stats are counters of what a proxy did since it started.
type Stats struct {
	// Injected counts HTML pages the banner was injected into.
	Injected uint64
	// UpstreamErrors counts requests answered 502 or 504 because the
	// upstream did not answer.
	UpstreamErrors uint64
	// IdleTimeouts counts responses cut short because the upstream sent
	// nothing for longer than the idle timeout.
	IdleTimeouts uint64
	// ConsentCookiesDropped counts Set-Cookie headers of the consent
	// cookie the application sent, which the proxy dropped.
	ConsentCookiesDropped uint64
	// UntouchedNoMarker, UntouchedBudget and UntouchedInflation count
	// HTML pages passed through untouched because they showed neither
	// </head> nor <body> within the look-ahead, because the shared
	// look-ahead budget was spent, or because they inflated more than the
	// allowed ratio.
	UntouchedNoMarker, UntouchedBudget, UntouchedInflation uint64
	// Blocked counts, by service id, the scripts, frames and pixels of
	// known services written in their blocked forms; nil while none was.
	Blocked map[string]uint64
	// BlockUnchecked counts tags and inline scripts longer than the
	// look-ahead, which went out unchecked for services to block.
	BlockUnchecked uint64
}

// Stats returns the proxy's counters.
func (p *Proxy) Stats() Stats {
	return Stats{
		Injected:              p.injected.Load(),
		UpstreamErrors:        p.upstreamErrors.Load(),
		IdleTimeouts:          p.idleTimeouts.Load(),
		ConsentCookiesDropped: p.consentDropped.Load(),
		UntouchedNoMarker:     p.untouched[untouchedNoMarker].Load(),
		UntouchedBudget:       p.untouched[untouchedBudget].Load(),
		UntouchedInflation:    p.untouched[untouchedInflation].Load(),
		Blocked:               p.blockedCounts(),
		BlockUnchecked:        p.blockUnchecked.Load(),
	}
}

// blockedCounts returns the count of blocked elements of each service; nil
// while none was.
func (p *Proxy) blockedCounts() map[string]uint64 {
	var m map[string]uint64
	p.blocked.Range(func(k, v any) bool {
		if m == nil {
			m = map[string]uint64{}
		}
		m[k.(string)] = v.(*atomic.Uint64).Load()
		return true
	})
	return m
}

// blockRules returns what the page asked for by r is blocked with: the
// catalogue and the current charter's services. Each element blocked is
// counted; a service the charter does not name is logged the first time.
func (p *Proxy) blockRules(r *http.Request) *blockRules {
	var declared map[string]string
	if p.services != nil {
		declared = p.services()
	}
	return &blockRules{
		catalog:  p.catalog,
		loaders:  p.loaders,
		declared: declared,
		blocked: func(def *charte.ServiceDef, named bool) {
			v, ok := p.blocked.Load(def.ID)
			if !ok {
				v, _ = p.blocked.LoadOrStore(def.ID, new(atomic.Uint64))
			}
			v.(*atomic.Uint64).Add(1)
			if !named {
				if _, seen := p.unnamed.LoadOrStore(def.ID, true); !seen {
					p.logger.WarnContext(r.Context(), "proxy: blocked a service the charter does not name, under its catalogue category; name it under services: to declare its cookies (logged once per service)", "service", def.ID, "category", def.Category, "path", r.URL.Path)
				}
			}
		},
	}
}

// orDefault is d for 0, nothing for a negative duration, else v.
func orDefault(v, d time.Duration) time.Duration {
	switch {
	case v == 0:
		return d
	case v < 0:
		return 0
	}
	return v
}

// warnLimited logs a warning at most once a minute per key: a hostile or
// broken application must not flood the log, one line per request.
func (p *Proxy) warnLimited(r *http.Request, key, msg string, args ...any) {
	v, _ := p.warned.LoadOrStore(key, new(atomic.Int64))
	last := v.(*atomic.Int64)
	now := time.Now().UnixNano()
	if prev := last.Load(); prev != 0 && now-prev < int64(time.Minute) || !last.CompareAndSwap(prev, now) {
		return
	}
	p.logger.WarnContext(r.Context(), msg, args...)
}

// CloseIdleConnections closes the idle connections to the upstream, at
// shutdown.
func (p *Proxy) CloseIdleConnections() {
	if t, ok := p.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// ServeHTTP serves charte's routes under the prefix and proxies every other
// request to the upstream.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if path := r.URL.Path; strings.HasPrefix(path, p.prefix) && (len(path) == len(p.prefix) || path[len(p.prefix)] == '/') {
		p.charte.ServeHTTP(w, r)
		return
	}
	p.rp.ServeHTTP(w, r)
}

// rewrite builds the upstream request: the upstream's URL, the visitor's
// Host (or Options.UpstreamHost), X-Forwarded-For/-Host/-Proto, and only
// the content codings the proxy can inject the banner through.
func (p *Proxy) rewrite(pr *httputil.ProxyRequest, target *url.URL) {
	if p.trustProxy {
		// ReverseProxy removed them from Out; SetXForwarded appends the
		// client's address to the chain it finds there.
		if v, ok := pr.In.Header["X-Forwarded-For"]; ok {
			pr.Out.Header["X-Forwarded-For"] = v
		}
	}
	pr.SetURL(target)
	pr.Out.Host = cmp.Or(p.upstreamHost, pr.In.Host)
	pr.SetXForwarded()
	if p.trustProxy {
		for _, k := range []string{"X-Forwarded-Host", "X-Forwarded-Proto"} {
			if v := pr.In.Header.Get(k); v != "" {
				pr.Out.Header.Set(k, v)
			}
		}
	}
	if ae, ok := pr.Out.Header["Accept-Encoding"]; ok {
		if v := acceptEncoding(ae); v != "" {
			pr.Out.Header.Set("Accept-Encoding", v)
		} else {
			pr.Out.Header.Del("Accept-Encoding")
		}
	}
}

// acceptEncoding keeps, of an Accept-Encoding header's codings, those the
// proxy can decode to inject the banner (gzip, br, identity), so that an
// HTML page never comes back in a coding it would have to pass through
// without the banner. Others (zstd, deflate, *) are dropped.
func acceptEncoding(values []string) string {
	var b strings.Builder
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, _, _ := strings.Cut(part, ";")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "gzip", "x-gzip", "br", "identity":
				if b.Len() > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strings.TrimSpace(part))
			}
		}
	}
	return b.String()
}

// modifyResponse enforces the charter on every upstream response, points
// Location headers naming the upstream back at the proxy, and injects the
// banner into HTML pages.
func (p *Proxy) modifyResponse(resp *http.Response) error {
	req := resp.Request
	p.enforce(req, resp.Header)
	if loc := resp.Header.Get("Location"); loc != "" {
		if rel, ok := p.relativeLocation(loc); ok {
			resp.Header.Set("Location", rel)
		} else if resp.StatusCode/100 == 3 {
			p.checkRedirect(req, loc)
		}
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		keepWeakETag(resp)
		return nil
	case !isPage(resp) || resp.ContentLength == 0:
		return nil
	case req.Method == http.MethodHead:
		// The GET's body would differ: same validators, unknown length.
		resp.Header.Del("Content-Length")
		markChanged(resp.Header)
		return nil
	}
	enc, ok := pageEncoding(resp.Header)
	if !ok {
		p.logger.WarnContext(req.Context(), "proxy: HTML in an encoding charte cannot decode, banner not injected", "path", req.URL.Path, "content_encoding", resp.Header.Get("Content-Encoding"))
		return nil
	}
	return p.inject(resp, enc)
}

// relativeLocation returns loc as a path on the proxy when it is an
// absolute URL under the upstream's base URL (an application that builds
// redirects from its own host name, which the proxy sent it), as nginx's
// proxy_redirect default does.
func (p *Proxy) relativeLocation(loc string) (string, bool) {
	o := p.upstreamOrigin
	if len(loc) < len(o) || !strings.EqualFold(loc[:len(o)], o) || !strings.HasPrefix(loc[len(o):], p.upstreamPath) {
		return "", false
	}
	rest := loc[len(o)+len(p.upstreamPath):]
	switch {
	case rest == "":
		return "/", true
	case rest[0] == '/':
		return rest, true
	case rest[0] == '?' || rest[0] == '#':
		return "/" + rest, true
	}
	return "", false
}

// badGatewayPage is the body of a 502 or 504: plain, self-contained HTML.
const badGatewayPage = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>%[1]d %[2]s</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
<h1>%[2]s</h1>
<p>The application behind charte does not answer. Try again in a moment.</p>
<p><small>%[1]d · charte proxy</small></p>
`

// errorHandler answers a request the upstream did not: 504 when it timed
// out, 502 otherwise, with an HTML page; a client that went away gets
// nothing and is not logged as an upstream failure.
func (p *Proxy) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		w.WriteHeader(499) // nginx's "client closed request"; nobody reads it
		return
	}
	p.upstreamErrors.Add(1)
	status := http.StatusBadGateway
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		status = http.StatusGatewayTimeout
	}
	p.logger.ErrorContext(r.Context(), "proxy: upstream does not answer", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	h := w.Header()
	for k := range h {
		delete(h, k)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = fmt.Fprintf(w, badGatewayPage, status, html.EscapeString(http.StatusText(status))) // the client went away; nothing to do
	}
}

// bufferPool lends ReverseProxy its 32 KiB copy buffers.
type bufferPool struct{}

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (bufferPool) Get() []byte  { return *copyBuffers.Get().(*[]byte) }
func (bufferPool) Put(b []byte) { copyBuffers.Put(&b) }
