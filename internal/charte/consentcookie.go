package charte

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/charte/charte/consent"
)

// decisionIDBytes is the randomness of a decision id: 128 bits, written in
// base64url without padding ([DecisionIDLen] characters).
const decisionIDBytes = 16

// DecisionIDLen is the length of the ids that [NewDecisionID] makes.
const DecisionIDLen = (decisionIDBytes*8 + 5) / 6

// NewDecisionID returns a random, unguessable decision id.
func NewDecisionID() string {
	var b [decisionIDBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// VersionLen is the length of a charter version: 12 hex digits of a
// SHA-256 (charterfile.Version makes them).
const VersionLen = 12

// LongestConsentCookie returns the length of the longest cookies_preferences
// value that a decision on ch can be written as: every category granted, a
// decision id of [DecisionIDLen], and times with ten digits (until 2286).
// [Charter.Check] refuses a charter for which it is more than
// [consent.MaxCookieLen].
func (ch *Charter) LongestConsentCookie() int {
	granted := make([]string, 0, len(ch.Categories))
	for _, c := range ch.Categories {
		granted = append(granted, c.ID)
	}
	far := time.Unix(9_999_999_999, 0)
	d := consent.Decision{
		ID:      strings.Repeat("A", DecisionIDLen),
		Version: strings.Repeat("0", max(VersionLen, len(ch.Version))),
		Granted: granted,
		Method:  string(MethodAcceptAll),
		Created: far,
		Expires: far,
	}
	return len(d.Encode())
}
