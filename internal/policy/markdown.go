package policy

import (
	"regexp"
	"strings"
	"unicode"
)

// Markdown escaping. text/template does not escape, so the Markdown template
// passes every value through one of these. They aim at GitHub-flavoured
// Markdown (CommonMark plus tables, autolinks and strikethrough): a charter's
// text must come out as the same text, never as markup.

// mdInline escapes s for inline Markdown and folds its whitespace, newlines
// included, into single spaces: a newline could otherwise end a table row or
// start a list.
func mdInline(s string, inCell bool) string {
	s = foldSpace(s)
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch r {
		case '\\', '`', '*', '[', ']', '<', '>', '~':
			b.WriteByte('\\')
		case '|':
			if inCell {
				b.WriteByte('\\')
			}
		case '_':
			// An underscore between two letters or digits can neither open
			// nor close emphasis: leave cookies_preferences readable.
			if i == 0 || i == len(rs)-1 || !isAlnum(rs[i-1]) || !isAlnum(rs[i+1]) {
				b.WriteByte('\\')
			}
		case '&':
			// Only an entity reference (&amp; &#38;) would be decoded.
			if entityRef.MatchString(string(rs[i:])) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// entityRef matches an HTML entity or character reference at the start of a
// string.
var entityRef = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});`)

// foldSpace turns every run of white space, newlines included, into one
// space, keeping a leading or trailing one: it separates s from its
// neighbours in a rich line.
func foldSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mdBlock is mdInline for text that starts a line, where #, -, +, =, a
// number followed by . or ) and the like would start a heading or a list.
func mdBlock(s string) string {
	out := mdInline(s, false)
	if out == "" {
		return out
	}
	if strings.HasSuffix(out, "#") {
		// A closing sequence of an ATX heading would be dropped.
		out = out[:len(out)-1] + `\#`
	}
	switch out[0] {
	case '#', '-', '+', '=':
		return `\` + out
	}
	i := 0
	for i < len(out) && i < 9 && out[i] >= '0' && out[i] <= '9' {
		i++
	}
	if i > 0 && i < len(out) && (out[i] == '.' || out[i] == ')') {
		return out[:i] + `\` + out[i:]
	}
	return out
}

// mdCell escapes s for a table cell, where | ends the cell.
func mdCell(s string) string { return mdInline(s, true) }

// mdRich writes a rich line as Markdown.
func mdRich(r rich, inCell bool) string {
	var b strings.Builder
	for i, s := range r {
		switch {
		case s.Code:
			b.WriteString(mdCode(s.Text, inCell))
		case s.Href != "" && safeHref(s.Href):
			b.WriteString("[" + mdInline(s.Text, inCell) + "](<" + s.Href + ">)")
		case i == 0 && !inCell:
			b.WriteString(mdBlock(s.Text))
		default:
			b.WriteString(mdInline(s.Text, inCell))
		}
	}
	return b.String()
}

// mdCode writes s as a code span: fenced with more backticks than any run in
// s, padded when s starts or ends with one. In a table cell | is escaped even
// in a code span, as GFM requires.
func mdCode(s string, inCell bool) string {
	s = foldSpace(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	if inCell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return fence + s + fence
}

// safeHref reports whether href can be a Markdown link destination: an
// http, https or mailto URL with nothing that would end the <…> form.
// Anything else is written as text.
func safeHref(href string) bool {
	l := strings.ToLower(href)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "mailto:") {
		return false
	}
	return !strings.ContainsAny(href, "<>\\\n\r\t ")
}
