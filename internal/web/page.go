package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/charte/charte/internal/i18n"
)

//go:embed assets/templates/*.html assets/static/*
var assets embed.FS

// pageBase is what the layout of every page needs.
type pageBase struct {
	// Base is the path charte's routes are under ("" or e.g. /_charte
	// behind charte proxy): every link starts with it.
	Base      string
	Lang      string
	CSS       string
	Languages []languageLink
	Version   string
	t         func(key string, args ...any) string
}

// T translates a message of the web catalogue into the page's language.
func (p pageBase) T(key string, args ...any) string { return p.t(key, args...) }

// languageLink is one entry of a page's language switch.
type languageLink struct {
	Code    string
	Name    string
	URL     string
	Current bool
}

// base returns the layout data of a page in lang; langs are the languages
// the page exists in (nil: those of charte's own interface).
func (s *Server) base(r *http.Request, lang string, langs []string) pageBase {
	if langs == nil {
		langs = uiLanguages
	}
	p := pageBase{
		Base:    s.basePath,
		Lang:    lang,
		CSS:     s.staticURL("charte.css"),
		Version: s.version,
		t:       func(key string, args ...any) string { return messages.T(lang, key, args...) },
	}
	if len(langs) > 1 {
		for _, l := range langs {
			q := url.Values{"lang": {l}}
			p.Languages = append(p.Languages, languageLink{Code: l, Name: i18n.Name(l), URL: s.basePath + r.URL.Path + "?" + q.Encode(), Current: l == lang})
		}
	}
	return p
}

// errorPage is the data of error.html.
type errorPage struct {
	pageBase
	Status int
	// Name names the status in words ("Page not found"), empty for a
	// status the catalogue has no name for.
	Name      string
	Message   string
	RequestID string
}

// mustParsePages parses every page template with the layout; it panics on a
// template error, which the package's tests catch.
func mustParsePages() *template.Template {
	funcs := template.FuncMap{
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
	}
	t, err := template.New("").Funcs(funcs).ParseFS(assets, "assets/templates/*.html")
	if err != nil {
		panic(fmt.Sprintf("web: parse templates: %v", err))
	}
	return t
}

// mustParseLayout parses the layout alone ("head", "header", "footer"),
// for the back office to add its own pages to.
func mustParseLayout() *template.Template {
	t, err := template.New("").ParseFS(assets, "assets/templates/layout.html")
	if err != nil {
		panic(fmt.Sprintf("web: parse layout: %v", err))
	}
	return t
}

// renderPage renders a page template to a buffer, then writes it with its
// status, so a template error becomes a clean 500 and never half a page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.logger.ErrorContext(r.Context(), "render page", "id", requestIDFrom(r.Context()), "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	s.writePage(w, r, status, buf.Bytes())
}

// writePage writes a rendered HTML page with its status: with an ETag when
// it is 200 (see writeCacheable), never stored otherwise.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		s.writeCacheable(w, r, body)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client went away; nothing to do
}

// writeCacheable writes a response body with a strong ETag and answers 304
// when the client has it already. Pages depend on the language, chosen from
// the query, a cookie and Accept-Language: caches must revalidate.
func (s *Server) writeCacheable(w http.ResponseWriter, r *http.Request, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	h.Add("Vary", "Accept-Language, Cookie")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(body) // the client went away; nothing to do
}

func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == etag || v == "*" {
			return true
		}
	}
	return false
}

// staticFiles are the embedded static files, served under content-hash
// names so that they can be cached for a year.
type staticFiles struct {
	byURL  map[string]staticFile // hashed file name → file
	byName map[string]string     // plain name → hashed URL
}

type staticFile struct {
	body  []byte
	ctype string
}

func mustLoadStatic() *staticFiles {
	sf := &staticFiles{byURL: map[string]staticFile{}, byName: map[string]string{}}
	entries, err := fs.ReadDir(assets, "assets/static")
	if err != nil {
		panic(fmt.Sprintf("web: read static files: %v", err))
	}
	for _, e := range entries {
		body, err := assets.ReadFile("assets/static/" + e.Name())
		if err != nil {
			panic(fmt.Sprintf("web: read static file: %v", err))
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:6]) + ext
		sf.byURL[hashed] = staticFile{body: body, ctype: mime.TypeByExtension(ext)}
		sf.byName[e.Name()] = "/static/" + hashed
	}
	return sf
}

// URL returns the content-hash URL of a static file.
func (sf *staticFiles) URL(name string) string { return sf.byName[name] }

// staticURL returns the URL of a static file under the server's base path.
func (s *Server) staticURL(name string) string { return s.basePath + s.static.URL(name) }

// handleStatic serves a static file under its content-hash name.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	f, ok := s.static.byURL[r.PathValue("file")]
	if !ok {
		return s.handleNotFound(w, r)
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(f.body) // the client went away; nothing to do
	return nil
}
