package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdmin signs in to the back office in real Chromium, switches
// its language and opens the dashboard, under the back office's CSP (no
// script at all): every step is a plain form.
func TestBrowserAdmin(t *testing.T) {
	browser := MustBrowser(t)
	e := MustAdminEnv(t)
	b := newTab(t, browser)

	b.do("open the back office", chromedp.Navigate(e.srv.URL+"/admin/"))
	waitAcrossNavigation(b, "the sign-in page", `location.pathname === '/admin/login' && !!document.querySelector('#username')`)
	// Headless Chromium asks for English (Accept-Language).
	if lang := eval[string](b, `document.documentElement.lang`); lang != "en" {
		t.Errorf("sign-in page in %q, want English from Accept-Language", lang)
	}
	b.do("type the name and password",
		chromedp.SendKeys(chromedp.CSS("#username"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), adminPassword),
	)
	b.click("the sign-in button", `document.querySelector('main button[type=submit]')`)
	waitAcrossNavigation(b, "the dashboard", `location.pathname === '/admin/' && document.querySelector('h1')?.textContent === 'Dashboard'`)

	b.click("the French switch", `document.querySelector('button[name=lang][value=fr]')`)
	waitAcrossNavigation(b, "the French dashboard", `document.documentElement.lang === 'fr' && document.querySelector('h1')?.textContent === 'Tableau de bord'`)
	if !eval[bool](b, `!!document.querySelector('svg.chart') && document.querySelectorAll('table').length >= 1`) {
		t.Error("the dashboard has no chart or table")
	}
	cookies := b.cookies(e.srv.URL + "/admin/")
	for _, name := range []string{"sessionid", "csrftoken", "django_language"} {
		if cookies[name] == nil {
			t.Errorf("after signing in and switching language, no %s cookie", name)
		}
	}
	if c := cookies["sessionid"]; c != nil && !c.HTTPOnly {
		t.Error("sessionid is readable by scripts")
	}

	b.click("sign out", `[...document.querySelectorAll('button')].find(x => x.textContent === 'Se déconnecter')`)
	waitAcrossNavigation(b, "the sign-in page again", `location.pathname === '/admin/login'`)
	b.do("open the dashboard after signing out", chromedp.Navigate(e.srv.URL+"/admin/"))
	waitAcrossNavigation(b, "a redirect to sign in", `location.pathname === '/admin/login'`)
}

// waitAcrossNavigation waits until a JavaScript expression is true in the
// tab's current page, asking again after each navigation (a form post
// replaces the page, which ends an in-page poll).
func waitAcrossNavigation(b *tab, what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("waiting for %s (%s): last error %v", what, expr, err)
		}
		time.Sleep(25 * time.Millisecond) // the page is loading: ask again shortly
	}
}
