package charterfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
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
	// langs are the site's valid languages, once each: plain-string texts
	// are given to each of them, and hints name them. langsOK is set when
	// site.languages has no problem: a text in another language is then
	// for Check to report, and nothing else about it.
	langs   []string
	isLang  map[string]bool
	langsOK bool
	// nodes are where each path of the charter was read from, as
	// [charte.Problem] names them: site.url, cookies[3].lifetime.
	nodes map[string]*yaml.Node
	// bad are the paths that have a problem of the file, or were derived
	// from a value that has one: [charte.Charter.Check] does not report
	// them, or anything below them, again.
	bad map[string]bool
	// implicit is set when the file does not declare the necessary
	// category, which the charter then has last until it is complete.
	implicit bool
	// work counts the keys, items and problems seen. YAML aliases and merge
	// keys let a small file expand into a huge tree; the walk stops when
	// work reaches maxWork, or the problems maxProblems.
	work int
	// textBytes counts the texts of the charter as given to each language:
	// a plain string is given to every site language, so 600 languages and
	// 1 MB of plain strings made 600 MB of texts. The walk stops when it
	// passes maxTextBytes.
	textBytes int
}

const (
	maxWork     = 1_000_000
	maxProblems = charte.MaxProblems
	// maxTextBytes is the most the texts of a charter may come to, counting
	// textEntryBytes for each language of each text besides its length.
	maxTextBytes   = 8 * MaxSize
	textEntryBytes = 32
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
		if p.textBytes > maxTextBytes {
			return // p.texts reported it
		}
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
	in := &lineReader{data: data}
	dec := yaml.NewDecoder(in)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(nil, "the file holds no charter: write one with the keys site, categories and cookies")
		} else {
			p.syntax(data, err, in.off)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.errorf(&next, "a charter file holds one YAML document: remove this second one, from its ---")
	case !errors.Is(err, io.EOF):
		p.syntax(data, err, in.off)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		p.errorf(&doc, "the file holds no charter: write one with the keys site, categories and cookies")
		return nil
	}
	return doc.Content[0]
}

// lineReader gives the YAML parser its input one line at a time, so that
// how far it read when it failed tells where it was: the parser looks only
// a few characters ahead.
type lineReader struct {
	data []byte
	off  int
}

func (r *lineReader) Read(b []byte) (int, error) {
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	rest := r.data[r.off:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i+1]
	}
	n := copy(b, rest)
	r.off += n
	return n, nil
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

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
	"exceeded max depth of 10000":                     "a charter nests lists and mappings a few levels deep, not thousands",
}

// syntax reports a YAML syntax error; read is how many bytes of data the
// parser had read when it failed.
func (p *parser) syntax(data []byte, err error, read int) {
	msg, n := err.Error(), 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimPrefix(msg, m[0])
		n, _ = strconv.Atoi(m[1]) // m[1] is "" when the error names no line: 0
	}
	line, col := syntaxPos(data, msg, n, read)
	if hint, ok := syntaxHints[msg]; ok {
		msg += ": " + hint
	}
	p.errorAt(line, col, "invalid YAML: %s", msg)
}

// parserErrors are the errors of yaml.v3's parser, as opposed to its
// scanner's, besides those that start with "did not find expected".
var parserErrors = []string{
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
	"found undefined tag handle",
}

// syntaxPos locates a syntax error from what the parser said and how far it
// read, in one pass over data at most; reparsing parts of the file to find
// it took a 5 MB file 35 s.
//
// yaml.v3 names the line, counted from 0, where the innermost construct
// being parsed starts, or else the one where the parser stopped; it adds 1
// to scanner errors' lines but not to parser errors', and it leaves out
// line 0. For most errors that construct is small and its line is the one
// to fix. A list is not small: the line where the parser stopped reading
// (it reads one line at a time, and looks only a few characters ahead) is
// the one, unless it reached the end of the file, as an unclosed [ does.
func syntaxPos(data []byte, msg string, n, read int) (line, col int) {
	switch {
	case strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8"):
		// A bad byte has an exact position.
		return badByte(data)
	case strings.HasPrefix(msg, "unknown anchor '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		return findAlias(data, name)
	}
	line = 1
	if n > 0 {
		line = n
		if strings.HasPrefix(msg, "did not find expected") || slices.Contains(parserErrors, msg) {
			line++
		}
	}
	// stopped is the line of the last byte read.
	stopped := 1 + bytes.Count(data[:max(read-1, 0)], []byte("\n"))
	switch msg {
	case "found a tab character that violates indentation", "did not find expected '-' indicator":
		// The line named is where the value or the list before starts.
		line = max(line, stopped)
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'":
		if read < len(data) && stopped > line+1 {
			line = stopped
		}
	}
	return line, 1
}

// badByte returns the position of data's first control character or byte
// that is not UTF-8.
func badByte(data []byte) (line, col int) {
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

// findAlias returns the position of the first *name in data that is an
// alias: after a space or the start of a value, and followed by the end of
// the name. It may be fooled by a comment or a quoted string, which only
// moves the problem's position.
func findAlias(data []byte, name string) (line, col int) {
	want := []byte("*" + name)
	for i := 0; ; {
		j := bytes.Index(data[i:], want)
		if j < 0 {
			return 1, 1
		}
		at, end := i+j, i+j+len(want)
		before := at == 0 || bytes.IndexByte([]byte(" \t\n[{,:-"), data[at-1]) >= 0
		after := end == len(data) || bytes.IndexByte([]byte(" \t\r\n,]}"), data[end]) >= 0
		if before && after {
			lineStart := bytes.LastIndexByte(data[:at], '\n') + 1
			return 1 + bytes.Count(data[:at], []byte("\n")), 1 + utf8.RuneCount(data[lineStart:at])
		}
		i = at + 1
	}
}

// field is one key of a mapping and its value (aliases resolved).
type field struct {
	key, val *yaml.Node
	// merged is set for keys brought in by a YAML merge key (<<).
	merged bool
	// path is the field's path in the charter, once [parser.under] gave it
	// one; problems of a field without a path mark nothing bad.
	path string
}

// under gives the fields of a mapping at path their paths, and records
// where each was read.
func (p *parser) under(path string, fs map[string]field) {
	for k, f := range fs {
		f.path = join(path, k)
		p.at(f.path, f.pos())
		fs[k] = f
	}
}

// at records that path was read from node n.
func (p *parser) at(path string, n *yaml.Node) {
	if p.nodes == nil {
		p.nodes = make(map[string]*yaml.Node)
	}
	p.nodes[path] = n
}

// fail marks path as having a problem of the file; "" marks nothing.
func (p *parser) fail(path string) {
	if path == "" {
		return
	}
	if p.bad == nil {
		p.bad = make(map[string]bool)
	}
	p.bad[path] = true
}

// node returns the node that path, or the nearest path above it, was read
// from; nil when none was read.
func (p *parser) node(path string) *yaml.Node {
	for {
		if n, ok := p.nodes[path]; ok {
			return n
		}
		if path == "" {
			return nil
		}
		path = parent(path)
	}
}

// skipped reports whether path, or a path above it, is bad.
func (p *parser) skipped(path string) bool {
	for {
		if p.bad[path] {
			return true
		}
		if path == "" {
			return false
		}
		path = parent(path)
	}
}

// join returns the path of key in the mapping at path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// parent returns the path above path: cookies[3] for cookies[3].name,
// cookies for cookies[3], "" for cookies.
func parent(path string) string {
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return ""
}

// within reports whether path is top or below it.
func within(path, top string) bool {
	rest, ok := strings.CutPrefix(path, top)
	return ok && (rest == "" || rest[0] == '.' || rest[0] == '[')
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
			if s := charte.Suggest(k.Value, known); s != "" {
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
		p.fail(f.path)
		return "", false
	case isNull(f.val):
		s = ""
	default:
		s = strings.TrimSpace(f.val.Value)
	}
	if s == "" && required {
		p.errorf(f.pos(), "%s is empty: write %s", what, hint)
		p.fail(f.path)
		return "", false
	}
	return s, true
}

// boolean returns a boolean field's value.
func (p *parser) boolean(f field, what string) (v, ok bool) {
	if f.val.Kind != yaml.ScalarNode || f.val.ShortTag() != "!!bool" {
		p.errorf(f.pos(), "%s must be true or false, not %s", what, kind(f.val))
		p.fail(f.path)
		return false, false
	}
	return strings.EqualFold(f.val.Value, "true"), true
}

// seq returns a list field's items (aliases resolved).
func (p *parser) seq(f field, what, hint string) ([]*yaml.Node, bool) {
	if f.val.Kind != yaml.SequenceNode {
		p.errorf(f.pos(), "%s must be a list, not %s: write %s", what, kind(f.val), hint)
		p.fail(f.path)
		return nil, false
	}
	p.step(len(f.val.Content))
	items := make([]*yaml.Node, len(f.val.Content))
	for i, n := range f.val.Content {
		items[i] = resolve(n)
	}
	return items, true
}

// missing reports a required key absent from mapping n, and marks its
// path.
func (p *parser) missing(n *yaml.Node, path, key, what, hint string) {
	p.errorf(n, "missing key %q in %s: add %s", key, what, hint)
	p.fail(path)
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
// site language, or a mapping from language to string, kept as written for
// [charte.Charter.Check] to hold against the site's languages. what names
// the text in messages.
func (p *parser) text(f field, what string) charte.Text {
	key := f.key.Value
	v := f.val
	switch {
	case isNull(v):
		p.errorf(f.key, "%s is empty: write %s", what, p.textHint(key))
		p.fail(f.path)
		return nil
	case v.Kind == yaml.ScalarNode:
		s := strings.TrimSpace(v.Value)
		if s == "" {
			p.errorf(v, "%s is empty: write %s", what, p.textHint(key))
			p.fail(f.path)
			return nil
		}
		p.texts(v, len(s), len(p.langs))
		t := make(charte.Text, len(p.langs))
		for _, l := range p.langs {
			t[l] = s
		}
		return t
	case v.Kind != yaml.MappingNode:
		p.errorf(v, "%s must be a text, not %s: write %s", what, kind(v), p.textHint(key))
		p.fail(f.path)
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
		path := join(f.path, lang)
		p.at(path, k)
		if p.langsOK && !p.isLang[lang] {
			// The language is the problem, which Check reports.
			t[lang] = strings.TrimSpace(s.Value)
			continue
		}
		if s.Kind != yaml.ScalarNode {
			p.errorf(s, "the %s %s must be a plain string, not %s", lang, what, kind(s))
			p.fail(path)
			continue
		}
		str := strings.TrimSpace(s.Value)
		if isNull(s) || str == "" {
			n := s
			if isNull(s) {
				n = k
			}
			p.errorf(n, "the %s %s is empty: write it, as in %s: \"…\"", lang, what, lang)
			p.fail(path)
			continue
		}
		p.texts(s, len(str), 1)
		t[lang] = str
	}
	return t
}

// texts counts a text of n bytes at node at given to langs languages, and
// stops the walk when the charter's texts come to more than maxTextBytes.
func (p *parser) texts(at *yaml.Node, n, langs int) {
	p.textBytes += (n + textEntryBytes) * langs
	if p.textBytes <= maxTextBytes {
		return
	}
	p.errorf(at, "the charter's texts come to more than %d MB once each is given to the site's %d languages: write shorter texts, or give each language its own", maxTextBytes>>20, len(p.langs))
	panic(errTooMuch{})
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
