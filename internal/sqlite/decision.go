package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

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
	if err := db.Transact(ctx, nil, func(tx *Tx) error {
		return appendRecords(ctx, tx, recs)
	}); err != nil {
		return nil, fmt.Errorf("append decisions: %w", err)
	}
	return recs, nil
}

// appendRecords chains recs to the head of the log and inserts them. The
// transaction holds SQLite's write lock from its first statement (BEGIN
// IMMEDIATE), so no other connection, in this process or another, can move
// the head before it commits.
func appendRecords(ctx context.Context, tx *Tx, recs []*charte.Record) error {
	var head charte.LogHead
	if err := tx.QueryRowContext(ctx, `SELECT seq, id, hash FROM log_head WHERE one = 1`).Scan(&head.Seq, &head.ID, &head.Hash); err != nil {
		return fmt.Errorf("read log head: %w", formatError(err))
	}
	head = charte.Chain(head, recs)
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO decisions (`+recordColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return formatError(err)
	}
	defer stmt.Close()
	for _, r := range recs {
		choices, err := json.Marshal(r.Choices)
		if err != nil {
			return fmt.Errorf("encode choices: %w", err)
		}
		if _, err := stmt.ExecContext(ctx, r.Seq, r.ID, r.Site, r.CharterVersion, string(choices), string(r.Method),
			nullString(r.PreviousID), formatTime(r.CreatedAt), formatTime(r.ExpiresAt), r.PrevHash, r.Hash); err != nil {
			err = formatError(err)
			if charte.ErrorCode(err) == charte.ECONFLICT {
				return &charte.Error{Code: charte.ECONFLICT, Field: "id", Message: "A decision with this id is already recorded.", Err: err}
			}
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE log_head SET seq = ?, id = ?, hash = ? WHERE one = 1`, head.Seq, head.ID, head.Hash); err != nil {
		return fmt.Errorf("move log head: %w", formatError(err))
	}
	return nil
}

// FindDecisionByID returns the record of one decision. Returns ENOTFOUND.
func (db *DB) FindDecisionByID(ctx context.Context, id string) (*charte.Record, error) {
	var r *charte.Record
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		var err error
		r, err = scanRecord(tx.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM decisions WHERE id = ?`, id))
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
		q += ` AND site = ?`
		args = append(args, *filter.Site)
	}
	if filter.Since != nil {
		q += ` AND created_at >= ?`
		args = append(args, formatTime(charte.CeilTime(*filter.Since)))
	}
	if filter.Method != nil {
		q += ` AND method = ?`
		args = append(args, string(*filter.Method))
	}
	if filter.Before != nil {
		q += ` AND created_at < ?`
		args = append(args, formatTime(charte.CeilTime(*filter.Before)))
	}
	if filter.AfterSeq != nil {
		q += ` AND seq > ?`
		args = append(args, *filter.AfterSeq)
	}
	if filter.BeforeSeq != nil {
		q += ` AND seq < ?`
		args = append(args, *filter.BeforeSeq)
	}
	q += ` ORDER BY seq`
	if filter.Newest {
		q += ` DESC`
	}
	if filter.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, filter.Limit)
	}

	var stop error
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
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

// VerifyLog walks the whole log, in one snapshot, through a
// [charte.LogVerifier], which also checks that the log ends at its head. It
// returns the number of good records and a *[charte.ChainError] at the first
// bad one.
func (db *DB) VerifyLog(ctx context.Context) (int64, error) {
	var v charte.LogVerifier
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
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
		r                    charte.Record
		choices, method      string
		previousID           sql.NullString
		createdAt, expiresAt string
	)
	if err := row.Scan(&r.Seq, &r.ID, &r.Site, &r.CharterVersion, &choices, &method, &previousID,
		&createdAt, &expiresAt, &r.PrevHash, &r.Hash); err != nil {
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
	var err error
	if r.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, fmt.Errorf("record %d: %w", r.Seq, err)
	}
	if r.ExpiresAt, err = parseTime(expiresAt); err != nil {
		return nil, fmt.Errorf("record %d: %w", r.Seq, err)
	}
	return &r, nil
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}
