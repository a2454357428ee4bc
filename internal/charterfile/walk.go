package charterfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/charte/charte/internal/charte"
)

// parser walks a charter file's node tree by hand, so that each problem is
// reported at the node at fault.
type parser struct {
	file     string
	problems Problems
	// langs are the site's languages. They are known (langsOK) only when
	// site.languages has no problem: until then, texts are not checked
	// against them, to avoid a flood of problems from one mistake.
	langs   []string
	langsOK bool
	// work counts the keys, items and problems seen. YAML aliases and merge
	// keys let a small file expand into a huge tree; the walk stops when
	// work reaches maxWork, or the problems maxProblems.
	work int
}

const (
	maxWork     = 1_000_000
	maxProblems = 1000
)

// errTooMuch stops the walk of a file that expands to too much. It is
// raised with panic and recovered by [parser.walk].
type errTooMuch struct{}

// step counts n units of work.
func (p *parser) step(n int) {
	p.work += n
	if p.work > maxWork {
		panic(errTooMuch{})
	}
}

// walk reads a charter from its root node, stopping at maxWork or
// maxProblems.
func (p *parser) walk(root *yaml.Node) (ch *charte.Charter) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if _, ok := r.(errTooMuch); !ok {
			panic(r)
		}
		ch = nil
		if len(p.problems) > maxProblems {
			last := p.problems[maxProblems-1]
			last.Message = fmt.Sprintf("more than %d problems: fix these first", maxProblems)
			p.problems = append(p.problems[:maxProblems], last)
			return
		}
		p.problems = Problems{{File: p.file, Line: 1, Col: 1, Message: "the file's aliases and merge keys expand to too much: write the charter out without them"}}
	}()
	return p.charter(root)
}

// errorf reports a problem at node n (at 1:1 when n is nil).
func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, max(n.Column, 1)
	}
	p.errorAt(line, col, format, args...)
}

func (p *parser) errorAt(line, col int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Col: col, Message: fmt.Sprintf(format, args...)})
	if len(p.problems) > maxProblems {
		panic(errTooMuch{})
	}
}

// decode parses data into a node tree and returns its root, or nil after
// reporting a syntax problem.
func (p *parser) decode(data []byte) (root *yaml.Node) {
	defer func() {
		// The YAML parser recovers its own errors; this guards the charter
		// server against any input that would still make it panic.
		if r := recover(); r != nil {
			p.errorf(nil, "the YAML parser failed on this file (%v): check its syntax", r)
			root = nil
		}
	}()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(nil, "the file holds no charter: write one with the keys site, categories and cookies")
		} else {
			p.syntax(data, err)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.errorf(&next, "a charter file holds one YAML document: remove this second one, from its ---")
	case !errors.Is(err, io.EOF):
		p.syntax(data, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		p.errorf(&doc, "the file holds no charter: write one with the keys site, categories and cookies")
		return nil
	}
	return doc.Content[0]
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line \d+: )?`)

// syntaxHints say what to do about the YAML parser's most common errors.
var syntaxHints = map[string]string{
	"found character that cannot start any token":     "indent with spaces, not tabs, and quote values that start with @ or `",
	"mapping values are not allowed in this context":  `check the indentation, and quote values that contain ": "`,
	"found a tab character that violates indentation": "indent with spaces, not tabs",
	"did not find expected key":                       "check the indentation",
	"did not find expected '-' indicator":             "check the indentation of the list",
	"found unexpected end of stream":                  "close the quote that starts here",
	"control characters are not allowed":              "remove the control character",
	"invalid leading UTF-8 octet":                     "save the file as UTF-8",
	"invalid trailing UTF-8 octet":                    "save the file as UTF-8",
}

// syntax reports a YAML syntax error. The parser's line numbers are not
// reliable (some are off by one, some missing), so syntax finds the first
// line at which the file, cut there, fails with the same message.
func (p *parser) syntax(data []byte, err error) {
	msg := yamlLine.ReplaceAllString(err.Error(), "")
	line, col := syntaxPos(data, msg)
	if hint, ok := syntaxHints[msg]; ok {
		msg += ": " + hint
	}
	p.errorAt(line, col, "invalid YAML: %s", msg)
}

func syntaxPos(data []byte, msg string) (line, col int) {
	// A bad byte has an exact position.
	if strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8") {
		line, col = 1, 1
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
				return line, col
			}
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i += size
		}
		return 1, 1
	}
	var ends []int // ends[i] is the end of line i+1
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(n int) bool {
		var doc yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[n]]))
		for {
			err := dec.Decode(&doc)
			if err == nil {
				continue
			}
			return !errors.Is(err, io.EOF) && yamlLine.ReplaceAllString(err.Error(), "") == msg
		}
	}
	// The first line n such that the file cut after it fails: binary search,
	// assuming that once a prefix fails, longer ones do too.
	n := sort.Search(len(ends), fails)
	if n == len(ends) {
		n--
	}
	return n + 1, 1
}

// field is one key of a mapping and its value (aliases resolved).
type field struct {
	key, val *yaml.Node
	// merged is set for keys brought in by a YAML merge key (<<).
	merged bool
}

// fields returns the keys of mapping n by name, reporting keys that are not
// in known (what names the mapping in messages) and keys given twice.
// Keys brought in by a YAML merge key (<<: *anchor) count, as in YAML,
// unless the mapping sets them itself.
func (p *parser) fields(n *yaml.Node, what string, known []string) map[string]field {
	out := make(map[string]field)
	p.collect(n, what, known, out, 0)
	return out
}

func (p *parser) collect(n *yaml.Node, what string, known []string, out map[string]field, depth int) {
	p.step(len(n.Content))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			p.merge(k, v, what, known, out, depth)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "keys in %s must be plain names: use %s", what, list(known, "or"))
			continue
		}
		if !slices.Contains(known, k.Value) {
			if s := suggest(k.Value, known); s != "" {
				p.errorf(k, "unknown key %q in %s; did you mean %q?", k.Value, what, s)
			} else {
				p.errorf(k, "unknown key %q in %s: use %s", k.Value, what, list(known, "or"))
			}
			continue
		}
		f := field{key: k, val: v, merged: depth > 0}
		prev, ok := out[k.Value]
		switch {
		case !ok:
			out[k.Value] = f
		case prev.merged && !f.merged:
			// Keys of the mapping itself win over merged ones.
			out[k.Value] = f
		case !prev.merged && !f.merged:
			p.errorf(k, "duplicate key %q in %s: it is already set on line %d; keep one", k.Value, what, prev.key.Line)
		}
	}
}

func (p *parser) merge(k, v *yaml.Node, what string, known []string, out map[string]field, depth int) {
	if depth >= 8 {
		p.errorf(k, "merge keys (<<) nest too deeply here: write the keys out")
		return
	}
	srcs := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		srcs = v.Content
	}
	for _, src := range srcs {
		src = resolve(src)
		if src.Kind != yaml.MappingNode {
			p.errorf(src, "a merge key (<<) takes a mapping or a list of mappings, as in <<: *defaults")
			continue
		}
		p.collect(src, what, known, out, depth+1)
	}
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// pos is where to report a problem with a field's value: the value, or the
// key when there is no value to point at.
func (f field) pos() *yaml.Node {
	if isNull(f.val) {
		return f.key
	}
	return f.val
}

// kind names a node's kind in messages.
func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// str returns a scalar field's value, trimmed. It reports a problem when the
// value is not a scalar, or is empty and required; hint is an example to
// write instead. ok is false after a problem.
func (p *parser) str(f field, what, hint string, required bool) (s string, ok bool) {
	switch {
	case f.val.Kind != yaml.ScalarNode:
		p.errorf(f.val, "%s must be a plain value, not %s: write %s", what, kind(f.val), hint)
		return "", false
	case isNull(f.val):
		s = ""
	default:
		s = strings.TrimSpace(f.val.Value)
	}
	if s == "" && required {
		p.errorf(f.pos(), "%s is empty: write %s", what, hint)
		return "", false
	}
	return s, true
}

// boolean returns a boolean field's value.
func (p *parser) boolean(f field, what string) (v, ok bool) {
	if f.val.Kind != yaml.ScalarNode || f.val.ShortTag() != "!!bool" {
		p.errorf(f.pos(), "%s must be true or false, not %s", what, kind(f.val))
		return false, false
	}
	return strings.EqualFold(f.val.Value, "true"), true
}

// seq returns a list field's items (aliases resolved).
func (p *parser) seq(f field, what, hint string) ([]*yaml.Node, bool) {
	if f.val.Kind != yaml.SequenceNode {
		p.errorf(f.pos(), "%s must be a list, not %s: write %s", what, kind(f.val), hint)
		return nil, false
	}
	p.step(len(f.val.Content))
	items := make([]*yaml.Node, len(f.val.Content))
	for i, n := range f.val.Content {
		items[i] = resolve(n)
	}
	return items, true
}

// missing reports a required key absent from mapping n.
func (p *parser) missing(n *yaml.Node, key, what, hint string) {
	p.errorf(n, "missing key %q in %s: add %s", key, what, hint)
}

// textHint is an example of a text in the site's languages.
func (p *parser) textHint(key string) string {
	if len(p.langs) == 0 {
		return key + `: "…"`
	}
	parts := make([]string, len(p.langs))
	for i, l := range p.langs {
		parts[i] = l + `: "…"`
	}
	return key + ": {" + strings.Join(parts, ", ") + "}"
}

// text reads a field holding a [charte.Text]: a plain string, given to every
// site language, or a mapping from language to string. what names the text
// in messages. defaults, for built-in categories, fill in the languages the
// file leaves out; missing languages without a default are problems.
func (p *parser) text(f field, what string, defaults charte.Text) charte.Text {
	key := f.key.Value
	v := f.val
	switch {
	case isNull(v):
		p.errorf(f.key, "%s is empty: write %s", what, p.textHint(key))
		return nil
	case v.Kind == yaml.ScalarNode:
		s := strings.TrimSpace(v.Value)
		if s == "" {
			p.errorf(v, "%s is empty: write %s", what, p.textHint(key))
			return nil
		}
		t := make(charte.Text, len(p.langs))
		for _, l := range p.langs {
			t[l] = s
		}
		return t
	case v.Kind != yaml.MappingNode:
		p.errorf(v, "%s must be a text, not %s: write %s", what, kind(v), p.textHint(key))
		return nil
	}
	p.step(len(v.Content))
	t := make(charte.Text)
	lines := make(map[string]int)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, s := resolve(v.Content[i]), resolve(v.Content[i+1])
		if k.Kind != yaml.ScalarNode || isNull(k) {
			p.errorf(k, "%s must map language codes to texts: write %s", what, p.textHint(key))
			continue
		}
		lang := k.Value
		if line, ok := lines[lang]; ok {
			p.errorf(k, "%s has two %s texts (the first on line %d): keep one", what, lang, line)
			continue
		}
		lines[lang] = k.Line
		if p.langsOK && !slices.Contains(p.langs, lang) {
			if s := suggest(lang, p.langs); s != "" {
				p.errorf(k, "%s is in %s, which the site does not declare; did you mean %s?", what, lang, s)
			} else {
				p.errorf(k, "%s is in %s, which the site does not declare: add %s to site languages, or remove this text", what, lang, lang)
			}
			continue
		}
		if s.Kind != yaml.ScalarNode {
			p.errorf(s, "the %s %s must be a plain string, not %s", lang, what, kind(s))
			continue
		}
		str := strings.TrimSpace(s.Value)
		if isNull(s) || str == "" {
			n := s
			if isNull(s) {
				n = k
			}
			p.errorf(n, "the %s %s is empty: write it, as in %s: \"…\"", lang, what, lang)
			continue
		}
		t[lang] = str
	}
	if !p.langsOK {
		return t
	}
	for _, l := range p.langs {
		if _, ok := lines[l]; ok {
			continue
		}
		if d, ok := defaults[l]; ok {
			t[l] = d
			continue
		}
		p.errorf(v, "%s has no %s translation: add %s: \"…\"", what, l, l)
	}
	return t
}

// list writes words as "a, b or c".
func list(words []string, conj string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
