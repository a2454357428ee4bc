package services

import (
	"fmt"

	"github.com/charte/charte/internal/charte"
)

// The catalogue's data. Facts (cookies, lifetimes, hosts, parameters, tag
// URLs) come from each service's Sources and, for cookies, from
// internal/knowledge (the Open Cookie Database) where it knows them;
// purposes are charte's own words. Lifetimes are rounded up to the units a
// charter writes (30 minutes is 1h). A cookie the vendor keeps longer than
// 13 months is left out when the site cannot shorten it (a third party's
// cookie): charte's check refuses such a lifetime outside the necessary
// category (see docs/decisions.md, "Services").

// Party shorthands.
const (
	first = charte.PartyFirst
	third = charte.PartyThird
)

// ck returns a cookie of a service: lifetime is "session" or a duration
// (13mo); domain is "" for a cookie set on the site's own domain.
func ck(name, lifetime string, party charte.Party, domain string) charte.Cookie {
	l, err := charte.ParseLifetime(lifetime)
	if err != nil {
		panic(fmt.Sprintf("services: cookie %s: %v", name, err)) // the tests load every service
	}
	return charte.Cookie{Name: name, Lifetime: l, Party: party, Domain: domain}
}

// with returns k with its own purpose, in French and English, in place of
// the service's.
func with(k charte.Cookie, fr, en string) charte.Cookie {
	k.Purpose = text(fr, en)
	return k
}

// text returns a purpose in French and English.
func text(fr, en string) charte.Text { return charte.Text{"fr": fr, "en": en} }

// Params shared by several services.
var (
	uuidPattern = `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`
)

// Providers: the legal entity that serves European visitors.
const (
	google    = "Google Ireland Limited"
	meta      = "Meta Platforms Ireland Limited"
	microsoft = "Microsoft Ireland Operations Limited"
)

// Consent Mode signals.
var (
	cmAnalytics = []string{"analytics_storage"}
	cmAds       = []string{"ad_storage", "ad_user_data", "ad_personalization"}
	cmAll       = []string{"analytics_storage", "ad_storage", "ad_user_data", "ad_personalization"}
)

const consentModeDoc = "https://developers.google.com/tag-platform/security/guides/consent"

// data returns the built-in services, in the order that settles a host two
// of them list (the first wins): the more specific service first.
func data() []*charte.ServiceDef {
	return []*charte.ServiceDef{
		// Audience measurement.
		{
			ID: "google-analytics-4", Name: "Google Analytics 4", Provider: google, Category: charte.CategoryStatistics,
			Purpose: text("Mesure l'audience du site et l'usage qui en est fait pour le compte du site, au moyen d'un identifiant de navigateur\u00a0; les données sont traitées par Google.",
				"Measures the site's audience and how it is used on the site's behalf, by means of a browser identifier; the data is processed by Google."),
			Params: []charte.ServiceParam{{Name: "measurement_id", Pattern: `^G-[A-Z0-9]{4,12}$`, Required: true, Example: "G-XXXXXXXXXX", Description: "a Google Analytics 4 measurement id"}},
			// Google sets both for 2 years by default; the gtag loader
			// passes cookie_expires so that they last 13 months, the most
			// the CNIL allows.
			Cookies:     []charte.Cookie{ck("_ga", "13mo", first, ""), ck("_ga_*", "13mo", first, "")},
			Hosts:       []string{"www.googletagmanager.com", "*.google-analytics.com", "*.analytics.google.com"},
			Tag:         &charte.TagSpec{Loader: "gtag", Src: "https://www.googletagmanager.com/gtag/js?id={measurement_id}"},
			ConsentMode: cmAnalytics,
			Sources:     []string{"https://support.google.com/analytics/answer/11397207", "https://developers.google.com/tag-platform/gtagjs/install", consentModeDoc},
		},
		{
			ID: "google-tag-manager", Name: "Google Tag Manager", Provider: google, Category: charte.CategoryStatistics,
			Purpose: text("Charge les balises de mesure et de publicité que le site configure dans son conteneur\u00a0; chacune ne dépose ses cookies que selon les choix transmis par le mode consentement de Google.",
				"Loads the measurement and advertising tags the site configures in its container; each sets its cookies only as the choices passed by Google's consent mode allow."),
			Params:      []charte.ServiceParam{{Name: "container_id", Pattern: `^GTM-[A-Z0-9]{4,10}$`, Required: true, Example: "GTM-XXXXXXX", Description: "a Google Tag Manager container id"}},
			Hosts:       []string{"www.googletagmanager.com"},
			Tag:         &charte.TagSpec{Loader: "gtm", Src: "https://www.googletagmanager.com/gtm.js?id={container_id}"},
			ConsentMode: cmAll,
			Sources:     []string{"https://developers.google.com/tag-platform/tag-manager/web", consentModeDoc},
		},
		{
			// Matomo runs on a server the site chooses (its own, or Matomo
			// Cloud by InnoCraft Ltd): the provider is the software.
			ID: "matomo", Name: "Matomo", Provider: "Matomo", Category: charte.CategoryStatistics, Exemptable: true,
			Purpose: text("Mesure l'audience du site pour son seul compte, sur le serveur Matomo qu'il désigne\u00a0; dans sa configuration exemptée, la mesure est anonyme et vous pouvez vous y opposer.",
				"Measures the site's audience for the site alone, on the Matomo server it designates; in its exempt configuration the measurement is anonymous and you can object to it."),
			Params: []charte.ServiceParam{
				{Name: "url", Pattern: `^https://[a-z0-9.-]+(:[0-9]+)?(/[^\s?#]*)?/$`, Required: true, Example: "https://stats.example.org/", Description: "the address of a Matomo server, ending in /"},
				{Name: "site_id", Pattern: `^[0-9]{1,9}$`, Required: true, Example: "1", Description: "a Matomo site id (a number)"},
			},
			Cookies: []charte.Cookie{
				with(ck("_pk_id.*", "13mo", first, ""),
					"Distingue les visiteurs d'une visite à l'autre pour la mesure d'audience du site.",
					"Tells visitors apart from one visit to the next for the site's audience measurement."),
				with(ck("_pk_ses.*", "1h", first, ""),
					"Rattache les pages vues au cours d'une même visite.",
					"Links the pages viewed during one visit."),
				with(ck("_pk_ref.*", "6mo", first, ""),
					"Retient le site d'où provient la visite.",
					"Remembers the site the visit came from."),
			},
			Hosts:   []string{"cdn.matomo.cloud", "*.matomo.cloud"},
			Tag:     &charte.TagSpec{Loader: "matomo", Src: "{url}matomo.js"},
			Sources: []string{"https://matomo.org/faq/general/faq_146/", "https://matomo.org/faq/how-do-i-configure-matomo-without-tracking-consent-for-french-visitors-cnil-exemption", "https://www.cnil.fr/fr/cookies-solutions-pour-les-outils-de-mesure-daudience"},
		},
		{
			ID: "piano-analytics", Name: "Piano Analytics", Provider: "AT Internet SAS (Piano)", Category: charte.CategoryStatistics, Exemptable: true,
			Purpose: text("Mesure l'audience du site pour son compte\u00a0; dans sa configuration exemptée, la mesure est anonyme et vous pouvez vous y opposer.",
				"Measures the site's audience on its behalf; in its exempt configuration the measurement is anonymous and you can object to it."),
			Params: []charte.ServiceParam{
				{Name: "site_id", Pattern: `^[0-9]{1,10}$`, Required: true, Example: "123456", Description: "a Piano Analytics site id (a number)"},
				{Name: "collect_domain", Pattern: `^https://[a-z0-9.-]+$`, Required: true, Example: "https://xxxxxxx.pa-cd.com", Description: "a Piano Analytics collection domain, as https://host"},
			},
			Cookies: []charte.Cookie{ck("_pcid", "13mo", first, ""), ck("_pctx", "13mo", first, ""), ck("pa_user", "13mo", first, "")},
			Hosts:   []string{"tag.aticdn.net", "*.pa-cd.com"},
			Tag:     &charte.TagSpec{Loader: "piano", Src: "https://tag.aticdn.net/piano-analytics.js"},
			Sources: []string{"https://developers.atinternet-solutions.com/piano-analytics/", "https://www.cnil.fr/fr/cookies-solutions-pour-les-outils-de-mesure-daudience"},
		},
		{
			ID: "at-internet", Name: "AT Internet SmartTag", Provider: "AT Internet SAS (Piano)", Category: charte.CategoryStatistics, Exemptable: true,
			Purpose: text("Mesure l'audience du site pour son compte avec l'ancien marqueur d'AT Internet\u00a0; dans sa configuration exemptée, la mesure est anonyme et vous pouvez vous y opposer.",
				"Measures the site's audience on its behalf with AT Internet's former tag; in its exempt configuration the measurement is anonymous and you can object to it."),
			Params:  []charte.ServiceParam{{Name: "site_id", Pattern: `^[0-9]{1,10}$`, Required: true, Example: "123456", Description: "an AT Internet site id (a number)"}},
			Cookies: []charte.Cookie{ck("atuserid", "13mo", first, ""), ck("atidvisitor", "6mo", first, "")},
			Hosts:   []string{"*.xiti.com", "*.ati-host.net"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://tag.aticdn.net/{site_id}/smarttag.js"},
			Sources: []string{"https://developers.atinternet-solutions.com/as2-tagging-en/javascript-en/", "https://www.cnil.fr/fr/cookies-solutions-pour-les-outils-de-mesure-daudience"},
		},
		{
			ID: "plausible", Name: "Plausible Analytics", Provider: "Plausible Insights OÜ", Category: charte.CategoryStatistics,
			Purpose: text("Mesure l'audience du site pour son compte, sans cookie ni identifiant conservé d'une visite à l'autre.",
				"Measures the site's audience on its behalf, with no cookie and no identifier kept from one visit to the next."),
			Params:  []charte.ServiceParam{{Name: "domain", Pattern: `^[a-z0-9.-]+\.[a-z]{2,}$`, Required: true, Example: "example.org", Description: "the site's domain as Plausible knows it"}},
			Hosts:   []string{"plausible.io"},
			Tag:     &charte.TagSpec{Loader: "plausible", Src: "https://plausible.io/js/script.js"},
			Sources: []string{"https://plausible.io/docs/plausible-script", "https://plausible.io/data-policy"},
		},
		{
			ID: "fathom", Name: "Fathom Analytics", Provider: "Conva Ventures Inc.", Category: charte.CategoryStatistics,
			Purpose: text("Mesure l'audience du site pour son compte, sans cookie.",
				"Measures the site's audience on its behalf, without cookies."),
			Params:  []charte.ServiceParam{{Name: "site_id", Pattern: `^[A-Z]{5,10}$`, Required: true, Example: "ABCDEFGH", Description: "a Fathom site id (capital letters)"}},
			Hosts:   []string{"cdn.usefathom.com", "cdn-eu.usefathom.com"},
			Tag:     &charte.TagSpec{Loader: "fathom", Src: "https://cdn.usefathom.com/script.js"},
			Sources: []string{"https://usefathom.com/docs/script/embed", "https://usefathom.com/privacy"},
		},
		{
			ID: "microsoft-clarity", Name: "Microsoft Clarity", Provider: microsoft, Category: charte.CategoryStatistics,
			Purpose: text("Enregistre la façon dont les pages sont parcourues (clics, défilement, mouvements) afin d'en produire des cartes de chaleur et des rediffusions de sessions pour le site.",
				"Records how pages are browsed (clicks, scrolling, movements) to produce heatmaps and session replays for the site."),
			Params:  []charte.ServiceParam{{Name: "project_id", Pattern: `^[a-z0-9]{8,12}$`, Required: true, Example: "abcdef1234", Description: "a Clarity project id"}},
			Cookies: []charte.Cookie{ck("_clck", "1y", first, ""), ck("_clsk", "session", first, ""), ck("CLID", "1y", third, ".clarity.ms")},
			Hosts:   []string{"www.clarity.ms", "*.clarity.ms"},
			Tag:     &charte.TagSpec{Loader: "clarity", Src: "https://www.clarity.ms/tag/{project_id}"},
			Sources: []string{"https://learn.microsoft.com/en-us/clarity/setup-and-installation/cookie-list", "https://learn.microsoft.com/en-us/clarity/setup-and-installation/cookie-consent"},
		},
		{
			ID: "hotjar", Name: "Hotjar", Provider: "Hotjar Ltd", Category: charte.CategoryStatistics,
			Purpose: text("Enregistre la façon dont les pages sont parcourues afin d'en produire des cartes de chaleur, des enregistrements de sessions et des enquêtes pour le site.",
				"Records how pages are browsed to produce heatmaps, session recordings and surveys for the site."),
			Params:  []charte.ServiceParam{{Name: "site_id", Pattern: `^[0-9]{5,10}$`, Required: true, Example: "1234567", Description: "a Hotjar site id (a number)"}},
			Cookies: []charte.Cookie{ck("_hjSessionUser_*", "365d", first, ""), ck("_hjSession_*", "1h", first, ""), ck("_hjid", "365d", first, "")},
			Hosts:   []string{"*.hotjar.com", "*.hotjar.io"},
			Tag:     &charte.TagSpec{Loader: "hotjar", Src: "https://static.hotjar.com/c/hotjar-{site_id}.js?sv=6"},
			Sources: []string{"https://help.hotjar.com/hc/en-us/articles/6952777582999-Cookies-Set-by-the-Hotjar-Tracking-Code"},
		},

		// Advertising.
		{
			ID: "google-ads", Name: "Google Ads", Provider: google, Category: charte.CategoryMarketing,
			Purpose: text("Mesure les conversions issues des publicités Google du site et permet de présenter ses publicités aux personnes qui l'ont visité.",
				"Measures the conversions that come from the site's Google ads and lets it show its ads to people who visited it."),
			Params:      []charte.ServiceParam{{Name: "conversion_id", Pattern: `^AW-[0-9]{6,12}$`, Required: true, Example: "AW-123456789", Description: "a Google Ads conversion id"}},
			Cookies:     []charte.Cookie{ck("_gcl_au", "3mo", first, ""), ck("_gcl_aw", "90d", first, ""), ck("_gcl_gs", "90d", first, "")},
			Hosts:       []string{"www.googleadservices.com", "googleads.g.doubleclick.net"},
			Tag:         &charte.TagSpec{Loader: "gtag", Src: "https://www.googletagmanager.com/gtag/js?id={conversion_id}"},
			ConsentMode: cmAds,
			Sources:     []string{"https://business.safety.google/adscookies/", "https://support.google.com/google-ads/answer/7548399", consentModeDoc},
		},
		{
			ID: "google-campaign-manager", Name: "Google Campaign Manager 360 (Floodlight)", Provider: google, Category: charte.CategoryMarketing,
			Purpose: text("Mesure les visites et les conversions issues des campagnes publicitaires du site diffusées par Google.",
				"Measures the visits and conversions that come from the site's advertising campaigns served by Google."),
			Params:      []charte.ServiceParam{{Name: "advertiser_id", Pattern: `^DC-[0-9]{6,10}$`, Required: true, Example: "DC-1234567", Description: "a Floodlight advertiser id"}},
			Cookies:     []charte.Cookie{ck("_gcl_dc", "3mo", first, "")},
			Hosts:       []string{"*.doubleclick.net"},
			Tag:         &charte.TagSpec{Loader: "gtag", Src: "https://www.googletagmanager.com/gtag/js?id={advertiser_id}"},
			ConsentMode: cmAds,
			Sources:     []string{"https://business.safety.google/adscookies/", "https://support.google.com/campaignmanager/answer/7554821"},
		},
		{
			ID: "google-adsense", Name: "Google AdSense", Provider: google, Category: charte.CategoryMarketing,
			Purpose: text("Affiche sur le site des publicités choisies par Google, le cas échéant en fonction de votre navigation, et en mesure l'audience.",
				"Shows on the site ads chosen by Google, where applicable according to your browsing, and measures their audience."),
			Params:      []charte.ServiceParam{{Name: "client", Pattern: `^ca-pub-[0-9]{16}$`, Required: true, Example: "ca-pub-1234567890123456", Description: "an AdSense publisher id"}},
			Cookies:     []charte.Cookie{ck("__gpi", "13mo", first, "")},
			Hosts:       []string{"pagead2.googlesyndication.com", "*.googlesyndication.com", "*.adtrafficquality.google"},
			Tag:         &charte.TagSpec{Loader: "script", Src: "https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client={client}"},
			ConsentMode: cmAds,
			Sources:     []string{"https://business.safety.google/adscookies/", "https://support.google.com/adsense/answer/9183549"},
		},
		{
			ID: "meta-pixel", Name: "Meta Pixel", Provider: meta, Category: charte.CategoryMarketing,
			Purpose: text("Transmet à Meta les visites et actions effectuées sur le site afin de mesurer ses publicités sur Facebook et Instagram et de les présenter aux personnes qui l'ont visité.",
				"Sends Meta the visits and actions made on the site to measure its ads on Facebook and Instagram and show them to people who visited it."),
			Params: []charte.ServiceParam{{Name: "pixel_id", Pattern: `^[0-9]{10,20}$`, Required: true, Example: "123456789012345", Description: "a Meta Pixel id (a number)"}},
			// _fbc lasts 90 days (Meta's documentation).
			Cookies: []charte.Cookie{ck("_fbp", "90d", first, ""), ck("_fbc", "90d", first, ""), ck("fr", "90d", third, ".facebook.com")},
			Hosts:   []string{"connect.facebook.net", "www.facebook.com"},
			Tag:     &charte.TagSpec{Loader: "fbq", Src: "https://connect.facebook.net/en_US/fbevents.js"},
			Sources: []string{"https://developers.facebook.com/docs/meta-pixel/get-started", "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc/", "https://www.facebook.com/privacy/policies/cookies/"},
		},
		{
			ID: "linkedin-insight", Name: "LinkedIn Insight Tag", Provider: "LinkedIn Ireland Unlimited Company", Category: charte.CategoryMarketing,
			Purpose: text("Transmet à LinkedIn les visites du site afin de mesurer ses campagnes publicitaires sur LinkedIn et de les présenter aux personnes qui l'ont visité.",
				"Sends LinkedIn the site's visits to measure its advertising campaigns on LinkedIn and show them to people who visited it."),
			Params:  []charte.ServiceParam{{Name: "partner_id", Pattern: `^[0-9]{4,10}$`, Required: true, Example: "1234567", Description: "a LinkedIn partner id (a number)"}},
			Cookies: []charte.Cookie{ck("li_sugr", "90d", third, ".linkedin.com"), ck("bcookie", "1y", third, ".linkedin.com"), ck("lidc", "1d", third, ".linkedin.com"), ck("UserMatchHistory", "session", third, ".linkedin.com")},
			Hosts:   []string{"snap.licdn.com", "px.ads.linkedin.com", "*.linkedin.com", "*.licdn.com"},
			Tag:     &charte.TagSpec{Loader: "linkedin", Src: "https://snap.licdn.com/li.lms-analytics/insight.min.js"},
			Sources: []string{"https://www.linkedin.com/legal/l/cookie-table", "https://www.linkedin.com/help/lms/answer/a418880"},
		},
		{
			ID: "tiktok-pixel", Name: "TikTok Pixel", Provider: "TikTok Technology Limited", Category: charte.CategoryMarketing,
			Purpose: text("Transmet à TikTok les visites et actions effectuées sur le site afin de mesurer ses publicités sur TikTok et de les présenter aux personnes qui l'ont visité.",
				"Sends TikTok the visits and actions made on the site to measure its ads on TikTok and show them to people who visited it."),
			Params:  []charte.ServiceParam{{Name: "pixel_id", Pattern: `^[A-Z0-9]{15,25}$`, Required: true, Example: "C1234567890ABCDEFGHI", Description: "a TikTok pixel id"}},
			Cookies: []charte.Cookie{ck("_ttp", "389d", first, ""), ck("_tt_enable_cookie", "389d", first, ""), ck("ttwid", "1y", third, ".tiktok.com")},
			Hosts:   []string{"analytics.tiktok.com", "*.tiktok.com"},
			Tag:     &charte.TagSpec{Loader: "tiktok", Src: "https://analytics.tiktok.com/i18n/pixel/events.js?sdkid={pixel_id}"},
			Sources: []string{"https://ads.tiktok.com/help/article/get-started-pixel", "https://www.tiktok.com/legal/page/global/tiktok-website-cookies-policy/en"},
		},
		{
			ID: "pinterest-tag", Name: "Pinterest Tag", Provider: "Pinterest Europe Limited", Category: charte.CategoryMarketing,
			Purpose: text("Transmet à Pinterest les visites et actions effectuées sur le site afin de mesurer ses publicités sur Pinterest et de les présenter aux personnes qui l'ont visité.",
				"Sends Pinterest the visits and actions made on the site to measure its ads on Pinterest and show them to people who visited it."),
			Params:  []charte.ServiceParam{{Name: "tag_id", Pattern: `^[0-9]{10,16}$`, Required: true, Example: "2612345678901", Description: "a Pinterest tag id (a number)"}},
			Cookies: []charte.Cookie{ck("_pin_unauth", "1d", first, ""), ck("_epik", "1y", first, ""), ck("_derived_epik", "1y", first, "")},
			Hosts:   []string{"s.pinimg.com", "ct.pinterest.com", "*.pinterest.com"},
			Tag:     &charte.TagSpec{Loader: "pinterest", Src: "https://s.pinimg.com/ct/core.js"},
			Sources: []string{"https://help.pinterest.com/en/business/article/install-the-pinterest-tag", "https://policy.pinterest.com/en/cookies"},
		},
		{
			ID: "x-pixel", Name: "X Pixel", Provider: "Twitter International Unlimited Company", Category: charte.CategoryMarketing,
			Purpose: text("Transmet à X (anciennement Twitter) les visites et actions effectuées sur le site afin de mesurer ses publicités sur X et de les présenter aux personnes qui l'ont visité.",
				"Sends X (formerly Twitter) the visits and actions made on the site to measure its ads on X and show them to people who visited it."),
			Params:  []charte.ServiceParam{{Name: "pixel_id", Pattern: `^[a-z0-9]{5,8}$`, Required: true, Example: "o1abc", Description: "an X pixel id"}},
			Hosts:   []string{"static.ads-twitter.com", "analytics.twitter.com", "t.co"},
			Tag:     &charte.TagSpec{Loader: "x", Src: "https://static.ads-twitter.com/uwt.js"},
			Sources: []string{"https://business.x.com/en/help/campaign-measurement-and-analytics/conversion-tracking-for-websites", "https://help.x.com/en/rules-and-policies/x-cookies"},
		},
		{
			ID: "microsoft-advertising", Name: "Microsoft Advertising (UET)", Provider: microsoft, Category: charte.CategoryMarketing,
			Purpose: text("Transmet à Microsoft les visites et actions effectuées sur le site afin de mesurer ses publicités sur Bing et de les présenter aux personnes qui l'ont visité.",
				"Sends Microsoft the visits and actions made on the site to measure its ads on Bing and show them to people who visited it."),
			Params:  []charte.ServiceParam{{Name: "tag_id", Pattern: `^[0-9]{6,10}$`, Required: true, Example: "12345678", Description: "a UET tag id (a number)"}},
			Cookies: []charte.Cookie{ck("_uetsid", "1d", first, ""), ck("_uetvid", "13mo", first, ""), ck("MUID", "1y", third, ".bing.com")},
			Hosts:   []string{"bat.bing.com", "*.bing.com"},
			Tag:     &charte.TagSpec{Loader: "uet", Src: "https://bat.bing.com/bat.js"},
			Sources: []string{"https://help.ads.microsoft.com/#apex/ads/en/56686/2", "https://help.ads.microsoft.com/#apex/ads/en/60119/-1"},
		},
		{
			ID: "criteo", Name: "Criteo OneTag", Provider: "Criteo SA", Category: charte.CategoryMarketing,
			Purpose: text("Transmet à Criteo les pages et produits consultés sur le site afin de vous présenter, sur d'autres sites, des publicités pour ces produits.",
				"Sends Criteo the pages and products viewed on the site to show you, on other sites, ads for these products."),
			Params:  []charte.ServiceParam{{Name: "account", Pattern: `^[0-9]{3,8}$`, Required: true, Example: "12345", Description: "a Criteo account id (a number)"}},
			Cookies: []charte.Cookie{ck("cto_bundle", "13mo", first, "")},
			Hosts:   []string{"static.criteo.net", "*.criteo.net", "*.criteo.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://static.criteo.net/js/ld/ld.js?a={account}"},
			Sources: []string{"https://www.criteo.com/privacy/", "https://help.criteo.com/kb/guide/en/all-criteo-onetag-events-and-parameters-vZbzbEeY86/"},
		},
		{
			ID: "snapchat-pixel", Name: "Snap Pixel", Provider: "Snap B.V.", Category: charte.CategoryMarketing,
			Purpose: text("Transmet à Snapchat les visites et actions effectuées sur le site afin de mesurer ses publicités sur Snapchat et de les présenter aux personnes qui l'ont visité.",
				"Sends Snapchat the visits and actions made on the site to measure its ads on Snapchat and show them to people who visited it."),
			Params:  []charte.ServiceParam{{Name: "pixel_id", Pattern: uuidPattern, Required: true, Example: "12345678-90ab-cdef-1234-567890abcdef", Description: "a Snap Pixel id (a UUID)"}},
			Cookies: []charte.Cookie{ck("_scid", "1y", first, ""), ck("sc_at", "1y", third, ".snapchat.com")},
			Hosts:   []string{"sc-static.net", "tr.snapchat.com", "*.snapchat.com"},
			Tag:     &charte.TagSpec{Loader: "snap", Src: "https://sc-static.net/scevent.min.js"},
			Sources: []string{"https://businesshelp.snapchat.com/s/article/snap-pixel-about", "https://values.snap.com/privacy/cookie-information"},
		},

		// Video, audio, maps and social embeds.
		{
			ID: "youtube", Name: "YouTube", Provider: google, Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les vidéos YouTube intégrées au site\u00a0; Google mesure leur visionnage et peut s'en servir pour personnaliser les publicités.",
				"Shows the YouTube videos embedded in the site; Google measures how they are watched and may use it to personalise ads."),
			Cookies: []charte.Cookie{ck("VISITOR_INFO1_LIVE", "6mo", third, ".youtube.com"), ck("VISITOR_PRIVACY_METADATA", "6mo", third, ".youtube.com"), ck("__Secure-ROLLOUT_TOKEN", "6mo", third, ".youtube.com"), ck("GPS", "1d", third, ".youtube.com")},
			Hosts:   []string{"www.youtube.com", "www.youtube-nocookie.com", "*.youtube.com", "*.youtube-nocookie.com", "*.ytimg.com", "youtu.be"},
			Sources: []string{"https://policies.google.com/technologies/cookies", "https://developers.google.com/youtube/player_parameters"},
		},
		{
			ID: "vimeo", Name: "Vimeo", Provider: "Vimeo.com, Inc.", Category: charte.CategoryStatistics, Embed: true,
			Purpose: text("Affiche les vidéos Vimeo intégrées au site\u00a0; Vimeo mesure leur visionnage.",
				"Shows the Vimeo videos embedded in the site; Vimeo measures how they are watched."),
			Cookies: []charte.Cookie{ck("vuid", "1h", third, ".vimeo.com")},
			Hosts:   []string{"player.vimeo.com", "*.vimeo.com", "*.vimeocdn.com"},
			Sources: []string{"https://vimeo.com/cookie_policy", "https://developer.vimeo.com/player/sdk/embed"},
		},
		{
			ID: "dailymotion", Name: "Dailymotion", Provider: "Dailymotion SA", Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les vidéos Dailymotion intégrées au site\u00a0; Dailymotion mesure leur visionnage et peut présenter des publicités.",
				"Shows the Dailymotion videos embedded in the site; Dailymotion measures how they are watched and may show ads."),
			Hosts:   []string{"www.dailymotion.com", "geo.dailymotion.com", "*.dailymotion.com", "*.dmcdn.net", "dai.ly"},
			Sources: []string{"https://legal.dailymotion.com/en/cookie-policy/", "https://developers.dailymotion.com/player/"},
		},
		{
			ID: "google-maps", Name: "Google Maps", Provider: google, Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les cartes Google Maps intégrées au site\u00a0; Google peut se servir de leur consultation pour personnaliser les publicités.",
				"Shows the Google Maps maps embedded in the site; Google may use how they are viewed to personalise ads."),
			Cookies: []charte.Cookie{ck("NID", "6mo", third, ".google.com")},
			Hosts:   []string{"www.google.com/maps", "maps.google.com", "maps.googleapis.com", "maps.gstatic.com"},
			Sources: []string{"https://policies.google.com/technologies/cookies", "https://developers.google.com/maps/documentation/embed/get-started"},
		},
		{
			ID: "x-embeds", Name: "X (Twitter) embeds", Provider: "Twitter International Unlimited Company", Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les publications et fils X (anciennement Twitter) intégrés au site\u00a0; X peut se servir de leur consultation pour personnaliser les publicités.",
				"Shows the X (formerly Twitter) posts and timelines embedded in the site; X may use how they are viewed to personalise ads."),
			Hosts:   []string{"platform.twitter.com", "syndication.twitter.com", "cdn.syndication.twimg.com", "platform.x.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://platform.twitter.com/widgets.js"},
			Sources: []string{"https://developer.x.com/en/docs/x-for-websites/embedded-tweets/overview", "https://help.x.com/en/rules-and-policies/x-cookies"},
		},
		{
			ID: "instagram-embeds", Name: "Instagram embeds", Provider: meta, Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les publications Instagram intégrées au site\u00a0; Meta peut se servir de leur consultation pour personnaliser les publicités.",
				"Shows the Instagram posts embedded in the site; Meta may use how they are viewed to personalise ads."),
			Cookies: []charte.Cookie{ck("ds_user_id", "3mo", third, ".instagram.com"), ck("shbid", "1y", third, ".instagram.com"), ck("shbts", "1y", third, ".instagram.com")},
			Hosts:   []string{"www.instagram.com", "*.instagram.com", "*.cdninstagram.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://www.instagram.com/embed.js"},
			Sources: []string{"https://privacycenter.instagram.com/policies/cookies/", "https://developers.facebook.com/docs/instagram/embedding/"},
		},
		{
			ID: "facebook-embeds", Name: "Facebook embeds", Provider: meta, Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les publications, pages et boutons Facebook intégrés au site\u00a0; Meta peut se servir de leur consultation pour personnaliser les publicités.",
				"Shows the Facebook posts, pages and buttons embedded in the site; Meta may use how they are viewed to personalise ads."),
			Cookies: []charte.Cookie{ck("fr", "90d", third, ".facebook.com")},
			Hosts:   []string{"www.facebook.com", "connect.facebook.net", "*.facebook.com", "*.fbcdn.net"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://connect.facebook.net/en_US/sdk.js"},
			Sources: []string{"https://www.facebook.com/privacy/policies/cookies/", "https://developers.facebook.com/docs/plugins/"},
		},
		{
			ID: "soundcloud", Name: "SoundCloud", Provider: "SoundCloud Global Limited & Co. KG", Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Diffuse les sons SoundCloud intégrés au site\u00a0; SoundCloud mesure leur écoute et peut s'en servir pour personnaliser les publicités.",
				"Plays the SoundCloud tracks embedded in the site; SoundCloud measures how they are listened to and may use it to personalise ads."),
			Hosts:   []string{"w.soundcloud.com", "*.soundcloud.com", "*.sndcdn.com"},
			Sources: []string{"https://soundcloud.com/pages/cookies", "https://developers.soundcloud.com/docs/api/html5-widget"},
		},
		{
			ID: "spotify", Name: "Spotify", Provider: "Spotify AB", Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Diffuse les titres et listes de lecture Spotify intégrés au site\u00a0; Spotify mesure leur écoute.",
				"Plays the Spotify tracks and playlists embedded in the site; Spotify measures how they are listened to."),
			Hosts:   []string{"open.spotify.com", "embed.spotify.com", "*.scdn.co"},
			Sources: []string{"https://www.spotify.com/legal/cookies-policy/", "https://developer.spotify.com/documentation/embeds"},
		},

		// Security.
		{
			ID: "recaptcha", Name: "Google reCAPTCHA", Provider: google, Category: charte.CategoryNecessary,
			Purpose: text("Protège les formulaires du site contre les envois automatisés en distinguant les personnes des robots\u00a0; Google analyse pour cela la navigation sur la page.",
				"Protects the site's forms against automated submissions by telling people from bots; to do so, Google analyses browsing on the page."),
			Params:  []charte.ServiceParam{{Name: "site_key", Pattern: `^[A-Za-z0-9_-]{40}$`, Required: true, Example: "6LcXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", Description: "a reCAPTCHA site key (40 characters)"}},
			Cookies: []charte.Cookie{ck("_GRECAPTCHA", "179d", third, "www.google.com")},
			Hosts:   []string{"www.google.com/recaptcha", "www.recaptcha.net", "www.gstatic.com/recaptcha"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://www.google.com/recaptcha/api.js?render={site_key}"},
			Sources: []string{"https://developers.google.com/recaptcha/docs/v3", "https://policies.google.com/technologies/cookies"},
		},
		{
			ID: "hcaptcha", Name: "hCaptcha", Provider: "Intuition Machines, Inc.", Category: charte.CategoryNecessary,
			Purpose: text("Protège les formulaires du site contre les envois automatisés en distinguant les personnes des robots.",
				"Protects the site's forms against automated submissions by telling people from bots."),
			Hosts:   []string{"js.hcaptcha.com", "*.hcaptcha.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://js.hcaptcha.com/1/api.js"},
			Sources: []string{"https://docs.hcaptcha.com/", "https://www.hcaptcha.com/privacy"},
		},
		{
			ID: "cloudflare-turnstile", Name: "Cloudflare Turnstile", Provider: "Cloudflare, Inc.", Category: charte.CategoryNecessary,
			Purpose: text("Protège les formulaires du site contre les envois automatisés en distinguant les personnes des robots, sans cookie.",
				"Protects the site's forms against automated submissions by telling people from bots, without cookies."),
			Hosts:   []string{"challenges.cloudflare.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://challenges.cloudflare.com/turnstile/v0/api.js"},
			Sources: []string{"https://developers.cloudflare.com/turnstile/get-started/", "https://www.cloudflare.com/turnstile-privacy-policy/"},
		},

		// Chat, scheduling, forms, newsletters and comments.
		{
			ID: "hubspot", Name: "HubSpot", Provider: "HubSpot Ireland Limited", Category: charte.CategoryMarketing,
			Purpose: text("Suit les visites et les formulaires remplis sur le site afin de rattacher votre navigation à votre fiche de contact dans l'outil commercial du site.",
				"Tracks visits and forms filled in on the site to link your browsing to your contact record in the site's sales tool."),
			Params:  []charte.ServiceParam{{Name: "hub_id", Pattern: `^[0-9]{5,10}$`, Required: true, Example: "1234567", Description: "a HubSpot account id (a number)"}},
			Cookies: []charte.Cookie{ck("__hstc", "13mo", first, ""), ck("hubspotutk", "13mo", first, ""), ck("__hssc", "1h", first, ""), ck("__hssrc", "session", first, "")},
			Hosts:   []string{"js.hs-scripts.com", "*.hs-scripts.com", "*.hs-analytics.net", "*.hs-banner.com", "*.hscollectedforms.net", "*.hsforms.com", "*.hubspot.com", "*.usemessages.com"},
			Tag:     &charte.TagSpec{Loader: "hubspot", Src: "https://js.hs-scripts.com/{hub_id}.js"},
			Sources: []string{"https://knowledge.hubspot.com/privacy-and-consent/what-cookies-does-hubspot-set-in-a-visitor-s-browser", "https://knowledge.hubspot.com/reports/install-the-hubspot-tracking-code"},
		},
		{
			ID: "crisp", Name: "Crisp", Provider: "Crisp IM SAS", Category: charte.CategoryPreferences,
			Purpose: text("Affiche la fenêtre de discussion du site et conserve votre conversation d'une page et d'une visite à l'autre.",
				"Shows the site's chat window and keeps your conversation from one page and one visit to the next."),
			Params:  []charte.ServiceParam{{Name: "website_id", Pattern: uuidPattern, Required: true, Example: "12345678-90ab-cdef-1234-567890abcdef", Description: "a Crisp website id (a UUID)"}},
			Cookies: []charte.Cookie{ck("crisp-client%2Fsession%2F*", "6mo", first, "")},
			Hosts:   []string{"client.crisp.chat", "*.crisp.chat"},
			Tag:     &charte.TagSpec{Loader: "crisp", Src: "https://client.crisp.chat/l.js"},
			Sources: []string{"https://help.crisp.chat/en/article/whats-crisp-cookie-policy-1wda7jz/", "https://docs.crisp.chat/guides/chatbox-sdks/web-sdk/"},
		},
		{
			ID: "intercom", Name: "Intercom", Provider: "Intercom R&D Unlimited Company", Category: charte.CategoryPreferences,
			Purpose: text("Affiche la messagerie du site et vous reconnaît d'une visite à l'autre pour retrouver vos conversations.",
				"Shows the site's messenger and recognises you from one visit to the next to keep your conversations."),
			Params:  []charte.ServiceParam{{Name: "app_id", Pattern: `^[a-z0-9]{8}$`, Required: true, Example: "abc12345", Description: "an Intercom app id (8 characters)"}},
			Cookies: []charte.Cookie{ck("intercom-id-*", "9mo", first, ""), ck("intercom-session-*", "1w", first, ""), ck("intercom-device-id-*", "9mo", first, "")},
			Hosts:   []string{"widget.intercom.io", "*.intercom.io", "*.intercomcdn.com", "*.intercomassets.com"},
			Tag:     &charte.TagSpec{Loader: "intercom", Src: "https://widget.intercom.io/widget/{app_id}"},
			Sources: []string{"https://www.intercom.com/help/en/articles/2361922-intercom-messenger-cookies", "https://developers.intercom.com/installing-intercom/web/installation"},
		},
		{
			ID: "zendesk", Name: "Zendesk", Provider: "Zendesk, Inc.", Category: charte.CategoryPreferences,
			Purpose: text("Affiche la fenêtre d'aide et de discussion du site et conserve votre conversation d'une page à l'autre.",
				"Shows the site's help and chat window and keeps your conversation from one page to the next."),
			Params:  []charte.ServiceParam{{Name: "key", Pattern: uuidPattern, Required: true, Example: "12345678-90ab-cdef-1234-567890abcdef", Description: "a Zendesk widget key (a UUID)"}},
			Cookies: []charte.Cookie{ck("__zlcmid", "1y", first, "")},
			Hosts:   []string{"static.zdassets.com", "*.zdassets.com", "*.zendesk.com", "*.zopim.com"},
			Tag:     &charte.TagSpec{Loader: "zendesk", Src: "https://static.zdassets.com/ekr/snippet.js?key={key}"},
			Sources: []string{"https://support.zendesk.com/hc/en-us/articles/4408836402074-Using-cookies-with-Zendesk-products", "https://developer.zendesk.com/documentation/zendesk-web-widget-sdks/"},
		},
		{
			ID: "calendly", Name: "Calendly", Provider: "Calendly LLC", Category: charte.CategoryPreferences, Embed: true,
			Purpose: text("Affiche l'agenda de prise de rendez-vous intégré au site.",
				"Shows the appointment scheduler embedded in the site."),
			Hosts:   []string{"assets.calendly.com", "calendly.com", "*.calendly.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://assets.calendly.com/assets/external/widget.js"},
			Sources: []string{"https://calendly.com/legal/cookie-notice", "https://help.calendly.com/hc/en-us/articles/223147027-Embed-options-overview"},
		},
		{
			ID: "typeform", Name: "Typeform", Provider: "TYPEFORM SL", Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les formulaires et questionnaires Typeform intégrés au site\u00a0; Typeform mesure leur provenance.",
				"Shows the Typeform forms and surveys embedded in the site; Typeform measures where they are filled in from."),
			Cookies: []charte.Cookie{ck("attribution_user_id", "1y", third, ".typeform.com")},
			Hosts:   []string{"embed.typeform.com", "form.typeform.com", "*.typeform.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://embed.typeform.com/next/embed.js"},
			Sources: []string{"https://www.typeform.com/cookies-policy/", "https://www.typeform.com/developers/embed/"},
		},
		{
			ID: "mailchimp", Name: "Mailchimp", Provider: "The Rocket Science Group LLC (Intuit Mailchimp)", Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche les formulaires d'inscription à la lettre d'information du site et rattache vos visites aux courriels du site que vous avez ouverts.",
				"Shows the sign-up forms for the site's newsletter and links your visits to the site's emails that you opened."),
			Cookies: []charte.Cookie{ck("mc_cid", "14d", first, ""), ck("mc_eid", "14d", first, "")},
			Hosts:   []string{"chimpstatic.com", "*.list-manage.com", "*.mailchimp.com", "*.mcusercontent.com"},
			Sources: []string{"https://mailchimp.com/legal/cookies/", "https://mailchimp.com/help/add-a-signup-form-to-your-website/"},
		},
		{
			ID: "disqus", Name: "Disqus", Provider: "Disqus, Inc.", Category: charte.CategoryMarketing, Embed: true,
			Purpose: text("Affiche l'espace de commentaires du site\u00a0; Disqus peut se servir de votre navigation pour présenter des publicités.",
				"Shows the site's comments section; Disqus may use your browsing to show ads."),
			Params:  []charte.ServiceParam{{Name: "shortname", Pattern: `^[a-z0-9-]{1,64}$`, Required: true, Example: "example-org", Description: "a Disqus shortname"}},
			Cookies: []charte.Cookie{ck("vglnk.Agent.p", "1y", third, ".disqus.com"), ck("vglnk.PartnerRfsh.p", "1y", third, ".disqus.com")},
			Hosts:   []string{"*.disqus.com", "*.disquscdn.com"},
			Tag:     &charte.TagSpec{Loader: "script", Src: "https://{shortname}.disqus.com/embed.js"},
			Sources: []string{"https://help.disqus.com/en/articles/1717155-use-of-cookies", "https://help.disqus.com/en/articles/1717112-universal-embed-code"},
		},
	}
}
