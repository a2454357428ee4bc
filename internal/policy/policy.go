package policy

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"io"
	"slices"
	"sync"
	texttemplate "text/template"

	"github.com/charte/charte/internal/charte"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// htmlTemplate and markdownTemplate parse the embedded templates once, on
// first use. A parse error is a programmer's mistake that TestTemplatesParse
// catches; renderers return it rather than panic.
var (
	htmlTemplate = sync.OnceValues(func() (*htmltemplate.Template, error) {
		return htmltemplate.New("policy.html.tmpl").ParseFS(templateFS, "templates/policy.html.tmpl")
	})
	markdownTemplate = sync.OnceValues(func() (*texttemplate.Template, error) {
		return texttemplate.New("policy.md.tmpl").Funcs(texttemplate.FuncMap{
			"md":       mdBlock,
			"cell":     mdCell,
			"rich":     func(r rich) string { return mdRich(r, false) },
			"richCell": func(r rich) string { return mdRich(r, true) },
		}).ParseFS(templateFS, "templates/policy.md.tmpl")
	})
)

// Languages returns the languages the policy of ch can be rendered in: the
// site's, default first. The policy's own prose exists in French and English;
// in another of the site's languages, the charter's texts are shown in that
// language and the prose in English.
func Languages(ch *charte.Charter) []string {
	if len(ch.Site.Languages) == 0 {
		return []string{ch.Site.DefaultLanguage()}
	}
	return slices.Clone(ch.Site.Languages)
}

// language returns lang if the site has it, else the site's default language.
func language(ch *charte.Charter, lang string) string {
	if ch.Site.HasLanguage(lang) {
		return lang
	}
	return ch.Site.DefaultLanguage()
}

// HTML writes the policy of ch in lang as a standalone HTML fragment, with
// no <html> or <head>, for a site to paste into its CMS: the same markup as
// [Fragment]. A lang that is not one of the site's languages falls back to
// the site's default language. Nothing is written if rendering fails.
func HTML(w io.Writer, ch *charte.Charter, lang string) error {
	b, err := renderHTML(ch, lang)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write policy html: %w", err)
	}
	return nil
}

// Fragment returns the policy of ch in lang as HTML for the web package to
// embed in its page layout. The fragment is one <article
// class="charte-policy" lang="…"> whose title is an <h1>, with <h2> sections
// and an <h3> per category: the embedding page must not add an <h1> of its
// own. Its "reopen the preference center" button is a <button
// data-charte-open> that the banner script handles. A lang that is not one
// of the site's languages falls back to the site's default language.
func Fragment(ch *charte.Charter, lang string) (htmltemplate.HTML, error) {
	b, err := renderHTML(ch, lang)
	if err != nil {
		return "", err
	}
	// The bytes come from html/template, which escaped every value.
	return htmltemplate.HTML(b), nil
}

func renderHTML(ch *charte.Charter, lang string) ([]byte, error) {
	tmpl, err := htmlTemplate()
	if err != nil {
		return nil, fmt.Errorf("parse policy html template: %w", err)
	}
	lang = language(ch, lang)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, build(ch, lang)); err != nil {
		return nil, fmt.Errorf("render policy of %s in %s as html: %w", ch.Site.ID, lang, err)
	}
	return buf.Bytes(), nil
}

// Markdown writes the policy of ch in lang as GitHub-flavoured Markdown: the
// same content as [HTML], with one table per category. It is plain
// Markdown, with no inline HTML: where the HTML page has a button that
// reopens the preference center, it says in words where the visitor finds
// the banner's own control. A lang that is not one of the
// site's languages falls back to the site's default language. Nothing is
// written if rendering fails.
func Markdown(w io.Writer, ch *charte.Charter, lang string) error {
	tmpl, err := markdownTemplate()
	if err != nil {
		return fmt.Errorf("parse policy markdown template: %w", err)
	}
	lang = language(ch, lang)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, build(ch, lang)); err != nil {
		return fmt.Errorf("render policy of %s in %s as markdown: %w", ch.Site.ID, lang, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write policy markdown: %w", err)
	}
	return nil
}

// JSON writes ch as indented JSON, followed by a newline: the charter itself
// as [charte.Charter] marshals it (with its version), in every language, for
// tools and for sites that render the policy themselves. <, > and & are
// written as themselves, not as \u003c escapes: the output is a file or an
// application/json body, never inline script.
func JSON(w io.Writer, ch *charte.Charter) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ch); err != nil {
		return fmt.Errorf("encode charter %s as json: %w", ch.Site.ID, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write charter json: %w", err)
	}
	return nil
}
