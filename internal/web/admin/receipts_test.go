package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
)

// mustSeedDecisions appends n decisions to e's log, one hour apart and
// ending an hour ago, with the methods in turn; it returns their ids,
// oldest first.
func mustSeedDecisions(t *testing.T, e *adminEnv, n int) []string {
	t.Helper()
	def := charterfile.Default()
	start := time.Now().UTC().Truncate(time.Hour).Add(-time.Duration(n) * time.Hour)
	var ds []*charte.Decision
	for i := range n {
		m := charte.Methods()[i%len(charte.Methods())]
		created := start.Add(time.Duration(i) * time.Hour)
		ds = append(ds, &charte.Decision{ID: fmt.Sprintf("seed-%03d-0123456789abcdef", i), Site: def.Site.ID, CharterVersion: def.Version,
			Choices: map[string]bool{"necessary": true, "statistics": m == charte.MethodAcceptAll, "marketing": false}, Method: m, CreatedAt: created, ExpiresAt: created.AddDate(0, 6, 0)})
	}
	recs, err := e.db.AppendDecisions(context.Background(), ds)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids
}

// listedIDs returns the decision ids the receipts list shows, in order,
// and its links to newer and older pages.
func listedIDs(doc *html.Node) (ids []string, newer, older string) {
	for _, a := range findAll(doc, "a") {
		href, _ := attr(a, "href")
		if id, ok := strings.CutPrefix(href, "/admin/receipts?id="); ok {
			ids = append(ids, id)
		}
		switch rel, _ := attr(a, "rel"); rel {
		case "prev":
			newer = href
		case "next":
			older = href
		}
	}
	return ids, newer, older
}

func TestAdminReceiptsList(t *testing.T) {
	e := MustAdminEnv(t)
	ids := mustSeedDecisions(t, e, 60) // seed-000 … seed-059
	b := e.browser(t)
	b.signIn()
	newestFirst := slices.Clone(ids)
	slices.Reverse(newestFirst)
	day := func(d time.Duration) string { return time.Now().UTC().Add(d).Format(time.DateOnly) }

	t.Run("pages", func(t *testing.T) {
		resp := b.get("/admin/receipts")
		got, newer, older := listedIDs(mustParse(t, resp))
		if resp.StatusCode != http.StatusOK || !slices.Equal(got, newestFirst[:25]) || newer != "" || older == "" {
			t.Fatalf("first page = %d, %v, newer %q, older %q; want the 25 newest and a link to older ones", resp.StatusCode, got, newer, older)
		}
		got2, newer2, older2 := listedIDs(mustParse(t, b.get(older)))
		if !slices.Equal(got2, newestFirst[25:50]) || newer2 == "" || older2 == "" {
			t.Fatalf("second page = %v, newer %q, older %q; want the next 25 and both links", got2, newer2, older2)
		}
		got3, newer3, older3 := listedIDs(mustParse(t, b.get(older2)))
		if !slices.Equal(got3, newestFirst[50:]) || newer3 == "" || older3 != "" {
			t.Fatalf("last page = %v, newer %q, older %q; want the 10 oldest, no older link", got3, newer3, older3)
		}
		back, _, _ := listedIDs(mustParse(t, b.get(newer3)))
		if !slices.Equal(back, newestFirst[25:50]) {
			t.Errorf("back from the last page = %v, want the second page %v", back, newestFirst[25:50])
		}
		first, newerFirst, _ := listedIDs(mustParse(t, b.get(newer2)))
		if !slices.Equal(first, newestFirst[:25]) || newerFirst != "" {
			t.Errorf("back to the first page = %v (newer %q), want the 25 newest and no newer link", first, newerFirst)
		}
	})

	tests := []struct {
		name  string
		query url.Values
		want  func(id string, i int) bool // which seeded decisions (i oldest first) are listed
	}{
		{"method", url.Values{"method": {"gpc"}}, func(_ string, i int) bool { return charte.Methods()[i%5] == charte.MethodGPC }},
		{"site", url.Values{"site": {"charte"}}, func(string, int) bool { return true }},
		{"from today", url.Values{"from": {day(0)}}, func(id string, i int) bool {
			return !time.Now().UTC().Truncate(time.Hour).Add(time.Duration(i-60) * time.Hour).Before(time.Now().UTC().Truncate(24 * time.Hour))
		}},
		{"up to yesterday", url.Values{"to": {day(-24 * time.Hour)}}, func(id string, i int) bool {
			return time.Now().UTC().Truncate(time.Hour).Add(time.Duration(i-60) * time.Hour).Before(time.Now().UTC().Truncate(24 * time.Hour))
		}},
		{"a day with nothing", url.Values{"from": {"2001-01-01"}, "to": {"2001-01-01"}}, func(string, int) bool { return false }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for i := len(ids) - 1; i >= 0 && len(want) < 25; i-- {
				if tc.want(ids[i], i) {
					want = append(want, ids[i])
				}
			}
			resp := b.get("/admin/receipts?" + tc.query.Encode())
			got, _, _ := listedIDs(mustParse(t, resp))
			if resp.StatusCode != http.StatusOK || !slices.Equal(got, want) {
				t.Errorf("receipts?%s = %d, %v; want 200, %v", tc.query.Encode(), resp.StatusCode, got, want)
			}
		})
	}

	for _, tc := range []struct {
		name, query, field, want string
	}{
		{"unknown method", "method=maybe", "f-method", "La méthode choisie n'existe pas."},
		{"unknown site", "site=nowhere", "f-site", "Aucun site ne porte l'identifiant « nowhere »."},
		{"bad date", "from=yesterday", "f-from", "La date doit être écrite sous la forme 2026-11-28."},
		{"dates the wrong way", "from=2026-11-28&to=2026-11-01", "f-to", "La date de fin ne peut pas précéder la date de début."},
		{"bad page", "before=-3", "", "Cette page de la liste n'existe pas."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := b.get("/admin/receipts?" + tc.query)
			doc := mustParse(t, resp)
			alert := ""
			for _, p := range findAll(doc, "p") {
				if role, _ := attr(p, "role"); role == "alert" {
					alert = text(p)
				}
			}
			if resp.StatusCode != http.StatusBadRequest || alert != tc.want || len(findAll(doc, "form")) < 2 {
				t.Errorf("receipts?%s = %d, alert %q; want 400, %q and the filters", tc.query, resp.StatusCode, alert, tc.want)
			}
			if tc.field != "" {
				for _, el := range append(findAll(doc, "input"), findAll(doc, "select")...) {
					if id, _ := attr(el, "id"); id == tc.field {
						if inv, _ := attr(el, "aria-invalid"); inv != "true" {
							t.Errorf("receipts?%s: #%s is not marked invalid", tc.query, tc.field)
						}
					}
				}
			}
		})
	}
}

func TestAdminReceiptPage(t *testing.T) {
	e := MustAdminEnv(t)
	ids := mustSeedDecisions(t, e, 1)
	b := e.browser(t)
	b.header = http.Header{"Accept-Language": {"en"}}
	b.signIn()
	doc := mustParse(t, b.get("/admin/receipts?id="+ids[0]))
	if n := len(findAll(doc, "h1")); n != 1 {
		t.Errorf("the receipt has %d h1, want 1", n)
	}
	for _, btn := range findAll(doc, "button") {
		if _, ok := attr(btn, "data-charte-open"); ok {
			t.Error("the receipt keeps the policy's button that reopens the preference center, dead in the back office")
		}
	}
	body := text(doc)
	for _, want := range []string{"Necessary cookies: granted", "Statistics cookies: granted", "Marketing cookies: denied", "What the visitor saw", "sessionid"} {
		if !strings.Contains(body, want) {
			t.Errorf("the receipt lacks %q:\n%.800s", want, body)
		}
	}
	if resp := b.get("/admin/receipts?id="); resp.StatusCode != http.StatusOK {
		t.Errorf("an empty id = %d, want 200 (the list)", resp.StatusCode)
	}
}

func TestAdminChartersAndDiff(t *testing.T) {
	e := MustAdminEnv(t)
	b := e.browser(t)
	b.signIn()
	doc := mustParse(t, b.get("/admin/charters"))
	if radios := findAll(doc, "input"); len(radios) > 0 {
		for _, in := range radios {
			if typ, _ := attr(in, "type"); typ == "radio" {
				t.Fatal("with one version, the charters page shows radio buttons")
			}
		}
	}
	if body := text(doc); !strings.Contains(body, "Une seule version de cette charte a été en service") {
		t.Errorf("with one version, the charters page does not say so:\n%.600s", body)
	}

	def := charterfile.Default()
	v2 := charterfile.Default()
	v2.Version = "v2"
	v2.Theme.Accent = "#000091"
	for i := range v2.Cookies {
		if v2.Cookies[i].Name == "django_language" {
			v2.Cookies[i].Lifetime = charte.Lifetime{Duration: charte.Duration{N: 13, Unit: charte.UnitMonth}}
			v2.Cookies[i].Category = "statistics"
		}
	}
	body, _ := json.Marshal(v2)
	if err := e.db.SaveCharterVersion(context.Background(), &charte.CharterVersion{Site: v2.Site.ID, Version: v2.Version, Content: body}); err != nil {
		t.Fatal(err)
	}
	doc = mustParse(t, b.get("/admin/charters"))
	compare := false
	for _, btn := range findAll(doc, "button") {
		compare = compare || text(btn) == "Comparer"
	}
	if !compare {
		t.Error("with two versions, no compare button")
	}
	resp := b.get("/admin/charters/charte/diff?from=" + def.Version + "&to=v2")
	rows := tableRows(mustParse(t, resp))
	for _, want := range [][]string{{"Catégorie", "Cookies nécessaires", "Cookies statistiques"}, {"Durée de conservation", "1 an", "13 mois"}, {"theme.accent", "—", "#000091"}} {
		if !containsRow(rows, want) {
			t.Errorf("diff rows = %v, want %v", rows, want)
		}
	}
	for _, raw := range []string{"lifetime", "13mo", "statistics", "category"} {
		for _, r := range rows {
			if slices.Contains(r, raw) {
				t.Errorf("the diff shows raw %q: %v", raw, r)
			}
		}
	}
}

// TestAdminErrorPage checks that the back office's error pages are its
// own: in its language, with its header, and a way back to sign in.
func TestAdminErrorPage(t *testing.T) {
	for _, tc := range []struct {
		lang, message, back string
	}{
		{"fr", "Le formulaire a expiré ou son jeton de sécurité manque : rechargez la page et réessayez.", "Retour à la connexion"},
		{"en", "The form has expired or its security token is missing: reload the page and try again.", "Back to sign-in"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := MustAdminEnv(t)
			b := e.browser(t)
			b.header = http.Header{"Accept-Language": {tc.lang}}
			b.get("/admin/login")
			resp := b.post("/admin/login", url.Values{"csrf_token": {""}, "username": {"admin"}, "password": {adminPassword}}, nil)
			doc := mustParse(t, resp)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("sign-in without a token = %d, want 403", resp.StatusCode)
			}
			if lang, _ := attr(findAll(doc, "html")[0], "lang"); lang != tc.lang {
				t.Errorf("error page in %q, want %q", lang, tc.lang)
			}
			if body := text(doc); !strings.Contains(body, tc.message) {
				t.Errorf("error page lacks %q:\n%.500s", tc.message, body)
			}
			back := false
			for _, a := range findAll(doc, "a") {
				if href, _ := attr(a, "href"); href == "/admin/login" && text(a) == tc.back {
					back = true
				}
				if href, _ := attr(a, "href"); href == "/" {
					t.Errorf("the error page links to the public home")
				}
			}
			if !back {
				t.Errorf("the error page has no link %q to the sign-in page", tc.back)
			}
		})
	}
}

// twoSites is a host's set of two sites: charte's own and a shop.
type twoSites struct{ def, shop *charte.Charter }

func (s twoSites) Default() *charte.Charter { return s.def }

func (s twoSites) Find(id string) (*charte.Charter, error) {
	for _, ch := range s.All() {
		if ch.Site.ID == id {
			return ch, nil
		}
	}
	return nil, &charte.Error{Code: charte.ENOTFOUND, Field: "site", Message: "Unknown site " + id + "."}
}

func (s twoSites) All() []*charte.Charter { return []*charte.Charter{s.def, s.shop} }

// TestAdminSiteSwitcher checks the header's site switcher: with two
// sites, a form to the dashboard with the site shown selected.
func TestAdminSiteSwitcher(t *testing.T) {
	e := MustAdminEnv(t)
	shop := charterfile.Default()
	shop.Site.ID, shop.Site.Name = "shop", "La Boutique"
	host := testHost(t, &e.trustProxy)
	host.Sites = twoSites{charterfile.Default(), shop}
	key, err := e.db.FindOrCreateSecret(context.Background(), "csrf")
	if err != nil {
		t.Fatal(err)
	}
	e.s = New(Options{Users: e.db, Sessions: e.db, Stats: e.db, Charters: e.db, Log: e.db, Sleep: func(time.Duration) {}, CSRFKey: key}, host)
	e.srv = httptest.NewServer(mountTest(e.s))
	t.Cleanup(e.srv.Close)
	b := e.browser(t)
	b.signIn()
	doc := mustParse(t, b.get("/admin/?site=shop&days=7"))
	var switcher *html.Node
	for _, sel := range findAll(doc, "select") {
		if id, _ := attr(sel, "id"); id == "switch-site" {
			switcher = sel
		}
	}
	if switcher == nil {
		t.Fatal("with two sites, the header has no site switcher")
	}
	selected := ""
	for _, o := range findAll(switcher, "option") {
		if _, ok := attr(o, "selected"); ok {
			selected, _ = attr(o, "value")
		}
	}
	if selected != "shop" {
		t.Errorf("the switcher shows %q selected, want shop", selected)
	}
	if resp := b.get("/admin/?site=nowhere"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the dashboard of an unknown site = %d, want 404", resp.StatusCode)
	}
}
