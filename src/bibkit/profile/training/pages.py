r"""Line-labelled pages for the finder (the line model), and bibkit's ``.ttx`` format.

A :class:`LabelledPage` is a page as the front end sees it (its :class:`~..lines.Line`
objects) with one label per line (:data:`LINE_LABELS`).

The ``.ttx`` format follows AnyStyle's finder format: a label column, ``|``, the line.
bibkit's variant writes each :class:`~..lines.Line` with its cues, Markdown-like, so that
reading gives back the same ``Line`` objects::

    #page examples/homepage.md
    heading       | # Publications
    blank         |
    ref-start     | - **A. Bee**, *A Title*. In [Proc. X](https://x.org/p), 2020.
    ref-continue  |   Our abstract, on a line of its own.
    ref-start     | - C. Dee. Another title. 2021.
    other  @40    | [Home](/index.html)

Label column
    The label; an empty column continues the label above, except that the lines after a
    ``ref-start`` or ``ref-continue`` continue the *entry* (``ref-continue``), as AnyStyle's
    ``ref`` blocks do.  ``@N`` gives the line's source line number when it is not the one
    after the line above (the first line is line 1).
Line
    Indentation as leading spaces; a heading's level as leading ``#``'s; the bullet
    (``-``, ``12.``, ``[3]``, ``\item``, ``\bibitem``...) then one space; then the text:
    bold ``**..**``, italic ``*..*``, link text ``[..](url)`` (``[..]()`` for a link
    without a URL), a URL shown as text and collected as a link ``<url>``.  ``\`` escapes
    the next character; ``\u{e000}`` is a character by its code; ``\urls[...]`` at the end
    of a line lists (JSON) URLs not written inline.  The writer uses the plainest form that
    reads back exactly.
Pages
    ``#page SOURCE`` starts a page; other lines starting with ``#`` and without ``|`` are
    comments.

:func:`read_anystyle_ttx` reads AnyStyle's own finder files (labels ``title``, ``text``,
``ref``, ``blank``, ``meta``) into the same model; see :func:`split_refs` for how a ``ref``
block is cut into references.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from ..lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, Line
from ..repair import repair_text

#: the finder's line labels
LINE_LABELS = ("heading", "ref-start", "ref-continue", "news", "other", "blank")
_REF = ("ref-start", "ref-continue")
_WIDTH = 14  # the label column, as AnyStyle pads it


@dataclass
class LabelledPage:
    """A page's lines and one label per line."""

    lines: list[Line]
    labels: list[str]
    source: str = ""

    def __post_init__(self) -> None:
        if len(self.lines) != len(self.labels):
            raise ValueError(f"{self.source}: {len(self.lines)} lines but {len(self.labels)} labels")

    def entries(self) -> list[list[Line]]:
        """The lines of each entry (a ``ref-start`` line and the ``ref-continue`` lines after it)."""
        out: list[list[Line]] = []
        for ln, lab in zip(self.lines, self.labels, strict=True):
            if lab == "ref-start":
                out.append([ln])
            elif lab == "ref-continue" and out:
                out[-1].append(ln)
        return out


def page_lines(text: str, fmt: str) -> list[Line]:
    """The parser's front end on a page's text (:func:`..frontend.front_end`)."""
    from ..frontend import front_end

    return front_end(text, fmt).lines


# -- serialising one Line ---------------------------------------------------------------------
_BULLET_TOKEN = re.compile(r"(?:[-*+•·▪◦‣∙●○■□►▸–—]|\d{1,6}[.)]|\(\d{1,6}\)|\[\d{1,6}\]|[a-z][.)])(?= |$)")
_WORD_BULLET = re.compile(r"\\([a-z]{1,20}) ")
_ODD_BULLET = re.compile(r"\\bullet\{([^{}\n]{0,80})\} ")
_HEADING = re.compile(r"(#{1,6})(?: |$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,20}:[^\s<>]{1,2000})>")
_CODE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")
_URL_TAIL = re.compile(r"\\urls\[")
_SPECIAL = set("\\*[]()<>")
_MARK_CODE = {B_ON: "b", B_OFF: "b", I_ON: "i", I_OFF: "i"}


def _char(c: str, escape_all: bool) -> str:
    """One literal character of the text."""
    if c in "\\*" or (escape_all and c in _SPECIAL):
        return "\\" + c
    if not c.isprintable() or "\ue000" <= c <= "\uf8ff":
        return f"\\u{{{ord(c):x}}}"
    return c


def _body(line: Line, *, escape_all: bool, inline_urls: bool, raw_marks: bool) -> str:
    """The text part of a line; ``""`` when it cannot be written in this form."""
    text = line.text
    urls = list(line.urls) if inline_urls else []
    k = 0  # next URL to place
    out: list[str] = []
    bold = ital = False
    links = 0  # links opened with "["
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if not links and k < len(urls) and urls[k] and text.startswith(urls[k], i) \
                and _AUTOLINK.fullmatch(f"<{urls[k]}>"):
            out.append(f"<{urls[k]}>")
            i += len(urls[k])
            k += 1
            continue
        if raw_marks:
            out.append(_char(c, escape_all))
        elif (c == B_ON and not bold) or (c == B_OFF and bold):
            out.append("**")
            bold = not bold
        elif (c == I_ON and not ital) or (c == I_OFF and ital):
            out.append("*")
            ital = not ital
        elif c == L_ON and _closes(text, i):
            out.append("[")
            links += 1
        elif c == L_OFF and links:
            links -= 1
            url = ""
            if not links and k < len(urls) and urls[k] not in text[i:]:
                url, k = urls[k], k + 1
            if re.search(r"[\s()<>\\]", url):
                if re.search(r"[\s<>]", url):
                    return ""
                url = f"<{url}>"
            out.append(f"]({url})")
        else:
            out.append(_char(c, escape_all))
        i += 1
    body = "".join(out)
    if body[:1] in (" ", "#") or _BULLET_TOKEN.match(body):
        body = "\\" + body
    if body.endswith(" ") and not body.endswith("\\ "):
        body = body[:-1] + "\\ "
    rest = line.urls[k:] if inline_urls else line.urls
    if rest:
        body += "\\urls" + json.dumps(rest, ensure_ascii=False)
    return body


def _closes(text: str, i: int) -> bool:
    """Whether the link opened at ``i`` is closed later on the line."""
    depth = 0
    for c in text[i:]:
        if c == L_ON:
            depth += 1
        elif c == L_OFF:
            depth -= 1
            if depth == 0:
                return True
    return False


def _prefix(line: Line) -> str:
    out = " " * line.indent
    if line.heading:
        out += "#" * line.heading + " "
    b = line.bullet
    if b is not None:
        if _BULLET_TOKEN.fullmatch(b):
            out += b + " "
        elif re.fullmatch(r"[a-z]{1,20}", b) and b not in ("urls", "bullet"):
            out += f"\\{b} "
        else:
            out += "\\bullet{" + b + "} "
    return out


#: the forms the writer tries, plainest first: (escape every special character, URLs inline, markers as codes)
_FORMS = ((False, True, False), (True, True, False), (True, False, False), (True, False, True))


def dump_line(line: Line) -> str:
    """A :class:`Line` as one line of ``.ttx`` text (without the label column).

    >>> dump_line(Line(3, "\\ue000A. Bee\\ue001, \\ue004Title\\ue005 2020*", 2, "-", 0, ["https://x.org"]))
    '  - **A. Bee**, [Title](https://x.org) 2020\\\\*'
    """
    for escape_all, inline_urls, raw_marks in _FORMS:
        body = _body(line, escape_all=escape_all, inline_urls=inline_urls, raw_marks=raw_marks)
        if not body and (line.text or line.urls):
            continue
        out = _prefix(line) + body
        back = parse_line(out, line.no)
        if (back.text, back.indent, back.bullet, back.heading, back.urls) == \
                (line.text, line.indent, line.bullet, line.heading, line.urls):
            return out
    raise ValueError(f"line {line.no}: cannot be written as .ttx: {line!r}")


def parse_line(s: str, no: int) -> Line:
    """The :class:`Line` a ``.ttx`` line stands for (see the module doc)."""
    body = s.lstrip(" ")
    indent = len(s) - len(body)
    heading = 0
    bullet = None
    h = _HEADING.match(body)
    if h:
        heading = len(h.group(1))
        body = body[h.end():]
    m = _BULLET_TOKEN.match(body)
    if m:
        bullet = m.group(0)
        body = body[m.end() + 1:]
    elif (m := _ODD_BULLET.match(body) or _WORD_BULLET.match(body)):
        bullet = m.group(1)
        body = body[m.end():]
    urls: list[str] = []
    tail: list[str] = []
    for t in _URL_TAIL.finditer(body):
        if not _escaped(body, t.start()):
            try:
                tail = [str(u) for u in json.loads(body[t.end() - 1:])]
            except ValueError:
                continue
            body = body[:t.start()]
            break
    return Line(no, _parse_body(body, urls), indent, bullet, heading, urls + tail)


def _escaped(s: str, i: int) -> bool:
    """Whether the character at ``i`` is escaped (an odd number of backslashes before it)."""
    j = i
    while j > 0 and s[j - 1] == "\\":
        j -= 1
    return (i - j) % 2 == 1


def _parse_body(body: str, urls: list[str]) -> str:
    out: list[str] = []
    bold = ital = False
    links = 0
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c == "\\" and i + 1 < n:
            code = _CODE.match(body, i)
            if code:
                out.append(chr(int(code.group(1), 16)))
                i = code.end()
            else:
                out.append(body[i + 1])
                i += 2
            continue
        if body.startswith("**", i):
            out.append(B_OFF if bold else B_ON)
            bold = not bold
            i += 2
            continue
        if c == "*":
            out.append(I_OFF if ital else I_ON)
            ital = not ital
        elif c == "[" and _link_closes(body, i + 1):
            out.append(L_ON)
            links += 1
        elif c == "]" and links and body.startswith("(", i + 1):
            end, url = _link_url(body, i + 2)
            if end < 0:
                out.append(c)
            else:
                links -= 1
                out.append(L_OFF)
                if url:
                    urls.append(url)
                i = end
                continue
        elif c == "<" and (a := _AUTOLINK.match(body, i)):
            out.append(a.group(1))
            urls.append(a.group(1))
            i = a.end()
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _link_url(body: str, i: int) -> tuple[int, str]:
    """(end, url) of the ``(url)`` part of a link starting at ``i`` (after the parenthesis)."""
    if body.startswith("<", i):
        j = body.find(">)", i)
        return (j + 2, body[i + 1:j]) if j >= 0 else (-1, "")
    j = body.find(")", i)
    return (j + 1, body[i:j]) if j >= 0 else (-1, "")


def _link_closes(body: str, i: int) -> bool:
    """Whether an unescaped ``](`` follows ``i``."""
    j = i
    while True:
        j = body.find("](", j)
        if j < 0:
            return False
        if not _escaped(body, j):
            return True
        j += 1


# -- files --------------------------------------------------------------------------------------
def _implied(prev: str | None) -> str | None:
    """The label an empty label column stands for after a line labelled ``prev``."""
    return "ref-continue" if prev in _REF else prev


def dumps_ttx(pages: Iterable[LabelledPage]) -> str:
    """``.ttx`` text for ``pages``."""
    out: list[str] = []
    for page in pages:
        out.append(f"#page {page.source}")
        prev: str | None = None
        prev_no = 0
        for ln, lab in zip(page.lines, page.labels, strict=True):
            col = "" if lab == _implied(prev) else lab
            if ln.no != prev_no + 1:
                col += f" @{ln.no}"
            out.append(f"{col.strip():<{_WIDTH}}| " + dump_line(ln))
            prev, prev_no = lab, ln.no
    return "\n".join(out) + "\n"


def write_ttx(pages: Iterable[LabelledPage], path: str | Path) -> None:
    """Write ``pages`` to ``path`` (atomically)."""
    from ...fsio import write_text_atomic

    write_text_atomic(path, dumps_ttx(pages))


def loads_ttx(text: str, source: str = "<string>") -> list[LabelledPage]:
    """Pages from ``.ttx`` text; a bad line raises :class:`InputError` naming it."""
    pages: list[LabelledPage] = []
    page: LabelledPage | None = None
    prev: str | None = None
    prev_no = 0
    for k, raw in enumerate(text.split("\n"), 1):
        raw = raw.removesuffix("\r")
        if "|" not in raw:
            if raw.startswith("#page"):
                page = LabelledPage([], [], raw[5:].strip())
                pages.append(page)
                prev, prev_no = None, 0
            elif raw.strip() and not raw.startswith("#"):
                raise InputError("a .ttx line needs a label column and '|'", source=source, line=k)
            continue
        col, line = raw.split("|", 1)
        line = line.removeprefix(" ")
        label: str | None = None
        no = prev_no + 1
        for tok in col.split():
            if tok.startswith("@") and tok[1:].isdigit():
                no = int(tok[1:])
            elif tok in LINE_LABELS:
                label = tok
            else:
                raise InputError(f"unknown line label {tok!r} (known: {', '.join(LINE_LABELS)})",
                                 source=source, line=k)
        label = label or _implied(prev)
        if label is None:
            raise InputError("the first line of a page needs a label", source=source, line=k)
        if page is None:
            page = LabelledPage([], [], source)
            pages.append(page)
        page.lines.append(parse_line(line, no))
        page.labels.append(label)
        prev, prev_no = label, no
    return pages


def read_ttx(path: str | Path) -> list[LabelledPage]:
    """Read a bibkit ``.ttx`` file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from exc
    return loads_ttx(text, str(path))


# -- AnyStyle's finder files --------------------------------------------------------------------
_ANYSTYLE = {"title": "heading", "text": "other", "meta": "other", "blank": "blank", "ref": "ref"}

#: a reference number at the start of a line: "[12]", "12.", "(12)", "12)"
_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(?!(?:1[5-9]|20)\d\d)(\d{1,4})[.)])\s")
#: the start of an author list: "Surname, I." / "Surname, Given" / "Surname I" / "I. Surname" / "SURNAME"
_AUTHOR_START = re.compile(
    r"^\s*(?:(?:van|von|de|der|den|da|di|du|del|della|le|la|ter|ten|al|el)\s+){0,3}"
    r"(?:[A-Z][\w'’\-]+(?: [a-z]{1,3})?(?: [A-Z][\w'’\-]+)?,\s*(?:[A-Z]\.|[A-Z][a-z]+|[A-Z]{1,3}\b)"
    r"|[A-Z][\w'’\-]+ [A-Z]{1,3}[,.]"
    r"|(?:[A-Z]\.\s?){1,3}(?:-[A-Z]\.\s?)?[A-Z][\w'’\-]+[,.]"
    r"|[A-Z]{2,}[A-Z'’\-]*,"
    r"|(?:—|–|-){2,}|_{3,})"
)
#: a citation tag starting a line: "[Smith 2010]", "[BAD10]", "[DHR+ 11]"
_TAG = re.compile(r"^\s*\[[^\[\]\d][^\[\]]{0,30}\]\s")
#: a line whose text ends a reference: a period (not after an initial), a closing bracket or a number
_ENDS = re.compile(r"(?:[^A-Z\s]\.|\d|\)|\])[\"”’]?\s*$")


def _number(text: str) -> int | None:
    m = _NUMBER.match(text)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" "))


def _looks_start(text: str) -> bool:
    return bool(_AUTHOR_START.match(text) or _TAG.match(text)) or _number(text) is not None


def split_refs(raws: list[str]) -> list[bool]:
    """Which lines of one ``ref`` block (AnyStyle marks the block, not where each reference
    ends) start a reference; blank lines are never starts.

    The block's style is found first, then a line starts a reference when:

    1. numbered blocks (lines begin ``[n]``, ``n.``, ``(n)``, a year excepted, and the numbers
       go up by one at least twice): it carries the next number after the last one seen;
    2. tagged blocks (two or more lines begin with a ``[Label 2010]``-like tag): it begins
       with a tag;
    3. hanging indents (two indent levels, the lower one on lines that begin like a
       reference, hardly any such line on the higher one): it is at the lower level;
    4. blank-separated (most lines after a blank begin like a reference): it follows a blank;
    5. otherwise: the line above ends a sentence (a period not after an initial, a number, a
       bracket) and this line begins like an author list (``Surname, I.``, ``I. Surname,``,
       ``Surname IJ,``, ``SURNAME,``, a particle first (``van de Lindt, J.``), or a ``———`` repeated-author dash).

    The first non-blank line of the block always starts one.
    """
    n = len(raws)
    starts = [False] * n
    body = [k for k in range(n) if raws[k].strip()]
    if not body:
        return starts
    numbers = [num for k in body if (num := _number(raws[k])) is not None]
    numbered = sum(1 for a, b in itertools.pairwise(numbers) if b == a + 1) >= 2
    tagged = not numbered and sum(1 for k in body if _TAG.match(raws[k])) >= 2
    levels = sorted({_indent(raws[k]) for k in body})
    low = levels[0]
    hanging = False
    if len(levels) >= 2:
        at_low = [k for k in body if _indent(raws[k]) == low]
        above = [k for k in body if _indent(raws[k]) > low]
        looks = sum(1 for k in at_low if _looks_start(raws[k]))
        above_looks = sum(1 for k in above if _looks_start(raws[k]))
        hanging = looks >= 0.6 * len(at_low) and above_looks <= 0.2 * len(above)
    after_blank = [k for k in body if k > 0 and not raws[k - 1].strip()]
    separated = len(after_blank) >= 0.25 * len(body) \
        and sum(1 for k in after_blank if _looks_start(raws[k])) >= 0.7 * len(after_blank)
    last_no: int | None = None
    prev: int | None = None
    for k in body:
        text = raws[k]
        num = _number(text)
        if prev is None:
            start = True
        elif numbered:
            start = num is not None and (last_no is None or num == last_no + 1)
        elif tagged:
            start = bool(_TAG.match(text))
        elif hanging:
            start = _indent(text) == low
        elif separated and not raws[k - 1].strip():
            start = True
        else:
            start = bool(_ENDS.search(raws[prev]) and _AUTHOR_START.match(text))
        if start and num is not None:
            last_no = num
        starts[k] = start
        prev = k
    return starts


def read_anystyle_ttx(path: str | Path) -> list[LabelledPage]:
    """One page from an AnyStyle finder file: each line through the plain-text front end, labels
    mapped (``title`` -> heading, ``text``/``meta`` -> other, ``blank`` -> blank, ``ref`` ->
    ref-start/ref-continue by :func:`split_refs`, which sees each ``ref`` run between lines of
    other labels, blank lines and page furniture inside it skipped); a line the front end leaves
    blank is ``blank``.

    The 15 files in ``training/finder`` give 109,494 lines: heading 1,575, blank 34,716,
    other 69,910, ref-start 2,794, ref-continue 4,501."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as fh:  # some files hold bare CRs inside lines
            rows = fh.read().split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from exc
    labels: list[str] = []
    raws: list[str] = []
    prev: str | None = None
    for k, row in enumerate(rows, 1):
        if "|" not in row:
            if row.strip():
                raise InputError("a finder line needs a label column and '|'", source=str(path), line=k)
            continue
        col, line = row.split("|", 1)
        lab = col.strip() or prev
        if lab not in _ANYSTYLE:
            raise InputError(f"unknown AnyStyle finder label {lab!r}", source=str(path), line=k)
        labels.append(_ANYSTYLE[lab])
        raws.append(line.removeprefix(" ").replace("\r", " "))
        prev = lab
    from ..text import text_lines

    text = repair_text("\n".join(raws))
    lines = text_lines(text)
    if len(lines) != len(raws):  # pragma: no cover - repair keeps lines
        raise InputError("line count changed in repair", source=str(path))
    plain = [ln.plain if not ln.blank else "" for ln in lines]
    # ref runs: consecutive "ref" lines, with blank and page-furniture lines between them kept in the run
    k = 0
    n = len(labels)
    while k < n:
        if labels[k] != "ref":
            k += 1
            continue
        run = [k]
        j = k + 1
        while j < n:
            if labels[j] == "ref":
                run.append(j)
            elif labels[j] == "blank" or not plain[j] or (labels[j] == "other" and _furniture(plain[j])):
                pass
            else:
                break
            j += 1
        while run and run[-1] >= j:
            run.pop()
        texts = [(" " * lines[i].indent + (f"{lines[i].bullet} " if lines[i].bullet else "") + plain[i])
                 if labels[i] == "ref" else "" for i in range(run[0], run[-1] + 1)]
        for off, start in enumerate(split_refs(texts)):
            i = run[0] + off
            if labels[i] == "ref":
                labels[i] = "ref-start" if start else "ref-continue"
        k = run[-1] + 1
    out = [("blank" if ln.blank else lab) for ln, lab in zip(lines, labels, strict=True)]
    return [LabelledPage(lines, out, f"anystyle:{path.name}")]


def _furniture(text: str) -> bool:
    """A running head or page number between two parts of a reference list."""
    s = text.strip()
    return len(s) < 90 and bool(re.fullmatch(r"(?:[A-Z][A-Z .:&-]{2,60}\s*)?\d{1,4}|\d{1,4}\s*[A-Z][A-Z .:&-]{2,60}",
                                             s))


