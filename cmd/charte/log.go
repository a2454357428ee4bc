package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"github.com/charte/charte/internal/charte"
)

// runVerify walks the consent log's hash chain and names the first record
// that was changed, removed or reordered.
func (c *cli) runVerify(ctx context.Context, args []string) int {
	fs := c.flagSet("verify", "verify [--db DSN]\n\nChecks the consent log's integrity: exits 0 when every record is intact, 1 naming the first bad one,\n2 when the database cannot be read (a SQLite path with no database is refused, not created).")
	dsn := c.dbFlag(fs)
	if pos, err := parse(fs, args); err != nil || len(pos) > 0 {
		if err == nil {
			fs.Usage()
		}
		return usageExit(err)
	}
	st, err := openStore(ctx, *dsn, existingDB)
	if err != nil {
		fmt.Fprintf(c.stderr, "charte verify: %v\n", err)
		return exitUsage
	}
	defer st.Close()
	n, err := st.VerifyLog(ctx)
	var bad *charte.ChainError
	switch {
	case errors.As(err, &bad):
		fmt.Fprintf(c.stderr, "charte verify: the consent log is NOT intact: %v (%d records before it are intact)\n", bad, n)
		return exitInvalid
	case err != nil:
		fmt.Fprintf(c.stderr, "charte verify: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "consent log intact: %d records\n", n)
	return exitOK
}

// runExport streams the consent log as CSV or JSON lines.
func (c *cli) runExport(ctx context.Context, args []string) int {
	fs := c.flagSet("export", "export [--db DSN] [--site ID] [--since TIME] [--format csv|jsonl]\n\nStreams the consent log, oldest first, to standard output. A SQLite path with no database is\nrefused (exit 2), not created.")
	dsn := c.dbFlag(fs)
	site := fs.String("site", "", "only this site's decisions")
	since := fs.String("since", "", "only decisions made at or after this time (RFC 3339, or a date YYYY-MM-DD)")
	format := fs.String("format", "csv", "csv or jsonl")
	if pos, err := parse(fs, args); err != nil || len(pos) > 0 {
		if err == nil {
			fs.Usage()
		}
		return usageExit(err)
	}
	var filter charte.DecisionFilter
	if *site != "" {
		filter.Site = site
	}
	if *since != "" {
		t, err := charte.ParseSince(*since)
		if err != nil {
			fmt.Fprintf(c.stderr, "charte export: --since %q: use RFC 3339 (2026-11-28T10:00:00Z) or a date (2026-11-28)\n", *since)
			return exitUsage
		}
		filter.Since = &t
	}
	if *format != "csv" && *format != "jsonl" {
		fmt.Fprintf(c.stderr, "charte export: --format %q is not one of csv, jsonl\n", *format)
		return exitUsage
	}
	st, err := openStore(ctx, *dsn, existingDB)
	if err != nil {
		fmt.Fprintf(c.stderr, "charte export: %v\n", err)
		return exitUsage
	}
	defer st.Close()
	w := bufio.NewWriter(c.stdout)
	err = charte.ExportLog(ctx, st, filter, *format, w)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "charte export: %v\n", err)
		return exitUsage
	}
	return exitOK
}
