"""The records a place lookup gives back, and how a mention's text becomes a lookup key.

``Candidate`` (one place a name may mean), ``Entry`` (all of them for one name), ``CountryTables``
(the lookups, built by ``country_data.load_tables``), the reasons a mention points to its country
and the tiers that rank kinds of names. No package data is read here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Final, NamedTuple

REASON_NAME: Final = "name"
REASON_DEMONYM: Final = "demonym"
REASON_CAPITAL: Final = "capital"
REASON_CITY: Final = "city"
REASON_SUBDIVISION: Final = "subdivision"
REASON_SEAT: Final = "seat of government"
REASON_LANDMARK: Final = "landmark"
# A name the article leaves undecided between places of several countries: the span gets no country.
REASON_AMBIGUOUS: Final = "ambiguous"
REASONS: Final = (
    REASON_NAME,
    REASON_DEMONYM,
    REASON_CAPITAL,
    REASON_CITY,
    REASON_SUBDIVISION,
    REASON_SEAT,
    REASON_LANDMARK,
    REASON_AMBIGUOUS,
)

# How strongly a kind of name points to its country, strongest first. A country's own name beats
# any place named like it; a seat of government beats a town abroad named like it (Casablanca's
# "White House"); a state or province beats any town of that name abroad; big towns beat counties.
TIER_COUNTRY: Final = 0
TIER_SEAT: Final = 1
TIER_SUBDIVISION: Final = 2
TIER_CITY: Final = 3
TIER_MINOR: Final = 4

_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})


def normalize_key(text: str) -> str:
    """Return the lookup key of a mention: case-folded, without "the", "'s", dots and hyphens.

    "The United States" → "united states", "U.S." → "us", "Russia’s" → "russia",
    "the United States'" → "united states", "al-Qaeda" → "al qaeda", "Uttar\nPradesh," →
    "uttar pradesh" (a hard-wrapped line, a comma the model took in). Accents are kept.
    """
    key = " ".join(text.translate(_PUNCTUATION).casefold().split()).rstrip(",;:")
    key = key.removeprefix("the ")
    key = key.removesuffix("'s").removesuffix("'")
    key = key.replace(".", "").replace("-", " ")
    return " ".join(key.split())


def abbreviation_key(text: str) -> str:
    """Return the lookup key of an abbreviation as written: case-folded, dots kept ("Fla." → "fla.")."""
    return "".join(text.split()).casefold()


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
    """One place a name may mean: its country, why, how big, where inside the country, how strong."""

    iso3: str
    reason: str
    # City population, or the country's population for names and demonyms (it orders ties such
    # as "Dominican": Dominican Republic before Dominica); 0 where unknown (states, landmarks).
    population: int
    region: str = ""  # ISO 3166-2 code of the subdivision it is or is in ("US-GA"), if known
    tier: int = TIER_CITY


class Entry(NamedTuple):
    """Every place one key may mean, strongest kind first, then biggest first."""

    candidates: tuple[Candidate, ...]

    @property
    def default(self) -> Candidate:
        """Return the strongest, biggest candidate: the meaning when the article says nothing more."""
        return self.candidates[0]

    @property
    def countries(self) -> frozenset[str]:
        """Return the alpha-3 codes of all candidates."""
        return frozenset(candidate.iso3 for candidate in self.candidates)


@dataclass(frozen=True)
class CountryTables:
    """All lookup tables; build with ``load_tables()``, which caches one instance per process."""

    exact: dict[str, Entry]  # normalize_key(name) → entry; "san jose" (USA) ≠ "san josé" (CRI)
    folded: dict[str, Entry]  # fold_accents(key) → entry, for text typed without accents
    abbreviations: dict[str, Candidate]  # abbreviation_key("Fla.") → the subdivision
    names: dict[str, str]  # alpha-3 → short English name
    numeric: dict[str, str]  # alpha-3 → ISO numeric, zero-padded like world-atlas ids ("004")
    blocked: frozenset[str]  # keys (exact and folded) that are never a country
    word_names: frozenset[str]  # keys that are also lower-case English words ("split", "most")
    acronyms: frozenset[str]  # keys of names written in capitals ("us", "uk", "uae")

    def lookup(self, text: str) -> Entry | None:
        """Return the entry for a mention's text, or None if it names no place we know.

        An acronym is one only in capitals: "US" and "U.S." are the United States, "Us" is not.
        """
        key = normalize_key(text)
        if key in self.blocked:
            return None
        if key in self.acronyms and not _ARTICLE.sub("", text.strip()).replace(".", "").isupper():
            return None
        entry = self.exact.get(key)
        if entry is None:
            entry = self.folded.get(fold_accents(key))
        return entry

    def is_blocked(self, text: str) -> bool:
        """Return True if ``text`` names something that is never a country ("NATO", "North America")."""
        return normalize_key(text) in self.blocked

    def abbreviation(self, text: str) -> Candidate | None:
        """Return the subdivision a news abbreviation written as ``text`` stands for ("Pa."), or None."""
        return self.abbreviations.get(abbreviation_key(text))

    def is_word(self, text: str) -> bool:
        """Return True if ``text`` is a place name that is also an English word ("Split", "Nice")."""
        return normalize_key(text) in self.word_names
