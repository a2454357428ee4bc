package admin

import (
	"html/template"
	"testing"
)

func TestReceiptFragment(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"headings down two levels", `<article><h1 id="t">Policy</h1><h2>What</h2><h3>Necessary</h3></article>`, `<article><h3 id="t">Policy</h3><h4>What</h4><h5>Necessary</h5></article>`},
		{"h6 stays h6", `<h5>a</h5><h6>b</h6>`, `<h6>a</h6><h6>b</h6>`},
		{"the reopen button goes with its paragraph", `<section><p>Choose.</p><p><button type="button" data-charte-open>Change my choices</button></p><p>After.</p></section>`, `<section><p>Choose.</p><p>After.</p></section>`},
		{"a button among words goes alone", `<p>Click <button data-charte-open>here</button> now</p>`, `<p>Click  now</p>`},
		{"other buttons stay", `<p><button type="button">x</button></p>`, `<p><button type="button">x</button></p>`},
		{"texts stay escaped", `<p>a &lt;b&gt; &amp; “c”</p>`, `<p>a &lt;b&gt; &amp; “c”</p>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := receiptFragment(template.HTML(tc.in), 2)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("receiptFragment(%s)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}
