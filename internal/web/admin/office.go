package admin

import (
	"context"
	"crypto/rand"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/password"
)

//go:embed templates/*.html
var templates embed.FS

// Options is what a back office needs: its services and its sign-in
// policy. Users, Sessions, Stats, Charters and Log are required.
type Options struct {
	// Users and Sessions sign people in; Stats serves the dashboard;
	// Charters keeps every charter version, for receipts and diffs; Log is
	// the consent log, for receipts and the export.
	Users    charte.UserService
	Sessions charte.SessionService
	Stats    charte.StatsService
	Charters charte.CharterService
	Log      charte.ConsentLog
	// CheckCharter re-reads a charter's source file and returns its problems
	// (nil when valid), for the charters page; nil skips it.
	CheckCharter func(ch *charte.Charter) []string
	// SessionIdle is how long a session lasts without use; 0 means
	// 30 minutes.
	SessionIdle time.Duration
	// Sleep slows repeated failed sign-ins; nil means time.Sleep.
	Sleep func(time.Duration)
	// CSRFKey signs the CSRF tokens: the same key on every instance that
	// shares a database, so that each accepts the tokens of the others; nil
	// means a random key of this back office's own.
	CSRFKey []byte
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives sign-in and sweep logs; nil discards them.
	Logger *slog.Logger
}

// Sites is the set of charters the server serves, default first
// (web.Sites is one).
type Sites interface {
	// Default returns the default site's charter.
	Default() *charte.Charter
	// Find returns the charter of a site. Returns ENOTFOUND.
	Find(id string) (*charte.Charter, error)
	// All returns every charter, default first.
	All() []*charte.Charter
}

// Host is what the back office borrows from the web server that mounts it,
// so that its pages look like the server's and its requests are seen as
// the server sees them. Every field is required.
type Host struct {
	// Sites is the set of charters served.
	Sites Sites
	// BasePath is the path prefix of the server's routes ("" or /_charte).
	BasePath string
	// Version is charte's build version, shown in the footer.
	Version string
	// CSS is the URL of the stylesheet.
	CSS string
	// Layout holds the templates "head" and "footer" that every page
	// starts and ends with; the back office adds its own pages to a clone.
	Layout *template.Template
	// Languages are the languages of charte's own interface, default
	// first; Language picks one of them for a request, SetLanguage keeps
	// the choice in the language cookie.
	Languages   []string
	Language    func(r *http.Request) string
	SetLanguage func(w http.ResponseWriter, r *http.Request, lang string)
	// T translates a message of the server's own catalogue (the layout's:
	// skip link, footer), which the back office's catalogue does not hold.
	T func(lang, key string, args ...any) string
	// WriteError answers with an error, as every other route of the server;
	// the back office uses it for clients that went away.
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
	// Status returns the HTTP status of an error, by the server's
	// code-to-status table, and logs it when it is internal; the back
	// office then writes its own error page.
	Status func(r *http.Request, err error) int
	// WritePage writes a rendered page with its status (with an ETag when
	// it is 200).
	WritePage func(w http.ResponseWriter, r *http.Request, status int, body []byte)
	// ClientKey is the network a client is counted under (its /32 or /64,
	// through a trusted proxy's X-Forwarded-For); Origin is the origin
	// visitors reach the server at; IsHTTPS says whether the visitor
	// reached it over TLS.
	ClientKey func(r *http.Request) netip.Prefix
	Origin    func(r *http.Request) string
	IsHTTPS   func(r *http.Request) bool
	// RequestID returns the id of a request, for logs.
	RequestID func(ctx context.Context) string
}

// Office is a back office, mounted by adding its [Office.Routes] to the
// server's. Create it with [New].
type Office struct {
	host     Host
	basePath string
	sites    Sites
	pages    *template.Template
	logger   *slog.Logger
	now      func() time.Time

	users        charte.UserService
	sessions     charte.SessionService
	stats        charte.StatsService
	charters     charte.CharterService
	log          charte.ConsentLog
	checkCharter func(*charte.Charter) []string
	sessionIdle  time.Duration
	sleep        func(time.Duration)
	logins       *loginLimiter

	// checkPassword is password.Check, replaced by tests that count checks.
	checkPassword func(pw, hash string) error
	// hashes holds a token for each password hash running (see hashSlot),
	// which waits hashWait at most for one to end.
	hashes   chan struct{}
	hashWait time.Duration
	// csrfKey signs the CSRF tokens (see csrfToken).
	csrfKey []byte
}

// New returns the back office of opts, mounted in host. It panics when a
// required service is missing or the embedded templates do not parse:
// both are programming errors, caught by the package's tests.
func New(opts Options, host Host) *Office {
	if opts.Users == nil || opts.Sessions == nil || opts.Stats == nil || opts.Charters == nil || opts.Log == nil {
		panic("admin: Options needs Users, Sessions, Stats, Charters and Log")
	}
	s := &Office{
		host:     host,
		basePath: host.BasePath,
		sites:    host.Sites,
		logger:   opts.Logger,
		now:      opts.Now,

		users:        opts.Users,
		sessions:     opts.Sessions,
		stats:        opts.Stats,
		charters:     opts.Charters,
		log:          opts.Log,
		checkCharter: opts.CheckCharter,
		sessionIdle:  opts.SessionIdle,
		sleep:        opts.Sleep,
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.sessionIdle <= 0 {
		s.sessionIdle = defaultSessionIdle
	}
	if s.sleep == nil {
		s.sleep = time.Sleep
	}
	s.logins = newLoginLimiter(s.now)
	s.checkPassword = password.Check
	s.hashes = make(chan struct{}, hashSlots())
	s.hashWait = defaultHashWait
	s.csrfKey = opts.CSRFKey
	if len(s.csrfKey) == 0 {
		s.csrfKey = make([]byte, charte.SecretSize)
		_, _ = rand.Read(s.csrfKey) // crypto/rand.Read never fails (Go ≥ 1.24)
	}
	s.pages = mustParsePages(host.Layout)
	return s
}

// mustParsePages parses the back office's templates into a clone of the
// host's layout; it panics on a template error, which the tests catch.
func mustParsePages(layout *template.Template) *template.Template {
	t, err := template.Must(layout.Clone()).Funcs(template.FuncMap{
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
	}).ParseFS(templates, "templates/*.html")
	if err != nil {
		panic(fmt.Sprintf("admin: parse templates: %v", err))
	}
	return t
}

// sweepInterval is how often [Office.SweepSessions] removes expired
// sessions.
const sweepInterval = 10 * time.Minute

// SweepSessions removes the expired sessions (idle longer than the back
// office's SessionIdle, or past their maximum age) every ten minutes, until
// ctx ends. Whoever mounts the back office runs it.
func (s *Office) SweepSessions(ctx context.Context) {
	t := time.NewTicker(sweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sweep(ctx)
		}
	}
}

// sweep removes the expired sessions once.
func (s *Office) sweep(ctx context.Context) {
	if n, err := s.sessions.DeleteExpiredSessions(ctx, s.now(), s.sessionIdle); err != nil {
		s.logger.WarnContext(ctx, "sweep sessions", "err", err)
	} else if n > 0 {
		s.logger.InfoContext(ctx, "expired sessions removed", "count", n)
	}
}

// handlerFunc is a handler that returns its error to the host's error
// writer (see [Office.admin]).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Office) clientKey(r *http.Request) netip.Prefix { return s.host.ClientKey(r) }

func (s *Office) origin(r *http.Request) string { return s.host.Origin(r) }

func (s *Office) isHTTPS(r *http.Request) bool { return s.host.IsHTTPS(r) }

func (s *Office) setLanguageCookie(w http.ResponseWriter, r *http.Request, lang string) {
	s.host.SetLanguage(w, r, lang)
}
