package charte

import (
	"encoding/json"
	"maps"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file holds the checks that every store makes before it writes, so
// that SQLite and PostgreSQL accept and refuse the same input with the same
// [Error]: an EINVALID code and the Field at fault.

// ValidText reports whether s is text that every store can keep: UTF-8
// without NUL characters, which PostgreSQL refuses. A key that is not valid
// text can match nothing stored.
func ValidText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// validYear reports whether t, in UTC, falls in years 1 to 9999: the years
// that both stores keep, and the only ones that SQLite's fixed-width text
// orders correctly.
func validYear(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// CeilTime rounds t up to [TimePrecision], so that "at or after t" keeps its
// meaning against stored times, which are truncated to it.
func CeilTime(t time.Time) time.Time {
	if tt := t.Truncate(TimePrecision); !tt.Equal(t) {
		return tt.Add(TimePrecision)
	}
	return t
}

// Validate returns an EINVALID error naming the first bad field of d, or nil.
// The ID, the site, the charter version, the method and both times are
// required; the expiry must not come before the creation time.
func (d *Decision) Validate() error {
	if d == nil {
		return Errorf(EINVALID, "A decision is missing.")
	}
	for _, f := range []struct{ name, value string }{
		{"id", d.ID}, {"site", d.Site}, {"charter_version", d.CharterVersion},
	} {
		if f.value == "" {
			return FieldErrorf(f.name, "The %s is missing.", f.name)
		}
		if !ValidText(f.value) {
			return FieldErrorf(f.name, "The %s must be UTF-8 text without NUL characters.", f.name)
		}
	}
	if !ValidText(d.PreviousID) {
		return FieldErrorf("previous_id", "The previous_id must be UTF-8 text without NUL characters.")
	}
	if !d.Method.Valid() {
		return FieldErrorf("method", "The method %q is not one of %s.", d.Method, MethodList())
	}
	for k := range d.Choices {
		if k == "" || !ValidText(k) {
			return FieldErrorf("choices", "Each category of the choices must be non-empty UTF-8 text without NUL characters.")
		}
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"created_at", d.CreatedAt}, {"expires_at", d.ExpiresAt}} {
		if f.t.IsZero() {
			return FieldErrorf(f.name, "The %s time is missing.", f.name)
		}
		if !validYear(f.t) {
			return FieldErrorf(f.name, "The %s time must be between years 1 and 9999.", f.name)
		}
	}
	if d.ExpiresAt.Before(d.CreatedAt) {
		return FieldErrorf("expires_at", "The expiry must not come before the creation time.")
	}
	return nil
}

// NewRecord validates d and returns the record to append to a consent log: a
// copy of d, with non-nil choices and its times in UTC at [TimePrecision] as
// they will be stored and read back, so that the record hashes the same
// before and after. Seq and the hashes are left for the log to set. Returns
// EINVALID, as [Decision.Validate].
func NewRecord(d *Decision) (*Record, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	r := &Record{Decision: *d}
	r.Choices = maps.Clone(d.Choices)
	if r.Choices == nil {
		r.Choices = map[string]bool{}
	}
	r.CreatedAt = StoredTime(d.CreatedAt)
	r.ExpiresAt = StoredTime(d.ExpiresAt)
	return r, nil
}

// Validate returns an EINVALID error on "limit" if f's Limit is negative, or
// nil.
func (f DecisionFilter) Validate() error {
	if f.Limit < 0 {
		return FieldErrorf("limit", "The limit must not be negative.")
	}
	if f.Method != nil && !f.Method.Valid() {
		return FieldErrorf("method", "The method must be one of accept_all, reject_all, custom, gpc or withdraw.")
	}
	return nil
}

// Validate returns an EINVALID error naming the first bad field of v, or nil.
// The site and the version are required, and the content must be JSON. A
// zero CreatedAt is valid: the store sets it to the time of saving.
func (v *CharterVersion) Validate() error {
	switch {
	case v == nil:
		return Errorf(EINVALID, "A charter version is missing.")
	case v.Site == "":
		return FieldErrorf("site", "The site is missing.")
	case !ValidText(v.Site):
		return FieldErrorf("site", "The site must be UTF-8 text without NUL characters.")
	case v.Version == "":
		return FieldErrorf("version", "The version is missing.")
	case !ValidText(v.Version):
		return FieldErrorf("version", "The version must be UTF-8 text without NUL characters.")
	case !json.Valid(v.Content) || !ValidText(string(v.Content)):
		return FieldErrorf("content", "The content must be JSON.")
	case !v.CreatedAt.IsZero() && !validYear(v.CreatedAt):
		return FieldErrorf("created_at", "The created_at time must be between years 1 and 9999.")
	}
	return nil
}

// maxUserNameLength is the longest [User] name, in characters.
const maxUserNameLength = 64

// ValidateUserName returns an EINVALID error on "name" unless name is a user
// name: 1 to 64 characters of UTF-8 text, none of them a control, formatting
// or line-breaking character, which would let two different names look alike
// in the back office and in logs.
func ValidateUserName(name string) error {
	switch {
	case name == "":
		return FieldErrorf("name", "The name is missing.")
	case !utf8.ValidString(name):
		return FieldErrorf("name", "The name must be UTF-8 text.")
	case utf8.RuneCountInString(name) > maxUserNameLength:
		return FieldErrorf("name", "The name must be at most %d characters long.", maxUserNameLength)
	case strings.IndexFunc(name, invisible) >= 0:
		return FieldErrorf("name", "The name must not contain control or invisible characters.")
	}
	return nil
}

// invisible reports whether r is a control character, a formatting one (such
// as a bidirectional override or a zero-width joiner) or a line or paragraph
// separator.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// ValidatePasswordHash returns an EINVALID error on "password_hash" unless h
// can be a stored password hash. It does not check the hash's format: that
// is for whoever hashes passwords.
func ValidatePasswordHash(h string) error {
	switch {
	case h == "":
		return FieldErrorf("password_hash", "The password hash is missing.")
	case !ValidText(h):
		return FieldErrorf("password_hash", "The password hash must be UTF-8 text without NUL characters.")
	}
	return nil
}

// Validate returns an EINVALID error naming the first bad field of u, a user
// to create, or nil: see [ValidateUserName] and [ValidatePasswordHash]. ID
// and CreatedAt are not checked, as the store sets them.
func (u *User) Validate() error {
	if u == nil {
		return Errorf(EINVALID, "A user is missing.")
	}
	if err := ValidateUserName(u.Name); err != nil {
		return err
	}
	return ValidatePasswordHash(u.PasswordHash)
}

// ValidTokenHash reports whether h is a hex SHA-256 (64 lowercase hex
// digits), as [Session.TokenHash] must be, so that a raw token stored by
// mistake is refused. No session can have another token hash.
func ValidTokenHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for _, c := range []byte(h) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Validate returns an EINVALID error naming the first bad field of s, or nil.
// s is checked as it is to be stored, after [NewSession] has filled in its
// defaults: every time is required and in years 1 to 9999, and their order
// is judged at [TimePrecision]. The last use must not come before the
// creation, and the expiry must come after it. UserID is not checked: only
// the store knows which users exist.
func (s *Session) Validate() error {
	if s == nil {
		return Errorf(EINVALID, "A session is missing.")
	}
	if !ValidTokenHash(s.TokenHash) {
		return FieldErrorf("token_hash", "The token hash must be a hex SHA-256 (64 lowercase hex digits).")
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"created_at", s.CreatedAt}, {"last_seen", s.LastSeen}, {"expires_at", s.ExpiresAt}} {
		if f.t.IsZero() {
			return FieldErrorf(f.name, "The %s time is missing.", f.name)
		}
		if !validYear(f.t) {
			return FieldErrorf(f.name, "The %s time must be between years 1 and 9999.", f.name)
		}
	}
	created := StoredTime(s.CreatedAt)
	switch {
	case StoredTime(s.LastSeen).Before(created):
		return FieldErrorf("last_seen", "The last_seen time must not come before the creation time.")
	case !StoredTime(s.ExpiresAt).After(created):
		return FieldErrorf("expires_at", "The expiry must come after the creation time.")
	}
	return nil
}

// NewSession returns s as a store keeps it: a zero CreatedAt is now, a zero
// LastSeen is CreatedAt, and every time is in UTC at [TimePrecision]. Returns
// EINVALID, as [Session.Validate].
func NewSession(s *Session, now time.Time) (Session, error) {
	if s == nil {
		return Session{}, s.Validate()
	}
	w := *s
	if w.CreatedAt.IsZero() {
		w.CreatedAt = now
	}
	if w.LastSeen.IsZero() {
		w.LastSeen = w.CreatedAt
	}
	if err := w.Validate(); err != nil {
		return Session{}, err
	}
	w.CreatedAt = StoredTime(w.CreatedAt)
	w.LastSeen = StoredTime(w.LastSeen)
	w.ExpiresAt = StoredTime(w.ExpiresAt)
	return w, nil
}

// ValidateSessionExpiry returns an EINVALID error unless now and idle can
// judge whether sessions have expired (see [SessionService.TouchSession]):
// idle must be positive and now in years 1 to 9999.
func ValidateSessionExpiry(now time.Time, idle time.Duration) error {
	switch {
	case idle <= 0:
		return FieldErrorf("idle", "The inactivity timeout must be positive.")
	case now.IsZero() || !validYear(now):
		return FieldErrorf("now", "The current time must be between years 1 and 9999.")
	}
	return nil
}

// Validate returns an EINVALID error naming the first bad field of f, or nil.
// The site is required, both bounds must be in years 1 to 9999, and To must
// not come before From.
func (f StatsFilter) Validate() error {
	switch {
	case f.Site == "":
		return FieldErrorf("site", "The site is missing.")
	case !ValidText(f.Site):
		return FieldErrorf("site", "The site must be UTF-8 text without NUL characters.")
	case !validYear(f.From):
		return FieldErrorf("from", "The start of the period must be between years 1 and 9999.")
	case !validYear(f.To):
		return FieldErrorf("to", "The end of the period must be between years 1 and 9999.")
	case f.To.Before(f.From):
		return FieldErrorf("to", "The end of the period must not come before its start.")
	}
	return nil
}
