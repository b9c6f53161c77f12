"""Deterministic news-like English text for the benchmarks, written for this project.

Every sentence comes from the templates and word lists below (our own writing; place names are
real so that the country component has work to do). The same seed always gives the same text,
so runs on different days and machines parse the same words.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# fmt: off
# (first name, pronoun): the pronoun lets a later sentence say "she said" about the same person.
FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Anna", "she"), ("Marek", "he"), ("Leila", "she"), ("Tomás", "he"), ("Ingrid", "she"),
    ("Samuel", "he"), ("Yara", "she"), ("Viktor", "he"), ("Nadia", "she"), ("Omar", "he"),
    ("Helen", "she"), ("Kenji", "he"), ("Sofia", "she"), ("David", "he"), ("Amara", "she"),
    ("Pieter", "he"), ("Claire", "she"), ("Rashid", "he"), ("Elena", "she"), ("James", "he"),
    ("Mariam", "she"), ("Lukas", "he"), ("Grace", "she"), ("Andrei", "he"),
)
LAST_NAMES: tuple[str, ...] = (
    "Kowalski", "Haddad", "Lindqvist", "Okafor", "Moreau", "Petrov", "Tanaka", "Fischer", "Mensah",
    "Castillo", "Novak", "Brennan", "Sato", "Hussein", "van Dijk", "Rossi", "Abadi", "Thompson",
    "Kovacs", "Ibrahim", "Nilsen", "Duarte", "Walsh", "Kaplan",
)
TITLES: tuple[str, ...] = (
    "Foreign Minister", "Defence Minister", "Finance Minister", "Prime Minister", "President",
    "General", "Senator", "Mayor", "Ambassador", "Governor",
)
ROLES: tuple[str, ...] = (
    "a spokeswoman for", "a spokesman for", "an adviser to", "the head of", "a senior official at",
    "an economist at", "a researcher at", "the director of",
)
# (country, a city in it, the people's adjective)
PLACES: tuple[tuple[str, str, str], ...] = (
    ("Syria", "Aleppo", "Syrian"), ("Russia", "Moscow", "Russian"), ("Turkey", "Ankara", "Turkish"),
    ("Greece", "Athens", "Greek"), ("France", "Lyon", "French"), ("Germany", "Hamburg", "German"),
    ("Poland", "Warsaw", "Polish"), ("Egypt", "Cairo", "Egyptian"), ("Kenya", "Nairobi", "Kenyan"),
    ("Brazil", "Recife", "Brazilian"), ("Japan", "Osaka", "Japanese"),
    ("Canada", "Toronto", "Canadian"), ("Nigeria", "Lagos", "Nigerian"),
    ("Jordan", "Amman", "Jordanian"), ("Spain", "Seville", "Spanish"),
    ("Ukraine", "Kharkiv", "Ukrainian"), ("India", "Mumbai", "Indian"),
    ("Mexico", "Monterrey", "Mexican"), ("Italy", "Naples", "Italian"),
    ("Norway", "Bergen", "Norwegian"),
)
ORGS: tuple[str, ...] = (
    "the United Nations", "the World Bank", "the European Union", "the Red Cross", "NATO",
    "the International Monetary Fund", "the World Health Organization", "Amnesty International",
    "the African Union", "the Central Bank", "the Harbour Workers Union",
    "the Coastal Research Institute",
)
WEEKDAYS: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)
THINGS: tuple[str, ...] = (
    "tonnes of grain", "medical kits", "tents", "water tanks", "school buses", "generators",
    "containers of flour", "fishing boats",
)
TOPICS: tuple[str, ...] = (
    "the ceasefire", "the trade agreement", "the new port", "fuel prices", "the election",
    "the border crossing", "the water supply", "the budget", "the harvest", "the railway line",
)
QUOTES: tuple[str, ...] = (
    "We will not accept terms that were written without us",
    "The ceasefire is holding, but nobody here believes it will last",
    "Our people need bread and medicine, not more speeches",
    "This agreement is the best chance we have had in ten years",
    "We are ready to talk, but we will not be rushed",
    "Nobody should be surprised by these numbers",
    "The roads are open again and the trucks are moving",
    "It is too early to say whether the plan will work",
    "We have asked for help many times and we are still waiting",
    "The decision was made in good faith and we stand by it",
    "Families cannot plan their lives when prices change every week",
    "There is no military solution to this conflict",
    "We expect the first results before the end of the year",
    "Every delay costs lives, and everyone at this table knows it",
    "The money has arrived, and now the real work begins",
    "We were not consulted, and we will say so at every meeting",
)
# fmt: on


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    pronoun: str
    title: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


class _Writer:
    """Writes one article's sentences; keeps who and where the story is about so it reads like one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.country, self.city, self.adjective = rng.choice(PLACES)
        self.org = rng.choice(ORGS)
        self.people = [self.new_person() for _ in range(3)]
        self.named: set[str] = set()
        self.last: Person | None = None  # whom "he" or "she" refers to

    def new_person(self) -> Person:
        first, pronoun = self.rng.choice(FIRST_NAMES)
        return Person(first, self.rng.choice(LAST_NAMES), pronoun, self.rng.choice(TITLES))

    def mention(self, person: Person) -> str:
        """Return the full name and title on first mention, the last name after that (as news does)."""
        self.last = person
        if person.full in self.named:
            return person.last
        self.named.add(person.full)
        return f"{self.adjective} {person.title} {person.full}"

    def sentence(self) -> str:
        text = self.rng.choice(_TEMPLATES)(self)
        return text[0].upper() + text[1:]  # "van Dijk said" opens a sentence as "Van Dijk said"

    def pick(self) -> tuple[Person, str, str, str, str]:
        rng = self.rng
        other_country, other_city, _ = rng.choice(PLACES)
        return rng.choice(self.people), rng.choice(QUOTES), rng.choice(TOPICS), other_country, other_city


def _said_after(w: _Writer) -> str:
    person, quote, *_ = w.pick()
    return f"“{quote},” {w.mention(person)} said."


def _said_pronoun(w: _Writer) -> str:
    if w.last is None:
        return _said_after(w)
    _, quote, *_ = w.pick()
    return f"“{quote},” {w.last.pronoun} said."


def _said_role(w: _Writer) -> str:
    _, quote, *_ = w.pick()
    other = w.new_person()
    w.last = other
    return f"“{quote},” said {other.full}, {w.rng.choice(ROLES)} {w.rng.choice(ORGS)}."


def _split_quote(w: _Writer) -> str:
    person, quote, _, _, _ = w.pick()
    second = w.rng.choice(QUOTES)
    return f"“{quote},” {w.mention(person)} told reporters in {w.city}. “{second}.”"


def _arrival(w: _Writer) -> str:
    person, _, topic, other_country, other_city = w.pick()
    day = w.rng.choice(WEEKDAYS)
    return (
        f"{w.mention(person)} arrived in {other_city} on {day} for talks on {topic} "
        f"with officials from {other_country}."
    )


def _according_to(w: _Writer) -> str:
    number = w.rng.randrange(2, 90) * 1000
    month = w.rng.choice(MONTHS)
    return f"According to {w.org}, more than {number:,} people have left {w.city} since {month}."


def _delivery(w: _Writer) -> str:
    number = w.rng.randrange(12, 900)
    return (
        f"Officials in {w.city} said {number} {w.rng.choice(THINGS)} had reached the {w.adjective} border "
        f"on {w.rng.choice(WEEKDAYS)}."
    )


def _report(w: _Writer) -> str:
    person, _, topic, other_country, _ = w.pick()
    return (
        f"{w.mention(person)} said the government of {w.country} would discuss {topic} "
        f"with {other_country} before the end of {w.rng.choice(MONTHS)}."
    )


def _background(w: _Writer) -> str:
    year = w.rng.randrange(1990, 2025)
    return (
        f"The dispute between {w.country} and its neighbours began in {year}, when {w.org} "
        f"first sent observers to {w.city}."
    )


def _reaction(w: _Writer) -> str:
    person, _, topic, _, other_city = w.pick()
    return (
        f"In {other_city}, hundreds of people gathered outside the town hall on {w.rng.choice(WEEKDAYS)} "
        f"to protest against {topic}, and {w.mention(person)} promised to meet their leaders."
    )


def _figures(w: _Writer) -> str:
    share = w.rng.randrange(3, 60)
    return (
        f"Prices in {w.city} rose by {share} percent last year, the fastest increase since records began, "
        f"figures from {w.rng.choice(ORGS)} showed."
    )


_TEMPLATES: tuple[Callable[[_Writer], str], ...] = (
    _said_after,
    _said_pronoun,
    _said_role,
    _split_quote,
    _arrival,
    _according_to,
    _delivery,
    _report,
    _background,
    _reaction,
    _figures,
)


def word_count(text: str) -> int:
    """Return the number of whitespace-separated words in ``text`` (how the benchmarks count words)."""
    return len(text.split())


def generate_article(seed: int, words: int) -> str:
    """Return a news-like article of at least ``words`` words, always the same for the same seed."""
    writer = _Writer(random.Random(seed))
    paragraphs: list[str] = []
    total = 0
    while total < words:
        sentences = [writer.sentence() for _ in range(writer.rng.randint(1, 4))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += word_count(paragraph)
    return "\n\n".join(paragraphs) + "\n"


def generate_archive(
    count: int, seed: int = 2026, min_words: int = 300, max_words: int = 800
) -> Iterator[tuple[str, str]]:
    """Yield ``count`` pairs of (article id, text), each of about ``min_words`` to ``max_words`` words."""
    rng = random.Random(seed)
    for index in range(count):
        yield (
            f"article-{index:05d}",
            generate_article(rng.randrange(2**32), rng.randint(min_words, max_words)),
        )


def write_archive(folder: Path, count: int, seed: int = 2026) -> int:
    """Return the number of words written as ``count`` generated ``.txt`` articles into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for article_id, text in generate_archive(count, seed):
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        total += word_count(text)
    return total
