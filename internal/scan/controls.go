package scan

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/charte/charte/internal/charte"
)

// How a visitor finds the control of a consent banner that makes its
// choice (reject all, accept all), from the surest to the least sure:
// charte's own banner by its data-charte-action attribute; a consent
// platform's control by its known selector; any visible button, link or
// bare text element whose accessible name is one of the names below, once
// normalised by [controlName]. js/controls.js applies these rules in each
// frame of the page; this file holds their data, so that they can be read
// and tested without a browser.

// controlRules are the rules for one kind of control.
type controlRules struct {
	// Charte is the data-charte-action of charte's own banner's button.
	Charte string `json:"charte"`
	// CMP are the selectors of consent platforms' controls, most common
	// first.
	CMP []string `json:"cmp"`
	// Names are the accessible names of such a control, by language, as
	// [controlName] normalises them.
	Names map[string][]string `json:"-"`
}

// controls are the rules of the control each choosing visitor clicks.
var controls = map[string]controlRules{
	charte.VisitorReject: {
		Charte: "reject-all",
		CMP: []string{
			"#onetrust-reject-all-handler",
			"#didomi-notice-disagree-button",
			"#CybotCookiebotDialogBodyButtonDecline",
			"#tarteaucitronAllDenied2",
			"#axeptio_btn_dismiss",
			`.qc-cmp2-summary-buttons button[mode="secondary"]`,
			`[data-testid="uc-deny-all-button"]`,
			"#truste-consent-required",
			".cmplz-btn.cmplz-deny",
			".cky-btn-reject",
			".iubenda-cs-reject-btn",
			".osano-cm-denyAll",
			"#cookiescript_reject",
			".cm-btn.cn-decline",
			".orejime-Notice-declineButton",
			`button[data-cc="accept-necessary"]`,
			`button[data-role="necessary"]`,
		},
		Names: map[string][]string{
			"fr": {"tout refuser", "refuser tout", "tout rejeter", "rejeter tout", "refuser", "rejeter", "je refuse",
				"refuser les cookies", "refuser tous les cookies", "tout refuser et fermer", "refuser et fermer",
				"continuer sans accepter", "non merci", "interdire tous les cookies", "tout interdire",
				"uniquement les cookies nécessaires", "cookies nécessaires uniquement"},
			"en": {"reject all", "reject", "reject all cookies", "reject cookies", "decline", "decline all",
				"decline cookies", "deny", "deny all", "refuse all", "i decline", "disagree", "disallow all",
				"no thanks", "continue without accepting", "necessary cookies only", "only necessary cookies",
				"use necessary cookies only", "only necessary", "essential cookies only"},
			"de": {"alle ablehnen", "alles ablehnen", "ablehnen", "cookies ablehnen", "verweigern", "alle verweigern",
				"nur notwendige", "nur notwendige cookies", "nur essenzielle cookies", "nur erforderliche cookies",
				"weiter ohne zustimmung"},
			"es": {"rechazar todo", "rechazar todas", "rechazar", "rechazar todas las cookies", "rechazar cookies",
				"denegar", "denegar todo", "continuar sin aceptar", "solo cookies necesarias"},
			"it": {"rifiuta tutto", "rifiuta tutti", "rifiuta", "rifiuta i cookie", "rifiuta tutti i cookie", "nega",
				"continua senza accettare", "solo cookie necessari"},
		},
	},
	charte.VisitorAccept: {
		Charte: "accept-all",
		CMP: []string{
			"#onetrust-accept-btn-handler",
			"#didomi-notice-agree-button",
			"#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll",
			"#CybotCookiebotDialogBodyButtonAccept",
			"#tarteaucitronPersonalize2",
			"#axeptio_btn_acceptAll",
			`.qc-cmp2-summary-buttons button[mode="primary"]`,
			`[data-testid="uc-accept-all-button"]`,
			"#truste-consent-button",
			".cmplz-btn.cmplz-accept",
			".cky-btn-accept",
			".iubenda-cs-accept-btn",
			".osano-cm-accept-all",
			"#cookiescript_accept",
			".cm-btn.cm-btn-accept-all",
			".orejime-Notice-saveButton",
			`button[data-cc="accept-all"]`,
			`button[data-role="all"]`,
		},
		Names: map[string][]string{
			"fr": {"tout accepter", "accepter tout", "accepter", "j'accepte", "accepter et fermer", "accepter et continuer",
				"accepter les cookies", "accepter tous les cookies", "tout autoriser", "autoriser", "autoriser tous les cookies",
				"ok pour moi", "d'accord"},
			"en": {"accept all", "accept", "accept all cookies", "accept cookies", "allow all", "allow all cookies",
				"allow cookies", "i accept", "agree", "i agree", "agree and close", "agree and continue", "got it",
				"ok", "okay", "accept and close", "accept and continue"},
			"de": {"alle akzeptieren", "alles akzeptieren", "akzeptieren", "alle cookies akzeptieren", "zustimmen",
				"alle zulassen", "allen zustimmen", "einverstanden", "alle annehmen", "annehmen"},
			"es": {"aceptar todo", "aceptar todas", "aceptar", "aceptar todas las cookies", "aceptar cookies", "acepto",
				"permitir todas", "permitir todo"},
			"it": {"accetta tutto", "accetta tutti", "accetta", "accetta tutti i cookie", "accetto", "consenti tutti",
				"accetta e chiudi"},
		},
	},
}

// MarshalJSON writes the rules as js/controls.js takes them: the names of
// every language in one list.
func (r controlRules) MarshalJSON() ([]byte, error) {
	var names []string
	for _, lang := range []string{"fr", "en", "de", "es", "it"} {
		names = append(names, r.Names[lang]...)
	}
	type plain controlRules // without this method
	return json.Marshal(struct {
		plain
		Names []string `json:"names"`
	}{plain(r), names})
}

// controlName normalises an element's accessible name as js/controls.js
// does before it looks it up in the names: lower case, typographic
// apostrophes made straight, runs of white space made one space, and the
// decorations around a label (×, →, an ellipsis, a final full stop…)
// trimmed. The script first applies Unicode's NFKC normalisation, which
// this function leaves out: every name in [controls] is the same under it.
func controlName(s string) string {
	s = strings.ToLower(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '’', '‘', '`', '´':
			return '\''
		}
		return r
	}, s)
	s = strings.Join(strings.FieldsFunc(s, isJSSpace), " ")
	return strings.TrimFunc(s, func(r rune) bool { return isJSSpace(r) || strings.ContainsRune("×✕✗›»→!.:…", r) })
}

// isJSSpace reports whether r is white space to a JavaScript regular
// expression's \s: Go's white space less U+0085, and U+FEFF.
func isJSSpace(r rune) bool { return unicode.IsSpace(r) && r != '\u0085' || r == '\ufeff' }

// matchControl returns the kind of control (a visitor's id: reject or
// accept) whose names hold the accessible name label, or "" when neither's
// does.
func matchControl(label string) string {
	name := controlName(label)
	for kind, rules := range controls {
		for _, names := range rules.Names {
			for _, n := range names {
				if n == name {
					return kind
				}
			}
		}
	}
	return ""
}

//go:embed js/controls.js
var controlsJS string

// controlsCall returns the script that finds the control of visitor id's
// kind in a frame, and clicks it when click is set.
func controlsCall(id string, click bool) string {
	rules, err := json.Marshal(controls[id])
	if err != nil {
		panic(err) // strings only: a programmer's mistake
	}
	return fmt.Sprintf("(%s)(%s, %t)", controlsJS, rules, click)
}

// control is what js/controls.js answers.
type control struct {
	Rank     int    `json:"rank"`
	By       string `json:"by"`
	Selector string `json:"selector"`
	Text     string `json:"text"`
}

// choose looks for the visitor's consent control (reject or accept) in
// every frame of the page, for up to o.ChoiceTimeout, and clicks it. When
// it clicks, it returns the visit of the page after the click.
func (v *visitor) choose(ctx context.Context, t *tab) (*charte.Choice, charte.PageVisit, error) {
	choice := &charte.Choice{Page: v.start}
	deadline := time.Now().Add(v.o.ChoiceTimeout)
	for {
		cctx, cancel := context.WithTimeout(t.ctx, v.o.PageTimeout)
		w, main, c, err := v.find(cctx, t)
		cancel()
		if ctx.Err() != nil {
			return nil, charte.PageVisit{}, ctx.Err()
		}
		if err == nil && c != nil {
			choice.Found, choice.By, choice.Selector, choice.Text = true, c.By, c.Selector, c.Text
			if !main {
				choice.Frame = w.url
			}
			pv, err := v.click(ctx, t, w)
			return choice, pv, err
		}
		if time.Now().After(deadline) {
			return choice, charte.PageVisit{}, nil
		}
		select {
		case <-ctx.Done():
			return nil, charte.PageVisit{}, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// find returns the frame world holding the best consent control, whether
// it is the page's main frame, and the control; c is nil when there is
// none. Between equal controls, the main frame's, then the first frame's,
// win.
func (v *visitor) find(ctx context.Context, t *tab) (best frameWorld, main bool, c *control, err error) {
	worlds, err := t.worlds(ctx)
	if err != nil {
		return frameWorld{}, false, nil, err
	}
	expr := controlsCall(v.id, false)
	for i, w := range worlds {
		var got *control
		if err := eval(ctx, w, expr, &got); err != nil || got == nil {
			continue
		}
		if c == nil || got.Rank < c.Rank {
			best, main, c = w, i == 0, got
		}
	}
	return best, main, c, nil
}

// click clicks the consent control in w and records the page after it.
func (v *visitor) click(ctx context.Context, t *tab, w frameWorld) (charte.PageVisit, error) {
	vis := &visit{url: v.start, phase: charte.PhaseAfterChoice, hosts: make(map[string]bool)}
	t.begin(vis)
	defer t.begin(nil)
	pctx, cancel := context.WithTimeout(t.ctx, v.o.PageTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	var ignored json.RawMessage
	// The click can navigate and destroy the world before it answers:
	// its error says nothing about the click.
	_ = eval(pctx, w, controlsCall(v.id, true), &ignored)
	var note string
	if err := t.waitIdle(pctx); err != nil {
		if ctx.Err() != nil {
			return charte.PageVisit{}, ctx.Err()
		}
		note = fmt.Sprintf("the network was still busy %s after the click: the page was read as it was", v.o.PageTimeout)
	}
	pv, _, err := v.read(ctx, t, vis, false)
	if err != nil {
		return charte.PageVisit{}, err
	}
	pv.Error = note
	v.progress.page(v.id, v.start)
	return pv, nil
}
