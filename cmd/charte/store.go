package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/postgres"
	"github.com/charte/charte/internal/sqlite"
)

// store is what charte needs of a database, whichever backend it is.
type store interface {
	charte.ConsentLog
	charte.CharterService
	charte.UserService
	charte.SessionService
	charte.StatsService
	charte.SecretService
	Ping(ctx context.Context) error
	Close() error
}

// defaultDSN is the database of every command that has one: an embedded
// SQLite file in the working directory.
const defaultDSN = "sqlite:charte.db"

const dbUsage = "database: sqlite:PATH or postgres://… (env CHARTE_DB)"

// dbFlag defines the --db flag of a command that opens the database.
func (c *cli) dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", c.envDefault("CHARTE_DB", defaultDSN), dbUsage)
}

// How openStore treats a SQLite file that is not there.
const (
	createDB   = true  // create it (serve, user add)
	existingDB = false // refuse it (commands that read what is recorded)
)

// openStore opens the database a --db value names: sqlite:PATH (the
// default, an embedded file) or postgres://… (postgresql:// too). A SQLite
// file that is not there is created when create is set, and refused
// otherwise, so that a mistyped path is never taken for an empty log.
func openStore(ctx context.Context, dsn string, create bool) (store, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return db, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return nil, fmt.Errorf("--db %q: give a file path, as in sqlite:charte.db", dsn)
		}
		open := sqlite.OpenExisting
		if create {
			open = sqlite.Open
		}
		db, err := open(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		return db, nil
	}
	return nil, fmt.Errorf("--db %q: use sqlite:PATH or postgres://USER@HOST:PORT/DB", dsn)
}
