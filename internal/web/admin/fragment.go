package admin

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// receiptFragment fits a policy fragment (policy.Fragment) into a receipt,
// whose own title is the page's h1 and whose section is an h2: the
// fragment's headings go down levels levels (h1 → h3 with 2), and its
// button that reopens the preference center, which does nothing in the
// back office (no banner script runs there), goes with its paragraph. The
// texts the visitor read are kept as they were.
func receiptFragment(frag template.HTML, levels int) (template.HTML, error) {
	body := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(string(frag)), body)
	if err != nil {
		return "", fmt.Errorf("read policy fragment: %w", err)
	}
	headings := []atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode {
				if c.DataAtom == atom.Button && hasAttr(c, "data-charte-open") {
					drop := c
					if p := c.Parent; p != nil && p.DataAtom == atom.P && p.FirstChild == c && c.NextSibling == nil {
						drop = p
					}
					drop.Parent.RemoveChild(drop)
					if drop != c {
						return // the paragraph held only the button: nothing more in it
					}
					c = next
					continue
				}
				for i, h := range headings {
					if c.DataAtom == h {
						level := min(i+levels, len(headings)-1)
						c.DataAtom, c.Data = headings[level], headings[level].String()
						break
					}
				}
				walk(c)
			}
			c = next
		}
	}
	var buf bytes.Buffer
	for _, n := range nodes {
		wrap := &html.Node{Type: html.DocumentNode}
		wrap.AppendChild(n)
		walk(wrap)
		if wrap.FirstChild == nil {
			continue
		}
		if err := html.Render(&buf, wrap.FirstChild); err != nil {
			return "", fmt.Errorf("write policy fragment: %w", err)
		}
	}
	// The nodes come from html/template's output, parsed and rendered by
	// an HTML serializer, which escapes every text and attribute.
	return template.HTML(buf.String()), nil
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
