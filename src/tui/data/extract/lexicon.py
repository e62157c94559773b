"""Word lists the rules read: titles, organization and place words, name cues, stop words.

These are general English and regional-naming facts (how titles, company names and Chinese or
Kazakh personal names are written), not facts about any one article.
"""

from __future__ import annotations

# Titles, longest first; matched case-insensitively word by word. They are never entities.
TITLES = (
    "chairman of the board of directors", "chairman of the management board",
    "chairman of the board", "deputy prime minister", "first deputy prime minister",
    "prime minister", "head of state", "head of government", "secretary general",
    "director general", "general director", "managing director", "executive director",
    "general manager", "chief executive officer", "chief executive", "vice president",
    "vice chairman", "vice-chairman", "vice-president", "deputy chairman", "deputy minister",
    "deputy director", "deputy head", "first deputy", "foreign minister", "minister",
    "president", "chairman", "chairwoman", "chairperson", "chair", "director", "head", "ceo",
    "founder", "ambassador", "governor", "akim", "mayor", "secretary", "premier", "speaker",
    "leader", "envoy", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson",
)  # fmt: skip
HEAD_OF_STATE = ("president", "head of state")

# Words that make a name an organization's (its head noun or legal form).
ORG_WORDS = {
    "corporation", "corp", "company", "co", "group", "bank", "fund", "institute", "academy",
    "university", "college", "school", "center", "centre", "ministry", "agency", "association",
    "council", "committee", "commission", "holding", "holdings", "technologies", "technology",
    "mining", "minerals", "metals", "energy", "oil", "gas", "petroleum", "petrochemical",
    "railways", "railway", "investments", "exchange", "service", "services", "authority",
    "industries", "industrial", "partners", "capital", "motors", "airlines", "airways",
    "chamber", "union", "organization", "organisation", "government", "parliament", "senate",
    "mazhilis", "office", "administration", "foundation", "trust", "enterprises", "systems",
    "solutions", "logistics", "electric", "construction", "engineering", "steel", "chemical",
    "cement", "telecom", "media", "alliance", "consortium", "ltd", "llc", "jsc", "plc", "inc",
    "llp", "ag", "gmbh", "sa", "bv", "limited", "incorporated", "forum", "cooperation",
    "bureau", "department", "directorate", "inspectorate", "institution", "secretariat",
}  # fmt: skip
# Legal forms and generic endings: "CITIC Group Corporation" is "CITIC Group".
LEGAL_FORMS = {
    "corporation", "corp", "company", "co", "ltd", "limited", "llc", "jsc", "plc", "inc",
    "incorporated", "llp", "ag", "gmbh", "sa", "bv", "holding", "holdings", "group",
    "technologies", "technology", "international",
}  # fmt: skip
# Lower-case words after a name that say it is an organization: "Akorda press service".
ORG_TAILS = ("press service", "press office")
# Lower-case descriptors after a name: "Kazakhstan Temir Zholy national railway company".
ORG_DESCRIPTOR_NOUNS = {
    "company", "corporation", "bank", "group", "conglomerate", "operator", "holding", "firm",
    "producer", "developer", "investor", "institution", "fund", "agency", "manufacturer",
    "giant", "carrier", "exchange",
}  # fmt: skip
# Facilities named by a place: "the Shymkent oil refinery", "the Kazakhstan-China pipeline".
FACILITY_NOUNS = {
    "refinery", "pipeline", "plant", "smelter", "mine", "field", "terminal", "port",
    "station", "factory", "complex", "deposit", "dam", "railway", "hub", "park",
}  # fmt: skip
FACILITY_MODIFIERS = {
    "oil", "gas", "power", "coal", "copper", "hydro", "hydropower", "wind", "solar", "chemical",
    "processing", "cement", "steel", "gas-chemical", "petrochemical", "logistics", "dry",
    "thermal", "nuclear", "uranium", "gold", "iron", "industrial", "oil-and-gas",
}  # fmt: skip

PLACE_WORDS = {"region", "oblast", "province", "district", "prefecture", "county", "city",
               "sea", "lake", "valley", "basin", "mountains"}  # fmt: skip
DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "north", "south",
              "east", "west", "northeastern", "northwestern", "southeastern", "southwestern"}  # fmt: skip

# Demonyms of the region and of frequent counterparts -> the country they name.
DEMONYMS = {
    "kazakh": "Kazakhstan", "kazakhstani": "Kazakhstan", "chinese": "China",
    "russian": "Russia", "uzbek": "Uzbekistan", "kyrgyz": "Kyrgyzstan", "tajik": "Tajikistan",
    "turkmen": "Turkmenistan", "american": "United States", "european": "Europe",
    "turkish": "Turkey", "german": "Germany", "french": "France", "british": "United Kingdom",
    "dutch": "Netherlands", "swiss": "Switzerland", "japanese": "Japan", "korean": "South Korea",
    "indian": "India", "iranian": "Iran", "azerbaijani": "Azerbaijan", "mongolian": "Mongolia",
    "asian": "Asia", "eurasian": "Eurasia", "arab": "", "emirati": "United Arab Emirates",
}  # fmt: skip
# Other names of countries, as news prints them.
COUNTRY_ALIASES = {
    "us": "United States", "usa": "United States", "u.s": "United States",
    "netherlands": "The Netherlands", "prc": "China", "uk": "United Kingdom",
    "russia": "Russia", "uae": "United Arab Emirates", "south korea": "South Korea",
    "republic of kazakhstan": "Kazakhstan", "people's republic of china": "China",
}  # fmt: skip

# Common pinyin surnames: a Title-case pair starting with one is a Chinese personal name.
CHINESE_SURNAMES = set(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng "
    "liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye "
    "cheng wei su lu ding ren shen yao jin dai qian xi fan fang shi tan liao zou xiong hao kong "
    "bai cui kang mao qiu qin gu hou shao meng long wan duan lei yin yi chang qiao lai gong wen "
    "pang niu fu zhong xue ni hong geng yan ou mo zhan hua ji le bao kou mei ning".split()
)
# Endings of Kazakh, Russian and other Central Asian surnames.
SURNAME_ENDINGS = ("ov", "ev", "ova", "eva", "yev", "yeva", "uly", "kyzy", "enko", "skiy",
                   "sky", "bekov", "bayev", "baev", "imov", "in", "ina", "yan", "ian")  # fmt: skip

# Capitalized words that begin sentences but name nothing.
STOP_WORDS = set(
    "a an the this that these those despite earlier during since after before according "
    "opening having along in on at with for as recently recent meanwhile however also but and "
    "it its they their he she we our his her there today yesterday thus moreover furthermore "
    "besides while when where if although though so then now here last next first over under "
    "by from to of both all each every many several some such other another following given "
    "speaking addressing commenting noting overall later currently finally additionally "
    "together within among between about against through without instead therefore hence "
    "indeed still yet once two three four five six seven eight nine ten one what which who "
    "whose how why our my your i you us them him do does did is are was were be been will "
    "would can could should may might must shall not no yes mr mrs ms dr".split()
)
MONTHS = ("january february march april may june july august september october november "
          "december").split()  # fmt: skip
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# All-caps words that are not organizations.
NOT_ACRONYMS = {"IT", "ICT", "GDP", "USD", "CEO", "EU", "UN", "AI", "TV", "OK", "PR", "GW",
                "MW", "KW", "LNG", "CO2", "ESG", "SME", "SMES", "FDI", "KZT", "CNY", "RUB",
                "EUR", "VAT", "IPO", "II", "III", "IV", "COVID"}  # fmt: skip
# Verbs after a name that make it a speaker.
SAID = ("said", "stated", "noted", "told", "added", "stressed", "emphasized", "emphasised",
        "explained", "announced", "remarked", "reported", "declared", "underlined")  # fmt: skip
