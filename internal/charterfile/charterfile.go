package charterfile

import (
	_ "embed"
	"fmt"
	"os"
	"time"

	"github.com/charte/charte/internal/charte"
)

//go:embed default.yaml
var defaultYAML []byte

// Parse reads a charter from data; name is used in problem positions and
// becomes the charter's Source. On invalid input the error is [Problems],
// listing every problem found, sorted by position.
//
// The necessary category is always part of a charter: when the file does not
// declare it, Parse adds it, first, with its built-in texts. Every [charte.Text]
// of the result holds exactly the site's languages: a plain string is given
// to all of them, and a built-in category's texts fill the languages the file
// leaves out. Parse sets the charter's Version with [Version].
func Parse(name string, data []byte) (*charte.Charter, error) {
	p := &parser{file: name}
	root := p.decode(data)
	var ch *charte.Charter
	if root != nil {
		ch = p.walk(root)
	}
	if len(p.problems) > 0 {
		return nil, p.problems.sorted()
	}
	ch.Source = name
	ch.Version = Version(ch)
	return ch, nil
}

// Load reads and parses the charter file at path. When the file has no
// site.updated date, the charter's Updated is the day the file was last
// modified.
func Load(path string) (*charte.Charter, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read charter: %w", err)
	}
	ch, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if ch.Updated.IsZero() {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("read charter: %w", err)
		}
		ch.Updated = fi.ModTime().UTC().Truncate(24 * time.Hour)
	}
	return ch, nil
}

// Default returns charte's own built-in charter: the cookies charte itself
// sets, read from the embedded default.yaml. It panics if that file is
// invalid, which is a programming mistake that a test catches. Each call
// returns a new charter that the caller may change.
func Default() *charte.Charter {
	ch, err := Parse("default.yaml", defaultYAML)
	if err != nil {
		panic(fmt.Sprintf("charterfile: built-in charter is invalid:\n%v", err))
	}
	ch.Source = ""
	return ch
}
