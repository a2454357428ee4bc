package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/proxy"
	"github.com/charte/charte/internal/services"
	"github.com/charte/charte/internal/web"
)

// proxyConfig is proxy's configuration: serve's, but one charter, plus the
// upstream and the prefix of charte's routes.
type proxyConfig struct {
	serveConfig
	upstream            string
	upstreamHost        string
	upstreamTimeout     time.Duration
	upstreamIdleTimeout time.Duration
	prefix              string
}

const proxySynopsis = `proxy --upstream URL [--addr HOST:PORT] [--charter FILE] [--db DSN] [--prefix /_charte]
      [--upstream-host NAME] [--upstream-timeout 30s] [--upstream-idle-timeout 60s]

Stands in front of a web application (PHP, Django, Node, …) and enforces the
site's cookie charter on it, with no change to the application:

  - every response's Set-Cookie headers are filtered against the charter and
    the visitor's decision (undeclared cookies are dropped and counted in
    charte_proxy_undeclared_cookies_total); withdrawn categories' cookies are
    expired, HttpOnly ones included;
  - HTML pages get the banner's <script> tag (before </head>, or after
    <body>), also when the application answers gzip or brotli; a page that
    shows neither in its first 64 KiB, that inflates like a decompression
    bomb, or that comes while 32 MiB of pages are being looked into (and
    stay so for a second) goes out untouched
    (charte_proxy_pages_untouched_total); other responses stream through
    untouched;
  - the scripts, iframes and pixels of the services charte knows (Google
    Analytics, Tag Manager, Matomo, Meta Pixel, Hotjar, YouTube, Maps…), and
    the inline scripts that load them, go out blocked (type="text/plain" or
    data-src, with data-category and data-charte-service) until the visitor
    grants their category, which the banner then loads; a service the
    charter does not name under services: is blocked under its catalogue
    category and logged once (charte_proxy_blocked_total{service});
  - the application gets the visitor's Host header (--upstream-host to send
    another); a Set-Cookie of cookies_preferences from the application is
    dropped (only charte's API sets it), a cookie deletion always passes;
  - an application that sends no response headers within --upstream-timeout
    gets the visitor a 504 page; a response body that sends nothing for
    --upstream-idle-timeout is cut short (streams that keep sending, such as
    server-sent events, last as long as they do);
  - charte's own routes are served under the prefix, same-origin with the
    application: PREFIX/charte.js, PREFIX/cookies, PREFIX/api/v1/...,
    PREFIX/healthz, PREFIX/metrics.

--charter is the one site being proxied (its origins need not list the
proxy's: the banner's requests are same-origin). SIGHUP reloads it; an
invalid file is logged and the previous charter stays in service.`

// runProxy serves the application at --upstream behind charte until ctx ends
// (SIGINT, SIGTERM), reloading the charter on SIGHUP.
func (c *cli) runProxy(ctx context.Context, args []string) int {
	var cfg proxyConfig
	fs := c.flagSet("proxy", proxySynopsis)
	c.httpFlags(fs, &cfg.serveConfig)
	fs.Var(&cfg.charters, "charter", "the charter file of the site being proxied (env CHARTE_CHARTER; default: charte's built-in charter, for a try)")
	fs.StringVar(&cfg.upstream, "upstream", c.envDefault("CHARTE_UPSTREAM", ""), "the application's URL, such as http://127.0.0.1:8000 (env CHARTE_UPSTREAM; required)")
	fs.StringVar(&cfg.prefix, "prefix", c.envDefault("CHARTE_PREFIX", "/_charte"), "the path charte's own routes are served under (env CHARTE_PREFIX)")
	fs.StringVar(&cfg.upstreamHost, "upstream-host", c.envDefault("CHARTE_UPSTREAM_HOST", ""), "the Host header sent to the application: empty for the visitor's (default, as Caddy and Traefik do), \"upstream\" for --upstream's host, or a host name (env CHARTE_UPSTREAM_HOST)")
	fs.DurationVar(&cfg.upstreamTimeout, "upstream-timeout", proxy.DefaultUpstreamTimeout, "how long the application has to send its response headers before the visitor gets a 504; 0 for no limit")
	fs.DurationVar(&cfg.upstreamIdleTimeout, "upstream-idle-timeout", proxy.DefaultUpstreamIdleTimeout, "how long a response body may send nothing before the proxy cuts it short; 0 for no limit")
	pos, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(c.stderr, "charte proxy: "+format+"\n", a...)
		return exitUsage
	}
	if len(pos) > 0 {
		return fail("unexpected argument %q (the charter file goes after --charter)", pos[0])
	}
	if len(cfg.charters) == 0 {
		if v := c.getenv("CHARTE_CHARTER"); v != "" {
			cfg.charters = filepath.SplitList(v)
		}
	}
	if len(cfg.charters) > 1 {
		return fail("one --charter only: the proxy stands in front of one site (use charte serve for several)")
	}
	upstream, err := parseUpstream(cfg.upstream)
	if err != nil {
		return fail("%v", err)
	}
	prefix, err := cleanPrefix(cfg.prefix)
	if err != nil {
		return fail("%v", err)
	}
	upstreamHost, err := parseUpstreamHost(cfg.upstreamHost, upstream)
	if err != nil {
		return fail("%v", err)
	}
	if cfg.upstreamTimeout < 0 || cfg.upstreamIdleTimeout < 0 {
		return fail("--upstream-timeout and --upstream-idle-timeout: give a duration such as 30s, or 0 for no limit")
	}
	if !validPublicURL(cfg.publicURL) {
		return fail("--public-url %q: give the origin visitors reach the application at, such as https://shop.example.org", cfg.publicURL)
	}
	logger, err := newLogger(c.stderr, cfg.logFormat)
	if err != nil {
		return fail("%v", err)
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fail("%v", err)
	}
	// Serve closes ln; this closes it on the ways out before Serve runs.
	defer func() { _ = ln.Close() }()
	cfg.origin = servedOrigin(cfg.publicURL, ln.Addr())

	a, code := c.openApp(ctx, "proxy", &cfg.serveConfig, logger)
	if a == nil {
		return code
	}
	defer a.close(logger)

	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	undeclared := newUndeclaredReporter(registry, logger)
	newEnforcer := func(ch *charte.Charter) (*consent.Enforcer, error) {
		return consent.New(ch.Consent(), consent.Options{OnUndeclared: undeclared.report})
	}
	var enforcer atomic.Pointer[consent.Enforcer]
	e, err := newEnforcer(a.charters[0])
	if err != nil {
		fmt.Fprintf(c.stderr, "charte proxy: %v\n", err)
		return exitInvalid
	}
	enforcer.Store(e)

	// The services the charter names, with the category each is blocked
	// under, swapped on reload with the charter.
	catalog := services.Default()
	var named atomic.Pointer[map[string]string]
	m := serviceCategories(a.charters[0], catalog)
	named.Store(&m)

	opts := a.webOptions(&cfg.serveConfig, logger)
	opts.BasePath, opts.Registry = prefix, registry
	// The back office (/admin/) is not served on the application's public
	// origin; run charte serve on an internal address for it.
	p, err := proxy.New(proxy.Options{
		Upstream:            upstream,
		Prefix:              prefix,
		Charte:              web.NewServer(opts),
		Enforcer:            enforcer.Load,
		BannerPath:          prefix + "/charte.js",
		TrustProxy:          cfg.trustProxy,
		UpstreamHost:        upstreamHost,
		UpstreamTimeout:     noLimit(cfg.upstreamTimeout),
		UpstreamIdleTimeout: noLimit(cfg.upstreamIdleTimeout),
		Catalog:             catalog,
		Services:            func() map[string]string { return *named.Load() },
		Logger:              logger,
	})
	if err != nil {
		return fail("%v", err)
	}
	defer p.CloseIdleConnections()
	registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "charte_proxy_banner_injections_total", Help: "HTML pages the banner was injected into."},
			func() float64 { return float64(p.Stats().Injected) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "charte_proxy_upstream_errors_total", Help: "Requests answered 502 or 504 because the application did not answer."},
			func() float64 { return float64(p.Stats().UpstreamErrors) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "charte_proxy_upstream_idle_timeouts_total", Help: "Responses cut short because the application sent nothing for --upstream-idle-timeout."},
			func() float64 { return float64(p.Stats().IdleTimeouts) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "charte_proxy_consent_cookies_dropped_total", Help: "Set-Cookie headers of cookies_preferences sent by the application, dropped: only charte's API sets it."},
			func() float64 { return float64(p.Stats().ConsentCookiesDropped) }),
		untouchedCounter(p, "no_marker", func(s proxy.Stats) uint64 { return s.UntouchedNoMarker }),
		untouchedCounter(p, "budget", func(s proxy.Stats) uint64 { return s.UntouchedBudget }),
		untouchedCounter(p, "inflation", func(s proxy.Stats) uint64 { return s.UntouchedInflation }),
		blockedCollector{p},
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "charte_proxy_block_unchecked_total", Help: "Tags and inline scripts longer than the 64 KiB look-ahead, passed through unchecked for services to block."},
			func() float64 { return float64(p.Stats().BlockUnchecked) }),
	)

	hs := &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		// No ReadTimeout or WriteTimeout: uploads, streamed responses and
		// websockets last as long as the application keeps them going.
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	base := "http://" + displayAddr(ln.Addr())
	logger.Info("charte proxy is serving", "url", base+"/", "upstream", upstream.Redacted(), "banner", base+prefix+"/charte.js", "db", redactDSN(cfg.dsn), "site", a.charters[0].Site.ID)
	fmt.Fprintf(c.stdout, "charte %s proxy on %s/ in front of %s — banner %s%s/charte.js, cookie policy at %s%s/cookies\n", version, base, upstream.Redacted(), base, prefix, base, prefix)
	if c.ready != nil {
		c.ready(ln.Addr().String())
	}
	return c.serveUntilDone(ctx, logger, "proxy", hs, served, func() {
		c.reload(ctx, logger, cfg.charters, cfg.origin, a.store, func(charters []*charte.Charter) error {
			e, err := newEnforcer(charters[0])
			if err != nil {
				return err
			}
			if err := a.sites.Replace(charters...); err != nil {
				return err
			}
			enforcer.Store(e)
			m := serviceCategories(charters[0], catalog)
			named.Store(&m)
			return nil
		})
	})
}

// parseUpstream checks an --upstream value: an absolute http or https URL.
func parseUpstream(s string) (*url.URL, error) {
	if s == "" {
		return nil, fmt.Errorf("--upstream is required: the URL of the application to stand in front of, such as http://127.0.0.1:8000")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--upstream %q: give an absolute http or https URL, such as http://127.0.0.1:8000", s)
	}
	return u, nil
}

// untouchedCounter is charte_proxy_pages_untouched_total for one reason.
func untouchedCounter(p *proxy.Proxy, reason string, count func(proxy.Stats) uint64) prometheus.Collector {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name:        "charte_proxy_pages_untouched_total",
		Help:        "HTML pages passed through without the banner: no </head> or <body> in the first 64 KiB (no_marker), the look-ahead memory of all pages spent (budget), or a body that inflates more than 100 times (inflation).",
		ConstLabels: prometheus.Labels{"reason": reason},
	}, func() float64 { return float64(count(p.Stats())) })
}

// noLimit maps a flag's 0, no limit, to the proxy's negative.
func noLimit(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// parseUpstreamHost checks an --upstream-host value and returns the Host
// header the application gets: "" for the visitor's, the upstream's host
// for "upstream", else the name given.
func parseUpstreamHost(s string, upstream *url.URL) (string, error) {
	switch {
	case s == "":
		return "", nil
	case s == "upstream":
		return upstream.Host, nil
	}
	if u, err := url.Parse("http://" + s); err != nil || u.Host != s || u.User != nil {
		return "", fmt.Errorf("--upstream-host %q: give a host name such as shop.example or shop.example:8080, or \"upstream\" for --upstream's host", s)
	}
	return s, nil
}

// cleanPrefix checks a --prefix value: a clean path below /, returned
// without a trailing slash.
func cleanPrefix(s string) (string, error) {
	p := strings.TrimRight(s, "/")
	if !strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.ContainsAny(p, "?#%") {
		return "", fmt.Errorf("--prefix %q: give a path below /, such as /_charte", s)
	}
	return p, nil
}

// maxUndeclaredNames bounds the cookie names the proxy remembers having
// logged: the names come from the application, not from visitors, but a
// name with a random part (a session id in the name) must not grow memory.
const maxUndeclaredNames = 1024

// undeclaredReporter counts the Set-Cookie headers of cookies the charter
// does not declare, in charte_proxy_undeclared_cookies_total (no label:
// cookie names are unbounded), and logs each name the first time it is
// seen, so that an application setting one on every response does not
// flood the log.
type undeclaredReporter struct {
	counter prometheus.Counter
	logger  *slog.Logger
	mu      sync.Mutex
	seen    map[string]bool
}

func newUndeclaredReporter(reg prometheus.Registerer, logger *slog.Logger) *undeclaredReporter {
	u := &undeclaredReporter{
		counter: prometheus.NewCounter(prometheus.CounterOpts{Name: "charte_proxy_undeclared_cookies_total", Help: "Set-Cookie headers of cookies the charter does not declare, dropped by the proxy."}),
		logger:  logger,
		seen:    map[string]bool{},
	}
	reg.MustRegister(u.counter)
	return u
}

// report is the enforcer's OnUndeclared.
func (u *undeclaredReporter) report(r *http.Request, name string) {
	u.counter.Inc()
	u.mu.Lock()
	first := !u.seen[name] && len(u.seen) < maxUndeclaredNames
	if first {
		u.seen[name] = true
	}
	u.mu.Unlock()
	if first {
		u.logger.WarnContext(r.Context(), "undeclared cookie dropped: declare it in the charter to let it through (logged once per name)", "cookie", name, "path", r.URL.Path)
	}
}

// serviceCategories returns the services a charter names, by id, with the
// category the proxy blocks each under: the catalogue's, or statistics for
// one in its exempt configuration (whose cookies go there).
func serviceCategories(ch *charte.Charter, catalog charte.ServiceCatalog) map[string]string {
	m := map[string]string{}
	for _, s := range ch.Services {
		def, ok := catalog.Service(s.ID)
		if !ok {
			continue // charte check reports it; nothing to block it as
		}
		m[s.ID] = def.Category
		if s.Exempt {
			m[s.ID] = charte.CategoryStatistics
		}
	}
	return m
}

// blockedDesc describes charte_proxy_blocked_total.
var blockedDesc = prometheus.NewDesc("charte_proxy_blocked_total", "Scripts, iframes and pixels of known services the proxy wrote in their blocked forms, by service.", []string{"service"}, nil)

// blockedCollector is charte_proxy_blocked_total{service}: one series per
// service blocked so far (the catalogue bounds them).
type blockedCollector struct{ p *proxy.Proxy }

func (blockedCollector) Describe(ch chan<- *prometheus.Desc) { ch <- blockedDesc }

func (c blockedCollector) Collect(ch chan<- prometheus.Metric) {
	for id, n := range c.p.Stats().Blocked {
		ch <- prometheus.MustNewConstMetric(blockedDesc, prometheus.CounterValue, float64(n), id)
	}
}
