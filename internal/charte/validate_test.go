package charte_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// wantField checks that err is nil when field is "", and otherwise an
// EINVALID error naming field ("-" for an EINVALID error naming none).
func wantField(tb testing.TB, call string, err error, field string) {
	tb.Helper()
	switch {
	case field == "" && err != nil:
		tb.Errorf("%s = %v, want nil", call, err)
	case field == "":
	case charte.ErrorCode(err) != charte.EINVALID:
		tb.Errorf("%s = %v, want an %s error", call, err, charte.EINVALID)
	case field == "-" && charte.ErrorField(err) != "":
		tb.Errorf("%s field = %q, want none", call, charte.ErrorField(err))
	case field != "-" && charte.ErrorField(err) != field:
		tb.Errorf("%s field = %q, want %q", call, charte.ErrorField(err), field)
	}
}

var (
	t0    = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	paris = time.FixedZone("Paris", 3600)
	hash  = strings.Repeat("ab", 32)
)

func TestValidText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "empty", in: "", want: true},
		{name: "text", in: "Zoé ✓", want: true},
		{name: "invalid UTF-8", in: "a\xffb", want: false},
		{name: "NUL", in: "a\x00b", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := charte.ValidText(tc.in); got != tc.want {
				t.Errorf("ValidText(%q) = %t, want %t", tc.in, got, tc.want)
			}
		})
	}
}

func TestCeilTime(t *testing.T) {
	tests := []struct {
		name   string
		in     time.Time
		want   time.Time
		wantTZ *time.Location
	}{
		{name: "on the grid", in: t0, want: t0},
		{name: "just after", in: t0.Add(time.Nanosecond), want: t0.Add(time.Microsecond)},
		{name: "just before", in: t0.Add(-time.Nanosecond), want: t0},
		{name: "zero", in: time.Time{}, want: time.Time{}},
		{name: "zone kept", in: t0.In(paris).Add(500), want: t0.Add(time.Microsecond), wantTZ: paris},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := charte.CeilTime(tc.in)
			if !got.Equal(tc.want) {
				t.Errorf("CeilTime(%v) = %v, want %v", tc.in, got, tc.want)
			}
			if tc.wantTZ != nil && got.Location() != tc.wantTZ {
				t.Errorf("CeilTime(%v) location = %v, want %v", tc.in, got.Location(), tc.wantTZ)
			}
		})
	}
}

func TestDecisionValidate(t *testing.T) {
	valid := func(edit func(d *charte.Decision)) *charte.Decision {
		d := &charte.Decision{
			ID: "d1", Site: "shop", CharterVersion: "v1", Method: charte.MethodCustom,
			Choices:   map[string]bool{"necessary": true, "statistics": false},
			CreatedAt: t0, ExpiresAt: t0.AddDate(0, 6, 0),
		}
		if edit != nil {
			edit(d)
		}
		return d
	}
	tests := []struct {
		name  string
		in    *charte.Decision
		field string // "" for valid, "-" for an error naming no field
	}{
		{name: "valid", in: valid(nil)},
		{name: "nil", in: nil, field: "-"},
		{name: "no choices", in: valid(func(d *charte.Decision) { d.Choices = nil })},
		{name: "previous id", in: valid(func(d *charte.Decision) { d.PreviousID = "d0" })},
		{name: "expires when created", in: valid(func(d *charte.Decision) { d.ExpiresAt = d.CreatedAt })},
		{name: "other zone", in: valid(func(d *charte.Decision) { d.CreatedAt = d.CreatedAt.In(paris) })},
		{name: "no id", in: valid(func(d *charte.Decision) { d.ID = "" }), field: "id"},
		{name: "id not UTF-8", in: valid(func(d *charte.Decision) { d.ID = "\xff" }), field: "id"},
		{name: "no site", in: valid(func(d *charte.Decision) { d.Site = "" }), field: "site"},
		{name: "site with NUL", in: valid(func(d *charte.Decision) { d.Site = "a\x00" }), field: "site"},
		{name: "no charter version", in: valid(func(d *charte.Decision) { d.CharterVersion = "" }), field: "charter_version"},
		{name: "previous id with NUL", in: valid(func(d *charte.Decision) { d.PreviousID = "\x00" }), field: "previous_id"},
		{name: "no method", in: valid(func(d *charte.Decision) { d.Method = "" }), field: "method"},
		{name: "unknown method", in: valid(func(d *charte.Decision) { d.Method = "maybe" }), field: "method"},
		{name: "empty category", in: valid(func(d *charte.Decision) { d.Choices[""] = true }), field: "choices"},
		{name: "category not UTF-8", in: valid(func(d *charte.Decision) { d.Choices["\xff"] = true }), field: "choices"},
		{name: "no creation", in: valid(func(d *charte.Decision) { d.CreatedAt = time.Time{} }), field: "created_at"},
		{name: "creation in year 10000", in: valid(func(d *charte.Decision) { d.CreatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), field: "created_at"},
		{name: "creation in year 0", in: valid(func(d *charte.Decision) { d.CreatedAt = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC) }), field: "created_at"},
		{name: "no expiry", in: valid(func(d *charte.Decision) { d.ExpiresAt = time.Time{} }), field: "expires_at"},
		{name: "expiry in year 10000", in: valid(func(d *charte.Decision) { d.ExpiresAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), field: "expires_at"},
		{name: "expires before created", in: valid(func(d *charte.Decision) { d.ExpiresAt = d.CreatedAt.Add(-time.Nanosecond) }), field: "expires_at"},
		{name: "first bad field", in: valid(func(d *charte.Decision) { d.Site, d.Method = "", "" }), field: "site"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "Validate()", tc.in.Validate(), tc.field)
			r, err := charte.NewRecord(tc.in)
			wantField(t, "NewRecord()", err, tc.field)
			if err != nil && r != nil {
				t.Errorf("NewRecord() = %+v, %v, want nil record", r, err)
			}
		})
	}
}

func TestNewRecord(t *testing.T) {
	in := &charte.Decision{
		ID: "d1", Site: "shop", CharterVersion: "v1", Method: charte.MethodAcceptAll,
		Choices:   map[string]bool{"statistics": true},
		CreatedAt: t0.In(paris).Add(1500), ExpiresAt: t0.AddDate(1, 0, 0).Add(999),
	}
	got, err := charte.NewRecord(in)
	if err != nil {
		t.Fatalf("NewRecord() = %v", err)
	}
	want := &charte.Record{Decision: charte.Decision{
		ID: "d1", Site: "shop", CharterVersion: "v1", Method: charte.MethodAcceptAll,
		Choices:   map[string]bool{"statistics": true},
		CreatedAt: t0.Add(time.Microsecond), ExpiresAt: t0.AddDate(1, 0, 0),
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NewRecord() mismatch (-want +got):\n%s", diff)
	}
	in.Choices["marketing"] = true
	if _, ok := got.Choices["marketing"]; ok {
		t.Errorf("NewRecord() shares its choices with the decision")
	}

	got, err = charte.NewRecord(&charte.Decision{ID: "d2", Site: "shop", CharterVersion: "v1",
		Method: charte.MethodGPC, CreatedAt: t0, ExpiresAt: t0})
	if err != nil || got.Choices == nil {
		t.Errorf("NewRecord(no choices) = %+v, %v, want empty choices", got, err)
	}
}

func TestDecisionFilterValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    charte.DecisionFilter
		field string
	}{
		{name: "zero", in: charte.DecisionFilter{}},
		{name: "limit", in: charte.DecisionFilter{Limit: 10}},
		{name: "negative limit", in: charte.DecisionFilter{Limit: -1}, field: "limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "Validate()", tc.in.Validate(), tc.field)
		})
	}
}

func TestCharterVersionValidate(t *testing.T) {
	valid := func(edit func(v *charte.CharterVersion)) *charte.CharterVersion {
		v := &charte.CharterVersion{Site: "shop", Version: "v1", Content: []byte(`{"site":"shop"}`)}
		if edit != nil {
			edit(v)
		}
		return v
	}
	tests := []struct {
		name  string
		in    *charte.CharterVersion
		field string
	}{
		{name: "valid", in: valid(nil)},
		{name: "created at", in: valid(func(v *charte.CharterVersion) { v.CreatedAt = t0 })},
		{name: "nil", in: nil, field: "-"},
		{name: "no site", in: valid(func(v *charte.CharterVersion) { v.Site = "" }), field: "site"},
		{name: "site not UTF-8", in: valid(func(v *charte.CharterVersion) { v.Site = "\xff" }), field: "site"},
		{name: "no version", in: valid(func(v *charte.CharterVersion) { v.Version = "" }), field: "version"},
		{name: "version with NUL", in: valid(func(v *charte.CharterVersion) { v.Version = "\x00" }), field: "version"},
		{name: "no content", in: valid(func(v *charte.CharterVersion) { v.Content = nil }), field: "content"},
		{name: "content not JSON", in: valid(func(v *charte.CharterVersion) { v.Content = []byte("{") }), field: "content"},
		{name: "content with NUL", in: valid(func(v *charte.CharterVersion) { v.Content = []byte("\"\x00\"") }), field: "content"},
		{name: "created in year 10000", in: valid(func(v *charte.CharterVersion) { v.CreatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), field: "created_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "Validate()", tc.in.Validate(), tc.field)
		})
	}
}

func TestValidateUserName(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		field string
	}{
		{name: "ascii", in: "admin"},
		{name: "accents and spaces", in: "Zoé Martin"},
		{name: "64 characters", in: strings.Repeat("é", 64)},
		{name: "empty", in: "", field: "name"},
		{name: "65 characters", in: strings.Repeat("a", 65), field: "name"},
		{name: "not UTF-8", in: "a\xff", field: "name"},
		{name: "NUL", in: "a\x00", field: "name"},
		{name: "newline", in: "a\nb", field: "name"},
		{name: "bidi override", in: "a\u202eb", field: "name"},
		{name: "zero-width joiner", in: "a\u200db", field: "name"},
		{name: "line separator", in: "a\u2028b", field: "name"},
		{name: "paragraph separator", in: "a\u2029b", field: "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "ValidateUserName("+tc.in+")", charte.ValidateUserName(tc.in), tc.field)
		})
	}
}

func TestUserValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    *charte.User
		field string
	}{
		{name: "valid", in: &charte.User{Name: "admin", PasswordHash: "$argon2id$v=19$…"}},
		{name: "nil", in: nil, field: "-"},
		{name: "bad name", in: &charte.User{Name: "", PasswordHash: "h"}, field: "name"},
		{name: "no password hash", in: &charte.User{Name: "admin"}, field: "password_hash"},
		{name: "password hash with NUL", in: &charte.User{Name: "admin", PasswordHash: "h\x00"}, field: "password_hash"},
		{name: "name first", in: &charte.User{Name: "\n"}, field: "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "Validate()", tc.in.Validate(), tc.field)
		})
	}
}

func TestValidatePasswordHash(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		field string
	}{
		{name: "PHC string", in: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"},
		{name: "empty", in: "", field: "password_hash"},
		{name: "NUL", in: "h\x00", field: "password_hash"},
		{name: "not UTF-8", in: "h\xff", field: "password_hash"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "ValidatePasswordHash()", charte.ValidatePasswordHash(tc.in), tc.field)
		})
	}
}

func TestValidTokenHash(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "hex SHA-256", in: hash, want: true},
		{name: "empty", in: "", want: false},
		{name: "short", in: hash[:63], want: false},
		{name: "long", in: hash + "a", want: false},
		{name: "upper case", in: strings.ToUpper(hash), want: false},
		{name: "not hex", in: strings.Repeat("g", 64), want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := charte.ValidTokenHash(tc.in); got != tc.want {
				t.Errorf("ValidTokenHash(%q) = %t, want %t", tc.in, got, tc.want)
			}
		})
	}
}

func TestSessionValidate(t *testing.T) {
	valid := func(edit func(s *charte.Session)) *charte.Session {
		s := &charte.Session{TokenHash: hash, UserID: 1, CreatedAt: t0, LastSeen: t0, ExpiresAt: t0.Add(time.Hour)}
		if edit != nil {
			edit(s)
		}
		return s
	}
	tests := []struct {
		name  string
		in    *charte.Session
		field string
	}{
		{name: "valid", in: valid(nil)},
		{name: "nil", in: nil, field: "-"},
		{name: "seen before created, same microsecond", in: valid(func(s *charte.Session) {
			s.CreatedAt = t0.Add(900)
			s.LastSeen = t0.Add(100)
		})},
		{name: "bad token hash", in: valid(func(s *charte.Session) { s.TokenHash = "token" }), field: "token_hash"},
		{name: "no creation", in: valid(func(s *charte.Session) { s.CreatedAt = time.Time{} }), field: "created_at"},
		{name: "no last use", in: valid(func(s *charte.Session) { s.LastSeen = time.Time{} }), field: "last_seen"},
		{name: "no expiry", in: valid(func(s *charte.Session) { s.ExpiresAt = time.Time{} }), field: "expires_at"},
		{name: "expiry in year 10000", in: valid(func(s *charte.Session) { s.ExpiresAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), field: "expires_at"},
		{name: "seen before created", in: valid(func(s *charte.Session) { s.LastSeen = t0.Add(-time.Microsecond) }), field: "last_seen"},
		{name: "expires when created", in: valid(func(s *charte.Session) { s.ExpiresAt = t0 }), field: "expires_at"},
		{name: "expires in the same microsecond", in: valid(func(s *charte.Session) {
			s.CreatedAt, s.LastSeen, s.ExpiresAt = t0.Add(100), t0.Add(100), t0.Add(900)
		}), field: "expires_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "Validate()", tc.in.Validate(), tc.field)
		})
	}
}

func TestNewSession(t *testing.T) {
	now := t0.Add(time.Minute)
	tests := []struct {
		name  string
		in    *charte.Session
		want  charte.Session
		field string
	}{
		{
			name: "as given",
			in:   &charte.Session{TokenHash: hash, UserID: 7, CreatedAt: t0, LastSeen: t0.Add(time.Second), ExpiresAt: t0.Add(time.Hour)},
			want: charte.Session{TokenHash: hash, UserID: 7, CreatedAt: t0, LastSeen: t0.Add(time.Second), ExpiresAt: t0.Add(time.Hour)},
		},
		{
			name: "defaults",
			in:   &charte.Session{TokenHash: hash, UserID: 7, ExpiresAt: t0.Add(time.Hour)},
			want: charte.Session{TokenHash: hash, UserID: 7, CreatedAt: now, LastSeen: now, ExpiresAt: t0.Add(time.Hour)},
		},
		{
			name: "last use defaults to creation",
			in:   &charte.Session{TokenHash: hash, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
			want: charte.Session{TokenHash: hash, CreatedAt: t0, LastSeen: t0, ExpiresAt: t0.Add(time.Hour)},
		},
		{
			name: "UTC at the precision",
			in:   &charte.Session{TokenHash: hash, CreatedAt: t0.In(paris).Add(999), LastSeen: t0.Add(1001), ExpiresAt: t0.In(paris).Add(time.Hour + 1)},
			want: charte.Session{TokenHash: hash, CreatedAt: t0, LastSeen: t0.Add(time.Microsecond), ExpiresAt: t0.Add(time.Hour)},
		},
		{name: "nil", in: nil, field: "-"},
		{name: "bad token hash", in: &charte.Session{TokenHash: "x", ExpiresAt: t0.Add(time.Hour)}, field: "token_hash"},
		{name: "no expiry", in: &charte.Session{TokenHash: hash}, field: "expires_at"},
		{name: "expires before now", in: &charte.Session{TokenHash: hash, ExpiresAt: t0}, field: "expires_at"},
		{name: "seen before now", in: &charte.Session{TokenHash: hash, LastSeen: t0, ExpiresAt: now.Add(time.Hour)}, field: "last_seen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := charte.NewSession(tc.in, now)
			wantField(t, "NewSession()", err, tc.field)
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("NewSession() mismatch (-want +got):\n%s", diff)
			}
			for _, tm := range []time.Time{got.CreatedAt, got.LastSeen, got.ExpiresAt} {
				if tm.Location() != time.UTC {
					t.Errorf("NewSession() time %v is not in UTC", tm)
				}
			}
		})
	}
}

func TestValidateSessionExpiry(t *testing.T) {
	tests := []struct {
		name  string
		now   time.Time
		idle  time.Duration
		field string
	}{
		{name: "valid", now: t0, idle: time.Hour},
		{name: "zero idle", now: t0, idle: 0, field: "idle"},
		{name: "negative idle", now: t0, idle: -time.Second, field: "idle"},
		{name: "zero now", now: time.Time{}, idle: time.Hour, field: "now"},
		{name: "now in year 10000", now: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), idle: time.Hour, field: "now"},
		{name: "idle first", now: time.Time{}, idle: 0, field: "idle"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "ValidateSessionExpiry()", charte.ValidateSessionExpiry(tc.now, tc.idle), tc.field)
		})
	}
}

func TestStatsFilterValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    charte.StatsFilter
		field string
	}{
		{name: "valid", in: charte.StatsFilter{Site: "shop", From: t0, To: t0.AddDate(0, 0, 7)}},
		{name: "empty period", in: charte.StatsFilter{Site: "shop", From: t0, To: t0}},
		{name: "from zero time", in: charte.StatsFilter{Site: "shop", To: t0}},
		{name: "no site", in: charte.StatsFilter{From: t0, To: t0}, field: "site"},
		{name: "site with NUL", in: charte.StatsFilter{Site: "\x00", From: t0, To: t0}, field: "site"},
		{name: "from in year 0", in: charte.StatsFilter{Site: "shop", From: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), To: t0}, field: "from"},
		{name: "to in year 10000", in: charte.StatsFilter{Site: "shop", From: t0, To: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, field: "to"},
		{name: "to before from", in: charte.StatsFilter{Site: "shop", From: t0, To: t0.Add(-time.Nanosecond)}, field: "to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, "Validate()", tc.in.Validate(), tc.field)
		})
	}
}
