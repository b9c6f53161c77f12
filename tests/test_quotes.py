"""Tests for the ``article_quotes`` component: quote marks, speakers, problems, the factory.

The passages are written for these tests (not taken from the benchmark's development set).
"""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from components.config import PROJECT_ROOT
from components.nlp.pipeline import resolve_model_name
from components.nlp.quotes import ArticleQuotes, Quote, QuoteProblem, find_quotes, scan_quote_marks

MARKS = "\"“”‘’'«»„"
BUNDLED_GOLD = PROJECT_ROOT / "benchmarks" / "bundled-gold.json"


def quotes_in(nlp: Language, text: str, **kwargs: bool) -> list[Quote]:
    quotes, _ = find_quotes(nlp(text), **kwargs)
    return quotes


def assert_well_formed(doc: Doc, quotes: list[Quote]) -> None:
    """Offsets point at the quote with its marks; the speaker span at the mention."""
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    for q in quotes:
        assert doc.text[q.start : q.end] == q.text
        assert q.text[0] in MARKS and q.text[-1] in MARKS, q.text
        if q.speaker_start is not None:
            assert doc.text[q.speaker_start : q.speaker_end] == q.mention
        assert q.speaker is None or q.speaker.lower() not in {"he", "she", "it", "they", "i", "we"}


# -- quote marks and apostrophes (no model needed) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Curly double,” she said.", ["“Curly double,”"]),
        ('"Straight double," she said.', ['"Straight double,"']),
        ("‘Curly single,’ she said.", ["‘Curly single,’"]),
        ("'Straight single,' she said.", ["'Straight single,'"]),
        ("It’s Kerry’s plan, the rebels’ plan and don't forget the ’90s.", []),
        ("The workers' union blamed the boss's 'agenda' and the '90s.", ["'agenda'"]),
        ("“It’s the rebels’ city,” he said.", ["“It’s the rebels’ city,”"]),
        (
            "“He said: ‘Stay where you are’,” she recalled.",
            ["“He said: ‘Stay where you are’,”", "‘Stay where you are’"],
        ),
        (
            "\"Bolton wrote, 'Let's talk tomorrow.' \" Then he left.",
            ["\"Bolton wrote, 'Let's talk tomorrow.' \"", "'Let's talk tomorrow.'"],
        ),
        ('He asked "why?" and left.', ['"why?"']),
        ("‘[T]he house is sold,’ she said.", ["‘[T]he house is sold,’"]),
        ("‘The farmers’ jobs are at stake,’ he said.", ["‘The farmers’ jobs are at stake,’"]),
        (
            "She sent ‘deepest sympathies’ and promised ‘intense attention’ to the case.",
            ["‘deepest sympathies’", "‘intense attention’"],
        ),
        (
            "‘It felt like “am I going to die?”\u2009’ she said.",
            ["‘It felt like “am I going to die?”\u2009’", "“am I going to die?”"],
        ),
    ],
    ids=[
        "curly",
        "straight",
        "curly-single",
        "straight-single",
        "apostrophes",
        "straight-apostrophes",
        "apostrophes-inside",
        "nested",
        "nested-straight-spaced",
        "mid-sentence",
        "british-bracket",
        "british-plural-possessive",
        "british-two-partials",
        "british-thin-space",
    ],
)
def test_marks_pair_into_quotes_and_apostrophes_never_do(text: str, expected: list[str]) -> None:
    raws, problems = scan_quote_marks(text)
    assert sorted(text[q.start : q.end] for q in raws) == sorted(expected)
    assert problems == []


@pytest.mark.parametrize(
    ("text", "kind", "offset"),
    [
        ("The sign read “Closed for repairs.\nNobody knew why the shop was shut.", "unclosed", 14),
        ("He said it was over.” Then he left the room.", "stray", 20),
        ('Roger, any extinguishers on board?" [...] Was that the whole crew?', "stray", 34),
        ("“One, ‘two, three,” she counted.", "unclosed", 6),
    ],
    ids=["unclosed-at-paragraph-end", "stray-closing", "stray-straight-closing", "unclosed-single-inside"],
)
def test_unbalanced_marks_are_reported_with_offsets(nlp: Language, text: str, kind: str, offset: int) -> None:
    doc = nlp(text)
    quotes, problems = find_quotes(doc)
    assert [(p.kind, p.start) for p in problems] == [(kind, offset)]
    assert str(offset) in str(problems[0]) and isinstance(problems[0], QuoteProblem)
    assert all(q.start != offset for q in quotes)
    assert_well_formed(doc, quotes)


def test_random_quote_soup_never_raises(nlp: Language) -> None:
    rng = random.Random(20240611)
    pieces = [
        '"',
        "“",
        "”",
        "‘",
        "’",
        "'",
        "\n",
        "\n\n",
        " ",
        "said",
        "He",
        "Lavrov",
        ",",
        ".",
        ":",
        "it's",
        "«",
        "»",
        "\u2009",
        "—",
        "(",
        "according to",
        "the statement",
        "she",
    ]
    texts = ["", " ", '"', "'", "“”", '"\n"\n"', "’’’’", "He said: ‘"]
    texts += [
        "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 30)))
        for _ in range(150)
    ]
    blank = spacy.blank("en")
    for pipeline in (nlp, blank):
        for doc in pipeline.pipe(texts):
            quotes, problems = find_quotes(doc, keep_doubtful=True)
            assert_well_formed(doc, quotes)
            assert all(0 <= p.start < p.end <= len(doc.text) for p in problems)


# -- speakers ---------------------------------------------------------------------------------------

SPEAKER_CASES = [
    (
        "after",
        "“We will rebuild the bridge before winter,” Mayor Ellen Carter said.",
        [("“We will rebuild the bridge before winter,”", "Ellen Carter")],
    ),
    (
        "after-inverted",
        '"The river has never been this high," said Tom Okafor, a farmer from the valley.',
        [('"The river has never been this high,"', "Tom Okafor")],
    ),
    (
        "before-colon",
        'Health Minister Rosa Lind said: "Hospitals are ready for the winter."',
        [('"Hospitals are ready for the winter."', "Rosa Lind")],
    ),
    (
        "single-quotes",
        "‘We are not going anywhere,’ said the union leader, Maria Gomez.",
        [("‘We are not going anywhere,’", "Maria Gomez")],
    ),
    (
        "apostrophes-inside",
        "“It’s the city’s last chance, and the workers’ union knows it,” said Anna Berg.",
        [("“It’s the city’s last chance, and the workers’ union knows it,”", "Anna Berg")],
    ),
    (
        "speaker-inside",
        '"We tried," said Li Chen, "but the money ran out."',
        [('"We tried,"', "Li Chen"), ('"but the money ran out."', "Li Chen")],
    ),
    (
        "question",
        "“Is this really the best we can do?” asked opposition leader Fatima Noor.",
        [("“Is this really the best we can do?”", "Fatima Noor")],
    ),
    (
        "partial-reported",
        "Prime Minister Jonas Weber said the agreement was “a fair compromise” and warned "
        "that talks could take “many more months”.",
        [("“a fair compromise”", "Jonas Weber"), ("“many more months”", "Jonas Weber")],
    ),
    (
        "partial-then-cued",
        "Germany wants “a lasting peace” in the region – “and soon,” Chancellor Petra Hoff said.",
        [("“a lasting peace”", "Petra Hoff"), ("“and soon,”", "Petra Hoff")],
    ),
    (
        "according-to",
        "According to Dr. Helen Ross, the vaccine is “safe and effective”.",
        [("“safe and effective”", "Helen Ross")],
    ),
    (
        "appositive",
        "“Prices will keep rising,” the central bank’s governor, Omar Haddad, warned on Thursday.",
        [("“Prices will keep rising,”", "Omar Haddad")],
    ),
    (
        "participle",
        "“Enough is enough,” Mayor Lena Holt tweeted, adding that the city “will not tolerate” delays.",
        [("“Enough is enough,”", "Lena Holt"), ("“will not tolerate”", "Lena Holt")],
    ),
    (
        "description",
        "Residents said the noise was unbearable. “We cannot sleep,” one of the residents told the BBC.",
        [("“We cannot sleep,”", "one of the residents")],
    ),
    (
        "merge-surname-strip-title",
        "Defence Secretary Alan Marsh visited the base on Monday.\n“We will not cut the budget,” Marsh said.",
        [("“We will not cut the budget,”", "Alan Marsh")],
    ),
    (
        "merge-descriptor",
        "Neighbour Peter Vance watched the water rise.\n“It was like a wall,” Vance said.",
        [("“It was like a wall,”", "Peter Vance")],
    ),
    (
        "dependency-not-nearest-cue",
        "Mayor Ellen Carter said on Monday that the flood in the northern valley was "
        "“a disaster” while Governor Tom Reyes wrote that help was coming.",
        [("“a disaster”", "Ellen Carter")],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in SPEAKER_CASES], ids=[c[0] for c in SPEAKER_CASES]
)
def test_speaker_beside_before_after_or_inside_the_quote(nlp: Language, text: str, expected: list) -> None:
    doc = nlp(text)
    quotes, _ = find_quotes(doc)
    assert [(q.text, q.speaker) for q in quotes] == expected
    # An unnamed source ("one of the residents") is of kind "unnamed", a named one a person.
    assert all(q.speaker_kind == ("unnamed" if q.speaker.islower() else "person") and q.cue for q in quotes)
    assert_well_formed(doc, quotes)


PRONOUN_CASES = [
    (
        "she",
        "Inspector Karen Walsh led the search for three days.\n“We found nothing at the lake,” she said.",
        "Karen Walsh",
        "she",
    ),
    (
        "capital-she",
        "Maria Lopez, head of the nurses’ union, said staff were tired. She added: “We have been patient "
        "for too long.”",
        "Maria Lopez",
        "She",
    ),
    (
        "gender-skips-recent",
        "Coach Dan Price praised his players. Team captain Lucy Moore scored twice in her first match.\n"
        "“The boys were brilliant today,” he said.",
        "Dan Price",
        "he",
    ),
    (
        "speaker-not-object",
        "Senator Joan Pike met Omar Haddad on Monday.\n“We agreed on very little,” she said.",
        "Joan Pike",
        "she",
    ),
]


@pytest.mark.parametrize(
    ("text", "speaker", "mention"), [c[1:] for c in PRONOUN_CASES], ids=[c[0] for c in PRONOUN_CASES]
)
def test_pronoun_speakers_resolve_to_the_person(nlp: Language, text: str, speaker: str, mention: str) -> None:
    doc = nlp(text)
    quotes, _ = find_quotes(doc)
    quote = quotes[-1]
    assert (quote.speaker, quote.method, quote.mention, quote.speaker_kind) == (
        speaker,
        "pronoun",
        mention,
        "person",
    )
    assert_well_formed(doc, quotes)


def test_unresolvable_pronoun_leaves_no_speaker_but_keeps_the_quote(nlp: Language) -> None:
    [quote] = quotes_in(nlp, "“Nobody asked us,” she said.")
    assert (quote.speaker, quote.method, quote.cue) == (None, "none", "said")


def test_it_said_resolves_to_the_organisation(nlp: Language) -> None:
    [quote] = quotes_in(
        nlp, "The ministry said it would review the rules. “No decision has been taken yet,” it said."
    )
    assert (quote.speaker, quote.speaker_kind, quote.method) == ("ministry", "organisation", "pronoun")


@pytest.mark.parametrize(
    ("text", "speakers", "methods"),
    [
        (
            "“The first phase is finished,” engineer Li Chen said. “The second starts in May.”",
            ["Li Chen", "Li Chen"],
            ["named", "continuation"],
        ),
        (
            "“We will appeal,” lawyer Sam Reed told reporters.\n“This verdict cannot stand in any court.”",
            ["Sam Reed", "Sam Reed"],
            ["named", "continuation"],
        ),
        (
            "“We will appeal,” lawyer Sam Reed told reporters.\nThe court adjourned and the crowd slowly "
            "left the square in the rain.\n“Justice was done here today, and everyone in town knows it.”",
            ["Sam Reed", None],
            ["named", "none"],
        ),
    ],
    ids=["same-paragraph", "next-paragraph", "not-after-narration"],
)
def test_cue_less_quote_continues_the_previous_speaker(
    nlp: Language, text: str, speakers: list, methods: list[str]
) -> None:
    quotes = quotes_in(nlp, text)
    assert [q.speaker for q in quotes] == speakers
    assert [q.method for q in quotes] == methods


def test_nested_quote_has_its_own_speaker(nlp: Language) -> None:
    text = (
        "“I remember what Senator Mark Bell’s letter promised. He said: ‘Nobody will be left behind’,” "
        "Ortega told the court."
    )
    doc = nlp(text)
    outer, inner = find_quotes(doc)[0]
    assert (outer.speaker, outer.nested_in, outer.mark) == ("Ortega", None, "double")
    assert (inner.text, inner.speaker, inner.mention) == ("‘Nobody will be left behind’", "Mark Bell", "He")
    assert (inner.nested_in, inner.mark, inner.method) == (outer.start, "single", "pronoun")
    assert_well_formed(doc, [outer, inner])


def test_nested_quote_without_cue_takes_the_enclosing_speaker(nlp: Language) -> None:
    quotes = quotes_in(
        nlp, "“It felt like ‘am I going to live or die tonight’ for all of us,” said Tom Hale."
    )
    assert [(q.speaker, q.method) for q in quotes] == [("Tom Hale", "named"), ("Tom Hale", "nested")]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (
            "The Norwegian navy said in a statement on Tuesday that the exercise had been “routine”.\n"
            "“All crew members are safe and the vessel has returned to port,” the Norwegian statement said.",
            ["Norwegian navy", "Norwegian navy"],
        ),
        (
            "A Dorset Police spokeswoman said: “Two men have been arrested and are being questioned.”",
            ["Dorset Police"],
        ),
        (
            "“We are cooperating fully with investigators,” Acme Logistics said in a filing.",
            ["Acme Logistics"],
        ),
        (
            "The report, published by the Ocean Trust, warned that reefs were “dying faster than ever”.",
            ["Ocean Trust"],
        ),
    ],
    ids=["statement-of-earlier-org", "spokeswoman", "named-company", "report-by"],
)
def test_organisations_and_statements_speak(nlp: Language, text: str, speakers: list[str]) -> None:
    quotes = quotes_in(nlp, text)
    assert [q.speaker for q in quotes] == speakers
    assert all(q.speaker_kind == "organisation" and q.method == "organisation" for q in quotes)


@pytest.mark.parametrize(
    "text",
    [
        "Harbour master Ian Cole said: “We counted boats first.\n“Then we counted people. None missing.”",
        'Harbour master Ian Cole said: "We counted boats first.\n\n"Then we counted people. None missing."',
    ],
    ids=["curly", "straight"],
)
def test_quote_running_over_paragraphs_is_one_attributed_quote(nlp: Language, text: str) -> None:
    doc = nlp(text)
    quotes, problems = find_quotes(doc)
    [quote] = quotes
    assert (quote.paragraphs, quote.speaker, problems) == (2, "Ian Cole", [])
    assert quote.text.startswith(("“We", '"We')) and quote.text.endswith(("missing.”", 'missing."'))
    assert quote.text.count("\n") >= 1
    assert_well_formed(doc, quotes)


@pytest.mark.parametrize(
    "text",
    [
        "Officials avoided the word “crisis” all week.",
        "Thousands attended “Rock the Lake Festival” in June.",
        "The album, titled “Quiet Nights”, was released in May.",
        "The engineers worried about the “road drag” figure.",
        "The minister said the word “crisis” was overused.",
        "Organisers said “Rock the Lake Festival” would return next year.",
    ],
    ids=["the-word", "event-title", "titled", "no-cue-short", "term-despite-cue", "title-despite-cue"],
)
def test_scare_quotes_and_titles_are_doubtful(nlp: Language, text: str) -> None:
    assert quotes_in(nlp, text) == []
    [doubtful] = quotes_in(nlp, text, keep_doubtful=True)
    assert doubtful.doubtful


def test_quote_is_a_frozen_dataclass(nlp: Language) -> None:
    [quote] = quotes_in(nlp, "“Fine,” said Ann Lee.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        quote.speaker = "someone else"  # type: ignore[misc]


# -- the pipeline component --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp_with_quotes() -> Language:
    """A second copy of the model with the component added the spaCy 3 way."""
    pipeline = spacy.load(resolve_model_name(None))
    pipeline.add_pipe("article_quotes")
    return pipeline


def test_factory_sets_the_doc_extensions(nlp_with_quotes: Language, nlp: Language) -> None:
    text = "“We will rebuild the bridge,” Mayor Ellen Carter said. He said it was over.” Nobody argued."
    doc = nlp_with_quotes(text)
    assert nlp_with_quotes.pipe_names[-1] == "article_quotes"
    assert [(q.text, q.speaker) for q in doc._.quotes] == [("“We will rebuild the bridge,”", "Ellen Carter")]
    assert [p.kind for p in doc._.quote_problems] == ["stray"]
    assert doc._.quotes == find_quotes(nlp(text))[0]
    assert Doc.has_extension("quotes") and Doc.has_extension("quote_problems")


def test_component_works_without_ner(nlp_with_quotes: Language) -> None:
    with nlp_with_quotes.select_pipes(disable=["ner"]):
        doc = nlp_with_quotes("“We will rebuild the bridge,” Mayor Ellen Carter said. “It will take a year.”")
    assert [(q.speaker, q.method) for q in doc._.quotes] == [
        ("Ellen Carter", "named"),
        ("Ellen Carter", "continuation"),
    ]


def test_keep_doubtful_option(nlp: Language) -> None:
    doc = ArticleQuotes(keep_doubtful=True)(nlp("Officials avoided the word “crisis” all week."))
    assert [q.doubtful for q in doc._.quotes] == [True]


# -- the bundled article -----------------------------------------------------------------------------


def test_bundled_article_every_quote_and_speaker(nlp: Language, bundled_text: str) -> None:
    gold = json.loads(BUNDLED_GOLD.read_text(encoding="utf-8"))["quotes"]
    doc = nlp(bundled_text)
    quotes, problems = find_quotes(doc)
    assert problems == []
    assert [(q.start, q.end) for q in quotes] == [(g["start"], g["end"]) for g in gold]
    assert [q.speaker for q in quotes] == [g["speaker"] for g in gold]
    assert [q.speaker_kind for q in quotes] == [g["speaker_kind"] for g in gold]
    by_text = {q.text[:12]: q for q in quotes}
    kerry = by_text["‘Whoever wan"]
    assert kerry.nested_in == by_text["“When we ado"].start and kerry.method == "pronoun"
    assert by_text["“It’s not tr"].method == "pronoun" and by_text["“If they fol"].method == "continuation"
    assert by_text["“constructiv"].method == "organisation"
    assert_well_formed(doc, quotes)
