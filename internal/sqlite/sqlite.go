// Package sqlite keeps charte's data in an embedded SQLite database, one file,
// through the pure-Go modernc.org/sqlite driver, so that charte builds with
// CGO_ENABLED=0 and runs with no other server. It implements the service
// interfaces of package charte; migrations are embedded and applied at Open.
//
// It may import package charte and the SQLite driver only.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/charte/charte/internal/charte"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeout is how long a connection waits for another connection's lock
// (another charte process on the same file, or a checkpoint) before failing.
const busyTimeout = 10 * time.Second

// DB is charte's SQLite database.
//
// SQLite has a single writer, so writes go through one connection: a
// transaction that writes begins IMMEDIATE, taking the write lock at once, so
// that two processes on the same file queue on the lock (under busy_timeout)
// instead of failing when the second one first writes. Reads go through a
// separate pool of read-only connections, which WAL lets run beside the
// writer.
type DB struct {
	write *sql.DB
	read  *sql.DB

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open opens (creating it if needed) the database in the file at path and
// applies the migrations it lacks.
func Open(ctx context.Context, path string) (*DB, error) {
	switch {
	case path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:"):
		return nil, charte.Errorf(charte.EINVALID, "The SQLite database must be a file.")
	case strings.Contains(path, "?"):
		// The driver would take what follows for connection parameters.
		return nil, charte.Errorf(charte.EINVALID, "The SQLite database path %q must not contain a question mark.", path)
	}
	busy := strconv.FormatInt(busyTimeout.Milliseconds(), 10)

	// synchronous=FULL: in WAL mode, NORMAL may lose the last transactions
	// on power loss, and an acknowledged decision must never be lost.
	write, err := sql.Open("sqlite", path+"?"+url.Values{
		"_txlock":       {"immediate"},
		"_busy_timeout": {busy},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"FULL"},
		"_foreign_keys": {"1"},
	}.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)

	db := &DB{write: write, Now: time.Now}
	// The writer comes first: it creates the file and switches it to WAL,
	// which is persistent, before any reader opens it.
	if err := write.PingContext(ctx); err != nil {
		_ = write.Close() // the ping error is the one to report
		return nil, fmt.Errorf("open sqlite %s: %w", path, formatError(err))
	}

	read, err := sql.Open("sqlite", path+"?"+url.Values{
		"_busy_timeout": {busy},
		"_foreign_keys": {"1"},
		"_query_only":   {"1"},
	}.Encode())
	if err != nil {
		_ = write.Close() // the open error is the one to report
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db.read = read

	if err := db.migrate(ctx); err != nil {
		_ = db.Close() // the migration error is the one to report
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// OpenExisting opens the database in the file at path as [Open] does, but
// only if the file is there: a command that reads the consent log must not
// create an empty database and report on it. Returns ENOTFOUND.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, &charte.Error{Code: charte.ENOTFOUND, Message: "no such database file (check the path; charte serve creates the database)"}
	}
	return Open(ctx, path)
}

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

// Ping checks that the database answers, for readiness probes.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite: %w", formatError(err))
	}
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite: %w", formatError(err))
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

// Transact runs fn in one transaction, committed when fn returns nil and
// rolled back otherwise; it returns fn's error as is. With opts.ReadOnly the
// transaction runs on the read pool and sees one snapshot of the database;
// otherwise it runs on the writer, begun IMMEDIATE. There is nothing to retry:
// waiting for the write lock is busy_timeout's job.
func (db *DB) Transact(ctx context.Context, opts *sql.TxOptions, fn func(*Tx) error) error {
	pool := db.write
	if opts != nil && opts.ReadOnly {
		pool = db.read
	}
	tx, err := pool.BeginTx(ctx, opts)
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

var readOnly = &sql.TxOptions{ReadOnly: true}

// migrate applies, in order, each embedded migration that the database has
// not applied yet, each in its own transaction. Two processes opening the
// same file at once are serialised by the write lock that each transaction
// takes, and each checks again under the lock whether its migration is
// still to be applied.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", formatError(err))
	}
	ms, err := charte.Migrations(migrations, "migrations")
	if err != nil {
		return err
	}
	for _, m := range ms {
		err = db.Transact(ctx, nil, func(tx *Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
				return formatError(err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return formatError(err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, formatTime(tx.Now))
			return formatError(err)
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	var newest sql.NullInt64
	if err := db.write.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("read schema version: %w", formatError(err))
	}
	return charte.CheckSchemaVersion(int(newest.Int64), ms)
}

// formatError translates an error of the SQLite driver into a [charte.Error],
// by SQLite's extended result code. Errors that do not come from the driver,
// such as a context's, are returned as they are, and so is nil.
func formatError(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &charte.Error{Code: charte.ECONFLICT, Message: "This is already recorded.", Err: err}
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_DATATYPE,
		sqlite3.SQLITE_TOOBIG:
		return &charte.Error{Code: charte.EINVALID, Message: "This value cannot be stored.", Err: err}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &charte.Error{Code: charte.EINVALID, Message: "This refers to something that is not recorded.", Err: err}
	}
	return &charte.Error{Code: charte.EINTERNAL, Err: err}
}

// timeFormat is how times are stored: UTC at [charte.TimePrecision], fixed
// width, so that comparing the text compares the times.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string {
	return charte.StoredTime(t).Format(timeFormat)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}
