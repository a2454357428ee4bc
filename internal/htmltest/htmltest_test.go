package htmltest

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestHTML(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<p class="a">One <b>two</b>
	  three</p><p>four</p><a href="/x">link</a>`))
	if err != nil {
		t.Fatal(err)
	}
	ps := FindAll(doc, "p")
	if len(ps) != 2 {
		t.Fatalf("FindAll(p) found %d, want 2", len(ps))
	}
	if got := Text(ps[0]); got != "One two three" {
		t.Errorf("Text = %q, want %q", got, "One two three")
	}
	if v, ok := Attr(ps[0], "class"); !ok || v != "a" {
		t.Errorf("Attr(class) = %q, %v, want a, true", v, ok)
	}
	if _, ok := Attr(ps[1], "class"); ok {
		t.Error("Attr(class) of a p without one reports it")
	}
	if got := FindAll(doc, "table"); got != nil {
		t.Errorf("FindAll(table) = %v, want none", got)
	}
}
