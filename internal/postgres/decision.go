package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
		r, err := newRecord(d)
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
	var seq int64
	var hash string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM log_head WHERE one = 1 FOR UPDATE`).Scan(&seq, &hash); err != nil {
		return fmt.Errorf("read log head: %w", formatError(err))
	}
	for _, r := range recs {
		seq++
		r.Seq = seq
		r.PrevHash = hash
		r.Hash = r.ComputeHash()
		hash = r.Hash
	}
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
	last := recs[len(recs)-1]
	if _, err := tx.ExecContext(ctx, `UPDATE log_head SET seq = $1, id = $2, hash = $3 WHERE one = 1`, last.Seq, last.ID, last.Hash); err != nil {
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
	if filter.Limit < 0 {
		return charte.FieldErrorf("limit", "The limit must not be negative.")
	}
	q := `SELECT ` + recordColumns + ` FROM decisions WHERE true`
	var args []any
	if filter.Site != nil {
		args = append(args, *filter.Site)
		q += fmt.Sprintf(` AND site = $%d`, len(args))
	}
	if filter.Since != nil {
		args = append(args, ceilTime(*filter.Since).UTC())
		q += fmt.Sprintf(` AND created_at >= $%d`, len(args))
	}
	if filter.AfterSeq != nil {
		args = append(args, *filter.AfterSeq)
		q += fmt.Sprintf(` AND seq > $%d`, len(args))
	}
	q += ` ORDER BY seq`
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
// [charte.ChainVerifier], then checks that the log ends at its head. It
// returns the number of good records and a *[charte.ChainError] at the first
// bad one.
func (db *DB) VerifyLog(ctx context.Context) (int64, error) {
	var v charte.ChainVerifier
	var good int64
	var chainErr error
	err := db.transact(ctx, snapshot, func(tx *Tx) error {
		var head logHead
		if err := tx.QueryRowContext(ctx, `SELECT seq, id, hash FROM log_head WHERE one = 1`).Scan(&head.seq, &head.id, &head.hash); err != nil {
			return fmt.Errorf("read log head: %w", formatError(err))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+recordColumns+` FROM decisions ORDER BY seq`)
		if err != nil {
			return formatError(err)
		}
		defer rows.Close()
		var tail tailCheck
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				return err
			}
			if err := v.Next(r); err != nil {
				chainErr = err
				good = v.Count()
				return nil
			}
			tail.see(r, head)
		}
		if err := rows.Err(); err != nil {
			return formatError(err)
		}
		good, chainErr = tail.check(&v, head)
		return nil
	})
	if err != nil {
		return v.Count(), fmt.Errorf("verify log: %w", err)
	}
	return good, chainErr
}

// logHead is the row of log_head: the last record appended by charte.
type logHead struct {
	seq  int64
	id   string
	hash string
}

// tailCheck finds what the hash chain alone cannot see: records removed from
// the end of the log, the last record replaced, or records added after the
// head.
type tailCheck struct {
	headHash  string // hash of the record at the head's seq, as found
	afterID   string // id of the record just after the head, if any
	afterSeen bool
}

func (c *tailCheck) see(r *charte.Record, head logHead) {
	switch r.Seq {
	case head.seq:
		c.headHash = r.Hash
	case head.seq + 1:
		c.afterID, c.afterSeen = r.ID, true
	}
}

// check returns the number of good records, and a *ChainError if the
// verified chain does not end at the head.
func (c *tailCheck) check(v *charte.ChainVerifier, head logHead) (int64, error) {
	switch {
	case v.Count() < head.seq:
		return v.Count(), &charte.ChainError{Seq: head.seq, ID: head.id,
			Reason: fmt.Sprintf("the log ends at record %d, before the last record appended: records at the end of the log were removed", v.Count())}
	case c.headHash != head.hash:
		return head.seq - 1, &charte.ChainError{Seq: head.seq, ID: head.id,
			Reason: "it is not the last record appended: the end of the log was replaced"}
	case c.afterSeen:
		return head.seq, &charte.ChainError{Seq: head.seq + 1, ID: c.afterID,
			Reason: "it comes after the last record appended: it was added to the log from outside"}
	}
	return v.Count(), nil
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

// ceilTime rounds t up to [charte.TimePrecision], so that "created at or
// after t" keeps its meaning for stored times.
func ceilTime(t time.Time) time.Time {
	if tt := t.Truncate(charte.TimePrecision); !tt.Equal(t) {
		return tt.Add(charte.TimePrecision)
	}
	return t
}

// newRecord validates d and returns the record to append: a copy of d, its
// times in UTC at [charte.TimePrecision] as they will be stored and read back,
// so that the record hashes the same before and after. Returns EINVALID.
//
// The sqlite package has the same check: it belongs in the domain, as a
// Decision.Validate that the API could share.
func newRecord(d *charte.Decision) (*charte.Record, error) {
	if d == nil {
		return nil, charte.Errorf(charte.EINVALID, "A decision is missing.")
	}
	for _, f := range []struct{ name, value string }{
		{"id", d.ID}, {"site", d.Site}, {"charter_version", d.CharterVersion},
	} {
		if f.value == "" {
			return nil, charte.FieldErrorf(f.name, "The %s is missing.", f.name)
		}
		if !validText(f.value) {
			return nil, charte.FieldErrorf(f.name, "The %s must be UTF-8 text without NUL characters.", f.name)
		}
	}
	if !validText(d.PreviousID) {
		return nil, charte.FieldErrorf("previous_id", "The previous_id must be UTF-8 text without NUL characters.")
	}
	if !d.Method.Valid() {
		return nil, charte.FieldErrorf("method", "The method %q is not one of accept_all, reject_all, custom, gpc, withdraw.", d.Method)
	}
	for k := range d.Choices {
		if k == "" || !validText(k) {
			return nil, charte.FieldErrorf("choices", "Each category of the choices must be non-empty UTF-8 text without NUL characters.")
		}
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"created_at", d.CreatedAt}, {"expires_at", d.ExpiresAt}} {
		if f.t.IsZero() {
			return nil, charte.FieldErrorf(f.name, "The %s time is missing.", f.name)
		}
		if y := f.t.UTC().Year(); y < 1 || y > 9999 {
			return nil, charte.FieldErrorf(f.name, "The %s time must be between years 1 and 9999.", f.name)
		}
	}
	if d.ExpiresAt.Before(d.CreatedAt) {
		return nil, charte.FieldErrorf("expires_at", "The expiry must not come before the creation time.")
	}
	r := &charte.Record{Decision: *d}
	r.Choices = maps.Clone(d.Choices)
	if r.Choices == nil {
		r.Choices = map[string]bool{}
	}
	r.CreatedAt = d.CreatedAt.UTC().Truncate(charte.TimePrecision)
	r.ExpiresAt = d.ExpiresAt.UTC().Truncate(charte.TimePrecision)
	return r, nil
}

// validText reports whether s can be stored as text by both backends:
// PostgreSQL refuses invalid UTF-8 and NUL characters.
func validText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
