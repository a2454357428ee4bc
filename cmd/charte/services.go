package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/services"
)

// runServices prints the service catalogue: every service, or the ones
// named, with the parameters a charter gives each.
func (c *cli) runServices(args []string) int {
	fs := c.flagSet("services", "services [--format text|md] [ID]...\n\nPrints the services a charter may name under services:, with their parameters.")
	format := fs.String("format", "text", "output format: text, or md (the Markdown table of the README)")
	ids, err := parse(fs, args)
	if err != nil {
		return usageExit(err)
	}
	cat := services.Default()
	var defs []*charte.ServiceDef
	for _, id := range ids {
		d, ok := cat.Service(id)
		if !ok {
			if s := charte.Suggest(id, cat.ServiceIDs()); s != "" {
				fmt.Fprintf(c.stderr, "charte services: unknown service %q; did you mean %s?\n", id, s)
			} else {
				fmt.Fprintf(c.stderr, "charte services: unknown service %q\n", id)
			}
			return exitUsage
		}
		defs = append(defs, d)
	}
	if len(ids) == 0 {
		defs = cat.Services()
	}
	w := bufio.NewWriter(c.stdout)
	switch *format {
	case "text":
		writeServicesText(w, defs)
	case "md", "markdown":
		writeServicesMarkdown(w, defs)
	default:
		fmt.Fprintf(c.stderr, "charte services: --format %q is not one of text, md\n", *format)
		return exitUsage
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(c.stderr, "charte services: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// writeServicesText writes each service as a block: its id, what it is, and
// a charter entry that names it.
func writeServicesText(w io.Writer, defs []*charte.ServiceDef) {
	for i, d := range defs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s — %s (%s)\n", d.ID, d.Name, d.Provider)
		kind := "tag"
		switch {
		case d.Tag != nil && d.Embed:
			kind = "tag and embeds"
		case d.Embed:
			kind = "embeds"
		}
		exempt := ""
		if d.Exemptable {
			exempt = ", or exempt with exempt: true"
		}
		fmt.Fprintf(w, "  %s, category %s%s, %d cookies\n", kind, d.Category, exempt, len(d.Cookies))
		fmt.Fprintf(w, "  - id: %s\n", d.ID)
		for _, p := range d.Params {
			opt := ""
			if !p.Required {
				opt = ", optional"
			}
			fmt.Fprintf(w, "    %s: %s  # %s%s\n", p.Name, p.Example, p.Description, opt)
		}
	}
}

// writeServicesMarkdown writes the services as a Markdown table.
func writeServicesMarkdown(w io.Writer, defs []*charte.ServiceDef) {
	fmt.Fprintln(w, "| id | service | category | parameters | cookies |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	for _, d := range defs {
		var params []string
		for _, p := range d.Params {
			s := "`" + p.Name + ": " + p.Example + "`"
			if !p.Required {
				s += " (optional)"
			}
			params = append(params, s)
		}
		if len(params) == 0 {
			params = []string{"—"}
		}
		cat := d.Category
		if d.Exemptable {
			cat += " (or exempt)"
		}
		name := d.Name
		if d.Embed {
			name += ", embeds"
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %d |\n", d.ID, name, cat, strings.Join(params, ", "), len(d.Cookies))
	}
}
