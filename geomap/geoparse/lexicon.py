"""Word lists the recogniser uses to tell places from everything else that is capitalised."""

from __future__ import annotations

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

# Page furniture and news boilerplate.
FURNITURE = {
    "read", "more", "photo", "photos", "video", "videos", "afp", "reuters", "ap", "getty",
    "images", "file", "updated", "advertisement", "related", "share", "subscribe", "comments",
    "telegram", "twitter", "facebook", "x", "youtube", "instagram", "route", "source",
    "sources", "copyright", "newsletter", "live", "breaking", "opinion", "analysis", "watch",
}

# Titles that precede a person's name.
TITLES = {
    "president", "prime", "minister", "mr", "mrs", "ms", "miss", "dr", "gen", "general", "colonel",
    "col", "lt", "sgt", "captain", "capt", "commander", "governor", "gov", "mayor", "senator",
    "sen", "rep", "spokesman", "spokeswoman", "spokesperson", "secretary", "chancellor",
    "king", "queen", "prince", "pope", "sheikh", "chief", "director", "ambassador", "envoy",
    "marshal", "admiral", "major", "lieutenant", "sergeant", "private", "judge", "justice",
    "patriarch", "deputy", "head", "leader", "premier", "foreign", "defence", "defense",
    "saint", "st", "lord", "sir", "lady", "professor", "prof", "father", "bishop",
}

# Well-known people in conflict news whose names are also place names somewhere.
PEOPLE = {
    "putin", "zelensky", "zelenskyy", "zelenskiy", "biden", "trump", "kim", "shoigu",
    "gerasimov", "syrskyi", "syrsky", "peskov", "lavrov", "kadyrov", "prigozhin", "medvedev",
    "budanov", "zaluzhnyi", "zaluzhny", "kuleba", "sybiha", "umerov", "reznikov", "yermak",
    "macron", "scholz", "sunak", "starmer", "stoltenberg", "rutte", "blinken", "austin",
    "erdogan", "lukashenko", "xi", "netanyahu", "obama", "clinton", "bush", "merkel",
    "johnson", "jong", "un", "belousov", "zakharova", "podolyak", "syniehubov",
    "hladkov", "gladkov", "khinshtein", "smirnov", "artyukh", "zhyvytskyi", "sobolev",
}

# Common given names: a run that starts with one is a person ("Tom Bakk").
GIVEN_NAMES = set("""
aaron adam alan albert alex alexander alexei alexey ali alice amanda amy andrew andrei andriy
angela ann anna anne anthony antonio barbara ben benjamin betty bill bob brian bruce carl carol
charles chris christopher daniel david dennis diana dmitry donald dorothy douglas edward elena
elizabeth emily emma eric frank gary george gregory harold harry helen henry irina ivan jack
james jane janet jason jeff jeffrey jennifer jessica jim joe john jonathan joseph joshua juan
judith julia karen kate kenneth kevin kim larry laura linda lisa mahmoud margaret maria mark
martin mary matthew michael mike mikhail mohammed muhammad nancy natalia nicholas oleg oleksandr
olga patricia patrick paul peter rachel raymond rebecca richard robert roger ronald ruth ryan
samuel sandra sarah scott sergei sergey sharon stephen steve steven susan thomas timothy tom
tony victor viktor vladimir volodymyr walter william yulia yuri yuriy
""".split())

# Organisations and institutions named like places.
ORGANISATIONS = {
    "kremlin", "pentagon", "nato", "un", "eu", "osce", "iaea", "hur", "sbu", "fsb", "gur",
    "white", "house", "state", "department", "ministry", "parliament", "rada", "duma",
    "congress", "senate", "wagner", "hamas", "hezbollah", "isis", "taliban", "red", "cross",
    "amnesty", "human", "rights", "watch", "united", "nations", "security", "council",
    "european", "union", "commission", "army", "navy", "forces", "guard", "brigade",
}

# Words that end a military unit's name: a capitalised word before them is part of the
# name, no place ("the 7th Rapid Response Corps", "the Azov Brigade").
# ("Division" is not one: "the Florida Division of Forestry" is Florida's.)
MILITARY_UNIT_WORDS = {"corps", "brigade", "battalion", "regiment", "detachment", "squadron",
                       "brigades", "battalions", "regiments"}

# Nouns that, after "X's", make X an actor (metonymy) rather than a location.
ACTOR_NOUNS = {
    "defense", "defence", "ministry", "army", "forces", "military", "president", "government",
    "intelligence", "general", "foreign", "authorities", "officials", "troops", "claims",
    "claim", "allegations", "leader", "leadership", "prime", "parliament", "security",
    "air", "navy", "prosecutor", "prosecutor-general", "spokesperson", "spokesman",
    "ambassador", "envoy", "embassy", "state", "border", "energy", "national", "sovereignty",
    "incursion", "offensive", "counteroffensive", "invasion", "war", "attack", "attacks",
    "strikes", "drones", "missiles", "losses", "casualties", "soldiers", "servicemen",
}

# Verbs that make a preceding place name a speaking actor ("Moscow said").
SPEECH_VERBS = {
    "said", "says", "say", "claimed", "claims", "claim", "denied", "denies", "deny",
    "announced", "announces", "accused", "accuses", "warned", "warns", "insisted",
    "insists", "reported", "reports", "confirmed", "confirms", "stated", "states",
    "commented", "responded", "responds", "demanded", "demands", "urged", "urges",
    "asserted", "asserts", "rejected", "rejects", "condemned", "condemns", "launched",
    "has", "have", "had", "is", "was", "will", "would", "wants", "sent", "sends",
    "threatened", "threatens", "agreed", "agrees", "signed", "signs",
}

# Words after a name that make it a facility in a place ("Kursk Nuclear Power Plant").
FACILITY_WORDS = {
    "nuclear", "power", "plant", "station", "airport", "airbase", "air", "base", "bridge",
    "dam", "refinery", "factory", "port", "railway", "hospital", "university", "stadium",
    "oil", "depot", "reservoir", "thermal", "substation", "cathedral", "monastery",
    "npp", "tpp", "hpp", "chp", "regional", "clinical", "children's", "city", "central",
    "international", "military", "hydroelectric", "metallurgical", "chemical", "works",
    "combine", "terminal", "school", "lyceum", "market", "mall",
}
# Lower-case phrases after a name that make it a facility at that place, as news writes
# plants and depots ("the Kursk nuclear power plant", "the Kakhovka dam").
LOWER_CASE_FACILITIES = frozenset({
    ("nuclear", "power", "plant"), ("nuclear", "power", "station"), ("nuclear", "plant"),
    ("power", "plant"), ("power", "station"), ("thermal", "power", "plant"),
    ("thermal", "power", "station"), ("hydroelectric", "power", "plant"),
    ("hydroelectric", "power", "station"), ("hydroelectric", "plant"), ("dam",),
    ("oil", "refinery"), ("refinery",), ("oil", "depot"), ("fuel", "depot"),
    ("ammunition", "depot"), ("railway", "station"), ("substation",),
})
# Facility words that make a facility even in lower case ("near Donetsk airport", GED's way).
AIRFIELD_WORDS = {"airport", "aiport", "airfield", "airbase", "aerodrome"}  # "aiport": GED writes it
# Words after a name that make it a natural feature ("the Dnipro river"): no settlement.
NATURAL_FEATURE_WORDS = {"river", "lake", "sea", "gulf", "bay", "spit", "strait", "estuary",
                         "mountains", "forest", "canal", "creek"}
# Rivers named like towns: after "the" ("across the Dnipro", "the Oskil's left bank") the
# river, never the town (the gazetteer has no rivers: reported, not placed).
RIVERS_NAMED_LIKE_TOWNS = {"dnipro", "dnieper", "dnepr", "desna", "seym", "seim", "psel",
                           "vorskla", "oskil", "oskol", "donets", "siverskyi donets",
                           "seversky donets", "inhulets", "dnister", "dniester", "irpin",
                           "kalmius", "sula", "danube", "volga", "don"}
# Nouns after a town's name that make the name attributive ("the Dnipro city council").
TOWN_NOUNS = {"city", "mayor", "council", "residents", "officials", "authorities", "governor",
              "administration", "police", "garrison", "suburbs", "outskirts", "centre", "center"}
# Words after "Regional" that make "X Regional ..." the region's own body ("the Sumy Regional
# Military Administration"), not a facility at the city.
REGIONAL_BODY_WORDS = {"administration", "council", "governor", "government", "authorities",
                       "duma", "head", "prosecutor's", "police", "department"}
# Nouns after a town's name that make it a front sector ("the Kupiansk direction"), and
# their plurals after a list ("the Kupiansk and Lyman directions").
FRONT_SECTOR_WORDS = {"direction", "axis", "sector", "front", "salient", "bridgehead"}
PLURAL_FRONT_SECTOR_WORDS = {"directions": "direction", "axes": "axis", "sectors": "sector",
                             "fronts": "front", "salients": "salient"}
# Auxiliaries after which a participle keeps a name a location ("Kharkiv was shelled").
AUXILIARIES = {"is", "was", "were", "are", "has", "have", "had", "will", "would"}

# Type words that follow or precede a name and make it an administrative unit.
ADMIN_TYPE_WORDS = {
    "oblast": "ADM1", "obl": "ADM1", "region": "ADM1", "province": "ADM1", "krai": "ADM1", "kray": "ADM1",
    "republic": "ADM1", "governorate": "ADM1", "state": "ADM1",
    "district": "ADM2", "raion": "ADM2", "rayon": "ADM2", "county": "ADM2",
    "hromada": "ADM3", "community": "ADM3", "municipality": "ADM3",
}

# Plural type words after a list of names make each of them a unit of that type ("the
# Belgorod, Kursk and Bryansk regions", "Sumy and Kharkiv oblasts").
PLURAL_ADMIN_TYPE_WORDS = {
    "regions": "region", "oblasts": "oblast", "provinces": "province", "districts": "district",
    "raions": "raion", "rayons": "rayon", "hromadas": "hromada",
}

# Trigger phrases (lower-case) that announce one or more settlement names.
SETTLEMENT_TRIGGERS = {
    "village": "village", "villages": "village", "town": "town", "towns": "town",
    "city": "city", "cities": "city", "settlement": "village", "settlements": "village",
    "hamlet": "village", "hamlets": "village", "selo": "village", "khutor": "village",
    "port": "city", "capital": "city",
}

# Demonyms → ISO country code (adjectival forms name a country only before place nouns).
DEMONYMS = {
    "russian": "RU", "ukrainian": "UA", "belarusian": "BY", "north korean": "KP",
    "south korean": "KR", "american": "US", "british": "GB", "french": "FR", "german": "DE",
    "polish": "PL", "chinese": "CN", "iranian": "IR", "syrian": "SY", "israeli": "IL",
    "turkish": "TR", "georgian": "GE", "moldovan": "MD", "lithuanian": "LT", "latvian": "LV",
    "estonian": "EE", "finnish": "FI", "romanian": "RO", "hungarian": "HU", "slovak": "SK",
    "czech": "CZ", "kazakh": "KZ", "armenian": "AM", "azerbaijani": "AZ", "korean": "KR",
    "western": "", "european": "", "soviet": "SU", "japanese": "JP", "indian": "IN",
    "afghan": "AF", "iraqi": "IQ", "lebanese": "LB", "palestinian": "PS", "yemeni": "YE",
    "saudi": "SA", "egyptian": "EG", "libyan": "LY", "sudanese": "SD", "ethiopian": "ET",
    "somali": "SO", "nigerian": "NG", "malian": "ML", "congolese": "CD", "mexican": "MX",
    "canadian": "CA", "australian": "AU", "italian": "IT", "spanish": "ES", "dutch": "NL",
    "belgian": "BE", "swedish": "SE", "norwegian": "NO", "danish": "DK", "greek": "GR",
    "serbian": "RS", "croatian": "HR", "bulgarian": "BG", "chechen": "", "crimean": "",
    "donbas": "", "pakistani": "PK", "bangladeshi": "BD", "vietnamese": "VN", "thai": "TH",
    "filipino": "PH", "indonesian": "ID", "brazilian": "BR", "venezuelan": "VE",
    "colombian": "CO", "cuban": "CU", "qatari": "QA", "emirati": "AE", "jordanian": "JO",
    "kurdish": "", "uzbek": "UZ", "tajik": "TJ", "kyrgyz": "KG", "turkmen": "TM",
}
# Demonyms that are also a region's name ("the Donbas").
DEMONYM_PLACES = {"donbas", "donbass"}
# Nouns such a name modifies as an adjective ("Donbas fighters"): then it is no place.
DEMONYM_NOUNS = {"fighters", "militants", "separatists", "rebels", "war", "conflict", "coal",
                 "miners", "battalion", "people", "residents", "militia", "militias", "arena",
                 "operation", "offensive", "front", "region", "veterans", "volunteers"}
PLACE_NOUNS_AFTER_DEMONYM = {
    "territory", "soil", "land", "side", "region", "regions", "city", "cities", "town",
    "towns", "village", "villages", "border", "oblast", "oblasts", "province", "capital",
}

# Frequent English words that are also place names somewhere (Of, Can, Mobile, Read, ...).
COMMON_WORDS = set("""
a about above across after again against all also although always among an and another any
are around as at away back be because been before being below between both but by can could
day days did do does down during each early either even every few for from further had has
have having he her here hers him his how however if in into is it its just last late later
least less like little long made make many may me might more most much must my near neither
never new next no nor not now of off often on once one only or other our out over own past
per perhaps rather said same several she should since so some still such than that the their
them then there these they this those though three through thus to today together too two
under until up upon us very was we well were what when where whether which while who whom
whose why will with within without would yet you your
according again ahead already amid around battle border breaking both brigade claims
central civilians east eastern even following forces front further government heavy
independent international local major military minister ministry national north northern
officials overnight people president public region regional saturday south southern
statement sunday troops war week weekend west western world year years yesterday
good great best union liberty victory independence freedom peace hope progress mobile
reading bath battle deal kill killed dead wounded missing captured buffer zone aid orange
lake river mount county city state island valley beach park street road avenue center
university college school church hospital airport station bridge
police court sheriff fire high board committee office department council congress senate
house republican republicans democrat democrats god christmas easter internet web news
national federal general north south east west central union liberty crown justice
""".split())

# AP-style state/province abbreviations and common place acronyms (a closed, standard list)
# (token as the tokeniser writes it, lower-case) → (full name, ISO country).
_STATES = """ala Alabama|ariz Arizona|ark Arkansas|calif California|colo Colorado|conn Connecticut|
del Delaware|fla Florida|ga Georgia|ill Illinois|ind Indiana|kan Kansas|kans Kansas|ky Kentucky|
la Louisiana|md Maryland|mass Massachusetts|mich Michigan|minn Minnesota|miss Mississippi|
mo Missouri|mont Montana|neb Nebraska|nev Nevada|n.h. New Hampshire|n.j. New Jersey|
n.m. New Mexico|n.y. New York|n.c. North Carolina|n.d. North Dakota|okla Oklahoma|ore Oregon|
pa Pennsylvania|r.i. Rhode Island|s.c. South Carolina|s.d. South Dakota|tenn Tennessee|
tex Texas|vt Vermont|va Virginia|wash Washington|wis Wisconsin|wyo Wyoming|d.c. District of Columbia"""
ABBREVIATIONS = {k: (v, "US") for k, v in (e.strip().split(" ", 1) for e in _STATES.split("|"))}
ABBREVIATIONS.update({"b.c.": ("British Columbia", "CA"), "bc": ("British Columbia", "CA"),
                      "ont": ("Ontario", "CA"), "que": ("Quebec", "CA"),
                      "alta": ("Alberta", "CA"), "sask": ("Saskatchewan", "CA"),
                      "nsw": ("New South Wales", "AU"), "usa": ("United States", "US"),
                      "uae": ("United Arab Emirates", "AE"), "dprk": ("North Korea", "KP"),
                      "l.a.": ("Los Angeles", "US"), "nyc": ("New York City", "US")})
# acronyms that name a place anywhere; the rest only after "Town," (AP dateline style)
ACRONYM_PLACES = {"usa", "uae", "dprk", "nsw", "nyc", "l.a."}
