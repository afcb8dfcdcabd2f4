"""Deduplicating .bib files too big to hold as entries: two streaming passes, same result.

Pass 1 reads the files segment by segment (:mod:`bibkit.io.bibstream`).  Each entry leaves its
:class:`~bibkit.dedupe.keys.Norm`, handed to the DuckDB engine in chunks (the plan's record and key
tables), and its pickled Entry and its BibTeX text as the writer would write it alone, appended to a
table of the same database (:class:`_Store`, in Arrow batches).  DuckDB holds the tables within its
memory limit and spills to disk beyond it, so neither the entries nor the normalised records stay in
Python's memory.  The engine then runs blocking and the rules, and the clustering runs as
:func:`bibkit.dedupe.dedupe` runs it, the Norms of the records it needs read back from the engine.
The clusters are merged from their members read back in batches, and pass 2 writes the output in
input order from one sorted query: a record alone is copied as it was stored, a cluster's merged
entry is written at its first member.  Keys, ``--versions link``, ``--clusters``, ``--review`` and
``--explain`` give what the in-memory path gives (a test compares both on real data).
"""

from __future__ import annotations

import array
import json
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from ..model import Entry, Problem
from ..progress import NO_PROGRESS, current, reporting
from .engine import CHUNK, cluster_all, make_engine
from .keys import PREPRINT_F, Norm
from .rules import Decision, Policy, compare
from .trace import trace as _trace


def _writer_context() -> tuple[set[str], dict[str, frozenset[str]]]:
    from ..io.bibtex import _defined_macros

    return _defined_macros([]), {}


_CTX: dict[str, Any] = {}


def _payload(entry: Entry) -> tuple:
    """What pass 1 keeps of one entry (computed in the worker)."""
    from ..keys import _VALID_KEY
    from .merge import _completeness

    norm = Norm(0, entry)
    valid = bool(entry.key and _VALID_KEY.fullmatch(entry.key))
    text = None
    if valid:
        text = _entry_text_alone(entry, entry.key)  # type: ignore[arg-type]
    rid = None
    for p in entry.provenance:
        if p.record_id:
            rid = p.record_id
            break
    return (norm, text, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), entry.key, valid,
            rid or entry.key, _completeness(entry))


def _repayload(payload: tuple, fix: Callable[[Entry], None]) -> tuple:
    entry = pickle.loads(payload[2])
    fix(entry)
    return _payload(entry)


class _Store:
    """Each record's BibTeX text (``None``: its key must be generated) and pickled Entry, by slot, in a
    table of the engine's DuckDB database: appended in Arrow batches, read back in batches."""

    FLUSH = 20_000

    def __init__(self, con: Any):
        self.con = con
        con.execute("CREATE TABLE entries (slot BIGINT, text VARCHAR, blob BLOB)")
        self.size = 0
        self._rows: tuple[list[int], list[str | None], list[bytes]] = ([], [], [])

    def add(self, text: str | None, blob: bytes, slot: int | None = None) -> int:
        if slot is None:
            slot = self.size
            self.size += 1
        slots, texts, blobs = self._rows
        slots.append(slot)
        texts.append(text)
        blobs.append(blob)
        if len(slots) >= self.FLUSH:
            self.flush()
        return slot

    def flush(self) -> None:
        import pyarrow as pa

        slots, texts, blobs = self._rows
        if not slots:
            return
        table = pa.table({"slot": pa.array(slots, pa.int64()), "text": pa.array(texts, pa.string()),
                          "blob": pa.array(blobs, pa.binary())})
        self.con.register("entries_arrow", table)
        self.con.execute("INSERT INTO entries SELECT * FROM entries_arrow")
        self.con.unregister("entries_arrow")
        self._rows = ([], [], [])

    def _want(self, slots: Iterable[int]) -> None:
        import pyarrow as pa

        self.flush()
        self.con.register("wanted_slots", pa.table({"slot": pa.array(sorted(set(slots)), pa.int64())}))

    def replace(self, rows: dict[int, tuple[str | None, bytes]]) -> None:
        """New text and entry for some slots."""
        self._want(rows)
        self.con.execute("DELETE FROM entries WHERE slot IN (SELECT slot FROM wanted_slots)")
        self.con.unregister("wanted_slots")
        for slot, (text, blob) in rows.items():
            self.add(text, blob, slot)
        self.flush()

    def entries(self, slots: Iterable[int]) -> dict[int, Entry]:
        """The entries of some slots, unpickled."""
        self._want(slots)
        rows = self.con.execute("SELECT e.slot, e.blob FROM entries e JOIN wanted_slots w ON e.slot = w.slot"
                                ).fetchall()
        self.con.unregister("wanted_slots")
        return {slot: pickle.loads(blob) for slot, blob in rows}

    def in_order(self, slots: Sequence[int], full: Sequence[bool]) -> Iterator[tuple[str | None, bytes | None]]:
        """The text of each of ``slots`` in that order, and its pickled entry when it has no text or
        ``full`` says so (one sorted query, read in batches)."""
        import pyarrow as pa

        self.flush()
        order = pa.table({"pos": pa.array(range(len(slots)), pa.int64()), "slot": pa.array(slots, pa.int64()),
                          "full": pa.array(full, pa.bool_())})
        self.con.register("out_order", order)
        query = ("SELECT e.text, CASE WHEN e.text IS NULL OR o.full THEN e.blob END AS blob "
                 "FROM out_order o JOIN entries e ON e.slot = o.slot ORDER BY o.pos")
        for batch in self.con.sql(query).to_arrow_reader(self.FLUSH):
            yield from zip(batch.column("text").to_pylist(), batch.column("blob").to_pylist(), strict=True)
        self.con.unregister("out_order")


class _Negatives:
    """The near misses (negative decisions kept for review and --explain), as arrays, in the
    order they were made; a pair decided again later is kept once (its first decision)."""

    # array.array while decisions are added, numpy arrays after finish()
    a: Any
    b: Any
    score: Any
    rule: Any

    def __init__(self) -> None:
        self.a, self.b = array.array("q"), array.array("q")
        self.score = array.array("d")
        self.rule = array.array("b")
        self.rules: list[str] = []
        self._code: dict[str, int] = {}

    def add(self, d: Decision) -> None:
        code = self._code.get(d.rule)
        if code is None:
            code = self._code[d.rule] = len(self.rules)
            self.rules.append(d.rule)
        self.a.append(d.a)
        self.b.append(d.b)
        self.score.append(d.score)
        self.rule.append(code)

    def finish(self, n: int) -> None:
        import numpy as np

        if not self.a:
            self.a, self.b = np.zeros(0, np.int64), np.zeros(0, np.int64)
            self.score, self.rule = np.zeros(0), np.zeros(0, np.int8)
            return
        a, b = np.frombuffer(self.a, np.int64), np.frombuffer(self.b, np.int64)
        _, first = np.unique(a * n + b, return_index=True)
        first.sort()
        self.a, self.b = a[first].copy(), b[first].copy()
        self.score = np.frombuffer(self.score, np.float64)[first].copy()
        self.rule = np.frombuffer(self.rule, np.int8)[first].copy()

    def __len__(self) -> int:
        return len(self.a)


@dataclass
class StreamResult:
    """What a streaming dedupe found (the counts of the summary and the problems)."""

    read: int = 0
    works: int = 0
    merged_groups: int = 0
    review_pairs: int = 0
    problems: list[Problem] = field(default_factory=list)


def stream_inputs(paths: Sequence[str], workers: int = 1) -> bool:
    """True when every input can go through the streaming path (local UTF-8 .bib files)."""
    from ..io.bibstream import streamable

    for p in paths:
        if p == "-" or "://" in p or not p.lower().endswith((".bib", ".bibtex")) or not os.path.isfile(p):
            return False
        if not streamable(p):
            return False
    return True


def dedupe_files(paths: Sequence[str], output: str, policy: Policy, *,
                 clusters_file: str | None = None, review_file: str | None = None,
                 explain: IO[str] | None = None, report: Callable[[list[Problem]], None] | None = None,
                 spill_dir: str | None = None, segment_chars: int | None = None) -> StreamResult:
    """``bibkit dedupe`` of .bib files (BibTeX output), streaming (see the module doc).

    ``report(problems)`` is called once all inputs are read (the CLI prints them then).
    """
    from ..io.bibstream import SEGMENT_CHARS, read_segments, resolve_crossrefs
    from .duck import DuckDBEngine

    out = StreamResult()
    progress = current()
    eng = DuckDBEngine(threads=policy.workers, temp_directory=spill_dir).open()
    try:
        store = _Store(eng.con)
        pending: list[Norm] = []  # Norms not yet handed to the engine
        keys: list[str | None] = []
        ids: list[str] = []
        valid = bytearray()
        comp = array.array("i")
        file_of = array.array("H")
        sources: list[str] = []
        macros: dict[str, str] = {}  # @string definitions, shared by the files in order (as BibTeX does)
        for fi, path in enumerate(paths):
            source = path
            sources.append(source)
            first, children, defined = len(keys), [], len(macros)
            file_problems: list[Problem] = []
            with progress.stage("reading", total=count_lines(path), unit="lines") as stage:
                done_lines = 1
                segments = read_segments(path, source, payload=_payload, repayload=_repayload,
                                         size=segment_chars or SEGMENT_CHARS, shared=macros)
                for seg in _quietly(segments):  # one bar per file, not one per segment
                    stage.advance(max(0, seg.line - done_lines))
                    done_lines = max(done_lines, seg.line)
                    file_problems += seg.problems
                    child = set(seg.crossrefs)
                    for j, pl in enumerate(seg.payloads):
                        idx = len(keys)
                        norm, text, blob, key, ok, rid, cpl = pl
                        norm.idx = idx
                        pending.append(norm)
                        if len(pending) >= CHUNK:
                            eng.add(pending)
                            pending = []
                        if j in child:
                            children.append(idx)
                        store.add(text, blob)
                        keys.append(key)
                        ids.append(rid or f"#{idx}")
                        valid.append(ok)
                        comp.append(cpl)
                        file_of.append(fi)
            eng.add(pending)
            pending = []
            if children:
                file_problems += _crossrefs(children, first, keys, eng, store, comp, source, resolve_crossrefs)
            if len(keys) == first and not file_problems and len(macros) == defined:  # not a file of @strings
                file_problems.append(Problem(source, None, "no entries found", "warning"))
            out.problems += file_problems
        store.flush()
        _trace(f"pass 1 read {len(keys)} records")
        n = out.read = len(keys)
        if report is not None:
            report(out.problems)

        # -- the plan: blocks, rules, clusters (as dedupe() runs it); the near misses are kept as
        # arrays (pair, score, rule) and made Decisions again only when shown
        if policy.engine == eng.name:
            with progress.stage("comparing", total=1, unit="steps") as cstage:
                recurring = eng.recurring(policy)
                found = eng.run_pairs(policy, recurring)
                cstage.advance(1)
        else:  # another engine (Spark): the records are read back from DuckDB chunk by chunk
            with progress.stage("comparing", total=1, unit="steps") as cstage:
                found, recurring = make_engine(policy).decide(eng.chunks(CHUNK), policy)
                cstage.advance(1)
        positives: dict[tuple[int, int], Decision] = {}
        negatives = _Negatives()
        for d in found:
            if d.same:
                positives.setdefault((d.a, d.b), d)
            else:
                negatives.add(d)
        del found
        negatives.finish(n)
        _trace(f"{len(positives)} positive decisions, {len(negatives)} near misses")
        decisions = list(positives.values())
        del positives
        n_first = len(decisions)
        clusters, accepted = cluster_all(n, eng.norms, decisions, policy, recurring)
        late = decisions[n_first:]  # near misses cluster() added (unions refused by a veto)
        _trace(f"{len(clusters)} clusters")
        in_cluster: dict[int, int] = {}
        ci: int | None
        for ci, members in enumerate(clusters):
            for m in members:
                in_cluster[m] = ci
        out.merged_groups = len(clusters)
        out.works = n - sum(len(c) - 1 for c in clusters)

        # -- merge each cluster from its members read back
        from .merge import merge_entries

        merged_slot: dict[int, int] = {}  # cluster -> store slot of its merged entry
        merged_key: dict[int, tuple[str | None, bool]] = {}
        from ..keys import _VALID_KEY

        for start, batch in _batches(clusters):  # members and their Norms read back a batch at a time
            members = [i for c in batch for i in c]
            entries, norms = store.entries(members), eng.norms(members)
            for ci, group in enumerate(batch, start):
                flags = [bool(norms[i].flags & PREPRINT_F) and norms[i].kind == "preprint" for i in group]
                merged = merge_entries([entries[i] for i in group], flags)
                ok = bool(merged.key and _VALID_KEY.fullmatch(merged.key))
                merged_key[ci] = (merged.key, ok)
                text = _entry_text_alone(merged, merged.key) if ok and merged.key else None
                merged_slot[ci] = store.add(text, pickle.dumps(merged, protocol=pickle.HIGHEST_PROTOCOL))
            del entries, norms
        _trace("clusters merged")

        # -- decisions kept for --explain / --review and the version links (as dedupe() does)
        versions = [d for d in decisions[:n_first] if d.same and d.version and policy.versions != "merge"]
        from .review import likelihood, review_queue

        def near_misses(which: Sequence[int]) -> Iterator[tuple[int, Norm, Norm]]:
            """The near misses ``which`` (in that order) with both records' Norms, read back in batches."""
            for start in range(0, len(which), _PAIRS):
                part = which[start:start + _PAIRS]
                norms = eng.norms(sorted({int(x) for i in part for x in (negatives.a[i], negatives.b[i])}))
                for i in part:
                    yield i, norms[int(negatives.a[i])], norms[int(negatives.b[i])]

        def rebuild(which: Sequence[int]) -> list[Decision]:
            out = []
            for i, na, nb in near_misses(which):
                d = compare(na, nb, policy, recurring)
                assert d.rule == negatives.rules[negatives.rule[i]] and not d.same, "a decision changed on replay"
                out.append(d)
            return out

        # the review queue's candidates, as dedupe() ranks them: every near miss gets its likelihood
        # (from the stored rule and score, no replay), the best pair per two clusters is taken, and
        # only those chosen are made Decisions again
        import numpy as np

        lik = np.empty(len(negatives))
        for i, na, nb in near_misses(range(len(negatives))):
            stub = Decision(na.idx, nb.idx, False, negatives.rules[negatives.rule[i]], "", float(negatives.score[i]))
            lik[i] = likelihood(na, nb, stub, recurring)
        chosen: list[int] = []
        seen_pairs: set[tuple[int, int]] = set()
        want = policy.review_limit + len(late)
        for i in np.lexsort((np.asarray(negatives.b), np.asarray(negatives.a), -lik)).tolist():
            if len(chosen) >= want:
                break
            a, b = int(negatives.a[i]), int(negatives.b[i])
            ca, cb = in_cluster.get(a, -1 - a), in_cluster.get(b, -1 - b)
            pair = (ca, cb) if ca < cb else (cb, ca)
            if ca == cb or pair in seen_pairs:
                continue
            seen_pairs.add(pair)
            chosen.append(i)
        del lik, seen_pairs
        candidates = rebuild(sorted(chosen)) + late
        review = review_queue(eng.norms(sorted({x for d in candidates for x in (d.a, d.b)})), candidates,
                              in_cluster, policy.review_limit, recurring)
        out.review_pairs = len(review)
        explained: list[Decision] = []
        if explain is not None:
            explained = accepted + rebuild(range(len(negatives))) + late
        del candidates

        def group_of(i: int) -> int:
            """The output group (by its first record) of record i."""
            ci = in_cluster.get(i)
            return i if ci is None else clusters[ci][0]

        def key_of(first: int) -> str | None:
            ci = in_cluster.get(first)
            return keys[first] if ci is None else merged_key[ci][0]

        related: dict[int, list[str]] = {}
        if policy.versions == "link" and versions:
            for d in versions:
                ga, gb = group_of(d.a), group_of(d.b)
                if ga == gb:
                    continue
                ka, kb = key_of(ga) or ids[d.a], key_of(gb) or ids[d.b]
                ra, rb = related.setdefault(ga, []), related.setdefault(gb, [])
                if kb not in ra:
                    ra.append(kb)
                if ka not in rb:
                    rb.append(ka)

        # -- keys: existing valid keys kept, the others generated as assign_keys does
        taken: set[str] | None = None
        need = any(not valid[i] for i in range(n) if i not in in_cluster) or any(
            not ok for _, ok in merged_key.values())
        if need:
            taken = {keys[i] for i in range(n) if valid[i] and i not in in_cluster}  # type: ignore[misc]
            taken.update(k2 for k2, ok in merged_key.values() if ok)  # type: ignore[misc]

        # -- pass 2: the output in input order
        from ..fsio import open_atomic

        firsts = [i for i in range(n) if i not in in_cluster or clusters[in_cluster[i]][0] == i]
        slots = [i if i not in in_cluster else merged_slot[in_cluster[i]] for i in firsts]
        rows = store.in_order(slots, [i in related for i in firsts])
        del slots
        with open_atomic(output) as fh, progress.stage("writing", total=n) as wstage:
            wrote = False
            for i, (text, blob) in zip(firsts, rows, strict=True):
                if i % 1024 == 1023:
                    wstage.advance(1024)
                ci = in_cluster.get(i)
                extra = related.get(i)
                if text is None or extra:
                    assert blob is not None
                    entry = pickle.loads(blob)
                    if extra:
                        entry = entry.copy() if ci is None else entry
                        for r in extra:
                            if r not in entry.related:
                                entry.related.append(r)
                    ok = bool(valid[i]) if ci is None else merged_key[ci][1]
                    key = entry.key if ok and entry.key else _new_key(entry, taken)
                    text = _entry_text_alone(entry, key)
                fh.write(text if wrote else text.lstrip())  # the first without the white space before it
                wrote = True
            if wrote:
                fh.write("\n")

        _trace("pass 2 written")
        qualified = _qualified(ids, file_of, sources)
        if clusters_file:
            from ..fsio import open_atomic as _open

            with _open(clusters_file) as fh:
                fh.write("[")
                sep = ""
                for i in range(n):
                    ci = in_cluster.get(i)
                    if ci is None:
                        fh.write(sep + json.dumps([qualified[i]], ensure_ascii=False))
                    elif clusters[ci][0] == i:
                        fh.write(sep + json.dumps([qualified[m] for m in clusters[ci]], ensure_ascii=False))
                    else:
                        continue
                    sep = ", "
                fh.write("]\n")
        if review_file:
            from ..fsio import write_text_atomic

            items = []
            shown = store.entries(x for d in review for x in (d.a, d.b))
            for d in review:
                ea, eb = shown[d.a], shown[d.b]
                items.append({"a": qualified[d.a], "b": qualified[d.b], "score": round(d.score, 3), "rule": d.rule,
                              "reason": d.reason, "title_a": ea.title, "title_b": eb.title,
                              "year_a": ea.year, "year_b": eb.year})
            write_text_atomic(review_file, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
        if explain is not None:
            for line in sorted(d.describe(qualified) for d in explained):
                explain.write(line + "\n")
        return out
    finally:
        eng.close()


#: clusters' members, and near misses, read back per batch
_PAIRS = 20_000


def _batches(clusters: list[list[int]]) -> Iterator[tuple[int, list[list[int]]]]:
    """The clusters in batches of about :data:`_PAIRS` members, each with the number of its first."""
    start, size = 0, 0
    for ci, c in enumerate(clusters):
        size += len(c)
        if size >= _PAIRS:
            yield start, clusters[start:ci + 1]
            start, size = ci + 1, 0
    if start < len(clusters):
        yield start, clusters[start:]


def count_lines(path: str) -> int | None:
    """The number of lines of ``path`` (the reading stage's total); ``None`` when it cannot be read, or when
    no progress is shown (a big input is not read an extra time for nothing)."""
    if current() is NO_PROGRESS:
        return None
    try:
        with open(path, "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) + 1
    except OSError:
        return None


def _quietly(items: Iterator[_T]) -> Iterator[_T]:
    """``items``, each made with no progress of its own (a segment's reader would show one bar per segment)."""
    it = iter(items)
    while True:
        with reporting(NO_PROGRESS):
            item = next(it, _END)
        if item is _END:
            return
        yield item  # type: ignore[misc]


_END = object()
_T = TypeVar("_T")


def _entry_text_alone(entry: Entry, key: str) -> str:
    """The entry as the BibTeX writer writes it after another one: the white space the input had
    before it (see :func:`bibkit.io.bibtex.entry_sep`), then its text."""
    from ..io.bibtex import _entry_text, entry_sep

    if "writer" not in _CTX:
        _CTX["writer"] = _writer_context()
    defined, seen = _CTX["writer"]
    return entry_sep(entry) + _entry_text(entry, key, False, defined, seen)


def _new_key(entry: Entry, taken: set[str] | None) -> str:
    """A generated key, as :func:`bibkit.keys.assign_keys` makes it."""
    from ..keys import unique_key

    assert taken is not None
    return unique_key(entry, taken)


def _qualified(ids: list[str], file_of: array.array, sources: list[str]) -> list[str]:
    """Record ids, qualified by their input file when two inputs use the same id (as the CLI does)."""
    counts = Counter(ids)
    if all(c == 1 for c in counts.values()):
        return ids
    return [f"{os.path.basename(sources[file_of[i]])}:{rid}" if counts[rid] > 1 and sources[file_of[i]] else rid
            for i, rid in enumerate(ids)]


def _crossrefs(children: list[int], first: int, keys: list[str | None], eng: Any, store: _Store,
               comp: array.array, source: str, resolve: Callable[[list[Entry], str], list[Problem]]) -> list[Problem]:
    """Resolve the crossrefs of one file's children (parents read back from the store), then
    give the children their final Norm (in the engine), text and pickled entry."""
    entries = store.entries(children)
    wanted: dict[str, int | None] = {}
    for i in children:
        target = entries[i].extra.get("crossref", "").strip().lower()
        wanted.setdefault(target, None)
    for i in range(first, len(keys)):
        k = keys[i]
        if k is not None:
            lk = k.lower()
            if lk in wanted and wanted[lk] is None:
                wanted[lk] = i
    subset = sorted(set(children) | {i for i in wanted.values() if i is not None})
    entries.update(store.entries(i for i in subset if i not in entries))
    problems = resolve([entries[i] for i in subset], source)
    norms, rows = [], {}
    for i in children:
        norm, text, blob, _key, _ok, _rid, cpl = _payload(entries[i])
        norm.idx = i
        norms.append(norm)
        comp[i] = cpl
        rows[i] = (text, blob)
    eng.replace(norms)
    store.replace(rows)
    return problems
