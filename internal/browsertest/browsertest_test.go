package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestMustStart(t *testing.T) {
	ctx := MustStart(t)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[int]("6 * 7"))
	if err != nil || got != 42 {
		t.Errorf("Evaluate(6 * 7) in the browser = %d, %v, want 42", got, err)
	}
}

// TestMustStartWithFlag starts the browser with a flag of its own and
// third-party cookies allowed (what internal/vendortest needs).
func TestMustStartWithFlag(t *testing.T) {
	ctx := MustStart(t, WithFlag("user-agent", "charte-browsertest"), WithThirdPartyCookies())
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string]("navigator.userAgent"))
	if err != nil || got != "charte-browsertest" {
		t.Errorf("navigator.userAgent = %q, %v, want the flag's charte-browsertest", got, err)
	}
}
