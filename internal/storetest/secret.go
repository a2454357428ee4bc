package storetest

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// SecretHarness is a [charte.SecretService] under test, on a fresh, empty
// database of its own.
type SecretHarness struct {
	Secrets charte.SecretService
	// Open opens another handle on the same database, as another charte
	// instance would, and closes it when tb ends.
	Open func(tb testing.TB) charte.SecretService
}

// TestSecretService runs the conformance tests of [charte.SecretService].
// open returns a store on a fresh database for each test, which run in
// parallel.
func TestSecretService(t *testing.T, open func(t *testing.T) SecretHarness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) SecretHarness)
	}{
		{"CreateFind", testSecretCreateFind},
		{"Invalid", testSecretInvalid},
		{"Instances", testSecretInstances},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// MustFindOrCreateSecret returns the secret called name.
func MustFindOrCreateSecret(tb testing.TB, s charte.SecretService, name string) []byte {
	tb.Helper()
	v, err := s.FindOrCreateSecret(context.Background(), name)
	if err != nil {
		tb.Fatalf("FindOrCreateSecret(%q): %v", name, err)
	}
	return v
}

// testSecretCreateFind: the first call creates a random secret of
// SecretSize bytes, later calls return it, and another name has its own.
func testSecretCreateFind(t *testing.T, open func(t *testing.T) SecretHarness) {
	h := open(t)
	first := MustFindOrCreateSecret(t, h.Secrets, "csrf")
	if len(first) != charte.SecretSize || bytes.Equal(first, make([]byte, charte.SecretSize)) {
		t.Fatalf("FindOrCreateSecret(csrf) = %x, want %d random bytes", first, charte.SecretSize)
	}
	if again := MustFindOrCreateSecret(t, h.Secrets, "csrf"); !bytes.Equal(again, first) {
		t.Errorf("FindOrCreateSecret(csrf) again = %x, want the first one, %x", again, first)
	}
	if other := MustFindOrCreateSecret(t, h.Secrets, "other.key-2"); bytes.Equal(other, first) {
		t.Errorf("FindOrCreateSecret(other.key-2) = %x, the secret of csrf; want its own", other)
	}
}

func testSecretInvalid(t *testing.T, open func(t *testing.T) SecretHarness) {
	h := open(t)
	for _, tc := range []struct {
		name, secret string
	}{
		{name: "empty", secret: ""},
		{name: "too long", secret: strings.Repeat("a", 65)},
		{name: "uppercase", secret: "CSRF"},
		{name: "space", secret: "csrf key"},
		{name: "not ASCII", secret: "clé"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := h.Secrets.FindOrCreateSecret(context.Background(), tc.secret)
			type result struct{ Code, Field string }
			got := result{charte.ErrorCode(err), charte.ErrorField(err)}
			if diff := cmp.Diff(result{charte.EINVALID, "name"}, got); diff != "" || v != nil {
				t.Errorf("FindOrCreateSecret(%q) = %x, %v; error (-want +got):\n%s", tc.secret, v, err, diff)
			}
		})
	}
	if v := MustFindOrCreateSecret(t, h.Secrets, strings.Repeat("a", 64)); len(v) != charte.SecretSize {
		t.Errorf("FindOrCreateSecret(64 characters) = %x, want a secret", v)
	}
}

// testSecretInstances: instances that start together on one database and
// all ask for the same secret get the same one, as does one that starts
// later.
func testSecretInstances(t *testing.T, open func(t *testing.T) SecretHarness) {
	h := open(t)
	const instances, callers = 4, 8
	handles := []charte.SecretService{h.Secrets}
	for range instances - 1 {
		handles = append(handles, h.Open(t))
	}
	got := make([][]byte, instances*callers)
	errs := make([]error, len(got))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			<-start
			got[i], errs[i] = handles[i%instances].FindOrCreateSecret(context.Background(), "csrf")
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: FindOrCreateSecret(csrf): %v", i, err)
		}
	}
	want := got[0]
	for i, v := range got {
		if !bytes.Equal(v, want) {
			t.Errorf("caller %d got secret %x, caller 0 got %x; want one secret", i, v, want)
		}
	}
	if later := MustFindOrCreateSecret(t, h.Open(t), "csrf"); !bytes.Equal(later, want) {
		t.Errorf("an instance started later got %x, want %x", later, want)
	}
}
