package scan

import (
	"context"
	"testing"
	"time"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/scan/scantest"
)

// BenchmarkScanShop times a whole scan of the 3-page fixture shop with its
// charter: one browser, all three visitors (issue 5's figure; goal < 4 s).
//
//	go test -run '^$' -bench ScanShop -benchtime 3x ./internal/scan/
func BenchmarkScanShop(b *testing.B) {
	browser := browsertest.MustFind(b)
	site := scantest.MustServe(b, "shop")
	ch, err := charterfile.Load(site.Charter)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		r, err := Scan(ctx, Options{URL: site.URL, Charter: ch, Pages: 3, Browser: browser, IgnoreCertErrors: true})
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Violations) == 0 {
			b.Fatal("the shop's scan found no violation")
		}
	}
}
