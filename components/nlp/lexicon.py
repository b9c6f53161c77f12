"""The word lists of the language side, each once, with where it came from.

Every list here was written by hand for this project from the usage of English news copy (wire
style guides and the reporting verbs, titles and bodies that news articles use); none is taken from
a data set, and none names a person, an article or a phrase from our development sets. Lists that
are derived from a maintained source (countries, subdivisions) live in ``country_data`` instead.
Keep each list in one place: a module that needs a word list imports it from here.
"""

from __future__ import annotations

from typing import Final

# --- quotes and speakers ---------------------------------------------------------------------------

# Curated speech and attribution verbs (lemmas). Naming verbs (call, describe, label) are in
# because news uses them to introduce partial quotes: `called it "a non-starter"`.
SPEECH_VERBS: Final[frozenset[str]] = frozenset(
    """
    say tell add insist warn claim state write tweet post ask explain note remark reply respond
    answer argue announce declare describe call characterise characterize acknowledge admit allege
    assert comment conclude confirm continue deny emphasise emphasize estimate express inform
    maintain mention observe predict promise recall recount repeat report reiterate reveal stress
    suggest testify urge vow quip concede complain contend counter cry shout whisper speak read joke
    demand plead label brand hail slam blast criticise criticize condemn welcome lament muse caution
    advise assure boast bemoan accuse agree disagree thank pledge propose recommend blame cite
    talk specify stipulate
    """.split()
)

# Inflected forms for pipelines without a lemmatizer; regular verbs get -s/-ed/-ing forms below.
# fmt: off
IRREGULAR_FORMS: Final[dict[str, str]] = {
    "said": "say", "says": "say", "saying": "say", "told": "tell", "wrote": "write",
    "written": "write", "writing": "write", "spoke": "speak", "spoken": "speak", "read": "read",
    "cried": "cry", "replied": "reply", "denied": "deny", "testified": "testify",
}
# fmt: on

# Subject-less nouns that speak for someone else: the speaker is their owner.
SPOKES_NOUNS: Final[frozenset[str]] = frozenset(
    """
    spokesman spokeswoman spokesperson spokespeople representative official source aide lawyer
    attorney agent envoy delegation
    """.split()
)
# Documents that "say" things: the speaker is whoever issued them.
DOCUMENT_NOUNS: Final[frozenset[str]] = frozenset(
    """
    statement report release letter tweet post filing description message memo communique communiqué
    announcement notice document email e-mail note website page account decree summary ruling
    judgment judgement verdict order resolution petition lawsuit complaint indictment transcript
    """.split()
)
# Common nouns that denote people (for "she" and for lower-cased descriptive speakers).
PERSON_NOUNS: Final[frozenset[str]] = frozenset(
    """
    victim witness eyewitness resident man woman boy girl mother father son daughter wife husband
    student teacher doctor nurse survivor passenger driver neighbour neighbor friend relative
    colleague fan worker employee officer farmer owner journalist reporter expert analyst lawyer
    coach player leader candidate voter patient parent child one person president
    agent opponent participant defendant claimant assistant consultant migrant correspondent tenant
    attendee activist protester protestor economist scientist researcher actor actress singer
    critic rebel militant insurgent diplomat family people crowd villager ally medic paramedic head
    """.split()
)
# Person titles removed from names ("Foreign Minister Sergei Lavrov" -> "Sergei Lavrov").
TITLE_WORDS: Final[frozenset[str]] = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady president vice prime minister foreign
    secretary general gen lieutenant lt colonel col major maj captain capt sergeant sgt admiral
    commander chief deputy senator sen representative rep congressman congresswoman governor gov
    mayor judge justice sheriff detective inspector superintendent constable officer ambassador
    chancellor king queen prince princess pope bishop archbishop cardinal rev reverend father rabbi
    imam sheikh coach chairman chairwoman chair ceo director spokesman spokeswoman spokesperson ex
    former interior health defence defense finance home emeritus acting interim leader speaker
    commissioner attorney prosecutor eyewitness witness official premier councillor councilor cllr
    st state minority majority whip executive
    """.split()
)
POST_NOMINALS: Final[frozenset[str]] = frozenset("qc kc mp mep phd md obe cbe mbe esq".split())
# Generational suffixes: part of a name, but the surname is the word before them.
NAME_SUFFIXES: Final[frozenset[str]] = frozenset("jr sr ii iii iv".split())
# What companies are called once named ("the company said", "the steelmaker warned").
COMPANY_NOUNS: Final[frozenset[str]] = frozenset(
    """
    company firm group maker manufacturer producer exporter importer retailer carmaker automaker
    airline bank insurer operator supplier conglomerate business corporation startup developer
    publisher broadcaster steelmaker chain
    """.split()
)
# Nouns and titles that say a person's gender outright ("Actress Denise Crosby", "Mrs Lee").
GENDERED_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys("mr sir lord king prince actor spokesman chairman congressman father son".split(), "m"),
    **dict.fromkeys("husband brother businessman".split(), "m"),
    **dict.fromkeys("mrs ms miss dame lady queen princess actress spokeswoman chairwoman".split(), "f"),
    **dict.fromkeys("congresswoman mother daughter wife sister businesswoman mme mlle".split(), "f"),
}
# Words that end organisation names, to tell "Bradford Council" from a person's name.
ORG_HEAD_WORDS: Final[frozenset[str]] = frozenset(
    """
    office council party company ministry police department agency committee commission service
    board group corps army navy force forces government university institute association union bank
    court inc ltd corp corporation organisation organization foundation federation league club
    authority administration military embassy coalition alliance team network news times post
    """.split()
)

# Words that start with an apostrophe rather than a quote: 'em, 'tis, 'n'.
ELISIONS: Final = frozenset({"em", "tis", "twas", "cause", "n", "til", "bout", "round", "s"})
# A quoted phrase right after these is a term, not someone's words ("the word "pandemic"").
TERM_MARKERS: Final = frozenset(
    """
    word words term terms phrase expression slogan hashtag label nickname name title headline dubbed
    titled entitled nicknamed named so-called called
    """.split()
)
# Verbs that give something a name: their quoted complement is a name, not anyone's words
# (`named the virus "…"`). "Call" and "describe" are not here: news quotes the caller's words.
NAMING_VERBS: Final = frozenset("name dub designate christen rename nickname baptise baptize".split())
# Small words a Title Case name of an event or a work may hold in lower case.
TITLE_STOPWORDS: Final = frozenset("a an the of and or in on at to for from by with de la le von van".split())


# --- countries -------------------------------------------------------------------------------------

# Trailing words that make "<country or demonym> ..." the state itself. "State" is left out on
# purpose: "Islamic State" must not reach the lookup as "Islamic".
GOVERNMENT_WORDS: Final[frozenset[str]] = frozenset(
    """
    government ministry ministries administration cabinet parliament presidency regime authorities
    army military navy air force forces armed defence defense foreign interior embassy department
    police coast guard
    """.split()
)

# Words that say the next or previous name is a state or province ("the state of Georgia",
# "Guangdong province") or a country ("the country of Georgia").
SUBDIVISION_WORDS: Final = frozenset(
    "state province county region prefecture territory oblast governorate".split()
)
COUNTRY_WORDS: Final = frozenset("country nation republic kingdom".split())
# Words for a town in "the Polish city of Gdańsk": the demonym before them says which country.
SETTLEMENT_WORDS: Final = frozenset("city town village capital port suburb resort".split())
# Compass words before a country's name that leave its country unchanged ("northern Syria").
COMPASS_WORDS: Final = frozenset(
    """
    north northern south southern east eastern west western central northeast northeastern northwest
    northwestern southeast southeastern southwest southwestern
    """.split()
)
# Prepositions whose object is a place ("in Darwin", "from Hamilton"): a name the model called a
# person or an organisation is a place when one of these governs it.
LOCATIVE_PREPOSITIONS: Final = frozenset(
    "in at near outside inside across throughout around into from to towards toward via through".split()
)
# Words of TITLE_WORDS (quotes section) that also stand before place names ("St. Louis", "the
# former Yugoslavia", "Interior Alaska"): they do not make the next name a person's.
TITLES_BEFORE_PLACES: Final = frozenset(
    """
    st state general ex former acting interim interior health defence defense finance home foreign
    majority minority executive chief deputy vice leader official emeritus witness eyewitness whip
    chair
    """.split()
)
# Nouns that make the name before them a person's: "the Obama administration" (PERSON_ERA_NOUNS, as
# a compound: "a Toronto lawyer" is only from Toronto) and "Obama's aides" (PERSON_KIN_NOUNS, as a
# possessive: a town has no wife).
PERSON_ERA_NOUNS: Final = frozenset("administration campaign presidency era".split())
PERSON_KIN_NOUNS: Final = frozenset(
    "wife husband son daughter brother sister aide aides ally allies lawyer lawyers spokesman spokeswoman".split()
)
