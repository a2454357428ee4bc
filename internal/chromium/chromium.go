package chromium

import (
	"errors"
	"os/exec"
	"strings"

	"github.com/chromedp/chromedp"
)

// names are the commands [Find] looks for on PATH, in order.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// ErrNotFound is the error [Find] returns when no browser is on PATH.
var ErrNotFound = errors.New("no Chromium on PATH (" + strings.Join(names, ", ") + ")")

// Find returns the path of a Chromium-based browser: path itself when it is
// not empty (a command name is looked up on PATH, and the error is
// [exec.LookPath]'s), else the first of chromium, chromium-browser,
// google-chrome, google-chrome-stable and chrome found on PATH
// (/usr/bin/chromium on Debian), or [ErrNotFound].
func Find(path string) (string, error) {
	if path != "" {
		return exec.LookPath(path)
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// ExecAllocatorOptions are the options charte starts the browser at path
// with, its profile in the directory profile: chromedp's defaults
// (headless, no first-run dialogs…) and a browser kept off the network but
// for the pages it is sent to: no QUIC, no component or background
// downloads, no sync. charte scan adds its own; tests start their browser
// with these (internal/browsertest), so that they run the browser charte
// scan runs.
func ExecAllocatorOptions(path, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
	)
}
