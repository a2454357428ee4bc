package web

import (
	"testing"

	"github.com/charte/charte/internal/i18n"
)

// TestFrenchTypography checks the French messages: a no-break space
// (U+00A0) before : ; ? ! and inside « », never an ordinary one that
// could start a line with a colon or leave « alone at the end of one.
func TestFrenchTypography(t *testing.T) {
	for key, msg := range messages["fr"] {
		if m := i18n.FrenchSpacingFault(msg); m != "" {
			t.Errorf("fr %s: %q has an ordinary space in %q: use a no-break space (U+00A0)", key, msg, m)
		}
	}
}

// TestMessagesComplete checks that every message of the public pages is in
// every language charte offers.
func TestMessagesComplete(t *testing.T) {
	if missing := messages.Missing(); missing != nil {
		t.Errorf("messages.Missing() = %q, want none", missing)
	}
	if got := messages.Languages(); len(got) != 2 {
		t.Errorf("messages.Languages() = %q, want fr and en", got)
	}
}
