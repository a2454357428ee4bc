package sqlite

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements charte's secrets.
var _ charte.SecretService = (*DB)(nil)

// FindOrCreateSecret returns the secret called name, first storing a new one
// of [charte.SecretSize] random bytes if there is none. The insert and the
// read run in one write transaction, so that two processes on the same file
// get the same secret. Returns EINVALID (a bad name), EINTERNAL.
func (db *DB) FindOrCreateSecret(ctx context.Context, name string) ([]byte, error) {
	if err := charte.ValidateSecretName(name); err != nil {
		return nil, fmt.Errorf("find or create secret %q: %w", name, err)
	}
	fresh := make([]byte, charte.SecretSize)
	_, _ = rand.Read(fresh) // crypto/rand.Read never fails (Go ≥ 1.24)
	var value []byte
	err := db.Transact(ctx, nil, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
			name, fresh, formatTime(tx.Now)); err != nil {
			return formatError(err)
		}
		return formatError(tx.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = ?`, name).Scan(&value))
	})
	if err != nil {
		// Never the secret in a message.
		return nil, fmt.Errorf("find or create secret %q: %w", name, err)
	}
	return value, nil
}
