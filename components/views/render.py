"""Escaped HTML for the reading view, from the article text and its spans. Pure functions.

Spans may overlap or nest in any way (an entity inside a quote, a quote inside a quote, two
corrections that cross). Each paragraph is cut at every span boundary; at each cut the open
elements are closed and reopened as needed, so the markup is always well formed and every
character of the text appears exactly once, in order.

Every string that comes from the article, a reader or a CSV file (text, labels, speakers,
countries, ids) goes through :func:`html.escape`; colours come from :mod:`components.labels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

from components.annotations.schema import KIND_QUOTE
from components.annotations.table import active_spans
from components.nlp.layout import paragraphs
from components.views.chart_picks import MARK_CLASSES, MARK_STYLES, PickedItem
from components.views.labels import LABEL_DESCRIPTIONS, label_colour, label_name
from components.views.unsure import UNSURE, unsure_reason

# The table's columns a drawn span is made of; a table from before quotes had attributions lacks the last two.
_VIEW_COLUMNS = ("span_id", "kind", "start", "end", "label", "speaker", "country", "source")
_QUOTE_COLUMNS = ("confidence", "attribution")
PAGE_CHARS = 30_000  # about 5,000 words: the bundled article is one page, a book-length text many


@dataclass(frozen=True)
class ViewSpan:
    """One span as the reading view draws it."""

    span_id: str
    kind: str
    start: int
    end: int
    label: str
    speaker: str = ""
    country: str = ""
    source: str = "model"
    marked: bool = False  # the span picked in the editor
    picks: frozenset[str] = frozenset()  # the kinds of chart pick that mark it (``chart_picks``)
    confidence: str = ""  # a quote's: how sure its speaker is (high, medium, low)
    attribution: str = ""  # a quote's: how its speaker was found

    @property
    def is_quote(self) -> bool:
        return self.kind == KIND_QUOTE


def view_spans(
    table: pd.DataFrame,
    visible_labels: Iterable[str] | None = None,
    speaker: str | None = None,
    marked_span_ids: Iterable[str] = (),
    pick_marks: Mapping[str, frozenset[str]] | None = None,
) -> list[ViewSpan]:
    """Return the active spans of an annotation table to draw, filtered by label and speaker.

    ``visible_labels`` None shows every label; ``speaker`` keeps only that speaker's quotes (entities
    stay, so the reader keeps their bearings). ``pick_marks`` (span_id -> kinds of chart pick) gives
    each span its marks, each kind its own style.
    """
    pick_marks = pick_marks or {}
    active = active_spans(table)
    labels = None if visible_labels is None else set(visible_labels)
    marked = set(marked_span_ids)
    # Whole columns as lists, not a row object each (itertuples): half of this function's time.
    required = [active[name].tolist() for name in _VIEW_COLUMNS]
    optional = [active[name].tolist() if name in active else [""] * len(active) for name in _QUOTE_COLUMNS]
    spans = []
    for span_id, kind, start, end, label, said_by, country, source, confidence, attribution in zip(
        *required, *optional, strict=True
    ):
        if labels is not None and label not in labels:
            continue
        if speaker is not None and kind == KIND_QUOTE and said_by != speaker:
            continue
        spans.append(
            ViewSpan(
                span_id=str(span_id),
                kind=str(kind),
                start=int(start),
                end=int(end),
                label=str(label),
                speaker=str(said_by),
                country=str(country),
                source=str(source),
                marked=span_id in marked,
                confidence=str(confidence or ""),
                attribution=str(attribution or ""),
                picks=pick_marks.get(str(span_id), frozenset()),
            )
        )
    return spans


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the article's paragraphs: one per line, or one per block
    of a hard-wrapped text, whose line breaks inside a paragraph are only wraps (the same rule the
    quote component pairs marks by: ``components.nlp.layout.paragraphs``)."""
    return paragraphs(text)


def _open_tag(span: ViewSpan, continued: bool) -> str:
    classes = ["quote" if span.is_quote else "ent"]
    if span.source != "model":
        classes.append(f"src-{escape(span.source)}")
    if span.marked:
        classes.append("marked")
    classes.extend(MARK_CLASSES[kind] for kind in sorted(span.picks) if kind in MARK_CLASSES)
    if continued:
        classes.append("cont")
    attributes = (
        f'class="{" ".join(classes)}" data-span-id="{escape(span.span_id)}" '
        f'data-label="{escape(span.label)}" title="{escape(_tooltip(span))}"'
    )
    if span.is_quote:
        return f'<span {attributes} data-speaker="{escape(span.speaker)}">'
    return f'<mark {attributes} style="--ent-colour: {label_colour(span.label)}">'


def _close_tag(span: ViewSpan, finished: bool) -> str:
    if span.is_quote:
        badge = ""
        if finished:
            who = span.speaker or "speaker unknown"
            if span.confidence in UNSURE:
                # A distinct badge: a reader sees at a glance which speakers to check, and why.
                title = escape(unsure_reason(span.attribution, span.confidence))
                badge = (
                    f'<span class="quote-speaker unsure unsure-{escape(span.confidence)}" title="{title}">'
                    f"{escape(who)}</span>"
                )
            else:
                badge = f'<span class="quote-speaker">{escape(who)}</span>'
        return f"{badge}</span>"
    badge = f'<span class="ent-label">{escape(span.label)}</span>' if finished else ""
    return f"{badge}</mark>"


def _tooltip(span: ViewSpan) -> str:
    if span.is_quote:
        return f"Quote by {span.speaker}" if span.speaker else "Quote, speaker unknown"
    parts = [label_name(span.label), LABEL_DESCRIPTIONS.get(span.label, "")]
    if span.country:
        parts.append(f"country {span.country}")
    if span.source != "model":
        parts.append(f"corrected ({span.source})")
    return " · ".join(part for part in parts if part)


def _nesting_order(span: ViewSpan) -> tuple[int, int, int]:
    # Outer spans open first: earlier start, then longer, then quotes around entities of equal extent.
    return (span.start, -span.end, 0 if span.is_quote else 1)


def render_paragraph(text: str, start: int, end: int, spans: Sequence[ViewSpan]) -> str:
    """Return one paragraph ``text[start:end]`` as a ``<p>`` with its spans as nested, escaped elements."""
    inside = sorted(
        (span for span in spans if span.start < end and span.end > start and span.start < span.end),
        key=_nesting_order,
    )
    cuts = sorted({start, end, *(max(s.start, start) for s in inside), *(min(s.end, end) for s in inside)})
    pieces = [f'<p data-start="{start}">']
    stack: list[ViewSpan] = []
    pending = 0
    for position, next_position in zip(cuts, [*cuts[1:], end], strict=False):
        ending = [index for index, span in enumerate(stack) if span.end <= position]
        if ending:
            # Close down to the lowest ending element; reopen the ones above it that go on.
            lowest = ending[0]
            for span in reversed(stack[lowest:]):
                pieces.append(_close_tag(span, finished=span.end <= position))
            reopened = [span for span in stack[lowest:] if span.end > position]
            del stack[lowest:]
            for span in reopened:
                pieces.append(_open_tag(span, continued=True))
                stack.append(span)
        while pending < len(inside) and max(inside[pending].start, start) <= position:
            span = inside[pending]
            pending += 1
            if span.end > position:
                pieces.append(_open_tag(span, continued=span.start < start))
                stack.append(span)
        pieces.append(escape(text[position:next_position]))
    for span in reversed(stack):
        pieces.append(_close_tag(span, finished=span.end <= end))
    pieces.append("</p>")
    return "".join(pieces)


def paginate(bounds: Sequence[tuple[int, int]], max_chars: int = PAGE_CHARS) -> list[tuple[int, int]]:
    """Return pages of whole paragraphs as (start, end) offsets, each about ``max_chars`` long at most.

    A long article is drawn a page at a time so the browser gets a few dozen kilobytes, not megabytes;
    a paragraph is never split, so a page may be longer when one paragraph is. A last page shorter
    than a fifth of ``max_chars`` joins the one before: a part of its own for a few closing paragraphs
    would cost the reader a chooser and a click (the 5,000-word development article was 30,000
    characters and then 1,300).
    """
    pages: list[tuple[int, int]] = []
    page_start: int | None = None
    page_end = 0
    for start, end in bounds:
        if page_start is not None and end - page_start > max_chars:
            pages.append((page_start, page_end))
            page_start = None
        if page_start is None:
            page_start = start
        page_end = end
    if page_start is not None:
        pages.append((page_start, page_end))
    if len(pages) > 1 and pages[-1][1] - pages[-1][0] < max_chars // 5:
        _, last_end = pages.pop()
        pages[-1] = (pages[-1][0], last_end)
    return pages


def render_article(text: str, spans: Sequence[ViewSpan], window: tuple[int, int] | None = None) -> str:
    """Return the article (or the paragraphs inside ``window``) as escaped HTML in ``<div class="article">``."""
    low, high = window if window is not None else (0, len(text))
    shown = [(start, end) for start, end in paragraph_bounds(text) if start >= low and end <= high]
    inside = sorted((span for span in spans if span.start < high and span.end > low), key=_nesting_order)
    paragraphs = "".join(render_paragraph(text, start, end, inside) for start, end in shown)
    return '<div class="article">' + paragraphs + "</div>"


def render_label_colours(labels: Sequence[str], container_class: str) -> str:
    """Return a ``<style>`` that gives each label's pill in the label filter its label's colour, shown
    as a swatch by ``assets/styles/reading.css``: the filter is the legend too, so the page draws one
    row of labels, not two (on a long article the two took eleven lines above the text).

    ``labels`` in the pills' order; ``container_class``: the class Streamlit gives the pills' container
    (``st-key-<key>``). Only positions and colours reach the style, never a label's text: a reader's
    label is coloured by ``label_colour``, hex digits derived from it.
    """
    rules = "".join(
        f".{container_class} [role=toolbar] > button:nth-of-type({position}) {{ --ent-colour: {label_colour(label)}; }}"
        for position, label in enumerate(labels, start=1)
    )
    return f"<style>{rules}</style>"


def render_pick_notice(items: Sequence[PickedItem]) -> str:
    """Return what the chart picks mark, each with a sample of its mark: "Turkey: 6 mentions", escaped."""
    parts = [
        f'<span class="pick-item" title="{escape(MARK_STYLES[item.kind])}">'
        f'<span class="pick-sample {MARK_CLASSES[item.kind]}">Aa</span>{escape(item.words())}</span>'
        for item in items
    ]
    return '<div class="pick-notice">Marked in the text: ' + " · ".join(parts) + "</div>"
