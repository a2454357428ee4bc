package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/web/admin"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Options is everything a [Server] needs, built explicitly by cmd/charte.
type Options struct {
	// Sites is the set of charters served; its first is the default site.
	Sites *Sites
	// Logger receives structured request and error logs.
	Logger *slog.Logger
	// Ready reports whether the server's dependencies (the database) answer;
	// nil means always ready.
	Ready func(ctx context.Context) error
	// Registry receives charte's Prometheus metrics; nil means a new one.
	Registry *prometheus.Registry
	// Version is charte's build version, shown on the home page.
	Version string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Recorder appends decisions to the consent log (a
	// [charte.GroupCommitter]); Log reads it back. The consent API
	// (/api/v1/consents) is mounted only with a Recorder, which needs a Log.
	Recorder Recorder
	Log      charte.ConsentLog
	// PublicURL is the origin visitors reach charte at (https://consent.example.org)
	// when it runs behind a reverse proxy; "" means the request's own.
	PublicURL string
	// TrustProxy makes charte believe X-Forwarded-Proto and X-Forwarded-Host:
	// set it only behind a proxy that sets them.
	TrustProxy bool
	// BasePath is the path prefix charte's routes are served under, such as
	// /_charte in front of an app (charte proxy); "" serves them at the root.
	BasePath string
	// Admin configures the back office (/admin/); nil leaves it unmounted,
	// so that its routes answer 404 (charte proxy serves none).
	Admin *AdminOptions
	// RateLimit is the number of decisions a minute one client address may
	// record; 0 or less turns the limit off.
	RateLimit int
}

// AdminOptions is what the back office needs: its services and its
// sign-in policy. Users, Sessions, Stats and Charters are required.
type AdminOptions struct {
	// Users and Sessions sign people in; Stats serves the dashboard;
	// Charters keeps every charter version, for receipts and diffs.
	Users    charte.UserService
	Sessions charte.SessionService
	Stats    charte.StatsService
	Charters charte.CharterService
	// CheckCharter re-reads a charter's source file and returns its problems
	// (nil when valid), for the back office's charter page; nil skips it.
	CheckCharter func(ch *charte.Charter) []string
	// SessionIdle is how long a back-office session lasts without use; 0
	// means 30 minutes.
	SessionIdle time.Duration
	// Sleep slows repeated failed sign-ins; nil means time.Sleep.
	Sleep func(time.Duration)
	// CSRFKey signs the back office's CSRF tokens. cmd/charte takes it from
	// the database ([charte.SecretService]), so that every instance accepts
	// the tokens of the others; nil means a random key of this server's own.
	CSRFKey []byte
}

// Recorder appends one decision to the consent log and returns once it is
// durable. [charte.GroupCommitter] is one.
type Recorder interface {
	Append(ctx context.Context, d *charte.Decision) (*charte.Record, error)
}

// Server serves charte's HTTP surface. Create it with [NewServer].
type Server struct {
	sites    *Sites
	logger   *slog.Logger
	ready    func(ctx context.Context) error
	registry *prometheus.Registry
	metrics  *metrics
	version  string
	now      func() time.Time
	pages    *template.Template
	static   *staticFiles
	handler  http.Handler
	recorder Recorder
	log      charte.ConsentLog
	limiter  *rateLimiter
	// publicURL and trustProxy: see [Options].
	publicURL  string
	trustProxy bool
	basePath   string

	// office is the back office, nil unless [Options.Admin] is given.
	office  *admin.Office
	gzipped gzipCache
}

// NewServer returns a server for opts. It panics if the embedded templates
// do not parse: that is a programming error, caught by the package's tests.
func NewServer(opts Options) *Server {
	s := &Server{
		sites:    opts.Sites,
		logger:   opts.Logger,
		ready:    opts.Ready,
		registry: opts.Registry,
		version:  opts.Version,
		now:      opts.Now,
		recorder: opts.Recorder,
		log:      opts.Log,

		publicURL:  strings.TrimRight(opts.PublicURL, "/"),
		trustProxy: opts.TrustProxy,
		basePath:   strings.TrimRight(opts.BasePath, "/"),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
		s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if s.version == "" {
		s.version = "dev"
	}
	if opts.RateLimit > 0 {
		s.limiter = newRateLimiter(opts.RateLimit, s.now)
	}
	if s.recorder != nil && s.log == nil {
		panic("web: Options.Recorder needs Options.Log")
	}
	s.metrics = newMetrics(s.registry)
	s.static = mustLoadStatic()
	s.pages = mustParsePages()
	if opts.Admin != nil {
		s.office = s.newOffice(*opts.Admin)
	}
	s.handler = s.routes()
	return s
}

// Run does the background work of the surfaces mounted until ctx ends:
// the back office's sweep of expired sessions. Without a back office it
// returns at once.
func (s *Server) Run(ctx context.Context) {
	if s.office != nil {
		s.office.SweepSessions(ctx)
	}
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// handlerFunc is a handler that returns its error to [Server.adapt].
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// adapt turns a handlerFunc into an http.Handler that renders its error.
func (s *Server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
