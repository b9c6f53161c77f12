"""Names of people and organisations, merged per article: "Lavrov" is the "Sergei Lavrov" named earlier.

A surname maps to the fullest person name in the article that contains it, a short organisation
name to the longest organisation name it begins, and an acronym to the name it stands for ("the
Syrian Democratic Forces (SDF)"). Titles (Foreign Minister, Dr.), descriptions before a name
(neighbour, campaign manager), post-nominals (QC) and a possessive 's are cut; a generational
suffix (Jr.) stays in the name but does not hide its surname. Names in the narration are preferred
to names found only inside quotations, where the speaker may use another form or a case title.
"""

from __future__ import annotations

from typing import Final

from spacy.tokens import Token

from components.nlp.lexicon import (
    NAME_SUFFIXES,
    ORG_HEAD_WORDS,
    PERSON_NOUNS,
    POST_NOMINALS,
    SPOKES_NOUNS,
    TITLE_WORDS,
)

PERSON: Final = "person"
ORGANISATION: Final = "organisation"
UNNAMED: Final = "unnamed"
NAME_LABELS: Final[frozenset[str]] = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "LAW"})
ORG_LABELS: Final[frozenset[str]] = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "LAW"})
# Words cut from the front of a person's name: titles and descriptions ("Neighbour Peter Vance").
NAME_PREFIXES: Final = TITLE_WORDS | PERSON_NOUNS | SPOKES_NOUNS | frozenset("manager boss".split())

# Endings of nouns for what people do ("fisherman", "broadcaster", "economist", "historian").
DESCRIPTOR_SUFFIXES: Final = ("man", "woman", "er", "or", "ist", "ian")

# How much a name in the index is trusted, best first.
NARRATION, WEAK, QUOTED = range(3)


def norm(text: str) -> str:
    """Return a word lower-cased, without a final full stop, with a straight apostrophe."""
    return text.lower().rstrip(".").replace("’", "'")


def is_possessive(tok: Token) -> bool:
    return norm(tok.text) in ("'s", "'")


def _key(tokens: list[Token]) -> tuple[str, ...]:
    key = [norm(t.text) for t in tokens]
    while len(key) > 1 and key[-1] in NAME_SUFFIXES:
        key.pop()
    return tuple(key)


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


class NameIndex:
    """Every name of the article, so a later "Lavrov" becomes the earlier "Sergei Lavrov"."""

    def __init__(self) -> None:
        # surname -> (rank, key, text); first word -> (rank, key, text)
        self._person_by_last: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        self._org_by_first: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        self._acronyms: dict[str, str] = {}
        self._seen: dict[tuple[str, ...], int] = {}

    def add(self, tokens: list[Token], text: str, kind: str, rank: int = NARRATION) -> None:
        """Index a name (its cleaned tokens and text) as a person or an organisation."""
        key = _key(tokens)
        if not key or self._seen.get(key, QUOTED + 1) <= rank:
            return  # the same name again: keep the index small so lookups stay cheap
        self._seen[key] = rank
        if kind == PERSON:
            self._person_by_last.setdefault(key[-1], []).append((rank, key, text))
        else:
            self._org_by_first.setdefault(key[0], []).append((rank, key, text))
            initials = "".join(t.text[0] for t in tokens if t.text[:1].isupper())
            if len(initials) >= 2 and rank == NARRATION:
                self._acronyms.setdefault(initials, text)

    def add_acronym(self, acronym: str, text: str) -> None:
        """Record an acronym given in brackets after the name it stands for."""
        self._acronyms[acronym] = text

    def lookup(self, tokens: list[Token], quoted: bool = False) -> tuple[str, str] | None:
        """Return (fullest name, kind) for a mention, or None when the article has no fuller name.

        Names found only inside quotations serve only mentions inside quotations (``quoted``)."""
        key = _key(tokens)
        if not key:
            return None
        worst = QUOTED if quoted else WEAK
        if len(tokens) == 1 and tokens[0].text.isupper() and tokens[0].text in self._acronyms:
            return self._acronyms[tokens[0].text], ORGANISATION
        best: tuple[int, int, str] | None = None
        for rank, cand, text in self._person_by_last.get(key[-1], ()):
            if (
                rank <= worst
                and _contains(cand, key)
                and (best is None or (rank, -len(cand)) < (best[0], -best[1]))
            ):
                best = (rank, len(cand), text)
        if best is not None:
            return best[2], PERSON
        for rank, cand, text in self._org_by_first.get(key[0], ()):
            if (
                rank <= worst
                and cand[: len(key)] == key
                and (best is None or (rank, -len(cand)) < (best[0], -best[1]))
            ):
                best = (rank, len(cand), text)
        return (best[2], ORGANISATION) if best is not None else None


def clean_name_tokens(tokens: list[Token], person: bool) -> list[Token]:
    """Return a name's tokens without determiners, titles, post-nominals and a final possessive."""
    toks = list(tokens)
    while toks and is_possessive(toks[-1]):
        toks.pop()
    while len(toks) > 1 and norm(toks[-1].text) in POST_NOMINALS:
        toks.pop()
    while toks and (toks[0].lower_ in ("the", "a", "an") or toks[0].is_punct):
        toks.pop(0)
    if person and len(toks) > 1:
        # Cut after the last title word ("Santa Barbara County Sheriff Bill Brown" -> "Bill Brown"),
        # then after any "of Ukraine"-style tail of that title.
        last_title = -1
        for k, tok in enumerate(toks[:-1]):
            if norm(tok.text).replace("ex-", "") in NAME_PREFIXES:
                last_title = k
        toks = toks[last_title + 1 :]
        if len(toks) >= 3 and toks[0].is_sent_start and norm(toks[0].text).endswith(DESCRIPTOR_SUFFIXES):
            # "Fisherman Tomas Berg said": a description that opens the sentence, capitalised only
            # for that; two name words are left.
            toks = toks[1:]
        if last_title >= 0:
            # What is left of "President of Ukraine Volodymyr Zelenskyy" after the title.
            while len(toks) > 1 and (toks[0].is_lower or toks[0].ent_type_ in ORG_LABELS or toks[0].is_punct):
                toks.pop(0)
    return toks


def looks_like_person(tokens: list[Token]) -> bool:
    """Two or three capitalised words with no organisation word: NER's ORG "Dominic Hare"."""
    words = [t.text for t in tokens]
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and w.isalpha() and not w.isupper() for w in words)
        and not any(norm(w) in ORG_HEAD_WORDS for w in words)
    )
