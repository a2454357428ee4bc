package main

import (
	_ "embed"
	"errors"
	"fmt"

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
	fmt.Fprintf(c.stderr, "%s: %v\n", file, err)
}
