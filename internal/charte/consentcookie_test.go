package charte

import (
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/consent"
)

// TestCheckConsentCookie checks the rule that the longest consent cookie of
// a charter fits in consent.MaxCookieLen, and that the message names the ids
// to shorten.
func TestCheckConsentCookie(t *testing.T) {
	cats := func(ids ...string) *Charter {
		ch := &Charter{Version: "0123456789ab"}
		for _, id := range ids {
			ch.Categories = append(ch.Categories, Category{ID: id})
		}
		return ch
	}
	// A cookie is 62 bytes plus its granted categories joined by "~": with
	// "necessary" (9) and one other category of n characters, 62+9+1+n.
	for _, tc := range []struct {
		name    string
		ch      *Charter
		wantLen int
		wantErr []string // substrings of the message; nil: no error
	}{
		{name: "built-in categories", ch: cats("necessary", "preferences", "statistics", "marketing"), wantLen: 62 + 9 + 1 + 11 + 1 + 10 + 1 + 9},
		{name: "exactly the limit", ch: cats("necessary", strings.Repeat("a", 128)), wantLen: 200},
		{name: "one byte over", ch: cats("necessary", strings.Repeat("a", 129)), wantLen: 201, wantErr: []string{"201 bytes", "more than the 200", "by 1 characters", strings.Repeat("a", 129) + " (129 characters)"}},
		{name: "four long ids (issue 10)", ch: cats("necessary", "x"+strings.Repeat("a", 45), "y"+strings.Repeat("b", 45), "z"+strings.Repeat("c", 45), "w"+strings.Repeat("d", 45)), wantLen: 62 + 9 + 4*47,
			wantErr: []string{"259 bytes", "by 59 characters", "x" + strings.Repeat("a", 45) + " (46 characters), y" + strings.Repeat("b", 45) + " (46 characters)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ch.LongestConsentCookie(); got != tc.wantLen {
				t.Errorf("LongestConsentCookie() = %d, want %d", got, tc.wantLen)
			}
			var got []Problem
			for _, p := range tc.ch.Check() {
				if p.Path == "categories" {
					got = append(got, p)
				}
			}
			if tc.wantErr == nil {
				if len(got) != 0 {
					t.Errorf("Check() = %v, want no problem on categories", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("Check() = %v, want one problem on categories", got)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(got[0].Message, want) {
					t.Errorf("Check() = %q, want it to say %q", got[0].Message, want)
				}
			}
		})
	}
	// The rule is the parser's: the longest cookie the check lets through
	// parses back.
	ch := cats("necessary", strings.Repeat("a", 128))
	d := consent.Decision{ID: NewDecisionID(), Version: ch.Version, Granted: []string{"necessary", strings.Repeat("a", 128)}, Method: "accept_all", Created: time.Now(), Expires: time.Now().AddDate(0, 13, 0)}
	if _, err := consent.ParseCookie(d.Encode()); err != nil || len(NewDecisionID()) != DecisionIDLen {
		t.Errorf("ParseCookie of a %d-byte cookie: %v; id length %d, want %d", len(d.Encode()), err, len(NewDecisionID()), DecisionIDLen)
	}
}
