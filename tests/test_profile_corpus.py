"""The profile parser on hand-written pages in shapes the real pages do not cover.

Every ``tests/data/profiles_extra/NAME.gold.json`` names its page in ``source``; the
parser reads the page, its entries are written as CSL-JSON and scored with
``tests/scoring.py`` (same semantics as ``../shared/eval/score_profiles.py``).
Parser tests skip while ``bibkit.profile`` is missing; the gold files and the scorer
are checked regardless.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from .scoring import CSL_TYPES_USED, add, norm_title, score_profile, summary

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)

DATA = Path(__file__).parent / "data" / "profiles_extra"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLDS = sorted(DATA.glob("*.gold.json"))

#: The goal for every page (``test_parser_reaches_target_f1`` reports it without failing the suite).
TARGET_F1 = 0.8
#: Regression floors: entry F1 per page, about 0.1 under what the parser measured (profile branch
#: commits aff89e2 and 5d24fe4); raise them as the parser improves.  Pages not listed must reach TARGET_F1.
MIN_F1: dict[str, float] = {
    "biomed_vancouver": 0.7, "html_sections_stats": 0.9, "html_ul_networks": 0.85, "latex_cv_chem": 0.75,
    "md_bracket_tags": 0.9, "md_humanities_musicology": 0.7, "md_news_hci": 0.65, "md_nonascii_robotics": 0.75,
    "md_numbered_years": 0.9, "pdf_cv_economics": 0.15,
    "txt_physics_label_blocks": 0.9, "txt_project_tags": 0.9, "txt_math_abstracts": 0.9,
    "txt_title_first_cs": 0.9,
}
#: Minimum micro-averaged field accuracies over the matched entries of all pages (aff89e2: title .98,
#: authors .93, year 1.0, venue .91, type .97; floors leave a margin).
MIN_FIELDS = {"title": 0.9, "authors": 0.85, "year": 0.9, "venue": 0.8, "type": 0.9}


def _gold(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _page_id(path: Path) -> str:
    return path.name.removesuffix(".gold.json")


def test_corpus_is_present() -> None:
    assert len(GOLDS) >= 8


@pytest.mark.parametrize("gpath", GOLDS, ids=_page_id)
def test_gold_file_is_well_formed(gpath: Path) -> None:
    gold = _gold(gpath)
    assert (DATA / gold["source"]).is_file()
    assert gold["owner"]["family"]
    entries = gold["entries"]
    assert 10 <= len(entries) <= 40
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e["type"] in CSL_TYPES_USED, e["id"]
        assert e["title"].strip() and e["title"] == e["title"].strip(), e["id"]
        assert isinstance(e["author"], list)
        for a in e["author"]:
            assert a.get("family") or a.get("literal"), e["id"]
        assert e["status"] in (None, "accepted", "submitted", "under-review", "preprint", "forthcoming")
        assert isinstance(e["venue"], list)
        assert e["occurrences"] >= 1 and isinstance(e["optional"], bool)
        if "issued" in e:
            assert 1900 < e["issued"]["date-parts"][0][0] < 2030


@pytest.mark.parametrize("gpath", GOLDS, ids=_page_id)
def test_gold_scores_perfectly_against_itself(gpath: Path) -> None:
    gold = _gold(gpath)
    r = score_profile(gold, [e for e in gold["entries"] if not e["optional"]])
    s = summary(r)
    assert s["entry_f1"] == 1.0 and r["dup"] == 0
    assert all(ok == n for ok, n in r["fields"].values())


def _shared_scorer() -> Any:
    path = SHARED / "eval" / "score_profiles.py"
    if not path.is_file():
        pytest.skip("../shared/eval/score_profiles.py not present")
    spec = importlib.util.spec_from_file_location("shared_score_profiles", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("gpath", GOLDS[:3], ids=_page_id)
def test_scoring_mirrors_shared_scorer(gpath: Path) -> None:
    """Perturbed predictions get the same score from our scorer and the shared one."""
    shared = _shared_scorer()
    gold = _gold(gpath)
    pred = []
    for k, e in enumerate(gold["entries"]):
        p = dict(e)
        if k % 4 == 1:
            p["author"] = list(reversed(e["author"]))
        if k % 5 == 2:
            p["issued"] = {"date-parts": [[1999]]}
        if k % 3 == 0:
            p["title"] = e["title"] + " and more words"
        if k % 6 == 4:
            p["type"] = "manuscript"
        if k % 7 == 3:
            pred.append(dict(p))  # a duplicate emission
        pred.append(p)
    pred.append({"title": "Not on the page at all", "type": "book"})
    ours, theirs = score_profile(gold, pred), shared.score_profile(gold, pred)
    for key in ("tp", "fp", "fn", "gold", "pred", "fields", "dup", "missing", "spurious"):
        assert ours[key] == theirs[key], key
    assert [m[:2] for m in ours["misses"]] == theirs["misses"]


# -- the parser ---------------------------------------------------------------------
_PARSED: dict[str, dict[str, dict[str, Any]]] = {}


@pytest.fixture
def parsed(profile_engine: str) -> dict[str, dict[str, Any]]:
    """Score every page once per parser engine (the parser runs once per page and engine for the module)."""
    if profile_engine not in _PARSED:
        _PARSED[profile_engine] = _parse_all()
    return _PARSED[profile_engine]


def _parse_all() -> dict[str, dict[str, Any]]:
    profile = pytest.importorskip("bibkit.profile")
    if not hasattr(profile, "parse_profile"):
        pytest.skip("bibkit.profile.parse_profile not there yet")
    import bibkit

    out = {}
    for gpath in GOLDS:
        gold = _gold(gpath)
        result = profile.parse_profile(DATA / gold["source"])
        r = score_profile(gold, bibkit.to_csl_json(result))
        r["silent"] = _silent(r["missing"], result)
        out[_page_id(gpath)] = r
    return out


def _silent(missing: list[str], result: Any) -> list[str]:
    """Missed gold titles that are neither in a Problem nor inside the raw text of an emitted entry."""
    problems = " ".join(norm_title(f"{p.raw or ''} {p.message}") for p in result.problems)
    raws = " ".join(norm_title(pv.raw or "") for e in result.entries for pv in e.provenance)
    out = []
    for title in missing:
        key = " ".join(norm_title(title).split()[:5])
        if key not in problems and key not in raws:
            out.append(title)
    return out


def _explain(r: dict[str, Any]) -> str:
    lines = [f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in summary(r).items()]
    lines += [f"missing: {t}" for t in r["missing"]]
    lines += [f"spurious: {t}" for t in r["spurious"]]
    lines += [f"wrong {k}: {t} :: {why}" for k, t, why in r["misses"]]
    return "\n  ".join(lines)


@pytest.mark.parametrize("gpath", GOLDS, ids=_page_id)
def test_parser_entry_f1(parsed: dict[str, dict[str, Any]], gpath: Path) -> None:
    name = _page_id(gpath)
    r = parsed[name]
    assert summary(r)["entry_f1"] >= MIN_F1.get(name, TARGET_F1), _explain(r)


# the 0.8 entry-F1 target holds on every page since parser 716a734: a real assertion now
@pytest.mark.parametrize("gpath", GOLDS, ids=_page_id)
def test_parser_reaches_target_f1(parsed: dict[str, dict[str, Any]], gpath: Path) -> None:
    r = parsed[_page_id(gpath)]
    assert summary(r)["entry_f1"] >= TARGET_F1, _explain(r)


#: Allowance for works dropped without a Problem (parser c230b58 dropped two on this page: "**Nwosu PU^**, ..."
#: and an "Epub ..." entry); everything else must be reported or visible inside an emitted entry.
SILENT_ALLOWED = {"biomed_vancouver": 2}


@pytest.mark.parametrize("gpath", GOLDS, ids=_page_id)
def test_parser_drops_nothing_silently(parsed: dict[str, dict[str, Any]], gpath: Path) -> None:
    """Issue 3: a reference-like line that did not become an entry is reported (a Problem) or is at least
    inside the raw text of an emitted entry (mis-segmented, but visible in ``--report``)."""
    name = _page_id(gpath)
    silent = parsed[name]["silent"]
    assert len(silent) <= SILENT_ALLOWED.get(name, 0), silent


def test_parser_field_accuracy_over_corpus(parsed: dict[str, dict[str, Any]]) -> None:
    total = None
    for r in parsed.values():
        total = add(total, r)
    assert total is not None
    s = summary(total)
    low = {k: round(s[k], 3) for k, floor in MIN_FIELDS.items() if s[k] < floor}
    assert not low, f"field accuracies below {MIN_FIELDS}: {low}"
