"""Who a pronoun or a role noun refers to: "he said", "the ambassador said", "the company said".

Referents are the people and organisations the narration mentions (never words inside a
quotation), in text order, each with its sentence and whether it was a clause's subject.

- **he / she** refers to a person of a recent sentence: the most recent sentence with a person
  whose gender does not contradict the pronoun, and in it the subject first, then the latest
  mention. So "he said" after a newly introduced person goes to that person, not to the speaker
  before. An unnamed person ("the head of the investigators") counts.
- **it / they** refer the same way to an organisation (or, for they, an unnamed group).
- **Gender is learnt, never guessed**: from a title or gendered noun at the name (Mrs, Sir,
  actress, spokeswoman), from his/her/himself/herself bound to the person as the subject of its
  own clause ("Dan Price praised his players"), from he/she as the subject of what the person
  said ("Pelosi announced that she would…"), and from a pronoun resolved with no rival. An object
  pronoun never teaches its clause's subject ("Almeida joined her" says nothing of Almeida). A
  resolution with rivals is marked unsure and teaches nothing.
- **Roles**: a noun the article used for a named person or organisation — in apposition
  ("Brazil's ambassador to France, Roberto Almeida"; "Acme, the steelmaker"), as a title before
  the name ("Trade Minister Ana Duarte"), as the head of an organisation's name ("the Foreign
  Ministry") or for a spokesperson whose owner was named ("an Interpol spokesperson") — lets a later
  "the ambassador" / "the ministry" / "the spokesperson" refer to the latest holder. "The company"
  with no company introduced goes to the latest organisation named, unsure; a role never
  introduced stays the role phrase, unsure and unnamed.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Final

from spacy.tokens import Token

from components.nlp.doc_index import DocIndex
from components.nlp.lexicon import COMPANY_NOUNS, GENDERED_WORDS, ORG_HEAD_WORDS, SPOKES_NOUNS, TITLE_WORDS
from components.nlp.mentions import PRONOUN, ROLE, Mention, Mentions
from components.nlp.names import ORGANISATION, PERSON, UNNAMED, clean_name_tokens, norm

MALE_PRONOUNS: Final = frozenset({"he", "him"})
FEMALE_PRONOUNS: Final = frozenset({"she", "her"})
PERSON_PRONOUNS: Final = MALE_PRONOUNS | FEMALE_PRONOUNS
GROUP_PRONOUNS: Final = frozenset({"it", "they", "them"})
_BOUND_PRONOUNS: Final[dict[str, str]] = {"his": "m", "her": "f", "himself": "m", "herself": "f"}
SUBJECT_DEPS: Final = frozenset({"nsubj", "nsubjpass", "csubj"})
# Clauses under these are reported content, so their subjects are not salient referents.
EMBEDDED_DEPS: Final = frozenset({"ccomp", "relcl", "acl", "csubj", "pcomp"})
DEFINITE: Final = frozenset({"the", "this", "that"})
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
        self.gender: dict[str, str] = {}  # name -> "m" | "f", from the text only
        self._people: list[Referent] = []
        self._groups: list[Referent] = []
        self._people_pos: list[int] = []
        self._groups_pos: list[int] = []
        self._inside: list[tuple[int, Mention]] = []  # people named inside quotes
        self._roles: dict[str, list[tuple[int, Mention]]] = {}
        self._orgs: list[tuple[int, Mention]] = []
        self.speech_subjects: list[tuple[int, Mention]] = []  # "Roberts says …" outside quotes
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
                if t.lower_ in _BOUND_PRONOUNS:
                    self._learn_bound(t)
                if t.lower_ in PERSON_PRONOUNS and (t.lower_ != "her" or t.dep_ != "poss"):
                    self._learn_reported(t)
                    self._learn_referred(t)
                if t.dep_ in SUBJECT_DEPS and t.lower_ in PERSON_PRONOUNS:
                    self._chain(t)
                continue
            according = t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"
            if not (t.dep_ in SUBJECT_DEPS or according):
                continue
            speaks = self.cue_lemma(t.head) is not None
            role = self.resolve_role(t) if t.pos_ in ("NOUN", "PROPN") and not index.label(t) else None
            mention = role if role is not None and role.sure else self.mentions.for_name(t)
            if mention is not None and speaks and (t.pos_ == "PROPN" or index.label(t)):
                self.speech_subjects.append((t.i, mention))
            if mention is not None and index.lemma(t) in SPOKES_NOUNS and mention.kind == ORGANISATION:
                self._roles.setdefault(index.lemma(t), []).append((t.i, mention))
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
            self._learn_named_gender(ent, mention.name)
        else:
            self._orgs.append((ent.start, mention))
        for word in self._role_words(ent, mention):
            self._roles.setdefault(word, []).append((ent.start, mention))

    def _role_words(self, ent, mention: Mention) -> set[str]:
        """Nouns the article uses for this named person or organisation."""
        index = self.index
        words: set[str] = set()
        if mention.kind == PERSON:
            # Titles inside the entity ("Pope Francis") and the compound right before it ("Actress …").
            kept = [t.i for t in clean_name_tokens(list(ent), person=True)]
            words |= {norm(t.text) for t in ent if kept and t.i < kept[0] and t.is_alpha}
            before = [c for c in ent.root.lefts if c.dep_ == "compound" and c.i < ent.start]
            if before:
                words.add(index.lemma(before[-1]))
        else:
            words |= {norm(t.text) for t in ent if norm(t.text) in ORG_HEAD_WORDS | COMPANY_NOUNS}
        root = ent.root
        described = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            described.append(root.head)
        words |= {index.lemma(t) for t in described}
        words.discard("the")
        return {w for w in words if w.isalpha()}

    def _embedded(self, verb: Token) -> bool:
        for _ in range(MAX_HEAD_STEPS):
            if verb.dep_ in EMBEDDED_DEPS:
                return True
            if verb.head.i == verb.i:
                return False
            verb = verb.head
        return False

    # -- gender, from the text only -------------------------------------------------------------

    def _learn(self, name: str | None, gender: str) -> None:
        if name:
            self.gender.setdefault(name, gender)

    def _learn_named_gender(self, ent, name: str) -> None:
        doc = self.index.doc
        before = [norm(doc[ent.start - 1].text)] if ent.start > 0 else []
        words = (
            before
            + [norm(t.text) for t in ent]
            + [self.index.lemma(c) for c in ent.root.children if c.dep_ == "appos"]
        )
        for word in words:
            if word in GENDERED_WORDS:
                self._learn(name, GENDERED_WORDS[word])
                return

    def _clause_subject(self, tok: Token) -> Token | None:
        """The subject of the clause a token belongs to (the nearest verb up the tree with one)."""
        node = tok
        for _ in range(MAX_HEAD_STEPS):
            if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
                return next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
            if node.head.i == node.i:
                return None
            node = node.head
        return None

    def _person_name(self, tok: Token | None) -> str | None:
        """The name of the person a subject names, itself or in apposition ("the ambassador, X")."""
        if tok is not None and self.index.label(tok) != "PERSON":
            tok = next(
                (c for c in tok.children if c.dep_ == "appos" and self.index.label(c) == "PERSON"), None
            )
        if tok is None or tok.pos_ == "PRON":
            return None
        mention = self.mentions.for_name(tok)
        return mention.name if mention is not None and mention.kind == PERSON else None

    def _learn_bound(self, pron: Token) -> None:
        """his/her as a determiner, or himself/herself: bound to the subject of its own clause."""
        if pron.lower_ in ("his", "her") and pron.dep_ != "poss":
            return  # "joined her": an object pronoun is never its clause's subject
        self._learn(self._person_name(self._clause_subject(pron)), _BOUND_PRONOUNS[pron.lower_])

    def _learn_reported(self, pron: Token) -> None:
        """he/she as the subject of what a person said: "Pelosi announced that she would…"."""
        if pron.dep_ not in SUBJECT_DEPS or pron.head.dep_ != "ccomp":
            return
        verb = pron.head.head
        if self.cue_lemma(verb) is None:
            return
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None or any(
            self.index.label(self.index.doc[j]) == "PERSON" for j in range(subject.i + 1, pron.i)
        ):
            return
        self._learn(self._person_name(subject), "m" if pron.lower_ in MALE_PRONOUNS else "f")

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
            subject = self._clause_subject(pron)
            excluded = self._person_name(subject)
        window = [r for r in self._people[-MAX_LOOKBACK:] if r.position < pron.i]
        window = [
            r for r in window if r.mention.name != excluded and self._fits(r.mention, pron.lower_, gender)
        ]
        if not window:
            return
        latest = max(r.sentence for r in window)
        recent = {r.mention.name for r in window if r.sentence >= latest - 1}
        if len(recent) == 1 and window[-1].mention.kind == PERSON:
            self._learn(window[-1].mention.name, gender)

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
        known = gender is not None and self.gender.get(best.mention.name or "") == gender
        return self._as_pronoun(best.mention, pron, gender, sure=len(recent) == 1 or known)

    def _fits(self, m: Mention, low: str, gender: str | None) -> bool:
        if gender is not None:
            return m.kind in (PERSON, UNNAMED) and self._gender_ok(m, gender)
        return m.kind == ORGANISATION or (low != "it" and m.kind == UNNAMED)

    def _gender_ok(self, m: Mention, gender: str | None) -> bool:
        known = self.gender.get(m.name or "")
        return gender is None or known is None or known == gender

    def _as_pronoun(self, m: Mention, pron: Token, gender: str | None, sure: bool) -> Mention:
        if sure and gender and m.kind == PERSON:
            self._learn(m.name, gender)
        return Mention(m.name, m.kind, pron.idx, pron.idx + len(pron.text), via=PRONOUN, sure=sure)

    def remember(self, tok: Token, mention: Mention) -> None:
        """A speaker becomes the most recent referent of its kind from here on."""
        referent = Referent(tok.i, self.index.sent_no[tok.i], mention, subject=True)
        table, positions = (
            (self._groups, self._groups_pos)
            if mention.kind == ORGANISATION
            else (self._people, self._people_pos)
        )
        k = bisect_left(positions, tok.i)
        table.insert(k, referent)
        positions.insert(k, tok.i)

    # -- roles ----------------------------------------------------------------------------------

    def resolve_role(self, noun: Token) -> Mention | None:
        """Return whom a definite role noun refers to ("the ambassador", "the company"), the role
        phrase itself (unsure) when the article never named its holder, or None for other nouns."""
        index = self.index
        lemma = index.lemma(noun)
        determiners = [c for c in noun.lefts if c.dep_ in ("det", "poss")]
        if not determiners or any(c.lower_ not in DEFINITE and c.dep_ == "det" for c in determiners):
            return None
        span = (determiners[0].idx, noun.idx + len(noun.text))
        holders = [m for i, m in self._roles.get(lemma, ()) if i < noun.i]
        if holders:
            m = holders[-1]
            return Mention(m.name, m.kind, *span, via=ROLE)
        bare = all(c.dep_ == "det" for c in noun.lefts)
        if bare and (lemma in COMPANY_NOUNS or lemma in ORG_HEAD_WORDS):
            named = [m for i, m in self._orgs if i < noun.i and not _other_head(m.name, lemma)]
            if named:
                m = named[-1]
                return Mention(m.name, m.kind, *span, via=ROLE, sure=False)
        if lemma in COMPANY_NOUNS or lemma in ORG_HEAD_WORDS:
            return None
        if lemma in TITLE_WORDS and lemma not in SPOKES_NOUNS:
            phrase = index.text[span[0] : span[1]]
            return Mention(phrase[:1].lower() + phrase[1:], UNNAMED, *span, via=ROLE, sure=False)
        return None

    def learnt_roles(self) -> set[str]:
        return set(self._roles)


def _other_head(name: str | None, lemma: str) -> bool:
    """Whether an organisation's name ends in a head word other than ``lemma`` ("… Ministry")."""
    last = norm((name or "").split()[-1]) if name else ""
    return last in ORG_HEAD_WORDS and last != lemma
