package charte_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/charte/charte/internal/charte"
)

func TestErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  *charte.Error
		want string
	}{
		{name: "message only", err: &charte.Error{Code: charte.EINVALID, Message: "No site."}, want: "No site."},
		{name: "message and cause", err: &charte.Error{Code: charte.EINTERNAL, Message: "Cannot read.", Err: io.ErrUnexpectedEOF}, want: "Cannot read.: unexpected EOF"},
		{name: "cause only", err: &charte.Error{Code: charte.EINTERNAL, Err: io.EOF}, want: "EOF"},
		{name: "empty", err: &charte.Error{}, want: ""},
		{name: "Errorf", err: charte.Errorf(charte.ENOTFOUND, "No site %q.", "a"), want: `No site "a".`},
		{name: "FieldErrorf", err: charte.FieldErrorf("limit", "The limit is at most %d.", 10), want: "The limit is at most 10."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorUnwrap(t *testing.T) {
	cause := errors.New("disk full")
	err := fmt.Errorf("append decisions: %w", &charte.Error{Code: charte.EINTERNAL, Message: "Cannot write.", Err: cause})
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(%v, cause) = false, want true", err)
	}
	if errors.Is(charte.Errorf(charte.EINTERNAL, "x"), cause) {
		t.Error("errors.Is(an Error without cause, cause) = true, want false")
	}
}

func TestErrorInspection(t *testing.T) {
	notFound := charte.Errorf(charte.ENOTFOUND, "No decision has this id.")
	field := charte.FieldErrorf("since", "Since is a date.")
	tests := []struct {
		name        string
		err         error
		wantCode    string
		wantMessage string
		wantField   string
	}{
		{name: "nil", err: nil, wantCode: "", wantMessage: "", wantField: ""},
		{name: "domain error", err: notFound, wantCode: charte.ENOTFOUND, wantMessage: "No decision has this id."},
		{name: "wrapped", err: fmt.Errorf("find decision %q: %w", "d1", notFound), wantCode: charte.ENOTFOUND, wantMessage: "No decision has this id."},
		{name: "field error", err: fmt.Errorf("export: %w", field), wantCode: charte.EINVALID, wantMessage: "Since is a date.", wantField: "since"},
		{name: "joined", err: errors.Join(io.EOF, field), wantCode: charte.EINVALID, wantMessage: "Since is a date.", wantField: "since"},
		{name: "other error", err: io.EOF, wantCode: charte.EINTERNAL, wantMessage: "Internal error."},
		{name: "no message", err: &charte.Error{Code: charte.ECONFLICT, Err: io.EOF}, wantCode: charte.ECONFLICT, wantMessage: "Internal error."},
		// The first Error in the chain decides, not the innermost.
		{name: "outermost wins", err: &charte.Error{Code: charte.EFORBIDDEN, Message: "No.", Err: field}, wantCode: charte.EFORBIDDEN, wantMessage: "No."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := charte.ErrorCode(tc.err); got != tc.wantCode {
				t.Errorf("ErrorCode(%v) = %q, want %q", tc.err, got, tc.wantCode)
			}
			if got := charte.ErrorMessage(tc.err); got != tc.wantMessage {
				t.Errorf("ErrorMessage(%v) = %q, want %q", tc.err, got, tc.wantMessage)
			}
			if got := charte.ErrorField(tc.err); got != tc.wantField {
				t.Errorf("ErrorField(%v) = %q, want %q", tc.err, got, tc.wantField)
			}
		})
	}
}
