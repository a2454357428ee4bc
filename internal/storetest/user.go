package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// TestUserService runs the conformance tests of [charte.UserService], with
// [charte.SessionService] to check that a new password ends the user's
// sessions. open returns a store on a fresh database for each test, which
// run in parallel.
func TestUserService(t *testing.T, open func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) Harness)
	}{
		{"CreateFind", testUserCreateFind},
		{"Duplicate", testUserDuplicate},
		{"Invalid", testUserInvalid},
		{"NotFound", testUserNotFound},
		{"List", testUserList},
		{"UpdatePassword", testUserUpdatePassword},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// MustCreateUser creates a user named name and returns it.
func MustCreateUser(tb testing.TB, s charte.UserService, name string) *charte.User {
	tb.Helper()
	u := &charte.User{Name: name, PasswordHash: passwordHash(name)}
	if err := s.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("CreateUser(%q): %v", name, err)
	}
	return u
}

// passwordHash returns a made-up argon2id hash in PHC form, different for
// each seed.
func passwordHash(seed string) string {
	return "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + seed
}

func testUserCreateFind(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	before := charte.StoredTime(time.Now())
	alice := MustCreateUser(t, h.Users, "alice")
	after := time.Now()
	if alice.ID == 0 {
		t.Errorf("CreateUser(alice) left ID at 0")
	}
	if alice.CreatedAt.Before(before) || alice.CreatedAt.After(after) || alice.CreatedAt.Location() != time.UTC {
		t.Errorf("CreateUser(alice).CreatedAt = %v, want in UTC between %v and %v", alice.CreatedAt, before, after)
	}
	// Any name of 64 characters or fewer, without control characters.
	other := MustCreateUser(t, h.Users, "Zoë O'Brien-"+strings.Repeat("é", 52))
	if other.ID == alice.ID {
		t.Errorf("CreateUser gave two users the ID %d", alice.ID)
	}
	want := &charte.User{ID: alice.ID, Name: "alice", PasswordHash: passwordHash("alice"), CreatedAt: alice.CreatedAt}
	if diff := cmp.Diff(want, alice); diff != "" {
		t.Errorf("CreateUser(alice) user mismatch (-want +got):\n%s", diff)
	}
	for _, u := range []*charte.User{alice, other} {
		got, err := h.Users.FindUserByName(ctx, u.Name)
		if err != nil {
			t.Fatalf("FindUserByName(%q): %v", u.Name, err)
		}
		if diff := cmp.Diff(u, got); diff != "" {
			t.Errorf("FindUserByName(%q) mismatch (-want +got):\n%s", u.Name, diff)
		}
		got, err = h.Users.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatalf("FindUserByID(%d): %v", u.ID, err)
		}
		if diff := cmp.Diff(u, got); diff != "" {
			t.Errorf("FindUserByID(%d) mismatch (-want +got):\n%s", u.ID, diff)
		}
	}
}

func testUserDuplicate(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	dup := &charte.User{Name: "alice", PasswordHash: passwordHash("other")}
	err := h.Users.CreateUser(ctx, dup)
	if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.ECONFLICT || field != "name" || dup.ID != 0 {
		t.Errorf("CreateUser(alice again) = %v (code %q, field %q, ID %d), want %s on \"name\", ID 0", err, code, field, dup.ID, charte.ECONFLICT)
	}
	// The first one is kept as it was.
	got, err := h.Users.FindUserByName(ctx, "alice")
	if err != nil {
		t.Fatalf("FindUserByName(alice): %v", err)
	}
	if diff := cmp.Diff(alice, got); diff != "" {
		t.Errorf("FindUserByName(alice) after a duplicate mismatch (-want +got):\n%s", diff)
	}
	// Names are compared byte for byte.
	MustCreateUser(t, h.Users, "Alice")
}

func testUserInvalid(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		user  *charte.User
		field string
	}{
		{"nil", nil, ""},
		{"no name", &charte.User{PasswordHash: passwordHash("x")}, "name"},
		{"name of 65 characters", &charte.User{Name: strings.Repeat("é", 65), PasswordHash: passwordHash("x")}, "name"},
		{"newline in name", &charte.User{Name: "alice\nadmin", PasswordHash: passwordHash("x")}, "name"},
		{"tab in name", &charte.User{Name: "alice\t", PasswordHash: passwordHash("x")}, "name"},
		{"NUL in name", &charte.User{Name: "alice\x00", PasswordHash: passwordHash("x")}, "name"},
		{"DEL in name", &charte.User{Name: "alice\x7f", PasswordHash: passwordHash("x")}, "name"},
		{"C1 control in name", &charte.User{Name: "alice\u0085", PasswordHash: passwordHash("x")}, "name"},
		{"bidi override in name", &charte.User{Name: "\u202eecila", PasswordHash: passwordHash("x")}, "name"},
		{"invalid UTF-8 name", &charte.User{Name: "alice\xff", PasswordHash: passwordHash("x")}, "name"},
		{"no password hash", &charte.User{Name: "alice"}, "password_hash"},
		{"NUL in password hash", &charte.User{Name: "alice", PasswordHash: "$argon2id$\x00"}, "password_hash"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := h.Users.CreateUser(ctx, tc.user)
			if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.EINVALID || field != tc.field {
				t.Errorf("CreateUser(%s) = %v (code %q, field %q), want %s on %q", tc.name, err, code, field, charte.EINVALID, tc.field)
			}
		})
	}
	if us, err := h.Users.FindUsers(ctx); err != nil || len(us) != 0 {
		t.Errorf("FindUsers() after invalid users = %v, %v, want none", us, err)
	}
}

func testUserNotFound(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	for _, name := range []string{"bob", "", "alice ", "alice\x00", "\xff"} {
		u, err := h.Users.FindUserByName(ctx, name)
		if code := charte.ErrorCode(err); code != charte.ENOTFOUND || u != nil {
			t.Errorf("FindUserByName(%q) = %v, %v (code %q), want nil, %s", name, u, err, code, charte.ENOTFOUND)
		}
		err = h.Users.UpdateUserPassword(ctx, name, passwordHash("new"))
		if code := charte.ErrorCode(err); code != charte.ENOTFOUND {
			t.Errorf("UpdateUserPassword(%q) = %v (code %q), want %s", name, err, code, charte.ENOTFOUND)
		}
	}
	for _, id := range []int64{0, -1, alice.ID + 1000} {
		u, err := h.Users.FindUserByID(ctx, id)
		if code := charte.ErrorCode(err); code != charte.ENOTFOUND || u != nil {
			t.Errorf("FindUserByID(%d) = %v, %v (code %q), want nil, %s", id, u, err, code, charte.ENOTFOUND)
		}
	}
}

func testUserList(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	got, err := h.Users.FindUsers(ctx)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("FindUsers() on an empty store = %#v, %v, want an empty slice, nil", got, err)
	}
	carol := MustCreateUser(t, h.Users, "carol")
	alice := MustCreateUser(t, h.Users, "alice")
	bob := MustCreateUser(t, h.Users, "Bob")
	got, err = h.Users.FindUsers(ctx)
	if err != nil {
		t.Fatalf("FindUsers: %v", err)
	}
	// By name, byte for byte: upper case first.
	if diff := cmp.Diff([]*charte.User{bob, alice, carol}, got); diff != "" {
		t.Errorf("FindUsers() mismatch (-want +got):\n%s", diff)
	}
}

func testUserUpdatePassword(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	ctx := context.Background()
	alice := MustCreateUser(t, h.Users, "alice")
	bob := MustCreateUser(t, h.Users, "bob")
	aliceSessions := []*charte.Session{MustCreateSession(t, h.Sessions, alice.ID), MustCreateSession(t, h.Sessions, alice.ID)}
	bobSession := MustCreateSession(t, h.Sessions, bob.ID)

	if err := h.Users.UpdateUserPassword(ctx, "alice", passwordHash("new")); err != nil {
		t.Fatalf("UpdateUserPassword(alice): %v", err)
	}
	got, err := h.Users.FindUserByName(ctx, "alice")
	if err != nil {
		t.Fatalf("FindUserByName(alice): %v", err)
	}
	want := *alice
	want.PasswordHash = passwordHash("new")
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("FindUserByName(alice) after UpdateUserPassword mismatch (-want +got):\n%s", diff)
	}
	// The new password ends alice's sessions, and only hers.
	now := sessionStart.Add(time.Minute)
	for _, s := range aliceSessions {
		if got, err := h.Sessions.TouchSession(ctx, s.TokenHash, now, time.Hour); charte.ErrorCode(err) != charte.ENOTFOUND {
			t.Errorf("TouchSession(alice's session) after UpdateUserPassword = %v, %v, want %s", got, err, charte.ENOTFOUND)
		}
	}
	if _, err := h.Sessions.TouchSession(ctx, bobSession.TokenHash, now, time.Hour); err != nil {
		t.Errorf("TouchSession(bob's session) after alice's UpdateUserPassword: %v", err)
	}
	if got, err := h.Users.FindUserByName(ctx, "bob"); err != nil || got.PasswordHash != passwordHash("bob") {
		t.Errorf("FindUserByName(bob) after alice's UpdateUserPassword = %v, %v, want bob's hash unchanged", got, err)
	}

	err = h.Users.UpdateUserPassword(ctx, "alice", "")
	if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.EINVALID || field != "password_hash" {
		t.Errorf("UpdateUserPassword(alice, \"\") = %v (code %q, field %q), want %s on \"password_hash\"", err, code, field, charte.EINVALID)
	}
}
