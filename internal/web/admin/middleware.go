package admin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
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
func (s *Office) adminPath(p string) string { return s.basePath + "/admin" + p }

// admin is the middleware chain of every back-office route: security
// headers, the session, then the CSRF token (issued on every page, bound to
// the session, checked on every state-changing request); public says the
// route needs no session (the sign-in page).
func (s *Office) admin(public bool, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", adminCSP)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "no-store")
		a := &adminContext{}
		session := ""
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			sess, err := s.sessions.TouchSession(r.Context(), tokenHash(c.Value), s.now(), s.sessionIdle)
			if err == nil {
				a.user, err = s.users.FindUserByID(r.Context(), sess.UserID)
			}
			if err != nil && charte.ErrorCode(err) != charte.ENOTFOUND {
				s.writeError(w, r, err)
				return
			}
			if a.user != nil {
				session = sess.TokenHash
			}
		}
		a.csrf = s.csrfToken(w, r, s.csrfBinding(r, session))
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.checkCSRF(r, a.csrf); err != nil {
				// The error page knows who is signed in, for its way back.
				s.writeError(w, r.WithContext(context.WithValue(r.Context(), adminKey{}, a)), err)
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

// A CSRF token is a random nonce, the time it was issued and an HMAC-SHA256,
// under the server's key (kept in the database, shared by every instance),
// of both and of what the token belongs to: its binding. It lives in the
// csrftoken cookie and every form repeats it (double submit), but unlike a
// bare double-submit token it cannot be chosen by whoever can plant a cookie
// (a sibling subdomain, plain http): a value the server did not issue, or
// issued for another binding, is refused and replaced.
//
// Signed in, the binding is the session: the hash of its sessionid token,
// so a token is good for one session only and dies with it. Before sign-in
// there is no session to bind to, and the binding is the pre-session: the
// client's network (its /32 or /64, as the rate limits see it) and a short
// lifetime. A planted pre-session token then has to come from the victim's
// own network and be fresh, and it is worth nothing once the victim signs
// in (the token is replaced by one bound to the new session); what it could
// still do, sign the victim in to the attacker's account, the origin checks
// of [Office.checkCSRF] also refuse.
const (
	csrfNonceSize = 16
	csrfTimeSize  = 8
	csrfTokenSize = csrfNonceSize + csrfTimeSize + sha256.Size
	// preSessionCSRFMaxAge is how long a pre-session token is good for; a
	// session's lasts as long as the session can (sessionMaxAge).
	preSessionCSRFMaxAge = 2 * time.Hour
)

// csrfBinding is what a CSRF token belongs to, and how long it is good for.
type csrfBinding struct {
	id     string // "session:" + the session's token hash, or "pre-session:" + the client's network
	maxAge time.Duration
}

// csrfBinding returns what a request's CSRF token belongs to: the session
// whose token hash is session, or, when session is "", the pre-session.
func (s *Office) csrfBinding(r *http.Request, session string) csrfBinding {
	if session != "" {
		return csrfBinding{id: "session:" + session, maxAge: sessionMaxAge}
	}
	return csrfBinding{id: "pre-session:" + s.clientKey(r).String(), maxAge: preSessionCSRFMaxAge}
}

// newCSRFToken returns a new token for binding.
func (s *Office) newCSRFToken(binding csrfBinding) string {
	var b [csrfTokenSize]byte
	_, _ = rand.Read(b[:csrfNonceSize]) // crypto/rand.Read never fails (Go ≥ 1.24)
	binary.BigEndian.PutUint64(b[csrfNonceSize:], uint64(s.now().Unix()))
	copy(b[csrfNonceSize+csrfTimeSize:], s.csrfMAC(binding, b[:csrfNonceSize+csrfTimeSize]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// csrfMAC returns the MAC of a token's nonce and time for binding. The
// label keeps the key from ever signing anything else alike.
func (s *Office) csrfMAC(binding csrfBinding, nonceTime []byte) []byte {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("charte csrf v1\x00" + binding.id + "\x00"))
	m.Write(nonceTime)
	return m.Sum(nil)
}

// csrfAge returns how long ago tok was issued for binding, and false when
// the server did not issue it for binding or it is too old.
func (s *Office) csrfAge(tok string, binding csrfBinding) (time.Duration, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != csrfTokenSize {
		return 0, false
	}
	if !hmac.Equal(b[csrfNonceSize+csrfTimeSize:], s.csrfMAC(binding, b[:csrfNonceSize+csrfTimeSize])) {
		return 0, false
	}
	issued := int64(binary.BigEndian.Uint64(b[csrfNonceSize:]))
	age := s.now().Sub(time.Unix(issued, 0))
	return age, age >= -time.Minute && age < binding.maxAge
}

// csrfToken returns the request's CSRF token for binding: that of a
// csrftoken cookie the server issued for binding, else a new one, set in a
// new cookie. Every csrftoken cookie is tried, as a planted one with a
// narrower path comes first and would otherwise refuse every form. A page
// viewed when its token is past half its life gets a new one too, so that
// a form is not refused for a token that expired while it was open.
func (s *Office) csrfToken(w http.ResponseWriter, r *http.Request, binding csrfBinding) string {
	for _, c := range r.CookiesNamed(csrfCookie) {
		age, ok := s.csrfAge(c.Value, binding)
		if ok && (age < binding.maxAge/2 || (r.Method != http.MethodGet && r.Method != http.MethodHead)) {
			return c.Value
		}
	}
	tok := s.newCSRFToken(binding)
	s.setCSRFCookie(w, r, tok)
	return tok
}

func (s *Office) setCSRFCookie(w http.ResponseWriter, r *http.Request, tok string) {
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
// else Referer — and it carries want, the token of its csrftoken cookie as
// [Office.csrfToken] verified it, in the csrf_token form field or the
// X-CSRF-Token header. (The back office's Referrer-Policy is no-referrer,
// under which browsers send "Origin: null" with forms, so a null Origin
// says nothing; the token and the SameSite cookies then carry the check.)
// A cookie whose token the server did not issue for this request's binding
// has been replaced by a new one, so that no submitted token matches.
func (s *Office) checkCSRF(r *http.Request, want string) error {
	forbidden := func(msg string) error {
		key := "error.crosssite"
		if !strings.HasPrefix(msg, "This request") {
			key = "error.csrf"
		}
		return translated(&charte.Error{Code: charte.EFORBIDDEN, Field: csrfField, Message: msg}, key)
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
// browser had: no fixation), a new CSRF token bound to it, and the
// sessionid cookie.
func (s *Office) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u *charte.User) error {
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
	s.setCSRFCookie(w, r, s.newCSRFToken(s.csrfBinding(r, tokenHash(tok))))
	return nil
}

// safeNext returns a local redirect target from ?next=, or the dashboard.
func (s *Office) safeNext(next string) string {
	if strings.HasPrefix(next, s.adminPath("/")) && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return s.adminPath("/")
}
