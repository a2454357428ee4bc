package i18n

// bannerEN are the banner's texts in English, the fallback of every
// language the banner has no texts in.
var bannerEN = map[string]string{
	"title":      "Your cookie choices",
	"body":       "This site uses cookies, some only with your consent. Refusing is as easy as accepting, and you can change your mind at any time.",
	"accept_all": "Accept all",
	"reject_all": "Reject all",
	"customize":  "Customise",
	"save":       "Save my choices",
	"close":      "Continue without accepting",
	"back":       "Close",
	"prefs":      "Cookie settings",
	"policy":     "Read the cookie policy",
	"cookies":    "Cookies",
	"provider":   "Provider: ",
	"lifetime":   "lifetime: ",
	"allow":      "Allow “%s” to show this content",
	"session":    "end of session",
	"on":         "Always on",
	"details":    "Details",
	// The placeholder of a named service's content: its name, its provider,
	// the category's name.
	"service": "This content is provided by %s (%s), which may place cookies on your device. It is shown only with your consent to the “%s” category.",
	"open":    "View this content on %s",
}
