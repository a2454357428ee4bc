package charte

import (
	"context"
	"time"
)

// DecisionFilter selects records of the consent log. Nil fields select all.
type DecisionFilter struct {
	Site  *string
	Since *time.Time
	// Method selects the records of one method.
	Method *Method
	// Before selects records created before this time (exclusive).
	Before *time.Time
	// AfterSeq selects records after this position (for paging).
	AfterSeq *int64
	// BeforeSeq selects records before this position (for paging back).
	BeforeSeq *int64
	// Newest returns the records newest first (descending log order),
	// so that Limit keeps the most recent.
	Newest bool
	// Limit caps the number of records (0: no cap).
	Limit int
}

// ConsentLog is the append-only, hash-chained log of decisions: the proof of
// consent. Implementations: sqlite.DB and postgres.DB.
type ConsentLog interface {
	// AppendDecisions appends decisions to the log, in order, and returns
	// only once they are durably committed. Each decision's ID and CreatedAt
	// must be set. Returns EINVALID, ECONFLICT (duplicate id).
	AppendDecisions(ctx context.Context, ds []*Decision) ([]*Record, error)

	// FindDecisionByID returns the record of one decision. Returns ENOTFOUND.
	FindDecisionByID(ctx context.Context, id string) (*Record, error)

	// FindDecisions calls fn for each selected record, in log order (or
	// its reverse with filter.Newest), and stops at fn's first error, which it returns.
	FindDecisions(ctx context.Context, filter DecisionFilter, fn func(*Record) error) error

	// VerifyLog walks the whole log through a [ChainVerifier] and returns the
	// number of good records, and a *[ChainError] at the first bad one.
	VerifyLog(ctx context.Context) (int64, error)
}

// CharterVersion is one version of a site's charter as the visitor saw it,
// kept once per version so that a receipt can show it again.
type CharterVersion struct {
	Site    string
	Version string
	// Content is the charter's JSON form.
	Content   []byte
	CreatedAt time.Time
}

// CharterService keeps every version of every site's charter.
type CharterService interface {
	// SaveCharterVersion stores a version unless it is stored already.
	SaveCharterVersion(ctx context.Context, v *CharterVersion) error
	// FindCharterVersion returns one version. Returns ENOTFOUND.
	FindCharterVersion(ctx context.Context, site, version string) (*CharterVersion, error)
	// FindCharterVersions returns a site's versions, newest first.
	FindCharterVersions(ctx context.Context, site string) ([]*CharterVersion, error)
}

// SecretSize is the length in bytes of the secrets a [SecretService] creates.
const SecretSize = 32

// SecretService keeps charte's own secrets in the database, such as the key
// that signs the back office's CSRF tokens, so that every instance sharing
// the database holds the same one. Implementations: sqlite.DB and
// postgres.DB.
type SecretService interface {
	// FindOrCreateSecret returns the secret called name, first storing a new
	// one of [SecretSize] random bytes if there is none. Instances that race
	// to create it all get the one that was stored first. Returns EINVALID
	// (see [ValidateSecretName]), EINTERNAL.
	FindOrCreateSecret(ctx context.Context, name string) ([]byte, error)
}

// ValidateSecretName says what is wrong with the name of a secret: it is 1
// to 64 bytes of lowercase letters, digits, '_', '-' and '.'.
func ValidateSecretName(name string) error {
	if name == "" || len(name) > 64 {
		return &Error{Code: EINVALID, Field: "name", Message: "A secret's name has 1 to 64 characters."}
	}
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return &Error{Code: EINVALID, Field: "name", Message: "A secret's name has only lowercase letters, digits, '_', '-' and '.'."}
		}
	}
	return nil
}
