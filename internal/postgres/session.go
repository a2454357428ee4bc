package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements the back office's sessions.
var _ charte.SessionService = (*DB)(nil)

// CreateSession stores a session. A zero CreatedAt means the time of the
// transaction and a zero LastSeen means CreatedAt; s is given its times as
// stored (UTC, at [charte.TimePrecision]). Returns EINVALID (including a
// UserID that no user has), ECONFLICT (the token hash is taken).
func (db *DB) CreateSession(ctx context.Context, s *charte.Session) error {
	if s == nil {
		return charte.Errorf(charte.EINVALID, "A session is missing.")
	}
	var stored charte.Session
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		var err error
		if stored, err = charte.NewSession(s, tx.Now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			stored.TokenHash, stored.UserID, stored.CreatedAt, stored.LastSeen, stored.ExpiresAt)
		return sessionInsertError(formatError(err))
	})
	if err != nil {
		// Never the token hash in a message: it would end up in logs.
		return fmt.Errorf("create session of user %d: %w", s.UserID, err)
	}
	*s = stored
	return nil
}

// TouchSession returns a session that has not expired at now (neither at or
// past ExpiresAt nor idle for longer than idle since LastSeen) and marks it
// seen at now (unless it was seen later). A session found expired is
// removed. Returns EINVALID (idle not positive, now out of range), ENOTFOUND
// (unknown or expired).
func (db *DB) TouchSession(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*charte.Session, error) {
	if err := charte.ValidateSessionExpiry(now, idle); err != nil {
		return nil, err
	}
	if !charte.ValidTokenHash(tokenHash) {
		return nil, fmt.Errorf("touch session: %w", errSessionNotFound())
	}
	at, idleSince := charte.StoredTime(now), idleBound(now, idle)
	var s *charte.Session
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		var err error
		s, err = scanSession(tx.QueryRowContext(ctx, `UPDATE sessions SET last_seen = GREATEST(last_seen, $1)
			WHERE token_hash = $2 AND expires_at > $1 AND last_seen >= $3
			RETURNING `+sessionColumns, at, tokenHash, idleSince))
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// Unknown or expired: remove it if it is there, then report it
		// not found once this is committed.
		s = nil
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 AND (expires_at <= $2 OR last_seen < $3)`,
			tokenHash, at, idleSince)
		return formatError(err)
	})
	if err != nil {
		return nil, fmt.Errorf("touch session: %w", err)
	}
	if s == nil {
		return nil, fmt.Errorf("touch session: %w", errSessionNotFound())
	}
	return s, nil
}

// DeleteSession ends a session; ending an unknown one is not an error.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if !charte.ValidTokenHash(tokenHash) {
		return nil // no such session can be stored
	}
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
		return formatError(err)
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions expired at now, as
// [DB.TouchSession] judges, and returns how many it removed. Returns
// EINVALID (idle not positive, now out of range).
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	if err := charte.ValidateSessionExpiry(now, idle); err != nil {
		return 0, err
	}
	var n int64
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen < $2`,
			charte.StoredTime(now), idleBound(now, idle))
		if err != nil {
			return formatError(err)
		}
		n, err = res.RowsAffected()
		return formatError(err)
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}

// sessionColumns are the columns of a session, in the order of scanSession.
const sessionColumns = `token_hash, user_id, created_at, last_seen, expires_at`

func scanSession(row interface{ Scan(...any) error }) (*charte.Session, error) {
	var s charte.Session
	if err := row.Scan(&s.TokenHash, &s.UserID, &s.CreatedAt, &s.LastSeen, &s.ExpiresAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, formatError(err)
	}
	s.CreatedAt, s.LastSeen, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeen.UTC(), s.ExpiresAt.UTC()
	return &s, nil
}

// idleBound returns the earliest stored LastSeen of a session not idle for
// longer than idle at now: the stored times are on a grid of
// [charte.TimePrecision], so that rounding up keeps "now - LastSeen ≤ idle"
// exact (PostgreSQL would round to the nearest microsecond).
func idleBound(now time.Time, idle time.Duration) time.Time {
	return charte.CeilTime(now.Add(-idle)).UTC()
}

// sessionInsertError names the field at fault in err, the translated error of
// inserting a session: the only unique key is the token hash, and the only
// reference the user.
func sessionInsertError(err error) error {
	switch charte.ErrorCode(err) {
	case charte.ECONFLICT:
		return &charte.Error{Code: charte.ECONFLICT, Field: "token_hash", Message: "A session with this token already exists.", Err: err}
	case charte.EINVALID:
		return &charte.Error{Code: charte.EINVALID, Field: "user_id", Message: "No user has this id.", Err: err}
	}
	return err
}

func errSessionNotFound() error {
	return charte.Errorf(charte.ENOTFOUND, "This session is unknown or has expired.")
}
