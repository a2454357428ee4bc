package consent

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCookieRoundTrip(t *testing.T) {
	created := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		d    Decision
		want string
	}{
		{
			name: "accept all",
			d:    Decision{ID: "q3Zb0vXk2T9mLp4sWc8yAa", Version: "3f9a1c0b2d4e", Granted: []string{"statistics", "necessary", "marketing"}, Method: "accept_all", Created: created, Expires: created.AddDate(0, 6, 0)},
			want: "1.q3Zb0vXk2T9mLp4sWc8yAa.3f9a1c0b2d4e.marketing~necessary~statistics.a.1795860000.1811498400",
		},
		{
			name: "reject all, not yet recorded",
			d:    Decision{Version: "3f9a1c0b2d4e", Method: "reject_all", Created: created, Expires: created.AddDate(0, 6, 0)},
			want: "1..3f9a1c0b2d4e..r.1795860000.1811498400",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.d.Encode()
			if got != tc.want {
				t.Fatalf("Encode() = %q, want %q", got, tc.want)
			}
			back, err := ParseCookie(got)
			if err != nil {
				t.Fatalf("ParseCookie(%q): %v", got, err)
			}
			want := tc.d
			if want.Granted != nil {
				want.Granted = []string{"marketing", "necessary", "statistics"}
			}
			if diff := cmp.Diff(&want, back); diff != "" {
				t.Errorf("ParseCookie(Encode()) (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCookieMalformed(t *testing.T) {
	for _, v := range []string{
		"", "1", "2.a.b.c.a.1.2", "1.a.b.c.z.1.2", "1.a.b.c.a.x.2", "1.a.b.c.a.5.2",
		"1.a;b.v..a.1.2", "1.a.v.x y.a.1.2", "1.a.v.x.a.-1.2", "1.a..x.a.1.2",
		"1.a.b.c.a.1.2" + strings.Repeat("0", 200),
	} {
		if d, err := ParseCookie(v); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseCookie(%q) = %+v, %v; want ErrMalformed", v, d, err)
		}
	}
}

func TestDecisionAllowedValid(t *testing.T) {
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	d := &Decision{Version: "v1", Granted: []string{"statistics"}, Expires: now.Add(time.Hour)}
	for _, tc := range []struct {
		d    *Decision
		cat  string
		want bool
	}{
		{d, "statistics", true},
		{d, "marketing", false},
		{d, "necessary", true},
		{nil, "necessary", true},
		{nil, "statistics", false},
	} {
		if got := tc.d.Allowed(tc.cat); got != tc.want {
			t.Errorf("Allowed(%q) = %v, want %v", tc.cat, got, tc.want)
		}
	}
	if !d.Valid("v1", now) || d.Valid("v2", now) || d.Valid("v1", now.Add(2*time.Hour)) {
		t.Error("Valid: want true for the same version before expiry only")
	}
}

func FuzzParseCookie(f *testing.F) {
	f.Add("1.q3Zb0vXk2T9mLp4sWc8yAa.3f9a1c0b2d4e.marketing~statistics.a.1795860000.1811498400")
	f.Add("1..v..r.0.0")
	f.Fuzz(func(t *testing.T, v string) {
		d, err := ParseCookie(v)
		if err != nil {
			return
		}
		again, err := ParseCookie(d.Encode())
		if err != nil {
			t.Fatalf("ParseCookie(Encode(ParseCookie(%q))): %v", v, err)
		}
		if diff := cmp.Diff(d, again); diff != "" {
			t.Errorf("round trip of %q (-first +second):\n%s", v, diff)
		}
	})
}
