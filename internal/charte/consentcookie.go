package charte

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
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

// CheckConsentCookie returns an EINVALID error naming "categories" when a
// decision on ch could make a consent cookie longer than
// [consent.MaxCookieLen]: the middleware and the proxy would read that
// cookie as no decision at all, and treat a visitor who accepted as one who
// never chose. The message names the longest ids, which are what to
// shorten.
func (ch *Charter) CheckConsentCookie() error {
	n := ch.LongestConsentCookie()
	if n <= consent.MaxCookieLen {
		return nil
	}
	ids := make([]string, 0, len(ch.Categories))
	for _, c := range ch.Categories {
		if c.ID != CategoryNecessary {
			ids = append(ids, c.ID)
		}
	}
	slices.SortStableFunc(ids, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	var named []string
	excess := n - consent.MaxCookieLen
	for _, id := range ids {
		named = append(named, fmt.Sprintf("%s (%d characters)", id, len(id)))
		if excess -= len(id) - 1; excess <= 0 {
			break
		}
	}
	return &Error{Code: EINVALID, Field: "categories", Message: fmt.Sprintf(
		"the consent cookie of a visitor who accepts every category would be %d bytes, more than the %d that charte reads back: shorten the longest category ids by %d characters in all, such as %s",
		n, consent.MaxCookieLen, n-consent.MaxCookieLen, strings.Join(named, ", "))}
}
