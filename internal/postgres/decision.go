package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements the consent log.
var _ charte.ConsentLog = (*DB)(nil)

// AppendDecisions appends decisions to the consent log in one transaction,
// and returns their records once the transaction is durably committed.
// Returns EINVALID (nothing is stored), ECONFLICT (a decision's id is already
// in the log; nothing is stored).
func (db *DB) AppendDecisions(ctx context.Context, ds []*charte.Decision) ([]*charte.Record, error) {
	recs := make([]*charte.Record, len(ds))
	for i, d := range ds {
		r, err := charte.NewRecord(d)
		if err != nil {
			return nil, err
		}
		recs[i] = r
	}
	if len(recs) == 0 {
		return recs, nil
	}
	if err := db.Transact(ctx, readCommitted, func(tx *Tx) error {
		return appendRecords(ctx, tx, recs)
	}); err != nil {
		return nil, fmt.Errorf("append decisions: %w", err)
	}
	return recs, nil
}

// readCommitted is the isolation of appends, whatever the server's default:
// under it, a SELECT … FOR UPDATE that waited for another appender returns
// the head as that appender left it, and each later statement sees that
// appender's records; a stricter level would fail with serialization errors
// instead.
var readCommitted = &sql.TxOptions{Isolation: sql.LevelReadCommitted}

// insertChunk is the most records inserted by one statement (11 parameters
// each, below PostgreSQL's 65535).
const insertChunk = 500

// appendRecords chains recs to the head of the log and inserts them. Locking
// the single row of log_head serialises appenders across every connection
// and every charte instance until the transaction ends, so no one can move
// the head before this transaction commits.
func appendRecords(ctx context.Context, tx *Tx, recs []*charte.Record) error {
	// An acknowledged decision must survive a crash, whatever the server's
	// or the role's default: wait for the commit to reach the disk.
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit TO on`); err != nil {
		return formatError(err)
	}
	var head charte.LogHead
	if err := tx.QueryRowContext(ctx, `SELECT seq, id, hash FROM log_head WHERE one = 1 FOR UPDATE`).Scan(&head.Seq, &head.ID, &head.Hash); err != nil {
		return fmt.Errorf("read log head: %w", formatError(err))
	}
	head = charte.Chain(head, recs)
	for chunk := range slices.Chunk(recs, insertChunk) {
		var q strings.Builder
		q.WriteString(`INSERT INTO decisions (` + recordColumns + `) VALUES `)
		args := make([]any, 0, 11*len(chunk))
		for i, r := range chunk {
			choices, err := json.Marshal(r.Choices)
			if err != nil {
				return fmt.Errorf("encode choices: %w", err)
			}
			if i > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)",
				n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+11)
			args = append(args, r.Seq, r.ID, r.Site, r.CharterVersion, string(choices), string(r.Method),
				nullString(r.PreviousID), r.CreatedAt, r.ExpiresAt, r.PrevHash, r.Hash)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			err = formatError(err)
			if charte.ErrorCode(err) == charte.ECONFLICT {
				return &charte.Error{Code: charte.ECONFLICT, Field: "id", Message: "A decision with this id is already recorded.", Err: err}
			}
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE log_head SET seq = $1, id = $2, hash = $3 WHERE one = 1`, head.Seq, head.ID, head.Hash); err != nil {
		return fmt.Errorf("move log head: %w", formatError(err))
	}
	return nil
}

// FindDecisionByID returns the record of one decision. Returns ENOTFOUND.
func (db *DB) FindDecisionByID(ctx context.Context, id string) (*charte.Record, error) {
	var r *charte.Record
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		var err error
		r, err = scanRecord(tx.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM decisions WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return charte.Errorf(charte.ENOTFOUND, "No decision has this id.")
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find decision %q: %w", id, err)
	}
	return r, nil
}

// FindDecisions calls fn for each selected record, in log order, as the
// records are read, and stops at fn's first error, which it returns as is.
// Returns EINVALID (negative limit).
func (db *DB) FindDecisions(ctx context.Context, filter charte.DecisionFilter, fn func(*charte.Record) error) error {
	if err := filter.Validate(); err != nil {
		return err
	}
	q := `SELECT ` + recordColumns + ` FROM decisions WHERE true`
	var args []any
	if filter.Site != nil {
		args = append(args, *filter.Site)
		q += fmt.Sprintf(` AND site = $%d`, len(args))
	}
	if filter.Since != nil {
		args = append(args, charte.CeilTime(*filter.Since).UTC())
		q += fmt.Sprintf(` AND created_at >= $%d`, len(args))
	}
	if filter.Method != nil {
		args = append(args, string(*filter.Method))
		q += fmt.Sprintf(` AND method = $%d`, len(args))
	}
	if filter.Before != nil {
		args = append(args, charte.CeilTime(*filter.Before).UTC())
		q += fmt.Sprintf(` AND created_at < $%d`, len(args))
	}
	if filter.AfterSeq != nil {
		args = append(args, *filter.AfterSeq)
		q += fmt.Sprintf(` AND seq > $%d`, len(args))
	}
	if filter.BeforeSeq != nil {
		args = append(args, *filter.BeforeSeq)
		q += fmt.Sprintf(` AND seq < $%d`, len(args))
	}
	q += ` ORDER BY seq`
	if filter.Newest {
		q += ` DESC`
	}
	if filter.Limit > 0 {
		args = append(args, filter.Limit)
		q += fmt.Sprintf(` LIMIT $%d`, len(args))
	}

	// One attempt only: a retry would call fn again for records it has seen.
	var stop error
	err := db.transact(ctx, readOnly, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return formatError(err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				return err
			}
			if err := fn(r); err != nil {
				stop = err
				return err
			}
		}
		return formatError(rows.Err())
	})
	if stop != nil {
		return stop
	}
	if err != nil {
		return fmt.Errorf("find decisions: %w", err)
	}
	return nil
}

// snapshot is the isolation of verification: the head and every record are
// read from one snapshot, even while appends go on.
var snapshot = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}

// VerifyLog walks the whole log, in one snapshot, through a
// [charte.LogVerifier], which also checks that the log ends at its head. It
// returns the number of good records and a *[charte.ChainError] at the first
// bad one.
func (db *DB) VerifyLog(ctx context.Context) (int64, error) {
	var v charte.LogVerifier
	err := db.transact(ctx, snapshot, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT seq, id, hash FROM log_head WHERE one = 1`).Scan(&v.Head.Seq, &v.Head.ID, &v.Head.Hash); err != nil {
			return fmt.Errorf("read log head: %w", formatError(err))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+recordColumns+` FROM decisions ORDER BY seq`)
		if err != nil {
			return formatError(err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				return err
			}
			if v.Next(r) != nil {
				return nil // End reports it
			}
		}
		return formatError(rows.Err())
	})
	if err != nil {
		return v.Count(), fmt.Errorf("verify log: %w", err)
	}
	return v.End()
}

// recordColumns are the columns of a record, in the order of scanRecord.
const recordColumns = `seq, id, site, charter_version, choices, method, previous_id, created_at, expires_at, prev_hash, hash`

func scanRecord(row interface{ Scan(...any) error }) (*charte.Record, error) {
	var (
		r               charte.Record
		choices, method string
		previousID      sql.NullString
	)
	if err := row.Scan(&r.Seq, &r.ID, &r.Site, &r.CharterVersion, &choices, &method, &previousID,
		&r.CreatedAt, &r.ExpiresAt, &r.PrevHash, &r.Hash); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, formatError(err)
	}
	r.Method = charte.Method(method)
	r.PreviousID = previousID.String
	if err := json.Unmarshal([]byte(choices), &r.Choices); err != nil {
		return nil, fmt.Errorf("record %d: stored choices: %w", r.Seq, err)
	}
	if r.Choices == nil {
		r.Choices = map[string]bool{}
	}
	r.CreatedAt = r.CreatedAt.UTC()
	r.ExpiresAt = r.ExpiresAt.UTC()
	return &r, nil
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}
