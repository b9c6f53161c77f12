"""Speakers on copy no rule was tuned for: a trade-dispute article of our own, and one passage per
error class of issue 11 (pronouns, roles, appositions, inverted cues, partial quotes, organisations,
generic nouns and places), each checked with its method and confidence.

Every passage here was written for these tests.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from components.nlp.quotes import Quote, find_quotes

TRADE_DISPUTE = """\
Brazil and Russia trade blows over steel tariffs

Brazil's trade minister, Carla Mendes, told reporters in Brasília on Tuesday that the new Russian \
tariffs on steel were "a clear breach of the agreement we signed last year".

"We will take this to the World Trade Organization if Moscow does not back down," Mendes said.

The dispute deepened when Brazil's ambassador to France, Roberto Almeida, joined her at a briefing \
in Paris. "Nobody in Europe wants a trade war with South America," he said. "The door to talks is \
still open."

Russia's response came within hours. The Kremlin said it wanted a settlement "on fair terms" but \
would not lift the tariffs before talks began. "Russian producers have been treated unfairly for \
years," a spokesman for the Foreign Ministry said.

Siderúrgica Atlântica, Brazil's largest steel exporter, warned that orders had already fallen. "We \
have lost a third of our Russian contracts since March," the company said in a statement.

Economist Helena Duarte of the University of São Paulo accused both governments of "playing \
politics with people's jobs". "Neither side can win this," she said.

"The tariffs are temporary and legal," replied Dmitri Orlov, a deputy trade minister in Moscow.

"Workers in both countries will pay for this," Ana Costa, the head of the steelworkers' union, \
wrote on Twitter.

"We expect a reply by Friday," the ambassador said after meeting French officials.
"""

# (the quote's first words, speaker, kind, method)
EXPECTED = [
    ('"a clear breach', "Carla Mendes", "person", "named"),
    ('"We will take', "Carla Mendes", "person", "named"),
    ('"Nobody in Europe', "Roberto Almeida", "person", "pronoun"),
    ('"The door to talks', "Roberto Almeida", "person", "continuation"),
    ('"on fair terms"', "Kremlin", "organisation", "organisation"),
    ('"Russian producers', "Foreign Ministry", "organisation", "organisation"),
    ('"We have lost', "Siderúrgica Atlântica", "organisation", "role"),
    ('"playing', "Helena Duarte", "person", "named"),
    ('"Neither side', "Helena Duarte", "person", "pronoun"),
    ('"The tariffs are', "Dmitri Orlov", "person", "named"),
    ('"Workers in both', "Ana Costa", "person", "named"),
    ('"We expect a reply', "Roberto Almeida", "person", "role"),
]


@pytest.fixture(scope="module")
def trade_quotes(nlp: Language) -> list[Quote]:
    doc = nlp(TRADE_DISPUTE)
    quotes, problems = find_quotes(doc)
    assert problems == []
    return quotes


def test_the_trade_dispute_finds_every_quote_and_its_speaker(trade_quotes: list[Quote]) -> None:
    found = [
        (q.text[: len(e[0])], q.speaker, q.speaker_kind, q.method)
        for q, e in zip(trade_quotes, EXPECTED, strict=False)
    ]
    assert len(trade_quotes) == len(EXPECTED)
    assert found == EXPECTED


def test_the_trade_dispute_says_how_sure_each_speaker_is(trade_quotes: list[Quote]) -> None:
    # Named beside the quote: high; a pronoun or role with no rival: medium; "the company" with no
    # company introduced as such: the latest organisation, low.
    assert [q.confidence for q in trade_quotes] == [
        "high",
        "high",
        "medium",
        "medium",
        "high",
        "high",
        "low",
        "high",
        "medium",
        "high",
        "high",
        "medium",
    ]
    for q in trade_quotes:
        assert TRADE_DISPUTE[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert TRADE_DISPUTE[q.speaker_start : q.speaker_end] == q.mention


def test_the_role_noun_keeps_its_mention_and_names_the_person(trade_quotes: list[Quote]) -> None:
    ambassador = trade_quotes[-1]
    assert (ambassador.mention, ambassador.speaker, ambassador.cue) == (
        "the ambassador",
        "Roberto Almeida",
        "said",
    )


# -- one passage per error class ---------------------------------------------------------------------


def speakers(nlp: Language, text: str) -> list[tuple[str | None, str | None, str]]:
    quotes, _ = find_quotes(nlp(text))
    return [(q.speaker, q.speaker_kind, q.method) for q in quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Finance Minister Paolo Rossi praised his officials on Monday. The central bank's governor, "
            "Marta Bianchi, joined him at the podium.\n“The worst is behind us,” she said.",
            ("Marta Bianchi", "person", "pronoun"),
        ),
        (
            "Finance Minister Paolo Rossi spoke first. Then the central bank's governor, Luca Ferri, took "
            "the podium.\n“The worst is behind us,” he said.",
            ("Luca Ferri", "person", "pronoun"),
        ),
    ],
    ids=["she-after-new-person", "he-after-new-person-not-previous-speaker"],
)
def test_pronoun_after_a_newly_introduced_person(nlp: Language, text: str, expected: tuple) -> None:
    assert speakers(nlp, text)[-1] == expected


def test_a_gender_is_learnt_only_from_a_pronoun_that_refers_to_the_person(nlp: Language) -> None:
    # "joined her" is Ana's object: it says nothing about Tom Weller, so "he" may still be him.
    text = "Ana Ruiz opened the talks. Tom Weller joined her an hour later.\n“We made progress,” he said."
    assert speakers(nlp, text)[-1] == ("Tom Weller", "person", "pronoun")


def test_an_ambiguous_pronoun_is_marked_unsure(nlp: Language) -> None:
    quotes, _ = find_quotes(nlp("Sam Okoro met Kim Lindqvist in Oslo.\n“It was a long day,” they said."))
    assert [q.confidence for q in quotes] in ([], ["low"])
    text = "Sam Okoro met Kim Lindqvist in Oslo on Friday.\n“It was a long day for everyone,” Okoro said."
    [quote] = find_quotes(nlp(text))[0]
    assert (quote.speaker, quote.confidence) == ("Sam Okoro", "high")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Germany's envoy to the talks, Jonas Keller, arrived late. Delegates waited for an hour.\n"
            "“We need more time,” the envoy told them.",
            ("Jonas Keller", "person", "role"),
        ),
        (
            "Health Minister Ruth Adler opened the new ward on Friday.\n“This is only the start,” the minister added.",
            ("Ruth Adler", "person", "role"),
        ),
        (
            "Talks stalled on Friday.\n“There is nothing left to discuss,” the ambassador said.",
            ("the ambassador", "unnamed", "role"),
        ),
    ],
    ids=["envoy-by-apposition", "minister-by-title", "never-introduced"],
)
def test_role_nouns_link_to_the_person_introduced_in_that_role(
    nlp: Language, text: str, expected: tuple
) -> None:
    quotes, _ = find_quotes(nlp(text))
    quote = quotes[-1]
    assert (quote.speaker, quote.speaker_kind, quote.method) == expected
    assert quote.confidence == ("low" if expected[1] == "unnamed" else "medium")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The figures do not add up,” Jane Roe, the editor of the Courier, wrote on Twitter.", "Jane Roe"),
        ("“We are ahead in every poll,” replied campaign manager John Doe.", "John Doe"),
        ("“Nobody was hurt,” said Ines Maurer, a spokeswoman for the fire service.", "Ines Maurer"),
        (
            "Former British Ambassador to the United Nations Clara Boyd wrote on Twitter, “We must keep "
            "our promises to our allies.”",
            "Clara Boyd",
        ),
    ],
    ids=["after-quote-apposition", "inverted-cue", "inverted-cue-apposition", "title-to-an-organisation"],
)
def test_speaker_after_the_quote_or_after_a_long_title(nlp: Language, text: str, speaker: str) -> None:
    assert speakers(nlp, text) == [(speaker, "person", "named")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Councillor Mary Smith accused the board of “dragging its feet” over the new library.",
            "Mary Smith",
        ),
        ("Union leader Omar Haddad called the offer “an insult to every nurse” in the city.", "Omar Haddad"),
        ("Senator Alan Brooks said the bill was “dead on arrival” in the chamber.", "Alan Brooks"),
    ],
    ids=["accused-of", "called-it", "said-was"],
)
def test_partial_quote_in_reported_speech_goes_to_the_reporting_subject(
    nlp: Language, text: str, speaker: str
) -> None:
    [(found, kind, method)] = speakers(nlp, text)
    assert (found, kind, method) == (speaker, "person", "named")


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        (
            "“The border will stay open,” a spokesman for the Foreign Ministry said.",
            "Foreign Ministry",
            "organisation",
        ),
        ("The Kremlin said the proposal was “not serious” and rejected it.", "Kremlin", "organisation"),
        (
            "Nordwind Logistics, a freight company based in Hamburg, lost two ships in the storm.\n"
            "“Our crews are safe,” the company said.",
            "Nordwind Logistics",
            "organisation",
        ),
        ("“Prices will rise again in spring,” an official said.", "an official", "unnamed"),
    ],
    ids=["spokesman-for", "kremlin", "the-company", "unnamed-official"],
)
def test_organisations_and_unnamed_sources_speak(nlp: Language, text: str, speaker: str, kind: str) -> None:
    quotes, _ = find_quotes(nlp(text))
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [(speaker, kind)]


@pytest.mark.parametrize(
    "text",
    [
        "The conference opened on Monday. “Every seat was taken by noon,” the news said.",
        "“Aleppo will be rebuilt,” read a banner in Aleppo.",
        "In Geneva, “nobody expected a deal before the summer holidays,” the element said.",
    ],
    ids=["news-conference", "place", "generic-element"],
)
def test_a_speaker_is_never_a_generic_noun_a_place_or_a_word_of_the_quote(nlp: Language, text: str) -> None:
    for speaker, _, _ in speakers(nlp, text):
        assert speaker is None or speaker.lower() not in {
            "news",
            "conference",
            "element",
            "aleppo",
            "geneva",
            "banner",
        }
