package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/postgres"
	"github.com/charte/charte/internal/storetest"
)

// dsnOrSkip returns a DSN for a fresh schema of the test database, dropped
// when tb ends, so that tests run in parallel; it skips the test when
// CHARTE_TEST_POSTGRES_DSN is not set.
func dsnOrSkip(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("CHARTE_TEST_POSTGRES_DSN")
	if base == "" {
		tb.Skip("CHARTE_TEST_POSTGRES_DSN is not set")
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := admin.Close(); err != nil {
			tb.Errorf("close admin connection: %v", err)
		}
	})
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("CHARTE_TEST_POSTGRES_DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpen opens the database at dsn and closes it when tb ends.
func MustOpen(tb testing.TB, dsn string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

func open(t *testing.T) storetest.Harness {
	dsn := dsnOrSkip(t)
	db := MustOpen(t, dsn)
	raw, err := sql.Open("pgx", dsn)
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
		Unguard:  []string{`ALTER TABLE decisions DISABLE TRIGGER USER`, `ALTER TABLE log_head DISABLE TRIGGER USER`},
		OpenLog:  func(tb testing.TB) charte.ConsentLog { return MustOpen(tb, dsn) },
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
	t.Run("concurrent", func(t *testing.T) {
		// Instances starting at once on an empty database: the advisory
		// lock lets one migrate while the others wait.
		dsn := dsnOrSkip(t)
		errs := make(chan error, 4)
		for range cap(errs) {
			go func() {
				db, err := postgres.Open(ctx, dsn)
				if err == nil {
					err = db.Close()
				}
				errs <- err
			}()
		}
		for range cap(errs) {
			if err := <-errs; err != nil {
				t.Errorf("Open: %v", err)
			}
		}
		db := MustOpen(t, dsn)
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		dsn := dsnOrSkip(t)
		MustOpen(t, dsn)
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = raw.Close() }() // a test connection
		storetest.MustExec(t, raw, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', now())`)
		if db, err := postgres.Open(ctx, dsn); err == nil {
			_ = db.Close() // the test fails anyway
			t.Errorf("Open(database from a newer charte) succeeded, want an error")
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	storetest.BenchmarkAppend(b, MustOpen(b, dsnOrSkip(b)))
}

func TestSecretService(t *testing.T) {
	storetest.TestSecretService(t, func(t *testing.T) storetest.SecretHarness {
		dsn := dsnOrSkip(t)
		return storetest.SecretHarness{
			Secrets: MustOpen(t, dsn),
			Open:    func(tb testing.TB) charte.SecretService { return MustOpen(tb, dsn) },
		}
	})
}

// TestTruncateRefused checks the one way of emptying a table that SQLite
// lacks: TRUNCATE is refused on the consent log and its head.
func TestTruncateRefused(t *testing.T) {
	h := open(t)
	storetest.MustAppend(t, h.Log, &charte.Decision{
		ID: "truncate-test-decision", Site: "s", CharterVersion: "v", Method: charte.MethodRejectAll,
		CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour),
	})
	for _, table := range []string{"decisions", "log_head", "decisions, log_head"} {
		if _, err := h.DB.ExecContext(context.Background(), `TRUNCATE `+table); err == nil {
			t.Errorf("TRUNCATE %s: accepted, want an error", table)
		}
	}
	if n, err := h.Log.VerifyLog(context.Background()); n != 1 || err != nil {
		t.Errorf("VerifyLog() = %d, %v, want 1, nil", n, err)
	}
}
