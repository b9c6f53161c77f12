"""Countries by what places are and what the article says (issue 12), on passages of our own writing.

The first tests run the decision alone (``country_choice.choose``) on the real tables; the rest run
the real model and our component, and check each rule of the issue on a short passage.
"""

from __future__ import annotations

from collections import Counter

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from components.config import load_settings
from components.nlp.countries import FACTORY_NAME, resolve_country
from components.nlp.country_choice import AMBIGUOUS, ArticleContext, choose
from components.nlp.country_data import load_tables
from components.nlp.pipeline import resolve_model_name
from components.nlp.place_names import LANDMARKS, SEATS_OF_GOVERNMENT, SUBDIVISION_ENGLISH_NAMES


@pytest.fixture(scope="module")
def country_nlp() -> Language:
    """The project's model with only our country component after its recogniser."""
    nlp = spacy.load(resolve_model_name(load_settings().spacy_model))
    nlp.add_pipe(FACTORY_NAME)
    return nlp


def _countries(nlp: Language, text: str) -> dict[str, tuple[str | None, str | None]]:
    """Return each entity's (country, reason), by its text (the last of repeated texts)."""
    return {ent.text: (ent._.country, ent._.country_reason) for ent in nlp(text).ents}


def _iso3(nlp: Language, text: str, name: str) -> str | None:
    found = [ent._.country for ent in nlp(text).ents if ent.text == name]
    assert found, f"the model found no entity {name!r} in {text!r}"
    return found[-1]


# --- the decision alone ----------------------------------------------------------------------


def _choose(text: str, context: ArticleContext | Counter[str] | None = None) -> str:
    entry = load_tables().lookup(text)
    assert entry is not None, text
    return choose(entry, context).iso3


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Florida", "USA"),  # not the Cuban town, not the Uruguayan department
        ("Arizona", "USA"),  # not the town in Honduras
        ("Colorado", "USA"),
        ("Virginia", "USA"),  # not the town in South Africa
        ("Montana", "USA"),  # not the Bulgarian province or town
        ("Ontario", "CAN"),  # not Ontario, California
        ("Victoria", "AUS"),  # the state before the cities of that name
    ],
)
def test_a_state_is_in_its_country_before_any_town_of_its_name(text: str, iso3: str) -> None:
    assert _choose(text) == iso3


@pytest.mark.parametrize(
    ("text", "iso3"), [("Fla.", "USA"), ("Pa.", "USA"), ("N.S.W.", "AUS"), ("Ont.", "CAN")]
)
def test_news_abbreviations_of_states_and_provinces(text: str, iso3: str) -> None:
    resolution = resolve_country(text, "GPE")
    assert resolution is not None and (resolution.iso3, resolution.reason) == (iso3, "subdivision")


def test_a_big_town_abroad_beats_a_state_only_in_an_article_about_its_country() -> None:
    canadian = ArticleContext(countries=Counter({"CAN": 3}))
    assert _choose("Victoria", canadian) == "CAN"  # Victoria, B.C. (290k) in a Canadian story
    assert _choose("Florida", Counter({"CUB": 3})) == "USA"  # Florida, Cuba is a small town


def test_georgia_is_the_state_when_the_article_names_places_at_state_level() -> None:
    assert _choose("Georgia") == "GEO"
    us_politics = ArticleContext()
    for region in ("US-FL", "US-AZ"):
        us_politics.regions[region] += 1
        us_politics.regional["USA"] += 1
    assert _choose("Georgia", us_politics) == "USA"
    # A US mention alone is no evidence of the state: US-Georgian relations stay Georgian.
    assert _choose("Georgia", Counter({"USA": 5})) == "GEO"
    atlanta = ArticleContext(regions=Counter({"US-GA": 1}), regional=Counter({"USA": 1}))
    assert _choose("Georgia", atlanta) == "USA"
    tbilisi = ArticleContext(countries=Counter({"GEO": 2}), regions=Counter({"US-GA": 1}))
    assert _choose("Georgia", tbilisi) == "GEO"


@pytest.mark.parametrize(
    ("text", "context", "iso3"),
    [
        ("Geneva", None, "CHE"),
        ("Geneva", Counter({"USA": 4}), "CHE"),  # Geneva, Illinois is a village next to it
        ("Perth", Counter({"GBR": 3}), "AUS"),  # Perth, Scotland is 2% of Perth, Australia
        ("Córdoba", Counter({"ESP": 1}), "ESP"),
        ("Córdoba", Counter({"ARG": 1}), "ARG"),
        ("Valencia", Counter({"VEN": 1}), "VEN"),
        ("Valencia", Counter({"ESP": 1}), "ESP"),
        ("Hamilton", Counter({"CAN": 2}), "CAN"),
    ],
)
def test_towns_follow_the_article(text: str, context: Counter[str] | None, iso3: str) -> None:
    assert _choose(text, context) == iso3


def test_a_town_the_article_leaves_undecided_has_no_country() -> None:
    # Valencia, Venezuela is only twice Valencia, Spain: size alone does not decide.
    entry = load_tables().lookup("Valencia")
    assert entry is not None and choose(entry) is AMBIGUOUS
    assert resolve_country("Valencia", "GPE") is None
    assert resolve_country("Punjab", "GPE") is None  # India's and Pakistan's
    assert resolve_country("Punjab", "GPE", Counter({"PAK": 2})).iso3 == "PAK"


def test_a_town_in_a_state_the_article_names() -> None:
    alabama = ArticleContext(regions=Counter({"US-AL": 1}))
    michigan = ArticleContext(regions=Counter({"US-MI": 1}))
    entry = load_tables().lookup("Birmingham")
    assert entry is not None
    assert (choose(entry, alabama).iso3, choose(entry, alabama).region) == ("USA", "US-AL")
    assert (choose(entry, michigan).iso3, choose(entry, michigan).region) == ("USA", "US-MI")


@pytest.mark.parametrize(
    ("text", "label", "iso3", "reason"),
    [
        ("the White House", "FAC", "USA", "seat of government"),
        ("White House", "ORG", "USA", "seat of government"),
        ("Capitol Hill", "ORG", "USA", "seat of government"),
        ("the Pentagon", "ORG", "USA", "seat of government"),
        ("the Kremlin", "ORG", "RUS", "seat of government"),
        ("Downing Street", "GPE", "GBR", "seat of government"),
        ("Whitehall", "ORG", "GBR", "seat of government"),
        ("the Élysée", "ORG", "FRA", "seat of government"),
        ("Elysee", "FAC", "FRA", "seat of government"),
        ("Zhongnanhai", "GPE", "CHN", "seat of government"),
        ("the Blue House", "ORG", "KOR", "seat of government"),
        ("Trafalgar Square", "PERSON", "GBR", "landmark"),
    ],
)
def test_seats_of_government_and_landmarks_whatever_the_label(
    text: str, label: str, iso3: str, reason: str
) -> None:
    resolution = resolve_country(text, label)
    assert resolution is not None and (resolution.iso3, resolution.reason) == (iso3, reason)


def test_every_landmark_and_english_name_points_to_real_codes() -> None:
    names = load_tables().names
    for countries in (*SEATS_OF_GOVERNMENT.values(), *LANDMARKS.values()):
        assert all(iso3 in names for iso3 in countries)
    import pycountry

    assert all(pycountry.subdivisions.get(code=code) for code in SUBDIVISION_ENGLISH_NAMES.values())


@pytest.mark.parametrize(
    ("text", "label", "iso3"),
    [
        ("Congo", "GPE", "COD"),
        ("Congolese", "NORP", "COD"),
        ("DR Congo", "GPE", "COD"),
        ("Democratic Republic of the Congo", "GPE", "COD"),
        ("Republic of the Congo", "GPE", "COG"),
        ("Congo-Brazzaville", "GPE", "COG"),
        ("Korea", "GPE", "KOR"),
        ("South Korea", "GPE", "KOR"),
        ("Korean", "NORP", "KOR"),
        ("South Korean", "NORP", "KOR"),
        ("North Korean", "NORP", "PRK"),
        ("Ivory Coast", "GPE", "CIV"),
        ("Côte d'Ivoire", "GPE", "CIV"),
        ("Ivorian", "NORP", "CIV"),
        ("Czech Republic", "GPE", "CZE"),
        ("Czechia", "GPE", "CZE"),
        ("Czech", "NORP", "CZE"),
        ("Burma", "GPE", "MMR"),
        ("Myanmar", "GPE", "MMR"),
        ("Burmese", "NORP", "MMR"),
        ("Holland", "GPE", "NLD"),
        ("the Netherlands", "GPE", "NLD"),
        ("Dutch", "NORP", "NLD"),
        ("Britain", "GPE", "GBR"),
        ("UK", "GPE", "GBR"),
        ("British", "NORP", "GBR"),
    ],
)
def test_a_countrys_variants_agree_between_name_and_demonym(text: str, label: str, iso3: str) -> None:
    resolution = resolve_country(text, label)
    assert resolution is not None and resolution.iso3 == iso3


def test_congo_follows_the_article() -> None:
    assert _choose("Congo", Counter({"COG": 2})) == "COG"
    assert _choose("Congolese", Counter({"COG": 1, "COD": 3})) == "COD"


@pytest.mark.parametrize("text", ["White House", "the White House", "Kremlin", "Pentagon", "Downing Street"])
def test_no_alternate_name_maps_a_landmark_to_a_town_abroad(text: str) -> None:
    entry = load_tables().lookup(text)
    assert entry is not None
    assert {candidate.reason for candidate in entry.candidates} == {"seat of government"}


@pytest.mark.parametrize(
    ("text", "is_word"),
    [("Most", True), ("Of", True), ("Split", True), ("Nice", True), ("Paris", False), ("Aleppo", False)],
)
def test_towns_named_like_english_words_are_known(text: str, is_word: bool) -> None:
    assert load_tables().is_word(text) is is_word


# --- the component on passages -----------------------------------------------------------------


def test_us_states_and_their_abbreviations_in_us_news(country_nlp: Language) -> None:
    text = (
        "TALLAHASSEE, Fla. — Florida began a recount on Saturday. Officials in Arizona, Colorado and "
        "Virginia watched closely, and lawyers flew in from Pittsburgh, Pa., and Montana."
    )
    found = _countries(country_nlp, text)
    for name in ("TALLAHASSEE", "Fla.", "Florida", "Arizona", "Colorado", "Virginia", "Pa."):
        assert found[name][0] == "USA", name
    assert found["Florida"] == ("USA", "subdivision")


def test_georgia_the_state_beside_other_states(country_nlp: Language) -> None:
    text = "Voters in Florida, Arizona and Georgia waited for results, and officials in Atlanta said Georgia would recount."
    assert _iso3(country_nlp, text, "Georgia") == "USA"


def test_georgia_the_country_beside_tbilisi(country_nlp: Language) -> None:
    text = "Thousands marched in Tbilisi on Sunday. Georgia's president said she would veto the law."
    assert _iso3(country_nlp, text, "Georgia") == "GEO"


def test_the_state_of_georgia(country_nlp: Language) -> None:
    text = "The company will open a plant in the state of Georgia next year."
    assert _iso3(country_nlp, text, "Georgia") == "USA"


def test_a_qualifier_after_a_comma_decides(country_nlp: Language) -> None:
    text = (
        "Ministers met in Geneva, Switzerland, while schools in London, Ont., stayed closed for a third day."
    )
    found = [(ent.text, ent._.country) for ent in country_nlp(text).ents]
    assert ("Geneva", "CHE") in found
    assert ("London", "CAN") in found


def test_a_town_we_do_not_know_is_where_the_article_puts_it(country_nlp: Language) -> None:
    text = "The children were all from Marksville, Louisiana, and their driver from Kutama, Zimbabwe."
    found = _countries(country_nlp, text)
    assert found["Marksville"][0] == "USA"
    assert found["Kutama"][0] == "ZWE"


def test_a_small_town_placed_in_a_state_is_there_though_a_namesake_abroad_is_all_we_know(
    country_nlp: Language,
) -> None:
    # Our data knows one Palm Beach (near Sydney, 15,000 people); Florida's is smaller than its list.
    text = (
        "The president flew to Palm Beach, Florida, on Friday. In Palm Beach he met donors, and on "
        "Sunday he played golf near Jupiter, Fla."
    )
    found = [(ent.text, ent._.country) for ent in country_nlp(text).ents if ent.label_ in {"GPE", "LOC"}]
    assert found.count(("Palm Beach", "USA")) == 2, found  # the later mention on its own too
    # A country after the comma may start a list: a town abroad is not moved into it.
    listed = (
        "Aid convoys left Bethlehem, Jordan and Egypt on Tuesday; Palm Beach, near Sydney, sent blankets."
    )
    assert _iso3(country_nlp, listed, "Bethlehem") != "JOR"
    assert _iso3(country_nlp, listed, "Palm Beach") == "AUS"


def test_a_dateline_the_model_missed_becomes_a_place(country_nlp: Language) -> None:
    doc = country_nlp("GENEVA — Trade ministers met on Monday to end a dispute over steel.")
    first = doc.ents[0]
    assert (first.text, first.label_, first._.country) == ("GENEVA", "GPE", "CHE")


def test_the_white_house_is_not_in_morocco(country_nlp: Language) -> None:
    text = "Officials at the White House said the president would sign the bill on Friday."
    assert [(e._.country, e._.country_reason) for e in country_nlp(text).ents if "White House" in e.text] == [
        ("USA", "seat of government")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "President Obama signed the bill on Friday.",
        "Barack Obama spoke in Chicago. Obama said the law would protect families.",
        "Barack Obama was in Denver. Later, Obama's aides said he was tired.",
    ],
)
def test_a_person_is_not_a_place(country_nlp: Language, text: str) -> None:
    assert all(ent._.country is None for ent in country_nlp(text).ents if "Obama" in ent.text)


def test_a_capital_named_like_a_person_stays_a_capital_unless_the_person_speaks(
    country_nlp: Language,
) -> None:
    text = (
        "WASHINGTON — Actor Denzel Washington visited the school on Friday. "
        "Washington told reporters he had studied there."
    )
    doc = country_nlp(text)
    countries = [(ent.text, ent._.country) for ent in doc.ents if ent.text.casefold() == "washington"]
    assert countries[0] == ("WASHINGTON", "USA")
    assert countries[-1] == ("Washington", None)


def test_a_town_the_model_called_a_person_is_a_place_after_in(country_nlp: Language) -> None:
    text = "The Bureau of Meteorology said temperatures in Darwin and Adelaide would pass 40C."
    assert _iso3(country_nlp, text, "Darwin") == "AUS"
    assert _iso3(country_nlp, text, "Adelaide") == "AUS"


@pytest.mark.parametrize(
    "text",
    [
        "Most hotels on the coast were full by June.",
        "Of the 20 million visitors expected this year, half will come from Germany.",
        "Split decisions by the commission have angered landlords.",
        "Nice weather brought the visitors back.",
    ],
)
def test_an_english_word_at_a_sentences_start_is_no_town(country_nlp: Language, text: str) -> None:
    first = text.split()[0]
    assert all(ent._.country is None for ent in country_nlp(text).ents if ent.text == first)


def test_a_town_named_like_a_word_is_a_place_in_a_place_like_context(country_nlp: Language) -> None:
    text = "Tourists returned to Split, Croatia, and hotels in Nice were full."
    assert _iso3(country_nlp, text, "Split") == "HRV"
    assert _iso3(country_nlp, text, "Nice") == "FRA"


def test_a_landmark_named_again_by_its_first_word(country_nlp: Language) -> None:
    text = (
        "The gold toilet was stolen from Blenheim Palace in Oxfordshire, England. "
        "It had been installed for visitors to use at Blenheim."
    )
    assert _iso3(country_nlp, text, "Blenheim") == "GBR"


@pytest.mark.parametrize(
    ("text", "iso3"), [("US", "USA"), ("U.S.", "USA"), ("Us", None), ("UK", "GBR"), ("Uk", None)]
)
def test_an_acronym_is_one_only_in_capitals(text: str, iso3: str | None) -> None:
    resolution = resolve_country(text, "GPE")
    assert (resolution.iso3 if resolution else None) == iso3


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("the\nRepublic of Ireland", "IRL"), ("Uttar\nPradesh,", "IND"), ("Buenos\r\nAires", "ARG")],
)
def test_a_hard_wrapped_name_is_the_same_name(text: str, iso3: str) -> None:
    resolution = resolve_country(text, "GPE")
    assert resolution is not None and resolution.iso3 == iso3


def test_an_english_word_opening_a_quotation_is_no_town(country_nlp: Language) -> None:
    text = 'The activist told the crowd, "Corona was quiet here until the tourists came."'
    assert _iso3(country_nlp, text, "Corona") is None  # Corona, California needs place-like evidence


def test_a_name_qualifying_a_persons_noun_is_a_person(country_nlp: Language) -> None:
    # Entities set by hand as GPE, the small model's mistake, so the test is about our rule.
    doc = country_nlp.make_doc("The Obama administration and Obama's aides met in Chicago.")
    for _, proc in country_nlp.pipeline[:-1]:
        doc = proc(doc)
    doc.ents = [Span(doc, 1, 2, "GPE"), Span(doc, 4, 5, "GPE"), Span(doc, 9, 10, "GPE")]
    country_nlp.get_pipe(FACTORY_NAME)(doc)
    assert [(ent.text, ent._.country) for ent in doc.ents] == [
        ("Obama", None),
        ("Obama", None),
        ("Chicago", "USA"),
    ]


def test_a_town_before_an_occupation_is_still_a_town(country_nlp: Language) -> None:
    text = "Howard Smith, a Toronto lawyer, said the case would be appealed."
    assert _iso3(country_nlp, text, "Toronto") == "CAN"
