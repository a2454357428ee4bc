// Package htmltest reads the HTML that tests get back: the elements of a
// tag, an attribute, an element's text. It is for tests only.
//
// It may import the standard library and golang.org/x/net/html.
package htmltest

import (
	"strings"

	"golang.org/x/net/html"
)

// FindAll returns the elements with the given tag under n, in document
// order.
func FindAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag {
			out = append(out, d)
		}
	}
	return out
}

// Attr returns the value of n's attribute key, and whether n has it.
func Attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// Text returns the text under n with its whitespace folded to single
// spaces, as a reader sees it.
func Text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
