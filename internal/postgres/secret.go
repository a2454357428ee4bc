package postgres

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements charte's secrets.
var _ charte.SecretService = (*DB)(nil)

// FindOrCreateSecret returns the secret called name, first storing a new one
// of [charte.SecretSize] random bytes if there is none. Instances racing to
// create it are ordered by the primary key: the insert of the later ones
// waits for the first to commit, then does nothing, and their read, a new
// snapshot at read committed, sees the first one's secret. Returns EINVALID
// (a bad name), EINTERNAL.
func (db *DB) FindOrCreateSecret(ctx context.Context, name string) ([]byte, error) {
	if err := charte.ValidateSecretName(name); err != nil {
		return nil, fmt.Errorf("find or create secret %q: %w", name, err)
	}
	fresh := make([]byte, charte.SecretSize)
	_, _ = rand.Read(fresh) // crypto/rand.Read never fails (Go ≥ 1.24)
	var value []byte
	err := db.Transact(ctx, readCommitted, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			name, fresh, tx.Now); err != nil {
			return formatError(err)
		}
		return formatError(tx.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = $1`, name).Scan(&value))
	})
	if err != nil {
		// Never the secret in a message.
		return nil, fmt.Errorf("find or create secret %q: %w", name, err)
	}
	return value, nil
}
