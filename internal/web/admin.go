package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/charte/charte/internal/charte"
)

// The back office's cookies, declared in charte's own charter.
const (
	sessionCookie = "sessionid"
	csrfCookie    = "csrftoken"
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
)

// Session lifetimes: a session ends after this much inactivity, and at the
// latest this long after sign-in.
const (
	defaultSessionIdle = 30 * time.Minute
	sessionMaxAge      = 12 * time.Hour
)

// adminCSP is the Content-Security-Policy of the back office: no script at
// all, nothing from elsewhere, never framed.
const adminCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

type adminKey struct{}

// adminContext is what the admin middleware learns of a request.
type adminContext struct {
	user *charte.User
	csrf string
}

// adminFrom returns the admin context of a request.
func adminFrom(ctx context.Context) *adminContext {
	a, _ := ctx.Value(adminKey{}).(*adminContext)
	if a == nil {
		return &adminContext{}
	}
	return a
}

// randomToken returns 256 random bits, base64url.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenHash is what the server keeps of a session token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// adminPath returns the path of a back-office page under the base path.
func (s *Server) adminPath(p string) string { return s.basePath + "/admin" + p }

// admin is the middleware chain of every back-office route: security
// headers, the CSRF token (issued on every page, checked on every
// state-changing request), then the session; public says the route needs
// no session (the sign-in page).
func (s *Server) admin(public bool, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", adminCSP)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		if s.users == nil || s.sessions == nil {
			s.writeError(w, r, charte.Errorf(charte.EINTERNAL, "The back office is not configured."))
			return
		}
		a := &adminContext{csrf: s.csrfToken(w, r)}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.checkCSRF(r, a.csrf); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			sess, err := s.sessions.TouchSession(r.Context(), tokenHash(c.Value), s.now(), s.sessionIdle)
			if err == nil {
				a.user, err = s.users.FindUserByID(r.Context(), sess.UserID)
			}
			if err != nil && charte.ErrorCode(err) != charte.ENOTFOUND {
				s.writeError(w, r, err)
				return
			}
		}
		if a.user == nil && !public {
			next := url.Values{"next": {s.basePath + r.URL.RequestURI()}}
			http.Redirect(w, r, s.adminPath("/login")+"?"+next.Encode(), http.StatusSeeOther)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), adminKey{}, a))
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// csrfToken returns the request's CSRF token, issuing a new csrftoken
// cookie when it has none. The token is the double-submit kind: a page
// form carries it, and a state-changing request must send it back.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := randomToken()
	s.setCSRFCookie(w, r, tok)
	return tok
}

func (s *Server) setCSRFCookie(w http.ResponseWriter, r *http.Request, tok string) {
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookie,
		Value:    tok,
		Path:     s.adminPath(""),
		Secure:   s.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
		// Not HttpOnly: scripts calling the back office's JSON send it in
		// X-CSRF-Token (charte's charter says so).
	})
}

// checkCSRF lets a state-changing request through only when nothing says
// it comes from another site — the browser's Sec-Fetch-Site, else Origin,
// else Referer — and it carries the token of its csrftoken cookie, in the
// csrf_token form field or the X-CSRF-Token header. (The back office's
// Referrer-Policy is no-referrer, under which browsers send "Origin: null"
// with forms, so a null Origin says nothing; the token and the SameSite
// cookies then carry the check.)
func (s *Server) checkCSRF(r *http.Request, want string) error {
	forbidden := func(msg string) error {
		return &charte.Error{Code: charte.EFORBIDDEN, Field: csrfField, Message: msg}
	}
	self := s.origin(r)
	origin := r.Header.Get("Origin")
	switch site := r.Header.Get("Sec-Fetch-Site"); {
	case site != "":
		if site != "same-origin" {
			return forbidden("This request comes from another site.")
		}
	case origin != "" && origin != "null":
		if origin != self {
			return forbidden("This request comes from another site.")
		}
	case r.Header.Get("Referer") != "":
		ref, err := url.Parse(r.Header.Get("Referer"))
		if err != nil || ref.Scheme+"://"+ref.Host != self {
			return forbidden("This request comes from another site.")
		}
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
		got = r.PostFormValue(csrfField)
	}
	if _, err := r.Cookie(csrfCookie); err != nil || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return forbidden("The form has expired or its security token is missing: reload the page and try again.")
	}
	return nil
}

// startSession signs a user in: a new random session (never the one the
// browser had: no fixation), a new CSRF token, and the sessionid cookie.
func (s *Server) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u *charte.User) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.sessions.DeleteSession(ctx, tokenHash(c.Value)); err != nil {
			return err
		}
	}
	tok := randomToken()
	now := s.now()
	if err := s.sessions.CreateSession(ctx, &charte.Session{TokenHash: tokenHash(tok), UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(sessionMaxAge)}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    tok,
		Path:     s.adminPath(""),
		HttpOnly: true,
		Secure:   s.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
	s.setCSRFCookie(w, r, randomToken())
	return nil
}

// safeNext returns a local redirect target from ?next=, or the dashboard.
func (s *Server) safeNext(next string) string {
	if strings.HasPrefix(next, s.adminPath("/")) && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return s.adminPath("/")
}
