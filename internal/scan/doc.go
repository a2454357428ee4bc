// Package scan is charte's cookie auditor: it drives headless Chromium over
// the DevTools protocol (chromedp) to crawl a site as three visitors — one
// who does nothing, one who refuses all cookies, one who accepts all — and
// writes a [charte.ScanReport]: every cookie, storage key and third-party
// host they saw, classified by the site's charter and the knowledge base,
// and the violations of the charter. It also renders reports (text, JSON,
// HTML) and draft charters.
//
// The browser part collects: scan.go runs the three visitors, crawl.go
// crawls and hands the pages on, visitor.go is one visitor and its visits,
// controls.go finds and clicks the banner's controls, tab.go follows a tab's
// events, browser.go starts the browser, and the scripts in js/ run in the
// pages. The rest (observe.go, report.go) turns what was collected into a
// report without a browser, so that it can be tested with made-up
// observations.
//
// It may import the charte domain package, the knowledge base,
// internal/chromium (the browser's path and options), chromedp and cdproto,
// and golang.org/x/net/publicsuffix.
package scan
