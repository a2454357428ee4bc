package scan

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/charte"
)

// charteBanner is a page with charte's own banner: its buttons live in the
// open shadow root of #charte-root, as the real banner's do.
const charteBanner = `<!doctype html><title>charte</title>
<button type="button">Tout refuser</button>
<div id="charte-root"></div>
<script>
const root = document.getElementById('charte-root').attachShadow({mode: 'open'});
root.innerHTML = '<div><button data-charte-action="accept-all">Tout accepter</button>' +
  '<button data-charte-action="reject-all">Tout refuser</button></div>';
</script>`

func TestFindControl(t *testing.T) {
	browser := browsertest.MustFind(t)
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><p>CMP</p><button>Rechazar todo</button> <button>Aceptar todo</button>`)
	}))
	other.Listener = l
	other.Start()
	defer other.Close()
	pages := map[string]string{
		"/charte": charteBanner,
		"/onetrust": `<!doctype html><div id="onetrust-banner-sdk"><button id="onetrust-accept-btn-handler">I Accept</button>
			<button id="onetrust-reject-all-handler">Reject All</button><button>Reject</button></div>`,
		"/german": `<!doctype html><div role="dialog"><p>Cookies</p><button> Alle  ablehnen </button><button>Alle akzeptieren</button></div>`,
		"/hidden": `<!doctype html><button style="display:none">Tout refuser</button><a href="#" onclick="return false">Continuer sans accepter →</a>
			<button hidden>Tout accepter</button>`,
		"/label":      `<!doctype html><button aria-label="Tout refuser">×</button><input type="button" value="J’accepte">`,
		"/frame":      `<!doctype html><p>Bannière :</p><iframe src="` + other.URL + `/cmp"></iframe>`,
		"/sameorigin": `<!doctype html><iframe src="/inner"></iframe>`,
		"/inner":      `<!doctype html><span>Rifiuta tutto</span><span>Accetta tutto</span>`,
		"/none":       `<!doctype html><p>No banner here.</p><button>Search</button>`,
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer site.Close()

	o := &Options{Browser: browser}
	o.defaults()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v := &visitor{o: o, rec: newRecorder("", "127.0.0.1"), progress: newProgress(nil)}
	v.browser, err = launch(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer v.browser.close()
	tab, err := v.openTab(true)
	if err != nil {
		t.Fatal(err)
	}

	type found struct {
		By, Selector, Text string
		Main               bool
	}
	for _, tc := range []struct {
		page           string
		reject, accept *found
	}{
		{"/charte", &found{"charte", `[data-charte-action="reject-all"]`, "Tout refuser", true}, &found{"charte", `[data-charte-action="accept-all"]`, "Tout accepter", true}},
		{"/onetrust", &found{"cmp", "#onetrust-reject-all-handler", "Reject All", true}, &found{"cmp", "#onetrust-accept-btn-handler", "I Accept", true}},
		{"/german", &found{"name", "button", "Alle ablehnen", true}, &found{"name", "button", "Alle akzeptieren", true}},
		{"/hidden", &found{"name", "a", "Continuer sans accepter →", true}, nil},
		{"/label", &found{"name", "button", "Tout refuser", true}, &found{"name", "input", "J’accepte", true}},
		{"/frame", &found{"name", "button", "Rechazar todo", false}, &found{"name", "button", "Aceptar todo", false}},
		{"/sameorigin", &found{"name", "span", "Rifiuta tutto", false}, &found{"name", "span", "Accetta tutto", false}},
		{"/none", nil, nil},
	} {
		t.Run(strings.TrimPrefix(tc.page, "/"), func(t *testing.T) {
			if err := chromedp.Do(tab.ctx, chromedp.Navigate(site.URL+tc.page)); err != nil {
				t.Fatal(err)
			}
			for _, kind := range []struct {
				id   string
				want *found
			}{{charte.VisitorReject, tc.reject}, {charte.VisitorAccept, tc.accept}} {
				v.id = kind.id
				_, main, c, err := v.find(tab.ctx, tab)
				if err != nil {
					t.Fatal(err)
				}
				var got *found
				if c != nil {
					got = &found{c.By, c.Selector, c.Text, main}
				}
				if diff := cmp.Diff(kind.want, got); diff != "" {
					t.Errorf("find(%s) on %s mismatch (-want +got):\n%s", kind.id, tc.page, diff)
				}
			}
		})
	}

	t.Run("labels", func(t *testing.T) {
		// The script finds a button by each label of controlLabels as
		// matchControl does.
		if err := chromedp.Do(tab.ctx, chromedp.Navigate(site.URL+"/none")); err != nil {
			t.Fatal(err)
		}
		for _, tc := range controlLabels {
			if err := chromedp.Do(tab.ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.body.replaceChildren(Object.assign(document.createElement('button'), {textContent: %q}))`, tc.label))); err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, kind := range []string{charte.VisitorReject, charte.VisitorAccept} {
				v.id = kind
				_, _, c, err := v.find(tab.ctx, tab)
				if err != nil {
					t.Fatal(err)
				}
				if c != nil {
					got += kind
				}
			}
			if got != tc.want {
				t.Errorf("in the browser, a button %q is a %q control, want %q", tc.label, got, tc.want)
			}
		}
	})

	t.Run("click", func(t *testing.T) {
		// The click reaches the page's own listeners, in the frame that
		// holds the control.
		if err := chromedp.Do(tab.ctx, chromedp.Navigate(site.URL+"/charte")); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(tab.ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('charte-root').shadowRoot.querySelector('[data-charte-action="reject-all"]').addEventListener('click', () => { window.clicked = 'reject' })`)); err != nil {
			t.Fatal(err)
		}
		v.id, v.start = charte.VisitorReject, site.URL+"/charte"
		choice, _, err := v.choose(ctx, tab)
		if err != nil || !choice.Found {
			t.Fatalf("choose() = %+v, %v, want the control found", choice, err)
		}
		got, err := chromedp.Run(tab.ctx, chromedp.Evaluate[string](`window.clicked`))
		if err != nil || got != "reject" {
			t.Errorf("after choose(), window.clicked = %q, %v, want %q", got, err, "reject")
		}
	})
}

// controlLabels are labels of consent banners' buttons, as pages write
// them, and the kind of control each is (a choosing visitor's id), "" for
// none. TestMatchControl checks them against the rules in Go, and
// TestFindControl in the browser, so that js/controls.js and controlName
// cannot drift apart.
var controlLabels = []struct {
	lang, label, want string
}{
	{"fr", "Tout refuser", charte.VisitorReject},
	{"fr", "  Tout\n\trefuser  ", charte.VisitorReject},
	{"fr", "TOUT REFUSER", charte.VisitorReject},
	{"fr", "× Refuser", charte.VisitorReject},
	{"fr", "Continuer sans accepter →", charte.VisitorReject},
	{"fr", "Uniquement les cookies nécessaires", charte.VisitorReject},
	{"fr", "Tout accepter", charte.VisitorAccept},
	{"fr", "J’accepte", charte.VisitorAccept},
	{"fr", "J'accepte !", charte.VisitorAccept},
	{"fr", "D‘accord", charte.VisitorAccept},
	{"fr", "OK pour moi", charte.VisitorAccept},
	{"fr", "Personnaliser", ""},
	{"fr", "En savoir plus…", ""},
	{"fr", "Tout refuser ou accepter", ""},
	{"en", "Reject All", charte.VisitorReject},
	{"en", "Necessary cookies only.", charte.VisitorReject},
	{"en", "No thanks", charte.VisitorReject},
	{"en", "I Accept", charte.VisitorAccept},
	{"en", "Got it!", charte.VisitorAccept},
	{"en", "Allow all cookies", charte.VisitorAccept},
	{"en", "Cookie settings", ""},
	{"en", "Accept selected", ""},
	{"de", "Alle ablehnen", charte.VisitorReject},
	{"de", "Nur notwendige Cookies", charte.VisitorReject},
	{"de", "Weiter ohne Zustimmung »", charte.VisitorReject},
	{"de", "Alle akzeptieren", charte.VisitorAccept},
	{"de", "Einverstanden", charte.VisitorAccept},
	{"de", "Einstellungen", ""},
	{"es", "Rechazar todo", charte.VisitorReject},
	{"es", "Continuar sin aceptar", charte.VisitorReject},
	{"es", "Aceptar todas las cookies", charte.VisitorAccept},
	{"es", "Acepto", charte.VisitorAccept},
	{"es", "Configurar", ""},
	{"it", "Rifiuta tutto", charte.VisitorReject},
	{"it", "Continua senza accettare", charte.VisitorReject},
	{"it", "Accetta tutto", charte.VisitorAccept},
	{"it", "Accetta e chiudi", charte.VisitorAccept},
	{"it", "Preferenze", ""},
}

func TestMatchControl(t *testing.T) {
	for _, tc := range controlLabels {
		t.Run(tc.lang+"/"+tc.label, func(t *testing.T) {
			if got := matchControl(tc.label); got != tc.want {
				t.Errorf("matchControl(%q) = %q, want %q", tc.label, got, tc.want)
			}
		})
	}
}

func TestControlName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Tout refuser", "tout refuser"},
		{"\u00a0Tout\u00a0 refuser\n", "tout refuser"},
		{"J’accepte", "j'accepte"},
		{"D´accord", "d'accord"},
		{"× ✕ Close ✗", "close"},
		{"› Reject all »", "reject all"},
		{"Accept… ", "accept"},
		{"OK!", "ok"},
		{"...", ""},
		{"", ""},
		{"Tout: refuser", "tout: refuser"}, // only the ends are trimmed
	} {
		if got := controlName(tc.in); got != tc.want {
			t.Errorf("controlName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestControlRules checks the rules' data: each kind has names in every
// language a banner is looked for in, every name is as controlName leaves
// it (else the script would never match it), and no name or selector
// means both reject and accept.
func TestControlRules(t *testing.T) {
	kinds := map[string]string{} // name or selector → kind
	for _, kind := range []string{charte.VisitorReject, charte.VisitorAccept} {
		rules, ok := controls[kind]
		if !ok {
			t.Fatalf("controls[%q] is missing", kind)
		}
		if rules.Charte == "" || len(rules.CMP) == 0 {
			t.Errorf("controls[%q] = %+v, want charte's action and consent platforms' selectors", kind, rules)
		}
		for _, lang := range []string{"fr", "en", "de", "es", "it"} {
			if len(rules.Names[lang]) == 0 {
				t.Errorf("controls[%q] has no names in %s", kind, lang)
			}
		}
		if len(rules.Names) != 5 {
			t.Errorf("controls[%q] has names in %d languages, want fr, en, de, es, it (MarshalJSON lists them)", kind, len(rules.Names))
		}
		for lang, names := range rules.Names {
			for _, n := range names {
				if got := controlName(n); got != n {
					t.Errorf("controls[%q] %s name %q: controlName gives %q, so it never matches", kind, lang, n, got)
				}
			}
		}
		for _, k := range append(slices.Concat(slices.Collect(maps.Values(rules.Names))...), rules.CMP...) {
			if other, ok := kinds[k]; ok && other != kind {
				t.Errorf("%q is a %s control and a %s control", k, other, kind)
			}
			kinds[k] = kind
		}
	}
}

func TestControlsCall(t *testing.T) {
	call := controlsCall(charte.VisitorReject, true)
	i := strings.LastIndex(call, ")(")
	if i < 0 || !strings.HasSuffix(call, ", true)") {
		t.Fatalf("controlsCall = …%s, want the script called with the rules and true", call[max(0, len(call)-80):])
	}
	var got struct {
		Charte string   `json:"charte"`
		CMP    []string `json:"cmp"`
		Names  []string `json:"names"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSuffix(call[i+2:], ", true)")), &got); err != nil {
		t.Fatalf("controlsCall's rules: %v", err)
	}
	want := controls[charte.VisitorReject]
	if got.Charte != want.Charte || !slices.Equal(got.CMP, want.CMP) || got.Names[0] != "tout refuser" || len(got.Names) != len(slices.Concat(slices.Collect(maps.Values(want.Names))...)) {
		t.Errorf("controlsCall's rules = %+v, want those of controls[reject], the names of every language in one list, French first", got)
	}
}
