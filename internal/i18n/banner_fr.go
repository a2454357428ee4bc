package i18n

// bannerFR are the banner's texts in French.
var bannerFR = map[string]string{
	"title":      "Vos choix en matière de cookies",
	"body":       "Ce site utilise des cookies, dont certains seulement avec votre accord. Refuser est aussi simple qu'accepter, et vous pouvez changer d'avis à tout moment.",
	"accept_all": "Tout accepter",
	"reject_all": "Tout refuser",
	"customize":  "Personnaliser",
	"save":       "Enregistrer mes choix",
	"close":      "Continuer sans accepter",
	"back":       "Fermer",
	"prefs":      "Paramètres des cookies",
	"policy":     "Lire la charte cookies",
	"cookies":    "Cookies",
	"provider":   "Fournisseur : ",
	"lifetime":   "durée : ",
	"allow":      "Autoriser « %s » pour afficher ce contenu",
	"session":    "fin de la session",
}
