package i18n

import "regexp"

// plainSpaceFR matches what French typography forbids: an ordinary space
// before : ; ? ! » or after «, where a no-break space belongs.
var plainSpaceFR = regexp.MustCompile(`[ \t][:;?!»]|«[ \t]`)

// FrenchSpacingFault returns the first place in s where French typography
// wants a no-break space (U+00A0 or U+202F) and s has an ordinary one:
// before : ; ? ! and inside « ». It returns "" when there is none. Every
// French catalogue is tested with it, so that no colon starts a line and no
// « is left alone at the end of one.
func FrenchSpacingFault(s string) string {
	return plainSpaceFR.FindString(s)
}
