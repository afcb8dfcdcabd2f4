"""Rendering bibliographies and citations with citeproc-py (plus :mod:`bibkit.format.compat`).

>>> from bibkit.model import Entry, Name, Date
>>> e = Entry(type="article-journal", key="lecun2015", title="Deep learning",
...           author=[Name(family="LeCun", given="Yann"), Name(family="Bengio", given="Yoshua")],
...           issued=Date(2015), container_title="Nature", volume="521", page="436-444")
>>> format_bibliography([e], style="ieee", cache=False)
['[1] Y. LeCun and Y. Bengio, “Deep learning,” Nature, vol. 521, pp. 436–444, 2015.']
>>> format_bibliography([e], style="apa", fmt="html", cache=False)[0]
'LeCun, Y., &#38; Bengio, Y. (2015). Deep learning. <i>Nature</i>, <i>521</i>, 436–444.'
>>> cite([e], ["lecun2015"], style="apa", cache=False)
'(LeCun & Bengio, 2015)'
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography
from citeproc.frontend import CitationStylesLocale, CitationStylesStyle
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, String
from lxml import etree

from .. import __version__
from ..errors import UsageError
from ..io.csljson import entry_to_csl
from ..model import Entry
from . import compat, markup
from .disambiguate import Options, trigraph, year_suffixes
from .prepare import entry_to_citeproc
from .styles import parse_csl, resolve_style

FORMATS = ("text", "html", "markdown")
#: below this many items to render, the work is not spread over processes
PARALLEL_MIN = 400


class _Source(CiteProcJSON):
    """citeproc-py's JSON source, with CSL rich text in fields turned into marks (not printed literally)."""

    def parse_string(self, string: Any) -> Any:
        text = markup.rich_to_marked(str(string))
        if "<" not in text:  # no nocase span: what citeproc-py's parser builds, without its search loop
            return MixedString([String(text)]) if text else MixedString()
        return super().parse_string(text)


def load_style(path: Path, locale: str) -> CitationStylesStyle:
    """A citeproc-py style object for ``path``, parsed with the safe parser (no entities, no network)."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace("http://purl.org/net/xbiblio/csl")
    from citeproc.model import CitationStylesElement

    namespace[None] = CitationStylesElement
    namespace.update({cls.__name__.replace("_", "-").lower(): cls for cls in CitationStylesElement.__subclasses__()})
    style = CitationStylesStyle.__new__(CitationStylesStyle)
    style.xml = parse_csl(path, lookup)
    style.root = style.xml.getroot()
    try:
        style.root.set_locale_list(locale, validate=False)
    except ValueError:
        raise UsageError(f"unknown locale {locale!r}") from None
    return style


def _check_locale(locale: str) -> None:
    """A locale citeproc-py has, or a bare language ("es") whose primary dialect it has (es-ES: CSL 1.0.2 locale
    fallback, as citeproc-js and citeproc-py's own lookup do)."""
    from citeproc import PRIMARY_DIALECTS

    try:
        CitationStylesLocale(PRIMARY_DIALECTS.get(locale, locale), validate=False)
    except ValueError:
        import difflib

        from citeproc import LANGUAGE_NAMES

        close = difflib.get_close_matches(locale, list(LANGUAGE_NAMES), n=4)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"unknown locale {locale!r}{hint}") from None


class Formatter:
    """A loaded style (parsed once, reused for every call) that renders bibliographies and citations.

    ``cache``: ``True`` uses the on-disk cache (``$BIBKIT_CACHE_DIR``, else the user cache directory), a path
    uses that directory, ``False`` none; ``None`` (default) uses it only when ``$BIBKIT_CACHE_DIR`` is set (the
    CLI always uses it unless ``--no-cache``). ``workers``: processes for large renders (default 2).

    >>> f = Formatter("nature", cache=False)
    >>> f.style_name
    'nature'
    """

    def __init__(self, style: str | os.PathLike[str] = "apa", locale: str | None = None, *,
                 cache: bool | str | os.PathLike[str] | None = None, workers: int | None = None):
        compat.install()
        self.style_path = resolve_style(style)
        self.style_name = self.style_path.stem
        if locale is None:  # like citeproc-js: the style's default-locale, else en-US
            locale = parse_csl(self.style_path).getroot().get("default-locale") or "en-US"
        # a BCP 47 private-use extension ("en-US-x-sort-ja-alalc97": a sort convention, CSL-M) names no locale
        locale = locale.split("-x-", 1)[0] or "en-US"
        self.locale = locale
        _check_locale(locale)
        self.style = load_style(self.style_path, locale)
        if self.style.root.bibliography is None:
            raise UsageError(f"style {self.style_name} has no bibliography")
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        raw = self.style_path.read_bytes()
        self.numbered = b"citation-number" in raw
        self.disambiguation = Options.of(self.style)
        self._style_id = hashlib.sha256(raw + locale.encode() + _KEY_VERSION.encode()).hexdigest()[:16]
        self.cache = None
        self._pool: Any = None
        #: input indices of the entries the last render printed nothing for (left out of the bibliography)
        self.unprinted: list[int] = []
        if cache is None:
            cache = bool(os.environ.get("BIBKIT_CACHE_DIR"))
        if cache is not False:
            from .cache import RenderCache

            self.cache = RenderCache(None if cache is True else Path(cache))

    # -- preparation ----------------------------------------------------------------------------
    @staticmethod
    def prepare(entries: Iterable[Entry | dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
        """citeproc items (ids ``i0``, ``i1``...) and the entries' own keys, in input order."""
        items, keys = [], []
        for n, entry in enumerate(entries):
            item = entry_to_citeproc(entry, f"i{n}")
            items.append(item)
            if isinstance(entry, Entry):
                keys.append(entry.key or f"i{n}")
            else:
                keys.append(str(entry.get("id") or f"i{n}"))
        return items, keys

    # -- bibliography -----------------------------------------------------------------------------
    def render_marked(self, entries: Iterable[Entry | dict[str, Any] | CSLRecord], sort: str | None = None
                      ) -> tuple[list[str], list[int]]:
        """Marked strings of the bibliography, and for each the index of its entry in the input.

        Entries are converted to citeproc input only when something about them is not in the cache, and that
        conversion runs in the worker processes together with the rendering.  A :class:`CSLRecord` that cannot
        be converted is left out (its ``error`` says why).
        """
        prepared = _Prepared(list(entries))
        if not prepared.entries:
            return [], []
        try:
            return self._render_marked(prepared, sort)
        finally:
            self._close_pool()

    def _render_marked(self, prepared: _Prepared, sort: str | None) -> tuple[list[str], list[int]]:
        digests = prepared.digests()
        if prepared.has_records and self.cache:  # items known not to convert: not converted again
            failed = self.cache.get_many(f"x:{_KEY_VERSION}:{digests[i]}" for i in prepared.record_indices())
            for i in prepared.record_indices():
                message = failed.get(f"x:{_KEY_VERSION}:{digests[i]}")
                if message is not None:
                    prepared.fail(i, message)
        order = self._order(prepared, digests, sort)
        while True:
            order = [i for i in order if i not in prepared.failed]
            numbers = {f"i{i}": pos + 1 for pos, i in enumerate(order)}
            suffixes = self._suffixes(prepared.entries, order)
            render_keys = [self._render_key(digests[i], numbers[f"i{i}"], suffixes.get(f"i{i}", ""))
                           for i in order]
            cached = self.cache.get_many(render_keys) if self.cache else {}
            missing = [pos for pos, k in enumerate(render_keys) if k not in cached]
            fresh = self._render_items([prepared.job_input(order[pos]) for pos in missing], numbers, suffixes)
            new_failures = False
            store = {}
            for pos, text in zip(missing, fresh, strict=True):
                if isinstance(text, _Failure):
                    prepared.fail(order[pos], text.message)
                    new_failures = True
                else:
                    cached[render_keys[pos]] = store[render_keys[pos]] = text
            self._remember_failures(prepared, digests)
            if self.cache and store:
                self.cache.put_many(store)
            if new_failures and self.numbered:  # numbers shift: render again (only entries not cached)
                continue
            break
        pairs = [(i, cached[k]) for i, k in zip(order, render_keys, strict=True) if k in cached]
        # an item the style prints nothing for is no entry (citeproc-js leaves it out); callers report it
        self.unprinted = [i for i, text in pairs if not markup.strip_marks(text).strip()]
        pairs = [(i, text) for i, text in pairs if markup.strip_marks(text).strip()]
        order = [i for i, _ in pairs]
        marked = compat.postprocess_bibliography(self.style, [text for _, text in pairs])
        return marked, order

    def _remember_failures(self, prepared: _Prepared, digests: list[str]) -> None:
        fresh = {i: m for i, m in prepared.failed.items() if i not in prepared.remembered}
        if self.cache and fresh:
            self.cache.put_many({f"x:{_KEY_VERSION}:{digests[i]}": m for i, m in fresh.items()})
        prepared.remembered.update(fresh)

    def bibliography(self, entries: Iterable[Entry | dict[str, Any] | CSLRecord], fmt: str = "text", *,
                     sort: str | None = None, highlight: str | Sequence[str] | None = None,
                     group_by: str | None = None, entry_div: bool = False) -> list[str]:
        """The rendered bibliography, one string per entry (see :func:`format_bibliography`)."""
        if fmt not in FORMATS:
            raise UsageError(f"unknown output format {fmt!r}; choose from {', '.join(FORMATS)}")
        entries = list(entries)
        if group_by or highlight:
            from .homepage import publication_list

            converted = [e.entry() if isinstance(e, CSLRecord) else e for e in entries]
            kept = [e for e in converted if e is not None]
            return publication_list(self.render_marked, kept, fmt=fmt, highlight=highlight, group_by=group_by,
                                    sort=sort, numbered=self.numbered)
        marked, _ = self.render_marked(entries, sort=sort)
        convert = markup.CONVERTERS[fmt]
        if fmt == "html":
            return [markup.to_html(m, entry_div=entry_div) for m in marked]
        return [convert(m) for m in marked]

    def document(self, entries: Iterable[Entry | dict[str, Any] | CSLRecord], fmt: str = "text", *,
                 sort: str | None = None, highlight: str | Sequence[str] | None = None,
                 group_by: str | None = None) -> str:
        """The bibliography as one document (see :func:`format_document`)."""
        from .document import document_text
        from .homepage import publication_groups

        if fmt not in FORMATS:
            raise UsageError(f"unknown output format {fmt!r}; choose from {', '.join(FORMATS)}")
        entries = list(entries)
        if group_by or highlight:
            converted = [e.entry() if isinstance(e, CSLRecord) else e for e in entries]
            groups = publication_groups(self.render_marked, [e for e in converted if e is not None],
                                        highlight=highlight, group_by=group_by, sort=sort)
        else:
            groups = [(None, self.render_marked(entries, sort=sort)[0])]
        return document_text(groups, fmt, numbered=self.numbered)

    def _render_key(self, digest: str, number: int, suffix: str = "") -> str:
        return f"r:{self._style_id}:{digest}:{number if self.numbered else ''}" + (f":{suffix}" if suffix else "")

    def _suffixes(self, entries: Sequence[Any], order: list[int]) -> dict[str, str]:
        """Item id -> year suffix ("a", "b"...) for the works whose citations would read alike
        (:mod:`bibkit.format.disambiguate`), lettered in bibliography order."""
        found = year_suffixes(self.disambiguation, [entries[i] for i in order])
        return {f"i{order[pos]}": letter for pos, letter in found.items()}

    # -- sorting ------------------------------------------------------------------------------------
    def _order(self, prepared: _Prepared, digests: list[str], sort: str | None) -> list[int]:
        n = len(prepared.entries)
        if sort in (None, "style"):
            sort_el = _sort_element(self.style)
            if sort_el is None:
                return list(range(n))
            keys_by_item: list[Any] = [None] * n
            collated: list[Any] = [None] * n
            cache_keys = [f"s2:{self._style_id}:{d}" for d in digests]
            cached = self.cache.get_many(cache_keys) if self.cache else {}
            missing = [i for i, k in enumerate(cache_keys) if k not in cached and i not in prepared.failed]
            fresh = self._run(_sort_keys_job, [prepared.job_input(i) for i in missing])
            for i, k in enumerate(cache_keys):
                if k in cached:
                    keys_by_item[i], collated[i] = json.loads(cached[k])
            store = {}
            for i, result in zip(missing, fresh, strict=True):
                if isinstance(result, _Failure):
                    prepared.fail(i, result.message)
                    continue
                keys_by_item[i], collated[i], prepared.items[i] = result
                store[cache_keys[i]] = json.dumps([keys_by_item[i], collated[i]], ensure_ascii=False)
            if self.cache and store:
                self.cache.put_many(store)
            keep = [i for i in range(n) if i not in prepared.failed]
            order = compat.sort_by_keys(sort_el, [keys_by_item[i] for i in keep], [collated[i] for i in keep])
            return [keep[j] for j in order]
        if sort == "none":
            return list(range(n))
        kept = [(i, item) for i in range(n) if (item := prepared.item(i)) is not None]
        return [kept[j][0] for j in _sort_by_field([item for _, item in kept], sort)]

    # -- worker processes ---------------------------------------------------------------------------
    def _render_items(self, inputs: list[tuple[str, bool, Any]], numbers: dict[str, int],
                      suffixes: dict[str, str] | None = None) -> list[Any]:
        return self._run(_render_job, inputs, numbers, suffixes or {})

    def _run(self, job: Any, inputs: list[tuple[str, bool, Any]], *extra: Any) -> list[Any]:
        """``job(style, inputs, *extra)``, split over the worker processes for large inputs (fork, so the
        style is not parsed again); small chunks handed out as workers free up, so a busy core slows no one."""
        if not inputs:
            return []
        from ..progress import NO_PROGRESS, current

        progress = current()
        workers = self.workers
        serial = workers <= 1 or len(inputs) < PARALLEL_MIN or sys.platform == "win32"
        if serial and progress is NO_PROGRESS:
            return job(self.style, inputs, *extra)
        size = max(50, -(-len(inputs) // (workers * 6)))
        chunks = [inputs[i:i + size] for i in range(0, len(inputs), size)]
        out: list[Any] = []
        with progress.stage("rendering" if job is _render_job else "sorting", total=len(inputs)) as stage:
            if serial:
                parts: Iterable[list[Any]] = (job(self.style, chunk, *extra) for chunk in chunks)
            else:
                parts = self._get_pool().imap(_worker_args, [(job.__name__, chunk, *extra) for chunk in chunks],
                                              chunksize=1)
            for part in parts:
                out.extend(part)
                stage.advance(len(part))
        return out

    def _get_pool(self) -> Any:
        if self._pool is None:
            import multiprocessing

            from .._workers import quiet_worker

            global _WORKER_STYLE
            _WORKER_STYLE = self.style  # inherited by the forked workers: the style is not parsed again
            self._pool = multiprocessing.get_context("fork").Pool(self.workers, initializer=quiet_worker)
        return self._pool

    def _close_pool(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.close()
            pool.join()

    # -- citations -------------------------------------------------------------------------------
    def cite(self, entries: Iterable[Entry | dict[str, Any]], keys: Iterable[str] | str, fmt: str = "text") -> str:
        """One in-text citation of ``keys`` (entry keys, or ids of CSL-JSON items)."""
        keys = [keys] if isinstance(keys, str) else list(keys)
        entries = list(entries)
        items, own_keys = self.prepare(entries)
        index = {k: i for i, k in enumerate(own_keys)}
        unknown = [k for k in keys if k not in index]
        if unknown:
            raise UsageError(f"unknown citation key(s): {', '.join(unknown)}")
        marked, order = self.render_marked(entries)  # bibliography order gives the citation numbers
        del marked
        for item_id, letter in self._suffixes(entries, order).items():
            items[int(item_id[1:])]["year-suffix"] = letter
        bib = self._bibliography(items)
        bib.items = [bib.items[i] for i in order]
        bib.keys = [it.key for it in bib.items]
        citation = Citation([CitationItem(items[index[k]]["id"]) for k in keys])
        bib.register(citation)
        text = str(bib.cite(citation, lambda item: None))
        return markup.CONVERTERS[fmt](text)

    def _bibliography(self, items: list[dict[str, Any]]) -> CitationStylesBibliography:
        source = _Source(items)
        bib = CitationStylesBibliography(self.style, source, markup.MarkedFormatter)
        _register_all(bib, items)
        self.style.root.citation.cites = []
        return bib


_WORKER_STYLE: CitationStylesStyle | None = None
#: part of the key of everything cached about an input item (its conversion may change with bibkit)
_KEY_VERSION = f"{__version__}-{compat.VERSION}"


class CSLRecord:
    """One CSL-JSON item as read from a file, converted to an :class:`Entry` only when it must be rendered.

    Its cache digest is taken from the item as written (``id`` aside), so an unchanged item is looked up without
    building an entry; a changed one is converted by :func:`bibkit.io.csljson.entry_from_csl`, exactly as
    :func:`bibkit.load` does.  ``error`` is set when the item cannot be converted (it is then left out).

    >>> r = CSLRecord({"id": "x", "type": "book", "title": "T"}, "refs.json", 0)
    >>> r.entry().title, r.error
    ('T', None)
    >>> bad = CSLRecord({"type": "book", "author": "not a list"}, "refs.json", 3)
    >>> bad.entry(), bad.error
    (None, "item 3: 'author' must be a list of names")
    """

    __slots__ = ("data", "error", "index", "source")

    def __init__(self, data: Any, source: str, index: int):
        self.data = data
        self.source = source
        self.index = index
        self.error: str | None = None

    def entry(self) -> Entry | None:
        """The entry (``None`` when the item cannot be converted; ``error`` says why)."""
        try:
            return _record_entry(self.data, self.source, self.index)
        except _ConversionError as exc:
            self.error = _conversion_message(exc, self.index)
            return None

    def digest(self) -> str:
        """A digest of the item as parsed (``id`` aside): ``repr`` of JSON values is unambiguous and twice as
        fast as ``json.dumps``; keys are not sorted, so an item whose keys were reordered is rendered again."""
        data = self.data
        if isinstance(data, dict) and "id" in data:
            data = data.copy()
            del data["id"]
        return "j" + hashlib.sha256(repr(data).encode("utf-8", "surrogatepass")).hexdigest()[:24]


_ConversionError = (ValueError, TypeError, KeyError, AttributeError, RecursionError)


def _conversion_message(exc: BaseException, index: int) -> str:
    if isinstance(exc, RecursionError):
        return f"item {index}: nested too deeply"
    return f"item {index}: {exc}"


def _record_entry(data: Any, source: str, index: int) -> Entry:
    from ..io.csljson import entry_from_csl

    return entry_from_csl(data, source, index)


class _Failure:
    """A job's result for an input that could not be converted (picklable)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


class _Prepared:
    """Entries with their content digests, and citeproc items made on demand (ids ``i0``, ``i1``...)."""

    def __init__(self, entries: list[Entry | dict[str, Any] | CSLRecord]):
        self.entries = entries
        self.items: dict[int, dict[str, Any]] = {}
        self.failed: dict[int, str] = {}
        self.remembered: dict[int, str] = {}
        self.has_records = any(isinstance(e, CSLRecord) for e in entries)

    def record_indices(self) -> list[int]:
        return [i for i, e in enumerate(self.entries) if isinstance(e, CSLRecord)]

    def fail(self, i: int, message: str) -> None:
        self.failed[i] = message
        entry = self.entries[i]
        if isinstance(entry, CSLRecord):
            entry.error = message

    def item(self, i: int) -> dict[str, Any] | None:
        if i not in self.items:
            if i in self.failed:
                return None
            entry = self.entries[i]
            if not isinstance(entry, CSLRecord):
                self.items[i] = entry_to_citeproc(entry, f"i{i}")
                return self.items[i]
            try:
                self.items[i] = _to_item(entry, f"i{i}")
            except _ConversionError as exc:
                self.fail(i, _conversion_message(exc, entry.index))
                return None
        return self.items[i]

    def job_input(self, i: int) -> tuple[str, bool, Any]:
        """What a worker needs for entry ``i``: its citeproc item when made already, else the entry itself."""
        item = self.items.get(i)
        return (f"i{i}", True, item) if item is not None else (f"i{i}", False, self.entries[i])

    def digests(self) -> list[str]:
        return [e.digest() if isinstance(e, CSLRecord) else _entry_digest(e) for e in self.entries]


def _to_item(entry: Entry | dict[str, Any] | CSLRecord, item_id: str) -> dict[str, Any]:
    if isinstance(entry, CSLRecord):
        item = entry_to_citeproc(_record_entry(entry.data, entry.source, entry.index), item_id)
        if isinstance(entry.data, dict) and "event-title" in entry.data and "event" not in entry.data \
                and "event" in item:
            # CSL 1.0.2's "event-title" is not CSL 1.0's "event" to a style (citeproc-js); the entry holds one
            # conference name, passed on under the name the item gave it
            item["event-title"] = item.pop("event")
        return item
    return entry_to_citeproc(entry, item_id)


def _job_items(inputs: list[tuple[str, bool, Any]]) -> tuple[list[dict[str, Any]], list[Any]]:
    """citeproc items for a job's inputs (already made, or converted here), and a result slot per input
    (a :class:`_Failure` for a :class:`CSLRecord` that cannot be converted, else ``None`` to be filled)."""
    results: list[_Failure | None]
    items, results = [], []
    for item_id, ready, value in inputs:
        if ready:
            item = value
        elif isinstance(value, CSLRecord):
            try:
                item = _to_item(value, item_id)
            except _ConversionError as exc:
                results.append(_Failure(_conversion_message(exc, value.index)))
                continue
        else:
            item = entry_to_citeproc(value, item_id)
        items.append(item)
        results.append(None)
    return items, results


def _fill(results: list[Any], values: Iterable[Any]) -> list[Any]:
    it = iter(values)
    return [next(it) if r is None else r for r in results]


def _entry_digest(entry: Entry | dict[str, Any]) -> str:
    """A digest of an entry's bibliographic content (not its key, provenance or confidence)."""
    if isinstance(entry, Entry):
        data = entry_to_csl(entry)
        custom = data.get("custom")
        if custom:
            for k in ("provenance", "citation-key", "confidence"):
                custom.pop(k, None)
    else:
        data = dict(entry)
    data.pop("id", None)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _register_all(bib: CitationStylesBibliography, items: list[dict[str, Any]]) -> None:
    """``bib.register`` of one citation per item, without its ``list`` membership test per item (quadratic:
    about a second for 10,000 items)."""
    seen = set(bib.keys)
    for item in items:
        citation = Citation([CitationItem(item["id"])])
        citation.bibliography = bib
        cite = citation.cites[0]
        if cite.key in bib.source and cite.key not in seen:
            seen.add(cite.key)
            bib.keys.append(cite.key)
            bib.items.append(cite)


def _worker(job_name: str, inputs: list[tuple[str, bool, Any]], *extra: Any) -> list[Any]:
    return globals()[job_name](_WORKER_STYLE, inputs, *extra)


def _worker_args(args: tuple[Any, ...]) -> list[Any]:
    return _worker(*args)


def _render_job(style: CitationStylesStyle, inputs: list[tuple[str, bool, Any]], numbers: dict[str, int],
                suffixes: dict[str, str] | None = None) -> list[Any]:
    items, results = _job_items(inputs)
    if not items:
        return results
    items = _with_labels(style, items, suffixes)
    if suffixes and not _renders_label(style):
        items = [{**it, "year-suffix": suffixes[it["id"]]} if it.get("id") in suffixes else it for it in items]
    source = _Source(items)
    bib = CitationStylesBibliography(style, source, markup.MarkedFormatter)
    _register_all(bib, items)
    bib.numbers = numbers
    return _fill(results, (str(x) for x in bib.bibliography()))


def _sort_keys_job(style: CitationStylesStyle, inputs: list[tuple[str, bool, Any]]) -> list[Any]:
    """Per input, (sort keys, their collation keys, citeproc item), or a :class:`_Failure`."""
    items, results = _job_items(inputs)
    if not items:
        return results
    source = _Source(_with_labels(style, items))
    bib = CitationStylesBibliography(style, source, markup.MarkedFormatter)
    _register_all(bib, items)
    keys = compat.compute_sort_keys(_sort_element(style), bib.items, style.root.bibliography.layout)
    collated = [[None if v is None else compat.collation_key(v) for v in row] for row in keys]
    return _fill(results, zip(keys, collated, items, strict=True))


_CSL_NS = "http://purl.org/net/xbiblio/csl"
_LABEL_CALLS = "//cs:text[@variable='citation-label'] | //cs:key[@variable='citation-label']"


def _renders_label(style: CitationStylesStyle) -> bool:
    """Whether the style prints or sorts by ``citation-label`` (then citeproc-js makes one for every item)."""
    known = getattr(style, "_bibkit_labels", None)
    if known is None:
        known = style._bibkit_labels = bool(style.root.xpath(_LABEL_CALLS, namespaces={"cs": _CSL_NS}))
    return known


def _with_labels(style: CitationStylesStyle, items: list[dict[str, Any]], suffixes: dict[str, str] | None = None
                 ) -> list[dict[str, Any]]:
    """Items with the ``citation-label`` citeproc-js makes for those without one (its trigraph, "Doe65"), for a
    style that prints or sorts by it; a year suffix goes on the label ("RoNo78a"), as in citeproc-js."""
    if not _renders_label(style):
        return items
    out = []
    for it in items:
        label = str(it.get("citation-label") or trigraph(it)) + (suffixes or {}).get(str(it.get("id")), "")
        out.append({**it, "citation-label": label})
    return out


def _sort_element(style: CitationStylesStyle) -> Any:
    bib = style.root.bibliography
    return bib.find("cs:sort", bib.nsmap)


def _sort_by_field(items: list[dict[str, Any]], sort: str) -> list[int]:
    """Order for ``--sort`` ``author``, ``year``/``-year`` (newest first), ``title`` or ``none``."""
    descending = sort.startswith("-")
    field = sort.lstrip("-+")

    def key(i: int) -> tuple:
        item = items[i]
        if field in ("year", "date", "issued"):
            parts = (item.get("issued") or {}).get("date-parts") or [[0]]
            return tuple(parts[0]) + (0,) * (3 - len(parts[0]))
        if field == "author":
            names = item.get("author") or item.get("editor") or []
            return tuple(compat.collation_key(n.get("family") or n.get("literal") or "") for n in names)
        if field == "title":
            return (compat.collation_key(item.get("title", "")),)
        raise UsageError(f"unknown sort {sort!r}; use style, none, author, title, year or -year")

    return sorted(range(len(items)), key=key, reverse=descending)


# -- module-level API ---------------------------------------------------------------------------------
_FORMATTERS: dict[tuple, Formatter] = {}


def get_formatter(style: str | os.PathLike[str], locale: str | None = None,
                  cache: bool | str | os.PathLike[str] | None = None) -> Formatter:
    """A shared :class:`Formatter` per (style, locale, cache): styles are parsed once per process."""
    key = (os.fspath(style), locale, cache if not isinstance(cache, os.PathLike) else os.fspath(cache))
    if key not in _FORMATTERS:
        _FORMATTERS[key] = Formatter(style, locale, cache=cache)
    return _FORMATTERS[key]


def format_bibliography(entries: Iterable[Entry | dict[str, Any]], style: str | os.PathLike[str] = "apa",
                        fmt: str = "text", *, locale: str | None = None, cache: bool | str | None = None,
                        **options: Any) -> list[str]:
    """The bibliography of ``entries`` in ``style``: one string per entry, in bibliography order.

    ``fmt`` is ``text``, ``html`` (field content escaped, the style's markup kept) or ``markdown``.
    ``locale``: ``None`` uses the style's ``default-locale`` (else en-US), as citeproc-js does.
    Options: ``sort`` (``style`` default, ``none``, ``author``, ``title``, ``year``, ``-year``), ``highlight``
    (a name to bold, e.g. ``"Zhang, Zili"``), ``group_by`` (``year`` or ``type``: a publication list with
    headings, newest first), ``entry_div`` (HTML wrapped in ``<div class="csl-entry">`` like citeproc-js).
    """
    return get_formatter(style, locale, cache).bibliography(entries, fmt, **options)


def format_document(entries: Iterable[Entry | dict[str, Any]], style: str | os.PathLike[str] = "apa",
                    fmt: str = "text", *, locale: str | None = None, cache: bool | str | None = None,
                    **options: Any) -> str:
    """The bibliography of ``entries`` as one document, what ``bibkit format`` writes.

    ``text``: one entry per line; ``markdown``: a list (numbered with the entries' numbers for a numbered style,
    else bullets) that Markdown renderers turn into one list item per entry; ``html``: a
    ``<div class="csl-bib-body">`` fragment holding an ``<ol>``/``<ul>`` with one ``<li class="csl-entry">`` per
    entry (field content escaped, the style's markup kept).  With ``group_by``, a heading and a list per group,
    blank lines between them.  Options as :func:`format_bibliography` (``sort``, ``highlight``, ``group_by``).

    >>> from bibkit.model import Entry, Name, Date
    >>> es = [Entry(type="book", key=k, title=k.title(), author=[Name(family="Li", given="A")], issued=Date(2000),
    ...             publisher="P") for k in ("cats", "dogs")]
    >>> print(format_document(es, style="ieee", fmt="markdown", cache=False), end="")
    1. A. Li, *Cats*. P, 2000.
    2. A. Li, *Dogs*. P, 2000.
    """
    return get_formatter(style, locale, cache).document(entries, fmt, **options)


def cite(entries: Iterable[Entry | dict[str, Any]], keys: Iterable[str] | str,
         style: str | os.PathLike[str] = "apa", fmt: str = "text", *, locale: str | None = None,
         cache: bool | str | None = None) -> str:
    """An in-text citation of ``keys`` among ``entries`` (numbers follow the bibliography order)."""
    return get_formatter(style, locale, cache).cite(entries, keys, fmt)
