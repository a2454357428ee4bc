package password

import (
	"errors"
	"strings"
	"testing"
)

// fast keeps tests quick; the format and checks are the same.
var fast = Params{Memory: 1024, Time: 1, Threads: 1}

func TestHashCheck(t *testing.T) {
	h, err := Hash("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("Hash = %q, want a PHC argon2id string", h)
	}
	h2, _ := Hash("correct horse battery", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		pw, hash string
		want     error
		malform  bool
	}{
		{pw: "correct horse battery", hash: h},
		{pw: "correct horse batterY", hash: h, want: ErrMismatch},
		{pw: "", hash: h, want: ErrMismatch},
		{pw: "x", hash: "$2a$10$bcrypt", malform: true},
		{pw: "x", hash: strings.Replace(h, "m=1024", "m=zz", 1), malform: true},
		{pw: strings.Repeat("a", MaxLength+1), hash: h, want: ErrMismatch},
	} {
		err := Check(tc.pw, tc.hash)
		switch {
		case tc.malform && (err == nil || errors.Is(err, ErrMismatch)):
			t.Errorf("Check(%.20q, %.30q) = %v, want a malformed-hash error", tc.pw, tc.hash, err)
		case !tc.malform && !errors.Is(err, tc.want) && err != tc.want:
			t.Errorf("Check(%.20q) = %v, want %v", tc.pw, err, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"élévé-éà-çù", false}, // 11 characters, more bytes
		{"twelve chars", true},
		{strings.Repeat("é", MaxLength), false},
	} {
		if err := Validate(tc.pw); (err == nil) != tc.ok {
			t.Errorf("Validate(%.20q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
	}
	if _, err := Hash("short", fast); err == nil {
		t.Error("Hash accepted a short password")
	}
}
