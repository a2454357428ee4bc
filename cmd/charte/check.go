package main

import (
	"crypto/sha256"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
)

//go:embed starter.yaml
var starterCharter string

// runInit prints a commented starter charter.
func (c *cli) runInit(args []string) int {
	fs := c.flagSet("init", "init > charte.yaml\n\nPrints a commented starter charter, to edit and then check with \"charte check\".")
	pos, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	if len(pos) > 0 {
		fs.Usage()
		return exitUsage
	}
	fmt.Fprint(c.stdout, starterCharter)
	return exitOK
}

// runCheck validates charter files and prints every problem as
// FILE:LINE:COL: message.
func (c *cli) runCheck(args []string) int {
	fs := c.flagSet("check FILE...", "check FILE...\n\nValidates charter files. Prints FILE:LINE:COL: message for every problem and exits 1 if there is any.")
	quiet := fs.Bool("q", false, "print nothing for valid files")
	files, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	if len(files) == 0 {
		fs.Usage()
		return exitUsage
	}
	code := exitOK
	for _, f := range files {
		ch, err := charterfile.Load(f)
		if err != nil {
			code = exitInvalid
			c.printLoadError(f, err)
			continue
		}
		if !*quiet {
			fmt.Fprintf(c.stdout, "%s: ok: site %q, version %s, %d categories, %d cookies\n", f, ch.Site.ID, ch.Version, len(ch.Categories), len(ch.Cookies))
		}
	}
	return code
}

// printLoadError prints a charter's problems one per line, or the error that
// kept the file from being read.
func (c *cli) printLoadError(file string, err error) {
	var probs charterfile.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(c.stderr, p.String())
		}
		return
	}
	var serr *charterfile.SizeError
	if errors.As(err, &serr) {
		fmt.Fprintln(c.stderr, serr) // it names the file
		return
	}
	fmt.Fprintf(c.stderr, "%s: %v\n", file, err)
}

// charterChecker re-checks charter files for the back office, which shows
// the problems of each charter's file on every view of /admin/charters: it
// parses a file again only when the SHA-256 of its content changed, and
// keeps one result per file.
type charterChecker struct {
	// check returns the problems of a charter file's content; tests count
	// its calls.
	check func(name string, data []byte) []string

	mu   sync.Mutex
	last map[string]checkedCharter // by file
}

type checkedCharter struct {
	sum      [sha256.Size]byte
	problems []string
}

func newCharterChecker() *charterChecker {
	return &charterChecker{check: charterProblems, last: make(map[string]checkedCharter)}
}

// problems re-reads a charter's file and returns its problems, as the back
// office's CheckCharter option; the built-in charter has no file and no
// problem.
func (c *charterChecker) problems(ch *charte.Charter) []string {
	if ch.Source == "" {
		return nil
	}
	data, _, err := charterfile.ReadFile(ch.Source)
	if err != nil {
		return []string{err.Error()}
	}
	sum := sha256.Sum256(data)
	c.mu.Lock()
	last, ok := c.last[ch.Source]
	c.mu.Unlock()
	if !ok || last.sum != sum {
		last = checkedCharter{sum: sum, problems: c.check(ch.Source, data)}
		c.mu.Lock()
		c.last[ch.Source] = last
		c.mu.Unlock()
	}
	return slices.Clone(last.problems)
}

// charterProblems returns the problems of a charter file's content, one
// FILE:LINE:COL: message each.
func charterProblems(name string, data []byte) []string {
	_, err := charterfile.Parse(name, data)
	var probs charterfile.Problems
	switch {
	case err == nil:
		return nil
	case errors.As(err, &probs):
		out := make([]string, len(probs))
		for i, p := range probs {
			out[i] = p.String()
		}
		return out
	}
	return []string{err.Error()}
}
