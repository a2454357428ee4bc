package scan

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/scan/scantest"
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
	browser := scantest.MustBrowser(t)
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
	v := &visitor{o: o, rec: newRecorder("", "127.0.0.1"), progress: &sync.Mutex{}}
	v.b, err = launch(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer v.b.close()
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
