package admin

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/password"
)

// loginPage is the data of admin_login.html.
type loginPage struct {
	adminBase
	Next     string
	Username string
	Failed   bool
	// Refused is the message of a sign-in refused without checking its
	// password (429), with its argument.
	Refused    string
	RefusedArg int
}

// handleLogin shows the sign-in form.
func (s *Office) handleLogin(w http.ResponseWriter, r *http.Request) error {
	a := adminFrom(r.Context())
	if a.user != nil {
		http.Redirect(w, r, s.safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	base := s.adminBase(r)
	base.Section = "login.title"
	s.renderAdmin(w, r, http.StatusOK, "admin_login.html", loginPage{adminBase: base, Next: r.URL.Query().Get("next")})
	return nil
}

// handleLoginPost signs a user in. A wrong name or password gets the
// form again, with no session. Repeated failures are slowed, then refused
// with 429 (see [loginLimiter]), and so are sign-ins beyond the hashes the
// server can run at once (see [Office.hashSlot]).
func (s *Office) handleLoginPost(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PostFormValue("username"))
	pw := r.PostFormValue("password")
	attempt, delay, blocked, retry := s.logins.reserve(strings.ToLower(name), s.clientKey(r).String())
	if blocked {
		secs := max(int(retry.Seconds()), 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.logger.WarnContext(r.Context(), "sign-in refused: too many failures", "user", name)
		s.renderLoginRefused(w, r, name, "login.throttled", (secs+59)/60)
		return nil
	}
	if delay > 0 {
		s.sleep(delay)
	}
	u, err := s.users.FindUserByName(r.Context(), name)
	hash := ""
	switch {
	case err == nil:
		hash = u.PasswordHash
	case charte.ErrorCode(err) == charte.ENOTFOUND:
		u = nil
	default:
		s.logins.cancel(attempt)
		return err
	}
	release, ok := s.hashSlot(r.Context())
	if !ok {
		s.logins.cancel(attempt)
		w.Header().Set("Retry-After", "1")
		s.logger.WarnContext(r.Context(), "sign-in refused: too many at once", "user", name)
		s.renderLoginRefused(w, r, name, "login.busy", 0)
		return nil
	}
	if u != nil {
		err = s.checkPassword(pw, hash)
	} else {
		// Spend the same time (and memory) as for a real user, so that
		// timing does not tell which names exist.
		_ = s.checkPassword(pw, dummyHash()) // always a mismatch
		err = password.ErrMismatch
	}
	release()
	if errors.Is(err, password.ErrMismatch) {
		// The reservation stays: it was a failure.
		s.logger.InfoContext(r.Context(), "sign-in failed", "user", name)
		base := s.adminBase(r)
		base.Section = "login.title"
		s.renderAdmin(w, r, http.StatusUnauthorized, "admin_login.html", loginPage{adminBase: base, Next: r.PostFormValue("next"), Username: name, Failed: true})
		return nil
	}
	if err != nil {
		s.logins.cancel(attempt)
		return err
	}
	s.logins.succeed(attempt)
	if err := s.startSession(r.Context(), w, r, u); err != nil {
		return err
	}
	s.logger.InfoContext(r.Context(), "signed in", "user", u.Name)
	http.Redirect(w, r, s.safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// renderLoginRefused answers 429 with the sign-in form again and the
// message key says why (its Retry-After header is set by the caller).
func (s *Office) renderLoginRefused(w http.ResponseWriter, r *http.Request, name, key string, arg int) {
	base := s.adminBase(r)
	base.Section = "login.title"
	s.renderAdmin(w, r, http.StatusTooManyRequests, "admin_login.html", loginPage{adminBase: base, Next: r.PostFormValue("next"), Username: name, Refused: key, RefusedArg: arg})
}

// hashMemoryBudget bounds the memory that password checks may take at once:
// two hashes at [password.DefaultParams], so that a burst of sign-ins keeps
// charte under 300 MiB (docs/benchmarks.md), and two sign-ins a second or
// more still go through.
const hashMemoryBudget = 128 << 20

// defaultHashWait is how long a sign-in waits for a free hash slot before
// it is answered 429.
const defaultHashWait = time.Second

// hashSlots returns how many password hashes may run at once: one a core,
// within [hashMemoryBudget] at [password.DefaultParams], and at least one.
func hashSlots() int {
	byMemory := hashMemoryBudget / (int(password.DefaultParams.Memory) << 10)
	return max(1, min(runtime.GOMAXPROCS(0), byMemory))
}

// hashSlot waits, for s.hashWait at most, until fewer than cap(s.hashes)
// password hashes run, and returns the function that ends this one's turn;
// ok is false when no slot came free in time. Each argon2id hash takes
// [password.DefaultParams] memory (64 MiB), so unbounded, concurrent
// sign-ins would take the server's memory; queueing them without limit
// would only move the problem.
func (s *Office) hashSlot(ctx context.Context) (release func(), ok bool) {
	select {
	case s.hashes <- struct{}{}:
	default:
		t := time.NewTimer(s.hashWait)
		defer t.Stop()
		select {
		case s.hashes <- struct{}{}:
		case <-t.C:
			return nil, false
		case <-ctx.Done():
			return nil, false
		}
	}
	return func() {
		// Give the hash's memory back before the next hash may start: left
		// to the pacer, the garbage of finished hashes grows the heap to
		// twice what was live at the last collection, and a 64 MiB block
		// freed but partly reused by small objects leaves the next one to
		// take fresh pages, a few hundred MiB more under a burst of
		// sign-ins. This costs little next to a hash: argon2's blocks hold
		// no pointers to scan.
		debug.FreeOSMemory()
		<-s.hashes
	}, true
}

// dummyHash is checked against when a name is unknown; it is computed once,
// at the first such sign-in, not at start-up.
var dummyHash = sync.OnceValue(func() string {
	h, err := password.Hash("charte-no-such-user-password", password.DefaultParams)
	if err != nil {
		panic(err) // the constant password is valid
	}
	return h
})

// handleLogout ends the session on the server and in the browser.
func (s *Office) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.sessions.DeleteSession(r.Context(), tokenHash(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: s.adminPath(""), MaxAge: -1, HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.adminPath("/login"), http.StatusSeeOther)
	return nil
}

// handleLanguage switches the back office's language (django_language).
func (s *Office) handleLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PostFormValue("lang")
	if !adminMessages.Has(lang) {
		return charte.FieldErrorf("lang", "Unknown language %q.", lang)
	}
	s.setLanguageCookie(w, r, lang)
	http.Redirect(w, r, s.safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
