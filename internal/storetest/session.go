package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// TestSessionService runs the conformance tests of [charte.SessionService],
// with [charte.UserService] for the sessions' users. open returns a store on
// a fresh database for each test, which run in parallel.
func TestSessionService(t *testing.T, open func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) Harness)
	}{
		{"CreateTouch", testSessionCreateTouch},
		{"CreateDefaults", testSessionCreateDefaults},
		{"Invalid", testSessionInvalid},
		{"Duplicate", testSessionDuplicate},
		{"Expiry", testSessionExpiry},
		{"Delete", testSessionDelete},
		{"DeleteExpired", testSessionDeleteExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// sessionStart is when the suite's sessions begin: not in UTC, with
// nanoseconds, so that storage must normalise it.
var sessionStart = time.Date(2025, 6, 2, 10, 30, 0, 123456789, time.FixedZone("CEST", 2*3600))

// sessionLifetime is how long the suite's sessions last at most.
const sessionLifetime = 12 * time.Hour

// newTokenHash returns the hex SHA-256 of a new random session token.
func newTokenHash(tb testing.TB) string {
	tb.Helper()
	token := make([]byte, 32)
	if _, err := rand.Read(token); err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(token)
	return hex.EncodeToString(sum[:])
}

// MustCreateSession creates a session of the user userID, begun at
// sessionStart and lasting sessionLifetime at most, and returns it as
// stored.
func MustCreateSession(tb testing.TB, s charte.SessionService, userID int64) *charte.Session {
	tb.Helper()
	sess := &charte.Session{
		TokenHash: newTokenHash(tb),
		UserID:    userID,
		CreatedAt: sessionStart,
		LastSeen:  sessionStart,
		ExpiresAt: sessionStart.Add(sessionLifetime),
	}
	if err := s.CreateSession(context.Background(), sess); err != nil {
		tb.Fatalf("CreateSession: %v", err)
	}
	return sess
}

// countSessions returns how many sessions have the token hash h, read
// behind the store's back.
func countSessions(tb testing.TB, h Harness, tokenHash string) int {
	tb.Helper()
	var n int
	// A token hash is hex: safe as a literal.
	if err := h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM sessions WHERE token_hash = '`+tokenHash+`'`).Scan(&n); err != nil {
		tb.Fatalf("count sessions: %v", err)
	}
	return n
}

func testSessionCreateTouch(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	s := MustCreateSession(t, h.Sessions, alice.ID)
	start := charte.StoredTime(sessionStart)
	want := charte.Session{
		TokenHash: s.TokenHash,
		UserID:    alice.ID,
		CreatedAt: start,
		LastSeen:  start,
		ExpiresAt: start.Add(sessionLifetime),
	}
	if diff := cmp.Diff(&want, s); diff != "" {
		t.Errorf("CreateSession session as stored mismatch (-want +got):\n%s", diff)
	}

	const idle = 30 * time.Minute
	steps := []struct {
		name     string
		now      time.Time
		lastSeen time.Time
	}{
		{"first touch", sessionStart.Add(20 * time.Minute), start.Add(20 * time.Minute)},
		// 40 minutes after the creation, 20 after the first touch: the
		// touch moved LastSeen on.
		{"second touch", sessionStart.Add(40 * time.Minute), start.Add(40 * time.Minute)},
		// A touch with an earlier time (another instance's clock) does not
		// move LastSeen back.
		{"earlier touch", sessionStart.Add(35 * time.Minute), start.Add(40 * time.Minute)},
		{"touch in UTC", sessionStart.Add(time.Hour).UTC(), start.Add(time.Hour)},
	}
	for _, step := range steps {
		got, err := h.Sessions.TouchSession(ctx, s.TokenHash, step.now, idle)
		if err != nil {
			t.Fatalf("TouchSession(%s): %v", step.name, err)
		}
		want.LastSeen = step.lastSeen
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("TouchSession(%s) mismatch (-want +got):\n%s", step.name, diff)
		}
		if got.LastSeen.Location() != time.UTC {
			t.Errorf("TouchSession(%s).LastSeen in %v, want UTC", step.name, got.LastSeen.Location())
		}
	}
}

func testSessionCreateDefaults(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	alice := MustCreateUser(t, h.Users, "alice")
	before := charte.StoredTime(time.Now())
	s := &charte.Session{TokenHash: newTokenHash(t), UserID: alice.ID, ExpiresAt: before.Add(time.Hour)}
	if err := h.Sessions.CreateSession(context.Background(), s); err != nil {
		t.Fatalf("CreateSession without CreatedAt and LastSeen: %v", err)
	}
	after := time.Now()
	if s.CreatedAt.Before(before) || s.CreatedAt.After(after) || s.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt of a session created without one = %v, want in UTC between %v and %v", s.CreatedAt, before, after)
	}
	if !s.LastSeen.Equal(s.CreatedAt) {
		t.Errorf("LastSeen of a session created without one = %v, want its CreatedAt %v", s.LastSeen, s.CreatedAt)
	}
}

func testSessionInvalid(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	tests := []struct {
		name   string
		change func(s *charte.Session)
		field  string
	}{
		{"no token hash", func(s *charte.Session) { s.TokenHash = "" }, "token_hash"},
		{"token hash in upper case", func(s *charte.Session) { s.TokenHash = strings.ToUpper(s.TokenHash) }, "token_hash"},
		{"token hash too short", func(s *charte.Session) { s.TokenHash = s.TokenHash[:63] }, "token_hash"},
		{"raw token", func(s *charte.Session) { s.TokenHash = "dGhpcyBpcyBhIHRva2VuIG5vdCBhIGhhc2ggb2YgaXQ" }, "token_hash"},
		{"unknown user", func(s *charte.Session) { s.UserID = alice.ID + 1000 }, "user_id"},
		{"no user", func(s *charte.Session) { s.UserID = 0 }, "user_id"},
		{"no expiry", func(s *charte.Session) { s.ExpiresAt = time.Time{} }, "expires_at"},
		{"expiry at creation", func(s *charte.Session) { s.ExpiresAt = s.CreatedAt }, "expires_at"},
		{"expiry before creation", func(s *charte.Session) { s.ExpiresAt = s.CreatedAt.Add(-time.Hour) }, "expires_at"},
		{"expiry in year 10000", func(s *charte.Session) { s.ExpiresAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "expires_at"},
		{"last seen before creation", func(s *charte.Session) { s.LastSeen = s.CreatedAt.Add(-time.Second) }, "last_seen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &charte.Session{
				TokenHash: newTokenHash(t),
				UserID:    alice.ID,
				CreatedAt: sessionStart,
				LastSeen:  sessionStart,
				ExpiresAt: sessionStart.Add(sessionLifetime),
			}
			tc.change(s)
			err := h.Sessions.CreateSession(ctx, s)
			if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.EINVALID || field != tc.field {
				t.Errorf("CreateSession(%s) = %v (code %q, field %q), want %s on %q", tc.name, err, code, field, charte.EINVALID, tc.field)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		if err := h.Sessions.CreateSession(ctx, nil); charte.ErrorCode(err) != charte.EINVALID {
			t.Errorf("CreateSession(nil) = %v, want %s", err, charte.EINVALID)
		}
	})
	t.Run("idle not positive", func(t *testing.T) {
		s := MustCreateSession(t, h.Sessions, alice.ID)
		for _, idle := range []time.Duration{0, -time.Minute} {
			if got, err := h.Sessions.TouchSession(ctx, s.TokenHash, sessionStart, idle); charte.ErrorCode(err) != charte.EINVALID || got != nil {
				t.Errorf("TouchSession(idle %v) = %v, %v, want nil, %s", idle, got, err, charte.EINVALID)
			}
			if n, err := h.Sessions.DeleteExpiredSessions(ctx, sessionStart, idle); charte.ErrorCode(err) != charte.EINVALID || n != 0 {
				t.Errorf("DeleteExpiredSessions(idle %v) = %d, %v, want 0, %s", idle, n, err, charte.EINVALID)
			}
		}
	})
}

func testSessionDuplicate(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	alice := MustCreateUser(t, h.Users, "alice")
	bob := MustCreateUser(t, h.Users, "bob")
	s := MustCreateSession(t, h.Sessions, alice.ID)
	dup := &charte.Session{TokenHash: s.TokenHash, UserID: bob.ID, CreatedAt: sessionStart, ExpiresAt: sessionStart.Add(time.Hour)}
	err := h.Sessions.CreateSession(context.Background(), dup)
	if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.ECONFLICT || field != "token_hash" {
		t.Errorf("CreateSession(same token hash) = %v (code %q, field %q), want %s on \"token_hash\"", err, code, field, charte.ECONFLICT)
	}
	// The first session is kept, for its user.
	got, err := h.Sessions.TouchSession(context.Background(), s.TokenHash, sessionStart, time.Minute)
	if err != nil || got.UserID != alice.ID {
		t.Errorf("TouchSession(first session) = %v, %v, want alice's session", got, err)
	}
}

func testSessionExpiry(t *testing.T, open func(t *testing.T) Harness) {
	const idle = 30 * time.Minute
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	// Times relative to the session's LastSeen and ExpiresAt as stored.
	start := charte.StoredTime(sessionStart)
	expires := start.Add(sessionLifetime)
	tests := []struct {
		name    string
		touches []time.Time // kept alive by these touches first
		now     time.Time
		expired bool
	}{
		{name: "fresh", now: start},
		{name: "idle exactly the timeout", now: start.Add(idle)},
		{name: "idle a nanosecond too long", now: start.Add(idle + time.Nanosecond), expired: true},
		{name: "idle far too long", now: start.Add(2 * time.Hour), expired: true},
		{name: "idle too long, in another zone", now: start.Add(idle + time.Microsecond).In(time.FixedZone("PDT", -7*3600)), expired: true},
		{name: "used, then idle too long", touches: []time.Time{start.Add(20 * time.Minute)}, now: start.Add(50*time.Minute + time.Microsecond), expired: true},
		{name: "before the expiry", touches: keepAlive(start, expires, idle), now: expires.Add(-time.Nanosecond)},
		{name: "at the expiry", touches: keepAlive(start, expires, idle), now: expires, expired: true},
		{name: "after the expiry", touches: keepAlive(start, expires, idle), now: expires.Add(time.Minute), expired: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := MustCreateSession(t, h.Sessions, alice.ID)
			for _, at := range tc.touches {
				if _, err := h.Sessions.TouchSession(ctx, s.TokenHash, at, idle); err != nil {
					t.Fatalf("TouchSession(at %v): %v", at, err)
				}
			}
			got, err := h.Sessions.TouchSession(ctx, s.TokenHash, tc.now, idle)
			if !tc.expired {
				if err != nil || got.TokenHash != s.TokenHash {
					t.Errorf("TouchSession(at %v) = %v, %v, want the session", tc.now, got, err)
				}
				return
			}
			if code := charte.ErrorCode(err); code != charte.ENOTFOUND || got != nil {
				t.Errorf("TouchSession(at %v) = %v, %v (code %q), want nil, %s", tc.now, got, err, code, charte.ENOTFOUND)
			}
			// An expired session is removed: it does not come back when
			// touched at an earlier time.
			if n := countSessions(t, h, s.TokenHash); n != 0 {
				t.Errorf("%d sessions left with the token hash after an expired touch, want 0", n)
			}
			if got, err := h.Sessions.TouchSession(ctx, s.TokenHash, start, idle); charte.ErrorCode(err) != charte.ENOTFOUND {
				t.Errorf("TouchSession(expired session, at its start) = %v, %v, want %s", got, err, charte.ENOTFOUND)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		for _, hash := range []string{newTokenHash(t), "", "not a hash", "\x00\xff"} {
			if got, err := h.Sessions.TouchSession(ctx, hash, start, idle); charte.ErrorCode(err) != charte.ENOTFOUND || got != nil {
				t.Errorf("TouchSession(%q) = %v, %v, want nil, %s", hash, got, err, charte.ENOTFOUND)
			}
		}
	})
}

// keepAlive returns touches from start, every half idle, up to the last
// one before end.
func keepAlive(start, end time.Time, idle time.Duration) []time.Time {
	var ts []time.Time
	for t := start.Add(idle / 2); t.Before(end); t = t.Add(idle / 2) {
		ts = append(ts, t)
	}
	return ts
}

func testSessionDelete(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	s := MustCreateSession(t, h.Sessions, alice.ID)
	other := MustCreateSession(t, h.Sessions, alice.ID)
	if err := h.Sessions.DeleteSession(ctx, s.TokenHash); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if got, err := h.Sessions.TouchSession(ctx, s.TokenHash, sessionStart, time.Hour); charte.ErrorCode(err) != charte.ENOTFOUND {
		t.Errorf("TouchSession(deleted session) = %v, %v, want %s", got, err, charte.ENOTFOUND)
	}
	if _, err := h.Sessions.TouchSession(ctx, other.TokenHash, sessionStart, time.Hour); err != nil {
		t.Errorf("TouchSession(the user's other session) after DeleteSession: %v", err)
	}
	// Ending an unknown session is not an error.
	for _, hash := range []string{s.TokenHash, newTokenHash(t), "", "\x00\xff"} {
		if err := h.Sessions.DeleteSession(ctx, hash); err != nil {
			t.Errorf("DeleteSession(%q) = %v, want nil", hash, err)
		}
	}
}

func testSessionDeleteExpired(t *testing.T, open func(t *testing.T) Harness) {
	const idle = 30 * time.Minute
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	start := charte.StoredTime(sessionStart)
	now := start.Add(2 * time.Hour)
	create := func(lastSeen, expiresAt time.Time) *charte.Session {
		t.Helper()
		s := &charte.Session{TokenHash: newTokenHash(t), UserID: alice.ID, CreatedAt: start, LastSeen: lastSeen, ExpiresAt: expiresAt}
		if err := h.Sessions.CreateSession(ctx, s); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		return s
	}
	live := []*charte.Session{
		create(now.Add(-time.Minute), start.Add(sessionLifetime)),
		create(now.Add(-idle), now.Add(time.Microsecond)), // both limits at their edge
	}
	expired := []*charte.Session{
		create(now.Add(-idle-time.Microsecond), start.Add(sessionLifetime)), // idle
		create(now.Add(-time.Minute), now),                                  // past its expiry
		create(start, start.Add(time.Hour)),                                 // both
	}
	n, err := h.Sessions.DeleteExpiredSessions(ctx, now, idle)
	if err != nil || n != int64(len(expired)) {
		t.Errorf("DeleteExpiredSessions() = %d, %v, want %d, nil", n, err, len(expired))
	}
	for _, s := range expired {
		if c := countSessions(t, h, s.TokenHash); c != 0 {
			t.Errorf("expired session (last seen %v, expires %v) kept by DeleteExpiredSessions", s.LastSeen, s.ExpiresAt)
		}
	}
	for _, s := range live {
		if c := countSessions(t, h, s.TokenHash); c != 1 {
			t.Errorf("live session (last seen %v, expires %v) removed by DeleteExpiredSessions", s.LastSeen, s.ExpiresAt)
		}
	}
	if n, err := h.Sessions.DeleteExpiredSessions(ctx, now, idle); err != nil || n != 0 {
		t.Errorf("DeleteExpiredSessions() again = %d, %v, want 0, nil", n, err)
	}
}
