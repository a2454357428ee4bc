package policy

import (
	"regexp"
	"testing"
)

// plainSpaceFR matches what French typography forbids: an ordinary space
// before : ; ? ! » or after «, where a no-break space belongs.
var plainSpaceFR = regexp.MustCompile(`[ \t][:;?!»]|«[ \t]`)

// TestFrenchTypography checks the French messages: a no-break space
// (U+00A0) before : ; ? ! and inside « », never an ordinary one that
// could start a line with a colon or leave « alone at the end of one.
func TestFrenchTypography(t *testing.T) {
	for key, msg := range messages["fr"] {
		if m := plainSpaceFR.FindString(msg); m != "" {
			t.Errorf("fr %s: %q has an ordinary space in %q: use a no-break space (U+00A0)", key, msg, m)
		}
	}
}
