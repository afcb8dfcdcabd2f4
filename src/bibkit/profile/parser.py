"""The profile parser: a page in, entries with provenance and confidence out.

Pipeline: repair the text -> detect the format -> lines (with emphasis, links, list
structure) -> sections by heading -> units (list items, paragraphs) -> entries by the
role of each unit -> fields -> news items folded into the entries they announce ->
one entry per work.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..model import OUTSIDE_PUBLICATIONS, Entry, Problem, Provenance, ReadResult
from . import rx as re
from .fields import (
    QUOTE_RE,
    Parsed,
    _clean_venue,
    _tag_year,
    _year_of,
    author_prefix,
    is_fragment,
    line_is_authors,
    line_is_meta,
    looks_like_reference,
    parse_block,
)
from .frontend import front_end
from .lines import B_OFF, B_ON, I_OFF, I_ON, Line, strip_marks
from .names import clean_author_text, parse_name
from .normalise import coauthors_only
from .owner import detect_owner, is_owner, owner_from_heading, parse_owner
from .segment import Section, split_sections, units
from .venues import venue_type

#: the default parser engine
ENGINE = "learned"
#: how sure a unit must be, by section kind, to become an entry
THRESHOLDS = {"pub": 0.5, "year": 0.5, "unknown": 0.7, "soft": 0.7, "news": 0.8, "other": 0.85, "talks": 0.3}
#: below the threshold but at least this: reported as a warning
REPORT_AT = 0.5

NEWS_RE = re.compile(
    r"(?:paper|work|article|manuscript|submission|chapter|book|study|preprint)s?\b[^“\"”]{0,80}[“\"”]"
    r"([^“”\"]{8,400})[”\"“][^.]{0,60}?\b(?:has|have|was|were|is|are|got|gets|get|been|\s)*"
    r"(accepted|published|selected|conditionally accepted|awarded|nominated|to appear|presented|released|"
    r"received)", re.I)
NEWS_VENUE_RE = re.compile(r"(?:accepted|published|to appear|presented|selected)\s+(?:by|to|at|in|for|as)\s+"
                           r"(?:the\s+)?([^.;]{2,160})", re.I)


def parse_profile(text_or_path: str | os.PathLike[str], *, fmt: str | None = None,
                  owner: str | None = None, engine: str | None = None,
                  model: str | os.PathLike[str] | None = None) -> ReadResult:
    """Parse a publication list given as text, a file path or an http(s) URL.

    >>> res = parse_profile('''## Publications
    ... - **A. Bee**, C. Dee. Learning Things from Data. In NeurIPS 2023.
    ... - A. Bee. *A Study of Stuff*. Journal of Stuff, 2021.''')
    >>> for e in res:
    ...     print(e.type, e.year, e.author[0].family, e.title)
    paper-conference 2023 Bee Learning Things from Data
    article-journal 2021 Bee A Study of Stuff
    """
    source = "<string>"
    text: str
    if isinstance(text_or_path, os.PathLike) or (
            isinstance(text_or_path, str) and "\n" not in text_or_path and len(text_or_path) < 4096
            and (text_or_path.startswith(("http://", "https://")) or _is_file(text_or_path))):
        source = os.fspath(text_or_path)
        if source.startswith(("http://", "https://")):
            from ..fetch import fetch_text

            text = fetch_text(source)
        else:
            from ..fsio import read_text

            text = read_text(source)
    else:
        text = str(text_or_path)
    return parse_text(text, source, fmt=fmt, owner=owner, engine=engine, model=model)


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):
        return False


def parse_text(text: str, source: str = "<string>", *, fmt: str | None = None,
               owner: str | None = None, engine: str | None = None,
               model: str | os.PathLike[str] | None = None) -> ReadResult:
    """Parse the text of a page (``fmt``: html, latex, markdown, text or None to detect).

    ``engine`` is ``learned`` (the finder and tagger models; ``model``: a folder made by
    ``bibkit train -o``) or ``rules`` (the first design's hand-written rules)."""
    page = front_end(text, fmt, source)
    fmt, lines, raw_lines = page.fmt, page.lines, page.raw_lines
    result = ReadResult()
    owner_name = parse_owner(owner)
    engine = engine or ENGINE
    if engine == "learned":
        return _finish(_learned(lines, result, source, raw_lines, fmt, model), result, owner_name, fmt, source,
                       raw_lines)
    if engine != "rules":
        raise InputError(f"unknown parser engine {engine!r} (learned, rules)", source=source)
    found, news = rules_read(lines, result, source, raw_lines)
    for parsed, grp, _section in found:
        parsed.entry.provenance = [Provenance(source, grp[0].no, grp[-1].no,
                                              "\n".join(raw_lines[grp[0].no - 1:grp[-1].no]), fmt=fmt)]
    return _finish(([(p.entry, grp) for p, grp, _ in found], news), result, owner_name, fmt, source, raw_lines)


def rules_read(lines: list[Line], result: ReadResult, source: str = "<string>", raw_lines: list[str] | None = None,
               parses: dict[tuple[int, ...], Parsed] | None = None
               ) -> tuple[list[tuple[Parsed, list[Line], Section]], list[tuple[Entry, Line]]]:
    """The first design's rules over a page's lines: the blocks they read as entries (with
    the lines of each) and the news items. ``parses``, when given, receives every block they
    read with :func:`.fields.parse_block`'s defaults (no section hints), kept as an entry or not,
    by the ids of the lines given to it, so that the same block need not be read again."""
    if raw_lines is None:
        raw_lines = [""] * (max((ln.no for ln in lines), default=0) + 1)
    found: list[tuple[Parsed, list[Line], Section]] = []
    news: list[tuple[Entry, Line]] = []
    for section, body in split_sections(lines):
        for group in _groups(_drop_title_echoes(_isolate_references(_split_runs(units(body)), parses)), section):
            try:
                _read_group(group, section, found, news, result, source, raw_lines, parses)
            except Exception as exc:  # one bad block must not stop the page
                first = group[0].no if group else None
                msg = f"could not read this block ({exc.__class__.__name__})"
                result.problems.append(Problem(source, first, msg, "error",
                                               "\n".join(strip_marks(ln.text) for ln in group)))
    return found, news


def _learned(lines: list[Line], result: ReadResult, source: str, raw_lines: list[str], fmt: str,
             model: str | os.PathLike[str] | None):
    from .pipeline import Models, read_lines

    return read_lines(lines, result, source, raw_lines, fmt, Models.from_path(model))


def _finish(read: tuple[list[tuple[Entry, list[Line]]], list[tuple[Entry, Line]]], result: ReadResult,
            owner_name, fmt: str, source: str, raw_lines: list[str]) -> ReadResult:
    """Owner, news folded into the works they name, one entry per work."""
    found, news = read
    bold_re = re.compile(f"{B_ON}([^{B_OFF}]{{1,80}}){B_OFF}")
    bold = [strip_marks(m) for _, grp in found for ln in grp for m in bold_re.findall(ln.text)]
    if owner_name is None:
        owner_name = detect_owner(bold, [e.author for e, _ in found])
    # "(with X and Y)": a CV that leaves its owner implicit (the heading names them when no bold does)
    with_owner = [coauthors_only(" ".join(strip_marks(ln.text) for ln in grp), e.author) for e, grp in found]
    if owner_name is None and any(with_owner):
        owner_name = owner_from_heading(raw_lines)
    entries = []
    for (e, _grp), implicit in zip(found, with_owner, strict=True):
        if owner_name is not None and implicit and not any(is_owner(n, owner_name) for n in e.author):
            e.author = [owner_name, *e.author]
        if owner_name is not None and any(is_owner(n, owner_name) for n in e.author):
            e.confidence = round(min(1.0, (e.confidence or 0) + 0.05), 2)
        entries.append(e)
    entries = _merge_news(entries, news, source, raw_lines, fmt)
    result.entries = _collapse(entries)
    result.problems.sort(key=lambda p: p.line or 0)
    return result


# -- grouping units into entries -------------------------------------------------------
_NON_ALNUM = re.compile(r"[\W_]+")
_REF_START = re.compile(r"^\s*(?:[\"“„]|\(?(?:19|20)\d\d\)?\s*[—–:.\-]|\[\d{1,3}\])")


#: a bracketed label starting a line ("[Globecom21]", "[J3]", "[ICC 2020]")
_TAG_START = re.compile(r"\[[^\[\]\n]{1,30}\]\s*(?=\S)")


def _starts_reference(line: Line) -> bool:
    """Whether a wrapped line can begin a new reference: an author list followed by a
    year, a quote or a title, or an opening quote / year / [n] marker."""
    text = strip_marks(line.text).lstrip()
    if _REF_START.match(text):
        return True
    tag = _TAG_START.match(text)
    if tag:
        text = text[tag.end():]  # "[CCNC 22] A. Bee, C. Dee, ...": a label, then the reference
    names, end = author_prefix(text[:300])
    if not names:
        return False
    rest = text[end:end + 12].lstrip(" ,.:")
    return bool(re.match(r"\(?(?:1[89]|20)\d\d|[\"“„]|[A-Z]", rest)) or not rest


#: "Kingma, D. P., & Ba, J." then "(2015). Adam: ...": the year line goes on the same reference
_AUTHORS_END = re.compile(r"(?:\b[A-Z]\.|\bet al\.)$")
_YEAR_NEXT = re.compile(r"\(?(?:1[89]|20)\d\d[a-z]?\)?[.,]")


#: "... Appl. Phys. Lett. 91, 093110 (2007);": a year and a semicolon end one reference of a run
_OPEN_QUOTES = frozenset('"“„')
_YEAR_SEMICOLON = re.compile(r"(?:1[89]|20)\d\d[a-z]?\)?;$")


#: what ends an entry's venue line: a year or an identifier
_ENDS_ENTRY_RE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|\b10\.\d{4,9}/|arxiv", re.I)


#: a venue line's end that says the work is not out yet ("Nat. Commun. submitted", "Phys. Rev. B, in press")
_VENUE_END_RE = re.compile(r"\b(?:submitted|in press|to appear|accepted|under review|in review|in preparation)\W*$",
                           re.I)


def _authors_first(unit: list[Line]) -> bool:
    """Whether a paragraph's entries are laid out author line first (after any heading-like lines):
    "A. Bee, C. Dee:" / title / venue, then the next entry's author line, with no blank line between."""
    for ln in unit[:4]:
        if line_is_authors(ln):
            return True
        if not line_is_meta(ln):
            return False
    return False


def _split_runs(us: list[list[Line]]) -> list[list[Line]]:
    """Split paragraphs of wrapped references with no blank lines between them (text from
    PDFs): a new reference starts after a line that ends a sentence when the next line
    starts like a reference."""
    out: list[list[Line]] = []
    for unit in us:
        if len(unit) == 2 and unit[0].bullet is None and unit[1].bullet is None and \
                not any(ln.heading for ln in unit) and \
                strip_marks(unit[0].text).rstrip().endswith((".", ")", "”", '"')) and \
                all(looks_like_reference(ln) and not line_is_authors(ln) for ln in unit) and \
                len(strip_marks(unit[0].text).split()) >= 8 and _starts_reference(unit[1]):
            out.extend([[unit[0]], [unit[1]]])  # two whole references on two lines ("<br><br>" between)
            continue
        if len(unit) >= 4 and unit[0].bullet is not None and not any(ln.heading for ln in unit) and \
                not looks_like_reference(unit[0]) and all(ln.bullet is None for ln in unit[1:]) and \
                _starts_reference(unit[1]) and sum(map(_starts_reference, unit[2:])) >= 2:
            # "5. References Cited" (a numbered heading) over wrapped references: the label is not an entry
            out.append([unit[0]])
            unit = unit[1:]
        if len(unit) < 3 or unit[0].bullet is not None or any(ln.heading for ln in unit):
            out.append(unit)
            continue
        cur = [unit[0]]
        authors_first = _authors_first(unit)
        tagged = sum(bool(_TAG_START.match(ln.plain.lstrip())) for ln in unit) >= 2
        # '“Title,” A. Bee, C. Dee, Journal 3, 12 (2007);' wrapped: only an opening quote starts a reference
        # (a wrapped author list's next line starts with a name after an initial's period)
        quoted = sum(ln.plain.lstrip()[:1] in _OPEN_QUOTES for ln in unit) >= 2
        for prev, ln in itertools.pairwise(unit):
            end = strip_marks(prev.text).rstrip()
            if authors_first and ln.bullet is None and line_is_authors(ln) and not line_is_authors(prev) and \
                    (_ENDS_ENTRY_RE.search(prev.plain[:600]) or _VENUE_END_RE.search(prev.plain[-40:])):
                out.append(cur)  # "A. Bee, C. Dee:" / title / "Journal 3, 12 (2021), arXiv:..." (or "J. submitted") /
                #                  "E. Eff:" ...
                cur = [ln]
                continue
            if tagged and ln.bullet is None and _TAG_START.match(ln.plain.lstrip()) and _starts_reference(ln):
                out.append(cur)  # one "[TAG] Authors, Title, ..." reference per line, whatever ends the line
                cur = [ln]
                continue
            if (end.endswith((".", ")", "”", '"', "?", "!")) or _YEAR_SEMICOLON.search(end[-8:])) and \
                    ln.bullet is None and _starts_reference(ln) and \
                    (not quoted or ln.plain.lstrip()[:1] in _OPEN_QUOTES) \
                    and not (_AUTHORS_END.search(end[-12:]) and _YEAR_NEXT.match(strip_marks(ln.text).lstrip())):
                out.append(cur)
                cur = [ln]
            else:
                cur.append(ln)
        out.append(cur)
    return out

def _whole_reference(line: Line, parses: dict[tuple[int, ...], Parsed] | None = None) -> str:
    """The title of a line that is a complete reference by itself (authors, a title, a venue or
    publisher, a year: "Ernest Freeberg, A Traitor to His Species (Basic Books, 2020)"), else ""."""
    if line.bullet is not None or line.heading or not line.plain.rstrip().endswith((".", ")", "]", "”", '"')) or \
            not looks_like_reference(line):
        return ""  # (a reference broken over lines does not end on its first line)
    parsed = parse_block([line])
    if parses is not None:
        parses[(id(line),)] = parsed
    e = parsed.entry
    ok = bool(e.author and e.title and len(e.title.split()) >= 2 and e.year and
              (e.container_title or e.publisher) and (e.confidence or 0) >= 0.8)
    return (e.title or "") if ok else ""


def _caption(line: Line, title: str) -> bool:
    """A line over a reference that names its title ("Cover of X's book, Plutopia", "Book cover: Title")."""
    head = re.split(r"[:?!.]", title, maxsplit=1)[0].strip()
    words = head.split()[:4]
    if not words or line.urls or line.bullet is not None or line.heading or len(line.plain.split()) > 25:
        return False
    return " ".join(words).casefold() in " ".join(line.plain.split()).casefold()


def _prose(line: Line) -> bool:
    """A line of running text beside a reference in one paragraph: a blurb, an image caption."""
    if line.urls or line.bullet is not None or line.heading:
        return False
    return not (len(line.plain.split()) < 6 or line_is_authors(line) or line_is_meta(line) or is_fragment(line))


def _isolate_references(us: list[list[Line]], parses: dict[tuple[int, ...], Parsed] | None = None
                        ) -> list[list[Line]]:
    """A paragraph holding a whole one-line reference between prose lines (a book with its blurb
    under it, an image caption over it) is split so the reference stands alone."""
    out: list[list[Line]] = []
    for unit in us:
        if len(unit) < 2 or len(unit) > 40 or any(ln.bullet is not None or ln.heading for ln in unit):
            out.append(unit)
            continue
        refs = [_whole_reference(ln, parses) for ln in unit]
        if not any(refs) or not all(r or _prose(ln) or (k + 1 < len(unit) and refs[k + 1] and
                                                         _caption(ln, refs[k + 1]))
                                    for k, (r, ln) in enumerate(zip(refs, unit, strict=True))):
            out.append(unit)
            continue
        cur: list[Line] = []
        for r, ln in zip(refs, unit, strict=True):
            if r:
                if cur:
                    out.append(cur)
                out.append([ln])
                cur = []
            else:
                cur.append(ln)
        if cur:
            out.append(cur)
    return out


def _drop_title_echoes(us: list[list[Line]]) -> list[list[Line]]:
    """A one-line unit that only repeats the start of the next unit (a title printed as a heading over
    the numbered entry that begins with it, patent and report lists) is not an entry of its own."""
    out: list[list[Line]] = []
    for k, unit in enumerate(us):
        nxt = us[k + 1] if k + 1 < len(us) else None
        if nxt and len(unit) == 1 and _echoes(unit[0], nxt[0]):
            continue
        if len(unit) >= 2 and _echoes(unit[0], unit[1]):
            unit = unit[1:]  # the heading line and its entry in one paragraph
        out.append(unit)
    return out


def _echoes(line: Line, nxt: Line) -> bool:
    """Whether ``line`` (no list item, at least four words) is repeated at the start of ``nxt``."""
    if line.bullet is not None or line.urls or line.heading:
        return False
    head = " ".join(line.plain.split()).casefold().rstrip(" .")
    body = " ".join(nxt.plain.split()).casefold()
    return len(head.split()) >= 4 and len(body) > len(head) + 10 and head in body[:len(head) + 40]


def _role(unit: list[Line]) -> str:
    ln = unit[0]
    head = ln.text[:400]
    if len(head) > 40 and len(_NON_ALNUM.sub("", head)) < 0.25 * len(head):
        return "meta"  # punctuation and symbols
    if ln.bullet is not None and not ln.heading:
        # a list item is an entry unless it is only authors or a fragment (link, label, date)
        if len(unit) == 1 and line_is_authors(ln):
            return "authors"
        if all(is_fragment(x) for x in unit):
            return "meta"
        if len(unit) > 1:
            return "item"
        plain = strip_marks(ln.text)
        if plain.count(",") >= 2 and len(plain.split()) >= 12:
            return "item"  # long enough to be a whole reference: no need to look closer
        return "item" if looks_like_reference(ln) else "title"
    if len(unit) > 1:
        if not any(line_is_authors(x) for x in unit) and all(line_is_meta(x) for x in unit) and \
                not (ln.bullet is None and looks_like_reference(ln) and len(strip_marks(ln.text).split()) >= 6):
            return "meta"
        return "item"
    if ln.heading:
        return "title"
    if line_is_authors(ln):
        return "authors"
    if _short_reference(ln):
        return "line"
    first = _YEAR_FIRST_RE.match(ln.plain)
    if first and (len(ln.plain.split()) >= 8 or ln.plain.count(". ", first.end()) >= 2):
        return "line"  # "2009.  Title. Journal. 5:284-320.": a whole reference led by its year, not a date line
    if line_is_meta(ln):
        return "meta"
    return "line"


_YEAR_FIRST_RE = re.compile(r"\s*\(?(?:1[89]|20)\d\d[a-z]?\)?[.:]\s+[^\W\d_]")


_SHORT_YEAR_RE = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")


def _short_reference(line: Line) -> bool:
    """A short whole reference that would pass for a venue/date line by its length ("Blanchard, Olivier.
    Macroeconomics. Pearson, 2017."): an author list closed by a period, then a title and a year."""
    plain = " ".join(line.plain.split())
    if line.bullet is not None or len(plain.split()) > 10 or not _SHORT_YEAR_RE.search(plain):
        return False
    names, end = author_prefix(plain[:200])
    if not names or plain[end - 1:end] != "." or not all(n.is_others or n.given for n in names):
        return False
    rest = plain[end:].strip()
    return len(rest.split()) >= 2 and rest[:1].isupper() and bool(_SHORT_YEAR_RE.search(rest))


def _groups(us: list[list[Line]], section: Section) -> Iterator[list[Line]]:
    """Units -> candidate entries.  A unit that is a whole reference stands alone; title,
    author and venue/date units are gathered into one entry."""
    cur: list[Line] = []
    has_title = has_authors = has_meta = False
    for unit in us:
        role = _role(unit)
        if role == "line":
            # a full reference on one line, or a bare title
            role = "item" if looks_like_reference(unit[0]) else "title"
            if role == "title" and cur and has_title and not has_authors and not has_meta and \
                    not strip_marks(cur[-1].text).rstrip().endswith((".", "?", "!")) and \
                    (len(strip_marks(unit[0].text).split()) <= 6 or strip_marks(unit[0].text)[:1].islower()):
                cur.extend(unit)  # a title broken over two lines
                continue
        if role == "item":
            if cur:
                yield cur
            cur = list(unit)
            has_title, has_authors, has_meta = True, True, True
            continue
        if role == "title":
            if cur and has_title and not has_authors and not has_meta and unit[0].heading == 0 and \
                    unit[0].bullet is None and \
                    not strip_marks(cur[-1].text).rstrip().endswith((".", "?", "!")) and \
                    len(strip_marks(unit[0].text).split()) <= 6:
                cur.extend(unit)
                continue
            if cur:
                yield cur
            cur = list(unit)
            has_title, has_authors, has_meta = True, False, False
            continue
        if role == "authors":
            if cur and not has_authors:
                cur.extend(unit)
                has_authors = True
                continue
            if cur:
                yield cur
            cur = list(unit)
            has_title, has_authors, has_meta = False, True, False
            continue
        # meta
        if cur:
            cur.extend(unit)
            has_meta = True
        else:
            cur = list(unit)
            has_meta = True
    if cur:
        yield cur


def news_entry(group: list[Line], source: str, raw_lines: list[str]) -> Entry | None:
    """The work a news item names ("Our paper “X” was accepted to Y 2024!"), or None."""
    text = " ".join(strip_marks(ln.text) for ln in group)
    m = NEWS_RE.search(text[:3000])
    if not m:
        return None
    title = m.group(1).strip().strip(".,").strip()
    e = Entry(title=title)
    vm = NEWS_VENUE_RE.search(text[m.start():m.start() + 1500])
    if vm:
        venue_text = vm.group(1)
        ty = _tag_year(venue_text)
        venue = _clean_venue(re.split(r",\s", venue_text)[0])
        if venue:
            e.container_title = venue
            e.type = venue_type(venue) or "paper-conference"
        year = (ty[1] if ty else None) or _year_of(venue_text)
        if year:
            from ..model import Date

            e.issued = Date(year)
    if m.group(2).lower().startswith(("accepted", "conditionally", "to appear")):
        e.status = "accepted"
    e.confidence = 0.6
    raw = "\n".join(raw_lines[group[0].no - 1:group[-1].no])
    e.provenance = [Provenance(source, group[0].no, group[-1].no, raw, fmt="news")]
    return e


def _read_group(group: list[Line], section: Section, found: list, news: list, result: ReadResult, source: str,
                raw_lines: list[str], parses: dict[tuple[int, ...], Parsed] | None = None) -> None:
    text = " ".join(strip_marks(ln.text) for ln in group)
    head = text[:2000]
    if len(head) > 40 and len(_NON_ALNUM.sub("", head)) < 0.25 * len(head):
        return  # punctuation and symbols, not text
    if not any(line_is_authors(ln) for ln in group):
        n = news_entry(group, source, raw_lines)
        if n is not None:
            news.append((n, group[0]))
            return
    remarks = [ln for ln in group if is_remark_line(ln.plain)]
    if remarks:  # "Besprochen von X, in: NJW 1997, S. 2507" under a book: a note, not part of the reference
        if remarks[0] is group[0]:
            snippet = re.sub(r"\s+", " ", text).strip()[:100]
            result.problems.append(Problem(source, group[0].no, f"not read as an entry: a remark line: {snippet}",
                                           "warning", "\n".join(raw_lines[group[0].no - 1:group[-1].no])))
            return
        group = [ln for ln in group if ln not in remarks]
    force = "speech" if section.kind == "talks" else None
    cites = [ln for ln in group if _CITATION_RE.match(ln.plain)] if len(group) > 1 else []
    main = [ln for ln in group if ln not in cites] if cites else group
    parsed = parse_block(main, section.type_hint, section.status_hint, section.year_hint, force_type=force)
    if cites:
        _fill_from_citation(parsed, cites[0], section, force)
    elif parses is not None and section.type_hint is None and section.status_hint is None and \
            section.year_hint is None and force is None:
        parses[tuple(id(ln) for ln in main)] = parsed  # what parse_block(main) gives (only its note may change below)
    threshold = THRESHOLDS.get(section.kind, 0.7)
    ok = parsed.score >= threshold or (
        section.kind in ("pub", "year", "talks") and parsed.score >= 0.35
        and parsed.title_source in ("emphasis", "heading", "quote"))
    if ok and parsed.entry.title and not parsed.entry.author and _NOTE_RE.search(text[:300]):
        ok = False  # "Names of my students are marked with ‡": a remark about the list
    if ok and parsed.entry.title:
        if remarks:
            notes = [parsed.entry.note] if parsed.entry.note else []
            parsed.entry.note = "; ".join(notes + [" ".join(ln.plain.split()) for ln in remarks])
        found.append((parsed, group, section))
        return
    if _reference_like(parsed, text, section) or _has_reference_cue(group, text):
        where = f"in section '{section.title}'" if section.title else "outside any publication section"
        why = ", ".join(parsed.reasons) or f"confidence {parsed.score:.2f} below {threshold:.2f} {where}"
        if section.kind == "talks":
            why = f"talk {where}"
        elif parsed.reasons:
            why += f" ({where})"
        snippet = re.sub(r"\s+", " ", text).strip()[:100]
        outside = OUTSIDE_PUBLICATIONS if section.kind in ("other", "soft", "news") else None
        result.problems.append(Problem(source, group[0].no, f"not read as an entry: {why}: {snippet}", "warning",
                                       "\n".join(raw_lines[group[0].no - 1:group[-1].no]), outside))


@cache
def _remark_starts() -> tuple[str, ...]:
    text = resources.files("bibkit.data").joinpath("remark_lines.txt").read_text(encoding="utf-8")
    return tuple(ln.strip().casefold() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def is_remark_line(plain: str) -> bool:
    """A line that only remarks on the entry above it: a review of it, a cross-reference (data/remark_lines.txt).

    >>> is_remark_line("Besprochen von Peter Hahn, in: AcP 205 (2005), S. 601"), is_remark_line("Vgl. Title")
    (True, True)
    """
    low = " ".join(plain.split()[:4]).casefold()
    return any(low.startswith(p) and (len(low) == len(p) or low[len(p)] == " " or p.endswith((".", ":")))
               for p in _remark_starts())


#: "Recommended citation: He, K., ... (2016). "Title." Venue." under an entry (academicpages): the same work
_CITATION_RE = re.compile(r"^\W{0,3}(?:recommended |suggested |full )?(?:citation|cite as|reference)\s?:\s*\S", re.I)


def _fill_from_citation(parsed: Parsed, line: Line, section: Section, force: str | None) -> None:
    """Complete an entry with the citation line printed under it (authors, year, venue), never
    a second entry; when the entry itself has no title the citation is the entry."""
    m = _CITATION_RE.match(line.plain)
    cut = line.text.find(":")
    cline = Line(line.no, line.text[cut + 1:].strip(), 0, "-", 0, list(line.urls))
    cited = parse_block([cline], section.type_hint, section.status_hint, section.year_hint, force_type=force)
    if not m or not cited.entry.title:
        return
    e, c = parsed.entry, cited.entry
    if not e.title:
        parsed.entry, parsed.score = c, max(parsed.score, cited.score)
        parsed.title_source = cited.title_source
        return
    if title_key(e.title) != title_key(c.title) and not (
            title_key(c.title).startswith(title_key(e.title)) or title_key(e.title).startswith(title_key(c.title))):
        return
    if not e.author and c.author:
        e.author = c.author
        parsed.score = max(parsed.score, cited.score)
    for attr in ("issued", "container_title", "volume", "issue", "page", "publisher", "doi"):
        if not getattr(e, attr) and getattr(c, attr):
            setattr(e, attr, getattr(c, attr))


_NOTE_RE = re.compile(r"\b(?:in bold|marked with|denotes?|indicates?|equal contribution|corresponding author|"
                      r"see also|google scholar|my students|underlined|for a (?:full|complete) list|"
                      r"students? (?:are|is) )", re.I)
_PROSE_RE = re.compile(r"\b(?:I|I'm|I am|we|We|my|My|our|Our|you|You|your|please|Please)\b")


_EMPH_RE = re.compile(f"[{B_ON}{I_ON}]([^{B_OFF}{I_OFF}]{{4,400}})[{B_OFF}{I_OFF}]")
_CUE_YEAR_RE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


def _has_reference_cue(group: list[Line], text: str) -> bool:
    """A year in a sentence of some length, or a quoted or emphasised run of words: such an item
    is reported when it does not become an entry (nothing reference-like vanishes silently)."""
    head = text[:1000]
    if QUOTE_RE.search(head):
        return True
    if _CUE_YEAR_RE.search(head) and len(head.split()) >= 4:
        return True
    return any(len(m.split()) >= 3 for ln in group for m in _EMPH_RE.findall(ln.text[:1000]))


def _reference_like(parsed: Parsed, text: str, section: Section) -> bool:
    """Whether a unit that did not become an entry still looks like a reference (then it
    is reported, never dropped silently)."""
    e = parsed.entry
    if not e.title:
        return bool(e.author) and bool(e.container_title or e.year) and section.kind in ("pub", "year")
    if _PROSE_RE.search(text[:200]) and not e.author:
        return False
    if section.kind in ("pub", "year", "talks"):
        return parsed.score >= 0.3
    if e.doi or e.arxiv or e.isbn:
        return True
    venue = bool(e.container_title or e.publisher)
    if e.author:
        return venue or bool(e.year)
    return parsed.title_source == "quote" and venue and bool(e.year) and parsed.score >= REPORT_AT


# -- news and duplicates -----------------------------------------------------------------
def title_key(title: str | None) -> str:
    return re.sub(r"[^\w]+", "", (title or "").casefold())


def _merge_news(entries: list[Entry], news: list[tuple[Entry, Line]], source: str, raw_lines: list[str],
                fmt: str) -> list[Entry]:
    by_key = {title_key(e.title): e for e in entries if e.title}
    out = list(entries)
    for n, _line in news:
        k = title_key(n.title)
        target = by_key.get(k) or _fuzzy(by_key, k) or _prefix(by_key, n.title or "")
        if target is not None:
            target.provenance.extend(n.provenance)
            for attr in ("container_title", "issued"):
                if not getattr(target, attr) and getattr(n, attr):
                    setattr(target, attr, getattr(n, attr))
            continue
        by_key[k] = n
        out.append(n)
    return out


def _prefix(by_key: dict[str, Entry], title: str) -> Entry | None:
    """A listed work whose title starts with the short title a news item quotes
    ("Tablet Fatigue" -> "Tablet Fatigue: Why Older Adults ...")."""
    k = title_key(title)
    if len(k) < 6:
        return None
    for key, e in by_key.items():
        if key.startswith(k) and re.match(re.escape(title.strip()) + r"\s*[:\-–—]", e.title or "", re.I):
            return e
    return None


def _fuzzy(by_key: dict[str, Entry], k: str) -> Entry | None:
    if len(k) < 12:
        return None
    from rapidfuzz import fuzz, process

    hit = process.extractOne(k, list(by_key), scorer=fuzz.ratio, score_cutoff=92)
    return by_key[hit[0]] if hit else None


def _collapse(entries: list[Entry]) -> list[Entry]:
    """One entry per work within a page (same title): the most confident one, completed
    with what the others add; every occurrence kept in the provenance."""
    out: list[Entry] = []
    seen: dict[str, Entry] = {}
    ends: dict[str, list[str]] = {}
    for e in entries:
        k = title_key(e.title) + ("#talk" if e.type == "speech" else "")
        if k not in seen and len(k) >= 30:
            k = _contained(seen, ends, k, e)
            ends.setdefault("<" + k[:30], []).append(k)
            ends.setdefault(">" + k[-30:], []).append(k)
        while k in seen and _distinct_works(seen[k], e):
            k += "#"  # same title, another work ("Deep learning": LeCun 2015 vs Goodfellow 2016)
        if len(k) < 8 or k not in seen:
            if len(k) >= 8:
                seen[k] = e
            out.append(e)
            continue
        keep = seen[k]
        other = e
        if (e.confidence or 0) > (keep.confidence or 0):
            idx = out.index(keep)
            e.provenance = keep.provenance + e.provenance
            keep, other = e, keep
            out[idx] = keep
            seen[k] = keep
        else:
            keep.provenance.extend(other.provenance)
        for attr in ("container_title", "issued", "doi", "url", "arxiv", "publisher", "note"):
            if not getattr(keep, attr) and getattr(other, attr):
                setattr(keep, attr, getattr(other, attr))
        if not keep.author and other.author:
            keep.author = other.author
    out.sort(key=lambda e: (e.provenance[0].line_start or 0) if e.provenance else 0)
    return out


def _contained(seen: dict[str, Entry], ends: dict[str, list[str]], k: str, e: Entry) -> str:
    """The key of a listed work whose title starts or ends this one, or is started or ended by
    it, with room for what a second listing adds or cuts ("Title. (CCF-A Conference)", "Venue'24
    Title"): at least two thirds of the longer title shared. ``ends`` indexes the keys by their
    first and last 30 characters (so a page of n entries costs n look-ups, not n x n)."""
    for key in ends.get("<" + k[:30], []) + ends.get(">" + k[-30:], []):
        other = seen.get(key)
        if other is None:
            continue
        short, long_ = (key, k) if len(key) <= len(k) else (k, key)
        if (long_.startswith(short) or long_.endswith(short)) and 3 * len(short) >= 2 * len(long_) \
                and not _distinct_works(other, e):
            return key
    return k


def _first_family(e: Entry) -> str:
    for n in e.author:
        if not n.is_others:
            return re.sub(r"[\W\d_]+", "", ((n.particle or "") + (n.family or n.literal or "")).casefold())
    return ""


def _preprint(e: Entry) -> bool:
    return e.type in ("article", "manuscript") or e.status in ("preprint", "submitted", "under-review") or \
        bool(e.arxiv) or "arxiv" in (e.container_title or "").casefold()


def _distinct_works(a: Entry, b: Entry) -> bool:
    """Two entries with the same title that are different works: other first authors, or
    other years where neither is a preprint of the other (a recurring column, a reprint)."""
    if a.type == b.type == "patent" and a.number and b.number and a.number != b.number:
        return True  # one title, two patent applications (WO 2009001127 / WO 2009001129)
    fa, fb = _first_family(a), _first_family(b)
    if fa and fb and fa != fb and not (fa.endswith(fb) or fb.endswith(fa)):
        return True
    return bool(a.year and b.year and a.year != b.year and not _preprint(a) and not _preprint(b))


def owner_from_page(text: str) -> str | None:  # pragma: no cover - kept for API symmetry
    names = [parse_name(clean_author_text(t)) for t in re.findall(r"\*\*([^*\n]{3,60})\*\*", text[:200000])]
    return names[0].display() if names and names[0] else None


__all__ = ["QUOTE_RE", "parse_profile", "parse_text"]
