package proxy

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// finderTests are pages and where the banner's tag goes in them: at the ^.
var finderTests = []struct {
	name string
	page string
}{
	{"head", `<!DOCTYPE html><html><head><title>Shop</title>^</head><body><p>Hello</p></body></html>`},
	{"upper case", `<HTML><HEAD><TITLE>x</TITLE>^</HEAD ><BODY>x</BODY></HTML>`},
	{"mixed case", `<html><Head><meta charset=utf-8>^</hEaD><body>`},
	{"end tag with a space and attributes", `<head><title>x</title>^</head foo="bar">`},
	{"end tag closed by a slash", `<head>^</head/>`},
	{"a longer name is not head", `<html></heading>^</head>`},
	{"no head: after the body's start tag", `<!doctype html><body>^<p>Hi</p></body>`},
	{"an omitted </head>", `<html><head><title>x</title><body class="home">^x`},
	{"a > in the body's attributes", `<!doctype html><body class="a>b" data-x='>'>^<p>Hi</p></body>`},
	{"a </head> in the body's attributes", `<body data-a="</head>" class=x>^rest`},
	{"an unquoted value, then a quote", `<body a=b"c>^x`},
	{"a quote in an attribute's name", `<body a"b>^x`},
	{"a self-closing body", `<body/>^x`},
	{"body with a line break", "<body\nclass=x>^y"},
	{"a <bodyguard> is not the body", `<bodyguard></bodyguard><body>^x`},
	{"neither head nor body: after the doctype", "<!DOCTYPE html>^\n<p>Hi"},
	{"a byte-order mark, then the doctype", "\ufeff<!DOCTYPE html>^\n<p>Hi"},
	{"a byte-order mark, no doctype", "\ufeff^<p>Hi"},
	{"white space before the doctype", "\n <!doctype html>^<p>Hi"},
	{"nothing but text: at the start", `^<p><b>x</b></p>`},
	{"an empty page", `^`},
	{"a </head> in a comment", `<head><!-- </head> -->^</head>`},
	{"a <body> in a comment", `<head><!--<body>-->^</head>`},
	{"a comment ended by --->", `<head><!-- x --->^</head>`},
	{"a comment ended by --!>", `<head><!-- x --!>^</head>`},
	{"an empty comment <!-->", `<head><!-->^</head>`},
	{"an empty comment <!--->", `<head><!--->^</head>`},
	{"a comment that never ends", `<!doctype html>^<head><!-- </head>`},
	{"a </head> in a script", `<head><script>document.write("</head>")</script>^</head>`},
	{"a <body> in a script", `<head><script>x = '<body>'</script>^</head>`},
	{"a script's end tag in upper case", `<head><script>a < b</SCRIPT >^</head>`},
	{"a </scripts> does not end a script", `<head><script></scripts></head></script>^</head>`},
	{"a </head> in a style", `<head><style>/* </head> */</style>^</head>`},
	{"a </head> in a title", `<head><title></head></title>^</head>`},
	{"a </head> in a noscript", `<head><noscript></head></noscript>^</head>`},
	{"a </head> in a textarea", `<textarea></head><body></textarea><body>^`},
	{"a script that never ends", `^<head><script></head>`},
	{"plaintext has no end", `^<plaintext></plaintext></head><body>`},
	{"a </head> in an attribute", `<head><meta content="</head>">^</head>`},
	{"a > in an attribute", `<head><meta content="a>b" name='c>d'>^</head>`},
	{"a doctype with quotes", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x">^<p>`},
	{"a processing instruction", `<?xml version="1.0"?><head>^</head>`},
	{"a bogus end tag", `<head></ </head> >^</head>`},
	{"an empty end tag", `<head></>^</head>`},
	{"a < in text", `<head><title>x</title>a < b <3^</head>`},
	{"cut in the body's start tag", `^<body class="x`},
	{"cut in </head", `^<html><head></head`},
	{"cut after <", `^<html><head><`},
	{"cut after </", `^<html><head></`},
	{"cut in a comment's start", `^<html><head><!-`},
}

// want returns where the ^ is in a test page, and the page without it.
func want(page string) (int, []byte) {
	i := strings.IndexByte(page, '^')
	return i, []byte(page[:i] + page[i+1:])
}

func TestFinder(t *testing.T) {
	for _, tc := range finderTests {
		t.Run(tc.name, func(t *testing.T) {
			at, page := want(tc.page)
			for _, size := range []int{1, 2, 3, 5, 7, 1 << 10} {
				if got := findInChunks(page, size); got != at {
					t.Errorf("find(%q in chunks of %d) = %d, want %d", page, size, got, at)
				}
			}
			if got := tokenizerFind(page); got != at {
				t.Errorf("x/net/html's tokenizer puts the tag of %q at %d, the test at %d", page, got, at)
			}
		})
	}
}

// findInChunks feeds page to a finder a few bytes at a time, as it arrives
// from a slow upstream, and returns the insertion point.
func findInChunks(page []byte, size int) int {
	var f finder
	for end := 0; ; {
		end = min(end+size, len(page))
		if got, found := f.find(page[:end], end == len(page)); found {
			return got
		}
	}
}

// tokenizerFind is finder's rule written with x/net/html's tokenizer,
// which reads HTML as browsers do: before the first </head>, or after the
// first <body …>, whichever comes first; else after a byte-order mark and a
// doctype.
func tokenizerFind(page []byte) int {
	z := html.NewTokenizer(bytes.NewReader(page))
	at := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return documentStart(page)
		}
		n := len(z.Raw())
		name, _ := z.TagName()
		switch {
		case tt == html.EndTagToken && string(name) == "head":
			return at
		case (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && string(name) == "body":
			return at + n
		}
		at += n
	}
}

// FuzzFinder checks the finder against x/net/html's tokenizer on any page,
// and that the answer does not depend on how the page arrives.
func FuzzFinder(f *testing.F) {
	for _, tc := range finderTests {
		_, page := want(tc.page)
		f.Add(page, uint8(3))
	}
	f.Fuzz(func(t *testing.T, page []byte, size uint8) {
		whole := findInChunks(page, len(page)+1)
		if got := findInChunks(page, int(size)%16+1); got != whole {
			t.Fatalf("find(%q in chunks of %d) = %d, in one read %d", page, size%16+1, got, whole)
		}
		if scriptEscape(page) {
			return // <!-- in a script: the tokenizer's escapes, which the finder leaves out
		}
		if want := tokenizerFind(page); whole != want {
			t.Fatalf("find(%q) = %d, x/net/html's tokenizer says %d", page, whole, want)
		}
	})
}

// scriptEscape reports whether page has a <!-- after a <script, which
// makes a browser read a later <script> in it as nested.
func scriptEscape(page []byte) bool {
	lower := bytes.ToLower(page)
	i := bytes.Index(lower, []byte("<script"))
	return i >= 0 && bytes.Contains(lower[i:], []byte("<!--"))
}
