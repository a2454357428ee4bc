package charte

// ServiceDef is one service of the catalogue: the facts charte needs to
// declare, load and block it. internal/services holds the built-in ones.
type ServiceDef struct {
	// ID is the service's slug, as a charter names it: "google-analytics-4",
	// "youtube".
	ID string `json:"id"`
	// Name is the service's name as its vendor writes it: "Google Analytics 4".
	Name string `json:"name"`
	// Provider is the legal entity that runs the service for European
	// visitors: "Google Ireland Limited".
	Provider string `json:"provider"`
	// Category is the built-in category the service's cookies belong to:
	// statistics, marketing, preferences or necessary.
	Category string `json:"category"`
	// Exemptable says the service has a configuration that the CNIL exempts
	// from consent: a charter may then name it with exempt: true.
	Exemptable bool `json:"exemptable,omitempty"`
	// Purpose says what the service does, in French and English, in charte's
	// own words.
	Purpose Text `json:"purpose"`
	// Params are the parameters a charter gives the service (measurement_id,
	// url, site_id…).
	Params []ServiceParam `json:"params,omitempty"`
	// Cookies are the cookies the service sets: Category is the def's
	// category; Party, Domain and Lifetime are filled.
	Cookies []Cookie `json:"cookies,omitempty"`
	// Hosts are the hosts the service's scripts, pixels and frames come
	// from; an entry host/path names only the URLs under that path, for a
	// host that serves several services
	// from, lowercase: "www.googletagmanager.com", or "*.hotjar.com" for a
	// host and all its subdomains.
	Hosts []string `json:"hosts,omitempty"`
	// Tag says how the banner loads the service's official tag; nil for an
	// embed-only service.
	Tag *TagSpec `json:"tag,omitempty"`
	// Embed says the service's content comes in iframes (YouTube, Vimeo,
	// Maps…): placeholders name it.
	Embed bool `json:"embed,omitempty"`
	// ConsentMode are the Google Consent Mode v2 signals the service reads:
	// analytics_storage, ad_storage, ad_user_data, ad_personalization.
	ConsentMode []string `json:"consent_mode,omitempty"`
	// Sources are the public URLs the facts come from.
	Sources []string `json:"sources,omitempty"`
}

// ServiceParam is one parameter a charter gives a service.
type ServiceParam struct {
	// Name is the parameter's key in the charter: measurement_id.
	Name string `json:"name"`
	// Pattern is an RE2 pattern the whole value must match:
	// ^G-[A-Z0-9]{4,12}$.
	Pattern string `json:"pattern"`
	// Required says a charter that names the service must give it.
	Required bool `json:"required,omitempty"`
	// Example is a value of the right shape, used in messages ("write
	// measurement_id: G-XXXXXXXXXX").
	Example string `json:"example"`
	// Description says what the value is, in English, for messages and
	// listings: "Google Analytics 4 measurement id".
	Description string `json:"description,omitempty"`
}

// TagSpec says how the banner loads a service's official tag once its
// category is granted.
type TagSpec struct {
	// Loader is one of the banner's built-in loaders: "script" (just Src),
	// "gtag", "gtm", "matomo", "fbq", "piano", "clarity", "hotjar",
	// "linkedin", "tiktok", "pinterest", "x", "hubspot", "crisp",
	// "intercom", "zendesk", "plausible"…
	Loader string `json:"loader"`
	// Src is the script's URL template: each {param} is replaced by the
	// charter's value of that parameter:
	// "https://www.googletagmanager.com/gtag/js?id={measurement_id}".
	Src string `json:"src"`
}

// SiteService is a service a charter names, with the values of its
// parameters.
type SiteService struct {
	// ID is the catalogue id of the service.
	ID string `json:"id"`
	// Params are the charter's values of the service's parameters, by name.
	Params map[string]string `json:"params,omitempty"`
	// Exempt asks for the service's CNIL-exempt configuration: its cookies
	// go to the statistics category, which must be exempt.
	Exempt bool `json:"exempt,omitempty"`
}

// ServiceCatalog is what a charter's services are looked up in
// (internal/services implements it).
type ServiceCatalog interface {
	// Service returns the service with the given id.
	Service(id string) (*ServiceDef, bool)
	// ServiceIDs returns the ids of every service, sorted.
	ServiceIDs() []string
	// ServiceByHost returns the service that a request to host comes from:
	// the one that lists host exactly, else the one with the longest
	// "*.suffix" entry that host is or ends in.
	ServiceByHost(host string) (*ServiceDef, bool)
	// ServiceByURL returns the service that a request to host and path
	// comes from: the one with the longest "host/path" entry whose path is
	// a prefix of path (www.google.com/maps, www.google.com/recaptcha:
	// two services on one host), else [ServiceCatalog.ServiceByHost].
	ServiceByURL(host, path string) (*ServiceDef, bool)
}
