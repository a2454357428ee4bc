package proxy

import "bytes"

// finder finds where the banner's tag goes in the beginning of a page, as
// it arrives: before </head>; else, when <body comes first (no head, or an
// omitted </head>), just after the <body …> start tag; else, once the whole
// page has been read, at its start, after a byte-order mark and a doctype
// (a script before the doctype would put the page in quirks mode).
//
// It reads the page as a browser's HTML tokenizer does, as far as that
// question needs: tags in any case, attribute values in quotes (which may
// hold a >), comments, doctypes and processing instructions, and the text
// of the elements whose content is not markup (script, style, title,
// textarea…). A </head> or <body in a comment, in an attribute's value or
// in a script is not one. The answer does not depend on how the page is
// cut into reads: a token cut by the end of what has arrived is read again
// at the next call, from its start or from where it can still end, and the
// rest is read once.
type finder struct {
	next  int       // bytes before next are read
	state scanState // what next is in
	// The tag being read (stateTagName to stateSelfClosing): where its <
	// is, whether it is an end tag, its name so far in lower case (a name
	// longer than name is none the finder looks for: nameLen is then
	// len(name)+1).
	tag     int
	endTag  bool
	name    [len("plaintext")]byte
	nameLen int
	// raw is the element whose text is being skipped (stateRaw).
	raw    string
	bodyAt int // where "<body" starts, +1; 0 while not seen
	// lex makes step report the end of every tag (found, at its end)
	// rather than the insertion point: the blocker reads pages with it.
	lex bool
}

// scanState is where the finder is in the page: a state of the HTML
// tokenizer (WHATWG HTML, 13.2.5), or a few of them merged.
type scanState uint8

const (
	stateData          scanState = iota // text, markup to come
	stateTagName                        // after < or </ and a letter
	stateBeforeAttr                     // before an attribute's name
	stateAttrName                       // in an attribute's name
	stateAfterAttrName                  // after it, = may come
	stateBeforeValue                    // after =
	stateValueDouble                    // in a value in "…"
	stateValueSingle                    // in a value in '…'
	stateValueUnquoted                  // in a value without quotes
	stateAfterValue                     // after a quoted value
	stateSelfClosing                    // after a / in a tag
	stateComment                        // in <!-- … -->
	stateBogus                          // in <!…>, <?…>, </…> that is no tag: up to >
	stateRaw                            // in the text of raw, up to </raw
)

// rawText are the elements whose content the tokenizer reads as text, up
// to their end tag (RAWTEXT, RCDATA and script data; noscript too, since
// the banner only runs where scripts do), and plaintext, which has none.
var rawText = map[string]bool{
	"script": true, "style": true, "title": true, "textarea": true, "xmp": true,
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
}

// find returns the insertion point in b, the page's first bytes (all of it
// when eof), and whether it is known yet. Each call is given what the
// previous one was, and more.
func (f *finder) find(b []byte, eof bool) (int, bool) {
	for f.next < len(b) {
		at, found, more := f.step(b, eof)
		if found {
			return at, true
		}
		if more {
			break
		}
	}
	if eof {
		return documentStart(b), true
	}
	return 0, false
}

// step reads the token, or the run of bytes, at f.next. It returns the
// insertion point when it is found; more when it needs more of the page
// than b to go on.
func (f *finder) step(b []byte, eof bool) (at int, found, more bool) {
	switch f.state {
	case stateData:
		i := bytes.IndexByte(b[f.next:], '<')
		if i < 0 {
			f.next = len(b)
			return 0, false, false
		}
		return f.markup(b, f.next+i, eof)
	case stateComment:
		// Ends at -->, or at --!> (an error browsers forgive).
		for {
			i := bytes.Index(b[f.next:], []byte("--"))
			if i < 0 {
				f.next = max(f.next, len(b)-1) // a - at the end may start --
				return 0, false, true
			}
			j := f.next + i + 2
			switch {
			case j < len(b) && b[j] == '>':
				f.next, f.state = j+1, stateData
				return 0, false, false
			case j+1 < len(b) && b[j] == '!' && b[j+1] == '>':
				f.next, f.state = j+2, stateData
				return 0, false, false
			case j == len(b) || j+1 == len(b) && b[j] == '!':
				f.next = j - 2 // read it again with what follows
				return 0, false, true
			}
			f.next = j - 1 // in ---> the second - starts the end
		}
	case stateBogus:
		i := bytes.IndexByte(b[f.next:], '>')
		if i < 0 {
			f.next = len(b)
			return 0, false, true
		}
		f.next, f.state = f.next+i+1, stateData
		return 0, false, false
	case stateRaw:
		if f.raw == "plaintext" {
			f.next = len(b) // no end tag: the rest of the page is text
			return 0, false, true
		}
		for {
			i := bytes.Index(b[f.next:], []byte("</"))
			if i < 0 {
				f.next = max(f.next, len(b)-1) // a < at the end may start </
				return 0, false, true
			}
			i += f.next
			end := i + len("</") + len(f.raw)
			if end >= len(b) {
				f.next = i // the end tag or not: read it again with more
				return 0, false, true
			}
			if hasPrefixFold(b[i+2:], f.raw) && (isSpace(b[end]) || b[end] == '/' || b[end] == '>') {
				f.next, f.state = i, stateData // the end tag, read as any other
				return 0, false, false
			}
			f.next = i + 1
		}
	}
	return f.readTag(b, eof)
}

// markup reads the markup that the < at i opens, if any: a tag, a comment,
// a doctype, a processing instruction.
func (f *finder) markup(b []byte, i int, eof bool) (at int, found, more bool) {
	rest := b[i:]
	// What follows <, <!, <!-, <!--, <!--- and </ tells what it is.
	if !eof && (len(rest) < 2 || len(rest) < len("<!---") && rest[1] == '!' || len(rest) < 3 && rest[1] == '/') {
		f.next = i
		return 0, false, true
	}
	f.tag, f.nameLen = i, 0
	switch {
	case len(rest) >= 2 && isLetter(rest[1]):
		f.next, f.state, f.endTag = i+1, stateTagName, false
		return f.readTag(b, eof)
	case len(rest) >= 3 && rest[1] == '/' && isLetter(rest[2]):
		f.next, f.state, f.endTag = i+2, stateTagName, true
		return f.readTag(b, eof)
	case len(rest) >= 3 && rest[1] == '/' && rest[2] == '>':
		f.next = i + 3 // </> is nothing
	case bytes.HasPrefix(rest, []byte("<!-->")):
		f.next = i + len("<!-->") // a whole, empty comment
	case bytes.HasPrefix(rest, []byte("<!--->")):
		f.next = i + len("<!--->")
	case bytes.HasPrefix(rest, []byte("<!--")):
		if len(rest) < len("<!--->") && !eof {
			f.next = i
			return 0, false, true
		}
		f.next, f.state = i+len("<!--"), stateComment
	case len(rest) >= 2 && (rest[1] == '!' || rest[1] == '?' || rest[1] == '/'):
		f.next, f.state = i+2, stateBogus
	default:
		f.next = i + 1 // a < in text
	}
	return 0, false, false
}

// readTag reads the tag at f.next to its end: </head> is the insertion
// point, and so is the end of <body …>.
func (f *finder) readTag(b []byte, eof bool) (at int, found, more bool) {
	for f.next < len(b) {
		naming := f.state == stateTagName
		ended := f.tagStep(b[f.next])
		if naming && f.state != stateTagName && !f.endTag && f.isName("body") {
			f.bodyAt = f.tag + 1
		}
		if ended {
			switch {
			case f.lex:
				return f.next, true, false
			case f.endTag && f.isName("head"):
				return f.tag, true, false
			case f.bodyAt > 0:
				return f.next, true, false
			}
			return 0, false, false
		}
	}
	// Cut by the end of b. A tag cut by the end of the page is no tag, as
	// to a browser; a <body cut so still says the page has one.
	if eof && f.state == stateTagName && !f.endTag && f.isName("body") {
		f.bodyAt = f.tag + 1
	}
	return 0, false, true
}

// tagStep reads the byte c of a tag at f.next and moves on. It reports
// whether c ends the tag; f.next is then just after it, and the finder is
// in the state that follows the tag.
func (f *finder) tagStep(c byte) (ended bool) {
	f.next++
	switch f.state {
	case stateTagName:
		switch {
		case isSpace(c):
			f.state = stateBeforeAttr
		case c == '/':
			f.state = stateSelfClosing
		case c == '>':
			return f.endOfTag()
		case f.nameLen < len(f.name):
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			f.name[f.nameLen] = c
			f.nameLen++
		default:
			f.nameLen = len(f.name) + 1 // too long to be a name looked for
		}
	case stateBeforeAttr, stateAfterValue, stateSelfClosing:
		switch {
		case c == '>':
			return f.endOfTag()
		case c == '/':
			f.state = stateSelfClosing
		case isSpace(c):
			f.state = stateBeforeAttr
		default:
			f.state = stateAttrName
		}
	case stateAttrName, stateAfterAttrName:
		switch {
		case c == '>':
			return f.endOfTag()
		case c == '/':
			f.state = stateSelfClosing
		case c == '=':
			f.state = stateBeforeValue
		case isSpace(c):
			f.state = stateAfterAttrName
		default:
			f.state = stateAttrName
		}
	case stateBeforeValue:
		switch {
		case c == '>':
			return f.endOfTag()
		case c == '"':
			f.state = stateValueDouble
		case c == '\'':
			f.state = stateValueSingle
		case !isSpace(c):
			f.state = stateValueUnquoted
		}
	case stateValueDouble, stateValueSingle:
		if c == '"' && f.state == stateValueDouble || c == '\'' && f.state == stateValueSingle {
			f.state = stateAfterValue
		}
	case stateValueUnquoted:
		switch {
		case c == '>':
			return f.endOfTag()
		case isSpace(c):
			f.state = stateBeforeAttr
		}
	}
	return false
}

// endOfTag leaves the tag that just ended: for the start tag of an element
// whose content is text, into that text.
func (f *finder) endOfTag() bool {
	f.state = stateData
	if !f.endTag && f.nameLen <= len(f.name) {
		if name := string(f.name[:f.nameLen]); rawText[name] {
			f.state, f.raw = stateRaw, name
		}
	}
	return true
}

// isName reports whether the tag being read is named name; its name is
// known once the finder is past stateTagName.
func (f *finder) isName(name string) bool {
	return f.nameLen == len(name) && string(f.name[:f.nameLen]) == name
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// documentStart returns where a page with neither head nor body starts:
// after a byte-order mark and a doctype.
func documentStart(b []byte) int {
	i := 0
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		i = 3
	}
	j := i
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if hasPrefixFold(b[j:], "<!doctype") {
		if end := bytes.IndexByte(b[j:], '>'); end >= 0 {
			return j + end + 1
		}
	}
	return i
}

// loadsBanner reports whether a page's beginning already has a script from
// charte under prefix: prefix/…charte.js in a URL, absolute or not.
func loadsBanner(b []byte, prefix string) bool {
	pre := []byte(prefix + "/")
	for {
		i := bytes.Index(b, pre)
		if i < 0 {
			return false
		}
		b = b[i+len(pre):]
		end := bytes.IndexAny(b, "\"' >?#")
		if end < 0 {
			end = len(b)
		}
		if bytes.HasSuffix(b[:end], []byte("charte.js")) {
			return true
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// hasPrefixFold reports whether b starts with the lower-case ASCII prefix,
// in any case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
