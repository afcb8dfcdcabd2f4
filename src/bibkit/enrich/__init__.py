"""Enrichment: fill missing DOIs, pages, volume, issue, venue and publisher from
Crossref, DBLP, arXiv and OpenAlex.

For each entry, an identifier it already has (DOI, arXiv id) is resolved directly;
otherwise each source is searched for a few candidates, and a candidate is taken
only when :func:`bibkit.enrich.match.check` accepts it (our own title / author / year
check; the service's score is never trusted).  The first accepted record wins.

Only empty fields are filled unless ``overwrite=True``; every change is recorded
with its source, the rule that accepted the match and the title similarity.  An
entry that cannot be enriched is returned exactly as it was (the same object), and
a failing service only marks the entry as failed: no entry is lost or altered.

>>> from bibkit.model import Entry
>>> result = enrich([Entry(type="book")], offline=True, use_cache=False)
>>> result.counts()
{'found': 0, 'not found': 1, 'failed': 0}
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from .._callable import make_callable
from ..errors import UsageError
from ..model import Entry, Provenance, page_range
from . import arxiv, crossref, dblp, openalex
from .http import ClientStats, HttpClient, OfflineMiss, ServiceError
from .match import MatchResult, check_identified, choose, clean_arxiv, clean_doi, normalise_title

__all__ = ["ADAPTERS", "FILLABLE", "Change", "EnrichResult", "EntryReport", "HttpClient", "ServiceError", "enrich",
           "make_client"]

#: service name -> adapter module
ADAPTERS: dict[str, ModuleType] = {"crossref": crossref, "dblp": dblp, "arxiv": arxiv, "openalex": openalex}
DEFAULT_SOURCES = ("crossref", "dblp", "arxiv")
#: the fields an accepted match may fill
FILLABLE = ("doi", "page", "volume", "issue", "container_title", "publisher", "arxiv")
#: sources whose venue names are abbreviations: they fill an empty venue, never replace one
ABBREVIATED_VENUES = frozenset({"dblp"})


@dataclass
class Change:
    """One field changed by enrichment."""

    field: str
    old: str | None
    new: str
    source: str
    rule: str
    similarity: float


@dataclass
class EntryReport:
    """What happened to one entry."""

    index: int
    key: str | None
    title: str | None
    status: str = "not found"  # "found" | "not found" | "failed"
    source: str | None = None
    rule: str | None = None
    similarity: float | None = None
    record_id: str | None = None
    changes: list[Change] = field(default_factory=list)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (source, candidate title, reason)
    errors: list[str] = field(default_factory=list)

    def label(self) -> str:
        return self.key or (self.title or "")[:60] or f"#{self.index + 1}"


@dataclass
class EnrichResult:
    """The entries (enriched copies, or the untouched originals) and a report per entry."""

    entries: list[Entry]
    reports: list[EntryReport]
    stats: ClientStats = field(default_factory=ClientStats)

    def counts(self) -> dict[str, int]:
        out = {"found": 0, "not found": 0, "failed": 0}
        for r in self.reports:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    @property
    def changes(self) -> list[tuple[EntryReport, Change]]:
        return [(r, c) for r in self.reports for c in r.changes]

    def summary(self) -> str:
        c = self.counts()
        changed = sum(1 for r in self.reports if r.changes)
        return (f"{c['found']} found ({changed} changed), {c['not found']} not found, {c['failed']} failed; "
                f"{self.stats.requests} requests, {self.stats.cache_hits} from cache")

    def report_lines(self) -> list[str]:
        """A human-readable account of every change, rejection and failure."""
        lines = []
        for r in self.reports:
            head = f"{r.label()}: {r.status}"
            if r.status == "found":
                head += f" via {r.source} ({r.rule}, title similarity {r.similarity:.2f})"
            lines.append(head)
            for c in r.changes:
                old = f"{c.old!r} -> " if c.old else ""
                lines.append(f"  {c.field}: {old}{c.new!r}")
            for source, title, reason in r.rejected:
                lines.append(f"  rejected {source} candidate {title[:60]!r}: {reason}")
            for err in r.errors:
                lines.append(f"  error: {err}")
        return lines

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def parse_sources(sources: str | Iterable[str] | None) -> tuple[str, ...]:
    """Validated source names from ``"crossref,dblp"`` or a list.

    >>> parse_sources("crossref, arxiv")
    ('crossref', 'arxiv')
    """
    if sources is None:
        return DEFAULT_SOURCES
    items = sources.split(",") if isinstance(sources, str) else list(sources)
    out = []
    for item in items:
        name = item.strip().lower()
        if not name:
            continue
        if name not in ADAPTERS:
            raise UsageError(f"unknown enrichment source {name!r}; known: {', '.join(ADAPTERS)}")
        if name not in out:
            out.append(name)
    if not out:
        raise UsageError("no enrichment source given")
    return tuple(out)


def make_client(*, mailto: str | None = None, offline: bool = False, cache_dir: str | os.PathLike[str] | None = None,
                use_cache: bool = True, timeout: float = 20.0, retries: int = 3, backoff: float = 1.0,
                max_wait: float = 60.0, pacing: Mapping[str, float] | None = None, pool: int = 8) -> HttpClient:
    """The shared HTTP client with enrichment defaults (see :class:`~bibkit.enrich.http.HttpClient`)."""
    return HttpClient(mailto=mailto, offline=offline, cache_dir=cache_dir, use_cache=use_cache, timeout=timeout,
                      retries=retries, backoff=backoff, max_wait=max_wait, pacing=pacing, pool=pool)


def enrich(entries: Iterable[Entry], *, sources: str | Sequence[str] | None = DEFAULT_SOURCES,
           mailto: str | None = None, offline: bool = False, overwrite: bool = False,
           cache_dir: str | os.PathLike[str] | None = None, use_cache: bool = True, timeout: float = 20.0,
           retries: int = 3, backoff: float = 1.0, max_wait: float = 60.0, urls: Mapping[str, str] | None = None,
           pacing: Mapping[str, float] | None = None, workers: int = 4, rows: int = 5,
           fields: Sequence[str] = FILLABLE, client: HttpClient | None = None, give_up_after: int = 5,
           progress: Callable[[int], None] | None = None) -> EnrichResult:
    """Enrich ``entries`` from ``sources`` (in that order of preference).

    ``urls`` maps a service name to a base URL (else ``BIBKIT_<SERVICE>_URL``, else
    the public API).  ``offline`` answers from the cache only and sends nothing.
    ``workers`` entries are looked up at once; each service's pacing (minimum
    seconds between requests, ``pacing``) holds across them.  A service that failed
    ``give_up_after`` times in a row (after its retries) is not asked again in this
    run (0: never give up).  ``progress`` is called with 1 each time an entry is done.
    """
    from ..model import ReadResult

    items = entries.entries if isinstance(entries, ReadResult) else list(entries)
    names = parse_sources(sources)
    unknown = [f for f in fields if f not in FILLABLE]
    if unknown:
        raise UsageError(f"cannot enrich field(s) {', '.join(unknown)}; known: {', '.join(FILLABLE)}")
    own_client = client is None
    if client is None:
        client = make_client(mailto=mailto, offline=offline, cache_dir=cache_dir, use_cache=use_cache,
                             timeout=timeout, retries=retries, backoff=backoff, max_wait=max_wait, pacing=pacing,
                             pool=max(workers, 2))
    urls = dict(urls or {})
    job = _Job(client, names, urls, mailto, overwrite, tuple(fields), rows, give_up_after)
    out: list[Entry] = list(items)
    reports: list[EntryReport | None] = [None] * len(items)
    try:
        if workers <= 1 or len(items) <= 1:
            for i, entry in enumerate(items):
                out[i], reports[i] = job.run(i, entry)
                if progress:
                    progress(1)
        else:
            pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bibkit-enrich")
            try:
                futures = {pool.submit(job.run, i, e): i for i, e in enumerate(items)}
                for fut in as_completed(futures):
                    i = futures[fut]
                    out[i], reports[i] = fut.result()
                    if progress:
                        progress(1)
            except BaseException:  # Ctrl-C: drop the queued lookups instead of finishing them
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
    finally:
        if own_client and client._session is not None:
            client._session.close()
    return EnrichResult(out, [r for r in reports if r is not None], client.stats)


class _Job:
    def __init__(self, client: HttpClient, sources: tuple[str, ...], urls: dict[str, str], mailto: str | None,
                 overwrite: bool, fields: tuple[str, ...], rows: int, give_up_after: int = 0):
        self.give_up_after = give_up_after
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()
        self.client = client
        self.sources = sources
        self.urls = urls
        self.mailto = mailto
        self.overwrite = overwrite
        self.fields = fields
        self.rows = rows

    def run(self, index: int, entry: Entry) -> tuple[Entry, EntryReport]:
        report = EntryReport(index=index, key=entry.key, title=entry.title)
        try:
            found = self._find(entry, report)
        except Exception as exc:  # never lose an entry to an unexpected answer
            report.errors.append(f"internal: {type(exc).__name__}: {exc}")
            found = None
        if found is None:
            report.status = "failed" if report.errors else "not found"
            return entry, report
        source, record, verdict = found
        report.status = "found"
        report.source, report.rule, report.similarity = source, verdict.rule, verdict.similarity
        report.record_id = record.doi or (f"arXiv:{record.arxiv}" if record.arxiv else None) \
            or record.extra.get("dblp") or record.extra.get("openalex")
        new, changes = apply(entry, record, source, verdict, overwrite=self.overwrite, fields=self.fields)
        report.changes = changes
        if not changes:
            return entry, report
        new.provenance.append(Provenance(source=source, record_id=report.record_id, fmt="enrich"))
        return new, report

    def _call(self, source: str, report: EntryReport, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        with self._lock:
            failures = self._failures.get(source, 0)
        if self.give_up_after and failures >= self.give_up_after:
            report.errors.append(f"{source}: not asked ({failures} failures in a row)")
            return None
        try:
            answer = fn(self.client, *args, base=self.urls.get(source), mailto=self.mailto, **kw)
        except OfflineMiss:
            report.errors.append(f"{source}: offline and not in the cache")
        except ServiceError as exc:
            report.errors.append(f"{source}: {exc.message}")
            with self._lock:
                self._failures[source] = self._failures.get(source, 0) + 1
        else:
            with self._lock:
                self._failures[source] = 0
            return answer
        return None

    def _find(self, entry: Entry, report: EntryReport) -> tuple[str, Entry, MatchResult] | None:
        idents = {"doi": clean_doi(entry.doi), "arxiv": clean_arxiv(entry.arxiv)}
        for kind, value in idents.items():
            if not value:
                continue
            for source in self.sources:
                adapter = ADAPTERS[source]
                if kind not in adapter.IDENTIFIERS:
                    continue
                record = self._call(source, report, adapter.lookup, kind, value)
                if record is None:
                    continue
                verdict: MatchResult | None
                verdict = check_identified(entry, record, rule=kind)
                if verdict.accepted:
                    return source, record, verdict
                report.rejected.append((source, record.title or "", verdict.reason))
        if not normalise_title(entry.title):
            return None
        for source in self.sources:
            candidates = self._call(source, report, ADAPTERS[source].search, entry, rows=self.rows)
            if not candidates:
                continue
            best, verdict, ranked = choose(entry, candidates)
            if best is not None and verdict is not None:
                return source, best, verdict
            if verdict is not None:  # ambiguous
                report.rejected.append((source, ranked[0][0].title or "", verdict.reason))
            for cand, why in ranked[:3]:
                if not why.accepted:
                    report.rejected.append((source, cand.title or "", why.reason))
        return None


def apply(entry: Entry, record: Entry, source: str, verdict: MatchResult, *, overwrite: bool = False,
          fields: Sequence[str] = FILLABLE) -> tuple[Entry, list[Change]]:
    """A copy of ``entry`` with ``fields`` taken from ``record``, and the changes made.

    Fields the entry already has are kept unless ``overwrite``; a venue the entry
    gives in the record's abbreviated form is replaced by the full name.
    """
    new = _copy(entry)
    changes: list[Change] = []
    for name in fields:
        theirs = getattr(record, name)
        if not theirs:
            continue
        if name == "page":  # services write ranges with a hyphen: the model's en dash (BibTeX "--")
            theirs = page_range(theirs)
        mine = getattr(new, name)
        rule = verdict.rule
        if name == "doi" and mine and (clean_doi(mine) or "").lower() == theirs.lower():
            continue
        if name == "arxiv" and mine and clean_arxiv(mine) == theirs:
            continue
        if mine == theirs:
            continue
        if mine:
            if name == "container_title" and _is_short_form(mine, record):
                rule = "venue-expanded"
            elif not overwrite or (name == "container_title" and source in ABBREVIATED_VENUES):
                continue
            else:
                rule = f"{verdict.rule}+overwrite"
        setattr(new, name, theirs)
        changes.append(Change(name, mine, theirs, source, rule, verdict.similarity))
    return (new if changes else entry), changes


def _copy(entry: Entry) -> Entry:
    """A copy that shares nothing mutable with ``entry`` at the list/dict level (much
    cheaper than a deep copy; :class:`Name` and :class:`Date` objects are shared and
    never modified here)."""
    return dataclasses.replace(
        entry, author=list(entry.author), editor=list(entry.editor), translator=list(entry.translator),
        extra=dict(entry.extra), related=list(entry.related), provenance=list(entry.provenance),
        origin=dict(entry.origin))


def _is_short_form(mine: str, record: Entry) -> bool:
    short = record.extra.get("short-container-title")
    if not short or not record.container_title:
        return False
    a, b = normalise_title(mine), normalise_title(short)
    return bool(a) and a == b and a != normalise_title(record.container_title)


make_callable(__name__, enrich)
