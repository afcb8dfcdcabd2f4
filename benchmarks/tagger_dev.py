#!/usr/bin/env python3
"""Screen field-tagger variants on a dev set cut from the TRAIN side (issue 13).

    PYTHONPATH=src python benchmarks/tagger_dev.py VARIANT... [--train-refs 6000] [--iterations 80]
        [--full] [--e2e-limit 100] [--params '{"c1": 0.1}']

The training side of ``corpus.split(corpus.read_corpus())`` is split again
(``held_out=0.15, seed=7``): variants train on the rest (``--train-refs`` of it, or with
``--full`` all of it plus the synthetic and silver references, as ``bibkit train`` does) and
are scored on the dev part: token accuracy, whole-reference all-tokens-right, and end to end
(the references pasted as a page and parsed by the learned engine with the variant's tagger;
title, authors, year and container all right, by ``score_references``' comparisons), plus
how many references per second :func:`~bibkit.profile.features.token_features` handles.

A variant names feature functions of :mod:`bibkit.profile.features` to add (``+s_new``: a
sequence feature, ``s_`` prefix; ``+f_new``: a token feature) or drop (``-s_bigram``,
``-f_affix``), relative to the committed ones, or is ``base``; join several with commas:
``-s_bigram,-s_sentence``. Put ``--`` before the variants when one starts with ``-``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import score_references as sr

from bibkit.profile import crf, features
from bibkit.profile.training import corpus, train

SHIPPED = (features.TOKEN_FEATURES, features.SEQUENCE_FEATURES)


def apply(variant: str) -> None:
    """Set the feature functions ``variant`` names (relative to the committed ones)."""
    tok, seq = list(SHIPPED[0]), list(SHIPPED[1])
    for part in (p.strip() for p in variant.split(",")):
        if part in ("", "base"):
            continue
        name = part[1:]
        fn = getattr(features, name)
        target = seq if name.startswith("s_") else tok
        if part[0] == "+" and fn not in target:
            target.append(fn)
        elif part[0] == "-" and fn in target:
            target.remove(fn)
    features.TOKEN_FEATURES = tuple(tok)
    features.SEQUENCE_FEATURES = tuple(seq)
    features.clear_caches()


def prepared(refs: list[Any], rng: random.Random | None) -> list[tuple[list, list[str], list[str]]]:
    out = []
    for ref in refs:
        toks, labels, lines = train.ref_tokens(ref, rng)
        if toks:
            out.append((toks, labels, features.rule_token_tags(lines, toks)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--train-refs", type=int, default=6000)
    ap.add_argument("--iterations", type=int, default=80)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--e2e-limit", type=int, default=100, help="dev references per source end to end")
    ap.add_argument("--params", default="{}", help="crfsuite parameters (JSON) over crf.PARAMS")
    ap.add_argument("--keep", default="", help="folder to keep the models in")
    args = ap.parse_args()

    t0 = time.perf_counter()
    rest, _test = corpus.split(corpus.read_corpus())  # the test side is never read below
    tr, dev = corpus.split(rest, held_out=0.15, seed=7)
    if args.full:
        from bibkit.profile.training.synth_refs import synth_references

        synth, _ = corpus.split(synth_references(seed=train.SEED, n=train.SIZES["synth_refs"]))
        silver: list[Any] = []
        if train.SILVER_DIR.is_dir():
            from bibkit.profile.training.silver import silver_dir

            silver = silver_dir(train.SILVER_DIR)[1]
        tr = tr + synth + silver * 3
    else:
        tr = random.Random(1).sample(tr, min(args.train_refs, len(tr)))
    tr_data = prepared(tr, random.Random(train.SEED))
    dev_data = prepared(dev, None)
    groups = corpus.by_source(dev)
    e2e = [r for s in sorted(groups) for r in groups[s][:args.e2e_limit]]
    print(f"# {len(tr_data)} training, {len(dev_data)} dev references, {len(e2e)} end to end "
          f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    params = {"max_iterations": args.iterations, **json.loads(args.params)}
    print(f"{'variant':40s} {'params':28s} {'tok':>6s} {'allrt':>6s} {'e2e4':>6s} {'refs/s':>7s} {'train s':>7s}  "
          "title/auth/year/cont found")
    variants_seen = 0
    for variant in args.variants:
        apply(variant)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(args.keep or tmp) / f"tagger-{variants_seen}-{variant.replace(',', '_')}.crfsuite"
            variants_seen += 1
            t = time.perf_counter()
            model = crf.train(((features.token_features(tk, rt), lab) for tk, lab, rt in tr_data), path, params)
            secs = time.perf_counter() - t
            score = train.Score()
            for tk, lab, rt in dev_data:
                score.add(lab, model.tag(features.token_features(tk, rt))[0])
            features.clear_caches()
            t = time.perf_counter()
            for tk, _lab, rt in dev_data:
                features.token_features(tk, rt)
            rate = len(dev_data) / (time.perf_counter() - t)

            def parse_page(page: str, fmt: str, engine: str | None, path: Path = path) -> list[Any]:
                from bibkit.profile import parser

                return list(parser.parse_text(page, "<references>", fmt=fmt, engine="learned",
                                              model=str(path)).entries)

            sr.parse_page = parse_page
            tally = sr.Tally()
            for lay in sr.LAYOUTS:
                tally.add(sr.score(e2e, lay, "learned", 100))
            all4 = tally.right["all"] / max(1, tally.n)
        print(f"{variant:40s} {json.dumps(json.loads(args.params)):28s} {score.accuracy:6.4f} "
              f"{score.seq_right / score.seqs:6.4f} {all4:6.4f} {rate:7.0f} {secs:7.0f}  "
              + "/".join(f"{100 * tally.right[k] / max(1, tally.n):.1f}" for k in sr.FIELDS)
              + f" found {100 * tally.found / max(1, tally.n):.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
