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
