package charte_test

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/charte"
)

func TestValidateSecretName(t *testing.T) {
	const (
		length = "A secret's name has 1 to 64 characters."
		chars  = "A secret's name has only lowercase letters, digits, '_', '-' and '.'."
	)
	tests := []struct {
		name string
		want string // the message, "" when valid
	}{
		{name: "csrf"},
		{name: "a"},
		{name: "key.v2-new_1"},
		{name: strings.Repeat("k", 64)},
		{name: "", want: length},
		{name: strings.Repeat("k", 65), want: length},
		{name: "CSRF", want: chars},
		{name: "csrf key", want: chars},
		{name: "csrf/key", want: chars},
		{name: "clé", want: chars},
		{name: "key:1", want: chars},
	}
	for _, tc := range tests {
		err := charte.ValidateSecretName(tc.name)
		if tc.want == "" {
			if err != nil {
				t.Errorf("ValidateSecretName(%q) = %v, want nil", tc.name, err)
			}
			continue
		}
		if charte.ErrorCode(err) != charte.EINVALID || charte.ErrorField(err) != "name" || charte.ErrorMessage(err) != tc.want {
			t.Errorf("ValidateSecretName(%q) = %v (code %q, field %q), want invalid name: %q", tc.name, err, charte.ErrorCode(err), charte.ErrorField(err), tc.want)
		}
	}
}
