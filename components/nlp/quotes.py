"""Direct quotations in English news articles, each attributed to its speaker (spaCy component).

``nlp.add_pipe("article_quotes")`` (after the parser and NER) sets ``doc._.quotes`` (``Quote`` objects
sorted by ``start``) and ``doc._.quote_problems`` (``QuoteProblem``: unbalanced or stray quote marks).
``find_quotes(doc)`` does the same work on any parsed Doc without adding a pipe. Both extensions are
``None`` until the component has run. Without NER, names come from proper nouns (kinds are then
guessed); without a parser, only speakers right beside their cue verb are found.

Handled:

- curly “…” and straight "…" double quotes, ‘…’ and '…' single quotes; a mark between letters or at
  the end of a word with no single quote open (It’s, don't, Kerry’s, rebels’) is an apostrophe;
- speaker after, before or inside a split quote, partial quotes inside reported speech (through
  the dependency parse), ``according to``, passives (``described by X as "…"``), participles
  (``…, saying "…"``), pronouns resolved to the latest person/organisation that was a main-clause
  subject or speaker, continuation quotes without a cue, quotes nested in quotes (with their own
  speaker, or the enclosing speaker's), organisations, spokespeople and statements as speakers;
- a quote running over paragraphs (each paragraph reopening it) is one quote, ``paragraphs > 1``;
- names merged per article without titles or possessives (see ``components.speakers``);
- marks that cannot be paired are reported in ``quote_problems`` and skipped; nothing raises;
- scare quotes and terms (``the word "pandemic"``), Title Case names of events or works, and short
  phrases with no cue or speaker are "doubtful" and left out unless ``keep_doubtful`` is set.

Not handled: German-style „…“ quotes (paired only when the context makes “ a closing mark);
block quotes with no marks; speakers named only in a headline or a photo caption; a single quote
closing right after a plural possessive inside a single-quoted quote (``'the workers' rights'``
closes early); real coreference (pronouns follow recency and the gender seen so far, not
meaning); quotes attributed only in a later sentence ("those were the words of X").

Cost: one regex pass over the text and a few passes over the tokens per Doc; each quote looks only
at its own tokens and its sentence. No second parse.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Token

from components.nlp.lexicon import ELISIONS, TERM_MARKERS, TITLE_STOPWORDS
from components.nlp.speakers import ORGANISATION, DocView, Mention

DOUBLE: Final = "double"
SINGLE: Final = "single"

OPEN_DOUBLE_MARKS: Final = "“„«"
CLOSE_DOUBLE_MARKS: Final = "”»"
OPEN_MARKS: Final = OPEN_DOUBLE_MARKS + "‘"
CLOSE_MARKS: Final = CLOSE_DOUBLE_MARKS + "’"
_MARK_RE: Final = re.compile("[\"“”„«»‘’']")
_PARAGRAPH_RE: Final = re.compile(r"[^\n]+")
# Characters that may stand right before an opening mark / right after a closing one.
_OPEN_CONTEXT: Final = frozenset("([{<—–-/")
_CLOSE_CONTEXT: Final = frozenset(".,;:!?)]}>—–-…/")
# Quotes this short with nothing to attribute them to are likely scare quotes.
SHORT_QUOTE_WORDS: Final = 4
# Title Case quotes up to this long without closing punctuation are names of events or works.
MAX_TITLE_WORDS: Final = 10
# A cue-less quote continues the previous speaker only this close (tokens) after it.
CONTINUATION_GAP: Final = 25

METHOD_NAMED: Final = "named"
METHOD_PRONOUN: Final = "pronoun"
METHOD_CONTINUATION: Final = "continuation"
METHOD_ORGANISATION: Final = "organisation"
METHOD_NESTED: Final = "nested"
METHOD_NONE: Final = "none"

# Actions of the mark classifier.
_OPEN_D, _CLOSE_D, _OPEN_S, _CLOSE_S, _APOSTROPHE, _STRAY = range(6)


@dataclass(frozen=True, slots=True)
class Quote:
    """One direct quotation; ``doc.text[start:end] == text`` and includes the quote marks."""

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_kind: str | None  # "person" | "organisation" | None
    cue: str | None  # the cue word as written ("said", "according to")
    method: str  # "named" | "pronoun" | "continuation" | "organisation" | "nested" | "none"
    nested_in: int | None = None  # start of the enclosing quote
    mention: str | None = None  # the speaker mention as written ("he", "Lavrov")
    mark: str = DOUBLE  # "double" | "single"
    paragraphs: int = 1  # >1 when the quote runs over paragraphs
    doubtful: bool = False  # scare quote / term / unattributed short phrase


@dataclass(frozen=True, slots=True)
class QuoteProblem:
    """A quote mark that could not be paired; ``message`` says what and where."""

    start: int
    end: int
    kind: str  # "unclosed" | "stray"
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class _Open:
    pos: int
    kind: str
    ident: int
    parent: int
    paragraphs: int = 1


@dataclass(frozen=True, slots=True)
class _Raw:
    start: int
    end: int
    kind: str
    ident: int
    parent: int  # ident of the enclosing open mark, -1 at top level
    paragraphs: int


def _classify(text: str, i: int, double_open: bool, single_open: bool) -> int:
    ch = text[i]
    p = text[i - 1] if i > 0 else " "
    n = text[i + 1] if i + 1 < len(text) else " "
    # Nothing opens right before a comma or full stop ("die?' ". has a thin space before the mark).
    opens = (
        (p.isspace() or p in _OPEN_CONTEXT or p in OPEN_MARKS or p == '"')
        and not n.isspace()
        and (n not in ",;:!?)]}." or text.startswith("...", i + 1))
    )
    closes = (n.isspace() or n in _CLOSE_CONTEXT or n in CLOSE_MARKS or n in "\"'") and not p.isspace()
    if ch in OPEN_DOUBLE_MARKS:
        return _CLOSE_D if closes and not opens and double_open else _OPEN_D
    if ch in CLOSE_DOUBLE_MARKS:
        return _OPEN_D if opens and not closes and not double_open else _CLOSE_D
    if ch == '"':
        if opens != closes:
            return _OPEN_D if opens else _CLOSE_D
        return _CLOSE_D if double_open else _OPEN_D
    # Single marks: mostly apostrophes, so a quote only where the context demands one.
    if p.isalnum() and n.isalnum():
        return _APOSTROPHE
    if single_open and (closes or (n.isspace() and p.isspace())):
        return _CLOSE_S
    if ch != "’" and opens and n.isalnum():
        word = re.match(r"[A-Za-z0-9]+", text[i + 1 : i + 8])
        if n.isdigit() or (word and word.group(0).lower() in ELISIONS):
            return _APOSTROPHE
        return _OPEN_S
    if p.isspace() and n.isspace():
        return _STRAY
    return _APOSTROPHE


def scan_quote_marks(text: str) -> tuple[list[_Raw], list[QuoteProblem]]:
    """Pair quote marks paragraph by paragraph; return the quotes and the marks left unpaired."""
    stack: list[_Open] = []
    quotes: list[_Raw] = []
    problems: list[QuoteProblem] = []
    parents: dict[int, int] = {}
    ident = 0

    def unclosed(o: _Open, why: str) -> None:
        what = "double" if o.kind == DOUBLE else "single"
        problems.append(
            QuoteProblem(o.pos, o.pos + 1, "unclosed", f"{what} quote opened at {o.pos} is not closed {why}")
        )

    for para in _PARAGRAPH_RE.finditer(text):
        pstart, pend = para.span()
        line = para.group(0)
        if not line.strip():
            continue
        first = pstart + len(line) - len(line.lstrip())
        reopen_at = -1
        if stack:
            outer = stack[0]
            reopens = OPEN_DOUBLE_MARKS + '"' if outer.kind == DOUBLE else "‘'"
            if text[first] in reopens:
                # News style: a quote running on opens each paragraph again and closes only once.
                for inner in stack[1:]:
                    unclosed(inner, "before the paragraph ends")
                del stack[1:]
                outer.paragraphs += 1
                reopen_at = first
            else:
                for o in stack:
                    unclosed(o, "before the paragraph ends")
                stack.clear()
        for m in _MARK_RE.finditer(text, pstart, pend):
            i = m.start()
            if i == reopen_at:
                continue
            double_open = any(o.kind == DOUBLE for o in stack)
            single_open = any(o.kind == SINGLE for o in stack)
            action = _classify(text, i, double_open, single_open)
            if action in (_OPEN_D, _OPEN_S):
                parent = stack[-1].ident if stack else -1
                stack.append(_Open(i, DOUBLE if action == _OPEN_D else SINGLE, ident, parent))
                parents[ident] = parent
                ident += 1
            elif action in (_CLOSE_D, _CLOSE_S):
                kind = DOUBLE if action == _CLOSE_D else SINGLE
                if not any(o.kind == kind for o in stack):
                    problems.append(
                        QuoteProblem(i, i + 1, "stray", f"closing {kind} quote at {i} has no opening mark")
                    )
                    continue
                while stack[-1].kind != kind:
                    unclosed(stack.pop(), f"before the {kind} quote closing at {i}")
                o = stack.pop()
                if any(c.isalnum() for c in text[o.pos + 1 : i]):
                    quotes.append(_Raw(o.pos, i + 1, kind, o.ident, o.parent, o.paragraphs))
            elif action == _STRAY:
                problems.append(QuoteProblem(i, i + 1, "stray", f"quote mark at {i} stands alone"))
    for o in stack:
        unclosed(o, "by the end of the text")
    # A quote whose enclosing mark was never closed hangs from the nearest closed ancestor.
    emitted = {q.ident for q in quotes}
    fixed = []
    for q in quotes:
        parent = q.parent
        while parent >= 0 and parent not in emitted:
            parent = parents.get(parent, -1)
        fixed.append(_Raw(q.start, q.end, q.kind, q.ident, parent, q.paragraphs))
    fixed.sort(key=lambda q: q.start)
    problems.sort(key=lambda p: p.start)
    return fixed, problems


def find_quotes(doc: Doc, keep_doubtful: bool = False) -> tuple[list[Quote], list[QuoteProblem]]:
    """Return the Doc's quotes (sorted by start) and its unpaired quote marks. Never raises on text.

    ``keep_doubtful`` also returns scare quotes, terms and titles, flagged ``doubtful``.
    """
    text = doc.text  # built from the tokens on every access: read it once
    raws, problems = scan_quote_marks(text)
    if not raws or len(doc) == 0:
        return [], problems
    view = DocView(doc, text)
    by_ident = {q.ident: k for k, q in enumerate(raws)}
    parents = [by_ident.get(q.parent, -1) for q in raws]
    depth = [0] * len(raws)
    for k in range(len(raws)):  # parents come before their children in start order
        depth[k] = depth[parents[k]] + 1 if parents[k] >= 0 else 0
    starts = view.tok_starts
    ranges = [(max(0, bisect_right(starts, q.start) - 1), max(1, bisect_left(starts, q.end))) for q in raws]
    # Outer quotes first: nested quotes then overwrite their own tokens in the token map, and
    # their speaker may fall back on the enclosing quote's.
    order = sorted(range(len(raws)), key=lambda k: (depth[k], raws[k].start))
    view.set_quotes_ordered(ranges, parents, order)

    results: dict[int, Quote] = {}
    last_by_parent: dict[int, int] = {}  # the latest attributed quote at each nesting level
    for k in order:
        q, (lo, hi), parent = raws[k], ranges[k], parents[k]
        attribution = view.attribute(k, lo, hi, q.start, q.end)
        mention, method = attribution.mention, METHOD_NONE
        if mention is not None:
            method = METHOD_PRONOUN if mention.pronoun else METHOD_NAMED
            if mention.kind == ORGANISATION and method == METHOD_NAMED:
                method = METHOD_ORGANISATION
        words = _word_count(q, text)
        if mention is None and attribution.cue is None:
            prev = last_by_parent.get(parent)
            if prev is not None and _continues(doc, view, ranges[prev], lo):
                mention, method = _inherit(results[prev]), METHOD_CONTINUATION
            elif parent >= 0 and words >= SHORT_QUOTE_WORDS and results[parent].speaker:
                mention, method = _inherit(results[parent]), METHOD_NESTED
        # A speech verb beside the quote makes it a quote even when its pronoun has no referent.
        doubtful = _is_term(doc, view, q, lo) or (
            mention is None and attribution.cue is None and words <= SHORT_QUOTE_WORDS
        )
        if mention is not None and not doubtful:
            last_by_parent[parent] = k
            if method != METHOD_CONTINUATION and parent < 0:
                view.remember(view.token_at(mention.start), mention)
        results[k] = _make_quote(text, q, mention, method, attribution.cue, parent, raws, doubtful)
    quotes = [results[k] for k in range(len(raws)) if keep_doubtful or not results[k].doubtful]
    return quotes, problems


def _inherit(source: Quote) -> Mention:
    """The speaker of an earlier (or the enclosing) quote, pointing at that quote's mention."""
    start = source.speaker_start if source.speaker_start is not None else -1
    end = source.speaker_end if source.speaker_end is not None else -1
    return Mention(source.speaker, source.speaker_kind, start, end)


def _make_quote(
    text: str,
    q: _Raw,
    mention: Mention | None,
    method: str,
    cue: str | None,
    parent: int,
    raws: list[_Raw],
    doubtful: bool,
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
    )


def _word_count(q: _Raw, text: str) -> int:
    return sum(1 for w in text[q.start + 1 : q.end - 1].split() if any(c.isalnum() for c in w))


def _starts_sentence(doc: Doc, view: DocView, lo: int) -> bool:
    j = lo - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    return j < 0 or view.para[j] != view.para[lo] or doc[j].text[-1:] in '.!?:"”’'


def _continues(doc: Doc, view: DocView, prev_range: tuple[int, int], lo: int) -> bool:
    """A cue-less quote opening a sentence right after an attributed quote carries its speaker on."""
    if not _starts_sentence(doc, view, lo) or lo - prev_range[1] > CONTINUATION_GAP:
        return False
    para_gap = view.para[lo] - view.para[max(0, prev_range[1] - 1)]
    if para_gap == 0:
        return True
    # Into the next paragraph only when this quote opens it.
    return para_gap == 1 and (lo == 0 or view.para[lo - 1] != view.para[lo] or doc[lo - 1].is_space)


def _is_term(doc: Doc, view: DocView, q: _Raw, lo: int) -> bool:
    """Scare quotes, terms and Title Case names ("Storm Area 51") are not someone's words."""
    j = lo - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j >= 0:
        prev = doc[j].lower_
        # `called it "a disgrace"` quotes the caller; `the so-called "reform"` does not.
        if prev in TERM_MARKERS and not (prev == "called" and view.has_dep and _has_subject(doc[j])):
            return True
        if prev == "called" and j >= 2 and doc[j - 1].text == "-" and doc[j - 2].lower_ == "so":
            return True
        if prev == "as" and j >= 1 and doc[j - 1].lower_ == "known":
            return True
    inner = view.text[q.start + 1 : q.end - 1].strip()
    words = re.findall(r"[A-Za-z][\w'’-]*", inner)
    content = [w for w in words if w.lower() not in TITLE_STOPWORDS]
    if len(content) >= 2 and len(words) <= MAX_TITLE_WORDS and inner[-1:] not in ".?!,":
        return all(w[0].isupper() for w in content)
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
    return ArticleQuotes(name=name, keep_doubtful=keep_doubtful)
