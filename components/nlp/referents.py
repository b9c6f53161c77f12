"""Who a pronoun refers to: "he said", "she added", "it said", "they warned".

Referents are the people and organisations the narration mentions (never words inside a
quotation), in text order, each with its sentence, whether it was a clause's subject and whether
it spoke.

- **he / she** refers to a person of a recent sentence: the most recent sentence with a person
  whose gender does not contradict the pronoun, and in it one who speaks, then the subject, then
  the latest mention. So "he said" after a newly introduced person goes to that person, not to the
  speaker before. An unnamed person ("the head of the investigators") counts.
- **it / they** refer the same way to an organisation (or, for they, an unnamed group).
- Genders come from ``components.nlp.genders`` (the text, never a guess), plus a pronoun of the
  narration with one possible referent; a resolution with rivals is marked unsure and teaches
  nothing. Role nouns ("the ambassador") are ``components.nlp.roles``'.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Final

from spacy.tokens import Token

from components.nlp.doc_index import DocIndex
from components.nlp.genders import BOUND_PRONOUNS, FEMALE_PRONOUNS, MALE_PRONOUNS, SUBJECT_DEPS, Genders
from components.nlp.lexicon import SPOKES_NOUNS
from components.nlp.mentions import PRONOUN, Mention, Mentions
from components.nlp.names import ORGANISATION, PERSON, UNNAMED
from components.nlp.roles import Roles

PERSON_PRONOUNS: Final = MALE_PRONOUNS | FEMALE_PRONOUNS
GROUP_PRONOUNS: Final = frozenset({"it", "they", "them"})
# Clauses under these are reported content, so their subjects are not salient referents.
EMBEDDED_DEPS: Final = frozenset({"ccomp", "relcl", "acl", "csubj", "pcomp"})
MAX_HEAD_STEPS: Final = 12
MAX_LOOKBACK: Final = 40  # referents a pronoun may look back over


@dataclass(frozen=True, slots=True)
class Referent:
    """A mention a pronoun or role may point back to."""

    position: int  # token index
    sentence: int
    mention: Mention
    subject: bool
    speaks: bool = False  # the subject of a speech verb


class Referents:
    """The article's referents, their learnt genders and roles; resolves pronouns and role nouns."""

    def __init__(self, index: DocIndex, mentions: Mentions, cue_lemma) -> None:
        self.index = index
        self.mentions = mentions
        self.cue_lemma = cue_lemma
        self.genders = Genders(index, mentions, cue_lemma)
        self.roles = Roles(index, mentions)
        self._people: list[Referent] = []
        self._groups: list[Referent] = []
        self._people_pos: list[int] = []
        self._groups_pos: list[int] = []
        self._inside: list[tuple[int, Mention]] = []  # people named inside quotes
        self.speech_subjects: list[tuple[int, Mention]] = []
        self.history: list[
            tuple[int, Mention]
        ] = []  # the speakers attributed so far  # "Roberts says …" outside quotes
        if index.has_dep:
            self._collect()
        else:
            self._collect_without_parse()

    # -- collecting ------------------------------------------------------------------------------

    def _add(self, tok: Token, mention: Mention | None, subject: bool, speaks: bool = False) -> None:
        if mention is None or not mention.name:
            return
        referent = Referent(tok.i, self.index.sent_no[tok.i], mention, subject, speaks)
        # Collected in text order, so the tables stay sorted by position.
        if mention.kind == ORGANISATION:
            self._groups.append(referent)
            self._groups_pos.append(tok.i)
        else:
            self._people.append(referent)
            self._people_pos.append(tok.i)

    def _collect_without_parse(self) -> None:
        for ent in self.index.ents:
            if ent.label_ == "PERSON" and self.index.quote_of[ent.start] < 0:
                self._add(ent.root, self.mentions.for_name(ent.root), subject=False)

    def _collect(self) -> None:
        index = self.index
        for t in index.doc:
            outside = index.quote_of[t.i] < 0
            k = index.ent_of[t.i]
            is_root = k >= 0 and t.i == index.ents[k].root.i
            if is_root:
                self._entity(index.ents[k], outside)
            if not outside:
                continue
            if t.pos_ == "PRON" or t.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
                if t.lower_ in BOUND_PRONOUNS:
                    self.genders.from_bound(t)
                if t.lower_ in PERSON_PRONOUNS and (t.lower_ != "her" or t.dep_ != "poss"):
                    self.genders.from_report(t)
                    self._learn_referred(t)
                if t.dep_ in SUBJECT_DEPS and t.lower_ in PERSON_PRONOUNS:
                    self._chain(t)
                continue
            according = t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"
            if not (t.dep_ in SUBJECT_DEPS or according):
                continue
            speaks = self.cue_lemma(t.head) is not None
            role = self.roles.resolve(t) if t.pos_ in ("NOUN", "PROPN") and not index.label(t) else None
            mention = role if role is not None and role.sure else self.mentions.for_name(t)
            if mention is not None and speaks and (t.pos_ == "PROPN" or index.label(t)):
                self.speech_subjects.append((t.i, mention))
            if mention is not None and index.lemma(t) in SPOKES_NOUNS and mention.kind == ORGANISATION:
                self.roles.add(index.lemma(t), t.i, mention)
            if is_root and index.label(t) == "PERSON":
                continue  # already a referent, as a named person
            if according or speaks or not self._embedded(t.head):
                self._add(t, mention, subject=True, speaks=speaks)  # reported clauses' subjects are not

    def _entity(self, ent, outside: bool) -> None:
        root = ent.root
        mention = self.mentions.for_name(root) if ent.label_ in ("PERSON", "ORG", "FAC", "LAW") else None
        if mention is None or not mention.name:
            return
        if not outside:
            if mention.kind == PERSON:
                self._inside.append((ent.end - 1, mention))
            return
        if mention.kind == PERSON:
            speaks = root.dep_ in SUBJECT_DEPS and self.cue_lemma(root.head) is not None
            subject = root.dep_ in SUBJECT_DEPS and (speaks or not self._embedded(root.head))
            self._add(root, mention, subject=subject, speaks=speaks)
            self.genders.from_name(ent, mention.name)
        else:
            self.roles.add_organisation(ent.start, mention)
        for word in self.roles.words_of(ent, mention):
            self.roles.add(word, ent.start, mention)

    def _embedded(self, verb: Token) -> bool:
        for _ in range(MAX_HEAD_STEPS):
            if verb.dep_ in EMBEDDED_DEPS:
                return True
            if verb.head.i == verb.i:
                return False
            verb = verb.head
        return False

    def _chain(self, pron: Token) -> None:
        """A subject he/she with one possible referent is that person again from here on."""
        found = self.resolve_pronoun(pron, None)
        if found is not None and found.sure:
            self._add(pron, found, subject=True, speaks=self.cue_lemma(pron.head) is not None)

    def _learn_referred(self, pron: Token) -> None:
        """A pronoun of the narration with one possible referent teaches that person's gender. An
        object pronoun never refers to its own clause's subject ("Almeida joined her")."""
        gender = "m" if pron.lower_ in MALE_PRONOUNS else "f"
        excluded = None
        if pron.dep_ not in SUBJECT_DEPS:
            excluded = self.genders.person_name(self.genders.clause_subject(pron))
        window = [r for r in self._people[-MAX_LOOKBACK:] if r.position < pron.i]
        window = [
            r for r in window if r.mention.name != excluded and self._fits(r.mention, pron.lower_, gender)
        ]
        if not window:
            return
        latest = max(r.sentence for r in window)
        recent = {r.mention.name for r in window if r.sentence >= latest - 1}
        if len(recent) == 1 and window[-1].mention.kind == PERSON:
            self.genders.learn(window[-1].mention.name, gender)

    # -- pronouns -------------------------------------------------------------------------------

    def resolve_pronoun(self, pron: Token, region: tuple[int, int] | None) -> Mention | None:
        """Return whom he/she/it/they refers to, or None when no referent fits."""
        low = pron.lower_
        if low in GROUP_PRONOUNS:
            gender, table, positions = None, self._groups, self._groups_pos
        elif low in PERSON_PRONOUNS:
            gender, table, positions = ("m" if low in MALE_PRONOUNS else "f"), self._people, self._people_pos
        else:
            return None
        if region is not None and gender is not None:
            # Inside a quote, the pronoun refers to someone the quoted speaker just mentioned.
            for i, m in reversed(self._inside):
                if region[0] <= i < pron.i and self._gender_ok(m, gender):
                    return self._as_pronoun(m, pron, gender, sure=False)
        k = bisect_left(positions, pron.i)
        window = [r for r in table[max(0, k - MAX_LOOKBACK) : k] if self._fits(r.mention, low, gender)]
        if not window:
            return None
        latest = max(r.sentence for r in window)
        in_latest = [r for r in window if r.sentence == latest]
        best = max(in_latest, key=lambda r: (r.speaks, r.subject, r.position))
        recent = {r.mention.name for r in window if r.sentence >= latest - 1}
        known = gender is not None and self.genders.known.get(best.mention.name or "") == gender
        return self._as_pronoun(best.mention, pron, gender, sure=len(recent) == 1 or known)

    def _fits(self, m: Mention, low: str, gender: str | None) -> bool:
        if gender is not None:
            return m.kind in (PERSON, UNNAMED) and self._gender_ok(m, gender)
        return m.kind == ORGANISATION or (low != "it" and m.kind == UNNAMED)

    def _gender_ok(self, m: Mention, gender: str | None) -> bool:
        known = self.genders.known.get(m.name or "")
        return gender is None or known is None or known == gender

    def _as_pronoun(self, m: Mention, pron: Token, gender: str | None, sure: bool) -> Mention:
        if sure and gender and m.kind == PERSON:
            self.genders.learn(m.name, gender)
        return Mention(m.name, m.kind, pron.idx, pron.idx + len(pron.text), via=PRONOUN, sure=sure)

    def remember(self, tok: Token, mention: Mention) -> None:
        """A speaker becomes the most recent referent of its kind from here on."""
        self.history.append((tok.i, mention))
        referent = Referent(tok.i, self.index.sent_no[tok.i], mention, subject=True)
        table, positions = (
            (self._groups, self._groups_pos)
            if mention.kind == ORGANISATION
            else (self._people, self._people_pos)
        )
        k = bisect_left(positions, tok.i)
        table.insert(k, referent)
        positions.insert(k, tok.i)

    def recent_speaker(self, before: int, kind: str | None, word: str | None) -> Mention | None:
        """The latest speaker or speech-verb subject before token ``before`` (optionally of
        ``kind``, or whose name contains ``word``)."""
        best: tuple[int, Mention] | None = None
        for source in (self.history, self.speech_subjects):
            for i, m in reversed(source):
                if i >= before or (kind and m.kind != kind):
                    continue
                if word is None or word in (m.name or "").lower().split():
                    if best is None or i > best[0]:
                        best = (i, m)
                    break
        return best[1] if best else None
