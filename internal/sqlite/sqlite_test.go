package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/sqlite"
	"github.com/charte/charte/internal/storetest"
)

// MustOpen opens the database at path and closes it when tb ends.
func MustOpen(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

func open(t *testing.T) storetest.Harness {
	path := filepath.Join(t.TempDir(), "charte.db")
	db := MustOpen(t, path)
	raw, err := sql.Open("sqlite", path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := raw.Close(); err != nil {
			t.Errorf("Close raw: %v", err)
		}
	})
	return storetest.Harness{
		Log:      db,
		Charters: db,
		Users:    db,
		Sessions: db,
		Stats:    db,
		DB:       raw,
		Unguard: []string{
			`DROP TRIGGER decisions_no_update`, `DROP TRIGGER decisions_no_delete`,
			`DROP TRIGGER log_head_no_delete`, `DROP TRIGGER log_head_forward_only`,
		},
		OpenLog: func(tb testing.TB) charte.ConsentLog { return MustOpen(tb, path) },
	}
}

func TestConsentLog(t *testing.T) {
	storetest.TestConsentLog(t, open)
}

func TestCharterService(t *testing.T) {
	storetest.TestCharterService(t, open)
}

func TestUserService(t *testing.T) {
	storetest.TestUserService(t, open)
}

func TestSessionService(t *testing.T) {
	storetest.TestSessionService(t, open)
}

func TestStatsService(t *testing.T) {
	storetest.TestStatsService(t, open)
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	t.Run("reopen", func(t *testing.T) {
		// Opening a migrated database again applies nothing and keeps the data.
		path := filepath.Join(t.TempDir(), "charte.db")
		db := MustOpen(t, path)
		storetest.MustAppend(t, db, &charte.Decision{
			ID: "a", Site: "s", CharterVersion: "v", Method: charte.MethodRejectAll,
			CreatedAt: sqliteEpoch, ExpiresAt: sqliteEpoch,
		})
		again := MustOpen(t, path)
		if n, err := again.VerifyLog(ctx); n != 1 || err != nil {
			t.Errorf("VerifyLog() after reopening = %d, %v, want 1, nil", n, err)
		}
		if err := again.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
	t.Run("pragmas", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "charte.db"))
		tests := []struct {
			pragma   string
			readOnly bool
			want     string
		}{
			{"journal_mode", false, "wal"},
			// FULL: an acknowledged decision survives a power loss.
			{"synchronous", false, "2"},
			{"foreign_keys", false, "1"},
			{"busy_timeout", false, "10000"},
			{"query_only", false, "0"},
			{"foreign_keys", true, "1"},
			{"busy_timeout", true, "10000"},
			{"query_only", true, "1"},
		}
		for _, tc := range tests {
			var got string
			err := db.Transact(ctx, &sql.TxOptions{ReadOnly: tc.readOnly}, func(tx *sqlite.Tx) error {
				return tx.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got)
			})
			if err != nil || got != tc.want {
				t.Errorf("PRAGMA %s (read-only %t) = %q, %v, want %q", tc.pragma, tc.readOnly, got, err, tc.want)
			}
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "charte.db")
		MustOpen(t, path)
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = raw.Close() }() // a test connection
		storetest.MustExec(t, raw, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', '')`)
		if db, err := sqlite.Open(ctx, path); err == nil {
			_ = db.Close() // the test fails anyway
			t.Errorf("Open(database from a newer charte) succeeded, want an error")
		}
	})
	t.Run("memory", func(t *testing.T) {
		if db, err := sqlite.Open(ctx, ":memory:"); charte.ErrorCode(err) != charte.EINVALID {
			if db != nil {
				_ = db.Close() // the test fails anyway
			}
			t.Errorf("Open(:memory:) = %v, want %s", err, charte.EINVALID)
		}
	})
}

var sqliteEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func BenchmarkAppend(b *testing.B) {
	storetest.BenchmarkAppend(b, MustOpen(b, filepath.Join(b.TempDir(), "charte.db")))
}

func TestSecretService(t *testing.T) {
	storetest.TestSecretService(t, func(t *testing.T) storetest.SecretHarness {
		path := filepath.Join(t.TempDir(), "charte.db")
		return storetest.SecretHarness{
			Secrets: MustOpen(t, path),
			Open:    func(tb testing.TB) charte.SecretService { return MustOpen(tb, path) },
		}
	})
}
