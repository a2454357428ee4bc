package charterfile

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charte/charte/internal/charte"
)

//go:embed default.yaml
var defaultYAML []byte

// Parse reads a charter from data; name is used in problem positions and
// becomes the charter's Source. On invalid input the error is [Problems],
// listing every problem found, sorted by position: those of the file, and
// those that [charte.Charter.Check] finds in what it holds, placed at the
// node of their path, or of the nearest path above it that the file has.
// A value that has a problem of the file is not checked again.
//
// The necessary category is always part of a charter: when the file does not
// declare it, Parse adds it, first, with its built-in texts. Every [charte.Text]
// of the result holds exactly the site's languages: a plain string is given
// to all of them, and a built-in category's texts fill the languages the file
// leaves out. Parse sets the charter's Version with [Version].
//
// Data longer than [MaxSize] is refused with a [*SizeError]. A file whose
// aliases stand for more than 4 MB of YAML, or whose texts, once given to
// each language, come to more than 8 MB, is refused with a problem where it
// passes the limit, before anything costs more than parsing the file.
func Parse(name string, data []byte) (*charte.Charter, error) {
	if len(data) > MaxSize {
		return nil, &SizeError{File: name, Size: int64(len(data))}
	}
	p := &parser{file: name}
	root := p.decode(data)
	var ch *charte.Charter
	if root != nil && p.aliases(root) {
		ch = p.walk(root)
	}
	if len(p.problems) > 0 {
		return nil, p.problems.sorted()
	}
	complete(ch, p.implicit)
	ch.Source = name
	ch.Version = Version(ch)
	return ch, nil
}

// MaxSize is the most bytes a charter file may have: 1 MB, a hundred times
// the largest charter seen in use. Anything longer is refused unread, as
// parsing it would cost far more memory than serving it.
const MaxSize = 1 << 20

// SizeError is the error for a charter file longer than [MaxSize].
type SizeError struct {
	File string
	// Size is the file's length in bytes, or -1 when it is not known (a
	// pipe): more than MaxSize.
	Size int64
}

// Error returns FILE: charter is N MB, more than the 1 MB a charter may
// have.
func (e *SizeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s: charter is more than the 1 MB a charter may have", e.File)
	}
	return fmt.Sprintf("%s: charter is %s, more than the 1 MB a charter may have", e.File, formatSize(e.Size))
}

// formatSize writes a length over 1 MB so that it never reads as 1 MB:
// 1025 KB, 1.5 MB, 50 MB.
func formatSize(n int64) string {
	const mb = 1 << 20
	switch {
	case n >= 10*mb:
		return fmt.Sprintf("%d MB", (n+mb/2)/mb)
	case n >= mb+mb/10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/mb), ".0") + " MB"
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

// ReadFile reads the charter file at path, reading no more than
// [MaxSize]+1 bytes of it: a longer file is a [*SizeError].
func ReadFile(path string) ([]byte, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read charter: %w", err)
	}
	defer f.Close() // read only: nothing to lose on close
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("read charter: %w", err)
	}
	if fi.Mode().IsRegular() && fi.Size() > MaxSize {
		return nil, nil, &SizeError{File: path, Size: fi.Size()}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read charter: %w", err)
	}
	if len(data) > MaxSize {
		// The file grew since Stat, or is not a regular file.
		size := int64(-1)
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = max(fi.Size(), int64(len(data)))
		}
		return nil, nil, &SizeError{File: path, Size: size}
	}
	return data, fi, nil
}

// Load reads and parses the charter file at path. When the file has no
// site.updated date, the charter's Updated is the day the file was last
// modified. A file longer than [MaxSize] is a [*SizeError].
func Load(path string) (*charte.Charter, error) {
	data, fi, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	ch, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if ch.Updated.IsZero() {
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
