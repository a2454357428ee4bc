package charte

// builtinCategories are the default texts of the built-in categories, in
// French and English, written for charte after the CNIL's 2020 guidelines
// and recommendation on cookies: what each purpose covers and whether it
// needs the visitor's consent.
var builtinCategories = []Category{
	{
		ID: CategoryNecessary,
		Name: Text{
			"fr": "Cookies nécessaires",
			"en": "Necessary cookies",
		},
		Description: Text{
			"fr": "Ces cookies sont indispensables au fonctionnement du site : ils permettent par exemple de vous identifier une fois connecté, de mémoriser votre langue, de sécuriser les formulaires ou de retenir vos choix en matière de cookies. Ils ne requièrent pas votre consentement et ne peuvent pas être désactivés.",
			"en": "These cookies are essential for the site to work: for example, they keep you signed in, remember your language, secure forms or remember your cookie choices. They do not require your consent and cannot be switched off.",
		},
	},
	{
		ID: CategoryPreferences,
		Name: Text{
			"fr": "Cookies de préférences",
			"en": "Preference cookies",
		},
		Description: Text{
			"fr": "Ces cookies retiennent des choix de présentation ou de confort qui ne sont pas indispensables au service que vous demandez, comme un thème ou une mise en page. Ils ne sont déposés qu'avec votre consentement.",
			"en": "These cookies remember display or comfort choices that are not essential to the service you asked for, such as a theme or a layout. They are set only with your consent.",
		},
	},
	{
		ID: CategoryStatistics,
		Name: Text{
			"fr": "Cookies statistiques",
			"en": "Statistics cookies",
		},
		Description: Text{
			"fr": "Ces cookies mesurent l'audience du site et la façon dont il est utilisé, afin de l'améliorer. Lorsque la mesure est anonyme et sert uniquement au site lui-même, elle est exemptée de consentement : elle est alors active par défaut et vous pouvez vous y opposer. Sinon, ces cookies ne sont déposés qu'avec votre consentement.",
			"en": "These cookies measure the site's audience and how it is used, in order to improve it. When the measurement is anonymous and serves only the site itself, it is exempt from consent: it is then on by default and you can object to it. Otherwise these cookies are set only with your consent.",
		},
	},
	{
		ID: CategoryMarketing,
		Name: Text{
			"fr": "Cookies publicitaires",
			"en": "Marketing cookies",
		},
		Description: Text{
			"fr": "Ces cookies, souvent déposés par des tiers, suivent votre navigation sur ce site et sur d'autres afin de vous présenter des publicités ciblées ou de mesurer leur efficacité. Ils ne sont déposés qu'avec votre consentement, que vous pouvez retirer à tout moment.",
			"en": "These cookies, often set by third parties, follow your browsing on this site and others in order to show you targeted advertising or measure its effect. They are set only with your consent, which you can withdraw at any time.",
		},
	},
}

// BuiltinCategory returns the built-in category with the given id, with its
// default texts, and whether there is one.
func BuiltinCategory(id string) (Category, bool) {
	for _, c := range builtinCategories {
		if c.ID == id {
			c.Name = cloneText(c.Name)
			c.Description = cloneText(c.Description)
			return c, true
		}
	}
	return Category{}, false
}

// BuiltinCategoryIDs returns the ids of the built-in categories, necessary first.
func BuiltinCategoryIDs() []string {
	ids := make([]string, len(builtinCategories))
	for i, c := range builtinCategories {
		ids[i] = c.ID
	}
	return ids
}

func cloneText(t Text) Text {
	out := make(Text, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}
