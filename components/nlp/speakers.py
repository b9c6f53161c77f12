"""Speaker attribution for direct quotations: cue verbs, speaker mentions and per-article names.

``components.quotes`` finds the quotation spans; this module decides who said each one. All the
per-document work happens once in :class:`DocView` (token arrays, a name index, the salient
subjects that pronouns may refer to), so attributing a quote only looks at the tokens near it.

Rules, in the order they are tried for one quote:

1. a cue right after the quote (``"…," Lavrov said`` / ``"…," said Lavrov`` / ``"…," according to``),
2. a cue right before it (``Lavrov said: "…"`` / ``He tweeted, "…"`` / ``wrote "…"``),
3. the dependency path from the quote up to a speech verb (partial quotes inside reported speech:
   ``X said the victims were "…"``, ``Russia seeks "…", Lavrov said``),
4. the nearest speech verb or ``according to`` elsewhere in the quote's sentence,
5. (in ``quotes``) continuation from the previous attributed quote, or the enclosing quote's speaker.

The speaker of a cue is its subject (or a name in apposition to it: "the bishop, Allan Casicas"),
the agent of a passive (``described by the agency as "…"``), the object of ``according to``, or the
subject of the verb a participle hangs from (``…, saying "…"``). Pronouns (he/she, it/they) are
resolved to the most recent matching person or organisation that was a main-clause subject or a
speaker before the pronoun; he/she may skip back over up to two people to one whose gender the
text showed (his/her, Mr/Mrs). Mentions inside a quote only count for quotes nested in it. A
spokesperson, representative or statement stands for its organisation; a statement with no
owner stands for the latest speaker whose name shares its modifier ("the Turkish statement").

Names are merged per article: a surname maps to the longest person name in the article that ends
with it, a short organisation name to the longest organisation name it begins, an acronym to the
name it abbreviates; titles (Foreign Minister, Dr., Sheriff…), post-nominals (QC) and possessive
's are removed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from spacy.tokens import Doc, Span, Token

from components.nlp.lexicon import (
    DOCUMENT_NOUNS,
    IRREGULAR_FORMS,
    ORG_HEAD_WORDS,
    PERSON_NOUNS,
    POST_NOMINALS,
    SPEECH_VERBS,
    SPOKES_NOUNS,
    TITLE_WORDS,
)

PERSON: Final = "person"
ORGANISATION: Final = "organisation"

# Words cut from the front of a person's name: titles and descriptions ("Neighbour Peter Vance").
_NAME_PREFIXES: Final = TITLE_WORDS | PERSON_NOUNS | SPOKES_NOUNS | frozenset("manager boss".split())
NAME_LABELS: Final[frozenset[str]] = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
ORG_LABELS: Final[frozenset[str]] = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})

# fmt: off
_GENDERED_TITLES: Final[dict[str, str]] = {
    "mr": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m",
    "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f", "queen": "f", "princess": "f",
}
_GENDERED_PRONOUNS: Final[dict[str, str]] = {
    "his": "m", "him": "m", "himself": "m", "her": "f", "hers": "f", "herself": "f",
}
# fmt: on
MALE_PRONOUNS: Final = frozenset({"he", "him"})
FEMALE_PRONOUNS: Final = frozenset({"she", "her"})
GROUP_PRONOUNS: Final = frozenset({"it", "they", "them"})
FIRST_PERSON: Final = frozenset({"i", "we"})
SUBJECT_DEPS: Final = frozenset({"nsubj", "nsubjpass", "csubj"})
# A cue verb hanging from another verb this way borrows that verb's subject ("…, saying").
BORROW_SUBJECT_DEPS: Final = frozenset({"advcl", "xcomp", "conj", "pcomp", "prep"})
# Clauses under these are reported content, so their subjects are not salient referents.
EMBEDDED_DEPS: Final = frozenset({"ccomp", "relcl", "acl", "csubj", "pcomp"})

# How far (tokens) a cue may sit from a quote mark and still count as "right beside" it.
AFTER_REACH: Final = 8
AFTER_REACH_LOWER: Final = 2  # `"…" he said` with no comma: only the very next words
BEFORE_REACH_PUNCT: Final = 12
BEFORE_REACH_BARE: Final = 3
MAX_HEAD_STEPS: Final = 12
MAX_SALIENT_LOOKBACK: Final = 40
GENDER_LOOKBACK: Final = 3  # distinct people a he/she may skip back over to match gender
_SENTENCE_END: Final = frozenset({".", "!", "?"})


def _forms(lemmas: Iterable[str]) -> dict[str, str]:
    forms: dict[str, str] = dict(IRREGULAR_FORMS)
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        for form in (lemma, lemma + "s", stem + "ed", stem + "ing", lemma + "ed"):
            forms.setdefault(form, lemma)
    return forms


SPEECH_VERB_FORMS: Final[dict[str, str]] = _forms(SPEECH_VERBS)


@dataclass(frozen=True, slots=True)
class Mention:
    """Who a mention in the text refers to: the canonical name and the mention's char span."""

    name: str | None
    kind: str | None
    start: int
    end: int
    pronoun: bool = False


@dataclass(frozen=True, slots=True)
class Attribution:
    """The outcome of attributing one quote (before continuation/nesting rules)."""

    mention: Mention | None
    cue: str | None
    rule: str  # "after" | "before" | "dependency" | "according" | "window" | "none"


def _norm(text: str) -> str:
    return text.lower().rstrip(".").replace("’", "'")


def _is_possessive(tok: Token) -> bool:
    return _norm(tok.text) in ("'s", "'")


class NameIndex:
    """Every name of the article, so a later "Lavrov" becomes the earlier "Sergei Lavrov"."""

    def __init__(self) -> None:
        self._person_by_last: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # Names NER called ORG that the context shows are people: used only when no PERSON fits.
        self._weak_person_by_last: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._org_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._acronyms: dict[str, str] = {}
        self._seen: set[tuple[str, ...]] = set()

    def add(self, tokens: list[Token], text: str, kind: str, weak: bool = False) -> None:
        key = tuple(_norm(t.text) for t in tokens)
        if not key:
            return
        if key in self._seen:
            return  # the same name again: keep the index small so lookups stay cheap
        self._seen.add(key)
        if kind == PERSON:
            table = self._weak_person_by_last if weak else self._person_by_last
            table.setdefault(key[-1], []).append((key, text))
        else:
            self._org_by_first.setdefault(key[0], []).append((key, text))
            initials = "".join(t.text[0] for t in tokens if t.text[:1].isupper())
            if len(initials) >= 2:
                self._acronyms.setdefault(initials, text)

    def add_acronym(self, acronym: str, text: str) -> None:
        self._acronyms[acronym] = text

    def lookup(self, tokens: list[Token]) -> tuple[str, str] | None:
        """Return (fullest name, kind) for a mention, or None when the article has no fuller name."""
        key = tuple(_norm(t.text) for t in tokens)
        if not key:
            return None
        best: tuple[int, str, str] | None = None
        for cand, text in self._person_by_last.get(key[-1], ()):
            if _contains(cand, key) and (best is None or len(cand) > best[0]):
                best = (len(cand), text, PERSON)
        if best is None:
            for cand, text in self._weak_person_by_last.get(key[-1], ()):
                if _contains(cand, key) and (best is None or len(cand) > best[0]):
                    best = (len(cand), text, PERSON)
        if best is not None:
            return best[1], best[2]
        for cand, text in self._org_by_first.get(key[0], ()):
            if cand[: len(key)] == key and (best is None or len(cand) > best[0]):
                best = (len(cand), text, ORGANISATION)
        if best is not None:
            return best[1], best[2]
        if len(tokens) == 1 and tokens[0].text.isupper() and tokens[0].text in self._acronyms:
            return self._acronyms[tokens[0].text], ORGANISATION
        return None


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def clean_name_tokens(tokens: list[Token], person: bool) -> list[Token]:
    """Drop determiners, titles, post-nominals and a trailing possessive from a name's tokens."""
    toks = list(tokens)
    while toks and _is_possessive(toks[-1]):
        toks.pop()
    while len(toks) > 1 and _norm(toks[-1].text) in POST_NOMINALS:
        toks.pop()
    while toks and (toks[0].lower_ in ("the", "a", "an") or toks[0].is_punct):
        toks.pop(0)
    if person and len(toks) > 1:
        # Cut after the last title word ("Santa Barbara County Sheriff Bill Brown" -> "Bill Brown"),
        # then after any "of Ukraine"-style tail of that title.
        last_title = -1
        for k, tok in enumerate(toks[:-1]):
            if _norm(tok.text).replace("ex-", "") in _NAME_PREFIXES:
                last_title = k
        toks = toks[last_title + 1 :]
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
        and not any(_norm(w) in ORG_HEAD_WORDS for w in words)
    )


def _span_text(doc: Doc, tokens: list[Token]) -> str:
    # Doc.text is rebuilt from every token on each access, so never index it per mention.
    first, last = tokens[0], tokens[-1]
    return doc[first.i : last.i + 1].text


class DocView:
    """Everything attribution needs from one Doc, computed once (linear in tokens)."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text  # Doc.text costs a pass over the tokens
        self.n = len(doc)
        self.has_dep = doc.has_annotation("DEP")
        self.has_ents = doc.has_annotation("ENT_IOB")
        self.has_lemma = doc.has_annotation("LEMMA")
        self.has_pos = doc.has_annotation("POS")
        self.tok_starts = [t.idx for t in doc]
        self.para = [0] * self.n
        para = 0
        for t in doc:
            self.para[t.i] = para
            if "\n" in t.text:
                para += 1
        self.sent_lo = [0] * self.n
        self.sent_hi = [self.n] * self.n
        if self.has_dep or doc.has_annotation("SENT_START"):
            for sent in doc.sents:
                for i in range(sent.start, sent.end):
                    self.sent_lo[i] = sent.start
                    self.sent_hi[i] = sent.end
        else:
            start = 0
            for t in doc:
                if "\n" in t.text or t.i == self.n - 1:
                    for i in range(start, t.i + 1):
                        self.sent_lo[i], self.sent_hi[i] = start, t.i + 1
                    start = t.i + 1
        # Innermost quote (index into the caller's list) per token; filled by set_quotes().
        self.quote_of = [-1] * self.n
        self.quote_parent: list[int] = []
        self.quote_ranges: list[tuple[int, int]] = []
        self.ent_of = [-1] * self.n
        self.ents = list(doc.ents) if self.has_ents else []
        for k, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.ent_of[i] = k
        self.names = NameIndex()
        # Gender seen in the text (his/her, Mr/Mrs) vs. also guessed from resolved pronouns.
        self.gender_evidence: dict[str, str] = {}
        self.gender: dict[str, str] = {}
        self._salient: list[tuple[int, Mention]] = []
        self._salient_pos: list[int] = []
        self._persons_pos: list[int] = []
        self._persons_anywhere: list[tuple[int, Mention]] = []
        self._history: list[tuple[int, Mention]] = []
        self._speech_subjects: list[tuple[int, Mention]] = []  # "Roberts says …" outside quotes

    # -- setup -----------------------------------------------------------------------------

    def set_quotes_ordered(self, ranges: list[tuple[int, int]], parents: list[int], order: list[int]) -> None:
        """Record quote token ranges (``order``: outer quotes first) and index names and subjects."""
        self.quote_parent = parents
        self.quote_ranges = ranges
        for q in order:
            lo, hi = ranges[q]
            for i in range(lo, hi):
                self.quote_of[i] = q
        self._index_names()
        self._index_salient()

    def token_at(self, char: int) -> int:
        return max(0, bisect_right(self.tok_starts, char) - 1)

    def _index_names(self) -> None:
        doc = self.doc
        for ent in self.ents:
            if ent.label_ not in NAME_LABELS or ent.label_ == "NORP":
                continue
            weak = ent.label_ == "ORG" and self._person_evidence(ent)
            person = ent.label_ == "PERSON" or weak
            toks = clean_name_tokens(list(ent), person)
            if not toks:
                continue
            self.names.add(toks, _span_text(doc, toks), PERSON if person else ORGANISATION, weak=weak)
            if (
                not person
                and ent.end + 2 < self.n
                and doc[ent.end].text == "("
                and doc[ent.end + 2].text == ")"
            ):
                acronym = doc[ent.end + 1].text
                if acronym.isupper() and acronym.isalpha():
                    self.names.add_acronym(acronym, _span_text(doc, toks))

    def _person_evidence(self, ent: Span) -> bool:
        """Whether an ORG-tagged name is really a person: "Prosecutor Kama Melly QC",
        "Tomasz Kubiak, a fire service spokesman", "the current bishop, Allan Casicas"."""
        if not looks_like_person(clean_name_tokens(list(ent), True)):
            return False
        words = PERSON_NOUNS | SPOKES_NOUNS | TITLE_WORDS
        if ent.start > 0 and _norm(self.doc[ent.start - 1].text) in words:
            return True
        if ent.end < self.n and _norm(self.doc[ent.end].text) in POST_NOMINALS:
            return True
        if not self.has_dep:
            return False
        root = ent.root
        if root.dep_ == "appos" and _norm(root.head.lemma_) in words:
            return True
        return any(c.dep_ == "appos" and _norm(c.lemma_) in words for c in root.children)

    def _index_salient(self) -> None:
        """Collect person/organisation mentions a later pronoun may refer to, in text order."""
        if not self.has_dep:
            for ent in self.ents:
                if ent.label_ == "PERSON" and self.quote_of[ent.start] < 0:
                    m = self.mention_for_name(ent.root)
                    if m is not None:
                        self._salient.append((ent.start, m))
        for t in self.doc:
            if self.has_dep:
                according = t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"
                subject = t.dep_ in SUBJECT_DEPS or according
                if subject and self.quote_of[t.i] < 0 and t.pos_ != "PRON":
                    speaks = self.cue_lemma(t.head) is not None
                    # Subjects of reported clauses are not referents, unless they speak themselves.
                    m = (
                        self.mention_for_name(t)
                        if according or speaks or not self._embedded(t.head)
                        else None
                    )
                    if m is not None and m.name:
                        self._salient.append((t.i, m))
                        if speaks and (t.pos_ == "PROPN" or self._label(t) in NAME_LABELS):
                            self._speech_subjects.append((t.i, m))
                        if m.kind == PERSON and m.name not in self.gender:
                            self._learn_gender(t, m.name)
            if self.ent_of[t.i] >= 0 and self.ents[self.ent_of[t.i]].label_ == "PERSON":
                ent = self.ents[self.ent_of[t.i]]
                if t.i == ent.end - 1 or (t.i == ent.end - 2 and _is_possessive(ent[-1])):
                    m = self.mention_for_name(t)
                    if m is not None:
                        self._persons_anywhere.append((t.i, m))
        self._salient.sort(key=lambda item: item[0])
        self._salient_pos = [i for i, _ in self._salient]
        self._persons_pos = [i for i, _ in self._persons_anywhere]

    def _learn_gender(self, subj: Token, name: str) -> None:
        """Learn a subject's gender from a Mr/Mrs before the name or a his/her after it, before
        anyone else is named in the sentence ("Coach Dan Price praised his players")."""
        before = self.doc[subj.left_edge.i - 1].lower_.rstrip(".") if subj.left_edge.i > 0 else ""
        if before in _GENDERED_TITLES:
            self.gender[name] = self.gender_evidence[name] = _GENDERED_TITLES[before]
            return
        for j in range(subj.i + 1, min(self.sent_hi[subj.i], subj.i + 30)):
            tok = self.doc[j]
            if self.quote_of[j] >= 0 or self._label(tok) == "PERSON":
                return
            if tok.lower_ in _GENDERED_PRONOUNS:
                self.gender[name] = self.gender_evidence[name] = _GENDERED_PRONOUNS[tok.lower_]
                return

    def _embedded(self, verb: Token) -> bool:
        for _ in range(MAX_HEAD_STEPS):
            if verb.dep_ in EMBEDDED_DEPS:
                return True
            if verb.head.i == verb.i:
                return False
            verb = verb.head
        return False

    def remember(self, tok_i: int, mention: Mention) -> None:
        """A resolved speaker becomes the most salient referent from here on."""
        self._history.append((tok_i, mention))

    # -- token predicates --------------------------------------------------------------------

    def cue_lemma(self, tok: Token) -> str | None:
        low = tok.lower_
        if low == "according":
            nxt = tok.i + 1
            return "according to" if nxt < self.n and self.doc[nxt].lower_ == "to" else None
        lemma = tok.lemma_.lower() if self.has_lemma else SPEECH_VERB_FORMS.get(low)
        if lemma not in SPEECH_VERBS:
            return None
        if self.has_pos and tok.pos_ not in ("VERB", "AUX"):
            return None
        return lemma

    # -- mentions -----------------------------------------------------------------------------

    def mention_for_name(self, tok: Token, person_hint: bool = False) -> Mention | None:
        """A mention for a proper-name or descriptive token (no pronoun resolution).

        ``person_hint``: the token names a person whatever NER says (it follows a person's title).
        """
        doc = self.doc
        label = ""
        if person_hint and self._label(tok) != "PERSON":
            label = "PERSON"
            toks = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
            toks = list(doc[toks[0].i if toks else tok.i : tok.i + 1])
            if toks[0].i > 0 and doc[toks[0].i - 1].lower_ in ("of", "to", "for", "at") and len(toks) > 2:
                # "President of Ukraine Volodymyr Zelenskyy": the place goes with the title.
                dropped = 0
                while len(toks) > 2 and toks[0].ent_type_ in ("GPE", "LOC", "NORP"):
                    toks.pop(0)
                    dropped += 1
                if not dropped:
                    toks.pop(0)
        elif self.ent_of[tok.i] >= 0 and self.ents[self.ent_of[tok.i]].label_ in NAME_LABELS:
            ent = self.ents[self.ent_of[tok.i]]
            toks, label = list(ent), ent.label_
        elif tok.pos_ == "PROPN" or (not self.has_pos and tok.is_title):
            toks = [tok]
            if self.has_dep:  # spaCy can crash walking the tree of an unparsed Doc
                lefts = [
                    c
                    for c in tok.lefts
                    if c.dep_ in ("compound", "flat") and (c.pos_ == "PROPN" or c.is_title)
                ]
                toks = list(doc[lefts[0].i if lefts else tok.i : tok.i + 1])
                toks += [c for c in tok.rights if c.dep_ == "flat"]
        else:
            return self._descriptive(tok)
        person_like = label == "PERSON" or (label == "" and _norm(toks[-1].text) not in ORG_HEAD_WORDS)
        if label == "ORG" and not person_like:
            # NER calls many people ORG: clean as a person unless it ends like an organisation.
            as_org = clean_name_tokens(toks, person=False)
            toks = (
                as_org
                if as_org and _norm(as_org[-1].text) in ORG_HEAD_WORDS
                else clean_name_tokens(toks, True)
            )
        else:
            toks = clean_name_tokens(toks, person=person_like)
        if not toks:
            return None
        found = self.names.lookup(toks)
        if found is not None:
            name, kind = found
        else:
            name = _span_text(doc, toks)
            if label == "NORP":
                return None
            kind = PERSON if person_like else ORGANISATION
            self.names.add(toks, name, kind)
        return Mention(name, kind, toks[0].idx, toks[-1].idx + len(toks[-1].text))

    def _descriptive(self, tok: Token) -> Mention | None:
        """A common-noun speaker: "the Turkish military", "one of the victims", "police"."""
        if (tok.pos_ not in ("NOUN", "NUM", "PROPN") and self.has_pos) or not self.has_dep:
            return None
        lemma = tok.lemma_.lower() if self.has_lemma else tok.lower_
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ in ("PROPN", "NOUN"):
                named = self.mention_for_name(child) if child.pos_ == "PROPN" else None
                if named is not None:
                    return named
        if lemma in SPOKES_NOUNS or lemma in DOCUMENT_NOUNS:
            owner = self._owner(tok)
            if owner is not None:
                return owner
        if lemma in DOCUMENT_NOUNS:
            return None  # resolved by the caller from context
        if tok.pos_ == "NUM" or lemma == "one":
            of = next((c for c in tok.children if c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is None:
                return None
            toks = list(self.doc[tok.i : pobj.i + 1])
            return Mention(
                _span_text(self.doc, toks).lower(), PERSON, toks[0].idx, toks[-1].idx + len(toks[-1].text)
            )
        lefts = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod")]
        toks = list(self.doc[lefts[0].i if lefts else tok.i : tok.i + 1])
        text = _span_text(self.doc, toks)
        if lemma in PERSON_NOUNS:
            return Mention(text.lower(), PERSON, toks[0].idx, toks[-1].idx + len(toks[-1].text))
        return Mention(text, ORGANISATION, toks[0].idx, toks[-1].idx + len(toks[-1].text))

    def _owner(self, noun: Token) -> Mention | None:
        """Whom a spokesperson or statement speaks for: "Hampshire Police spokesman", "…from Iran"."""
        if not self.has_dep:
            return None
        for child in noun.children:
            if child.dep_ == "poss" and child.pos_ != "PRON":
                return self.mention_for_name(child)
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "for", "of", "at"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and (pobj.pos_ == "PROPN" or self.ent_of[pobj.i] >= 0):
                    return self.mention_for_name(pobj)
            if child.dep_ == "acl":  # "the report, published by the Ocean Trust"
                pobj = self._pobj(next((c for c in child.children if c.dep_ == "agent"), None))
                if pobj is not None:
                    return self.mention_for_name(pobj)
        compounds = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if compounds:
            return self.mention_for_name(compounds[-1])
        return None

    def resolve_pronoun(self, pron: Token, region: tuple[int, int] | None) -> Mention | None:
        """Resolve he/she/it/they to the latest compatible referent before the pronoun."""
        low = pron.lower_
        gender: str | None = None
        if low in GROUP_PRONOUNS:
            want = ORGANISATION
        elif low in MALE_PRONOUNS | FEMALE_PRONOUNS:
            want, gender = PERSON, "m" if low in MALE_PRONOUNS else "f"
        else:
            return None
        if region is not None and want == PERSON:
            # Inside a quote, the pronoun refers to someone the quoted speaker just mentioned.
            k = bisect_left(self._persons_pos, pron.i)
            for i, m in reversed(self._persons_anywhere[:k]):
                if i < region[0]:
                    break
                if self._gender_ok(m, gender):
                    return self._as_pronoun(m, pron, gender)
        k = bisect_left(self._salient_pos, pron.i)
        recent = self._salient[max(0, k - MAX_SALIENT_LOOKBACK) : k]
        recent += [(i, m) for i, m in self._history[-MAX_SALIENT_LOOKBACK:] if i < pron.i]
        recent.sort(key=lambda item: item[0])
        candidates: list[tuple[int, Mention]] = []
        for i, m in reversed(recent):
            if m.kind == want and self._gender_ok(m, gender) and all(m.name != c.name for _, c in candidates):
                candidates.append((i, m))
                if len(candidates) == GENDER_LOOKBACK:
                    break
        if not candidates:
            return None
        # A referent known to match the pronoun's gender beats a more recent one of unknown gender.
        known = [c for c in candidates if gender and self.gender_evidence.get(c[1].name or "") == gender]
        return self._as_pronoun((known or candidates)[0][1], pron, gender)

    def _gender_ok(self, m: Mention, gender: str | None) -> bool:
        known = self.gender.get(m.name or "")
        return gender is None or known is None or known == gender

    def _as_pronoun(self, m: Mention, pron: Token, gender: str | None) -> Mention:
        if gender and m.name:
            self.gender.setdefault(m.name, gender)
        return Mention(m.name, m.kind, pron.idx, pron.idx + len(pron.text), pronoun=True)

    def recent_speaker(self, before: int, kind: str | None, word: str | None) -> Mention | None:
        """The latest speaker or speech-verb subject before token ``before`` (optionally of
        ``kind``, or whose name contains ``word``)."""
        best: tuple[int, Mention] | None = None
        for source in (self._history, self._speech_subjects):
            for i, m in reversed(source):
                if i >= before or (kind and m.kind != kind):
                    continue
                if word is None or word in (m.name or "").lower().split():
                    if best is None or i > best[0]:
                        best = (i, m)
                    break
        return best[1] if best else None

    # -- speakers of cues -------------------------------------------------------------------------

    def speaker_of_cue(self, cue: Token, region: tuple[int, int] | None) -> Mention | None:
        """The mention that a cue verb (or ``according to``) attributes its content to."""
        if cue.lower_ == "according":
            to = self.doc[cue.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if self.has_dep else None
            if pobj is None and cue.i + 2 < self.n:
                pobj = self.doc[cue.i + 2]
            return self.mention_of(pobj, cue, region) if pobj is not None else None
        if not self.has_dep:
            return self._adjacent_speaker(cue, region)
        verb = cue
        for _ in range(4):
            subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None and subj.dep_ == "nsubjpass":
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                pobj = self._pobj(agent)
                return self.mention_of(pobj, cue, region) if pobj is not None else None
            if subj is not None:
                return self.mention_of(subj, cue, region)
            if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
                return self.mention_of(verb.head, cue, region)  # "a statement saying …"
            if verb.dep_ not in BORROW_SUBJECT_DEPS or verb.head.i == verb.i:
                break
            verb = verb.head
        return self._name_before(verb, region)

    def _name_before(self, verb: Token, region: tuple[int, int] | None) -> Mention | None:
        # The parser sometimes leaves a verb without a subject ("… itself Ford also made …"):
        # take a name or pronoun standing right before it, past adverbs and auxiliaries.
        j = verb.i - 1
        while j >= 0 and (self.doc[j].pos_ in ("ADV", "AUX", "PART") or self.doc[j].text == ","):
            j -= 1
        if j < 0 or self.quote_of[j] != self.quote_of[verb.i]:
            return None
        tok = self.doc[j]
        if tok.pos_ == "PROPN" or tok.lower_ in MALE_PRONOUNS | FEMALE_PRONOUNS:
            return self.mention_of(tok, verb, region)
        return None

    def _adjacent_speaker(self, cue: Token, region: tuple[int, int] | None) -> Mention | None:
        # Without a parse, take the word right before the cue ("Lavrov said") or right after it.
        for j in (cue.i - 1, cue.i + 1):
            if 0 <= j < self.n:
                tok = self.doc[j]
                if tok.lower_ in MALE_PRONOUNS | FEMALE_PRONOUNS | GROUP_PRONOUNS or tok.is_title:
                    return self.mention_of(tok, cue, region)
        return None

    def mention_of(self, tok: Token, cue: Token, region: tuple[int, int] | None) -> Mention | None:
        low = tok.lower_
        named = self._person_inside(tok)
        if named is not None:
            return self.mention_for_name(named, person_hint=_norm(tok.text) in TITLE_WORDS)
        if low in MALE_PRONOUNS | FEMALE_PRONOUNS | GROUP_PRONOUNS:
            return self.resolve_pronoun(tok, region)
        if low in ("who", "that") and cue.dep_ == "relcl" and cue.head.pos_ in ("PROPN", "NOUN"):
            return self.mention_of(cue.head, cue.head, region)  # "Pompeo, who said …"
        if tok.pos_ == "PRON" or low in FIRST_PERSON:
            return None
        lemma = tok.lemma_.lower() if self.has_lemma else low
        if lemma in DOCUMENT_NOUNS and tok.pos_ != "PROPN":
            return self._document_speaker(tok)
        return self.mention_for_name(tok)

    def _person_inside(self, tok: Token) -> Token | None:
        """The name a non-name subject introduces: "the current bishop, Allan Casicas", "itself
        Ford", or "US Ambassador to Germany Richard Grenell" (a title with its name after "to")."""
        if not self.has_dep or self._label(tok) == "PERSON":
            return None
        title = _norm(tok.text) in TITLE_WORDS
        # A named organisation keeps the floor unless a person is named in apposition to it.
        any_name = not (tok.pos_ == "PROPN" and not title)
        found = None
        for t in tok.subtree:
            if t.i == tok.i or t.dep_ in ("relcl", "acl") or self.quote_of[t.i] != self.quote_of[tok.i]:
                continue
            if t.pos_ != "PROPN":
                continue
            label = self._label(t)
            appositive = t.dep_ == "appos" and (
                label == "PERSON" or (any_name and label not in ("NORP", "DATE"))
            )
            named_after_title = title and t.dep_ == "pobj" and label in ("PERSON", "", "ORG")
            if appositive or named_after_title:
                found = t
        return found

    @staticmethod
    def _pobj(prep: Token | None) -> Token | None:
        return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None

    def _label(self, tok: Token) -> str:
        k = self.ent_of[tok.i]
        return self.ents[k].label_ if k >= 0 else ""

    def _document_speaker(self, noun: Token) -> Mention | None:
        """Who issued "the statement": its owner, an earlier speaker it names, or the last org."""
        owner = self._owner(noun)
        if owner is not None:
            return owner
        span = (noun.idx, noun.idx + len(noun.text))
        if not self.has_dep:
            m = self.recent_speaker(noun.i, ORGANISATION, None) or self.recent_speaker(noun.i, None, None)
            return Mention(m.name, m.kind, *span) if m is not None else None
        for child in noun.children:
            if child.dep_ == "poss" and child.pos_ == "PRON":
                found = self.resolve_pronoun(child, None) if child.lower_ in ("its", "their") else None
                if found is not None:
                    return found
        if noun.dep_ == "dobj":
            subj = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return self.mention_of(subj, noun.head, None)
        for child in noun.lefts:
            if child.dep_ in ("amod", "compound"):
                m = self.recent_speaker(noun.i, None, child.lower_)
                if m is not None:
                    return Mention(m.name, m.kind, *span)
        m = self.recent_speaker(noun.i, ORGANISATION, None) or self.recent_speaker(noun.i, None, None)
        return Mention(m.name, m.kind, *span) if m is not None else None

    # -- cues of quotes ---------------------------------------------------------------------------

    def attribute(self, qi: int, lo: int, hi: int, start: int, end: int) -> Attribution:
        """Find the cue and speaker of quote ``qi`` (tokens ``lo:hi``, chars ``start:end``)."""
        parent = self.quote_parent[qi]
        region = self._region(parent)
        first_cue: str | None = None
        for rule, cue in self._cue_candidates(qi, lo, hi, start, end, region):
            cue_text = "according to" if cue.lower_ == "according" else cue.text
            first_cue = first_cue or cue_text
            mention = self.speaker_of_cue(cue, region if parent >= 0 else None)
            if mention is not None and mention.name:
                return Attribution(mention, cue_text, rule)
        return Attribution(None, first_cue, "none")

    def _region(self, parent: int) -> tuple[int, int]:
        return (0, self.n) if parent < 0 else self.quote_ranges[parent]

    def _same_level(self, j: int, parent: int, para: int, region: tuple[int, int]) -> bool:
        return region[0] <= j < region[1] and self.quote_of[j] == parent and self.para[j] == para

    def _cue_candidates(
        self, qi: int, lo: int, hi: int, start: int, end: int, region: tuple[int, int]
    ) -> Iterable[tuple[str, Token]]:
        doc, text, parent = self.doc, self.text, self.quote_parent[qi]
        # 1. right after: `"…," Lavrov said` / `"…," said Lavrov` / `"…," according to …`
        inside_last = text[max(start, end - 2) : end - 1]
        after = text[end : end + 3].lstrip(" ")
        # A lower-case word after the closing mark is only a cue position if it is the cue or
        # its pronoun (`"…" he said`); otherwise the sentence simply goes on.
        if inside_last in ",?!—–-…" or after[:1] in (",", "—", "–"):
            reach = AFTER_REACH
        else:
            reach = AFTER_REACH_LOWER if after[:1].islower() else 0
        if hi < self.n and reach:
            para = self.para[hi - 1]
            for j in range(hi, min(hi + reach, self.sent_hi[hi], region[1])):
                if not self._same_level(j, parent, para, region):
                    break
                if self.cue_lemma(doc[j]):
                    yield "after", doc[j]
                    break
        # 2. right before: `Lavrov said: "…"` / `He tweeted, "…"` / `wrote "…"`
        if lo > 0:
            before = text[max(0, start - 3) : start].rstrip()
            reach = BEFORE_REACH_PUNCT if before[-1:] in (":", ",") else BEFORE_REACH_BARE
            para = self.para[lo]
            for j in range(lo - 1, max(lo - 1 - reach, region[0] - 1, self.sent_lo[lo - 1] - 1), -1):
                if not self._same_level(j, parent, para, region) or doc[j].text in _SENTENCE_END:
                    break
                if self.cue_lemma(doc[j]):
                    yield "before", doc[j]
                    break
        # 3. the dependency path from the quote up to a speech verb
        if self.has_dep:
            seen: set[int] = set()
            for i in range(lo, hi):
                head = doc[i].head
                if lo <= head.i < hi or head.i == i or doc[i].is_punct:
                    continue
                cue = self._walk_up(head, parent, region, seen)
                if cue is not None:
                    yield "dependency", cue
                    break
        # 4. the nearest speech verb or "according to" elsewhere in the sentence; the parser's
        # sentences are unreliable around quotes, so a full stop outside quotes also ends the search.
        para = self.para[lo]
        best: tuple[int, Token] | None = None
        for j, step, stop in (
            (lo - 1, -1, max(region[0], self.sent_lo[lo]) - 1),
            (hi, 1, min(region[1], self.sent_hi[hi - 1])),
        ):
            while j != stop and region[0] <= j < region[1] and self.para[j] == para:
                if self.quote_of[j] != parent:
                    j += step  # a sibling quote of the same sentence: look past it
                    continue
                if doc[j].text in _SENTENCE_END:
                    break
                if self.cue_lemma(doc[j]):
                    dist = lo - j if j < lo else j - hi
                    if best is None or dist < best[0]:
                        best = (dist, doc[j])
                    break
                j += step
        if best is not None:
            yield "window", best[1]

    def _walk_up(self, tok: Token, parent: int, region: tuple[int, int], seen: set[int]) -> Token | None:
        for _ in range(MAX_HEAD_STEPS):
            if tok.i in seen or not (region[0] <= tok.i < region[1]):
                return None
            seen.add(tok.i)
            if self.quote_of[tok.i] == parent and self.cue_lemma(tok):
                return tok
            if tok.head.i == tok.i:
                return None
            tok = tok.head
        return None
