"""What the reader picked in the charts, and how each pick is marked in the text.

Picks from different charts stay apart: a speaker's quotes get a solid outline, a country's
mentions a dashed one, a label's spans an underline, so two picks at once remain legible. The map
and the countries' bars pick countries alike and add up. Pure: the page reads the charts'
selections and hands them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NamedTuple

import pandas as pd

from components.annotations.schema import KIND_ENTITY, KIND_QUOTE, STATUS_REJECTED

# pick kind -> the CSS class of its mark in the text (assets/styles/reading.css) and its style in words
PICK_SPEAKER: Final = "speaker"
PICK_COUNTRY: Final = "country"
PICK_LABEL: Final = "label"
MARK_CLASSES: Final = {PICK_SPEAKER: "pick-speaker", PICK_COUNTRY: "pick-country", PICK_LABEL: "pick-label"}
MARK_STYLES: Final = {PICK_SPEAKER: "solid outline", PICK_COUNTRY: "dashed outline", PICK_LABEL: "underline"}


class PickedItem(NamedTuple):
    """One thing picked, as the notice says it: "Turkey: 6 mentions", marked with ``kind``'s style."""

    kind: str
    name: str
    count: int
    unit: str  # "quote", "mention", "span"

    def words(self) -> str:
        return f"{self.name}: {self.count} {self.unit}{'' if self.count == 1 else 's'}"


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for group in groups for value in group if value))


@dataclass(frozen=True)
class ChartPick:
    """What the reader clicked in the charts: speakers, countries (bars and map together), labels."""

    speakers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        speakers: tuple[str, ...] = (),
        bar_countries: tuple[str, ...] = (),
        map_countries: tuple[str, ...] = (),
        labels: tuple[str, ...] = (),
    ) -> ChartPick:
        """Return the pick of the charts' selections; a country picked on the map adds to the bars'."""
        return cls(_unique(speakers), _unique(bar_countries, map_countries), _unique(labels))

    @property
    def speaker(self) -> str | None:
        """Return the one picked speaker whose quotes the text narrows to, None unless exactly one."""
        return self.speakers[0] if len(self.speakers) == 1 else None

    def __bool__(self) -> bool:
        return bool(self.speakers or self.countries or self.labels)

    def _matches(self, table: pd.DataFrame) -> list[tuple[str, str, pd.Series]]:
        """Return (kind, value, which active rows it marks) for each thing picked."""
        active = table[table["status"] != STATUS_REJECTED]
        entities = active["kind"] == KIND_ENTITY
        return [
            *((PICK_SPEAKER, s, active["speaker"] == s) for s in self.speakers),
            *((PICK_COUNTRY, c, entities & (active["country"] == c)) for c in self.countries),
            *((PICK_LABEL, lab, entities & (active["label"] == lab)) for lab in self.labels),
        ]

    def marks(self, table: pd.DataFrame) -> dict[str, frozenset[str]]:
        """Return span_id -> the kinds of pick that mark it (a span may be marked by two)."""
        found: dict[str, set[str]] = {}
        active_ids = table.loc[table["status"] != STATUS_REJECTED, "span_id"]
        for kind, _, rows in self._matches(table):
            for span_id in active_ids[rows]:
                found.setdefault(str(span_id), set()).add(kind)
        return {span_id: frozenset(kinds) for span_id, kinds in found.items()}

    def items(self, table: pd.DataFrame, country_name, label_name) -> list[PickedItem]:
        """Return each thing picked with how many spans it marks, for the notice above the text."""
        active = table[table["status"] != STATUS_REJECTED]
        items = []
        for kind, value, rows in self._matches(table):
            if kind == PICK_SPEAKER:
                count = int((rows & (active["kind"] == KIND_QUOTE)).sum())
                items.append(PickedItem(kind, value, count, "quote"))
            elif kind == PICK_COUNTRY:
                items.append(PickedItem(kind, country_name(value) or value, int(rows.sum()), "mention"))
            else:
                items.append(PickedItem(kind, label_name(value), int(rows.sum()), "span"))
        return items
