package proxy

import (
	"bytes"
	"compress/gzip"
	"errors"
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// The banner goes into HTML pages only: a 200 to anything but HEAD, of type
// text/html, not a download, not asked for by fetch or XHR (an HTML fragment
// a page inserts into itself, where a second banner has no place).
func isPage(resp *http.Response) bool {
	if resp.StatusCode != http.StatusOK || !isHTML(resp.Header.Get("Content-Type")) {
		return false
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != "" {
		if kind, _, _ := strings.Cut(cd, ";"); strings.EqualFold(strings.TrimSpace(kind), "attachment") {
			return false
		}
	}
	return resp.Request.Header.Get("Sec-Fetch-Dest") != "empty"
}

// isHTML reports whether a Content-Type is text/html.
func isHTML(ct string) bool {
	ct = strings.TrimSpace(ct)
	const t = "text/html"
	if len(ct) < len(t) || !strings.EqualFold(ct[:len(t)], t) {
		return false
	}
	return len(ct) == len(t) || ct[len(t)] == ';' || ct[len(t)] == ' '
}

// pageEncoding returns the one content coding of a page the proxy can
// decode ("" for none, "gzip" or "br"), and false for any other.
func pageEncoding(h http.Header) (string, bool) {
	vals := h.Values("Content-Encoding")
	if len(vals) > 1 {
		return "", false
	}
	var ce string
	if len(vals) == 1 {
		ce = strings.ToLower(strings.TrimSpace(vals[0]))
	}
	switch ce {
	case "", "identity":
		return "", true
	case "gzip", "x-gzip":
		return "gzip", true
	case "br":
		return "br", true
	}
	return "", false
}

// markChanged fixes the headers of a page whose body the proxy changes: a
// strong ETag becomes weak (the bytes differ; the page means the same), and
// anything that describes the upstream's exact bytes goes.
func markChanged(h http.Header) {
	if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		h.Set("ETag", "W/"+et)
	}
	for _, k := range []string{"Accept-Ranges", "Content-MD5", "Digest", "Content-Digest", "Repr-Digest"} {
		delete(h, k)
	}
}

// keepWeakETag weakens the strong ETag of a 304 when the client revalidated
// with the weak one the proxy gave it on an injected page, so the cached
// page keeps a validator that says it is not the upstream's bytes.
func keepWeakETag(resp *http.Response) {
	et := resp.Header.Get("ETag")
	if et == "" || strings.HasPrefix(et, "W/") {
		return
	}
	if strings.Contains(resp.Request.Header.Get("If-None-Match"), "W/"+et) {
		resp.Header.Set("ETag", "W/"+et)
	}
}

// scriptTag returns the banner's script tag, with a CSP nonce when one is
// needed.
func scriptTag(src, nonce string) []byte {
	var b strings.Builder
	b.WriteString(`<script src="`)
	b.WriteString(html.EscapeString(src))
	b.WriteString(`"`)
	if nonce != "" {
		b.WriteString(` nonce="`)
		b.WriteString(html.EscapeString(nonce))
		b.WriteString(`"`)
	}
	b.WriteString(` defer></script>`)
	return []byte(b.String())
}

// Why a page went out untouched, for [Stats] and the log.
const (
	untouchedNoMarker  = iota // neither </head> nor <body> in the look-ahead
	untouchedBudget           // the shared look-ahead budget was spent
	untouchedInflation        // compressed more than MaxInflation times
	untouchedReasons
)

var untouchedWhy = [untouchedReasons]string{"no_marker", "budget", "inflation"}

// inflationFloor is how much of a page must be decoded before its ratio
// counts: a few compressed bytes of a tiny page say nothing.
const inflationFloor = 4 << 10

// inject reads the beginning of an HTML page until it finds where the
// banner goes, then sets resp.Body to the page with the banner's tag there,
// streaming the rest. It reads at most MaxInject decoded bytes (and as many
// compressed ones), reserves what it holds from the proxy's shared budget,
// and stops decoding a body that inflates more than MaxInflation times. A
// page that already loads the banner, that shows neither </head> nor <body>
// in that window, that the budget cannot hold, that inflates too much or
// that cannot be decoded passes through byte for byte, as the upstream
// sent it. enc is "", "gzip" or "br".
func (p *Proxy) inject(resp *http.Response, enc string) error {
	req := resp.Request
	held := &holding{budget: p.budget}
	raw := &recorder{r: resp.Body, held: held, max: p.maxInject, on: enc != ""}
	var (
		dec   io.Reader = resp.Body
		codec *codec
		zr    *pooledReader
		buf   []byte
	)
	pooled := pageBuffers.Get().(*[]byte)
	// releaseBuf gives the page buffer back once what it holds is sent (the
	// pool keeps only the first size, not one grown for a big page).
	releaseBuf := func() {
		if cap(buf) == pageBufferSize {
			*pooled = buf[:0]
			pageBuffers.Put(pooled)
		}
		held.release()
	}
	passThrough := func(read []byte, reason int, why string) error {
		if enc != "" {
			read = raw.buf // every byte taken from the upstream, decoded or not
			if zr != nil {
				codec.put(zr)
			}
		}
		if reason >= 0 {
			p.untouched[reason].Add(1)
			p.warnLimited(req, "untouched-"+untouchedWhy[reason], "proxy: banner not injected, page passed through untouched (logged once a minute per reason; see charte_proxy_pages_untouched_total)", "path", req.URL.Path, "reason", untouchedWhy[reason], "why", why)
		} else if why != "" {
			p.warnLimited(req, "undecodable", "proxy: banner not injected (logged once a minute)", "path", req.URL.Path, "why", why)
		}
		resp.Body = &splicedBody{parts: [3][]byte{read}, rest: resp.Body, closer: resp.Body, drained: releaseBuf}
		return nil
	}
	if !held.reserveWithin(req.Context(), pageBufferSize, budgetWait) {
		pageBuffers.Put(pooled)
		return passThrough(nil, untouchedBudget, "the look-ahead budget is spent")
	}
	buf = (*pooled)[:0]
	if enc != "" {
		codec = codecs[enc]
		dec = raw
		if enc == "br" {
			// A brotli decoder's ring buffer is as large as the window the
			// stream declares (up to 16 MiB), whatever the page's size:
			// hold it from the budget while the page is decoded.
			if _, err := raw.peek(1); err != nil && len(raw.buf) == 0 {
				return passThrough(nil, -1, "")
			}
			if !held.reserveWithin(req.Context(), brotliWindow(raw.buf[0])+brotliReaderSize, budgetWait) {
				return passThrough(nil, untouchedBudget, "the look-ahead budget is spent")
			}
		} else if !held.reserveWithin(req.Context(), gzipReaderSize, budgetWait) {
			return passThrough(nil, untouchedBudget, "the look-ahead budget is spent")
		}
		var err error
		if zr, err = codec.newReader(raw); err != nil {
			return passThrough(nil, -1, "undecodable "+enc+" body: "+err.Error())
		}
		if enc == "br" {
			zr.keep = brotliWindow(raw.buf[0]) <= pooledBrotliWindow
		}
		dec = zr
	}

	var (
		f   finder
		at  int
		eof bool
	)
	for {
		if len(buf) == cap(buf) {
			grown := min(2*cap(buf), p.maxInject+1)
			if !held.reserve(grown - cap(buf)) {
				return passThrough(buf, untouchedBudget, "the look-ahead budget is spent")
			}
			buf = append(make([]byte, 0, grown), buf...)
		}
		n, err := dec.Read(buf[len(buf):min(cap(buf), p.maxInject+1)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			eof = true
		case raw.full:
			return passThrough(buf, untouchedNoMarker, "more than "+strconv.Itoa(p.maxInject)+" compressed bytes without </head> or <body>")
		case raw.overBudget:
			return passThrough(buf, untouchedBudget, "the look-ahead budget is spent")
		case err != nil:
			return passThrough(buf, -1, "reading the page: "+err.Error())
		}
		if enc != "" && len(buf) >= inflationFloor && len(buf) > p.maxInflation*raw.served {
			return passThrough(buf, untouchedInflation, strconv.Itoa(len(buf))+" bytes decoded from "+strconv.Itoa(raw.served))
		}
		if eof && len(buf) == 0 {
			return passThrough(buf, -1, "") // an empty answer is no page
		}
		var found bool
		if at, found = f.find(buf, eof); found {
			break
		}
		if len(buf) > p.maxInject {
			return passThrough(buf, untouchedNoMarker, "no </head> or <body> in the first "+strconv.Itoa(p.maxInject)+" bytes")
		}
	}
	// Only what precedes the insertion point counts (all of a page without
	// head or body), so that the answer does not depend on how much of the
	// page happened to arrive with its marker.
	seen := buf[:at]
	if f.bodyAt == 0 && eof {
		seen = buf
	}
	// A page that loads the banner itself gets no second one; with a
	// catalogue, its services are still blocked.
	hasBanner := loadsBanner(seen, p.prefix) || bytes.Contains(seen, []byte(p.bannerPath))
	if hasBanner && p.catalog == nil {
		return passThrough(buf, -1, "")
	}

	tag := p.tag
	// req is the upstream request: the page's host is in X-Forwarded-Host.
	nonce, blocked := scriptPolicy(resp.Header, req.Header.Get("X-Forwarded-Host"))
	if nonce != "" {
		tag = scriptTag(p.bannerPath, nonce)
	}
	if hasBanner {
		tag, blocked = nil, false
	}
	if blocked && p.cspWarned.CompareAndSwap(false, true) {
		p.logger.WarnContext(req.Context(), "proxy: the application's Content-Security-Policy blocks charte's banner or its API (same-origin scripts and connections need 'self'); warning once", "path", req.URL.Path, "csp", resp.Header.Values("Content-Security-Policy"))
	}

	page := &splicedBody{parts: [3][]byte{buf[:at], tag, buf[at:]}, rest: dec, closer: resp.Body, drained: releaseBuf}
	if eof {
		page.rest = nil
	}
	// body is the page as it goes out: with the services of the catalogue
	// blocked, when the proxy has one.
	var body io.ReadCloser = page
	if p.catalog != nil {
		body = newBlocker(page, page, p.blockRules(req), p.maxInject, &holding{budget: p.budget}, func() {
			p.blockUnchecked.Add(1)
			p.warnLimited(req, "block-too-long", "proxy: a tag or an inline script longer than the look-ahead went out unchecked for services to block (logged once a minute; see charte_proxy_block_unchecked_total)", "path", req.URL.Path)
		})
	}
	if enc == "" {
		resp.Body = body
		switch {
		case eof && len(resp.Trailer) == 0 && p.catalog != nil:
			// The whole page is here: rewritten in memory, its length is
			// known.
			var whole bytes.Buffer
			whole.Grow(len(buf) + len(tag) + 512) // the blocked forms add some
			if _, err := whole.ReadFrom(body); err != nil {
				return err
			}
			resp.Body = &splicedBody{parts: [3][]byte{whole.Bytes()}, closer: body}
			resp.ContentLength = int64(whole.Len())
			if hasBanner && whole.Len() == len(buf) {
				// Nothing blocked (a blocked form is always longer than
				// the tag it replaces): the page goes out as it came.
				return nil
			}
		case eof && len(resp.Trailer) == 0:
			// The whole page is here: its length is known, chunked or not
			// (trailers need chunked).
			resp.ContentLength = int64(len(buf) + len(tag))
		case p.catalog != nil:
			// Blocking may lengthen any tag still to come.
			resp.ContentLength = -1
			resp.Header.Del("Content-Length")
		case resp.ContentLength >= 0:
			resp.ContentLength += int64(len(tag))
		}
		if resp.ContentLength >= 0 {
			resp.Header.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
		}
	} else {
		raw.stop()
		// The page buffer goes back once sent; the decoder's share of the
		// budget stays held until the body is closed.
		page.drained = func() {
			if cap(buf) == pageBufferSize {
				*pooled = buf[:0]
				pageBuffers.Put(pooled)
			}
		}
		page.release = held.release
		resp.Body = codec.newRecompressor(body, zr, body)
		// Unknown length: ReverseProxy then flushes every chunk, so a
		// streamed page stays streamed.
		resp.ContentLength = -1
		resp.Header.Del("Content-Length")
	}
	markChanged(resp.Header)
	if !hasBanner {
		p.injected.Add(1)
	}
	return nil
}

// recordChunk caps each read a recorder makes from the upstream while it
// records, so that the bytes handed to the decoder are those it consumed,
// give or take one chunk: the measure of a body's inflation.
const recordChunk = 64

// errLookahead stops a decoder whose recorder may not read more.
var errLookahead = errors.New("proxy: look-ahead exhausted")

// recorder feeds a decoder the upstream's compressed bytes and, while on,
// keeps them, so that a page the proxy gives up on goes out as the upstream
// sent it. It keeps at most max bytes, held from the budget; past them, or
// when the budget says no, it fails the read and says why in full or
// overBudget.
type recorder struct {
	r    io.Reader
	held *holding
	max  int
	on   bool
	buf  []byte
	// served counts the bytes handed to the decoder.
	served           int
	full, overBudget bool
}

func (r *recorder) Read(p []byte) (int, error) {
	if r.served < len(r.buf) {
		n := copy(p, r.buf[r.served:])
		r.served += n
		return n, nil
	}
	if !r.on {
		return r.r.Read(p)
	}
	if err := r.fill(min(len(p), recordChunk)); err != nil && r.served == len(r.buf) {
		return 0, err
	}
	n := copy(p, r.buf[r.served:])
	r.served += n
	return n, nil
}

// peek reads until at least n bytes are recorded, without serving them.
func (r *recorder) peek(n int) ([]byte, error) {
	for len(r.buf) < n {
		if err := r.fill(n - len(r.buf)); err != nil {
			return r.buf, err
		}
	}
	return r.buf, nil
}

// fill reads up to want more bytes from the upstream into buf.
func (r *recorder) fill(want int) error {
	if len(r.buf) >= r.max {
		r.full = true
		return errLookahead
	}
	want = min(want, r.max-len(r.buf))
	if len(r.buf)+want > cap(r.buf) {
		grown := min(max(2*cap(r.buf), 4<<10), r.max)
		if !r.held.reserve(grown - cap(r.buf)) {
			r.overBudget = true
			return errLookahead
		}
		r.buf = append(make([]byte, 0, grown), r.buf...)
	}
	n, err := r.r.Read(r.buf[len(r.buf) : len(r.buf)+want])
	r.buf = r.buf[:len(r.buf)+n]
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// stop stops recording: what is recorded and not yet served still goes to
// the decoder first.
func (r *recorder) stop() { r.on = false }

// pageBufferSize is the size of the buffers the beginning of pages is read
// into: most pages' </head> is in their first 32 KiB.
const pageBufferSize = 32 << 10

var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, pageBufferSize); return &b }}

// splicedBody reads parts, then rest. It calls drained once the parts are
// read (or at Close, if they never are), and release at Close, which also
// closes closer, the upstream's body.
type splicedBody struct {
	parts   [3][]byte
	rest    io.Reader
	closer  io.Closer
	drained func()
	release func()
}

// Read fills p from the parts in memory before it reads rest, which may
// block: a streamed page's first bytes go out at once.
func (s *splicedBody) Read(p []byte) (int, error) {
	n := 0
	for i := range s.parts {
		c := copy(p[n:], s.parts[i])
		s.parts[i] = s.parts[i][c:]
		n += c
	}
	if s.drained != nil && len(s.parts[0])+len(s.parts[1])+len(s.parts[2]) == 0 {
		s.parts = [3][]byte{}
		s.drained()
		s.drained = nil
	}
	if n > 0 {
		return n, nil
	}
	if s.rest == nil {
		return 0, io.EOF
	}
	return s.rest.Read(p)
}

func (s *splicedBody) Close() error {
	if s.drained != nil {
		s.parts = [3][]byte{}
		s.drained()
		s.drained = nil
	}
	if s.release != nil {
		s.release()
		s.release = nil
	}
	return s.closer.Close()
}

// Estimates of what a decoder holds besides its output: gzip's inflater
// (a 32 KiB window, its tables and a 4 KiB read buffer) and brotli's read
// buffer and tables; a brotli decoder's ring buffer comes on top
// ([brotliWindow]).
const (
	gzipReaderSize   = 48 << 10
	brotliReaderSize = 96 << 10
)

// brotliWindow returns the size of the window a brotli stream declares in
// its first byte (RFC 7932, 9.1): what its decoder's ring buffer may grow
// to. A large window (RFC 9841), which the decoder refuses, counts as the
// largest regular one.
func brotliWindow(b byte) int {
	bits := 17
	switch n := (b >> 1) & 7; {
	case b&1 == 0:
		bits = 16
	case n != 0:
		bits = 17 + int(n)
	default:
		switch m := (b >> 4) & 7; {
		case m == 1:
			bits = 24
		case m != 0:
			bits = 8 + int(m)
		}
	}
	return 1 << bits
}

// pooledBrotliWindow is the largest window whose decoders go back to the
// pool: a decoder keeps its ring buffer across uses.
const pooledBrotliWindow = 1 << 20

// codec decodes and encodes one content coding, with pooled state: a gzip
// or brotli writer weighs hundreds of kilobytes.
type codec struct {
	readers  sync.Pool
	writers  sync.Pool
	reset    func(r any, src io.Reader) error
	newRead  func(src io.Reader) (any, error)
	newWrite func() encoder
}

// encoder is a compressing writer: *gzip.Writer, *brotli.Writer.
type encoder interface {
	io.WriteCloser
	Flush() error
	Reset(w io.Writer)
}

// brotliLevel is brotli's quality for re-encoded pages: close to gzip -9
// in size at a fraction of quality 11's cost, for a response in flight.
const brotliLevel = 5

var codecs = map[string]*codec{
	"gzip": {
		newRead: func(src io.Reader) (any, error) { return gzip.NewReader(src) },
		reset:   func(r any, src io.Reader) error { return r.(*gzip.Reader).Reset(src) },
		newWrite: func() encoder {
			w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression) // the level is valid
			return w
		},
	},
	"br": {
		newRead:  func(src io.Reader) (any, error) { return brotli.NewReader(src), nil },
		reset:    func(r any, src io.Reader) error { return r.(*brotli.Reader).Reset(src) },
		newWrite: func() encoder { return brotli.NewWriterLevel(io.Discard, brotliLevel) },
	},
}

// pooledReader is a decoder lent by a codec; keep is false for one that
// must not go back to the pool.
type pooledReader struct {
	io.Reader
	dec  any
	keep bool
}

// put gives a decoder back to the pool.
func (c *codec) put(r *pooledReader) {
	if r.keep {
		c.readers.Put(r.dec)
	}
}

// newReader returns a decoder of src (which, for gzip, reads the header).
func (c *codec) newReader(src io.Reader) (*pooledReader, error) {
	if r := c.readers.Get(); r != nil {
		if err := c.reset(r, src); err != nil {
			return nil, err
		}
		return &pooledReader{Reader: r.(io.Reader), dec: r, keep: true}, nil
	}
	r, err := c.newRead(src)
	if err != nil {
		return nil, err
	}
	return &pooledReader{Reader: r.(io.Reader), dec: r, keep: true}, nil
}

// newRecompressor returns a body that encodes page, flushing the encoder
// after every chunk read from it so that a streamed page stays streamed;
// closing it closes upstream and gives the decoder dec and the encoder back
// to the codec (both are fully reset before their next use).
func (c *codec) newRecompressor(page io.Reader, dec *pooledReader, upstream io.Closer) io.ReadCloser {
	w, _ := c.writers.Get().(encoder)
	if w == nil {
		w = c.newWrite()
	}
	rc := &recompressor{src: page, enc: w, chunk: make([]byte, 32<<10), upstream: upstream}
	w.Reset(&rc.out)
	rc.release = func() {
		w.Reset(io.Discard)
		c.writers.Put(w)
		c.put(dec)
	}
	return rc
}

// recompressor is the re-encoded body of an injected page.
type recompressor struct {
	src      io.Reader
	enc      encoder
	out      bytes.Buffer
	chunk    []byte
	err      error
	upstream io.Closer
	release  func()
	closed   bool
}

func (r *recompressor) Read(p []byte) (int, error) {
	for r.out.Len() == 0 {
		if r.err != nil {
			return 0, r.err
		}
		n, err := r.src.Read(r.chunk)
		if n > 0 {
			if _, werr := r.enc.Write(r.chunk[:n]); werr != nil {
				r.err = werr
				continue
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			r.err = io.EOF
			if cerr := r.enc.Close(); cerr != nil {
				r.err = cerr
			}
		case err != nil:
			r.err = err
		case n > 0:
			if ferr := r.enc.Flush(); ferr != nil {
				r.err = ferr
			}
		}
	}
	return r.out.Read(p)
}

func (r *recompressor) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.release()
	return r.upstream.Close()
}
