package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/web"
)

// charterList is a repeatable --charter flag.
type charterList []string

func (l *charterList) String() string { return strings.Join(*l, ",") }

func (l *charterList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// defaultRateLimit is the default number of decisions a minute per client
// address: far above what people behind one office NAT address decide, far
// below what a script flooding the log would send.
const defaultRateLimit = 600

// serveConfig is serve's configuration, from flags then CHARTE_* variables.
type serveConfig struct {
	addr       string
	dsn        string
	charters   charterList
	logFormat  string
	rateLimit  int
	publicURL  string
	trustProxy bool
	// origin is where visitors reach what charte serves: --public-url, else
	// the address it listens on. The built-in charter's url and origins
	// follow it ([builtinCharter]).
	origin string
}

func (c *cli) serveFlags(name, synopsis string, cfg *serveConfig) *flag.FlagSet {
	fs := c.flagSet(name, synopsis)
	fs.Var(&cfg.charters, "charter", "a charter file to serve; repeat for several sites, the first is the default site (env CHARTE_CHARTER, a list separated by \""+string(filepath.ListSeparator)+"\"; default: charte's built-in charter)")
	c.httpFlags(fs, cfg)
	return fs
}

// httpFlags defines the flags serve and proxy share: all of serveConfig's
// but --charter.
func (c *cli) httpFlags(fs *flag.FlagSet, cfg *serveConfig) {
	fs.StringVar(&cfg.addr, "addr", c.envDefault("CHARTE_ADDR", "127.0.0.1:8080"), "address to listen on (env CHARTE_ADDR)")
	fs.StringVar(&cfg.dsn, "db", c.envDefault("CHARTE_DB", defaultDSN), dbUsage)
	fs.IntVar(&cfg.rateLimit, "rate-limit", envInt(c.getenv, "CHARTE_RATE_LIMIT", defaultRateLimit), "decisions a minute one client address may record; 0 turns the limit off (env CHARTE_RATE_LIMIT)")
	fs.StringVar(&cfg.publicURL, "public-url", c.envDefault("CHARTE_PUBLIC_URL", ""), "the origin visitors reach charte at behind a reverse proxy, e.g. https://consent.example.org; also the built-in charter's url (env CHARTE_PUBLIC_URL; default: the request's, and --addr for the built-in charter)")
	fs.BoolVar(&cfg.trustProxy, "trust-proxy", envBool(c.getenv, "CHARTE_TRUST_PROXY"), "believe X-Forwarded-Proto, -Host and -For: only behind a proxy that sets them (env CHARTE_TRUST_PROXY)")
	fs.StringVar(&cfg.logFormat, "log-format", c.envDefault("CHARTE_LOG_FORMAT", "text"), "log format: text or json (env CHARTE_LOG_FORMAT)")
}

// runServe serves charte's HTTP surface until ctx ends (SIGINT, SIGTERM),
// reloading the charter files on SIGHUP.
func (c *cli) runServe(ctx context.Context, args []string) int {
	var cfg serveConfig
	fs := c.serveFlags("serve", "serve [--addr HOST:PORT] [--db sqlite:PATH|postgres://…] [--charter FILE]...\n\nServes the cookie policy pages, the JSON API, /healthz, /readyz and /metrics.\nSIGHUP reloads the charter files; an invalid file is logged and the previous charter stays in service.", &cfg)
	pos, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	if len(pos) > 0 {
		fmt.Fprintf(c.stderr, "charte serve: unexpected argument %q (charter files go after --charter)\n", pos[0])
		return exitUsage
	}
	if len(cfg.charters) == 0 {
		if v := c.getenv("CHARTE_CHARTER"); v != "" {
			cfg.charters = filepath.SplitList(v)
		}
	}
	if !validPublicURL(cfg.publicURL) {
		fmt.Fprintf(c.stderr, "charte serve: --public-url %q: give an origin such as https://consent.example.org\n", cfg.publicURL)
		return exitUsage
	}
	logger, err := newLogger(c.stderr, cfg.logFormat)
	if err != nil {
		fmt.Fprintf(c.stderr, "charte serve: %v\n", err)
		return exitUsage
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(c.stderr, "charte serve: %v\n", err)
		return exitUsage
	}
	// Serve closes ln; this closes it on the ways out before Serve runs.
	defer func() { _ = ln.Close() }()
	cfg.origin = servedOrigin(cfg.publicURL, ln.Addr())

	a, code := c.openApp(ctx, "serve", &cfg, logger)
	if a == nil {
		return code
	}
	defer a.close(logger)
	st, sites, charters := a.store, a.sites, a.charters
	opts := a.webOptions(&cfg, logger)
	// One CSRF key for every instance on this database.
	csrfKey, err := st.FindOrCreateSecret(ctx, "csrf")
	if err != nil {
		fmt.Fprintf(c.stderr, "charte serve: %v\n", err)
		return exitUsage
	}
	opts.Admin = &web.AdminOptions{Users: st, Sessions: st, Stats: st, Charters: st, CheckCharter: newCharterChecker().problems, CSRFKey: csrfKey}
	srv := web.NewServer(opts)

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go srv.Run(ctx) // the back office's sweep of expired sessions
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	base := "http://" + displayAddr(ln.Addr())
	logger.Info("charte is serving", "url", base+"/", "policy", base+"/cookies", "db", redactDSN(cfg.dsn), "sites", len(charters))
	fmt.Fprintf(c.stdout, "charte %s is serving on %s/ — cookie policy at %s/cookies\n", version, base, base)
	if c.ready != nil {
		c.ready(ln.Addr().String())
	}
	return c.serveUntilDone(ctx, logger, "serve", hs, served, func() {
		c.reload(ctx, logger, cfg.charters, cfg.origin, st, func(charters []*charte.Charter) error { return sites.Replace(charters...) })
	})
}

// app is what serve and proxy run charte's HTTP surface on: the charters,
// the database, the consent log's group committer and the sites.
type app struct {
	charters  []*charte.Charter
	store     store
	sites     *web.Sites
	committer *charte.GroupCommitter
}

// openApp loads cfg's charter files, opens the database, keeps the
// charters' versions in it and starts the group committer. When it fails it
// prints why, as "charte CMD: …", and returns the exit code.
func (c *cli) openApp(ctx context.Context, cmd string, cfg *serveConfig, logger *slog.Logger) (*app, int) {
	charters, err := loadCharters(cfg.charters, cfg.origin)
	if err != nil {
		c.printLoadErrors(err)
		return nil, exitInvalid
	}
	st, err := openStore(ctx, cfg.dsn, createDB)
	if err != nil {
		fmt.Fprintf(c.stderr, "charte %s: %v\n", cmd, err)
		return nil, exitUsage
	}
	fail := func(code int, err error) (*app, int) {
		fmt.Fprintf(c.stderr, "charte %s: %v\n", cmd, err)
		if err := st.Close(); err != nil {
			logger.Error("close database", "err", err)
		}
		return nil, code
	}
	if err := saveVersions(ctx, st, charters); err != nil {
		return fail(exitUsage, err)
	}
	sites, err := web.NewSites(charters...)
	if err != nil {
		return fail(exitInvalid, err)
	}
	return &app{charters: charters, store: st, sites: sites, committer: charte.NewGroupCommitter(st, 0)}, exitOK
}

// webOptions returns the options of charte's web server over a: the
// public pages, the banner and the consent API.
func (a *app) webOptions(cfg *serveConfig, logger *slog.Logger) web.Options {
	return web.Options{
		Sites: a.sites, Logger: logger, Ready: a.store.Ping, Version: version,
		Recorder: a.committer, Log: a.store, RateLimit: cfg.rateLimit,
		PublicURL: cfg.publicURL, TrustProxy: cfg.trustProxy,
	}
}

// close drains the consent log, then closes the database.
func (a *app) close(logger *slog.Logger) {
	if err := a.committer.Close(); err != nil {
		logger.Error("close consent log", "err", err)
	}
	if err := a.store.Close(); err != nil {
		logger.Error("close database", "err", err)
	}
}

// serveUntilDone waits until hs, whose Serve result comes on served, fails
// (exit 2) or ctx ends (graceful shutdown, exit 0), and calls onHUP on every
// reload request.
func (c *cli) serveUntilDone(ctx context.Context, logger *slog.Logger, cmd string, hs *http.Server, served <-chan error, onHUP func()) int {
	for {
		select {
		case err := <-served:
			fmt.Fprintf(c.stderr, "charte %s: %v\n", cmd, err)
			return exitUsage
		case <-c.hup:
			onHUP()
		case <-ctx.Done():
			logger.Info("shutting down")
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				logger.Error("shutdown", "err", err)
			}
			if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("serve", "err", err)
			}
			return exitOK
		}
	}
}

// reload reads the charter files again (the built-in charter for origin
// when there are none), keeps their versions and swaps them in with apply;
// on any problem it logs and keeps the charters in service.
func (c *cli) reload(ctx context.Context, logger *slog.Logger, files []string, origin string, st store, apply func([]*charte.Charter) error) {
	charters, err := loadCharters(files, origin)
	if err == nil {
		err = saveVersions(ctx, st, charters)
	}
	if err == nil {
		err = apply(charters)
	}
	if err != nil {
		logger.Error("reload charters: keeping the previous ones", "err", err)
		return
	}
	for _, ch := range charters {
		logger.Info("charter loaded", "site", ch.Site.ID, "version", ch.Version, "source", ch.Source)
	}
}

// loadCharters reads charter files, or returns charte's built-in charter
// for origin ([builtinCharter]) when there are none. It reports every
// file's problems at once.
func loadCharters(files []string, origin string) ([]*charte.Charter, error) {
	if len(files) == 0 {
		return []*charte.Charter{builtinCharter(origin)}, nil
	}
	var (
		out  []*charte.Charter
		errs []error
	)
	for _, f := range files {
		ch, err := charterfile.Load(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, ch)
	}
	return out, errors.Join(errs...)
}

// printLoadErrors prints what loadCharters returned.
func (c *cli) printLoadErrors(err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			c.printLoadError("charte", e)
		}
		return
	}
	c.printLoadError("charte", err)
}

// saveVersions keeps each charter version in the database, so that a
// receipt can always show what the visitor saw.
func saveVersions(ctx context.Context, cs charte.CharterService, charters []*charte.Charter) error {
	for _, ch := range charters {
		v, err := charte.NewCharterVersion(ch)
		if err != nil {
			return fmt.Errorf("encode charter %s: %w", ch.Site.ID, err)
		}
		if err := cs.SaveCharterVersion(ctx, v); err != nil {
			return fmt.Errorf("save charter %s version %s: %w", ch.Site.ID, ch.Version, err)
		}
	}
	return nil
}

// validPublicURL reports whether a --public-url value is empty or an
// origin.
func validPublicURL(s string) bool {
	if s == "" {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && (u.Path == "" || u.Path == "/")
}

// envInt returns an integer CHARTE_* variable, or def when it is unset or
// not an integer.
func envInt(getenv env, name string, def int) int {
	if v, err := strconv.Atoi(strings.TrimSpace(getenv(name))); err == nil {
		return v
	}
	return def
}

// envBool reports whether a CHARTE_* variable is set to a true value.
func envBool(getenv env, name string) bool {
	v, err := strconv.ParseBool(strings.TrimSpace(getenv(name)))
	return err == nil && v
}

// newLogger returns a slog logger writing text or JSON.
func newLogger(w interface{ Write([]byte) (int, error) }, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

// builtinCharter returns charte's built-in charter served at origin: its
// site's url is origin, and its origins are origin and, for a loopback
// address, the same port on the other loopback name (127.0.0.1 and
// localhost), which a browser treats as another origin. An empty origin
// leaves the charter's own (http://127.0.0.1:8080).
func builtinCharter(origin string) *charte.Charter {
	ch := charterfile.Default()
	if origin == "" {
		return ch
	}
	ch.Site.URL = origin
	ch.Site.Origins = []string{origin}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" {
		return ch
	}
	other := map[string]string{"127.0.0.1": "localhost", "localhost": "127.0.0.1"}[u.Hostname()]
	if other != "" {
		alias := *u
		alias.Host = other
		if p := u.Port(); p != "" {
			alias.Host = net.JoinHostPort(other, p)
		}
		ch.Site.Origins = append(ch.Site.Origins, alias.String())
	}
	return ch
}

// servedOrigin returns the origin visitors reach charte at: publicURL
// without its trailing slash when it is set, else the listening address
// as a browser would write it ([displayAddr]: a wildcard host becomes
// localhost).
func servedOrigin(publicURL string, addr net.Addr) string {
	if publicURL != "" {
		return strings.TrimSuffix(publicURL, "/")
	}
	return "http://" + displayAddr(addr)
}

// displayAddr returns a listening address as a browser would want it.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// redactDSN hides a password in a database URL before it is logged.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				return dsn[:i+3] + rest[:colon] + ":***" + rest[at:]
			}
		}
	}
	return dsn
}
