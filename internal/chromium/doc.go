// Package chromium finds the Chromium-based browser charte drives and
// holds the options it starts it with: what charte scan (internal/scan),
// the tests that drive a browser (internal/browsertest) and their
// benchmarks share, so that they all run the same browser the same way.
//
// It may import the standard library and chromedp.
package chromium
