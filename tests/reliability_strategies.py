"""Hypothesis strategies over the entry model, shared by the reliability tests.

Values are generated in the model's canonical form: the form a reader produces
(whitespace collapsed and stripped, page ranges with an en dash), because that is
what a round trip can be expected to give back.
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from bibkit.model import Date, Entry, Name

# A named profile; `HYPOTHESIS_PROFILE=thorough` multiplies the examples for a longer run by hand.
# no shrinking in the suite: a failure prints its example at once instead of minutes later
settings.register_profile("reliability", max_examples=int(os.environ.get("BIBKIT_EXAMPLES", "30")),
                          deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
                          suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "reliability"))

#: LaTeX-special and quoting characters that a BibTeX writer must escape
LATEX_SPECIAL = "&%$#_{}~^`'\"-–—"  # no backslash: in model text it starts a verbatim LaTeX island
UNICODE_LETTERS = "äöüßéèêçñøåæœłŁŠžÖÜÉČİığğ日本語中文Ωπ€“”‘’…×"

word = st.text(alphabet=string.ascii_letters + string.digits + UNICODE_LETTERS + LATEX_SPECIAL + ".,:;!?()/",
               min_size=1, max_size=12)


def _normalise(words: list[str]) -> str:
    return " ".join(words)


#: free text (titles, venues, notes): words with single spaces
text = st.lists(word, min_size=1, max_size=8).map(_normalise)
#: short text without LaTeX specials (volumes, editions, places)
plain = st.text(alphabet=string.ascii_letters + string.digits + UNICODE_LETTERS, min_size=1, max_size=10)

_cap = st.text(alphabet=string.ascii_uppercase + "ÄÖÜÉŁŠ", min_size=1, max_size=1)
_low = st.text(alphabet=string.ascii_lowercase + "äöüéłß", min_size=1, max_size=9)
#: a capitalised name word ("Müller", "O'Neil", "Smith-Jones")
name_word = st.builds(lambda a, b, c: a + b + c, _cap, _low,
                      st.sampled_from(["", "", "", "-Jones", "'s", "ová"]))
particle = st.sampled_from(["van", "van der", "de", "de la", "von", "di", "du", "da", "le", "ter", "zu"])
suffix = st.sampled_from(["Jr.", "Sr.", "III", "IV", "Jr"])


@st.composite
def personal_name(draw: st.DrawFn, dropping: bool = False) -> Name:
    family = " ".join(draw(st.lists(name_word, min_size=1, max_size=2)))
    given = draw(st.none() | st.lists(name_word | st.sampled_from(["J.", "A. B.", "Jean-Paul"]), min_size=1,
                                      max_size=3).map(" ".join))
    return Name(family=family, given=given, particle=draw(st.none() | particle),
                dropping_particle=draw(st.none() | particle) if dropping else None,
                suffix=draw(st.none() | suffix) if given else None)


literal_name = st.builds(Name, literal=st.sampled_from([
    "World Health Organization", "The ATLAS Collaboration", "IEEE Computer Society", "Ørsted A/S",
    "Smith, Jones and Partners", "Médecins Sans Frontières"]))
name = personal_name() | literal_name
names = st.lists(name, min_size=1, max_size=5)


@st.composite
def date(draw: st.DrawFn) -> Date:
    year = draw(st.integers(1000, 2100))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28)) if month else None
    return Date(year=year, month=month, day=day)


@st.composite
def date_range(draw: st.DrawFn) -> Date:
    d = draw(date())
    if draw(st.booleans()):
        d.end = Date(year=d.year + draw(st.integers(0, 3)), month=d.month, day=d.day)
    d.circa = draw(st.booleans())
    return d


page = st.one_of(
    st.integers(1, 99999).map(str),
    st.tuples(st.integers(1, 5000), st.integers(1, 999)).map(lambda t: f"{t[0]}–{t[0] + t[1]}"),
    st.integers(1, 9999).map(lambda n: f"e{n}"),
)
doi = st.builds(lambda reg, suf: f"10.{reg}/{suf}", st.integers(1000, 99999),
                st.text(alphabet=string.ascii_letters + string.digits + "./-_;()<>:", min_size=1, max_size=20))
url = st.builds(lambda host, path: f"https://{host}.org/{path}",
                st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=10),
                st.text(alphabet=string.ascii_letters + string.digits + "/_-.~%?=&#", max_size=20))
arxiv = st.builds(lambda a, b: f"{a:04d}.{b:05d}", st.integers(1501, 2512), st.integers(0, 99999))

#: extra field names: lower-case names no reader maps to a model attribute
EXTRA_NAMES = ["keywords", "annote", "mrnumber", "howpublished", "shorttitle", "langid", "addendum", "zbl"]
#: extra fields BibTeX keeps verbatim (no LaTeX decoding): a backslash cannot precede a brace there
VERBATIM_NAMES = ["eprintclass", "pmid", "owner", "timestamp", "file", "biburl"]
verbatim_text = st.text(alphabet=string.ascii_letters + string.digits + UNICODE_LETTERS + "{}%&#_~^$:/.;-",
                        min_size=1, max_size=30).map(lambda s: " ".join(s.split())).filter(bool)
extra = st.builds(lambda a, b: {**a, **b}, st.dictionaries(st.sampled_from(EXTRA_NAMES), text, max_size=3),
                  st.dictionaries(st.sampled_from(VERBATIM_NAMES), verbatim_text, max_size=2))

#: CSL types whose BibTeX type reads back as the same CSL type (the others have no BibTeX type)
BIBTEX_TYPES = ["article-journal", "book", "chapter", "paper-conference", "thesis", "report", "manuscript",
                "pamphlet", "webpage", "dataset", "software", "patent", "standard", "periodical", "document",
                "review", "legislation", "personal_communication", "motion_picture", "graphic", "performance",
                "article", "entry-encyclopedia", "musical_score", "treaty", "legal_case"]

key_strategy = st.text(alphabet=string.ascii_letters + string.digits + ":-_", min_size=1, max_size=12).map(
    lambda s: "k" + s)


@st.composite
def entry(draw: st.DrawFn, types: list[str] = BIBTEX_TYPES, csl: bool = False) -> Entry:
    e = Entry(type=draw(st.sampled_from(types)))
    e.title = draw(st.none() | text)
    e.author = draw(st.lists(personal_name(dropping=csl) | literal_name, max_size=4))
    e.editor = draw(st.just([]) | names)
    e.issued = draw(st.none() | (date_range() if csl else date()))
    for attr in ("container_title", "publisher", "note", "collection_title"):
        setattr(e, attr, draw(st.none() | text))
    for attr in ("volume", "edition", "publisher_place"):
        setattr(e, attr, draw(st.none() | plain))
    e.page = draw(st.none() | page)
    e.doi = draw(st.none() | doi)
    e.url = draw(st.none() | url)
    e.arxiv = draw(st.none() | arxiv)
    e.extra = draw(extra)
    if e.type == "chapter" and not e.container_title:
        e.container_title = draw(text)
    if e.type == "thesis":  # BibTeX has a type per thesis kind; the reader names it in genre
        e.genre = draw(st.sampled_from(["PhD thesis", "Master's thesis"]))
    if e.type == "article" and not csl:  # BibTeX: a @misc with an arXiv id is a preprint
        e.arxiv = e.arxiv or draw(arxiv)
    if e.type == "document" and not csl:
        e.arxiv = None
    return e


def entries(csl: bool = False, max_size: int = 4) -> st.SearchStrategy[list[Entry]]:
    """Lists of entries with unique keys."""
    return st.lists(st.tuples(key_strategy, entry(csl=csl)), max_size=max_size,
                    unique_by=lambda t: t[0].lower()).map(lambda pairs: [_with_key(e, k) for k, e in pairs])


def _with_key(e: Entry, key: str) -> Entry:
    e.key = key
    return e
