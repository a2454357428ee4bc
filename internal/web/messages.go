package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/charte/charte/internal/i18n"
)

// languageCookie is the cookie that remembers the visitor's language; it is
// declared, as django_language, in charte's own charter.
const languageCookie = "django_language"

// uiLanguages are the languages of charte's own interface, default first.
var uiLanguages = []string{"fr", "en"}

// messages is the catalogue of the web package's own pages.
var messages = i18n.Catalog{
	"fr": {
		"skip":                 "Aller au contenu",
		"home.title":           "charte — consentement aux cookies, auto-hébergé",
		"home.lead":            "charte tient la charte cookies d'un site comme du code, dans un seul fichier. Elle en tire la page de politique, le bandeau de consentement, la preuve de chaque choix, l'application côté serveur et l'audit du site réel.",
		"home.start":           "Pour commencer",
		"home.policy":          "Lire la charte cookies de charte elle-même",
		"home.sites":           "Sites servis",
		"home.site.version":    "version %s",
		"home.api":             "API JSON",
		"home.api.sites":       "Liste des sites (JSON)",
		"home.ops":             "Exploitation",
		"home.docs":            "La documentation est dans le README du dépôt : format de la charte, commandes, API.",
		"lang.switch":          "Langue",
		"footer":               "Propulsé par charte %s",
		"footer.policy":        "Charte cookies",
		"error.title":          "Erreur %d",
		"error.back":           "Retour à l'accueil",
		"error.request":        "Identifiant de la requête : %s",
		"policy.title":         "Charte cookies — %s",
		"demo.title":           "Démo : le bandeau de charte",
		"demo.lead":            "Cette page intègre le bandeau de consentement du site par défaut. Les deux scripts et le lecteur ci-dessous ne se chargent qu'une fois leur catégorie acceptée ; refuser est aussi simple qu'accepter, et vous pouvez changer d'avis à tout moment.",
		"demo.open":            "Gérer mes choix",
		"demo.decision":        "Votre choix",
		"demo.none":            "Aucun choix enregistré.",
		"demo.scripts":         "Scripts bloqués",
		"demo.stats":           "Script statistique",
		"demo.ads":             "Script publicitaire",
		"demo.blocked":         "bloqué",
		"demo.iframe":          "Contenu intégré bloqué",
		"demo.player":          "Lecteur vidéo de démonstration",
		"demo.player.loaded":   "Lecteur chargé après consentement",
		"demo.embed":           "Intégrer le bandeau sur votre site",
		"home.demo":            "Voir le bandeau en action",
		"home.admin":           "Ouvrir l'administration",
		"home.policy.desc":     "La page de politique que charte tire de sa charte intégrée, dans votre langue.",
		"home.demo.desc":       "Une page de démonstration : le bandeau de consentement, deux scripts et un lecteur vidéo bloqués jusqu'à votre accord.",
		"home.admin.desc":      "Statistiques de consentement, preuves et export. Créez d'abord un compte avec la commande :",
		"home.api.charter":     "Charte du site %s (JSON)",
		"home.health":          "État du service",
		"home.ready":           "Disponibilité",
		"home.metrics":         "Métriques Prometheus",
		"home.admin.command":   "charte user add NOM",
		"home.dev":             "Pour les développeurs et l'exploitation",
		"demo.locale":          "fr-FR",
		"demo.said.accept_all": "Vous avez tout accepté le {date} à {hour} h {minute}.",
		"demo.said.reject_all": "Vous avez tout refusé le {date} à {hour} h {minute}.",
		"demo.said.custom":     "Vous avez enregistré vos choix le {date} à {hour} h {minute}.",
		"demo.said.gpc":        "Votre navigateur a refusé pour vous, par le signal Global Privacy Control, le {date} à {hour} h {minute}.",
		"demo.said.withdraw":   "Vous avez retiré votre consentement le {date} à {hour} h {minute}.",
		"demo.granted":         "Catégories autorisées : {names}.",
		"demo.receipt":         "Identifiant de la preuve : {id}",
		"demo.receipt.pending": "Identifiant de la preuve : en cours d'enregistrement…",
		"demo.embed.lead":      "Ajoutez cette ligne dans l'élément head de chaque page :",
		"error.name.400":       "Demande invalide",
		"error.name.401":       "Identification requise",
		"error.name.403":       "Accès refusé",
		"error.name.404":       "Page introuvable",
		"error.name.409":       "Conflit",
		"error.name.413":       "Demande trop volumineuse",
		"error.name.429":       "Trop de demandes",
		"error.name.500":       "Erreur interne",
		"error.body.400":       "La demande n'a pas pu être traitée telle qu'elle a été envoyée.",
		"error.body.401":       "Vous devez vous identifier pour accéder à cette page.",
		"error.body.403":       "Vous n'avez pas accès à cette page.",
		"error.body.404":       "Aucune page ne se trouve à cette adresse. Vérifiez l'adresse, ou repartez de l'accueil.",
		"error.body.409":       "La demande est en conflit avec l'état actuel du service.",
		"error.body.413":       "La demande dépasse la taille autorisée.",
		"error.body.429":       "Trop de demandes ont été envoyées en peu de temps. Réessayez dans un instant.",
		"error.body.500":       "Une erreur interne s'est produite. Réessayez plus tard ; si elle persiste, communiquez l'identifiant ci-dessous à l'exploitant du service.",
	},
	"en": {
		"skip":                 "Skip to content",
		"home.title":           "charte — self-hosted cookie consent",
		"home.lead":            "charte keeps a site's cookie charter as code, in one file. From it, it derives the policy page, the consent banner, the proof of every choice, server-side enforcement and the audit of the live site.",
		"home.start":           "Getting started",
		"home.policy":          "Read charte's own cookie policy",
		"home.sites":           "Sites served",
		"home.site.version":    "version %s",
		"home.api":             "JSON API",
		"home.api.sites":       "List of sites (JSON)",
		"home.ops":             "Operations",
		"home.docs":            "The documentation is in the repository's README: the charter format, the commands, the API.",
		"lang.switch":          "Language",
		"footer":               "Powered by charte %s",
		"footer.policy":        "Cookie policy",
		"error.title":          "Error %d",
		"error.back":           "Back to the home page",
		"error.request":        "Request id: %s",
		"policy.title":         "Cookie policy — %s",
		"demo.title":           "Demo: charte's banner",
		"demo.lead":            "This page embeds the default site's consent banner. The two scripts and the player below load only once their category is allowed; refusing is as easy as accepting, and you can change your mind at any time.",
		"demo.open":            "Manage my choices",
		"demo.decision":        "Your choice",
		"demo.none":            "No choice recorded.",
		"demo.scripts":         "Blocked scripts",
		"demo.stats":           "Statistics script",
		"demo.ads":             "Advertising script",
		"demo.blocked":         "blocked",
		"demo.iframe":          "Blocked embedded content",
		"demo.player":          "Demo video player",
		"demo.player.loaded":   "Player loaded after consent",
		"demo.embed":           "Embed the banner on your site",
		"home.demo":            "See the banner at work",
		"home.admin":           "Open the back office",
		"home.policy.desc":     "The policy page charte derives from its built-in charter, in your language.",
		"home.demo.desc":       "A demo page: the consent banner, two scripts and a video player that stay blocked until you agree.",
		"home.admin.desc":      "Consent statistics, receipts and export. First create an account with the command:",
		"home.api.charter":     "Charter of the site %s (JSON)",
		"home.health":          "Health",
		"home.ready":           "Readiness",
		"home.metrics":         "Prometheus metrics",
		"home.admin.command":   "charte user add NAME",
		"home.dev":             "For developers and operators",
		"demo.locale":          "en-GB",
		"demo.said.accept_all": "You accepted all on {date} at {hour}:{minute}.",
		"demo.said.reject_all": "You refused all on {date} at {hour}:{minute}.",
		"demo.said.custom":     "You saved your choices on {date} at {hour}:{minute}.",
		"demo.said.gpc":        "Your browser refused for you, with the Global Privacy Control signal, on {date} at {hour}:{minute}.",
		"demo.said.withdraw":   "You withdrew your consent on {date} at {hour}:{minute}.",
		"demo.granted":         "Categories allowed: {names}.",
		"demo.receipt":         "Receipt id: {id}",
		"demo.receipt.pending": "Receipt id: being recorded…",
		"demo.embed.lead":      "Add this line to the head element of every page:",
		"error.name.400":       "Invalid request",
		"error.name.401":       "Sign-in required",
		"error.name.403":       "Access denied",
		"error.name.404":       "Page not found",
		"error.name.409":       "Conflict",
		"error.name.413":       "Request too large",
		"error.name.429":       "Too many requests",
		"error.name.500":       "Internal error",
		"error.body.400":       "The request could not be processed as it was sent.",
		"error.body.401":       "You must sign in to see this page.",
		"error.body.403":       "You do not have access to this page.",
		"error.body.404":       "There is no page at this address. Check the address, or start again from the home page.",
		"error.body.409":       "The request conflicts with the current state of the service.",
		"error.body.413":       "The request is larger than allowed.",
		"error.body.429":       "Too many requests were sent in a short time. Try again in a moment.",
		"error.body.500":       "An internal error occurred. Try again later; if it persists, give the id below to the service's operator.",
	},
}

// negotiate picks the language of a response among supported (nil: charte's
// own interface languages): ?lang=, then the django_language cookie, then
// Accept-Language, then the first supported.
func (s *Server) negotiate(r *http.Request, supported []string) string {
	if supported == nil {
		supported = uiLanguages
	}
	var cookie string
	if c, err := r.Cookie(languageCookie); err == nil {
		cookie = c.Value
	}
	return i18n.Negotiate(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language"), supported)
}

// rememberLanguage sets django_language when the visitor picked a language
// with ?lang= (the language switch), so later pages follow the choice.
func (s *Server) rememberLanguage(w http.ResponseWriter, r *http.Request, lang string) {
	if r.URL.Query().Get("lang") != lang || s.basePath != "" {
		// Under a base path charte shares its origin with an application
		// (charte proxy), whose charter does not declare charte's language
		// cookie: ?lang= then only applies to the page asked for.
		return
	}
	if c, err := r.Cookie(languageCookie); err == nil && c.Value == lang {
		return
	}
	s.setLanguageCookie(w, r, lang)
}

// setLanguageCookie sets django_language.
func (s *Server) setLanguageCookie(w http.ResponseWriter, r *http.Request, lang string) {
	http.SetCookie(w, &http.Cookie{
		Name:     languageCookie,
		Value:    lang,
		Path:     s.basePath + "/",
		MaxAge:   int((365 * 24 * time.Hour).Seconds()), // declared lifetime: 1y
		HttpOnly: true,
		Secure:   s.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// isHTTPS reports whether the visitor reached charte over TLS: directly, or
// through a trusted reverse proxy that says so (X-Forwarded-Proto), or
// because charte's public URL is https.
func (s *Server) isHTTPS(r *http.Request) bool {
	switch {
	case r.TLS != nil:
		return true
	case s.publicURL != "":
		return strings.HasPrefix(s.publicURL, "https://")
	case s.trustProxy:
		return strings.EqualFold(strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]), "https")
	}
	return false
}

// origin returns the origin visitors reach charte at: the public URL when
// one is configured, else the request's own (with X-Forwarded-Host and
// -Proto from a trusted proxy).
func (s *Server) origin(r *http.Request) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	host := r.Host
	if s.trustProxy {
		if fh := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Host"), ",")[0]); fh != "" {
			host = fh
		}
	}
	if s.isHTTPS(r) {
		return "https://" + host
	}
	return "http://" + host
}
