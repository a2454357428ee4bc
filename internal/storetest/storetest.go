// Package storetest is the conformance suite of charte's stores: the sqlite
// and postgres packages run the same Test… functions from their _test.go
// files, so that the two backends keep one contract.
//
// It may import package charte, testing and go-cmp, and must be imported
// only from _test.go files.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"runtime"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
)

// Harness is a store under test, on a fresh, empty database of its own.
type Harness struct {
	Log      charte.ConsentLog
	Charters charte.CharterService
	Users    charte.UserService
	Sessions charte.SessionService
	Stats    charte.StatsService

	// DB is a separate, raw connection to the same database, through which
	// tests change rows behind the store's back, as an intruder would. The
	// tables and columns are named alike in every backend, so that the same
	// SQL works on each (no placeholders: they differ).
	DB *sql.DB

	// Unguard drops the database's append-only guards of the consent log
	// (its triggers), as an intruder allowed to alter tables would, so that
	// tests can then change the log behind the store's back. Its statements
	// run on DB.
	Unguard []string

	// OpenLog opens another handle on the same database, as a second charte
	// process would, and closes it when t ends.
	OpenLog func(t testing.TB) charte.ConsentLog
}

// newID returns a random decision id of 128 bits, as the API makes them.
func newID(tb testing.TB) string {
	tb.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// base is the time of the suite's decisions: not in UTC, with nanoseconds,
// so that storage must normalise it.
var base = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600))

// newDecision returns a valid decision for site, created at base plus n
// minutes.
func newDecision(tb testing.TB, site string, n int) *charte.Decision {
	tb.Helper()
	created := base.Add(time.Duration(n) * time.Minute)
	return &charte.Decision{
		ID:             newID(tb),
		Site:           site,
		CharterVersion: "v1",
		Choices:        map[string]bool{"necessary": true, "preferences": n%2 == 0, "statistics": false},
		Method:         charte.MethodCustom,
		CreatedAt:      created,
		ExpiresAt:      created.AddDate(0, 6, 0),
	}
}

// MustAppend appends ds to log in one batch and returns their records.
func MustAppend(tb testing.TB, log charte.ConsentLog, ds ...*charte.Decision) []*charte.Record {
	tb.Helper()
	recs, err := log.AppendDecisions(context.Background(), ds)
	if err != nil {
		tb.Fatalf("AppendDecisions: %v", err)
	}
	return recs
}

// MustExec runs statements on a raw connection.
func MustExec(tb testing.TB, db *sql.DB, stmts ...string) {
	tb.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }
