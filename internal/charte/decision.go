package charte

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Method says how a visitor reached a [Decision].
type Method string

// The methods of a decision, as sent by the banner and stored in the log.
const (
	MethodAcceptAll Method = "accept_all"
	MethodRejectAll Method = "reject_all"
	MethodCustom    Method = "custom"
	MethodGPC       Method = "gpc"
	MethodWithdraw  Method = "withdraw"
)

// Methods lists every method, in the order the documentation gives them.
// It is the one list: the banner's TypeScript and the consent package's
// cookie letters are tested against it.
func Methods() []Method {
	return []Method{MethodAcceptAll, MethodRejectAll, MethodCustom, MethodGPC, MethodWithdraw}
}

// Valid reports whether m is one of the known methods.
func (m Method) Valid() bool { return slices.Contains(Methods(), m) }

// MethodList is the methods written out for a message: "accept_all,
// reject_all, custom, gpc, withdraw".
func MethodList() string {
	names := make([]string, 0, 5)
	for _, m := range Methods() {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}

// Decision is a visitor's choice, for one site under one charter version: a
// granted or denied flag per category. It carries no personal data: no IP
// address, no user-agent, nothing but what is here.
type Decision struct {
	// ID is random and unguessable (at least 128 bits).
	ID             string          `json:"id"`
	Site           string          `json:"site"`
	CharterVersion string          `json:"charter_version"`
	Choices        map[string]bool `json:"choices"`
	Method         Method          `json:"method"`
	// PreviousID is the decision this one replaces, if the visitor had one.
	PreviousID string    `json:"previous_id,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// DecisionRequest is what a visitor's banner asks to record, once decoded:
// the charter version it showed, how the visitor decided, the decision this
// one replaces, and the categories the visitor set.
type DecisionRequest struct {
	CharterVersion string
	Method         Method
	// PreviousID is the id of the decision this one replaces ("" for none).
	PreviousID string
	// Choices are the categories the visitor set, granted or denied. A
	// category left out is filled in by [Charter.NewDecision].
	Choices map[string]bool
}

// NewDecision validates req against the charter and returns the decision to
// record, created at now (as stored: see [StoredTime]) and expiring after
// the site's consent lifetime. Choices are completed so that the decision
// says, for every category of the charter and no other, what the visitor
// chose: necessary is always granted; accept_all grants and reject_all
// denies every other category; otherwise a category left out is denied,
// except an exempt one, which is on until the visitor objects.
//
// It returns an EINVALID error naming the field at fault, in this order:
// charter_version (missing, or not the charter's current version: the
// banner must be shown again), method, previous_id (not the shape of a
// decision id: whether the log holds it is for the caller to check), and
// choices.<category> for the first category, in sorted order, that the
// charter does not have.
func (ch *Charter) NewDecision(req DecisionRequest, now time.Time) (*Decision, error) {
	switch {
	case req.CharterVersion == "":
		return nil, FieldErrorf("charter_version", "charter_version is required.")
	case req.CharterVersion != ch.Version:
		return nil, FieldErrorf("charter_version", "Charter version %q is not the current version %q of site %q: show the banner again.", req.CharterVersion, ch.Version, ch.Site.ID)
	case !req.Method.Valid():
		return nil, FieldErrorf("method", "method must be one of %s.", MethodList())
	case req.PreviousID != "" && !ValidDecisionID(req.PreviousID):
		return nil, FieldErrorf("previous_id", "previous_id is not a decision id.")
	}
	for _, k := range slices.Sorted(maps.Keys(req.Choices)) {
		if _, ok := ch.Category(k); !ok {
			return nil, FieldErrorf("choices."+k, "Site %q has no category %q.", ch.Site.ID, k)
		}
	}
	choices := make(map[string]bool, len(ch.Categories))
	for _, c := range ch.Categories {
		v, given := req.Choices[c.ID]
		switch {
		case c.Necessary():
			v = true
		case req.Method == MethodAcceptAll:
			v = true
		case req.Method == MethodRejectAll:
			v = false
		case !given:
			v = c.Exempt
		}
		choices[c.ID] = v
	}
	created := StoredTime(now)
	return &Decision{
		ID:             NewDecisionID(),
		Site:           ch.Site.ID,
		CharterVersion: ch.Version,
		Choices:        choices,
		Method:         req.Method,
		PreviousID:     req.PreviousID,
		CreatedAt:      created,
		ExpiresAt:      ch.Site.ConsentLifetime.AddTo(created),
	}, nil
}

// ValidDecisionID reports whether s has the shape of a decision id: 16 to 64
// characters among letters, digits, - and _ (ids from [NewDecisionID] have
// [DecisionIDLen]; the range leaves room for ids of other origins).
func ValidDecisionID(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Record is a [Decision] as kept in the consent log: its place in the log
// and the hash that chains it to the record before it, so that any record
// changed, removed or reordered breaks the chain.
type Record struct {
	Decision
	// Seq is the record's position in the log, from 1, without gaps.
	Seq int64 `json:"seq"`
	// PrevHash is the previous record's Hash ("" for the first record).
	PrevHash string `json:"prev_hash"`
	// Hash is [Record.ComputeHash] of this record.
	Hash string `json:"hash"`
}

// TimePrecision is the precision at which decision times are stored and
// hashed: PostgreSQL keeps microseconds.
const TimePrecision = time.Microsecond

// StoredTime returns t as every store keeps it and every hash reads it: in
// UTC, truncated to [TimePrecision]. It is the one place where times are
// cut, so that a time compares equal before and after a round trip through
// either store.
func StoredTime(t time.Time) time.Time { return t.UTC().Truncate(TimePrecision) }

// ComputeHash returns the SHA-256, in hex, of the record's canonical form:
// its sequence number, every field of its decision (choices sorted by
// category, times in UTC at [TimePrecision]) and the previous record's hash.
func (r *Record) ComputeHash() string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	field("charte-log-v1")
	field(strconv.FormatInt(r.Seq, 10))
	field(r.ID)
	field(r.Site)
	field(r.CharterVersion)
	keys := make([]string, 0, len(r.Choices))
	for k := range r.Choices {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	field(strconv.Itoa(len(keys)))
	for _, k := range keys {
		field(k)
		field(strconv.FormatBool(r.Choices[k]))
	}
	field(string(r.Method))
	field(r.PreviousID)
	field(StoredTime(r.CreatedAt).Format(time.RFC3339Nano))
	field(StoredTime(r.ExpiresAt).Format(time.RFC3339Nano))
	field(r.PrevHash)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// ChainVerifier checks the records of a consent log, fed in log order, and
// stops at the first one that breaks the chain.
type ChainVerifier struct {
	prevHash string
	next     int64
	count    int64
}

// Next checks one record. It returns a *[ChainError] naming the record when
// the record was changed, or when records before it were removed or
// reordered.
func (v *ChainVerifier) Next(r *Record) error {
	if v.next == 0 {
		v.next = 1
	}
	switch {
	case r.Seq != v.next:
		return &ChainError{Seq: r.Seq, ID: r.ID, Reason: fmt.Sprintf("expected record %d here: records were removed or reordered", v.next)}
	case r.PrevHash != v.prevHash:
		return &ChainError{Seq: r.Seq, ID: r.ID, Reason: "its link to the previous record does not match: the previous record was changed, removed or reordered"}
	case r.ComputeHash() != r.Hash:
		return &ChainError{Seq: r.Seq, ID: r.ID, Reason: "its content does not match its hash: the record was changed"}
	}
	v.prevHash = r.Hash
	v.next++
	v.count++
	return nil
}

// Count returns the number of records checked so far.
func (v *ChainVerifier) Count() int64 { return v.count }

// Head returns the hash of the last good record ("" before the first).
func (v *ChainVerifier) Head() string { return v.prevHash }

// ChainError is the first record of a consent log that breaks the chain.
type ChainError struct {
	Seq    int64
	ID     string
	Reason string
}

// Error describes the bad record.
func (e *ChainError) Error() string {
	return fmt.Sprintf("record %d (decision %s): %s", e.Seq, e.ID, e.Reason)
}
