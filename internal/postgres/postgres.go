// Package postgres keeps charte's data in PostgreSQL, through pgx behind
// database/sql, for deployments where several stateless charte instances
// share one database. It implements the same service interfaces as package
// sqlite and passes the same storetest suite; migrations are embedded and
// applied at Open.
//
// It may import package charte and pgx only.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/charte/charte/internal/charte"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is charte's PostgreSQL database: a pool of connections.
type DB struct {
	db *sql.DB

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open connects to the PostgreSQL database at dsn (a postgres:// URL, whose
// unknown query parameters, such as search_path, are set on each
// connection) and applies the migrations it lacks.
func Open(ctx context.Context, dsn string) (*DB, error) {
	sqlDB, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	sqlDB.SetMaxOpenConns(32)
	sqlDB.SetMaxIdleConns(16)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{db: sqlDB, Now: time.Now}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close() // the ping error is the one to report
		return nil, fmt.Errorf("open postgres: %w", formatError(err))
	}
	if err := db.migrate(ctx); err != nil {
		_ = sqlDB.Close() // the migration error is the one to report
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}

// Close closes every connection of the pool.
func (db *DB) Close() error {
	return db.db.Close()
}

// Ping checks that the database answers, for readiness probes.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping postgres: %w", formatError(err))
	}
	return nil
}

// Tx is a transaction, with the time it began so that everything it writes
// carries one time. Unexported helpers take a *Tx so that they can be
// combined in one transaction.
type Tx struct {
	*sql.Tx
	// Now is the time the transaction began, in UTC at [charte.TimePrecision].
	Now time.Time
}

// maxAttempts is how many times Transact runs a transaction that keeps
// failing with a serialization failure or a deadlock.
const maxAttempts = 10

// Transact runs fn in one transaction, committed when fn returns nil and
// rolled back otherwise, and returns fn's error as is. A transaction that
// fails with a serialization failure (SQLSTATE 40001) or a deadlock (40P01),
// which PostgreSQL asks clients to retry, is run again from the start, a few
// times, after a short random pause: fn must have no effect outside the
// transaction.
func (db *DB) Transact(ctx context.Context, opts *sql.TxOptions, fn func(*Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.transact(ctx, opts, fn)
		if err == nil || attempt == maxAttempts || !retryable(err) {
			return err
		}
		// Jittered backoff, so that the transactions that collided do not
		// collide again.
		pause := time.Duration(rand.Int64N(int64(attempt) * int64(5*time.Millisecond)))
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return err
		}
	}
}

// transact runs fn in one transaction, once.
func (db *DB) transact(ctx context.Context, opts *sql.TxOptions, fn func(*Tx) error) error {
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return formatError(err)
	}
	if err := fn(&Tx{Tx: tx, Now: charte.StoredTime(db.Now())}); err != nil {
		_ = tx.Rollback() // fn's error is the one to report
		return err
	}
	if err := tx.Commit(); err != nil {
		return formatError(err)
	}
	return nil
}

func retryable(err error) bool {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return false
}

var readOnly = &sql.TxOptions{ReadOnly: true}

// migrate applies, in order, each embedded migration that the database has
// not applied yet, each in its own transaction. Several instances starting
// at once would race to apply the same migrations, so the whole run holds a
// session advisory lock, one per schema.
func (db *DB) migrate(ctx context.Context) (err error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return formatError(err)
	}
	defer conn.Close()
	const lockKey = `hashtextextended('charte-migrations:' || coalesce(current_schema(), ''), 0)`
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+lockKey+`)`); err != nil {
		return fmt.Errorf("lock migrations: %w", formatError(err))
	}
	defer func() {
		// A session lock outlives a cancelled context; a connection that
		// cannot be unlocked is dropped from the pool, which releases it.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, uerr := conn.ExecContext(uctx, `SELECT pg_advisory_unlock(`+lockKey+`)`); uerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // discards the connection
			err = errors.Join(err, fmt.Errorf("unlock migrations: %w", formatError(uerr)))
		}
	}()

	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", formatError(err))
	}
	ms, err := charte.Migrations(migrations, "migrations")
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := applyMigration(ctx, conn, m, db.Now()); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	var newest sql.NullInt64
	if err := conn.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("read schema version: %w", formatError(err))
	}
	return charte.CheckSchemaVersion(int(newest.Int64), ms)
}

// applyMigration applies one migration in its own transaction, unless it is
// applied already.
func applyMigration(ctx context.Context, conn *sql.Conn, m charte.Migration, now time.Time) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return formatError(err)
	}
	defer func() {
		_ = tx.Rollback() // after Commit, a no-op; otherwise the error is already reported
	}()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
		return formatError(err)
	}
	if n > 0 {
		return nil
	}
	// Without arguments, pgx sends the file with the simple protocol, which
	// runs every statement in it.
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return formatError(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, now.UTC()); err != nil {
		return formatError(err)
	}
	return formatError(tx.Commit())
}

// formatError translates an error of PostgreSQL into a [charte.Error], by
// SQLSTATE. Errors that do not come from the server, such as a context's,
// are returned as they are, and so is nil.
func formatError(err error) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case e.Code == "23505": // unique_violation
		return &charte.Error{Code: charte.ECONFLICT, Message: "This is already recorded.", Err: err}
	case e.Code == "23502", e.Code == "23514", // not_null_violation, check_violation
		strings.HasPrefix(e.Code, "22"): // data_exception: bad text, JSON, time, number
		return &charte.Error{Code: charte.EINVALID, Message: "This value cannot be stored.", Err: err}
	case e.Code == "23503": // foreign_key_violation
		return &charte.Error{Code: charte.EINVALID, Message: "This refers to something that is not recorded.", Err: err}
	}
	return &charte.Error{Code: charte.EINTERNAL, Err: err}
}
