package i18n

// bannerFR are the banner's texts in French.
var bannerFR = map[string]string{
	"title":      "Vos choix en matière de cookies",
	"body":       "Ce site utilise des cookies, dont certains seulement avec votre accord. Refuser est aussi simple qu'accepter, et vous pouvez changer d'avis à tout moment.",
	"accept_all": "Tout accepter",
	"reject_all": "Tout refuser",
	"customize":  "Person\u00adnaliser", // a soft hyphen: at 320 px, the word is wider than its button
	"save":       "Enregistrer mes choix",
	"close":      "Continuer sans accepter",
	"back":       "Fermer",
	"prefs":      "Paramètres des cookies",
	"policy":     "Lire la charte cookies",
	"cookies":    "Cookies",
	"provider":   "Fournisseur\u00a0: ",
	"lifetime":   "durée\u00a0: ",
	"allow":      "Autoriser «\u00a0%s\u00a0» pour afficher ce contenu",
	"session":    "fin de la session",
	"on":         "Toujours actif",
	"details":    "Détails",
	// The placeholder of a named service's content: its name, its provider,
	// the category's name.
	"service": "Ce contenu est fourni par %s (%s), qui peut déposer des cookies sur votre appareil. Il ne s'affiche qu'avec votre accord pour la catégorie «\u00a0%s\u00a0».",
	"open":    "Voir ce contenu sur %s",
}
