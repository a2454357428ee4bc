package consent

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure an [Enforcer].
type Options struct {
	// ReportOnly lets cookies the charter does not declare through, only
	// reporting them. By default they are dropped and reported.
	ReportOnly bool
	// OnUndeclared, when set, is called for every Set-Cookie of a cookie the
	// charter does not declare, dropped or not (to count it in a metric).
	OnUndeclared func(r *http.Request, name string)
	// Logger, when set, gets a warning for every undeclared cookie.
	Logger *slog.Logger
	// Now is the clock that decides whether a decision has expired; nil
	// means time.Now.
	Now func() time.Time
}

// Enforcer enforces a cookie charter on HTTP responses: it drops the
// Set-Cookie headers of cookies the visitor did not allow, and expires the
// cookies of categories the visitor withdrew. Create it with [New]; it is
// safe for concurrent use.
type Enforcer struct {
	charter    *Charter
	match      *Matcher
	exempt     map[string]bool // ids of the exempt categories
	opts       Options
	now        func() time.Time
	undeclared atomic.Uint64
	pool       sync.Pool
}

// New returns an enforcer of ch.
func New(ch *Charter, opts Options) (*Enforcer, error) {
	if ch == nil {
		return nil, fmt.Errorf("consent: nil charter")
	}
	if err := ch.validate(); err != nil {
		return nil, err
	}
	e := &Enforcer{charter: ch, match: NewMatcher(ch.Cookies), exempt: map[string]bool{}, opts: opts, now: opts.Now}
	for _, c := range ch.Categories {
		if c.Exempt {
			e.exempt[c.ID] = true
		}
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.pool.New = func() any { return new(responseWriter) }
	return e, nil
}

// Middleware returns net/http middleware enforcing ch (see [Enforcer.Handler]).
// It panics if ch is nil or has no version: a startup mistake.
func Middleware(ch *Charter, opts Options) func(http.Handler) http.Handler {
	e, err := New(ch, opts)
	if err != nil {
		panic(err)
	}
	return e.Handler
}

// Charter returns the charter the enforcer enforces.
func (e *Enforcer) Charter() *Charter { return e.charter }

// Undeclared returns how many Set-Cookie headers of undeclared cookies the
// enforcer has seen.
func (e *Enforcer) Undeclared() uint64 { return e.undeclared.Load() }

type contextKey struct{}

// FromContext returns the visitor's valid decision, which the middleware put
// in the request's context, and whether there is one. There is none when the
// visitor has not decided, or their cookies_preferences cookie is malformed,
// expired or for another version of the charter.
func FromContext(ctx context.Context) (*Decision, bool) {
	d, ok := ctx.Value(contextKey{}).(*Decision)
	return d, ok && d != nil
}

// Allowed reports whether the visitor's decision, as the middleware found
// it, grants category. Without a decision only "necessary" is allowed: code
// that asks never takes silence for consent. (The middleware's own filter
// lets an exempt category's cookies through until the visitor objects, as the
// charter declares.)
func Allowed(r *http.Request, category string) bool {
	if category == Necessary {
		return true
	}
	d, ok := FromContext(r.Context())
	return ok && d.Allowed(category)
}

// Decision returns the visitor's valid decision from the request's
// cookies_preferences cookie, or nil when there is none, or it is
// malformed, expired or for another version of the charter.
func (e *Enforcer) Decision(r *http.Request) *Decision {
	return e.decisionIn(requestCookies(r))
}

// requestCookies returns r's cookies, without parsing when it has none.
func requestCookies(r *http.Request) []*http.Cookie {
	if _, ok := r.Header["Cookie"]; !ok {
		return nil
	}
	return r.Cookies()
}

// decisionIn returns the valid decision among a request's cookies, or nil.
func (e *Enforcer) decisionIn(cookies []*http.Cookie) *Decision {
	for _, c := range cookies {
		if c.Name != CookieName {
			continue
		}
		if d, err := ParseCookie(c.Value); err == nil && d.Valid(e.charter.Version, e.now()) {
			return d
		}
	}
	return nil
}

// allowed reports whether a category may set cookies for a visitor with
// decision d (nil: no decision, where exempt categories are on).
func (e *Enforcer) allowed(d *Decision, category string) bool {
	if category == Necessary {
		return true
	}
	if d == nil {
		return e.exempt[category]
	}
	return d.Allowed(category)
}

// Handler wraps next: it puts the visitor's decision in the request's
// context ([FromContext], [Allowed]) and filters the response's Set-Cookie
// headers just before they are sent. It keeps http.Flusher, http.Hijacker
// and io.ReaderFrom working, and http.ResponseController reaches the
// original writer. A missing or bad cookie is "no decision", never an error.
func (e *Enforcer) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookies := requestCookies(r) // parsed once, for the decision and withdrawals
		d := e.decisionIn(cookies)
		if d != nil {
			r = r.WithContext(context.WithValue(r.Context(), contextKey{}, d))
		}
		rw := e.pool.Get().(*responseWriter)
		*rw = responseWriter{ResponseWriter: w, e: e, r: r, d: d, cookies: cookies}
		defer func() {
			rw.finish()
			*rw = responseWriter{}
			e.pool.Put(rw)
		}()
		next.ServeHTTP(rw, r)
	})
}

// Filter enforces the charter on a response's headers h, for request r and
// the visitor's decision d (nil: no decision): it removes the Set-Cookie
// headers of cookies the visitor did not allow and of undeclared cookies
// (unless ReportOnly), keeps those that delete a cookie, and adds
// Set-Cookie headers that expire the declared first-party cookies r carries
// whose category is not allowed (a withdrawal). charte's proxy calls it on
// upstream responses; the middleware calls it for you.
func (e *Enforcer) Filter(r *http.Request, d *Decision, h http.Header) {
	e.filter(r, d, h, requestCookies(r))
}

// Enforce is [Enforcer.Filter] for the visitor's own decision, read from
// r's cookies: what a reverse proxy calls on each upstream response. It
// parses r's cookies once, for the decision and the withdrawals alike.
func (e *Enforcer) Enforce(r *http.Request, h http.Header) {
	cookies := requestCookies(r)
	e.filter(r, e.decisionIn(cookies), h, cookies)
}

// filter is Filter with the request's cookies already parsed.
func (e *Enforcer) filter(r *http.Request, d *Decision, h http.Header, cookies []*http.Cookie) {
	if vals, ok := h["Set-Cookie"]; ok {
		kept := vals[:0]
		for _, v := range vals {
			if e.keep(r, d, v) {
				kept = append(kept, v)
			}
		}
		if len(kept) == 0 {
			delete(h, "Set-Cookie")
		} else {
			clear(vals[len(kept):])
			h["Set-Cookie"] = kept
		}
	}
	if len(cookies) > 0 {
		e.expireWithdrawn(cookies, d, h)
	}
}

// keep decides one Set-Cookie header.
func (e *Enforcer) keep(r *http.Request, d *Decision, header string) bool {
	name, _, _ := strings.Cut(header, "=")
	name = strings.TrimSpace(name)
	if name == CookieName {
		// The visitor's decision itself is necessary by definition (charte's
		// API sets it behind charte proxy), declared or not.
		return true
	}
	c := e.match.lookup(name)
	if c != nil && e.allowed(d, c.Category) {
		return true
	}
	// Deleting a cookie is never a privacy problem: a deletion passes,
	// declared or not, and is not reported (a logout deletes cookies of
	// every age and name).
	if IsDeletion(header, e.now()) {
		return true
	}
	if c == nil {
		e.undeclared.Add(1)
		if e.opts.OnUndeclared != nil {
			e.opts.OnUndeclared(r, name)
		}
		if e.opts.Logger != nil {
			e.opts.Logger.WarnContext(r.Context(), "undeclared cookie", "cookie", name, "path", r.URL.Path, "dropped", !e.opts.ReportOnly)
		}
		return e.opts.ReportOnly
	}
	return false
}

// IsDeletion reports whether a Set-Cookie header value deletes its cookie
// at now: a Max-Age of zero or less or, when there is no Max-Age (which
// takes precedence, RFC 6265 section 5.3 step 3), an Expires that is not in
// the future. "Max-Age=3600; Expires=<the past>" keeps the cookie an hour,
// so it is not a deletion.
func IsDeletion(setCookie string, now time.Time) bool {
	lower := strings.ToLower(setCookie)
	if !strings.Contains(lower, "max-age") && !strings.Contains(lower, "expires") {
		return false
	}
	c, err := http.ParseSetCookie(setCookie)
	if err != nil {
		return false
	}
	// net/http reads Max-Age=0 and below as -1, and no Max-Age as 0.
	if c.MaxAge != 0 {
		return c.MaxAge < 0
	}
	return !c.Expires.IsZero() && !c.Expires.After(now)
}

// expireWithdrawn adds Set-Cookie headers that expire the declared
// first-party cookies the request carries whose category is not allowed.
func (e *Enforcer) expireWithdrawn(cookies []*http.Cookie, d *Decision, h http.Header) {
	for _, rc := range cookies {
		c := e.match.lookup(rc.Name)
		if c == nil || c.Party == "third" || e.allowed(d, c.Category) || setsCookie(h, rc.Name) {
			continue
		}
		del := &http.Cookie{Name: rc.Name, Value: "", Path: "/", MaxAge: -1}
		h.Add("Set-Cookie", del.String())
		if c.Domain != "" {
			del.Domain = c.Domain
			h.Add("Set-Cookie", del.String())
		}
	}
}

// setsCookie reports whether h already has a Set-Cookie for name.
func setsCookie(h http.Header, name string) bool {
	for _, v := range h["Set-Cookie"] {
		if n, _, _ := strings.Cut(v, "="); strings.TrimSpace(n) == name {
			return true
		}
	}
	return false
}

// responseWriter filters Set-Cookie headers just before the response's
// headers go out: at the first WriteHeader (other than 1xx), Write, Flush or
// ReadFrom, or when the handler returns without writing.
type responseWriter struct {
	http.ResponseWriter
	e       *Enforcer
	r       *http.Request
	d       *Decision
	cookies []*http.Cookie
	done    bool
}

func (w *responseWriter) filter() {
	if !w.done {
		w.e.filter(w.r, w.d, w.ResponseWriter.Header(), w.cookies)
		w.done = true
	}
}

// WriteHeader filters, then writes the status. Informational (1xx) headers
// are filtered too, and the final headers again.
func (w *responseWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.e.filter(w.r, w.d, w.ResponseWriter.Header(), w.cookies)
	} else {
		w.filter()
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write filters, then writes the body.
func (w *responseWriter) Write(b []byte) (int, error) {
	w.filter()
	return w.ResponseWriter.Write(b)
}

// ReadFrom filters, then copies src, keeping sendfile where the writer has it.
func (w *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	w.filter()
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.ResponseWriter, src)
}

// Flush filters, then flushes, for streaming handlers.
func (w *responseWriter) Flush() {
	w.filter()
	if err := http.NewResponseController(w.ResponseWriter).Flush(); err != nil && w.e.opts.Logger != nil {
		w.e.opts.Logger.Debug("flush", "err", err)
	}
}

// Hijack hands the connection over (websockets); the handler then writes
// raw bytes, which no middleware can filter.
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.done = true
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish filters the headers of a handler that wrote nothing: net/http
// sends them after the handler returns.
func (w *responseWriter) finish() { w.filter() }
