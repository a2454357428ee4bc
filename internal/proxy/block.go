package proxy

import (
	"bytes"
	"html"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/charte/charte/internal/charte"
)

// blockRules are what one page is blocked with: the catalogue that knows
// the services' hosts, and the categories of the services the charter
// names. A service the charter does not name is blocked under its
// catalogue category.
type blockRules struct {
	catalog  charte.ServiceCatalog
	loaders  []tagLoader
	declared map[string]string // service id → category
	// blocked is called for every element blocked, with its service and
	// whether the charter names it.
	blocked func(def *charte.ServiceDef, declared bool)
}

// loaderMarkers are texts that give away, in an inline script, the loader
// of a service whose script comes from a host of the site's own: a
// self-hosted Matomo's loader names matomo.js, not a catalogue host.
var loaderMarkers = []struct{ text, service string }{
	{"matomo.js", "matomo"},
	{"piwik.js", "matomo"},
}

// tagLoader is a service's official tag URL, from the catalogue's
// template: where it starts, without its scheme and up to its first
// parameter, and the pattern that parameter's value matches. Services that
// share a host (GA4, Tag Manager and Google Ads on www.googletagmanager.com)
// are told apart by it.
type tagLoader struct {
	def     *charte.ServiceDef
	host    string         // www.googletagmanager.com
	prefix  string         // www.googletagmanager.com/gtag/js?id=
	pattern *regexp.Regexp // of the value that follows; nil for none
}

// tagLoaders returns the tag URLs of the catalogue's services whose
// template starts with an https:// host, longest first, so that a longer
// URL wins over one it starts with.
func tagLoaders(cat charte.ServiceCatalog) []tagLoader {
	var out []tagLoader
	for _, id := range cat.ServiceIDs() {
		def, ok := cat.Service(id)
		if !ok || def.Tag == nil {
			continue
		}
		rest, ok := strings.CutPrefix(def.Tag.Src, "https://")
		if !ok {
			continue // {url}matomo.js: the site's own host
		}
		host, _, _ := strings.Cut(rest, "/")
		l := tagLoader{def: def, host: host, prefix: rest}
		if i := strings.IndexByte(rest, '{'); i >= 0 {
			l.prefix = rest[:i]
			name, _, _ := strings.Cut(rest[i+1:], "}")
			for _, p := range def.Params {
				if p.Name == name && p.Pattern != "" {
					l.pattern, _ = regexp.Compile(p.Pattern) // the catalogue's own tests compile them; one that does not is no constraint
				}
			}
		}
		if l.prefix != "" {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b tagLoader) int { return len(b.prefix) - len(a.prefix) })
	return out
}

// byLoader returns the service whose tag URL text holds: its prefix,
// followed by a value its parameter's pattern accepts, or by none (a URL
// a script builds: 'https://www.googletagmanager.com/gtm.js?id='+i). A
// service the charter names wins over one it does not.
func (r *blockRules) byLoader(text []byte) (*tagLoader, bool) {
	var first *tagLoader
	for k := range r.loaders {
		l := &r.loaders[k]
		i := bytes.Index(text, []byte(l.prefix))
		if i < 0 {
			continue
		}
		if l.pattern != nil {
			v := text[i+len(l.prefix):]
			n := 0
			for n < len(v) && (isLetter(v[n]) || '0' <= v[n] && v[n] <= '9' || v[n] == '-' || v[n] == '_') {
				n++
			}
			if n > 0 && !l.pattern.Match(v[:n]) {
				continue
			}
		}
		if _, named := r.declared[l.def.ID]; named {
			return l, true
		}
		if first == nil {
			first = l
		}
	}
	return first, first != nil
}

// match is the service an element is blocked for, and its category.
type match struct {
	id, category string
}

// service returns what an element of the service def is blocked as, and
// counts it; false for a necessary service, which is not blocked (the
// banner would release it at once: its category is always granted).
func (r *blockRules) service(def *charte.ServiceDef) (match, bool) {
	cat, declared := r.declared[def.ID]
	if !declared {
		cat = def.Category
	}
	if cat == charte.CategoryNecessary {
		return match{}, false
	}
	if r.blocked != nil {
		r.blocked(def, declared)
	}
	return match{id: def.ID, category: cat}, true
}

// byURL returns what a script, frame or pixel whose URL is raw (as in
// the page) is blocked as: the service whose tag URL it is, else the one
// on whose host it is.
func (r *blockRules) byURL(raw []byte) (match, bool) {
	u := html.UnescapeString(string(raw))
	host, path, ok := urlHost(u)
	if !ok {
		return match{}, false
	}
	if l, ok := r.byLoader([]byte(u)); ok && l.host == host {
		return r.service(l.def)
	}
	if def, ok := r.catalog.ServiceByURL(host, path); ok {
		return r.service(def)
	}
	return match{}, false
}

// byText returns what an inline script is blocked as: the service it
// loads, whose tag URL its text holds, else whose host it names in a URL
// or a string (the first), else whose loader marker it holds.
func (r *blockRules) byText(text []byte) (match, bool) {
	if l, ok := r.byLoader(text); ok {
		return r.service(l.def)
	}
	for i := 0; i < len(text); {
		if !isHostByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isHostByte(text[j]) {
			j++
		}
		// A host in a URL or a string: after a slash or a quote, which
		// property accesses (window.dataLayer) are not.
		if run := text[i:j]; i > 0 && strings.IndexByte(`/'"`+"`", text[i-1]) >= 0 && bytes.IndexByte(run, '.') > 0 {
			// The path after the host, if any, up to the end of the URL.
			k := j
			for k < len(text) && text[k] > ' ' && strings.IndexByte(`'"`+"`<>", text[k]) < 0 {
				k++
			}
			if def, ok := r.catalog.ServiceByURL(strings.ToLower(strings.Trim(string(run), ".-")), string(text[j:k])); ok {
				return r.service(def)
			}
		}
		i = j
	}
	for _, m := range loaderMarkers {
		if bytes.Contains(text, []byte(m.text)) {
			if def, ok := r.catalog.Service(m.service); ok {
				return r.service(def)
			}
		}
	}
	return match{}, false
}

func isHostByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-'
}

// urlHost returns the host, lowercase and without its port, and the path
// of an absolute or scheme-relative http(s) URL as a browser reads it from
// an attribute: surrounding white space stripped, tabs and line breaks
// dropped, backslashes taken for slashes.
func urlHost(s string) (host, path string, ok bool) {
	s = strings.Trim(s, "\t\n\f\r ")
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", "", false
	}
	if sc := strings.ToLower(u.Scheme); sc != "" && sc != "http" && sc != "https" {
		return "", "", false
	}
	return strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")), u.EscapedPath(), true
}

// attr is an attribute of a tag, as offsets into the tag's bytes: its name
// [name, nameEnd), its value [val, valEnd) without quotes, and where the
// whole attribute ends (after a closing quote).
type attr struct {
	name, nameEnd, val, valEnd, end int
}

// tagAttrs returns the attributes of a whole tag (from < to >) as the
// tokenizer reads them, with the finder's rules, a name that comes again
// included (a browser keeps the first).
func tagAttrs(tag []byte) []attr {
	var (
		f     = finder{state: stateTagName}
		attrs []attr
		cur   = -1 // the attribute being read
	)
	closeName := func(i int) {
		if cur >= 0 && attrs[cur].nameEnd < 0 {
			attrs[cur].nameEnd, attrs[cur].val, attrs[cur].valEnd, attrs[cur].end = i, i, i, i
		}
	}
	for i := 1; i < len(tag); i++ {
		prev := f.state
		ended := f.tagStep(tag[i])
		now := f.state
		switch {
		case now == stateAttrName && (prev != stateAttrName):
			closeName(i)
			attrs = append(attrs, attr{name: i, nameEnd: -1})
			cur = len(attrs) - 1
		case prev == stateAttrName && now != stateAttrName:
			closeName(i)
		}
		if cur < 0 {
			continue
		}
		a := &attrs[cur]
		switch {
		case now == stateBeforeValue:
			a.val, a.valEnd, a.end = i+1, i+1, i+1
		case prev == stateBeforeValue && (now == stateValueDouble || now == stateValueSingle):
			a.val, a.valEnd, a.end = i+1, i+1, i+1
		case prev == stateBeforeValue && now == stateValueUnquoted:
			a.val = i
		case (prev == stateValueDouble || prev == stateValueSingle) && now == stateAfterValue:
			a.valEnd, a.end = i, i+1
		case prev == stateValueUnquoted && now != stateValueUnquoted:
			a.valEnd, a.end = i, i
		}
		if ended {
			break
		}
	}
	out := attrs[:0]
	for _, a := range attrs {
		if a.nameEnd >= 0 {
			out = append(out, a)
		}
	}
	return out
}

// get returns the attribute named name (lower case) of tag, the first
// one, as a browser keeps it.
func get(tag []byte, attrs []attr, name string) (attr, bool) {
	for _, a := range attrs {
		if a.is(tag, name) {
			return a, true
		}
	}
	return attr{}, false
}

// is reports whether a is named name (lower case).
func (a attr) is(tag []byte, name string) bool {
	return a.nameEnd-a.name == len(name) && hasPrefixFold(tag[a.name:], name)
}

// without writes tag from its byte from, leaving out every attribute
// named name: the first, which a browser keeps, and any other, which it
// would keep once the first is gone.
func without(b *bytes.Buffer, tag []byte, from int, attrs []attr, name string) {
	for _, a := range attrs {
		if !a.is(tag, name) {
			continue
		}
		next := a.end
		for next < len(tag) && isSpace(tag[next]) {
			next++
		}
		if next < len(tag) && tag[next] == '=' {
			// An = would become the value of an attribute before that has
			// none: a / (not before >, so no self-closing) keeps it the
			// start of an attribute's name, as it was.
			b.Write(tag[from:a.name])
			b.WriteByte('/')
			from = a.end
			continue
		}
		// The white space before it goes too, when what follows ends the
		// attribute before (an unquoted value would run on otherwise).
		start := a.name
		if a.end < len(tag) && (isSpace(tag[a.end]) || tag[a.end] == '>') {
			for start > from && isSpace(tag[start-1]) {
				start--
			}
		}
		b.Write(tag[from:start])
		from = a.end
	}
	b.Write(tag[from:])
}

// jsTypes are the MIME type essences a script's type may give for a
// classic script (WHATWG MIME Sniffing, JavaScript MIME type).
var jsTypes = map[string]bool{
	"application/ecmascript": true, "application/javascript": true, "application/x-ecmascript": true,
	"application/x-javascript": true, "text/ecmascript": true, "text/javascript": true,
	"text/javascript1.0": true, "text/javascript1.1": true, "text/javascript1.2": true,
	"text/javascript1.3": true, "text/javascript1.4": true, "text/javascript1.5": true,
	"text/jscript": true, "text/livescript": true, "text/x-ecmascript": true, "text/x-javascript": true,
}

// runsScript reports whether a script element with these attributes runs
// (HTML, "prepare the script element"): no type, or an empty one, and no
// language or an empty one; a JavaScript type; or module. JSON-LD,
// templates and scripts already blocked (text/plain) do not.
func runsScript(tag []byte, attrs []attr) bool {
	t, ok := get(tag, attrs, "type")
	if !ok || t.val == t.valEnd {
		l, ok := get(tag, attrs, "language")
		if !ok || l.val == l.valEnd {
			return true
		}
		return jsTypes["text/"+strings.ToLower(string(tag[l.val:l.valEnd]))]
	}
	v := strings.ToLower(strings.Trim(string(tag[t.val:t.valEnd]), "\t\n\f\r "))
	return v == "module" || jsTypes[v]
}

// blockedScript returns a script start tag in its blocked form: type
// text/plain, the category and the service, and every other attribute of
// tag as it was.
func blockedScript(tag []byte, attrs []attr, m match) []byte {
	var b bytes.Buffer
	b.WriteString(`<script type="text/plain"`)
	writeMatch(&b, m)
	without(&b, tag, len("<script"), attrs, "type")
	return b.Bytes()
}

// blockedSource returns an iframe's or img's start tag in its blocked form:
// the category, the service, data-src instead of src, and every other
// attribute as it was. name is "iframe" or "img".
func blockedSource(tag []byte, attrs []attr, src attr, name string, m match) []byte {
	var b bytes.Buffer
	b.WriteString("<" + name)
	writeMatch(&b, m)
	b.WriteString(` data-src="`)
	b.Write(bytes.ReplaceAll(tag[src.val:src.valEnd], []byte(`"`), []byte("&quot;")))
	b.WriteByte('"')
	without(&b, tag, 1+len(name), attrs, "src")
	return b.Bytes()
}

func writeMatch(b *bytes.Buffer, m match) {
	b.WriteString(` data-category="`)
	b.WriteString(html.EscapeString(m.category))
	b.WriteString(`" data-charte-service="`)
	b.WriteString(html.EscapeString(m.id))
	b.WriteByte('"')
}

// blockBufferSize is the size of a blocker's buffer: a read's worth of a
// page, which grows, up to the look-ahead, only to hold a long tag or an
// inline script.
const blockBufferSize = 32 << 10

var blockBuffers = sync.Pool{New: func() any { b := make([]byte, blockBufferSize); return &b }}

// blocker rewrites an HTML page as it streams: the scripts, frames and
// pixels of known services' hosts, and the inline scripts that load them,
// go out in their blocked forms (type="text/plain", data-src, with
// data-category and data-charte-service), which the banner releases once
// their category is granted. Every other byte goes out as it came.
//
// It reads the page with the finder's tokenizer rules (lex mode), holds
// back only a tag that may be rewritten, or an inline script's start tag
// with its text until its end tag, at most max bytes: a longer one goes
// out unchanged and is counted in tooLong.
type blocker struct {
	src     io.Reader
	closer  io.Closer
	rules   *blockRules
	max     int
	held    *holding
	tooLong func()

	f      finder
	pooled *[]byte
	buf    []byte // backing array
	in     []byte // read, not yet sent: a window of buf; f's offsets are into it
	out    []byte // a rewritten part, to send before in
	eof    bool
	err    error
	// script is where a held inline script's start tag starts in in, and
	// text where its text does; -1 when none is held.
	script, text int
	// skipTag is set while a tag too long to hold is passed through.
	skipTag bool
}

// newBlocker returns a blocker of src; Close closes closer and gives the
// blocker's memory back.
func newBlocker(src io.Reader, closer io.Closer, rules *blockRules, max int, held *holding, tooLong func()) *blocker {
	pooled := blockBuffers.Get().(*[]byte)
	b := &blocker{src: src, closer: closer, rules: rules, max: max, held: held, tooLong: tooLong, pooled: pooled, buf: *pooled, script: -1, text: -1}
	b.f.lex = true
	b.in = b.buf[:0]
	return b
}

// Read sends the page, rewritten, as far as it is decided.
func (b *blocker) Read(p []byte) (int, error) {
	for {
		if len(b.out) > 0 {
			n := copy(p, b.out)
			b.out = b.out[n:]
			return n, nil
		}
		b.lex()
		if len(b.out) > 0 {
			continue
		}
		if safe := b.safe(); safe > 0 {
			n := copy(p, b.in[:safe])
			b.shift(n)
			return n, nil
		}
		if b.eof {
			if len(b.in) > 0 {
				b.finish()
				continue
			}
			if b.err != nil {
				return 0, b.err
			}
			return 0, io.EOF
		}
		// Nothing can go: in is all held. Past max, what is held is too
		// long to check, whatever comes next.
		if len(b.in) > b.max || !b.fill() {
			b.giveUp()
		}
	}
}

// unchecked counts a tag or an inline script too long to check.
func (b *blocker) unchecked() {
	if b.tooLong != nil {
		b.tooLong()
	}
}

// Close closes the page's source and gives back the blocker's memory.
func (b *blocker) Close() error {
	if b.pooled != nil {
		if cap(b.buf) == blockBufferSize {
			*b.pooled = b.buf
			blockBuffers.Put(b.pooled)
		}
		b.pooled, b.buf, b.in = nil, nil, nil
		b.held.release()
	}
	return b.closer.Close()
}

// lex reads what in holds, as far as it can, and rewrites the first tag to
// rewrite it meets (then out holds the page up to and with it).
func (b *blocker) lex() {
	for b.f.next < len(b.in) {
		_, found, more := b.f.step(b.in, b.eof)
		if found && b.tagEnded() {
			return
		}
		if more {
			return
		}
	}
}

// safe returns how many bytes of in can be sent: all that is read but a
// tag that may be rewritten, or a held inline script.
func (b *blocker) safe() int {
	switch {
	case b.script >= 0:
		return b.script
	case b.skipTag || b.f.state < stateTagName || b.f.state > stateSelfClosing:
		return min(b.f.next, len(b.in))
	case b.f.endTag || b.f.state != stateTagName && !b.f.isName("script") && !b.f.isName("iframe") && !b.f.isName("img"):
		return min(b.f.next, len(b.in))
	}
	return b.f.tag
}

// tagEnded looks at the tag that just ended at f.next, and rewrites it
// when it is to be blocked: it then reports true, with out holding the
// page up to the rewritten tag.
func (b *blocker) tagEnded() bool {
	f := &b.f
	if b.skipTag {
		b.skipTag = false
		return false
	}
	if f.endTag {
		if b.script >= 0 && f.isName("script") {
			start, text := b.script, b.text
			b.script, b.text = -1, -1
			if f.next-start > b.max {
				b.unchecked()
				return false
			}
			return b.decideScript(start, text, f.tag)
		}
		return false
	}
	if (f.isName("script") || f.isName("iframe") || f.isName("img")) && f.next-f.tag > b.max {
		b.unchecked()
		return false
	}
	switch {
	case f.isName("script"):
		tag := b.in[f.tag:f.next]
		attrs := tagAttrs(tag)
		if !runsScript(tag, attrs) {
			return false
		}
		if src, ok := get(tag, attrs, "src"); ok {
			m, ok := b.rules.byURL(tag[src.val:src.valEnd])
			if !ok {
				return false
			}
			b.rewrite(f.tag, f.next, blockedScript(tag, attrs, m))
			return true
		}
		b.script, b.text = f.tag, f.next
	case f.isName("iframe"), f.isName("img"):
		tag := b.in[f.tag:f.next]
		attrs := tagAttrs(tag)
		src, ok := get(tag, attrs, "src")
		if !ok {
			return false
		}
		m, ok := b.rules.byURL(tag[src.val:src.valEnd])
		if !ok {
			return false
		}
		b.rewrite(f.tag, f.next, blockedSource(tag, attrs, src, string(f.name[:f.nameLen]), m))
		return true
	}
	return false
}

// decideScript rewrites the held inline script whose start tag is at
// start and whose text is [text, end) when the text loads a known service.
func (b *blocker) decideScript(start, text, end int) bool {
	m, ok := b.rules.byText(b.in[text:end])
	if !ok {
		return false
	}
	tag := b.in[start:text]
	b.rewrite(start, text, blockedScript(tag, tagAttrs(tag), m))
	return true
}

// rewrite puts in out the page up to start, then repl in place of
// [start, end).
func (b *blocker) rewrite(start, end int, repl []byte) {
	b.out = append(append(b.out[:0], b.in[:start]...), repl...)
	b.shift(end)
}

// shift drops the first n bytes of in, sent.
func (b *blocker) shift(n int) {
	b.in = b.in[n:]
	b.f.next -= n
	b.f.tag -= n
	if b.script >= 0 {
		b.script -= n
		b.text -= n
	}
}

// finish decides, at the end of the page, on what is still held: an
// inline script with no end tag runs to the end of the page, and is
// blocked like any other; a tag cut short is none. Then all goes out.
func (b *blocker) finish() {
	if b.script >= 0 {
		start, text := b.script, b.text
		b.script, b.text = -1, -1
		if len(b.in)-start > b.max {
			b.unchecked()
		} else if b.decideScript(start, text, len(b.in)) {
			b.out = append(b.out, b.in...)
			b.shift(len(b.in))
			b.done()
			return
		}
	}
	b.out = append(b.out[:0], b.in...)
	b.shift(len(b.in))
	b.done()
}

// done leaves the finder with nothing more to read: the page has ended.
func (b *blocker) done() {
	b.f = finder{lex: true}
	b.skipTag = false
}

// fill reads more of the page into in, growing buf up to max (held from
// the budget) when what in holds cannot go yet. It reports false when in is
// full at max, or the budget has no room: what is held must then go.
func (b *blocker) fill() bool {
	if len(b.in) == cap(b.in) {
		// in is at the end of buf: move it to the front, or grow buf.
		if len(b.in) < len(b.buf) {
			n := copy(b.buf, b.in)
			b.in = b.buf[:n]
		} else {
			if len(b.buf) > b.max {
				return false
			}
			grown := min(2*len(b.buf), b.max+1)
			if !b.held.reserve(grown - len(b.buf)) {
				return false
			}
			nb := make([]byte, grown)
			n := copy(nb, b.in)
			b.buf, b.in = nb, nb[:n]
		}
	}
	n, err := b.src.Read(b.in[len(b.in):cap(b.in)])
	b.in = b.in[:len(b.in)+n]
	if err != nil {
		b.eof = true
		if err != io.EOF {
			b.err = err
		}
	}
	return true
}

// giveUp lets what is held go out unchanged: a tag or an inline script
// longer than the look-ahead.
func (b *blocker) giveUp() {
	b.unchecked()
	if b.script >= 0 {
		b.script, b.text = -1, -1
		return
	}
	b.skipTag = true
}
