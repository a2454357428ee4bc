package charte

import (
	"context"
	"time"
)

// User is a back-office user. Passwords are never stored, only their hash
// (argon2id, in PHC string form).
type User struct {
	ID           int64
	Name         string
	PasswordHash string
	CreatedAt    time.Time
}

// UserService keeps back-office users.
type UserService interface {
	// CreateUser stores a new user and sets its ID and CreatedAt. Returns
	// EINVALID, ECONFLICT (the name is taken).
	CreateUser(ctx context.Context, u *User) error
	// FindUserByName returns a user. Returns ENOTFOUND.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUserByID returns a user. Returns ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUsers returns every user, by name.
	FindUsers(ctx context.Context) ([]*User, error)
	// UpdateUserPassword replaces a user's password hash and ends all of
	// that user's sessions. Returns ENOTFOUND.
	UpdateUserPassword(ctx context.Context, name, passwordHash string) error
}

// Session is a signed-in back-office session. It lives on the server (so it
// works across instances and logout really ends it); the browser holds only
// a random token in the sessionid cookie, and the server only the token's
// SHA-256, so a copy of the database cannot be used to sign in.
type Session struct {
	// TokenHash is the hex SHA-256 of the token in the sessionid cookie.
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	// LastSeen is the last time the session was used; it expires after a
	// period of inactivity from then, and at ExpiresAt at the latest.
	LastSeen  time.Time
	ExpiresAt time.Time
}

// SessionService keeps back-office sessions.
type SessionService interface {
	// CreateSession stores a session. Returns EINVALID, ECONFLICT.
	CreateSession(ctx context.Context, s *Session) error
	// TouchSession returns a session that has not expired at now (neither
	// past ExpiresAt nor idle for longer than idle since LastSeen) and marks
	// it seen at now. Returns ENOTFOUND (unknown or expired).
	TouchSession(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*Session, error)
	// DeleteSession ends a session; ending an unknown one is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteExpiredSessions removes sessions expired at now (as
	// TouchSession judges) and returns how many it removed.
	DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error)
}

// StatsFilter selects the decisions that statistics are computed over.
type StatsFilter struct {
	Site string
	// From and To bound the decisions' creation time: From ≤ t < To.
	From, To time.Time
}

// DayStats are the anonymous aggregates of one site's decisions on one UTC
// day: how many were made, how, and how many granted each category.
type DayStats struct {
	// Day is midnight UTC of the day.
	Day       time.Time
	Decisions int64
	// Methods counts decisions by method.
	Methods map[Method]int64
	// Granted counts, per category, the decisions that granted it.
	Granted map[string]int64
}

// StatsService computes consent statistics from the log.
type StatsService interface {
	// DecisionStats returns one entry per UTC day that has decisions, in
	// day order. Returns EINVALID (To before From).
	DecisionStats(ctx context.Context, filter StatsFilter) ([]DayStats, error)
}
