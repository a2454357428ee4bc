package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements the back office's users.
var _ charte.UserService = (*DB)(nil)

// CreateUser stores a new user and sets its ID and its CreatedAt, the time of
// the transaction. Returns EINVALID, ECONFLICT (the name is taken).
func (db *DB) CreateUser(ctx context.Context, u *charte.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	var id int64
	var createdAt time.Time
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		createdAt = tx.Now
		err := tx.QueryRowContext(ctx, `INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id`,
			u.Name, u.PasswordHash, tx.Now).Scan(&id)
		if err = formatError(err); charte.ErrorCode(err) == charte.ECONFLICT {
			return &charte.Error{Code: charte.ECONFLICT, Field: "name", Message: "A user with this name already exists.", Err: err}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, err)
	}
	u.ID, u.CreatedAt = id, createdAt
	return nil
}

// FindUserByName returns a user. Returns ENOTFOUND.
func (db *DB) FindUserByName(ctx context.Context, name string) (*charte.User, error) {
	if !charte.ValidText(name) {
		// PostgreSQL would refuse the query; no such name can be stored.
		return nil, fmt.Errorf("find user %q: %w", name, errUserNotFound())
	}
	var u *charte.User
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		var err error
		u, err = findUser(ctx, tx, `name = $1`, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find user %q: %w", name, err)
	}
	return u, nil
}

// FindUserByID returns a user. Returns ENOTFOUND.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*charte.User, error) {
	var u *charte.User
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		var err error
		u, err = findUser(ctx, tx, `id = $1`, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find user %d: %w", id, err)
	}
	return u, nil
}

// FindUsers returns every user, by name (bytewise, as in SQLite); none is not
// an error.
func (db *DB) FindUsers(ctx context.Context) ([]*charte.User, error) {
	var us []*charte.User
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		us = []*charte.User{}
		rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name COLLATE "C"`)
		if err != nil {
			return formatError(err)
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			us = append(us, u)
		}
		return formatError(rows.Err())
	})
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return us, nil
}

// UpdateUserPassword replaces a user's password hash and, in the same
// transaction, ends all of that user's sessions, so that a stolen session
// does not outlive the password it was opened with. Returns EINVALID,
// ENOTFOUND.
func (db *DB) UpdateUserPassword(ctx context.Context, name, passwordHash string) error {
	if err := charte.ValidatePasswordHash(passwordHash); err != nil {
		return err
	}
	if !charte.ValidText(name) {
		return fmt.Errorf("update password of user %q: %w", name, errUserNotFound())
	}
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = $1 WHERE name = $2 RETURNING id`, passwordHash, name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errUserNotFound()
		}
		if err != nil {
			return formatError(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return fmt.Errorf("end sessions: %w", formatError(err))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update password of user %q: %w", name, err)
	}
	return nil
}

// userColumns are the columns of a user, in the order of scanUser.
const userColumns = `id, name, password_hash, created_at`

// findUser returns the user selected by where, a condition on one key, $1.
// Returns ENOTFOUND.
func findUser(ctx context.Context, tx *Tx, where string, arg any) (*charte.User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUserNotFound()
	}
	return u, err
}

func scanUser(row interface{ Scan(...any) error }) (*charte.User, error) {
	var u charte.User
	if err := row.Scan(&u.ID, &u.Name, &u.PasswordHash, &u.CreatedAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, formatError(err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

func errUserNotFound() error {
	return charte.Errorf(charte.ENOTFOUND, "No user has this name or id.")
}
