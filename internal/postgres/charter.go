package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements the charter service.
var _ charte.CharterService = (*DB)(nil)

// SaveCharterVersion stores a version of a site's charter unless that version
// is stored already, in which case the stored one is kept. A zero CreatedAt
// means now. Returns EINVALID.
func (db *DB) SaveCharterVersion(ctx context.Context, v *charte.CharterVersion) error {
	if err := v.Validate(); err != nil {
		return err
	}
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		createdAt := v.CreatedAt
		if createdAt.IsZero() {
			createdAt = tx.Now
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO charter_versions (site, version, content, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (site, version) DO NOTHING`, v.Site, v.Version, string(v.Content), charte.StoredTime(createdAt))
		return formatError(err)
	})
	if err != nil {
		return fmt.Errorf("save charter version %s/%s: %w", v.Site, v.Version, err)
	}
	return nil
}

// FindCharterVersion returns one version of a site's charter. Returns
// ENOTFOUND.
func (db *DB) FindCharterVersion(ctx context.Context, site, version string) (*charte.CharterVersion, error) {
	var v *charte.CharterVersion
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		var err error
		v, err = scanCharterVersion(tx.QueryRowContext(ctx, `SELECT site, version, content, created_at
			FROM charter_versions WHERE site = $1 AND version = $2`, site, version))
		if errors.Is(err, sql.ErrNoRows) {
			return charte.Errorf(charte.ENOTFOUND, "This version of the charter is not known.")
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find charter version %s/%s: %w", site, version, err)
	}
	return v, nil
}

// FindCharterVersions returns a site's charter versions, newest first (by
// CreatedAt, then by version, bytewise, for equal times); none is not an error.
func (db *DB) FindCharterVersions(ctx context.Context, site string) ([]*charte.CharterVersion, error) {
	vs := []*charte.CharterVersion{}
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT site, version, content, created_at
			FROM charter_versions WHERE site = $1 ORDER BY created_at DESC, version COLLATE "C" DESC`, site)
		if err != nil {
			return formatError(err)
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scanCharterVersion(rows)
			if err != nil {
				return err
			}
			vs = append(vs, v)
		}
		return formatError(rows.Err())
	})
	if err != nil {
		return nil, fmt.Errorf("find charter versions of %s: %w", site, err)
	}
	return vs, nil
}

func scanCharterVersion(row interface{ Scan(...any) error }) (*charte.CharterVersion, error) {
	var v charte.CharterVersion
	var content string
	if err := row.Scan(&v.Site, &v.Version, &content, &v.CreatedAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, formatError(err)
	}
	v.Content = []byte(content)
	v.CreatedAt = v.CreatedAt.UTC()
	return &v, nil
}
