"""In-text citations of a whole document, in the shape of citeproc-js's API.

A :class:`Citations` object holds the entries a document may cite and a style.  Clusters (what one footnote or
one pair of parentheses cites: a list of CSL citation items) are cited in document order with :meth:`~Citations.cite`;
each cite gets its CSL position (first, subsequent, ibid, ibid-with-locator, near-note), cites that would read
alike are told apart (CSL disambiguation: names added, given names or initials added, year suffixes, the
``disambiguate`` condition), numbers and years are collapsed, and :meth:`~Citations.bibliography` lists what was
cited.  Note styles (no ``<bibliography>``) are rendered too.

citeproc-py renders each cite (its layout, names, dates, terms; with :mod:`bibkit.format.compat`); what it lacks
is done here: positions, cite order, affixes, author suppression, disambiguation and collapsing.

>>> from bibkit.model import Entry, Name, Date
>>> doe = [Name(family="Doe", given="Jane")]
>>> entries = [Entry(key="a", type="book", title="A", author=doe, issued=Date(2000)),
...            Entry(key="b", type="book", title="B", author=doe, issued=Date(2000))]
>>> c = Citations(entries, style="apa")
>>> c.cite([{"id": "a", "locator": "12", "label": "page"}])   # the only work by Doe so far
'(Doe, 2000, p. 12)'
>>> c.cite([{"id": "b", "suppress-author": True}])
'(2000b)'
>>> c.cite([{"id": "a"}, {"id": "b"}])
'(Doe, 2000a, 2000b)'
>>> c.citations()[0]                                         # as the whole document requires
'(Doe, 2000a, p. 12)'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography
from citeproc.source import Locator, VariableError

from ..errors import UsageError
from ..model import Entry
from . import compat, markup
from .disambiguate import letters, trigraph
from .prepare import entry_to_citeproc, typographic_apostrophes
from .render import FORMATS, _check_locale, _Source, load_style
from .styles import parse_csl, resolve_style

#: the keys a citation item may have (CSL-JSON / citeproc-js)
ITEM_KEYS = frozenset({"id", "locator", "label", "prefix", "suffix", "suppress-author", "author-only", "position",
                       "near-note", "note-number", "uris", "itemData"})
#: CSL locator labels (CSL 1.0.2 "Locators")
LOCATOR_LABELS = frozenset({
    "act", "appendix", "article-locator", "book", "canon", "chapter", "column", "elocation", "equation", "figure",
    "folio", "issue", "line", "note", "opus", "page", "paragraph", "part", "rule", "scene", "section",
    "sub-verbo", "supplement", "table", "timestamp", "title-locator", "verse", "version", "volume"})

_CSL_NS = "http://purl.org/net/xbiblio/csl"
#: what a cite that renders nothing prints (citeproc-js)
NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
_PUNCTUATION = frozenset(",.;:")
#: a numeric locator (CSL "is-numeric"): numbers with an optional letter, in ranges or lists
_NUMERIC = re.compile(r"\s*[A-Za-z]?\d+[A-Za-z]?(?:\s*(?:[-\u2013,&]|and)\s*[A-Za-z]?\d+[A-Za-z]?)*\s*")
_RANGE_SPACES = re.compile(r"(?<=\w)\s*([-\u2013])\s*(?=\w)")
_FIRST, _SUBSEQUENT, _IBID, _IBID_LOCATOR = "first", "subsequent", "ibid", "ibid-with-locator"
_POSITION = "\0position"  # keys set on a citeproc CitationItem while it renders
_NEAR = "\0near"
_DISAMBIGUATE = "\0disambiguate"


class Citations:
    """The citations of one document: cite clusters in document order, then ask for the bibliography.

    ``entries``: :class:`~bibkit.model.Entry` objects (cited by their ``key``) or CSL-JSON items (by ``id``).
    ``style``: a style name or a CSL file; ``locale``: ``None`` for the style's default (else en-US);
    ``output``: ``text``, ``html`` or ``markdown``.  ``register``: ``"cited"`` (default) numbers and disambiguates
    the works cited so far; ``"all"`` registers every entry up front (as citeproc-js's ``updateItems`` with all
    ids: numbers follow the bibliography of all entries).

    :meth:`cite` renders a cluster as it reads when it is cited; a later cite may change how an earlier one
    must read (a second work by the same author gets a year suffix): :meth:`citations` renders every cluster
    again as the whole document requires.
    """

    def __init__(self, entries: Iterable[Entry | Mapping[str, Any]], style: str | os.PathLike[str] = "apa",
                 locale: str | None = None, output: str = "text", *, register: str = "cited"):
        if output not in FORMATS:
            raise UsageError(f"unknown output format {output!r}; choose from {', '.join(FORMATS)}")
        if register not in ("cited", "all"):
            raise UsageError(f"unknown register {register!r}; choose from cited, all")
        compat.install()
        _install()
        path = resolve_style(style)
        if locale is None:
            locale = parse_csl(path).getroot().get("default-locale") or "en-US"
        locale = _resolve_locale(locale)
        _check_locale(locale)
        self.style = load_style(path, locale)
        self.style_name = path.stem
        self.locale = locale
        self.output = output
        self.register = register
        self.entries = list(entries)
        self._items: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}
        for n, entry in enumerate(self.entries):
            if isinstance(entry, Entry):
                key = entry.key or f"i{n}"
                item = entry_to_citeproc(entry, f"i{n}")
            else:
                key = str(entry.get("id") if entry.get("id") is not None else f"i{n}")
                item = entry_to_citeproc(dict(entry), f"i{n}")
            self._items.append(item)
            self._index.setdefault(key, n)
        self._keys = list(self._index)
        self.clusters: list[list[dict[str, Any]]] = []
        #: the note number of each cluster
        self.notes: list[int] = []
        self._citation = self.style.root.citation
        self._options = _citation_options(self._citation)
        self._state: _State | None = None
        #: renderings that do not change as the document grows (see _State._base and _sort_bibliography)
        self._memo: dict[tuple, Any] = {}
        self._numbered = b"citation-number" in path.read_bytes()

    # -- public API -----------------------------------------------------------------------------------------
    def cite(self, cluster: Sequence[Mapping[str, Any] | str] | Mapping[str, Any] | str, note: int | None = None
             ) -> str:
        """Cite one cluster (the next in the document) and return it rendered.

        ``cluster``: a list of citation items ``{"id", "locator", "label", "prefix", "suffix",
        "suppress-author", "author-only"}`` (a single item or a bare key are accepted too), or a citeproc-js
        citation ``{"citationItems": [...], "properties": {"noteIndex": n}}``.  ``note``: the number of the
        footnote it is in (for ``near-note``; default: one note per cluster).
        """
        if isinstance(cluster, Mapping) and "citationItems" in cluster:
            properties = cluster.get("properties") or {}
            if note is None and isinstance(properties, Mapping) and isinstance(properties.get("noteIndex"), int):
                note = properties["noteIndex"] or None
            cluster = cluster["citationItems"]
        items = self._check_cluster(cluster, len(self.clusters))
        self.clusters.append(items)
        self.notes.append(note if note is not None else (self.notes[-1] + 1 if self.notes else 1))
        state = self._build_state()
        return self._convert(state.render_cluster(len(self.clusters) - 1))

    def citations(self) -> list[str]:
        """Every cluster cited so far, rendered as the whole document requires (document order)."""
        state = self._build_state()
        return [self._convert(state.render_cluster(i)) for i in range(len(self.clusters))]

    def bibliography(self) -> list[str]:
        """The bibliography of the works cited (every entry with ``register="all"``), one string per entry;
        empty for a style without a ``<bibliography>`` (a note style)."""
        if self.style.root.bibliography is None:
            return []
        state = self._build_state()
        marked = state.bibliography()
        if self.output == "html":
            return [markup.to_html(m) for m in marked]
        return [markup.CONVERTERS[self.output](m) for m in marked]

    # -- internals ------------------------------------------------------------------------------------------
    def _convert(self, marked: str) -> str:
        return markup.CONVERTERS[self.output](marked)

    def _check_cluster(self, cluster: Any, number: int) -> list[dict[str, Any]]:
        if isinstance(cluster, str | Mapping):
            cluster = [cluster]
        if not isinstance(cluster, Sequence):
            raise UsageError(f"citation {number + 1}: a cluster must be a list of citation items")
        items = []
        for pos, raw in enumerate(cluster):
            where = f"citation {number + 1}, item {pos + 1}"
            item = {"id": raw} if isinstance(raw, str) else raw
            if not isinstance(item, Mapping) or "id" not in item:
                raise UsageError(f"{where}: a citation item must be an object with an \"id\"")
            unknown = sorted(set(item) - ITEM_KEYS)
            if unknown:
                raise UsageError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
            key = str(item["id"])
            if key not in self._index:
                raise UsageError(f"{where}: unknown citation key {key!r}")
            item = dict(item, id=key)
            label = item.get("label")
            if label is not None:
                label = item["label"] = str(label).strip().replace(" ", "-")  # "sub verbo" (CSL 1.0) too
                if label not in LOCATOR_LABELS:
                    raise UsageError(f"{where}: unknown locator label {label!r}")
            items.append(item)
        return items

    def _build_state(self) -> _State:
        """The document's state; rebuilt only when the works cited change (positions are cheap to redo)."""
        registered = self._registered()
        state = self._state
        if state is not None and state.registered == registered:
            if state.clusters != len(self.clusters):
                state.positions = state._positions()
                state.clusters = len(self.clusters)
            return state
        self._state = _State(self, registered)
        return self._state

    def _registered(self) -> list[int]:
        if self.register == "all":
            registered = list(range(len(self._items)))
        else:
            registered = []
            seen = set()
            for cluster in self.clusters:
                for cite in cluster:
                    n = self._index[cite["id"]]
                    if n not in seen:
                        seen.add(n)
                        registered.append(n)
        return registered


def _resolve_locale(locale: str) -> str:
    """A locale citeproc-py has: ``fr`` is its primary dialect ``fr-FR`` (as in citeproc-js), and private-use
    subtags (``en-US-x-sort-ja``, sort-order hints) are set aside."""
    from citeproc.frontend import CitationStylesLocale

    locale = re.split(r"-x-", locale.strip(), maxsplit=1)[0]
    try:
        CitationStylesLocale(locale, validate=False)
        return locale
    except ValueError:
        pass
    import json
    from pathlib import Path

    import citeproc

    dialects = json.loads((Path(citeproc.__file__).parent / "data" / "locales" / "locales.json")
                          .read_text(encoding="utf-8"))["primary-dialects"]
    return str(dialects.get(locale.split("-")[0].lower(), locale))


class _Options:
    """What a style's ``<citation>`` says about disambiguation and collapsing."""

    def __init__(self, el: Any):
        def flag(name: str) -> bool:
            return (el.get(name) or "").strip().lower() == "true"

        self.add_names = flag("disambiguate-add-names")
        self.add_givenname = flag("disambiguate-add-givenname")
        self.givenname_rule = el.get("givenname-disambiguation-rule") or "by-cite"
        self.year_suffix = flag("disambiguate-add-year-suffix")
        self.collapse = (el.get("collapse") or "").strip()
        layout = el.layout
        self.delimiter = layout.get("delimiter", "") if layout is not None else ""
        self.cite_group_delimiter = el.get("cite-group-delimiter")
        self.year_suffix_delimiter = el.get("year-suffix-delimiter")
        self.after_collapse_delimiter = el.get("after-collapse-delimiter")
        try:
            self.near_note_distance = int(el.get("near-note-distance") or 5)
        except ValueError:
            self.near_note_distance = 5


def _citation_options(el: Any) -> _Options:
    return _Options(el)


class _State:
    """One rendering of the document: registered works in bibliography order, their citation numbers,
    disambiguation and the positions of every cite."""

    def __init__(self, owner: Citations, registered: list[int]):
        self.owner = owner
        self.registered = registered
        self.clusters = len(owner.clusters)
        self.style = owner.style
        self.options = owner._options
        items = [dict(owner._items[n]) for n in registered]
        self.labels = bool(self.style.root.xpath(".//cs:text[@variable='citation-label']",
                                                 namespaces={"cs": _CSL_NS}))
        if self.labels:
            for item in items:
                item.setdefault("citation-label", trigraph(item))
        self.items = items
        self.source = _Source(items)
        self.bib = CitationStylesBibliography(self.style, self.source, markup.MarkedFormatter)
        for item in items:
            self.bib.register(Citation([CitationItem(item["id"])]))
        self._sort_bibliography()
        self.bib.numbers = {key: pos + 1 for pos, key in enumerate(self.bib.keys)}
        self.style.root.citation.cites = []
        self.first_notes: dict[str, int] = {}
        self.positions = self._positions()
        self.names_shown: dict[str, int] = {}
        self.givens: dict[str, dict[tuple[str, str], int]] = {}
        self.disambiguate: set[str] = set()
        self.suffixes: dict[str, str] = {}
        self._disambiguate()

    # -- order and numbers ------------------------------------------------------------------------------------
    def _sort_bibliography(self) -> None:
        bib_el = self.style.root.bibliography
        if bib_el is None:
            return
        sort_el = bib_el.find("cs:sort", bib_el.nsmap)
        if sort_el is None or not self.bib.items:
            return
        memo = self.owner._memo
        missing = [it for it in self.bib.items if ("sort", it.key) not in memo]
        if missing:
            fresh = compat.compute_sort_keys(sort_el, missing, bib_el.layout)
            for it, row in zip(missing, fresh, strict=True):
                memo[("sort", it.key)] = (row, [None if v is None else compat.collation_key(v) for v in row])
        keys = [memo[("sort", it.key)][0] for it in self.bib.items]
        collated = [memo[("sort", it.key)][1] for it in self.bib.items]
        if self.owner._numbered:  # sort keys may hold citation numbers, which change as works are cited
            memo.clear()
        order = compat.sort_by_keys(sort_el, keys, collated)
        self.bib.items = [self.bib.items[i] for i in order]
        self.bib.keys = [it.key for it in self.bib.items]

    def internal(self, key: str) -> str:
        return f"i{self.owner._index[key]}"

    # -- positions --------------------------------------------------------------------------------------------
    def _positions(self) -> list[list[tuple[str, bool]]]:
        """Per cluster, per cite: (CSL position, near-note), in document order (CSL 1.0.2 "Position")."""
        out: list[list[tuple[str, bool]]] = []
        last_note: dict[str, int] = {}
        previous: list[dict[str, Any]] = []
        for number, cluster in enumerate(self.owner.clusters):
            note = self.owner.notes[number]
            found = []
            for pos, cite in enumerate(cluster):
                key = cite["id"]
                if key not in last_note:
                    position = _FIRST
                else:
                    before = cluster[pos - 1] if pos else None
                    if before is None and previous and all(c["id"] == key for c in previous):
                        before = previous[-1]
                    if before is not None and before["id"] == key:
                        here, there = _locator(cite), _locator(before)
                        if here == there:
                            position = _IBID
                        elif here is not None:
                            position = _IBID_LOCATOR
                        else:
                            position = _SUBSEQUENT
                    else:
                        position = _SUBSEQUENT
                near = key in last_note and note - last_note[key] <= self.options.near_note_distance
                found.append((position, near))
            for cite in cluster:
                last_note[cite["id"]] = note
                self.first_notes.setdefault(self.internal(cite["id"]), note)
            previous = list(cluster)
            out.append(found)
        return out

    # -- rendering one cite ---------------------------------------------------------------------------------
    def make_item(self, cite: Mapping[str, Any], position: str = _FIRST, near: bool = False) -> CitationItem:
        extra: dict[str, Any] = {}
        if str(cite.get("locator", "")).strip():
            locator = _RANGE_SPACES.sub(r"\1", str(cite["locator"]).strip())  # "100 - 103": 100–103
            extra["locator"] = Locator(cite.get("label") or "page", locator)
        item = CitationItem(self.internal(cite["id"]), **extra)
        Citation([item]).bibliography = self.bib
        item[_POSITION] = position
        item[_NEAR] = near
        return item

    def render_cite(self, item: CitationItem, suppress_author: bool = False, author_only: bool = False) -> str:
        layout = self._citation.layout
        layout.repressed = {}
        key = item.key
        first_note = self.first_notes.get(key) if item.get(_POSITION, _FIRST) != _FIRST else None
        reference = self.source[key]
        if first_note is not None:  # CSL first-reference-note-number: only once the work was cited before
            reference["first_reference_note_number"] = str(first_note)
        compat.NAME_OVERRIDES[0] = _OVERRIDES[0] = (self.names_shown.get(key), self.givens.get(key),
                                                    key in self.disambiguate)
        compat._CAPTURE_NAMES[0] = True
        _SUPPRESS[0] = suppress_author
        try:
            text = layout.render_children(item)
        except VariableError:
            text = None
        finally:
            reference.pop("first_reference_note_number", None)
            compat.NAME_OVERRIDES[0] = _OVERRIDES[0] = None
            _SUPPRESS[0] = False
            compat._CAPTURE_NAMES[0] = False
        text = "" if text is None else str(text)
        if not suppress_author and not markup.strip_marks(text).strip():
            text = NO_PRINTED_FORM
        if author_only:
            found = _NAMES_SPAN.search(text)
            text = found.group(1) if found else ""
        return text

    @property
    def _citation(self) -> Any:
        return self.style.root.citation

    # -- clusters ---------------------------------------------------------------------------------------------
    def render_cluster(self, number: int) -> str:
        cluster = self.owner.clusters[number]
        positions = self.positions[number]
        cites: list[tuple[Mapping[str, Any], CitationItem]] = []
        for cite, (position, near) in zip(cluster, positions, strict=True):
            item = self.make_item(cite, position, near)
            cites.append((cite, item))
        cites = self._sort_cites(cites)
        rendered = []
        for one, item in cites:
            text = self.render_cite(item, bool(one.get("suppress-author")), bool(one.get("author-only")))
            rendered.append(_Rendered(one, item, text))
        body = self._join(rendered)
        layout = self._citation.layout
        if not body:
            return ""
        skip = len(_affix(cites[0][0].get("prefix"))) if cites else 0
        if cites and _sentence_start(cites[0][0].get("prefix")) and self._starts_with_term(body, skip):
            body = _capitalize_first(body, skip)
        if all(one.get("author-only") for one, _ in cites):  # "Doe (2000)": the author alone, no parentheses
            out = str(layout.format(body))
        else:
            out = str(layout.format(layout.wrap(body)))
        out = compat.finish_entry(layout, out)
        return out.replace(markup.NAMES_ON, "").replace(markup.NAMES_OFF, "")

    def _starts_with_term(self, body: str, skip: int = 0) -> bool:
        """In a note style a note that opens with a term (``ibid.``) opens with a capital (citeproc-js)."""
        if self.style.root.get("class") != "note":
            return False
        terms = compat.lowercase_terms(self.style.root)
        plain = markup.strip_marks(body[skip:]).lstrip()
        return any(plain.startswith(t) and not plain[len(t):len(t) + 1].isalpha() for t in terms)

    def _sort_cites(self, cites: list[tuple[Mapping[str, Any], CitationItem]]
                    ) -> list[tuple[Mapping[str, Any], CitationItem]]:
        sort_el = self._citation.find("cs:sort", self._citation.nsmap)
        if sort_el is None or len(cites) < 2:
            return cites
        items = [item for _, item in cites]
        keys = compat.compute_sort_keys(sort_el, items, self._citation.layout)
        collated = [[None if v is None else compat.collation_key(v) for v in row] for row in keys]
        return [cites[i] for i in compat.sort_by_keys(sort_el, keys, collated)]

    def _join(self, rendered: list[_Rendered]) -> str:
        """The cites joined as citeproc-js does: the layout delimiter; inside a group of cites collapsed under
        one author the cite-group-delimiter (else ", " in in-text styles); after-collapse-delimiter after a
        collapsed group or a cite with a locator."""
        opts = self.options
        pieces = [r for r in rendered if r.text]
        if not pieces:
            return ""
        if opts.collapse == "citation-number":
            groups = _collapse_numbers(pieces, self.bib.numbers)
        elif opts.collapse.startswith("year"):
            groups = self._collapse_years(pieces)
        elif opts.cite_group_delimiter is not None:  # cites of the same names grouped, the names kept
            groups = _by_names(pieces)
        else:
            groups = [[p] for p in pieces]
        in_text = self.style.root.get("class") != "note"
        out = ""
        last: _Rendered | None = None
        last_group: list[_Rendered] = []
        for group in groups:
            group = [p for p in group if p.text or p.joiner is not None]
            if not group:
                continue
            for n, p in enumerate(group):
                if last is not None:
                    have_collapsed = n > 0
                    last_collapsed = len(last_group) > 1
                    if p.joiner is not None:
                        sep = p.joiner
                    elif opts.after_collapse_delimiter is not None:
                        if "locator" in last.item or (last_collapsed and not have_collapsed) or (
                                not last_collapsed and not have_collapsed and opts.collapse != "year-suffix"):
                            sep = opts.after_collapse_delimiter
                        else:
                            sep = opts.delimiter
                    elif have_collapsed and opts.cite_group_delimiter is not None:
                        sep = opts.cite_group_delimiter
                    elif have_collapsed and in_text and opts.collapse != "citation-number":
                        sep = ", "
                    else:
                        sep = opts.delimiter
                    if _affix(p.cite.get("prefix"))[:1] in _PUNCTUATION:  # ", cited in": no delimiter
                        sep = ""
                    out += sep
                out += _affixed(p)
                last = p
            last_group = group
        return out

    def _collapse_years(self, pieces: list[_Rendered]) -> list[list[_Rendered]]:
        """CSL ``collapse="year"`` (and ``year-suffix``, ``year-suffix-ranged``): cites of works by the same
        names are grouped and the names printed once."""
        groups = _by_names(pieces)
        for group in groups:
            if len(group) < 2:
                continue
            for p in group:
                p.bare = self.render_cite(p.item, suppress_author=True)
            for p in group[1:]:
                p.text = p.bare
            if self.options.collapse in ("year-suffix", "year-suffix-ranged"):
                _collapse_suffixes(group, self.suffixes, self.options)
        return groups

    # -- disambiguation ---------------------------------------------------------------------------------------
    def _base(self, key: str) -> str:
        """How the work's cite reads (first position, no locator) with the names and given names added so far;
        remembered across the document's states (a cite's reading depends only on these and its number)."""
        givens = tuple(sorted(self.givens.get(key, {}).items()))
        memo_key = ("base", key, self.names_shown.get(key), givens, key in self.disambiguate,
                    self.bib.numbers.get(key) if self.owner._numbered else None)
        memo = self.owner._memo
        if memo_key not in memo:
            item = CitationItem(key)
            Citation([item]).bibliography = self.bib
            item[_POSITION] = _FIRST
            item[_NEAR] = False
            memo[memo_key] = markup.strip_marks(self.render_cite(item))
        return str(memo[memo_key])

    def _ambiguous(self, keys: Sequence[str]) -> list[list[str]]:
        seen: dict[str, list[str]] = {}
        for key in keys:
            seen.setdefault(self._base(key), []).append(key)
        return [group for group in seen.values() if len(group) > 1]

    def _disambiguate(self) -> None:
        """CSL 1.0.2 "Disambiguation": names added, then given names, then year suffixes, then the
        ``disambiguate="true"`` condition, each only for the cites still alike."""
        opts = self.options
        keys = list(self.bib.keys)
        if not (opts.add_names or opts.add_givenname or opts.year_suffix
                or self._citation.xpath_search(".//cs:if[@disambiguate] | .//cs:else-if[@disambiguate]")):
            return
        if opts.add_givenname and opts.givenname_rule != "by-cite":
            self._givennames_globally(keys)
        groups = self._ambiguous(keys)
        if opts.add_names and groups:
            for group in groups:
                self._add_names(group)
            groups = self._ambiguous(keys)
        if opts.add_givenname and groups:
            for group in groups:
                self._add_givennames(group)
            groups = self._ambiguous(keys)
        if groups:
            for group in groups:
                self.disambiguate.update(group)
            still = self._ambiguous(keys)
            # the condition only stays for the works it told apart
            settled = {k for g in groups for k in g} - {k for g in still for k in g}
            self.disambiguate = settled
            groups = still
        if opts.year_suffix and groups:
            for group in groups:
                for n, key in enumerate(group):
                    self.suffixes[key] = letters(n)
            for item in self.bib.items:
                letter = self.suffixes.get(item.key)
                if letter and self.labels and self.source[item.key].get("citation_label"):
                    self.source[item.key]["citation_label"] += letter  # "Asth00a" (citeproc-js)
                elif letter:
                    self.source[item.key]["year_suffix"] = letter

    def _names_count(self, key: str) -> int:
        ref = self.source[key]
        return max((len(ref.get(v, []) or []) for v in ("author", "editor", "translator")), default=0)

    def _partners(self, group: list[str]) -> dict[str, int]:
        """For each work of ``group``, how many others of the group its cite reads like."""
        seen: dict[str, list[str]] = {}
        for key in group:
            seen.setdefault(self._base(key), []).append(key)
        return {key: len(keys) - 1 for keys in seen.values() for key in keys}

    def _add_names(self, group: list[str]) -> None:
        """``disambiguate-add-names``: names are added (with their given names too, when the style adds
        those) until a cite reads like no other; a work keeps the fewest names that made it read like the
        fewest others, and none are added where they tell nothing apart."""
        base = self._partners(group)
        best = dict(base)
        chosen: dict[str, int] = {}
        most = max(self._names_count(k) for k in group)
        for n in range(1, most + 1):
            for key in group:
                self.names_shown[key] = n
            partners = self._partners(group)
            if self.options.add_givenname and self.options.givenname_rule == "by-cite" and any(partners.values()):
                saved = {k: dict(self.givens.get(k, {})) for k in group}
                self._add_givennames([k for k in group if partners[k]], shown=n)
                expanded = self._partners(group)
                if sum(expanded.values()) < sum(partners.values()):
                    partners = expanded
                else:
                    self.givens.update(saved)
            for key in group:
                if partners[key] < best[key]:
                    best[key] = partners[key]
                    chosen[key] = n
            if not any(partners.values()):
                break
        for key in group:
            if key in chosen:
                self.names_shown[key] = chosen[key]
            else:
                self.names_shown.pop(key, None)

    def _persons(self, key: str, primary: bool = False) -> list[tuple[str, str]]:
        ref = self.source[key]
        out = []
        for variable in ("author", "editor", "translator"):
            for n, name in enumerate(ref.get(variable, []) or []):
                if primary and n:
                    break
                if "literal" not in name and name.get("given"):
                    out.append((str(name.get("family", "")), str(name.get("given", ""))))
            if out:
                break
        return out

    def _add_givennames(self, group: list[str], shown: int | None = None) -> None:
        """``by-cite``: given names (initials first) are added name by name to the cites still alike; a name's
        given name is kept only where it makes a cite read like fewer others."""
        most = 1 if self.options.givenname_rule.endswith("with-initials") else 2
        primary = self.options.givenname_rule.startswith("primary")
        persons = {key: self._persons(key, primary)[:shown] if shown else self._persons(key, primary)
                   for key in group}
        current = sum(self._partners(group).values())
        for i in range(max((len(p) for p in persons.values()), default=0)):
            if not current:
                return
            for level in range(1, most + 1):
                partners = self._partners(group)
                if not any(partners.values()):
                    return
                saved = {k: dict(self.givens.get(k, {})) for k in group}
                for key in group:  # only the cites still alike: initials, then (if needed) the full given name
                    if i < len(persons[key]) and partners[key]:
                        levels = self.givens.setdefault(key, {})
                        levels[persons[key][i]] = max(levels.get(persons[key][i], 0), level)
                found = sum(self._partners(group).values())
                if found < current:
                    current = found
                else:
                    self.givens.update(saved)

    def _givennames_globally(self, keys: list[str]) -> None:
        """``all-names``, ``all-names-with-initials``, ``primary-name``, ``primary-name-with-initials``: a name
        shared (as printed) by different people gets its initials, or its given name when the initials are shared
        too, in every cite (CSL 1.0.2 "givenname-disambiguation-rule")."""
        rule = self.options.givenname_rule
        primary = rule.startswith("primary")
        most = 1 if rule.endswith("with-initials") else 2
        people: dict[str, dict[str, set[str]]] = {}  # family -> person (given, spacing aside) -> works
        originals: dict[str, str] = {}
        printed = {}  # people are told apart by the name as printed ("dos Santos" is not "Santos")
        for key in keys:
            for variable in ("author", "editor", "translator"):
                for name in self.source[key].get(variable, []) or []:
                    particle = name.get("non-dropping-particle")
                    if particle:
                        printed[(str(name.get("family", "")), str(name.get("given", "")))] = f"{particle} "
        for key in keys:
            for family, given in self._persons(key):
                family_key = printed.get((family, given), "") + family
                people.setdefault(family_key, {}).setdefault(_same_given(given), set()).add(key)
                originals.setdefault(_same_given(given), given)
        for key in keys:
            levels = self.givens.setdefault(key, {})
            for family, given in self._persons(key, primary):
                family_key = printed.get((family, given), "") + family
                # other people of that name in other works' cites (not in this one's own list of names)
                others = {o for o, works in people.get(family_key, {}).items()
                          if o != _same_given(given) and works - {key}}
                if not others:
                    continue
                initials = _initials(given)
                level = 1 if all(_initials(originals[o]) != initials for o in others) else 2
                if level > most and any(_initials(originals[o]) != initials for o in others):
                    level = most  # initials tell this name from some of the others: they are added
                if level <= most:  # with initials only, names that share them with all others are left as they are
                    levels[(family, given)] = level

    # -- bibliography -----------------------------------------------------------------------------------------
    def bibliography(self) -> list[str]:
        entries = self.style.render_bibliography(self.bib.items)
        return compat.postprocess_bibliography(self.style, [str(e) for e in entries])


class _Rendered:
    __slots__ = ("bare", "cite", "item", "joiner", "text")

    def __init__(self, cite: Mapping[str, Any], item: CitationItem, text: str):
        self.cite = cite
        self.item = item
        self.text = text
        self.bare = text  # without the names (collapsing)
        self.joiner: str | None = None  # set by collapsing: what comes before this cite


def _locator(cite: Mapping[str, Any]) -> tuple[str, str] | None:
    value = cite.get("locator")
    if value in (None, ""):
        return None
    return (cite.get("label") or "page", str(value))


_SC_TAGS = re.compile(r"<sc>(.*?)</sc>", re.S)
_OPENING = frozenset("([{‘“\"'«¿¡-/\u00a0")


def _affix(text: Any) -> str:
    """A cite's prefix or suffix as marked text: CSL-JSON rich text (``<i>``, ``<sc>``...), typographic quotes."""
    value = _SC_TAGS.sub(lambda m: markup.SC_ON + m.group(1) + markup.SC_OFF, str(text or ""))
    return typographic_apostrophes(markup.rich_to_marked(value)) if value else ""


def _affixed(p: _Rendered) -> str:
    prefix = _affix(p.cite.get("prefix"))
    suffix = _affix(p.cite.get("suffix"))
    if prefix and not prefix[-1].isspace() and prefix[-1] not in _OPENING:
        prefix += " "
    if suffix and suffix[:1].isalnum():
        suffix = " " + suffix
    return prefix + p.text + suffix


def _sentence_start(prefix: Any) -> bool:
    """Whether a cite after ``prefix`` opens a sentence: no prefix, or one of several words ending a sentence
    ("Caps after. ", not the abbreviation "Cf. ")."""
    text = str(prefix or "").strip()
    return not text or (text[-1] in ".!?" and len(text.split()) > 1)


def _capitalize_first(text: str, start: int = 0) -> str:
    for i in range(start, len(text)):
        if text[i].isalpha():
            return text[:i] + text[i].upper() + text[i + 1:]
    return text


def _same_given(given: str) -> str:
    return re.sub(r"[\s.]+", "", given).casefold()


def _initials(given: str) -> str:
    return "".join(part[:1] for part in re.split(r"[\s.\-]+", given) if part)


def _by_names(pieces: list[_Rendered]) -> list[list[_Rendered]]:
    """Consecutive cites (the citation's sort brings them together) that print the same names, grouped."""
    groups: list[list[_Rendered]] = []
    previous: str | None = None
    for p in pieces:
        found = _NAMES_SPAN.search(p.text)
        names = markup.strip_marks(found.group(1)) if found else ""
        if p.cite.get("suppress-author") or p.cite.get("author-only") or p.cite.get("prefix"):
            groups.append([p])
            previous = None
            continue
        if groups and names == previous:
            groups[-1].append(p)
        else:
            groups.append([p])
        previous = names
    return groups


def _collapse_numbers(pieces: list[_Rendered], numbers: Mapping[str, int]) -> list[list[_Rendered]]:
    """CSL ``collapse="citation-number"``: runs of three or more consecutive numbers become a range."""
    groups: list[list[_Rendered]] = []
    run: list[_Rendered] = []

    def flush() -> None:
        if len(run) >= 3:
            run[-1].joiner = "\u2013"
            groups.append([run[0], run[-1]])
        else:
            groups.extend([p] for p in run)
        run.clear()

    for p in pieces:
        number = numbers.get(p.item.key)
        plain = p.cite.get("prefix") or p.cite.get("suffix") or "locator" in p.item
        if run and not plain and number == numbers.get(run[-1].item.key, -9) + 1:
            run.append(p)
            continue
        flush()
        if plain:
            groups.append([p])
        else:
            run.append(p)
    flush()
    return groups


def _collapse_suffixes(group: list[_Rendered], suffixes: Mapping[str, str], opts: _Options) -> None:
    """``collapse="year-suffix"``: cites of the same year print only their suffix after the first
    (``2000a, b``); ``year-suffix-ranged`` makes runs of three or more a range (``2000a–c``)."""
    delimiter = opts.cite_group_delimiter or opts.year_suffix_delimiter or opts.delimiter
    if opts.year_suffix_delimiter is not None:
        delimiter = opts.year_suffix_delimiter
    runs: list[list[_Rendered]] = []
    previous: tuple[str, str] | None = None
    for p in group:
        letter = suffixes.get(p.item.key, "")
        plain = markup.strip_marks(p.bare)
        year = plain[:-len(letter)] if letter and plain.endswith(letter) and "locator" not in p.item else None
        if year is not None and previous is not None and year == previous[0]:
            p.text = letter
            p.joiner = delimiter
            if opts.collapse == "year-suffix-ranged" and ord(letter[-1]) == ord(previous[1][-1]) + 1:
                runs[-1].append(p)
            else:
                runs.append([p])
        else:
            runs.append([p])
        previous = (year, letter) if year is not None else None
    if opts.collapse == "year-suffix-ranged":
        for run in runs:
            if len(run) >= 3:
                for middle in run[1:-1]:
                    middle.text = ""
                    middle.joiner = ""
                run[-1].joiner = "\u2013"


_NAMES_SPAN = re.compile(re.escape(markup.NAMES_ON) + "(.*?)" + re.escape(markup.NAMES_OFF), re.S)
#: while a cite renders: (names shown, given-name levels, disambiguate condition true) for compat's names
_OVERRIDES: list[Any] = [None]
#: while a cite renders with suppress-author: its first cs:names prints nothing
_SUPPRESS = [False]
_DEPTH = [0]
_installed = False


def _install() -> None:
    """Position, disambiguate and suppress-author hooks on citeproc-py's classes (once)."""
    global _installed
    if _installed:
        return
    _installed = True
    from citeproc import model

    original_position = model.If._position

    def _position(self, item, context):
        position = item.get(_POSITION) if isinstance(item, dict) else None
        if position is None:
            return original_position(self, item, context)
        results = []
        for wanted in self.get("position").split():
            if wanted == _FIRST:
                results.append(position == _FIRST)
            elif wanted == _SUBSEQUENT:
                results.append(position != _FIRST)
            elif wanted == _IBID:
                results.append(position in (_IBID, _IBID_LOCATOR))
            elif wanted == _IBID_LOCATOR:
                results.append(position == _IBID_LOCATOR)
            elif wanted == "near-note":
                results.append(position != _FIRST and bool(item.get(_NEAR)))
            else:
                results.append(False)
        return results

    model.If._position = _position

    def _locator(self, item):  # labels are CSL terms ("sub-verbo"); citeproc-py compared them with spaces
        label = str(item.locator.label).replace(" ", "-") if item.has_locator else None
        return [label == var for var in self.get("locator").split()]

    model.If._locator = _locator

    original_numeric = model.If._is_numeric

    def _is_numeric(self, item):  # is-numeric="locator" tests the cite's locator (citeproc-py looked in the item)
        names = self.get("is-numeric").split()
        if "locator" not in names:
            return original_numeric(self, item)
        results = []
        for name in names:
            if name == "locator":
                results.append(item.has_locator and bool(_NUMERIC.fullmatch(str(item.locator.identifier))))
            else:
                self.set("is-numeric", name)
                try:
                    results += original_numeric(self, item)
                finally:
                    self.set("is-numeric", " ".join(names))
        return results

    model.If._is_numeric = _is_numeric

    original_render = model.If.render

    def if_render(self, item, context=None, delimiter="", **kwargs):
        if "disambiguate" not in self.attrib:
            return original_render(self, item, context=context, delimiter=delimiter, **kwargs)
        overrides = _OVERRIDES[0]
        wanted = (self.get("disambiguate") or "").lower() == "true"
        truth = bool(overrides and overrides[2])
        attrib = dict(self.attrib)
        del self.attrib["disambiguate"]
        try:
            if len(attrib) == 1 or self.get("match") is None or self.get("match") == "all":
                if truth != wanted:
                    raise model.ConditionFailed
                if len(attrib) == 1:
                    return self.render_children(item, context=context, delimiter=delimiter, **kwargs)
                return original_render(self, item, context=context, delimiter=delimiter, **kwargs)
            if self.get("match") == "any" and truth == wanted:
                return self.render_children(item, context=context, delimiter=delimiter, **kwargs)
            if self.get("match") == "none" and truth == wanted:
                raise model.ConditionFailed
            return original_render(self, item, context=context, delimiter=delimiter, **kwargs)
        finally:
            self.attrib["disambiguate"] = attrib["disambiguate"]

    model.If.render = if_render
    model.Else_If.render = if_render

    original_names = model.Names.process

    def names_process(self, item, *args, **kwargs):
        if not _SUPPRESS[0]:
            return original_names(self, item, *args, **kwargs)
        _DEPTH[0] += 1
        try:
            result = original_names(self, item, *args, **kwargs)
        finally:
            _DEPTH[0] -= 1
        if _DEPTH[0] == 0 and result is not None and str(result):
            _SUPPRESS[0] = False
            return None
        return result

    model.Names.process = names_process


def cite(entries: Iterable[Entry | Mapping[str, Any]], keys: Iterable[str | Mapping[str, Any]] | str,
         style: str | os.PathLike[str] = "apa", fmt: str = "text", *, locale: str | None = None,
         cache: bool | str | None = None) -> str:
    """One in-text citation of ``keys`` among ``entries``, numbered and disambiguated over all of them.

    ``keys``: entry keys (ids of CSL-JSON items), or CSL citation items (``{"id", "locator", "label", "prefix",
    "suffix", "suppress-author", "author-only"}``); note styles too.  For the citations of a whole document
    (positions such as ibid, disambiguation across it) use :class:`Citations`.  ``cache`` is accepted for
    compatibility with :func:`bibkit.format.render.cite` (citations are not cached).

    >>> from bibkit.model import Entry, Name, Date
    >>> e = Entry(key="k", type="book", title="T", author=[Name(family="Doe", given="J")], issued=Date(2000))
    >>> cite([e], [{"id": "k", "locator": "5"}], style="apa")
    '(Doe, 2000, p. 5)'
    """
    del cache
    cluster = [keys] if isinstance(keys, str) else list(keys)
    return Citations(entries, style, locale, fmt, register="all").cite(cluster)

