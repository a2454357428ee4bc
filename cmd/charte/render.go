package main

import (
	"bufio"
	"fmt"
	"slices"
	"strings"

	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/policy"
)

// runRender prints a charter's policy as an HTML fragment, Markdown or JSON.
func (c *cli) runRender(args []string) int {
	fs := c.flagSet("render", "render [--lang L] [--format html|md|json] FILE\n\nPrints the charter's cookie policy, for sites that publish it in their own CMS.")
	lang := fs.String("lang", "", "language of the policy (default: the site's first language)")
	format := fs.String("format", "html", "output format: html (a standalone fragment), md (Markdown) or json")
	files, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	if len(files) != 1 {
		fs.Usage()
		return exitUsage
	}
	ch, err := charterfile.Load(files[0])
	if err != nil {
		c.printLoadError(files[0], err)
		return exitInvalid
	}
	if *lang == "" {
		*lang = ch.Site.DefaultLanguage()
	}
	if !slices.Contains(ch.Site.Languages, *lang) {
		fmt.Fprintf(c.stderr, "charte render: --lang %q is not one of the site's languages (%s)\n", *lang, strings.Join(ch.Site.Languages, ", "))
		return exitUsage
	}
	w := bufio.NewWriter(c.stdout)
	switch *format {
	case "html":
		err = policy.HTML(w, ch, *lang)
	case "md", "markdown":
		err = policy.Markdown(w, ch, *lang)
	case "json":
		err = policy.JSON(w, ch)
	default:
		fmt.Fprintf(c.stderr, "charte render: --format %q is not one of html, md, json\n", *format)
		return exitUsage
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "charte render: %v\n", err)
		return exitUsage
	}
	return exitOK
}
