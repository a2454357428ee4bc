package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/password"
)

// loginPage is the data of admin_login.html.
type loginPage struct {
	adminBase
	Next     string
	Username string
	Failed   bool
}

// handleAdminLogin shows the sign-in form.
func (s *Server) handleAdminLogin(w http.ResponseWriter, r *http.Request) error {
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

// handleAdminLoginPost signs a user in. A wrong name or password gets the
// form again, with no session; repeated failures from one client or for one
// name are slowed, then refused with 429.
func (s *Server) handleAdminLoginPost(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PostFormValue("username"))
	pw := r.PostFormValue("password")
	client := "ip:" + s.clientKey(r).String()
	user := "user:" + strings.ToLower(name)
	delay, blocked, retry := s.logins.check(client, user)
	if blocked {
		secs := max(int(retry.Seconds()), 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.logger.WarnContext(r.Context(), "sign-in refused: too many failures", "user", name)
		return &charte.Error{Code: charte.ERATELIMIT, Field: "username", Message: "Too many failed sign-ins: try again in " + strconv.Itoa((secs+59)/60) + " min."}
	}
	if delay > 0 {
		s.sleep(delay)
	}
	u, err := s.users.FindUserByName(r.Context(), name)
	switch {
	case err == nil:
		err = password.Check(pw, u.PasswordHash)
	case charte.ErrorCode(err) == charte.ENOTFOUND:
		// Spend the same time as for a real user, so that timing does not
		// tell which names exist.
		_ = password.Check(pw, dummyHash()) // always a mismatch
		err = password.ErrMismatch
	}
	if errors.Is(err, password.ErrMismatch) {
		s.logins.fail(client, user)
		s.logger.InfoContext(r.Context(), "sign-in failed", "user", name)
		base := s.adminBase(r)
		base.Section = "login.title"
		s.renderAdmin(w, r, http.StatusUnauthorized, "admin_login.html", loginPage{adminBase: base, Next: r.PostFormValue("next"), Username: name, Failed: true})
		return nil
	}
	if err != nil {
		return err
	}
	s.logins.succeed(user)
	if err := s.startSession(r.Context(), w, r, u); err != nil {
		return err
	}
	s.logger.InfoContext(r.Context(), "signed in", "user", u.Name)
	http.Redirect(w, r, s.safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
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

// handleAdminLogout ends the session on the server and in the browser.
func (s *Server) handleAdminLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.sessions.DeleteSession(r.Context(), tokenHash(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: s.adminPath(""), MaxAge: -1, HttpOnly: true, Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.adminPath("/login"), http.StatusSeeOther)
	return nil
}

// handleAdminLanguage switches the back office's language (django_language).
func (s *Server) handleAdminLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PostFormValue("lang")
	if !adminMessages.Has(lang) {
		return charte.FieldErrorf("lang", "Unknown language %q.", lang)
	}
	s.setLanguageCookie(w, r, lang)
	http.Redirect(w, r, s.safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
