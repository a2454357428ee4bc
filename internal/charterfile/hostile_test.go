package charterfile

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// hostileOut writes the hostile charters to a directory, to measure
// `charte check` on them (see docs/benchmarks.md).
var hostileOut = flag.String("hostile-out", "", "write the hostile charter files of BenchmarkHostileCharter to this directory")

// hostileHead is a charter's site and categories, for hostile files to
// add cookies to.
const hostileHead = `site: {id: s, name: S, url: "https://s.org", languages: [fr, en], contact: a@s.org}
categories: [{id: necessary}]
cookies:
`

// hostileCookie is the line of the i-th cookie of a generated charter;
// purpose is its purpose, as YAML.
func hostileCookie(i int, purpose string) string {
	return fmt.Sprintf("  - {name: c%d, provider: P, service: S, purpose: %s, category: necessary, lifetime: 1d, party: first}\n", i, purpose)
}

// manyCookies returns a valid charter of about size bytes, and the number
// of lines it has.
func manyCookies(size int) []byte {
	var b bytes.Buffer
	b.WriteString(hostileHead)
	for i := 0; b.Len() < size; i++ {
		b.WriteString(hostileCookie(i, `"Remembers the visitor's choices from one page to the next."`))
	}
	return b.Bytes()
}

// aliasBomb returns a charter of about size bytes whose first cookie
// anchors a long purpose that every other cookie names by alias: small on
// disk, gigabytes once expanded.
func aliasBomb(size int) []byte {
	var b bytes.Buffer
	b.WriteString(hostileHead)
	b.WriteString(hostileCookie(0, `&long "`+strings.Repeat("x", size/2)+`"`))
	for i := 1; b.Len() < size; i++ {
		b.WriteString(hostileCookie(i, "*long"))
	}
	return b.Bytes()
}

// billionLaughs returns a charter whose nine anchors each merge the one
// before ten times: 10^9 keys once expanded.
func billionLaughs() []byte {
	var b bytes.Buffer
	b.WriteString("x0: &x0 {name: lol, provider: lol}\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "x%d: &x%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*x%d, ", i-1), 10), ", "))
	}
	b.WriteString(hostileHead)
	b.WriteString("  - *x9\n")
	return b.Bytes()
}

// lateSyntaxError returns a charter of about size bytes with a tab
// indenting its second-to-last line, and that line's number.
func lateSyntaxError(size int) ([]byte, int) {
	data := manyCookies(size)
	line := bytes.Count(data, []byte("\n")) + 1
	data = append(data, "  - name: late\n\tprovider: P\n"...)
	return data, line + 1
}

// lateJSONError returns a JSON charter of about size bytes that leaves
// out the comma after its second-to-last cookie, and the line of the last.
func lateJSONError(size int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(`{"site": {"id": "s", "name": "S", "url": "https://s.org", "languages": ["fr"], "contact": "a@s.org"},` + "\n")
	b.WriteString(`"categories": [{"id": "necessary"}],` + "\n")
	b.WriteString(`"cookies": [` + "\n")
	const cookie = `{"name": "c%d", "provider": "P", "service": "S", "purpose": "Remembers the visitor's choices.", "category": "necessary", "lifetime": "1d", "party": "first"}`
	lines := 3
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, cookie+",\n", i)
		lines++
	}
	fmt.Fprintf(&b, cookie+"\n", -1)
	fmt.Fprintf(&b, cookie+"\n", -2)
	b.WriteString("]}\n")
	return b.Bytes(), lines + 2
}

// manyLanguages returns a charter of about size bytes whose site has 600
// languages and whose cookies have long plain-string purposes, each given
// to every language: 600 times the file's texts.
func manyLanguages(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`site: {id: s, name: S, url: "https://s.org", contact: a@s.org, languages: [`)
	for i := range 600 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%c%c", 'a'+i/26, 'a'+i%26)
	}
	b.WriteString("]}\ncategories: [{id: necessary, name: N, description: D}]\ncookies:\n")
	for i := 0; b.Len() < size; i++ {
		b.WriteString(hostileCookie(i, `"`+strings.Repeat("p", 1000)+`"`))
	}
	return b.Bytes()
}

// deepNesting returns a file of n nested flow lists.
func deepNesting(n int) []byte {
	return []byte(hostileHead + "  - " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n")
}

// hostileFiles are the inputs of BenchmarkHostileCharter.
func hostileFiles() []struct {
	name string
	data []byte
} {
	late, _ := lateSyntaxError(900 << 10)
	lateJSON, _ := lateJSONError(900 << 10)
	return []struct {
		name string
		data []byte
	}{
		{"valid-900KB", manyCookies(900 << 10)},
		{"alias-bomb-1MB", aliasBomb(1000 << 10)},
		{"billion-laughs", billionLaughs()},
		{"late-syntax-error-900KB", late},
		{"late-json-error-900KB", lateJSON},
		{"deep-nesting", deepNesting(100_000)},
		{"many-languages-1MB", manyLanguages(1000 << 10)},
	}
}

// BenchmarkHostileCharter measures Parse on hostile files: every one must
// be answered in well under a second and 100 MB. Over-sized files are
// measured by BenchmarkHostileLoad, since Load refuses them unread.
func BenchmarkHostileCharter(b *testing.B) {
	for _, f := range hostileFiles() {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.data)))
			for b.Loop() {
				_, _ = Parse("h.yaml", f.data) // the result does not matter, only its cost
			}
		})
	}
}

// BenchmarkHostileLoad measures Load on a 50 MB file.
func BenchmarkHostileLoad(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.yaml")
	MustWriteSparse(b, path, 50<<20)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Load(path) // the result does not matter, only its cost
	}
}

// TestWriteHostileFiles writes the benchmark's inputs, and a 50 MB file,
// to -hostile-out.
func TestWriteHostileFiles(t *testing.T) {
	if *hostileOut == "" {
		t.Skip("no -hostile-out directory")
	}
	files := append(hostileFiles(), struct {
		name string
		data []byte
	}{"valid-50MB", manyCookies(50 << 20)})
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(*hostileOut, f.name+".yaml"), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// MustWriteSparse writes a file of size bytes that starts like a charter
// and costs no disk: reading it would cost its size in memory.
func MustWriteSparse(tb testing.TB, path string, size int64) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.WriteString(hostileHead); err != nil {
		tb.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// lineOf returns the line and column of the n-th (from 1) occurrence of
// sub in data.
func lineOf(tb testing.TB, data []byte, sub string, n int) string {
	tb.Helper()
	at := -1
	for range n {
		i := bytes.Index(data[at+1:], []byte(sub))
		if i < 0 {
			tb.Fatalf("%q occurs fewer than %d times", sub, n)
		}
		at += 1 + i
	}
	start := bytes.LastIndexByte(data[:at], '\n') + 1
	return fmt.Sprintf("%d:%d", 1+bytes.Count(data[:at], []byte("\n")), 1+at-start)
}

// TestParseHostile checks that each hostile file is refused with a
// problem at the right place, and that finding it costs no more than
// parsing a valid file of the same size: a hostile file answered at once.
func TestParseHostile(t *testing.T) {
	late, lateLine := lateSyntaxError(900 << 10)
	lateJSON, lateJSONLine := lateJSONError(900 << 10)
	bomb := aliasBomb(1000 << 10)
	indent := append(manyCookies(900<<10), "  - name: late\n   provider: P\n"...)
	quote := append(manyCookies(900<<10), `  - {name: "late, provider: P}`+"\n"...)
	colon := append(manyCookies(900<<10), "  - name: late: x\n"...)
	lines := func(data []byte) int { return bytes.Count(data, []byte("\n")) }
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{
			name: "alias bomb",
			in:   bomb,
			// Each alias stands for 500 KB: the 9th passes 4 MB.
			want: lineOf(t, bomb, "*long", 9) + ": the aliases up to this *long stand for more than 4 MB of YAML, more than a charter may repeat through aliases: write the values out, or name long ones less often",
		},
		{
			name: "billion laughs",
			in:   billionLaughs(),
			// x5 stands for 10^5 keys, 2.8 MB: the second *x5 passes 4 MB.
			want: "7:15: the aliases up to this *x5 stand for more than 4 MB of YAML, …",
		},
		{
			name: "alias inside its own anchor",
			in:   []byte(doc(siteLine, "categories: &c [{id: necessary}, *c]", "cookies: []")),
			want: "2:34: alias *c is inside the value it names, which would repeat without end: write the value out",
		},
		{
			name: "plain texts given to 600 languages",
			in:   manyLanguages(1000 << 10),
			// The purpose of the 13th cookie: 13 × 600 × 1 KB passes 8 MB.
			want: "17:51: the charter's texts come to more than 8 MB once each is given to the site's 600 languages: write shorter texts, or give each language its own",
		},
		{
			name: "late tab",
			in:   late,
			want: fmt.Sprintf("%d:1: invalid YAML: found a tab character that violates indentation: indent with spaces, not tabs", lateLine),
		},
		{
			name: "late indentation in a long list",
			in:   indent,
			want: fmt.Sprintf("%d:1: invalid YAML: did not find expected '-' indicator: check the indentation of the list", lines(indent)),
		},
		{
			name: "late unclosed quote",
			in:   quote,
			want: fmt.Sprintf("%d:1: invalid YAML: found unexpected end of stream: close the quote that starts here", lines(quote)),
		},
		{
			name: "late colon in a value",
			in:   colon,
			want: fmt.Sprintf("%d:1: invalid YAML: mapping values are not allowed in this context: …", lines(colon)),
		},
		{
			name: "late missing comma in a long JSON list",
			in:   lateJSON,
			want: fmt.Sprintf("%d:1: invalid YAML: did not find expected ',' or ']'", lateJSONLine),
		},
		{
			name: "deep nesting",
			in:   deepNesting(100_000),
			want: "4:1: invalid YAML: exceeded max depth of 10000: a charter nests lists and mappings a few levels deep, not thousands",
		},
	}
	valid := manyCookies(1000 << 10)
	validAllocs := mallocs(func() { MustParse(t, "valid.yaml", string(valid)) })
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ps Problems
			allocs := mallocs(func() { ps = problemsOf(t, string(tc.in)) })
			checkProblems(t, ps, []string{tc.want})
			if allocs > 2*validAllocs {
				t.Errorf("Parse() made %d allocations, want at most %d, twice those of a valid 1 MB file", allocs, 2*validAllocs)
			}
		})
	}
}

// mallocs returns how many allocations f makes: a measure of its work that,
// unlike its time, does not depend on the machine.
func mallocs(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

// TestLoadTooLarge checks that a file longer than MaxSize is refused with
// its size, before it is read: a 50 MB file costs nothing.
func TestLoadTooLarge(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		size int64
		want string
	}{
		{"50 MB", 50 << 20, "charter is 50 MB, more than the 1 MB a charter may have"},
		{"2.5 MB", 5 << 19, "charter is 2.5 MB, more than the 1 MB a charter may have"},
		{"one byte too many", MaxSize + 1, "charter is 1025 KB, more than the 1 MB a charter may have"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			MustWriteSparse(t, path, tc.size)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Load(path)
			runtime.ReadMemStats(&after)
			var serr *SizeError
			if !errors.As(err, &serr) || err.Error() != path+": "+tc.want {
				t.Fatalf("Load(%s) = %v, want %s: %s", tc.name, err, path, tc.want)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 2*MaxSize {
				t.Errorf("Load(%s) allocated %d bytes, want at most %d", tc.name, got, 2*MaxSize)
			}
		})
	}
	t.Run("Parse", func(t *testing.T) {
		_, err := Parse("big.yaml", make([]byte, MaxSize+1))
		if want := "big.yaml: charter is 1025 KB, more than the 1 MB a charter may have"; err == nil || err.Error() != want {
			t.Errorf("Parse(1 MB + 1 byte) = %v, want %s", err, want)
		}
	})
}
