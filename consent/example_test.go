package consent_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/charte/charte/consent"
)

// charterJSON is a charter in the JSON form charte serves at
// /api/v1/sites/{site}/charter.
const charterJSON = `{
  "site": {"id": "shop"},
  "version": "3f9a1c0b2d4e",
  "categories": [{"id": "necessary"}, {"id": "statistics"}],
  "cookies": [
    {"name": "sid", "category": "necessary", "party": "first"},
    {"name": "_pk_id.*", "category": "statistics", "party": "first"}
  ]
}`

// Wrap an application: cookies the visitor has not allowed never leave the
// server, whatever the application does.
func ExampleMiddleware() {
	ch, err := consent.ParseCharter([]byte(charterJSON))
	if err != nil {
		panic(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s3ss10n", HttpOnly: true})
		http.SetCookie(w, &http.Cookie{Name: "_pk_id.1a2b", Value: "visitor"})
	})
	handler := consent.Middleware(ch, consent.Options{})(app)

	// A visitor who has not decided: only the necessary cookie is set.
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	fmt.Println(rec.Header()["Set-Cookie"])
	// Output: [sid=s3ss10n; HttpOnly]
}

// Ask the visitor's decision before doing something that needs consent.
func ExampleAllowed() {
	ch, err := consent.ParseCharter([]byte(charterJSON))
	if err != nil {
		panic(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if consent.Allowed(r, "statistics") {
			fmt.Fprintln(w, "measuring the audience")
			return
		}
		fmt.Fprintln(w, "not measuring")
	})
	handler := consent.Middleware(ch, consent.Options{})(app)

	for _, cookie := range []string{
		"",
		"cookies_preferences=1.q3Zb0vXk2T9mLp4sWc8yAa.3f9a1c0b2d4e.statistics.c.1795860000.4102444800",
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fmt.Print(rec.Body.String())
	}
	// Output:
	// not measuring
	// measuring the audience
}

// Read the decision a visitor's cookie carries.
func ExampleParseCookie() {
	d, err := consent.ParseCookie("1.q3Zb0vXk2T9mLp4sWc8yAa.3f9a1c0b2d4e.marketing~statistics.c.1795860000.1811498400")
	if err != nil {
		fmt.Println("no decision")
		return
	}
	fmt.Println(d.Method, d.Version, d.Allowed("statistics"), d.Allowed("preferences"), d.Expires.Format("2006-01-02"))
	// Output: custom 3f9a1c0b2d4e true false 2027-05-28
}

// Enforce the charter on an upstream response's headers, as a reverse proxy
// does.
func ExampleEnforcer_Enforce() {
	ch, err := consent.ParseCharter([]byte(charterJSON))
	if err != nil {
		panic(err)
	}
	e, err := consent.New(ch, consent.Options{})
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	h := http.Header{"Set-Cookie": {"sid=1", "_pk_id.9=2", "tracker=3"}}
	e.Enforce(req, h)
	fmt.Println(strings.Join(h["Set-Cookie"], ", "), "— undeclared seen:", e.Undeclared())
	// Output: sid=1 — undeclared seen: 1
}

// Find which declared cookie a cookie is, as the middleware does: an exact
// name wins over a pattern, and a longer pattern over a shorter one.
func ExampleMatcher() {
	ch, err := consent.ParseCharter([]byte(charterJSON))
	if err != nil {
		panic(err)
	}
	m := consent.NewMatcher(ch.Cookies)
	for _, name := range []string{"sid", "_pk_id.1a2b", "_ga"} {
		if c, ok := m.Lookup(name); ok {
			fmt.Printf("%s: %s (declared as %s)\n", name, c.Category, c.Name)
		} else {
			fmt.Printf("%s: undeclared\n", name)
		}
	}
	// Output:
	// sid: necessary (declared as sid)
	// _pk_id.1a2b: statistics (declared as _pk_id.*)
	// _ga: undeclared
}
