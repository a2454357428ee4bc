// Command charte is a self-hosted cookie consent platform: it keeps a site's
// cookie charter as code, renders the policy page, serves the consent banner
// and API, records the proof of consent, and audits sites against their
// charter. Run `charte help` for the commands.
//
// It is the one package that may import every package of the module and
// every outside dependency: it reads the configuration and wires the stores,
// the web server, the proxy and the scanner together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes shared by every command.
const (
	exitOK      = 0
	exitInvalid = 1 // invalid input: a charter with problems, a failed check
	exitUsage   = 2 // bad command line, or the command could not run
)

// env is how commands read CHARTE_* variables (os.Getenv in main, a map in tests).
type env func(string) string

// cli carries what every command needs; nothing is global.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         env
	// ready, when set, is called by serve and proxy with the address they
	// listen on.
	ready func(addr string)
	// hup delivers reload requests to serve and proxy (SIGHUP in main).
	hup <-chan os.Signal
}

const usage = `charte — cookie charter as code: policy page, consent banner, proof of consent.

Usage:
  charte init                      print a commented starter charter
  charte check FILE...             validate charters (FILE:LINE:COL: message; exit 1 on problems)
  charte render [--lang L] [--format html|md|json] FILE
                                   print a charter's policy as an HTML fragment, Markdown or JSON
  charte serve [--addr HOST:PORT] [--db DSN] [--charter FILE]...
                                   serve the policy pages, the consent API, /healthz, /readyz and /metrics
  charte proxy --upstream URL [--addr HOST:PORT] [--charter FILE] [--prefix /_charte]
                                   stand in front of a web application: enforce the charter on its cookies, inject the banner
  charte services [--format text|md] [ID]...
                                   list the services a charter may name under services:, with their parameters
  charte scan URL [--charter FILE] [--pages N] [--format text|json|html] [--out FILE] [--draft FILE]
                                   audit a live site in headless Chromium as three visitors (exit 1 on violations)
  charte verify [--db DSN]         check the consent log's integrity (exit 1 naming the first bad record)
  charte export [--db DSN] [--site ID] [--since TIME] [--format csv|jsonl]
                                   stream the consent log
  charte user add|passwd|list [NAME] [--db DSN]
                                   manage back-office users (password on standard input)
  charte version                   print charte's version
  charte help [COMMAND]            show help

Run "charte COMMAND --help" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, hup: hup}
	code := c.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// run runs one command line and returns its exit code.
func (c *cli) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "init":
		return c.runInit(rest)
	case "check":
		return c.runCheck(rest)
	case "render":
		return c.runRender(rest)
	case "serve":
		return c.runServe(ctx, rest)
	case "proxy":
		return c.runProxy(ctx, rest)
	case "user":
		return c.runUser(ctx, rest)
	case "scan":
		return c.runScan(ctx, rest)
	case "services":
		return c.runServices(rest)
	case "verify":
		return c.runVerify(ctx, rest)
	case "export":
		return c.runExport(ctx, rest)
	case "version", "--version":
		fmt.Fprintln(c.stdout, "charte", version)
		return exitOK
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 && rest[0] != "help" {
			return c.run(ctx, []string{rest[0], "--help"})
		}
		fmt.Fprint(c.stdout, usage)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "charte: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// flagSet returns a flag set for a command that writes its usage to stderr.
func (c *cli) flagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("charte "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: charte %s\n", synopsis)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(c.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags that may come before or after the positional
// arguments (charte render FILE --lang en), and returns the positionals.
// It returns flag.ErrHelp for -h/--help.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// usageExit maps a flag parsing error to an exit code: 0 for --help.
func usageExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// envDefault returns the CHARTE_* variable's value, or def.
func (c *cli) envDefault(name, def string) string {
	if v := strings.TrimSpace(c.getenv(name)); v != "" {
		return v
	}
	return def
}
