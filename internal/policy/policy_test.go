package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/charte/charte/internal/charte"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testCharter is a small but complete charter: necessary, exempt statistics
// and marketing categories; a pattern, a third-party cookie with a domain, a
// session cookie; texts that need escaping in HTML and Markdown.
func testCharter() *charte.Charter {
	necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	statistics, _ := charte.BuiltinCategory(charte.CategoryStatistics)
	statistics.Exempt = true
	marketing, _ := charte.BuiltinCategory(charte.CategoryMarketing)
	return &charte.Charter{
		Site: charte.Site{
			ID:              "exemple",
			Name:            "Exemple & Cie",
			URL:             "https://www.example.fr",
			Origins:         []string{"https://www.example.fr"},
			Languages:       []string{"fr", "en"},
			Contact:         "dpo@example.fr",
			ConsentLifetime: charte.MustParseDuration("6mo"),
		},
		Categories: []charte.Category{necessary, statistics, marketing},
		Cookies: []charte.Cookie{
			{
				Name:     "sessionid",
				Provider: "Exemple",
				Service:  charte.Text{"fr": "Authentification (back office)", "en": "Authentication (back office)"},
				Purpose:  charte.Text{"fr": "Se souvenir de l'utilisateur d'une page à une autre.", "en": "Remembers the user from one page to the next."},
				Category: charte.CategoryNecessary,
				Lifetime: charte.SessionLifetime,
				Party:    charte.PartyFirst,
			},
			{
				Name:     "cookies_preferences",
				Provider: "Exemple",
				Service:  charte.Text{"fr": "Choix concernant vos préférences sur les cookies", "en": "Your cookie preference choices"},
				Purpose:  charte.Text{"fr": "Se souvenir du choix opéré par le visiteur | <cookies>.", "en": "Remembers the visitor's choice | <cookies>."},
				Category: charte.CategoryNecessary,
				Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("6mo")},
				Party:    charte.PartyFirst,
			},
			{
				Name:     "_pk_id.*",
				Provider: "Matomo (auto-hébergé)",
				Service:  charte.Text{"fr": "Mesure d'audience (tout le site)", "en": "Audience measurement (whole site)"},
				Purpose:  charte.Text{"fr": "Distinguer les visiteurs, de façon anonyme.", "en": "Tells visitors apart, anonymously."},
				Category: charte.CategoryStatistics,
				Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("13mo")},
				Party:    charte.PartyFirst,
			},
			{
				Name:     "_pk_ses.*",
				Provider: "Matomo (auto-hébergé)",
				Service:  charte.Text{"fr": "Mesure d'audience (tout le site)", "en": "Audience measurement (whole site)"},
				Purpose:  charte.Text{"fr": "Regrouper les pages vues d'une même visite.", "en": "Groups the pages seen in one visit."},
				Category: charte.CategoryStatistics,
				Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("30d")},
				Party:    charte.PartyFirst,
			},
			{
				Name:     "IDE",
				Provider: "Google",
				Service:  charte.Text{"fr": "Publicité (pages d'accueil)", "en": "Advertising (home pages)"},
				Purpose:  charte.Text{"fr": "Mesurer l'efficacité des publicités et les cibler.", "en": "Measures the effect of ads and targets them."},
				Category: charte.CategoryMarketing,
				Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("1y")},
				Party:    charte.PartyThird,
				Domain:   ".doubleclick.net",
			},
			{
				Name:     "test_cookie",
				Provider: "Google",
				Service:  charte.Text{"fr": "Publicité (pages d'accueil)", "en": "Advertising (home pages)"},
				Purpose:  charte.Text{"fr": "Vérifier que le navigateur accepte les cookies.", "en": "Checks that the browser accepts cookies."},
				Category: charte.CategoryMarketing,
				Lifetime: charte.Lifetime{Duration: charte.MustParseDuration("2w")},
				Party:    charte.PartyThird,
				Domain:   ".doubleclick.net",
			},
		},
		Options: charte.Options{PersistentControl: true},
		Version: "v1-3f2a9c",
		Updated: time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC),
	}
}

func TestMessages(t *testing.T) {
	if missing := messages.Missing(); len(missing) > 0 {
		t.Errorf("messages.Missing() = %q, want none", missing)
	}
	for _, lang := range []string{"fr", "en"} {
		if !messages.Has(lang) {
			t.Errorf("messages has no %q", lang)
		}
	}
	// Every language must take the same arguments, in the same order.
	verb := regexp.MustCompile(`%[^%]`)
	for key, en := range messages["en"] {
		want := verb.FindAllString(strings.ReplaceAll(en, "%%", ""), -1)
		for lang, msgs := range messages {
			got := verb.FindAllString(strings.ReplaceAll(msgs[key], "%%", ""), -1)
			if !slices.Equal(got, want) {
				t.Errorf("messages[%q][%q] has verbs %q, want %q as in en", lang, key, got, want)
			}
		}
	}
}

func TestTemplatesParse(t *testing.T) {
	if _, err := htmlTemplate(); err != nil {
		t.Errorf("html template: %v", err)
	}
	if _, err := markdownTemplate(); err != nil {
		t.Errorf("markdown template: %v", err)
	}
}

func TestGolden(t *testing.T) {
	ch := testCharter()
	renderers := []struct {
		name   string
		render func(*bytes.Buffer, string) error
	}{
		{"html", func(b *bytes.Buffer, lang string) error { return HTML(b, ch, lang) }},
		{"md", func(b *bytes.Buffer, lang string) error { return Markdown(b, ch, lang) }},
	}
	for _, r := range renderers {
		for _, lang := range []string{"fr", "en"} {
			name := fmt.Sprintf("policy.%s.%s", lang, r.name)
			t.Run(name, func(t *testing.T) {
				var b bytes.Buffer
				if err := r.render(&b, lang); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, name, b.Bytes())
			})
		}
	}
	t.Run("charter.json", func(t *testing.T) {
		var b bytes.Buffer
		if err := JSON(&b, ch); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "charter.json", b.Bytes())
	})
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from %s (-want +got):\n%s", name, path, diff)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	ch := testCharter()
	var b bytes.Buffer
	if err := JSON(&b, ch); err != nil {
		t.Fatal(err)
	}
	var got charte.Charter
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if diff := cmp.Diff(*ch, got); diff != "" {
		t.Errorf("JSON does not round-trip (-want +got):\n%s", diff)
	}
}

func TestHTMLStructure(t *testing.T) {
	ch := testCharter()
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			doc := mustRenderHTML(t, ch, lang)

			articles := findAll(doc, func(n *html.Node) bool { return hasClass(n, "charte-policy") })
			if len(articles) != 1 || articles[0].DataAtom != atom.Article {
				t.Fatalf("found %d .charte-policy, want one <article>", len(articles))
			}
			article := articles[0]
			if got := attr(article, "lang"); got != lang {
				t.Errorf("article lang = %q, want %q", got, lang)
			}
			if n := len(findAll(doc, isElem(atom.H1))); n != 1 {
				t.Errorf("found %d h1, want 1", n)
			}
			if n := len(findAll(doc, isElem(atom.Script))); n != 0 {
				t.Errorf("found %d script elements, want none", n)
			}
			if n := len(findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "style") != "" })); n != 0 {
				t.Errorf("found %d inline styles, want none", n)
			}

			// Every labelled section points at a heading that exists.
			for _, s := range findAll(doc, isElem(atom.Section)) {
				id := attr(s, "aria-labelledby")
				h := findAll(s, func(n *html.Node) bool { return attr(n, "id") == id })
				if id == "" || len(h) != 1 || !isHeading(h[0]) {
					t.Errorf("section %q: aria-labelledby=%q does not name one heading in it", attr(s, "class"), id)
				}
			}

			categories := findAll(doc, func(n *html.Node) bool { return hasClass(n, "charte-category") })
			if len(categories) != len(ch.Categories) {
				t.Fatalf("found %d .charte-category, want %d", len(categories), len(ch.Categories))
			}
			wantHeaders := []string{
				messages.T(lang, "col.provider"), messages.T(lang, "col.service"), messages.T(lang, "col.name"),
				messages.T(lang, "col.purpose"), messages.T(lang, "col.lifetime"), messages.T(lang, "col.party"),
			}
			for i, sec := range categories {
				cat := ch.Categories[i]
				h3 := findAll(sec, isElem(atom.H3))
				if len(h3) != 1 || textOf(h3[0]) != cat.Name.In(lang) {
					t.Errorf("category %d heading = %q, want %q", i, texts(h3), cat.Name.In(lang))
				}
				tables := findAll(sec, isElem(atom.Table))
				if len(tables) != 1 || !hasClass(tables[0], "charte-cookies") {
					t.Fatalf("category %s: found %d table.charte-cookies, want 1", cat.ID, len(tables))
				}
				if n := len(findAll(tables[0], isElem(atom.Caption))); n != 1 {
					t.Errorf("category %s: %d captions, want 1", cat.ID, n)
				}
				var headers []string
				for _, th := range findAll(tables[0], isElem(atom.Th)) {
					if attr(th, "scope") == "col" {
						headers = append(headers, textOf(th))
					}
				}
				if diff := cmp.Diff(wantHeaders, headers); diff != "" {
					t.Errorf("category %s: column headers (-want +got):\n%s", cat.ID, diff)
				}

				var gotRows, wantRows [][]string
				tbody := findAll(tables[0], isElem(atom.Tbody))[0]
				for _, tr := range findAll(tbody, isElem(atom.Tr)) {
					var row []string
					for c := tr.FirstChild; c != nil; c = c.NextSibling {
						if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
							row = append(row, textOf(c))
						}
					}
					gotRows = append(gotRows, row)
				}
				for _, k := range ch.CookiesIn(cat.ID) {
					name := k.Name
					if k.IsPattern() {
						name += " (" + messages.T(lang, "pattern.prefix", strings.TrimSuffix(k.Name, "*")) + ")"
					}
					wantRows = append(wantRows, []string{
						k.Provider, k.Service.In(lang), name, k.Purpose.In(lang),
						lifetime(lang, k.Lifetime), party(lang, k),
					})
				}
				if diff := cmp.Diff(wantRows, gotRows); diff != "" {
					t.Errorf("category %s: cookie rows (-want +got):\n%s", cat.ID, diff)
				}
				for _, tr := range findAll(tbody, isElem(atom.Tr)) {
					if n := len(findAll(tr, isElem(atom.Code))); n < 1 {
						t.Errorf("category %s: row %q has no <code> cookie name", cat.ID, textOf(tr))
					}
				}
			}

			buttons := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Button && hasAttr(n, "data-charte-open") })
			if len(buttons) != 1 || attr(buttons[0], "type") != "button" || textOf(buttons[0]) == "" {
				t.Errorf("found %d <button type=button data-charte-open> with a label, want 1", len(buttons))
			}

			mail := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && attr(n, "href") == "mailto:"+ch.Site.Contact })
			if len(mail) != 1 {
				t.Errorf("found %d mailto:%s links, want 1", len(mail), ch.Site.Contact)
			}
			times := findAll(doc, isElem(atom.Time))
			if len(times) != 1 || attr(times[0], "datetime") != "2026-11-28" {
				t.Errorf("found %d <time datetime=2026-11-28>, want 1", len(times))
			}
		})
	}
}

func TestFallbackLanguage(t *testing.T) {
	ch := testCharter()
	want, err := Fragment(ch, "fr")
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := Markdown(&md, ch, "fr"); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "", "fr-CA", "EN"} {
		got, err := Fragment(ch, lang)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Fragment(ch, %q) is not the default language's (fr) policy", lang)
		}
		var gotMD bytes.Buffer
		if err := Markdown(&gotMD, ch, lang); err != nil {
			t.Fatal(err)
		}
		if gotMD.String() != md.String() {
			t.Errorf("Markdown(ch, %q) is not the default language's (fr) policy", lang)
		}
	}
	doc := mustRenderHTML(t, ch, "de")
	article := findAll(doc, isElem(atom.Article))[0]
	if got := attr(article, "lang"); got != "fr" {
		t.Errorf("HTML(ch, \"de\"): article lang = %q, want fr", got)
	}

	// The default language is the site's first, not always fr.
	ch.Site.Languages = []string{"en", "fr"}
	doc = mustRenderHTML(t, ch, "de")
	if got := attr(findAll(doc, isElem(atom.Article))[0], "lang"); got != "en" {
		t.Errorf("HTML(ch, \"de\") with languages [en fr]: article lang = %q, want en", got)
	}
}

func TestFragmentIsHTML(t *testing.T) {
	ch := testCharter()
	var b bytes.Buffer
	if err := HTML(&b, ch, "en"); err != nil {
		t.Fatal(err)
	}
	f, err := Fragment(ch, "en")
	if err != nil {
		t.Fatal(err)
	}
	if string(f) != b.String() {
		t.Error("Fragment and HTML differ")
	}
	for _, tag := range []string{"<html", "<head", "<body", "<style", "<script"} {
		if strings.Contains(b.String(), tag) {
			t.Errorf("HTML contains %s, want a bare fragment", tag)
		}
	}
}

func TestLanguages(t *testing.T) {
	ch := testCharter()
	got := Languages(ch)
	if diff := cmp.Diff([]string{"fr", "en"}, got); diff != "" {
		t.Errorf("Languages (-want +got):\n%s", diff)
	}
	got[0] = "xx"
	if ch.Site.Languages[0] != "fr" {
		t.Error("Languages returned the charter's own slice")
	}
	ch.Site.Languages = nil
	if diff := cmp.Diff([]string{"fr"}, Languages(ch)); diff != "" {
		t.Errorf("Languages of a site without languages (-want +got):\n%s", diff)
	}
}

// TestHostileCharter renders a charter whose texts try to inject markup:
// HTML must escape them and drop unsafe URLs; Markdown must keep them text.
func TestHostileCharter(t *testing.T) {
	necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	ch := &charte.Charter{
		Site: charte.Site{
			ID:        "evil",
			Name:      `<script>alert(1)</script>`,
			URL:       "javascript:alert(1)",
			Languages: []string{"en"},
			Contact:   "javascript:alert(2)",
		},
		Categories: []charte.Category{
			necessary,
			{ID: `x" onclick="alert(3)`, Name: charte.Text{"en": "# Not a heading *bold* [link](http://x)"}},
		},
		Cookies: []charte.Cookie{{
			Name:     "a|b`c<d>",
			Provider: "<img src=x onerror=alert(4)>",
			Purpose:  charte.Text{"en": "line one\n\n| injected | row |\n- item"},
			Category: `x" onclick="alert(3)`,
			Lifetime: charte.SessionLifetime,
			Party:    charte.PartyThird,
		}},
	}
	doc := mustRenderHTML(t, ch, "en")
	for _, a := range []atom.Atom{atom.Script, atom.Img} {
		if n := len(findAll(doc, isElem(a))); n != 0 {
			t.Errorf("HTML has %d <%s>, want none", n, a)
		}
	}
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		if hasAttr(n, "onclick") || hasAttr(n, "onerror") {
			t.Errorf("HTML has an event handler on <%s>", n.Data)
		}
		if strings.Contains(strings.ToLower(attr(n, "href")), "javascript:") {
			t.Errorf("HTML has href=%q", attr(n, "href"))
		}
	}

	var b bytes.Buffer
	if err := Markdown(&b, ch, "en"); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, bad := range []string{"<script", "<img", "](javascript", "](<javascript", "\n# Not", "\n| injected", "\n- item", " *bold*"} {
		// A backslash before the text makes it literal.
		if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(bad)).MatchString(md) {
			t.Errorf("Markdown contains %q:\n%s", bad, md)
		}
	}
	// The cookie's row stays one row of six cells.
	for _, line := range strings.Split(md, "\n") {
		if strings.Contains(line, "img src") {
			cells := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1))
			if cells != 7 {
				t.Errorf("cookie row has %d unescaped |, want 7: %s", cells, line)
			}
		}
	}
}

func TestEmptyCategory(t *testing.T) {
	ch := testCharter()
	prefs, _ := charte.BuiltinCategory(charte.CategoryPreferences)
	ch.Categories = append(ch.Categories, prefs)
	doc := mustRenderHTML(t, ch, "fr")
	sec := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "charte-category-preferences" })
	if len(sec) != 1 {
		t.Fatal("no section for the preferences category")
	}
	if n := len(findAll(sec[0], isElem(atom.Table))); n != 0 {
		t.Errorf("empty category has %d tables, want 0", n)
	}
	empty := findAll(sec[0], func(n *html.Node) bool { return hasClass(n, "charte-empty") })
	if len(empty) != 1 || textOf(empty[0]) != messages.T("fr", "category.empty") {
		t.Errorf("empty category says %q, want %q", texts(empty), messages.T("fr", "category.empty"))
	}
	// The built-in description already says "only with your consent".
	if got := findAll(sec[0], func(n *html.Node) bool { return hasClass(n, "charte-consent") }); len(got) != 0 {
		t.Errorf("preferences consent sentence = %q, want none after the built-in description", texts(got))
	}
}

// TestConsentSentence checks that each category says once whether it needs
// consent: the policy's sentence is left out after a built-in description
// that says it already, and kept after a charter's own description and for
// statistics, whose built-in text leaves the question open.
func TestConsentSentence(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			ch := testCharter()
			ch.Categories = append(ch.Categories, charte.Category{ID: "support", Name: charte.Text{"fr": "Assistance", "en": "Support"}, Description: charte.Text{"fr": "Une fenêtre de discussion.", "en": "A chat window."}})
			var md bytes.Buffer
			if err := Markdown(&md, ch, lang); err != nil {
				t.Fatal(err)
			}
			doc := mustRenderHTML(t, ch, lang)
			for _, tc := range []struct {
				id, want string
			}{
				{"necessary", ""},
				{"statistics", messages.T(lang, "category.exempt")},
				{"marketing", ""},
				{"support", messages.T(lang, "category.consent")},
			} {
				sec := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "charte-category-"+tc.id })
				if len(sec) != 1 {
					t.Fatalf("no section for %s", tc.id)
				}
				var got string
				if p := findAll(sec[0], func(n *html.Node) bool { return hasClass(n, "charte-consent") }); len(p) == 1 {
					got = textOf(p[0])
				}
				if want := strings.Join(strings.Fields(tc.want), " "); got != want {
					t.Errorf("%s: consent sentence = %q, want %q", tc.id, got, want)
				}
			}
			// Necessary cookies need no consent: said once per category
			// in the HTML and in the Markdown.
			necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
			sentence := map[string]string{"fr": "ne requièrent pas votre consentement", "en": "do not require your consent"}[lang]
			sec := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "charte-category-necessary" })[0]
			if n := strings.Count(textOf(sec), sentence); n != 1 {
				t.Errorf("the necessary category says %q %d times in HTML, want once", sentence, n)
			}
			part := md.String()
			part = part[strings.Index(part, "### "+necessary.Name.In(lang)):]
			part = part[:strings.Index(part[4:], "### ")+4]
			if n := strings.Count(part, sentence); n != 1 {
				t.Errorf("the necessary category says %q %d times in Markdown, want once:\n%s", sentence, n, part)
			}
		})
	}
}

// TestMarkdownHasNoHTML checks that the Markdown policy is plain Markdown:
// no raw HTML tag anywhere, the only < being those of link destinations
// (<https://…>) and escaped ones (\<).
func TestMarkdownHasNoHTML(t *testing.T) {
	tag := regexp.MustCompile(`(^|[^\\(])<[A-Za-z/!]`)
	for _, lang := range []string{"fr", "en"} {
		var b bytes.Buffer
		if err := Markdown(&b, testCharter(), lang); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(b.String(), "\n") {
			if m := tag.FindString(line); m != "" {
				t.Errorf("Markdown(%s) line %d has raw HTML %q: %s", lang, i+1, m, line)
			}
		}
		if want := messages.T(lang, "choices.reopen"); !strings.Contains(b.String(), want) {
			t.Errorf("Markdown(%s) does not say how to change one's choices (%q)", lang, want)
		}
		ch := testCharter()
		ch.Options.PersistentControl = false
		b.Reset()
		if err := Markdown(&b, ch, lang); err != nil {
			t.Fatal(err)
		}
		if want := messages.T(lang, "choices.reopen.site"); !strings.Contains(b.String(), want) {
			t.Errorf("Markdown(%s) without a persistent control does not point at the site's own link (%q)", lang, want)
		}
	}
}

func TestOptionalParts(t *testing.T) {
	ch := testCharter()
	ch.Version = ""
	ch.Updated = time.Time{}
	ch.Site.Contact = ""
	doc := mustRenderHTML(t, ch, "en")
	for _, class := range []string{"charte-meta", "charte-version", "charte-updated", "charte-contact"} {
		if n := len(findAll(doc, func(n *html.Node) bool { return hasClass(n, class) })); n != 0 {
			t.Errorf("found %d .%s without a version, date or contact, want 0", n, class)
		}
	}
}

func TestLifetime(t *testing.T) {
	tests := []struct {
		in     string
		fr, en string
	}{
		{"session", "Fin de la session", "Session"},
		{"6mo", "6 mois", "6 months"},
		{"1mo", "1 mois", "1 month"},
		{"1y", "1 an", "1 year"},
		{"2y", "2 ans", "2 years"},
		{"2w", "2 semaines", "2 weeks"},
		{"1w", "1 semaine", "1 week"},
		{"30d", "30 jours", "30 days"},
		{"1d", "1 jour", "1 day"},
		{"12h", "12 heures", "12 hours"},
		{"1h", "1 heure", "1 hour"},
	}
	for _, tc := range tests {
		l, err := charte.ParseLifetime(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := lifetime("fr", l); got != tc.fr {
			t.Errorf("lifetime(fr, %s) = %q, want %q", tc.in, got, tc.fr)
		}
		if got := lifetime("en", l); got != tc.en {
			t.Errorf("lifetime(en, %s) = %q, want %q", tc.in, got, tc.en)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		t      time.Time
		fr, en string
	}{
		{time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), "28 novembre 2026", "28 November 2026"},
		{time.Date(2026, 5, 1, 23, 0, 0, 0, time.FixedZone("CEST", 2*3600)), "1er mai 2026", "1 May 2026"},
		{time.Date(2027, 2, 9, 0, 0, 0, 0, time.UTC), "9 février 2027", "9 February 2027"},
	}
	for _, tc := range tests {
		if got := date("fr", tc.t); got != tc.fr {
			t.Errorf("date(fr, %v) = %q, want %q", tc.t, got, tc.fr)
		}
		if got := date("en", tc.t); got != tc.en {
			t.Errorf("date(en, %v) = %q, want %q", tc.t, got, tc.en)
		}
	}
}

func TestCookieName(t *testing.T) {
	tests := []struct {
		name string
		want rich
	}{
		{"sessionid", rich{code("sessionid")}},
		{"_ga_*", rich{code("_ga_*"), text(" ("), text("any name starting with "), code("_ga_"), text(")")}},
		{"*_session", rich{code("*_session"), text(" ("), text("any name ending with "), code("_session"), text(")")}},
		{"a*b", rich{code("a*b"), text(" ("), text("any name starting with "), code("a"), text(" and ending with "), code("b"), text(")")}},
		{"a*b*c", rich{code("a*b*c"), text(" ("), text("* stands for any run of characters"), text(")")}},
		{"*", rich{code("*"), text(" ("), text("any name"), text(")")}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, cookieName("en", tc.name)); diff != "" {
			t.Errorf("cookieName(en, %q) (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestContactRef(t *testing.T) {
	tests := []struct {
		in   string
		want segment
		ok   bool
	}{
		{"", segment{}, false},
		{"dpo@example.org", segment{Text: "dpo@example.org", Href: "mailto:dpo@example.org"}, true},
		{"mailto:dpo@example.org", segment{Text: "dpo@example.org", Href: "mailto:dpo@example.org"}, true},
		{"https://example.org/contact", segment{Text: "https://example.org/contact", Href: "https://example.org/contact"}, true},
		{"DPO, 1 rue de la Paix, Paris", segment{Text: "DPO, 1 rue de la Paix, Paris"}, true},
	}
	for _, tc := range tests {
		got, ok := contactRef(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("contactRef(%q) = %+v, %v, want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name, in, block, cell string
	}{
		{"plain", "Se souvenir de l'utilisateur.", "Se souvenir de l'utilisateur.", "Se souvenir de l'utilisateur."},
		{"inner underscore", "cookies_preferences", "cookies_preferences", "cookies_preferences"},
		{"edge underscore", "_ga and x_", `\_ga and x\_`, `\_ga and x\_`},
		{"emphasis", "*a* [b](c) `d` <e> ~f~", "\\*a\\* \\[b\\](c) \\`d\\` \\<e\\> \\~f\\~", "\\*a\\* \\[b\\](c) \\`d\\` \\<e\\> \\~f\\~"},
		{"pipe", "a | b", "a | b", `a \| b`},
		{"entity", "AT&T &amp; &#38; & co", `AT&T \&amp; \&#38; & co`, `AT&T \&amp; \&#38; & co`},
		{"newlines", "a\n\n- b\r\n  c", "a - b c", "a - b c"},
		{"heading", "# title #", `\# title \#`, `# title #`},
		{"list", "- item", `\- item`, "- item"},
		{"ordered", "2026. year", `2026\. year`, "2026. year"},
		{"backslash", `a\b`, `a\\b`, `a\\b`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mdBlock(tc.in); got != tc.block {
				t.Errorf("mdBlock(%q) = %q, want %q", tc.in, got, tc.block)
			}
			if got := mdCell(tc.in); got != tc.cell {
				t.Errorf("mdCell(%q) = %q, want %q", tc.in, got, tc.cell)
			}
		})
	}

	codes := []struct{ in, want, cell string }{
		{"_pk_id.*", "`_pk_id.*`", "`_pk_id.*`"},
		{"a`b", "``a`b``", "``a`b``"},
		{"`a", "`` `a ``", "`` `a ``"},
		{"a|b", "`a|b`", "`a\\|b`"},
	}
	for _, tc := range codes {
		if got := mdCode(tc.in, false); got != tc.want {
			t.Errorf("mdCode(%q, false) = %q, want %q", tc.in, got, tc.want)
		}
		if got := mdCode(tc.in, true); got != tc.cell {
			t.Errorf("mdCode(%q, true) = %q, want %q", tc.in, got, tc.cell)
		}
	}
}

func mustRenderHTML(tb testing.TB, ch *charte.Charter, lang string) *html.Node {
	tb.Helper()
	var b bytes.Buffer
	if err := HTML(&b, ch, lang); err != nil {
		tb.Fatal(err)
	}
	doc, err := html.Parse(&b)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if match(d) {
			out = append(out, d)
		}
	}
	return out
}

func isElem(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == a }
}

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), class)
}

// textOf returns n's text content with its whitespace folded.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func texts(ns []*html.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, textOf(n))
	}
	return out
}
