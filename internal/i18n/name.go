package i18n

import "strings"

// names are languages' names in themselves, capitalised as at the start of a
// sentence, for a language switch: the official languages of the European
// Union, the regional languages of France, and other widely used ones.
var names = map[string]string{
	"ar": "العربية",
	"bg": "Български",
	"br": "Brezhoneg",
	"bs": "Bosanski",
	"ca": "Català",
	"co": "Corsu",
	"cs": "Čeština",
	"cy": "Cymraeg",
	"da": "Dansk",
	"de": "Deutsch",
	"el": "Ελληνικά",
	"en": "English",
	"es": "Español",
	"et": "Eesti",
	"eu": "Euskara",
	"fa": "فارسی",
	"fi": "Suomi",
	"fr": "Français",
	"ga": "Gaeilge",
	"gl": "Galego",
	"he": "עברית",
	"hi": "हिन्दी",
	"hr": "Hrvatski",
	"hu": "Magyar",
	"id": "Bahasa Indonesia",
	"is": "Íslenska",
	"it": "Italiano",
	"ja": "日本語",
	"ko": "한국어",
	"lb": "Lëtzebuergesch",
	"lt": "Lietuvių",
	"lv": "Latviešu",
	"mk": "Македонски",
	"mt": "Malti",
	"nb": "Norsk bokmål",
	"nl": "Nederlands",
	"nn": "Norsk nynorsk",
	"no": "Norsk",
	"oc": "Occitan",
	"pl": "Polski",
	"pt": "Português",
	"ro": "Română",
	"ru": "Русский",
	"sk": "Slovenčina",
	"sl": "Slovenščina",
	"sq": "Shqip",
	"sr": "Српски",
	"sv": "Svenska",
	"tr": "Türkçe",
	"uk": "Українська",
	"vi": "Tiếng Việt",
	"zh": "中文",
}

// Name returns lang's name in lang itself ("Français", "English",
// "Deutsch"), for a language switch. A regional variant gets its base
// language's name ("fr-CA" is "Français"); an unknown code is returned as is.
func Name(lang string) string {
	l := strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	if n, ok := names[l]; ok {
		return n
	}
	if base, _, ok := strings.Cut(l, "-"); ok {
		if n, ok := names[base]; ok {
			return n
		}
	}
	return lang
}
