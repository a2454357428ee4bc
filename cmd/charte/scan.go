package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/scan"
)

// Exit codes of charte scan: 0 no violation, 1 violations, 2 the scan
// itself failed (exitUsage).
const exitViolations = 1

const scanSynopsis = `scan URL [--charter FILE] [--pages N] [--format text|json|html] [--out FILE] [--draft FILE]

Crawls the site at URL in headless Chromium as three visitors — one who does
nothing, one who refuses all cookies, one who accepts all — and reports every
cookie, storage key and third-party host they saw, against the charter when
--charter is given. Exits 0 with no violation, 1 with violations, 2 when the
scan could not run.`

// runScan audits a live site against its charter.
func (c *cli) runScan(ctx context.Context, args []string) int {
	fs := c.flagSet("scan", scanSynopsis)
	charterFile := fs.String("charter", "", "the site's charter, to compare what the visitors see with (default: none, every cookie is listed)")
	pages := fs.Int("pages", 20, "most pages to crawl, breadth-first from URL")
	format := fs.String("format", "text", "report format: text, json or html")
	out := fs.String("out", "", "write the report to this file (default: standard output)")
	draft := fs.String("draft", "", "also write a draft charter declaring every cookie seen to this file")
	timeout := fs.Duration("timeout", 20*time.Second, "most time one page may take to load and go idle")
	browser := fs.String("browser", c.envDefault("CHARTE_BROWSER", ""), "Chromium to run, a path or a command (default: chromium, chromium-browser or google-chrome on PATH; env CHARTE_BROWSER)")
	tabs := fs.Int("tabs", 2, "pages each visitor loads at once")
	insecure := fs.Bool("ignore-cert-errors", false, "accept any TLS certificate (test and staging sites)")
	pos, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	switch {
	case *format != "text" && *format != "json" && *format != "html":
		fmt.Fprintf(c.stderr, "charte scan: --format %q is not one of text, json, html\n", *format)
		return exitUsage
	case *pages < 1:
		fmt.Fprintf(c.stderr, "charte scan: --pages %d: give 1 or more\n", *pages)
		return exitUsage
	case *tabs < 1:
		fmt.Fprintf(c.stderr, "charte scan: --tabs %d: give 1 or more\n", *tabs)
		return exitUsage
	case *timeout <= 0:
		fmt.Fprintf(c.stderr, "charte scan: --timeout %s: give a positive duration, as in 20s\n", *timeout)
		return exitUsage
	}

	var ch *charte.Charter
	if *charterFile != "" {
		if ch, err = charterfile.Load(*charterFile); err != nil {
			c.printLoadError(*charterFile, err)
			return exitUsage
		}
	}
	o := scan.Options{
		URL: pos[0], Charter: ch, Pages: *pages, PageTimeout: *timeout,
		Browser: *browser, Tabs: *tabs, IgnoreCertErrors: *insecure,
	}
	p := c.progressLine()
	o.Progress = p.update
	r, err := scan.Scan(ctx, o)
	p.done()
	if err != nil {
		fmt.Fprintf(c.stderr, "charte scan: %v\n", err)
		return exitUsage
	}

	if err := writeTo(c.stdout, *out, func(w io.Writer) error {
		switch *format {
		case "json":
			return scan.WriteJSON(w, r)
		case "html":
			return scan.WriteHTML(w, r)
		}
		return scan.WriteText(w, r)
	}); err != nil {
		fmt.Fprintf(c.stderr, "charte scan: %v\n", err)
		return exitUsage
	}
	if *out != "" {
		fmt.Fprintf(c.stderr, "charte scan: report written to %s. %s\n", *out, scan.Verdict(r))
	}
	if *draft != "" {
		if err := writeTo(nil, *draft, func(w io.Writer) error { return scan.WriteDraft(w, r, ch) }); err != nil {
			fmt.Fprintf(c.stderr, "charte scan: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(c.stderr, "charte scan: draft charter written to %s: fill in the lines marked TODO, then run charte check %s\n", *draft, *draft)
	}
	if ch != nil && len(r.Violations) > 0 {
		return exitViolations
	}
	return exitOK
}

// writeTo runs write on the file path, or on std when path is empty.
func writeTo(std io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		w := bufio.NewWriter(std)
		if err := write(w); err != nil {
			return err
		}
		return w.Flush()
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		return errors.Join(err, f.Close())
	}
	if err := w.Flush(); err != nil {
		return errors.Join(fmt.Errorf("write %s: %w", path, err), f.Close())
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// progress is the line charte scan keeps up to date on a terminal while it
// works: the pages each visitor has read.
type progress struct {
	mu    sync.Mutex
	w     io.Writer // nil when standard error is not a terminal
	pages map[string]int
	shown bool
}

// progressLine returns the progress line for c's standard error, which
// shows nothing unless standard error is a terminal.
func (c *cli) progressLine() *progress {
	p := &progress{pages: make(map[string]int)}
	if f, ok := c.stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.w = f
		}
	}
	return p
}

func (p *progress) update(s scan.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages[s.Visitor] = s.Pages
	if p.w == nil {
		return
	}
	var parts []string
	for _, id := range []string{charte.VisitorNone, charte.VisitorReject, charte.VisitorAccept} {
		parts = append(parts, fmt.Sprintf("%s %d", id, p.pages[id]))
	}
	line := fmt.Sprintf("scanning: %s pages read; %s", strings.Join(parts, ", "), s.URL)
	if r := []rune(line); len(r) > 100 {
		line = string(r[:99]) + "…"
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.shown = true
}

// done clears the progress line.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
