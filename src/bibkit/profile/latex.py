r"""LaTeX CVs to :class:`~.lines.Line` objects.

``\section`` and friends become headings, ``\item``/``\bibitem`` bullets, ``\textbf``/
``\emph`` emphasis markers, ``\href``/``\url`` URLs, ``\\`` a line break; comments are
dropped and the rest (accents, dashes, ``~``) goes through pylatexenc.
"""

from __future__ import annotations

import functools

from . import rx as re
from .lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, Line

_COMMENT = re.compile(r"(?<!\\)%.*$")
_SECTION = re.compile(r"^\s*\\(part|chapter|section|subsection|subsubsection|paragraph|cvsection|cvsubsection|"
                      r"resheading|sectiontitle)\*?\s*(?:\[[^\]]{0,200}\])?\s*\{")
_ITEM = re.compile(r"^\s*\\(item|bibitem|cvitem|cventry|resitem)\b\s*(?:\[[^\]]{0,200}\])?\s*")
_ENV = re.compile(r"\\(begin|end)\s*\{[A-Za-z*]{1,40}\}(?:\s*\[[^\]]{0,100}\])?(?:\s*\{[^{}]{0,100}\})?")
_BOLD_CMDS = ("textbf", "textsc", "underline", "uline", "mbox")
_ITAL_CMDS = ("emph", "textit", "textsl")
_DROP_CMDS = ("vspace", "hspace", "label", "setlength", "addtolength", "newcommand", "renewcommand", "input",
              "include", "usepackage", "documentclass", "pagestyle", "thispagestyle", "bibliographystyle",
              "color", "fontsize")
_SWITCH = re.compile(r"\{\\(bf|bfseries|em|it|itshape|sl)\s+")


def _braced(text: str, start: int) -> int:
    """Index just after the brace group opening at ``start`` (or len(text))."""
    depth = 0
    for i in range(start, min(len(text), start + 20000)):
        c = text[i]
        if c == "\\":
            continue
        if c == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif c == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _commands(text: str, urls: list[str]) -> str:
    out = []
    i = 0
    n = len(text)
    while i < n:
        j = text.find("\\", i)
        if j == -1:
            out.append(text[i:])
            break
        out.append(text[i:j])
        m = re.match(r"\\([A-Za-z]{1,30})\*?\s*", text[j:j + 40])
        if not m:
            out.append(text[j:j + 2])
            i = j + 2
            continue
        name = m.group(1)
        k = j + m.end()
        if name in ("href",) and k < n and text[k] == "{":
            e1 = _braced(text, k)
            urls.append(text[k + 1:e1 - 1].strip())
            if e1 < n and text[e1] == "{":
                e2 = _braced(text, e1)
                out.append(L_ON + _commands(text[e1 + 1:e2 - 1], urls) + L_OFF)
                i = e2
            else:
                i = e1
            continue
        if name in ("url", "doi") and k < n and text[k] == "{":
            e1 = _braced(text, k)
            val = text[k + 1:e1 - 1].strip()
            urls.append(val if name == "url" else "https://doi.org/" + val)
            out.append(val)
            i = e1
            continue
        if name in _BOLD_CMDS + _ITAL_CMDS and k < n and text[k] == "{":
            e1 = _braced(text, k)
            on, off = (B_ON, B_OFF) if name in _BOLD_CMDS else (I_ON, I_OFF)
            out.append(on + _commands(text[k + 1:e1 - 1], urls) + off)
            i = e1
            continue
        if name in _DROP_CMDS:
            e = k
            while e < n and text[e] in "{[":
                e = _braced(text, e) if text[e] == "{" else (text.find("]", e) + 1 or n)
            i = e
            continue
        out.append(text[j:k])
        i = k
    return "".join(out)


#: what pylatexenc would change: macros, groups, math, comments and its specials (``~ & -- --- `` '' !` ?```);
#: a piece with none of these comes out of it unchanged (up to whitespace, which the caller collapses)
_LATEX_SPECIAL = re.compile(r"[\\{}$%&~#^_]|--|``|''|[!?]`")
_CONVERTER: list = []


#: the common tokens of a CV line (quotes, dashes, ties, one-letter accents), each converted once by pylatexenc
_LATEX_TOKEN = re.compile(r"``|''|---|--|~|\\[&%$#_]|\{\\(?:textendash|textemdash|i|j|ss)\}"
                          r"|\\['`^\"~=.](?:[A-Za-z]|\{[A-Za-z]\}|\{\\[ij]\})|\{\\['`^\"~=.](?:[A-Za-z]|\\[ij])\}")
_TOKEN_TEXT: dict[str, str] = {}  # bounded: the pattern above matches a few hundred distinct tokens


def _token_text(m: re.Match[str]) -> str:
    tok = m.group()
    out = _TOKEN_TEXT.get(tok)
    if out is None:
        out = _TOKEN_TEXT[tok] = _pylatexenc(tok)
    return out


def _to_text(text: str) -> str:
    if not _LATEX_SPECIAL.search(text):
        return text
    if "!`" not in text and "?`" not in text:
        # a piece whose only LaTeX is such tokens: convert them one by one (the same text, ~50x faster)
        quick = _LATEX_TOKEN.sub(_token_text, text)
        if not _LATEX_SPECIAL.search(quick):
            return quick
    return _pylatexenc(text)


def _pylatexenc(text: str) -> str:
    try:
        if not _CONVERTER:  # one converter and one macro table for the process: building them costs ~2 ms
            from pylatexenc.latex2text import LatexNodes2Text
            from pylatexenc.latexwalker import get_default_latex_context_db

            _CONVERTER.extend((LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=False),
                               get_default_latex_context_db()))
        from pylatexenc.latexwalker import LatexWalker

        # what latex_to_text(text) does, minus a fresh default macro table per call
        converter, context = _CONVERTER
        return converter.nodelist_to_text(LatexWalker(text, latex_context=context).get_latex_nodes()[0])
    except Exception:  # pylatexenc gives up on broken input: keep the raw text
        return text.replace("{", "").replace("}", "")


_DEF_RE = re.compile(r"\\(?:(?:re|provide)?newcommand\*?\s*(?:\{\s*\\([A-Za-z]{1,40})\s*\}|\\([A-Za-z]{1,40}))"
                     r"(?:\s*\[(\d)\](?:\s*\[([^\]\n]{0,80})\])?)?|def\s*\\([A-Za-z]{1,40}))\s*(?=\{)")
#: caps on user macro expansion: how many macros, how long a body, how much the text may grow
_MAX_MACROS, _MAX_BODY, _MAX_GROWTH = 200, 500, 1_000_000


def expand_macros(text: str) -> str:
    r"""Expand the document's own argument-less macros (``\newcommand{\me}{...}``, ``\def\me{...}``).

    Definitions are blanked (newlines kept, so line numbers stay right); a use (``\me``, ``\me{}``)
    becomes the body.  Nested macros are expanded a few rounds deep; a round that would make the
    text grow past a fixed bound (a macro that uses itself) is not done.

    >>> expand_macros("\\newcommand{\\me}{\\textbf{B. S}}\n\\me{} and A. Smola")
    '\n\\textbf{B. S} and A. Smola'
    """
    if "newcommand" not in text and "\\def" not in text:
        return text
    macros: dict[str, str] = {}
    with_args: dict[str, tuple[int, str | None, str]] = {}
    pieces: list[str] = []
    pos = 0
    for m in _DEF_RE.finditer(text):
        if m.start() < pos:
            continue
        end = _braced(text, m.end())
        if end - m.end() > _MAX_BODY + 2 or "\n\n" in text[m.end():end]:
            continue  # an unbalanced or huge body: left as it is (never blank the rest of the document)
        body = text[m.end() + 1:end - 1]
        name = m.group(1) or m.group(2) or m.group(5)
        pieces.append(text[pos:m.start()])
        pieces.append("\n" * text.count("\n", m.start(), end))
        pos = end
        nargs = int(m.group(3) or 0)
        if len(body) > _MAX_BODY or len(macros) + len(with_args) >= _MAX_MACROS:
            continue
        if nargs:  # \newcommand{\pub}[5]{\item #1 (#5). #2. \emph{#3}, #4.}
            with_args[name] = (nargs, m.group(4), body.replace("\n", " "))
        elif "#" not in body:
            macros[name] = body.replace("\n", " ")
    pieces.append(text[pos:])
    text = "".join(pieces)
    if with_args:
        text = _expand_with_args(text, with_args)
    if not macros:
        return text
    use = re.compile(r"\\(" + "|".join(re.escape(k) for k in sorted(macros, key=len, reverse=True))
                     + r")(?![A-Za-z])(?:\s*\{\})?")
    limit = 2 * len(text) + _MAX_GROWTH
    for _ in range(4):  # nested definitions, a few levels deep
        size = len(text)
        n = 0
        for mm in use.finditer(text):  # the size of the result, before building it
            size += len(macros[mm.group(1)]) - (mm.end() - mm.start())
            n += 1
        if not n or size > limit:
            break  # nothing left to expand, or a self-feeding macro: stop here
        text = use.sub(lambda mm: macros[mm.group(1)], text)
    return text


def _argument(args: list[str], d: re.Match[str]) -> str:
    k = int(d.group(1))
    return args[k - 1] if 0 < k <= len(args) else ""


def _expand_with_args(text: str, macros: dict[str, tuple[int, str | None, str]]) -> str:
    r"""Uses of macros with arguments replaced by their bodies, ``#1``... filled in (one round:
    a use must give its arguments as brace groups, the first optional one in brackets when the
    definition has a default; a use without its arguments is left as it is).

    >>> _expand_with_args("\\pub{A. Author}{Title}{2020}", {"pub": (3, None, "#1, #3. #2.")})
    'A. Author, 2020. Title.'
    """
    use = re.compile(r"\\(" + "|".join(re.escape(k) for k in sorted(macros, key=len, reverse=True))
                     + r")(?![A-Za-z])")
    out: list[str] = []
    pos = 0
    grown = 0
    for m in use.finditer(text):
        if m.start() < pos:
            continue
        nargs, default, body = macros[m.group(1)]
        args: list[str] = []
        i = m.end()
        if default is not None:
            opt = re.match(r"\s*\[([^\]\n]{0,200})\]", text[i:])
            args.append(opt.group(1) if opt else default)
            i += opt.end() if opt else 0
        while len(args) < nargs:
            j = i + len(text[i:i + 200]) - len(text[i:i + 200].lstrip(" \t\n"))
            if j >= len(text) or text[j] != "{" or text[i:j].count("\n") > 1:
                break
            end = _braced(text, j)
            args.append(text[j + 1:end - 1])
            i = end
        if len(args) < nargs:
            continue
        filled = re.sub(r"#(\d)", functools.partial(_argument, args), body)
        # the arguments' own line breaks are kept at the end, so the lines after stay where they were
        filled = filled.replace("\n", " ") + "\n" * text.count("\n", m.start(), i)
        grown += len(filled) - (i - m.start())
        if grown > _MAX_GROWTH:
            break
        out.append(text[pos:m.start()])
        out.append(filled)
        pos = i
    out.append(text[pos:])
    return "".join(out)


def latex_lines(text: str) -> list[Line]:
    r"""Lines of a LaTeX document.

    >>> ls = latex_lines("\\section{Publications}\n\\item \\textbf{J. M\\\"uller}, \\emph{Title}, 2020.")
    >>> [(ln.heading, ln.bullet, ln.plain) for ln in ls]
    [(2, None, 'Publications'), (0, 'item', 'J. Müller, Title, 2020.')]
    """
    text = expand_macros(text)
    raw_lines = text.split("\n")
    begin = next((i for i, ln in enumerate(raw_lines) if "\\begin{document}" in ln), -1)
    out: list[Line] = []
    for idx, raw in enumerate(raw_lines):
        no = idx + 1
        if idx <= begin or "\\end{document}" in raw:
            continue
        raw = _COMMENT.sub("", raw).rstrip()
        if not raw.strip():
            out.append(Line(no, ""))
            continue
        heading = 0
        bullet = None
        s = _SECTION.match(raw)
        if s:
            level = {"part": 1, "chapter": 1, "section": 2, "cvsection": 2, "resheading": 2, "sectiontitle": 2,
                     "subsection": 3, "cvsubsection": 3, "subsubsection": 4, "paragraph": 5}[s.group(1)]
            end = _braced(raw, s.end() - 1)
            heading = level
            raw = raw[s.end():end - 1] + " " + raw[end:]
        m = _ITEM.match(raw)
        if m:
            bullet = m.group(1)
            raw = raw[m.end():]
            if bullet == "bibitem" and raw.startswith("{"):
                raw = raw[_braced(raw, 0):]
            elif bullet != "item" and raw.startswith("{"):
                # \cvitem{2020}{text}, \cventry{years}{title}{place}...: arguments joined
                args: list[str] = []
                while raw.startswith("{") and len(args) < 8:
                    end = _braced(raw, 0)
                    args.append(raw[1:end - 1].strip())
                    raw = raw[end:].lstrip()
                raw = ". ".join(a.rstrip(".") for a in args if a) + (" " + raw if raw else "")
        raw = _ENV.sub(" ", raw)
        raw = _SWITCH.sub(lambda mm: "\\textbf{" if mm.group(1).startswith("b") else "\\emph{", raw)
        urls: list[str] = []
        body = _commands(raw, urls)
        # "\\\\" and "\\newline" break lines; "\\newblock" separates the fields of a \\bibitem (authors | title | venue)
        pieces = re.split(r"\\\\(?:\[[^\]]{0,20}\])?|\\newline\b|\\par\b|\\newblock\b", body)
        for k, piece in enumerate(pieces):
            t = _to_text(piece)
            t = re.sub(r"\s+", " ", t).strip()
            if not t and (k or (len(pieces) > 1 and bullet is None and not heading)):
                continue  # not a blank line: a line that starts with "\\newblock" continues the item
            out.append(Line(no, t, 0, bullet if k == 0 else None, heading if k == 0 else 0, urls if k == 0 else []))
    return out
