"""Direct quotations in English news articles, each attributed to its speaker, with how sure that is.

``nlp.add_pipe("article_quotes")`` (after the parser and NER) sets ``doc._.quotes`` (``Quote``
objects sorted by ``start``) and ``doc._.quote_problems`` (``QuoteProblem``: unbalanced or stray
quote marks). ``find_quotes(doc)`` does the same work on any parsed Doc without adding a pipe.
Both extensions are ``None`` until the component has run. Without NER, names come from proper
nouns; without a parser, only speakers right beside their cue verb are found.

The parts, each its own module of ``components.nlp``: ``layout`` (paragraphs, told from wrapped
lines) and ``unwrapped_parse`` (wrapped text parsed as unwrapped); ``marks`` (quote marks and their
pairing); ``cues`` (speech verbs near a quote); ``names`` and ``mentions`` (who a word names);
``referents`` (pronouns), ``genders`` (learnt from the text) and ``roles`` ("the ambassador");
``speakers`` (the attribution walk) and ``lead_in`` (quotes with no cue). This module adds the
rules that look across quotes (continuation, nesting, scare quotes) and the confidence.

``Quote.speaker_kind``: ``"person"``, ``"organisation"`` (including a state speaking through its
capital or government, and a law quoted for its wording) or ``"unnamed"`` (an unnamed source such
as "an official", "one of the victims", or a role the article never named: "the ambassador").

``Quote.method``, how the speaker was found:

- ``named``: a person named beside the quote, by its cue ("…," Lavrov said);
- ``organisation``: an organisation named by the cue, or whose spokesperson or document spoke;
- ``description``: an unnamed source described by the cue ("an official said");
- ``pronoun``: the cue's he/she/it/they, resolved to a person or organisation named earlier;
- ``role``: the cue's role noun ("the ambassador said") resolved to the person the article
  introduced in that role, or, when none was, the role phrase itself (kind ``unnamed``);
- ``continuation``: no cue; the quote goes on right after an attributed quote of the same speaker;
- ``nested``: no cue; a quote inside a quote takes the enclosing quote's speaker;
- ``guessed``: no cue; the person the sentence before the quote is about;
- ``none``: no speaker found (``speaker`` is None).

``Quote.confidence``, what a reader can rely on:

- ``high``: the speaker is named (or described) by a cue right beside the quote or on the
  parse's path from it (methods named, organisation, description);
- ``medium``: one step of inference: a pronoun or role resolved with no rival referent, a speech
  verb elsewhere in the sentence or in the sentence that leads in, a continuation within the same
  paragraph, a nested quote taking the enclosing speaker;
- ``low``: a guess: a pronoun with rival referents, a role never named, a continuation into a new
  paragraph, the ``guessed`` rule, and every quote with no speaker.

Handled besides: a quote running over paragraphs (each reopening it) is one quote with
``paragraphs > 1``; scare quotes and terms (``the word "pandemic"``, ``named it "…"``), Title Case
names of events or works, and short phrases with no cue or speaker are "doubtful" and left out
unless ``keep_doubtful`` is set. Not handled: German-style „…“ quotes (paired only when the context
makes “ a closing mark); block quotes with no marks; speakers named only in a headline or a
caption; real coreference (pronouns follow recency, salience and the genders the text gave).
Cost: one regex pass over the text and a few passes over the tokens per Doc; no second parse.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Token

from components.nlp.doc_index import DocIndex
from components.nlp.lead_in import lead_in
from components.nlp.lexicon import NAMING_VERBS, TERM_MARKERS, TITLE_STOPWORDS
from components.nlp.marks import DOUBLE, QuoteProblem, RawQuote, scan_quote_marks
from components.nlp.mentions import DESCRIPTION, PRONOUN, ROLE, Mention
from components.nlp.names import ORGANISATION
from components.nlp.speakers import Attribution, SpeakerFinder

__all__ = ["ArticleQuotes", "Quote", "QuoteProblem", "find_quotes", "scan_quote_marks"]

# Quotes this short with nothing to attribute them to are likely scare quotes.
SHORT_QUOTE_WORDS: Final = 4
# Title Case quotes up to this long without closing punctuation are names of events or works.
MAX_TITLE_WORDS: Final = 10
# A cue-less quote continues the previous speaker only this close (words) after it.
CONTINUATION_GAP: Final = 25

METHOD_NAMED: Final = "named"
METHOD_ORGANISATION: Final = "organisation"
METHOD_DESCRIPTION: Final = "description"
METHOD_PRONOUN: Final = "pronoun"
METHOD_ROLE: Final = "role"
METHOD_CONTINUATION: Final = "continuation"
METHOD_NESTED: Final = "nested"
METHOD_GUESSED: Final = "guessed"
METHOD_NONE: Final = "none"
HIGH, MEDIUM, LOW = "high", "medium", "low"
_RULE_CONFIDENCE: Final = {
    "after": HIGH,
    "before": HIGH,
    "dependency": HIGH,
    "window": MEDIUM,
    "lead-in": MEDIUM,
}
_ORDER: Final = {HIGH: 0, MEDIUM: 1, LOW: 2}


@dataclass(frozen=True, slots=True)
class Quote:
    """One direct quotation; ``doc.text[start:end] == text`` and includes the quote marks."""

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_kind: str | None  # "person" | "organisation" | "unnamed" | None
    cue: str | None  # the cue word as written ("said", "according to")
    method: str  # see the module docstring
    nested_in: int | None = None  # start of the enclosing quote
    mention: str | None = None  # the speaker mention as written ("he", "Lavrov", "the ambassador")
    mark: str = DOUBLE  # "double" | "single"
    paragraphs: int = 1  # >1 when the quote runs over paragraphs
    doubtful: bool = False  # scare quote / term / unattributed short phrase
    confidence: str = LOW  # "high" | "medium" | "low": see the module docstring


def find_quotes(doc: Doc, keep_doubtful: bool = False) -> tuple[list[Quote], list[QuoteProblem]]:
    """Return the Doc's quotes (sorted by start) and its unpaired quote marks. Never raises on text.

    ``keep_doubtful`` also returns scare quotes, terms and titles, flagged ``doubtful``.
    """
    text = doc.text  # built from the tokens on every access: read it once
    raws, problems = scan_quote_marks(text)
    if not raws or len(doc) == 0:
        return [], problems
    index = DocIndex(doc, text)
    by_ident = {q.ident: k for k, q in enumerate(raws)}
    parents = [by_ident.get(q.parent, -1) for q in raws]
    depth = [0] * len(raws)
    for k in range(len(raws)):  # parents come before their children in start order
        depth[k] = depth[parents[k]] + 1 if parents[k] >= 0 else 0
    starts = index.tok_starts
    ranges = [(max(0, bisect_right(starts, q.start) - 1), max(1, bisect_left(starts, q.end))) for q in raws]
    # Outer quotes first: nested quotes then overwrite their own tokens in the token map, and
    # their speaker may fall back on the enclosing quote's.
    order = sorted(range(len(raws)), key=lambda k: (depth[k], raws[k].start))
    index.set_quotes(ranges, parents, order)
    finder = SpeakerFinder(index)

    results: dict[int, Quote] = {}
    last_by_parent: dict[int, int] = {}  # the latest attributed quote at each nesting level
    for k in order:
        q, (lo, hi), parent = raws[k], ranges[k], parents[k]
        attribution = finder.attribute(k, lo, hi, q.start, q.end)
        method, confidence = _judge(attribution)
        mention = attribution.mention
        words = _word_count(q, text)
        if mention is None and attribution.cue is None:
            prev = last_by_parent.get(parent)
            if prev is not None and _continues(index, ranges[prev], lo):
                mention, method = _inherit(results[prev]), METHOD_CONTINUATION
                same_paragraph = index.para[lo] == index.para[max(0, ranges[prev][1] - 1)]
                confidence = _weaker(results[prev].confidence, MEDIUM if same_paragraph else LOW)
            elif parent >= 0 and words >= SHORT_QUOTE_WORDS and results[parent].speaker:
                mention, method = _inherit(results[parent]), METHOD_NESTED
                confidence = _weaker(results[parent].confidence, MEDIUM)
            elif words >= SHORT_QUOTE_WORDS:
                lead = lead_in(finder, k, lo, hi)
                if lead is not None:
                    attribution = lead
                    mention = lead.mention
                    method, confidence = _judge(lead)
        # A speech verb beside the quote makes it a quote even when its pronoun has no referent.
        doubtful = _is_term(index, q, lo) or (
            mention is None and attribution.cue is None and words <= SHORT_QUOTE_WORDS
        )
        if mention is not None and not doubtful:
            last_by_parent[parent] = k
            if method not in (METHOD_CONTINUATION, METHOD_GUESSED) and parent < 0 and mention.start >= 0:
                finder.remember(mention)
        results[k] = _make_quote(
            text, q, mention, method, attribution.cue, parent, raws, doubtful, confidence
        )
    quotes = [results[k] for k in range(len(raws)) if keep_doubtful or not results[k].doubtful]
    return quotes, problems


def _judge(attribution: Attribution) -> tuple[str, str]:
    """Return the method and the confidence of an attribution made by a cue (or lead-in)."""
    mention = attribution.mention
    if mention is None:
        return METHOD_NONE, LOW
    if attribution.rule == "guessed":
        return METHOD_GUESSED, LOW
    rule_confidence = _RULE_CONFIDENCE.get(attribution.rule, LOW)
    if mention.via == PRONOUN:
        method = METHOD_PRONOUN
    elif mention.via == ROLE:
        method = METHOD_ROLE
    elif mention.kind == ORGANISATION:
        method = METHOD_ORGANISATION
    elif mention.via == DESCRIPTION:
        method = METHOD_DESCRIPTION
    else:
        method = METHOD_NAMED
    mention_confidence = HIGH if method not in (METHOD_PRONOUN, METHOD_ROLE) else MEDIUM
    if not mention.sure:
        mention_confidence = LOW
    return method, _weaker(rule_confidence, mention_confidence)


def _weaker(a: str, b: str) -> str:
    return a if _ORDER[a] >= _ORDER[b] else b


def _inherit(source: Quote) -> Mention:
    """The speaker of an earlier (or the enclosing) quote, pointing at that quote's mention."""
    start = source.speaker_start if source.speaker_start is not None else -1
    end = source.speaker_end if source.speaker_end is not None else -1
    return Mention(source.speaker, source.speaker_kind, start, end)


def _make_quote(
    text: str,
    q: RawQuote,
    mention: Mention | None,
    method: str,
    cue: str | None,
    parent: int,
    raws: list[RawQuote],
    doubtful: bool,
    confidence: str,
) -> Quote:
    has_span = mention is not None and 0 <= mention.start < mention.end
    return Quote(
        start=q.start,
        end=q.end,
        text=text[q.start : q.end],
        speaker=mention.name if mention else None,
        speaker_start=mention.start if has_span else None,
        speaker_end=mention.end if has_span else None,
        speaker_kind=mention.kind if mention else None,
        cue=cue,
        method=method,
        nested_in=raws[parent].start if parent >= 0 else None,
        mention=text[mention.start : mention.end] if has_span else None,
        mark=q.kind,
        paragraphs=q.paragraphs,
        doubtful=doubtful,
        confidence=confidence if mention is not None else LOW,
    )


def _word_count(q: RawQuote, text: str) -> int:
    return sum(1 for w in text[q.start + 1 : q.end - 1].split() if any(c.isalnum() for c in w))


def _starts_sentence(index: DocIndex, lo: int) -> bool:
    j = index.previous_word(lo)
    return j < 0 or index.para[j] != index.para[lo] or index.doc[j].text[-1:] in '.!?:"”’'


def _continues(index: DocIndex, prev_range: tuple[int, int], lo: int) -> bool:
    """A cue-less quote opening a sentence right after an attributed quote carries its speaker on."""
    gap = sum(1 for j in range(prev_range[1], lo) if not index.doc[j].is_space)
    if not _starts_sentence(index, lo) or gap > CONTINUATION_GAP:
        return False
    para_gap = index.para[lo] - index.para[max(0, prev_range[1] - 1)]
    if para_gap == 0:
        return True
    # Into the next paragraph only when this quote opens it.
    j = index.previous_word(lo)
    return para_gap == 1 and (j < 0 or index.para[j] != index.para[lo])


def _is_term(index: DocIndex, q: RawQuote, lo: int) -> bool:
    """Scare quotes, terms and Title Case names ("Storm Area 51") are not someone's words."""
    doc = index.doc
    j = index.previous_word(lo)
    if j >= 0:
        prev = doc[j].lower_
        # `called it "a disgrace"` quotes the caller; `the so-called "reform"` does not.
        if prev in TERM_MARKERS and not (prev == "called" and index.has_dep and _has_subject(doc[j])):
            return True
        if prev == "called" and j >= 2 and doc[j - 1].text == "-" and doc[j - 2].lower_ == "so":
            return True
        if prev == "as" and j >= 1 and doc[j - 1].lower_ == "known":
            return True
    if index.has_dep and _named_by_verb(index, lo, q):
        return True
    inner = index.text[q.start + 1 : q.end - 1].strip()
    words = re.findall(r"[A-Za-z][\w'’-]*", inner)
    content = [w for w in words if w.lower() not in TITLE_STOPWORDS]
    if len(content) >= 2 and len(words) <= MAX_TITLE_WORDS and inner[-1:] not in ".?!,":
        return all(w[0].isupper() for w in content)
    return False


def _named_by_verb(index: DocIndex, lo: int, q: RawQuote) -> bool:
    """`named the virus "…"`, `dubbed it "…"`: the quote is a name given to something."""
    hi = index.token_at(q.end - 1)
    inner = [t for t in index.doc[lo : hi + 1] if not t.is_punct and not t.is_space]
    heads = {t.head.i for t in inner if not (lo <= t.head.i <= hi)}
    for i in heads:
        verb = index.doc[i]
        if index.lemma(verb) in NAMING_VERBS and any(
            c.dep_ == "dobj" and not lo <= c.i <= hi for c in verb.children
        ):
            return True
    return False


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


# -- spaCy integration ------------------------------------------------------------------------------

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)
if not Doc.has_extension("quote_problems"):
    Doc.set_extension("quote_problems", default=None)


class ArticleQuotes:
    """Pipeline component: sets ``doc._.quotes`` and ``doc._.quote_problems``."""

    def __init__(self, name: str = "article_quotes", keep_doubtful: bool = False) -> None:
        self.name = name
        self.keep_doubtful = keep_doubtful

    def __call__(self, doc: Doc) -> Doc:
        quotes, problems = find_quotes(doc, keep_doubtful=self.keep_doubtful)
        doc._.quotes = quotes
        doc._.quote_problems = problems
        return doc


@Language.factory(
    "article_quotes",
    default_config={"keep_doubtful": False},
    assigns=["doc._.quotes", "doc._.quote_problems"],
    requires=["token.dep"],
)
def make_article_quotes(nlp: Language, name: str, keep_doubtful: bool) -> ArticleQuotes:
    """Return the quote component (spaCy calls this from ``nlp.add_pipe``)."""
    return ArticleQuotes(name=name, keep_doubtful=keep_doubtful)
