"""The words admins use for countries beyond ISO 3166's names: aliases, adjectives, endonyms.

Versioned: bump `COUNTRY_WORDS_VERSION` whenever an entry is added, removed or changed. Keys
are lower case; accents are folded when matching, so "Österreich" also matches "osterreich".
Codes are ISO 3166-1 alpha-2, except Kosovo's XK, the user-assigned code Microsoft's sign-in
logs use for it.
"""

from __future__ import annotations

COUNTRY_WORDS_VERSION = "2026.1"

ALIASES: dict[str, str] = {
    # English short and informal names
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "the united kingdom": "GB",
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "the us": "US", "the u.s.": "US",
    "the states": "US", "united states of america": "US", "america": "US",
    "the united states": "US",
    "holland": "NL", "the netherlands": "NL", "russia": "RU", "korea": "KR",
    "south korea": "KR", "republic of korea": "KR", "north korea": "KP", "dprk": "KP",
    "czech republic": "CZ", "turkey": "TR", "ivory coast": "CI", "vatican": "VA",
    "vatican city": "VA", "macedonia": "MK", "burma": "MM", "swaziland": "SZ",
    "cape verde": "CV", "east timor": "TL", "drc": "CD", "dr congo": "CD",
    "democratic republic of the congo": "CD", "republic of the congo": "CG", "uae": "AE",
    "u.a.e.": "AE", "emirates": "AE", "the emirates": "AE", "macau": "MO", "palestine": "PS",
    "brunei": "BN", "the bahamas": "BS", "the gambia": "GM", "the philippines": "PH",
    "st lucia": "LC", "st. lucia": "LC", "st kitts and nevis": "KN", "st vincent": "VC",
    "kosovo": "XK", "mainland china": "CN", "prc": "CN", "persia": "IR", "ceylon": "LK",
    "falklands": "FK", "syria": "SY", "laos": "LA", "moldova": "MD", "tanzania": "TZ",
    "venezuela": "VE", "bolivia": "BO", "iran": "IR", "vietnam": "VN", "taiwan": "TW",
    "micronesia": "FM", "the czech republic": "CZ", "czechia": "CZ", "hong kong": "HK",
    # Endonyms and the names admins in Europe and Latin America commonly type
    "deutschland": "DE", "allemagne": "DE", "alemania": "DE", "germania": "DE",
    "españa": "ES", "espagne": "ES", "spanien": "ES", "italia": "IT", "italie": "IT",
    "italien": "IT", "nederland": "NL", "niederlande": "NL", "pays-bas": "NL",
    "schweiz": "CH", "suisse": "CH", "svizzera": "CH", "österreich": "AT", "autriche": "AT",
    "polska": "PL", "pologne": "PL", "polen": "PL", "brasil": "BR", "brésil": "BR",
    "brasilien": "BR", "méxico": "MX", "mexique": "MX", "sverige": "SE", "schweden": "SE",
    "suède": "SE", "norge": "NO", "norwegen": "NO", "norvège": "NO", "danmark": "DK",
    "dänemark": "DK", "suomi": "FI", "finnland": "FI", "česko": "CZ", "tschechien": "CZ",
    "éire": "IE", "irland": "IE", "belgique": "BE", "belgië": "BE", "belgien": "BE",
    "frankreich": "FR", "francia": "FR", "großbritannien": "GB", "royaume-uni": "GB",
    "reino unido": "GB", "vereinigtes königreich": "GB", "états-unis": "US",
    "estados unidos": "US", "vereinigte staaten": "US", "russland": "RU", "russie": "RU",
    "rusia": "RU", "россия": "RU", "chine": "CN", "中国": "CN", "japon": "JP", "日本": "JP",
    "nippon": "JP", "indien": "IN", "inde": "IN", "kanada": "CA", "türkei": "TR",
    "turquie": "TR", "türkiye": "TR", "griechenland": "GR", "grèce": "GR", "ελλάδα": "GR",
    "hellas": "GR", "magyarország": "HU", "ungarn": "HU", "hrvatska": "HR", "kroatien": "HR",
    "slovensko": "SK", "slowakei": "SK", "slovenija": "SI", "lietuva": "LT", "latvija": "LV",
    "eesti": "EE", "ísland": "IS", "україна": "UA", "ukraine": "UA", "rumänien": "RO",
    "roumanie": "RO", "portogallo": "PT", "marokko": "MA", "maroc": "MA", "ägypten": "EG",
    "égypte": "EG", "südafrika": "ZA", "한국": "KR", "대한민국": "KR",
}  # fmt: skip

ADJECTIVES: dict[str, str] = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "argentine": "AR",
    "argentinian": "AR", "armenian": "AM", "australian": "AU", "austrian": "AT",
    "azerbaijani": "AZ", "bangladeshi": "BD", "belarusian": "BY", "belgian": "BE",
    "bolivian": "BO", "bosnian": "BA", "brazilian": "BR", "british": "GB", "bulgarian": "BG",
    "cambodian": "KH", "cameroonian": "CM", "canadian": "CA", "chilean": "CL",
    "chinese": "CN", "colombian": "CO", "costa rican": "CR", "croatian": "HR",
    "cuban": "CU", "cypriot": "CY", "czech": "CZ", "danish": "DK", "dutch": "NL",
    "ecuadorian": "EC", "egyptian": "EG", "emirati": "AE", "estonian": "EE",
    "ethiopian": "ET", "filipino": "PH", "philippine": "PH", "finnish": "FI",
    "french": "FR", "georgian": "GE", "german": "DE", "ghanaian": "GH", "greek": "GR",
    "guatemalan": "GT", "honduran": "HN", "hungarian": "HU", "icelandic": "IS",
    "indian": "IN", "indonesian": "ID", "iranian": "IR", "iraqi": "IQ", "irish": "IE",
    "israeli": "IL", "italian": "IT", "ivorian": "CI", "jamaican": "JM", "japanese": "JP",
    "jordanian": "JO", "kazakh": "KZ", "kazakhstani": "KZ", "kenyan": "KE",
    "korean": "KR", "south korean": "KR", "north korean": "KP", "kuwaiti": "KW",
    "kyrgyz": "KG", "latvian": "LV", "lebanese": "LB", "libyan": "LY", "lithuanian": "LT",
    "luxembourgish": "LU", "malaysian": "MY", "maltese": "MT", "mexican": "MX",
    "moldovan": "MD", "mongolian": "MN", "moroccan": "MA", "nepalese": "NP",
    "nigerian": "NG", "norwegian": "NO", "pakistani": "PK", "palestinian": "PS",
    "panamanian": "PA", "paraguayan": "PY", "peruvian": "PE", "polish": "PL",
    "portuguese": "PT", "qatari": "QA", "romanian": "RO", "russian": "RU", "saudi": "SA",
    "saudi arabian": "SA", "scottish": "GB", "serbian": "RS", "singaporean": "SG",
    "slovak": "SK", "slovakian": "SK", "slovenian": "SI", "somali": "SO",
    "south african": "ZA", "spanish": "ES", "sri lankan": "LK", "sudanese": "SD",
    "swedish": "SE", "swiss": "CH", "syrian": "SY", "taiwanese": "TW", "tajik": "TJ",
    "tanzanian": "TZ", "thai": "TH", "tunisian": "TN", "turkish": "TR", "turkmen": "TM",
    "ugandan": "UG", "ukrainian": "UA", "uruguayan": "UY", "uzbek": "UZ",
    "venezuelan": "VE", "vietnamese": "VN", "welsh": "GB", "yemeni": "YE",
    "zambian": "ZM", "zimbabwean": "ZW", "new zealand": "NZ", "kiwi": "NZ",
}  # fmt: skip

# Country words that are also first names or everyday words ("Jordan", "turkey", "Polish"):
# they count only where a place fits ("from Jordan", "Jordan IPs"), never "Jordan Smith".
AMBIGUOUS: frozenset[str] = frozenset(
    {
        "chad", "jordan", "georgia", "israel", "kenya", "india", "china", "turkey", "guinea",
        "jersey", "niger", "chile", "mali", "panama", "peru", "togo", "oman", "cuba", "iran",
        "dominica", "grenada", "guernsey", "america", "holland", "polish", "georgian",
        "kiwi", "wales", "nippon", "persia", "ceylon", "korea", "malta", "monaco",
        "samoa", "tonga", "benin", "gabon", "sudan", "bermuda", "aruba", "jamaica", "the us",
        "the states",
    }
)  # fmt: skip

# Areas larger than a country: recognised so an answer can say it could not apply them.
REGIONS: frozenset[str] = frozenset(
    {
        "eu", "the eu", "european union", "europe", "european", "asia", "asian", "africa",
        "african", "apac", "emea", "latam", "latin america", "middle east", "north america",
        "south america", "central america", "scandinavia", "scandinavian", "nordics",
        "the nordics", "nordic", "balkans", "the balkans", "eastern europe", "western europe",
        "southeast asia", "oceania", "caribbean", "the caribbean", "abroad", "overseas",
        "foreign countries", "another country", "other countries", "unusual countries",
        "risky countries", "untrusted countries", "sanctioned countries",
        "high-risk countries", "embargoed countries",
    }
)  # fmt: skip

# Two-letter codes that are also everyday words or admin acronyms ("IT", "CA", "AD", "HR"):
# read as a country only after "country"/"countries" or in a list with another country.
RISKY_CODES: frozenset[str] = frozenset(
    {
        "AD", "AI", "AM", "AS", "AT", "BE", "BY", "CA", "CC", "CD", "CH", "CI", "CV", "DO",
        "GA", "GB", "GO", "HR", "ID", "IN", "IO", "IS", "IT", "LA", "MA", "MD", "ME", "MS",
        "MY", "NA", "NO", "OR", "PA", "PM", "PR", "PS", "SA", "SC", "SD", "SE", "SG", "SH",
        "SO", "ST", "TM", "TO", "TV", "UM", "US", "VA", "VI", "WS",
    }
)  # fmt: skip
