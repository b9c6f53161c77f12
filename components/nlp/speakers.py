"""Who said each quotation: the attribution walk over its cues, and the speaker of each cue.

For one quote the cues of ``components.nlp.cues`` are tried in order; the first whose speaker is a
person, an organisation or an unnamed source wins. A cue's speaker is its subject (or the name in
apposition to it: "the bishop, Allan Casicas"), the agent of a passive or of a participle
("described by the agency as "…"", "a pattern described by Marine Bulletin as"), the object of
``according to``, or the subject of the verb a participle hangs from ("…, saying "…""). The subject
is then resolved: a name to the article's fullest form, he/she/it/they and role nouns through
``components.nlp.referents``, a document ("the statement") to whoever issued it, a spokesperson to
whom they speak for. A word inside the quote never speaks for it (mentions inside a quote count
only for quotes nested in it), and a generic noun never speaks.

Quotes with no cue are ``components.nlp.lead_in``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from spacy.tokens import Token

from components.nlp.cues import cue_candidates, cue_lemma
from components.nlp.doc_index import DocIndex
from components.nlp.lexicon import DOCUMENT_NOUNS, ORG_HEAD_WORDS, SPOKES_NOUNS, TITLE_WORDS
from components.nlp.mentions import Mention, Mentions, pobj_of
from components.nlp.names import ORGANISATION, PERSON, norm
from components.nlp.referents import GROUP_PRONOUNS, PERSON_PRONOUNS, SUBJECT_DEPS, Referents

FIRST_PERSON: Final = frozenset({"i", "we"})
# A cue verb hanging from another verb this way borrows that verb's subject ("…, saying").
BORROW_SUBJECT_DEPS: Final = frozenset({"advcl", "xcomp", "conj", "pcomp", "prep"})
PLACE_LABELS: Final = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """The outcome of attributing one quote (before the continuation and nesting rules)."""

    mention: Mention | None
    cue: str | None
    rule: str  # "after" | "before" | "dependency" | "window" | "lead-in" | "guessed" | "none"


class SpeakerFinder:
    """Attributes the quotes of one Doc; the indexes are built once, each quote looks near itself."""

    def __init__(self, index: DocIndex) -> None:
        self.index = index
        self.mentions = Mentions(index)
        self.referents = Referents(index, self.mentions, lambda tok: cue_lemma(index, tok))
        self.mentions.roles = self.referents.roles.learnt()
        self.mentions.resolve_role = self.referents.roles.resolve

    def attribute(self, qi: int, lo: int, hi: int, start: int, end: int) -> Attribution:
        """Return the cue and speaker of quote ``qi`` (tokens ``lo:hi``, characters ``start:end``)."""
        parent = self.index.quote_parent[qi]
        region = self.index.region(parent) if parent >= 0 else None
        first_cue: str | None = None
        found: list[Attribution] = []
        for rule, cue in cue_candidates(self.index, qi, lo, hi, start, end):
            cue_text = "according to" if cue.lower_ == "according" else cue.text
            first_cue = first_cue or cue_text
            mention = self.speaker_of_cue(cue, region)
            if mention is not None and mention.name:
                found.append(Attribution(mention, cue_text, rule))
                # `X called it "…", according to NBC`: the outlet reports X's words.
                if cue_text != "according to" or mention.kind == PERSON:
                    break
        if not found:
            return Attribution(None, first_cue, "none")
        return next((a for a in found if a.cue != "according to"), found[0])

    def remember(self, mention: Mention) -> None:
        """A speaker becomes the most recent referent from its mention on."""
        tok = self.index.doc[self.index.token_at(mention.start)]
        self.referents.remember(tok, mention)

    # -- a cue's speaker ------------------------------------------------------------------------

    def speaker_of_cue(self, cue: Token, region: tuple[int, int] | None) -> Mention | None:
        """Return the mention that a cue verb (or ``according to``) attributes its content to."""
        index = self.index
        if cue.lower_ == "according":
            to = index.doc[cue.i + 1]
            pobj = pobj_of(to) if index.has_dep else None
            if pobj is None and cue.i + 2 < index.n:
                pobj = index.doc[cue.i + 2]
            return self.mention_of(pobj, cue, region) if pobj is not None else None
        if not index.has_dep:
            return self._adjacent_speaker(cue, region)
        verb = cue
        for _ in range(4):
            agent = pobj_of(next((c for c in verb.children if c.dep_ == "agent"), None))
            # A word inside the quote never speaks for it (`"… and all that," Day said`).
            subj = next(
                (
                    c
                    for c in verb.children
                    if c.dep_ in SUBJECT_DEPS and index.quote_of[c.i] == index.quote_of[cue.i]
                ),
                None,
            )
            if agent is not None and (subj is None or subj.dep_ == "nsubjpass" or verb.dep_ == "acl"):
                return self.mention_of(agent, cue, region)  # "described by the agency as"
            if subj is not None and subj.dep_ == "nsubjpass":
                return None
            if subj is not None:
                return self.mention_of(subj, cue, region)
            if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
                return self.mention_of(verb.head, cue, region)  # "a statement saying …"
            if verb.dep_ not in BORROW_SUBJECT_DEPS or verb.head.i == verb.i:
                break
            verb = verb.head
        return self._name_before(verb, region) or self._name_after(cue, region)

    def _name_after(self, cue: Token, region: tuple[int, int] | None) -> Mention | None:
        """`"…" tweeted Mayor of London Sadiq Khan`: an inverted cue the parser left without a
        subject; the first person named in the next few words of its sentence."""
        index = self.index
        for j in range(cue.i + 1, min(cue.i + 8, index.sent_hi[cue.i])):
            if index.quote_of[j] != index.quote_of[cue.i]:
                return None
            entity = index.entity(index.doc[j])
            if entity is not None and entity.label_ == "PERSON":
                return self.mentions.for_name(entity.root)
        return None

    def _name_before(self, verb: Token, region: tuple[int, int] | None) -> Mention | None:
        # The parser sometimes leaves a verb without a subject ("… itself Ford also made …"):
        # take a name or pronoun standing right before it, past adverbs and auxiliaries.
        index = self.index
        j = verb.i - 1
        while j >= 0 and (index.doc[j].pos_ in ("ADV", "AUX", "PART", "SPACE") or index.doc[j].text == ","):
            j -= 1
        if j < 0 or index.quote_of[j] != index.quote_of[verb.i]:
            return None
        tok = index.doc[j]
        known_person = self.mentions.names.lookup([tok]) if tok.pos_ == "PROPN" else None
        place = index.label(tok) in PLACE_LABELS and (known_person is None or known_person[1] != PERSON)
        if (tok.pos_ == "PROPN" and not place) or tok.lower_ in PERSON_PRONOUNS:
            return self.mention_of(tok, verb, region)
        return None

    def _adjacent_speaker(self, cue: Token, region: tuple[int, int] | None) -> Mention | None:
        # Without a parse, take the word right before the cue ("Lavrov said") or right after it.
        for j in (self.index.previous_word(cue.i), cue.i + 1):
            if 0 <= j < self.index.n:
                tok = self.index.doc[j]
                if tok.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS or tok.is_title:
                    return self.mention_of(tok, cue, region)
        return None

    def mention_of(self, tok: Token, cue: Token, region: tuple[int, int] | None) -> Mention | None:
        """Return who a cue's subject (or agent) token refers to, resolved as far as the text allows."""
        index = self.index
        low = tok.lower_
        named = self._person_inside(tok)
        if named is not None:
            return self.mentions.for_name(named, person_hint=norm(tok.text) in TITLE_WORDS)
        if low in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return self.referents.resolve_pronoun(tok, region)
        if low in ("who", "that") and cue.dep_ == "relcl" and cue.head.pos_ in ("PROPN", "NOUN"):
            return self.mention_of(cue.head, cue.head, region)  # "Pompeo, who said …"
        if tok.pos_ == "PRON" or low in FIRST_PERSON:
            return None
        lemma = index.lemma(tok)
        if lemma in DOCUMENT_NOUNS and tok.pos_ != "PROPN":
            return self._document_speaker(tok)
        if index.has_dep and not index.label(tok) and tok.pos_ in ("NOUN", "PROPN"):
            if lemma in SPOKES_NOUNS:
                owner = self.mentions.owner(tok)
                if owner is not None:
                    return owner
            role = self.referents.roles.resolve(tok)
            if role is not None:
                return role
        return self.mentions.for_name(tok)

    def _person_inside(self, tok: Token) -> Token | None:
        """The name a non-name subject introduces: "the current bishop, Allan Casicas", "itself
        Ford", or "US Ambassador to Germany Richard Grenell" (a title with its name after "to")."""
        index = self.index
        if not index.has_dep or index.label(tok) == "PERSON":
            return None
        title = norm(tok.text) in TITLE_WORDS
        # A named organisation keeps the floor unless a person is named in apposition to it.
        any_name = not (tok.pos_ == "PROPN" and not title)
        for t in tok.subtree:
            if t.i == tok.i or t.dep_ in ("relcl", "acl") or index.quote_of[t.i] != index.quote_of[tok.i]:
                continue
            if t.pos_ != "PROPN":
                continue
            label = index.label(t)
            appositive = t.dep_ == "appos" and (
                label == "PERSON" or (any_name and label not in ("NORP", "DATE"))
            )
            # Not "a spokesman for the Foreign Ministry": whom a spokesperson speaks for is no name.
            named_after_title = (
                title
                and index.lemma(tok) not in SPOKES_NOUNS
                and t.dep_ == "pobj"
                and label in ("PERSON", "", "ORG")
                and norm(t.text) not in ORG_HEAD_WORDS
            )
            if appositive or named_after_title:
                return t  # the first: "St-Onge (Nancy Drew, …)" names St-Onge, not her work
        return None

    def _document_speaker(self, noun: Token) -> Mention | None:
        """Who issued "the statement": its owner, an earlier speaker it names, or the last org."""
        owner = self.mentions.owner(noun)
        if owner is not None:
            return owner
        span = (noun.idx, noun.idx + len(noun.text))
        if self.index.has_dep:
            for child in noun.children:
                if child.dep_ == "poss" and child.lower_ in ("its", "their"):
                    found = self.referents.resolve_pronoun(child, None)
                    if found is not None:
                        return found
            if noun.dep_ == "dobj":
                subj = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
                if subj is not None:
                    return self.mention_of(subj, noun.head, None)
            for child in noun.lefts:
                if child.dep_ in ("amod", "compound"):
                    m = self.referents.recent_speaker(noun.i, None, child.lower_)
                    if m is not None:
                        return Mention(m.name, m.kind, *span)
        m = self.referents.recent_speaker(noun.i, ORGANISATION, None) or self.referents.recent_speaker(
            noun.i, None, None
        )
        return Mention(m.name, m.kind, *span, sure=False) if m is not None else None
