// Package password hashes and checks back-office passwords with argon2id
// (RFC 9106), stored as PHC strings. It may import the standard library and
// golang.org/x/crypto.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// MinLength is the shortest password accepted, in characters.
const MinLength = 12

// MaxLength is the longest password accepted, in bytes: argon2 takes any
// length, but an unbounded input is a denial of service.
const MaxLength = 1024

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow RFC 9106's second recommended option (64 MiB, 3
// passes), scaled to one thread so a sign-in takes one core briefly.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 1}

// ErrMismatch is returned by [Check] for a wrong password.
var ErrMismatch = errors.New("password: mismatch")

// Validate says what is wrong with a new password, or returns nil.
func Validate(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinLength:
		return fmt.Errorf("the password must have at least %d characters", MinLength)
	case len(pw) > MaxLength:
		return fmt.Errorf("the password must have at most %d bytes", MaxLength)
	}
	return nil
}

// Hash returns the PHC string of pw hashed with argon2id and a random salt.
func Hash(pw string, p Params) (string, error) {
	if err := Validate(pw); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (Go ≥ 1.24)
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Check reports whether pw matches the PHC string hash: nil when it does,
// [ErrMismatch] when it does not, another error when hash is malformed.
func Check(pw, hash string) error {
	if len(pw) > MaxLength {
		return ErrMismatch
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return fmt.Errorf("password: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return fmt.Errorf("password: unsupported argon2 version %q", parts[2])
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 || p.Memory > 4<<20 {
		return fmt.Errorf("password: bad argon2 parameters %q", parts[3])
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return fmt.Errorf("password: bad argon2 salt or key")
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}
