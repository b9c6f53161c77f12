"""Which of the places a name may mean the article means: the decision, from the evidence gathered.

Pure functions over ``country_data.Entry`` candidates and an ``ArticleContext`` (what the article's
other, already decided mentions point to). The rules, strongest first:

1. A qualifier decides ("Geneva, Switzerland", "Pueblo, Colo."; a place before it, "Atlanta,
   Georgia"), and so does the kind the text names ("the state of Georgia"). A small town placed by
   a state after it is there even when the only namesake we know is abroad ("Palm Beach, Florida":
   the data lists towns over 15,000 people, and its one Palm Beach is near Sydney).
2. A country's own name is that country. Where it is also a state abroad (Georgia), the state is
   meant only when the article names more places at state level in that state's country
   ("Florida", "Atlanta", "Ga.") than places of the country (Tbilisi, "Georgian").
   A name two countries share (Congo) goes to the one the article's places point to.
3. A seat of government or landmark is in its country; a name several countries use ("State
   House") goes to the one the article mentions, else to none.
4. A state or province is in its country, before any town of that name abroad; a town abroad is
   meant only when it is sizeable and the article is about its country and not the state's.
5. A town is the one in the state or country the article mentions (a namesake only if it is not a
   village next to a metropolis), else the biggest only when it is much bigger than the others;
   else none, with reason "ambiguous".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from components.nlp.place_records import (
    REASON_AMBIGUOUS,
    REASON_CAPITAL,
    REASON_CITY,
    REASON_SUBDIVISION,
    TIER_COUNTRY,
    TIER_SEAT,
    TIER_SUBDIVISION,
    Candidate,
    Entry,
)

# A town every reading of which is smaller than this, named with a state or province of another
# country after it, is in that state ("Palm Beach, Florida"); a bigger one is more likely an item of
# a list.
QUALIFIED_TOWN_MAX_POPULATION: Final = 100_000

# A namesake smaller than this share of the biggest place of the name is a village next to a
# metropolis: the article's mention of its country alone does not make it meant ("the Paris accord"
# in a US-only article is still France's Paris; Geneva, Illinois is 11% of Geneva).
NAMESAKE_SHARE: Final = 0.15
# With no evidence, the biggest place of a name is meant only when it is this much bigger than the
# next country's: Córdoba, Argentina (6×) yes, Valencia, Venezuela (2×) no.
MUCH_BIGGER: Final = 2.5
# A town abroad named like a state is meant over the state only when it is a real city.
TOWN_OVER_STATE_MIN_POPULATION: Final = 100_000
# A city this big is what its name means in its own country, before the state or province it
# shares the name with (New York, São Paulo); smaller ones give way (Quebec the province).
METROPOLIS: Final = 1_000_000

AMBIGUOUS: Final = Candidate("", REASON_AMBIGUOUS, 0, "", 9)


@dataclass
class ArticleContext:
    """What the article's decided mentions point to: countries, and states or provinces."""

    countries: Counter[str] = field(default_factory=Counter)
    regions: Counter[str] = field(default_factory=Counter)  # ISO 3166-2 codes mentioned
    regional: Counter[str] = field(default_factory=Counter)  # countries of mentions at state level

    @classmethod
    def of(cls, context: Counter[str] | ArticleContext | None) -> ArticleContext:
        """Return ``context`` as an ArticleContext (a Counter of alpha-3 codes gives the countries)."""
        if isinstance(context, ArticleContext):
            return context
        return cls(countries=Counter(context or {}))

    def add(self, candidate: Candidate) -> None:
        """Count one decided mention. A capital stands for its government, not for its region."""
        self.countries[candidate.iso3] += 1
        if candidate.region and candidate.reason != REASON_CAPITAL:
            self.regions[candidate.region] += 1
            self.regional[candidate.iso3] += 1


class _Country(NamedTuple):
    """One country's reading of a name: the candidate to report, its strongest tier, its size."""

    candidate: Candidate
    tier: int
    size: int


def _by_country(candidates: tuple[Candidate, ...] | list[Candidate]) -> list[_Country]:
    """Return one reading per country, strongest tier first, then biggest first."""
    grouped: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        grouped.setdefault(candidate.iso3, []).append(candidate)
    readings = []
    for group in grouped.values():
        tier = min(c.tier for c in group)
        size = max(c.population for c in group)
        chosen = group[0]  # candidates come strongest first
        if tier > TIER_COUNTRY:
            # Washington is the capital before the state; New York the city before the state.
            capital = next((c for c in group if c.reason == REASON_CAPITAL), None)
            metropolis = next(
                (c for c in group if c.reason == REASON_CITY and c.population >= METROPOLIS), None
            )
            chosen = capital or metropolis or chosen
        readings.append(_Country(chosen, tier, size))
    readings.sort(key=lambda r: (r.tier, -r.size))
    return readings


def _favoured(readings: list[_Country], context: ArticleContext) -> _Country | None:
    """Return the reading whose country the article mentions most, or None if it mentions none."""
    best = max(readings, key=lambda r: context.countries[r.candidate.iso3])
    return best if context.countries[best.candidate.iso3] > 0 else None


def _in_mentioned_region(candidates: tuple[Candidate, ...], context: ArticleContext) -> Candidate | None:
    """Return the town or state whose state the article names ("Birmingham" with "Alabama")."""
    placed = [c for c in candidates if c.region and c.tier > TIER_SEAT and context.regions[c.region] > 0]
    return max(placed, key=lambda c: (context.regions[c.region], c.population)) if placed else None


def choose(
    entry: Entry,
    context: Counter[str] | ArticleContext | None = None,
    qualifier: Candidate | None = None,
    anchor_regions: frozenset[str] = frozenset(),
    cue: str | None = None,
) -> Candidate:
    """Return the candidate of ``entry`` the evidence points to, or ``AMBIGUOUS`` (see module docstring)."""
    article = ArticleContext.of(context)
    candidates = entry.candidates
    if qualifier is not None and (placed := placed_by(entry, qualifier)) is not None:
        return placed
    if anchor_regions and (inside := [c for c in candidates if c.region in anchor_regions]):
        return inside[0]
    if cue is not None:
        wanted = [c for c in candidates if (c.reason == REASON_SUBDIVISION) == (cue == "subdivision")]
        candidates = tuple(wanted) or candidates
    readings = _by_country(candidates)
    if len(readings) == 1:
        return readings[0].candidate
    top = readings[0]
    if top.tier == TIER_COUNTRY:
        return _choose_country(readings, article)
    if (placed := _in_mentioned_region(candidates, article)) is not None:
        return placed
    if top.tier == TIER_SEAT:
        seats = [r for r in readings if r.tier == TIER_SEAT]
        favoured = _favoured(seats, article)
        return (favoured or (seats[0] if len(seats) == 1 else None) or _AMBIGUOUS_READING).candidate
    if top.tier == TIER_SUBDIVISION:
        return _choose_subdivision(readings, article)
    return _choose_town(readings, article)


def placed_by(entry: Entry, qualifier: Candidate) -> Candidate | None:
    """Return the candidate of ``entry`` its qualifier decides ("Geneva, Switzerland"), or None where
    the qualifier leaves it to the other rules."""
    candidates = entry.candidates
    pinned = [c for c in candidates if qualifier.region and c.region == qualifier.region]
    pinned = pinned or [c for c in candidates if c.iso3 == qualifier.iso3 and c.tier > TIER_COUNTRY]
    if pinned:
        return _by_country(pinned)[0].candidate
    small_towns = all(
        c.reason == REASON_CITY and c.population < QUALIFIED_TOWN_MAX_POPULATION for c in candidates
    )
    if small_towns and qualifier.reason == REASON_SUBDIVISION:
        # Which town we do not know, only where the writer put it. A country after the comma may as
        # well start a list ("Bethlehem, Jordan and Egypt"); a state rarely does.
        return Candidate(qualifier.iso3, REASON_CITY, 0, qualifier.region)
    return None


_AMBIGUOUS_READING = _Country(AMBIGUOUS, 9, 0)


def _choose_country(readings: list[_Country], article: ArticleContext) -> Candidate:
    names = [r for r in readings if r.tier == TIER_COUNTRY]
    if len(names) > 1:  # a name two countries share: the one the article is about, else the bigger
        return (_favoured(names, article) or names[0]).candidate
    country = names[0].candidate
    for reading in readings[1:]:
        state = reading.candidate
        if reading.tier != TIER_SUBDIVISION:
            continue
        at_state_level = article.regional[state.iso3] + article.regions[state.region]
        if at_state_level > article.countries[country.iso3]:
            return state
    return country


def _choose_subdivision(readings: list[_Country], article: ArticleContext) -> Candidate:
    states = [r for r in readings if r.tier == TIER_SUBDIVISION]
    favoured = _favoured(states, article)
    if favoured is not None:
        return favoured.candidate
    # The article is about none of the states' countries: a sizeable town in one it is about.
    for town in readings:
        sizeable = town.tier > TIER_SUBDIVISION and town.size >= TOWN_OVER_STATE_MIN_POPULATION
        if sizeable and article.countries[town.candidate.iso3] > 0:
            return town.candidate
    if len(states) > 1 and states[0].size < MUCH_BIGGER * states[1].size:
        return AMBIGUOUS
    return states[0].candidate


def _choose_town(readings: list[_Country], article: ArticleContext) -> Candidate:
    if article.countries[readings[0].candidate.iso3] > 0:
        return readings[0].candidate  # the biggest, in a country the article mentions
    biggest = max(r.size for r in readings)
    namesakes = [r for r in readings if r.size >= NAMESAKE_SHARE * biggest]
    favoured = _favoured(namesakes, article)
    if favoured is not None:
        return favoured.candidate
    first, second = readings[0], readings[1]
    if first.tier < second.tier or first.size >= MUCH_BIGGER * second.size:
        return first.candidate
    return AMBIGUOUS
