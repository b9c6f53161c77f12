"""Parse wrapped text as if it were not wrapped, and give back a Doc of the text as written.

spaCy's tagger, parser and recogniser see a line break as a token: in hard-wrapped copy one falls
every dozen words, mid-sentence and mid-name, and about one entity in twenty and one dependency
arc in twenty-five come out differently than on the same text unwrapped. So two components
bracket the statistical ones:

- ``layout_unwrap`` (first in the pipeline) swaps the Doc for one of the text with each paragraph
  on one line (``components.nlp.layout.unwrap``), remembering the original;
- ``layout_restore`` (right after the recogniser) builds a Doc of the original text, token for
  token the same words, the white space of the original between them (a line break inside a
  paragraph becomes a white-space token, as spaCy's tokenizer would make it), and every tag,
  lemma, arc, sentence and entity of the parse carried over. White-space tokens hang from the word
  before them, as spaCy's parser attaches them.

Texts with one paragraph per line and no ``\\r`` pass through untouched (no second tokenization).
So ``doc.text`` is always the text given to ``nlp``, and every span's ``text`` is the original's
characters. ``doc._context`` (``nlp.pipe(..., as_tuples=True)``) moves to the new Doc.
"""

from __future__ import annotations

from typing import Final

from spacy.language import Language
from spacy.tokens import Doc

from components.nlp.layout import unwrap

# Where ``layout_unwrap`` leaves the original text and offsets for ``layout_restore``.
ORIGINAL_KEY: Final = "components.nlp.unwrapped_parse:original"


class UnwrapLayout:
    """Pipeline component: a Doc of the text with its paragraphs unwrapped (the original kept)."""

    def __init__(self, nlp: Language) -> None:
        self.tokenizer = nlp.tokenizer

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        unwrapped = unwrap(text)
        if unwrapped is None:
            return doc
        parsed = self.tokenizer(unwrapped.text)
        parsed.user_data[ORIGINAL_KEY] = (text, unwrapped.origin)
        parsed._context = doc._context
        return parsed


class RestoreLayout:
    """Pipeline component: the Doc of the original text, with the unwrapped parse carried over."""

    def __call__(self, doc: Doc) -> Doc:
        original = doc.user_data.pop(ORIGINAL_KEY, None)
        if original is None:
            return doc
        text, origin = original
        restored = rewrap(doc, text, origin)
        restored._context = doc._context
        return restored


def rewrap(parsed: Doc, text: str, origin: tuple[int, ...]) -> Doc:
    """Return a Doc of ``text`` carrying the annotations of ``parsed``, a Doc of its unwrapped form."""
    words: list[str] = []
    spaces: list[bool] = []
    new_index: dict[int, int] = {}  # parsed token -> restored token
    previous_end = 0

    def white(gap: str) -> None:
        if gap.startswith(" ") and words and not spaces[-1]:
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)

    for token in parsed:
        if token.is_space:
            continue
        start = origin[token.idx]
        white(text[previous_end:start])
        new_index[token.i] = len(words)
        words.append(token.text)
        spaces.append(False)
        previous_end = start + len(token.text)
    white(text[previous_end:])

    kept = [parsed[i] for i in new_index]
    count = len(words)
    tags, pos, morphs, lemmas, deps = [""] * count, [""] * count, [""] * count, [""] * count, ["dep"] * count
    heads = list(range(count))
    for token in kept:
        k = new_index[token.i]
        tags[k], pos[k], morphs[k], lemmas[k] = token.tag_, token.pos_, str(token.morph), token.lemma_
        deps[k] = token.dep_
        heads[k] = new_index.get(token.head.i, k)
    for k, word in enumerate(words):
        if word.isspace():
            tags[k], pos[k], lemmas[k] = "_SP", "SPACE", word
            heads[k] = k - 1 if k > 0 else min(k + 1, count - 1)
    ents = ["O"] * count
    for ent in parsed.ents:
        first, last = new_index.get(ent.start), new_index.get(ent.end - 1)
        if first is None or last is None:  # an entity that starts or ends on white space
            continue
        ents[first] = f"B-{ent.label_}"
        for k in range(first + 1, last + 1):
            ents[k] = f"I-{ent.label_}"
    has_parse = parsed.has_annotation("DEP")
    restored = Doc(
        parsed.vocab,
        words=words,
        spaces=spaces,
        tags=tags if parsed.has_annotation("TAG") else None,
        pos=pos if parsed.has_annotation("POS") else None,
        morphs=morphs if parsed.has_annotation("MORPH") else None,
        lemmas=lemmas if parsed.has_annotation("LEMMA") else None,
        heads=heads if has_parse else None,
        deps=deps if has_parse else None,
        ents=ents if parsed.has_annotation("ENT_IOB") else None,
    )
    restored.user_data.update(parsed.user_data)
    return restored


@Language.factory("layout_unwrap")
def make_layout_unwrap(nlp: Language, name: str) -> UnwrapLayout:
    """Return the component that unwraps a wrapped text's paragraphs for the parse."""
    return UnwrapLayout(nlp)


@Language.factory("layout_restore")
def make_layout_restore(nlp: Language, name: str) -> RestoreLayout:
    """Return the component that gives back a Doc of the text as written, parse carried over."""
    return RestoreLayout()


def add_layout_components(nlp: Language) -> Language:
    """Return ``nlp`` with ``layout_unwrap`` first and ``layout_restore`` last: call it before
    adding components that read the Doc's text (quotes, countries), which then run after it."""
    if "layout_unwrap" not in nlp.pipe_names:
        nlp.add_pipe("layout_unwrap", first=True)
    if "layout_restore" not in nlp.pipe_names:
        nlp.add_pipe("layout_restore", last=True)
    return nlp
