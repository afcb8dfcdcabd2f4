"""Synthetic line-labelled pages for the finder, with labels known by construction.

:func:`synth_pages` renders real reference strings (:class:`~.corpus.Reference`) as the
publication lists of home pages and CVs: Markdown, HTML, LaTeX, plain text and PDF-like
hard-wrapped text (hanging indents, hyphenation, running heads), in many layouts (one per
line, blank-separated, numbered lists up to and past 1,000, items with their own number,
bullets with a bold owner, ``[VENUE'YY]`` tags, title / authors / venue blocks, ``<li>``
and ``<table>`` rows, ``\\item`` and ``\\bibitem``, abstracts and link lines under
entries, per-year headings), between non-publication sections (news, teaching, talks,
bio, awards, service).  The page text goes through the real front end
(:func:`~.pages.page_lines`); each resulting line is labelled from the source line it came
from (``Line.no``): every entry starts on its own source line, so the first line of an
entry is ``ref-start`` and every later line of it (also a second line cut from the same
source line) ``ref-continue``; blank lines are ``blank``.
"""

from __future__ import annotations

import functools
import html
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .corpus import Reference, training_dir
from .pages import LabelledPage, page_lines

FORMATS = ("markdown", "html", "latex", "text", "pdf")
LAYOUTS = ("lines", "blank", "numbered", "bullets", "tags", "block", "wrapped")

_PUB_HEADINGS = ("Publications", "Selected Publications", "Journal Articles", "Conference Papers",
                 "Refereed Publications", "Preprints", "Papers", "Peer-reviewed publications",
                 "Book Chapters", "Working Papers", "Recent Publications", "Articles")
_NEWS = ("Our paper “{t}” was accepted to {v}!", "{m} {y}: “{t}” accepted at {v}.",
         "New preprint out: {t}.", "[{m} {y}] Our work on {t} received the Best Paper Award at {v}.",
         "I gave a talk on “{t}” at {v}.", "{m} {y} — Paper accepted to {v} 🎉",
         "Excited to share that {t} will appear in {v}.")
_TEACHING = ("Teaching Assistant, {c}, Fall {y}", "Instructor: {c} (Spring {y})", "{c}, guest lecture, {y}",
             "Lecturer for {c}, {y}–{y2}")
_COURSES = ("Introduction to Machine Learning", "Linear Algebra", "Organic Chemistry II", "Econometrics",
            "Data Structures", "Modern European History", "Constitutional Law", "Cell Biology", "Statistics 101")
_TALKS = ("Invited talk, {u}, {m} {y}", "Seminar at {u}: “{t}”, {y}", "Keynote, Workshop on {w}, {y}",
          "Colloquium, Department of {d}, {u}, {m} {y}")
_UNIS = ("University of Toronto", "ETH Zurich", "MIT", "Tsinghua University", "University of Cape Town",
         "Sorbonne Université", "Universidad de Chile", "University of Melbourne", "Stanford University")
_FIELDS = ("Physics", "Economics", "Computer Science", "History", "Biology", "Chemistry", "Law", "Psychology")
_BIO = ("I am an assistant professor in the Department of {d} at {u}.",
        "My research interests include {w} and its applications.",
        "Before that, I was a postdoctoral researcher at {u2}, working with colleagues on {w}.",
        "I received my PhD from {u2} in {y}.",
        "Prospective students: please read this page before you email me.",
        "Contact: office 3.14, phone +1 555 0100, email first.last@example.edu")
_AWARDS = ("Best Paper Award, {v} {y}", "Early Career Fellowship, {y}–{y2}", "Outstanding Reviewer, {v} {y}",
           "Dissertation Prize, {u}, {y}")
_SERVICE = ("Program committee: {v} {y}, {v2} {y2}", "Reviewer for {v} and {v2}",
            "Area chair, {v} {y}", "Organizer, Workshop on {w} ({y})")
_TOPICS = ("graph neural networks", "labour markets", "protein folding", "medieval trade", "climate models",
           "causal inference", "quantum materials", "urban policy", "language acquisition")
_VENUES = ("NeurIPS", "ICML", "ACL", "CVPR", "PRL", "Nature Physics", "AER", "APSR", "JACS", "CHI", "SIGMOD")
_MONTHS = ("Jan", "Feb", "Mar", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
_LINKS = ("pdf", "PDF", "code", "slides", "arXiv", "bib", "video", "DOI", "project page", "abstract")
_ABSTRACT = ("We study {w} and show that a simple model explains most of the observed variation.",
             "This paper introduces a new method for {w}; experiments on three data sets confirm its gains.",
             "Abstract: we revisit {w} with new evidence and discuss implications for future work.",
             "TL;DR: {w}, but faster.")


@dataclass
class _Src:
    """A page's source text being built: each source line with its label and entry."""

    fmt: str
    lines: list[str] = field(default_factory=list)
    labels: list[str | None] = field(default_factory=list)  # None: markup only (no visible text)
    entries: list[int | None] = field(default_factory=list)

    def add(self, text: str, label: str | None, entry: int | None = None) -> None:
        for piece in text.split("\n"):
            self.lines.append(piece)
            self.labels.append(label)
            self.entries.append(entry)

    def blank(self) -> None:
        if self.lines and self.lines[-1].strip():
            self.add("", None)


# -- markup per format -------------------------------------------------------------------------
_LATEX_ESC = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
              "~": r"\textasciitilde{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
_MD_ESC = re.compile(r"([\\`*_\[\]<>])")


def esc(text: str, fmt: str) -> str:
    if fmt == "html":
        return html.escape(text, quote=False)
    if fmt == "latex":
        return "".join(_LATEX_ESC.get(c, c) for c in text)
    if fmt == "markdown":
        return _MD_ESC.sub(r"\\\1", text)
    return text


def bold(text: str, fmt: str) -> str:
    return {"markdown": f"**{text}**", "html": f"<b>{text}</b>", "latex": f"\\textbf{{{text}}}"}.get(fmt, text)


def ital(text: str, fmt: str) -> str:
    return {"markdown": f"*{text}*", "html": f"<em>{text}</em>", "latex": f"\\emph{{{text}}}"}.get(fmt, text)


def link(text: str, url: str, fmt: str) -> str:
    return {"markdown": f"[{text}]({url})", "html": f'<a href="{url}">{text}</a>',
            "latex": f"\\href{{{url}}}{{{text}}}"}.get(fmt, text)


def heading(text: str, fmt: str, level: int, rng: random.Random) -> str:
    if fmt == "markdown":
        return "#" * level + " " + esc(text, fmt)
    if fmt == "html":
        return f"<h{level}>{esc(text, fmt)}</h{level}>"
    if fmt == "latex":
        return ("\\section*{" if level <= 2 else "\\subsection*{") + esc(text, fmt) + "}"
    return text.upper() if rng.random() < 0.4 else text


# -- one reference as marked-up text -----------------------------------------------------------
_NAME_SPLIT = re.compile(r",\s+(?=[A-Z])|\s+and\s+|;\s+|\s+&\s+")


def _owner_bold(author: str, fmt: str, rng: random.Random) -> str:
    """The author segment with one name (the page's owner, as far as the page knows) in bold."""
    parts = [p for p in _NAME_SPLIT.split(author) if p.strip()]
    if not parts:
        return esc(author, fmt)
    name = rng.choice(parts).strip(" ,.;")
    i = author.find(name)
    if len(name) < 3 or i < 0:
        return esc(author, fmt)
    return esc(author[:i], fmt) + bold(esc(name, fmt), fmt) + esc(author[i + len(name):], fmt)


def render_ref(ref: Reference, fmt: str, rng: random.Random, *, owner: bool, emphasis: float = 0.6) -> str:
    """A reference in ``fmt``'s markup: the owner's name bold, the container (or title) italic,
    sometimes a link on the title."""
    out = []
    titled = False
    for label, text in ref.segments:
        if label == "author" and owner and fmt != "text":
            out.append(_owner_bold(text, fmt, rng))
        elif label == "container-title" and rng.random() < emphasis:
            out.append(ital(esc(text, fmt), fmt))
        elif label == "title" and not titled and rng.random() < 0.15:
            out.append(link(esc(text, fmt), f"https://example.org/p/{rng.randrange(10**6)}", fmt))
            titled = True
        else:
            out.append(esc(text, fmt))
    return " ".join(out)


def _year(ref: Reference, rng: random.Random) -> int:
    m = re.search(r"\b(1[89]\d\d|20[0-4]\d)\b", ref.field("date") or ref.text)
    return int(m.group(1)) if m else rng.randrange(1995, 2025)


def _tag(ref: Reference, rng: random.Random) -> str:
    cont = ref.field("container-title")
    caps = "".join(w[0] for w in re.findall(r"[A-Z][A-Za-z]+", cont))[:6]
    venue = caps if len(caps) >= 2 else rng.choice(_VENUES)
    return f"[{venue}'{_year(ref, rng) % 100:02d}]" if rng.random() < 0.7 else f"[{venue} {_year(ref, rng)}]"


# -- prose sections ------------------------------------------------------------------------------
def _fill(template: str, rng: random.Random, refs: Sequence[Reference]) -> str:
    ref = rng.choice(refs)
    title = (ref.field("title") or ref.text[:80]).strip(" .,;:\"“”")
    y = rng.randrange(2005, 2025)
    return template.format(t=title, v=rng.choice(_VENUES), v2=rng.choice(_VENUES), m=rng.choice(_MONTHS), y=y,
                           y2=y + rng.randrange(1, 4), c=rng.choice(_COURSES), u=rng.choice(_UNIS),
                           u2=rng.choice(_UNIS), d=rng.choice(_FIELDS), w=rng.choice(_TOPICS))


def _item_lines(src: _Src, items: list[str], label: str, rng: random.Random, bullet: str) -> None:
    """A list of non-publication items (news, teaching...), one per source line."""
    fmt = src.fmt
    if fmt == "html":
        src.add("<ul>", None)
        for it in items:
            src.add(f"  <li>{esc(it, fmt)}</li>", label)
        src.add("</ul>", None)
    elif fmt == "latex":
        src.add("\\begin{itemize}", None)
        for it in items:
            src.add(f"  \\item {esc(it, fmt)}", label)
        src.add("\\end{itemize}", None)
    else:
        for k, it in enumerate(items, 1):
            lead = f"{k}. " if bullet == "num" else f"{bullet} " if bullet else ""
            src.add(lead + esc(it, fmt), label)


_KINDS = ("news", "teaching", "talks", "bio", "awards", "service", "experience", "projects", "education")
_ROLES = ("Research Intern", "Senior Research Scientist", "Software Engineer", "Postdoctoral Fellow",
          "Visiting Researcher", "Research Assistant", "Teaching Assistant", "Data Scientist", "Consultant")
_ORGS = ("Microsoft Research", "Google DeepMind", "Max Planck Institute", "Tencent", "IBM Research", "CERN",
         "Bank of England", "World Bank", "Novartis", "Together AI", "Siemens", "Allen Institute")
_PLACES = ("Sydney, Australia", "Zurich, Switzerland", "Remote", "Beijing, China", "Seattle, WA, United States",
           "Paris, France", "Nairobi, Kenya", "São Paulo, Brazil")
_DEGREES = ("Ph.D. in {d}", "M.Sc. in {d}", "B.Eng. in {d}", "Bachelor of Science in {d}", "Doctor of Philosophy")
_CV_LEADS = ("Contributions:", "Motivation:", "Responsibilities:", "Highlights:", "Advisor: Prof. {n}",
             "Skills: Python, C++, CUDA, PyTorch, SQL", "GPA: 3.9/4.0", "Industry Projects:")


@functools.cache
def _prose() -> tuple[str, ...]:
    """Sentences of real running text (the body text of AnyStyle's finder documents): what
    CV project and experience bullets look like, never references."""
    out: list[str] = []
    for path in sorted((training_dir() / "finder").glob("*.ttx")):
        label = ""
        with open(path, encoding="utf-8", newline="") as fh:
            for raw in fh.read().split("\n"):
                head, _, text = raw.partition("|")
                label = head.strip() or label
                text = " ".join(text.split())
                if label == "text" and 50 <= len(text) <= 160 and text[:1].isupper() and not text[:1].isdigit():
                    out.append(text)
                if len(out) >= 4000:
                    return tuple(out)
    return tuple(out)


def _prose_line(rng: random.Random) -> str:
    pool = _prose()
    if not pool:
        return _fill_plain(rng.choice(_ABSTRACT), rng)
    return rng.choice(pool)


def _fill_plain(template: str, rng: random.Random) -> str:
    return template.format(w=rng.choice(_TOPICS), d=rng.choice(_FIELDS), n=rng.choice(("J. Smith", "A. Rossi")))


def _span(rng: random.Random) -> str:
    y = rng.randrange(2008, 2025)
    m1, m2 = rng.choice(_MONTHS), rng.choice(_MONTHS)
    end = rng.choice(("Present", f"{m2}. {y + rng.randrange(1, 4)}", str(y + rng.randrange(1, 5))))
    return rng.choice((f"{m1}. {y} - {end}", f"{y}–{end}", f"{m1} {y} – {end}"))


def _cv_section(src: _Src, rng: random.Random, kind: str, bullet: str) -> None:
    """Experience / projects / education: dated role lines with prose bullets under them."""
    fmt = src.fmt
    items: list[tuple[int, str]] = []  # (depth, text)
    for _ in range(rng.randrange(1, 5)):
        if kind == "experience":
            items.append((0, f"{rng.choice(_ORGS)} {_span(rng)}"))
            items.append((0, f"{rng.choice(_ROLES)}, {rng.choice(_PLACES)}"))
        elif kind == "education":
            items.append((0, f"{rng.choice(_UNIS)} {rng.choice(_PLACES)}"))
            items.append((0, f"{_fill_plain(rng.choice(_DEGREES), rng)} {_span(rng)}"))
        else:
            items.append((0, " ".join(w.capitalize() for w in rng.choice(_TOPICS).split()) + rng.choice(
                ("", " (Open Source)", ": a toolkit", " PAPER LINK, CODE LINK"))))
        for _ in range(rng.randrange(0, 5)):
            text = _fill_plain(rng.choice(_CV_LEADS), rng) if rng.random() < 0.25 else _prose_line(rng)
            items.append((1, text))
    if fmt == "html":
        src.add("<ul>", None)
        for depth, text in items:
            src.add(f"{'    ' * depth}<li>{esc(text, fmt)}</li>", "other")
        src.add("</ul>", None)
    elif fmt == "latex":
        src.add("\\begin{itemize}", None)
        for depth, text in items:
            src.add(f"{'  ' * depth}\\item {esc(text, fmt)}", "other")
        src.add("\\end{itemize}", None)
    else:
        for k, (depth, text) in enumerate(items, 1):
            mark = f"{k}." if bullet == "num" else bullet
            lead = (mark + " ") if mark and (depth or rng.random() < 0.5) else ""
            src.add("  " * depth * 2 + lead + esc(text, fmt), "other")


def _section(src: _Src, rng: random.Random, refs: Sequence[Reference], kind: str) -> None:
    fmt = src.fmt
    title = {"news": rng.choice(("News", "Recent News", "Updates", "What's new")),
             "teaching": "Teaching", "talks": rng.choice(("Talks", "Invited Talks", "Presentations")),
             "bio": rng.choice(("About", "About me", "Biography", "Bio")),
             "awards": rng.choice(("Awards", "Honors and Awards", "Grants")),
             "service": rng.choice(("Service", "Professional Service", "Activities")),
             "experience": rng.choice(("Work", "Experience", "Professional Experience", "Employment")),
             "projects": rng.choice(("Projects", "Research Projects", "Selected Projects")),
             "education": "Education"}[kind]
    src.add(heading(title, fmt, rng.choice((1, 2, 2, 3)), rng), "heading")
    src.blank()
    bullet = rng.choice(("-", "*", "•", "", "num")) if fmt in ("markdown", "text", "pdf") else ""
    if fmt == "markdown" and bullet == "•":
        bullet = "-"
    if kind in ("experience", "projects", "education"):
        _cv_section(src, rng, kind, bullet)
    elif kind == "bio":
        sentences = [_fill(rng.choice(_BIO), rng, refs) for _ in range(rng.randrange(2, 6))]
        if fmt == "html":
            src.add("<p>" + esc(" ".join(sentences[:2]), fmt) + "</p>", "other")
            for s in sentences[2:]:
                src.add("<p>" + esc(s, fmt) + "</p>", "other")
        else:
            for s in sentences:
                src.add(esc(s, fmt), "other")
    else:
        templates = {"news": _NEWS, "teaching": _TEACHING, "talks": _TALKS, "awards": _AWARDS,
                     "service": _SERVICE}[kind]
        items = [_fill(rng.choice(templates), rng, refs) for _ in range(rng.randrange(2, 7))]
        _item_lines(src, items, "news" if kind == "news" else "other", rng, bullet)
    src.blank()


# -- publication lists -----------------------------------------------------------------------------
def _wrap(text: str, width: int, rng: random.Random, hyphenate: float) -> list[str]:
    """Hard-wrap like PDF text: words to ``width``, sometimes a long word split with a hyphen."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            room = width - len(cur) - 2
            if len(word) >= 8 and room >= 3 and word.isalpha() and rng.random() < hyphenate:
                cut = min(room, len(word) - 3)
                lines.append(f"{cur} {word[:cut]}-")
                cur = word[cut:]
                continue
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return lines


def _links_line(fmt: str, rng: random.Random) -> str:
    names = rng.sample(_LINKS, rng.randrange(1, 4))
    if fmt == "text" or fmt == "pdf":
        return " ".join(f"[{n}]" for n in names)
    return " ".join((f"[{link(n, 'https://example.org/' + n.replace(' ', '_'), fmt)}]" if fmt == "markdown"
                     and rng.random() < 0.3 else link(n, "https://example.org/" + n.replace(" ", "_"), fmt))
                    for n in names).replace("[[", "[").replace(")]", ")")


class _Lister:
    """Renders one publication list in one layout."""

    def __init__(self, src: _Src, rng: random.Random, layout: str, first: int) -> None:
        self.src, self.rng, self.layout = src, rng, layout
        self.fmt = src.fmt
        self.no = first  # the next entry id
        rnd = rng.random
        self.number0 = rng.choice((1, 1, 1, rng.randrange(2, 120), rng.randrange(990, 1500)))
        self.descending = rnd() < 0.3
        self.own_number = rnd() < 0.15
        self.bullet = rng.choice(("-", "*", "+")) if self.fmt == "markdown" else rng.choice(("•", "-", "–", "*"))
        self.owner = rnd() < 0.6
        self.abstracts = rnd() < 0.2
        self.links = rnd() < 0.3
        self.blank_between = layout in ("blank", "block") or (layout != "lines" and rnd() < 0.4)
        self.width = rng.randrange(60, 110)
        self.hang = rng.choice((0, 2, 3, 4, 5, 6))
        self.hyphenate = rnd() * 0.6
        self.html_kind = rng.choice(("li", "li", "ol", "p", "table", "div"))
        self.latex_kind = rng.choice(("item", "item", "bibitem", "par"))
        self.emphasis = rnd()
        self.header_every = rng.randrange(25, 60) if self.fmt == "pdf" else 0
        self.header = rng.choice(("Curriculum Vitae", "CV — {n}", "{n} — Publications", "{n}, page {p}"))
        self.pdf_lines = 0
        self.page = 1

    # one entry -> source lines ([(text, label)]); the first is where the entry starts
    def _entry_text(self, ref: Reference, k: int, count: int) -> str:
        fmt, rng = self.fmt, self.rng
        body = render_ref(ref, "text" if fmt == "pdf" else fmt, rng, owner=self.owner, emphasis=self.emphasis)
        if self.layout == "tags":
            body = esc(_tag(ref, rng), fmt) + " " + body
        if self.own_number:
            body = f"{(count - k) if self.descending else k + 1}. " + body
        return body

    def _number(self, k: int, count: int) -> int:
        return self.number0 + (count - 1 - k if self.descending else k)

    def _emit(self, text: str, label: str | None, entry: int | None) -> None:
        if self.header_every:
            self.pdf_lines += 1
            if self.pdf_lines % self.header_every == 0:  # a page break, maybe inside an entry
                self.page += 1
                self.src.add("", None)
                self.src.add(self.header.format(n="A. N. Author", p=self.page), "other")
                self.src.add(str(self.page), "other")
                self.src.add("", None)
        self.src.add(text, label, entry)

    def entry(self, ref: Reference, k: int, count: int) -> None:
        fmt, rng, layout = self.fmt, self.rng, self.layout
        e = self.no
        self.no += 1
        body = self._entry_text(ref, k, count)
        extra: list[str] = []
        if self.abstracts and rng.random() < 0.6:
            extra.append(esc(_fill(rng.choice(_ABSTRACT), rng, [ref]), fmt if fmt != "pdf" else "text"))
        if self.links and fmt != "pdf":
            extra.append(_links_line(fmt, rng))
        if layout == "block":
            parts = self._block_parts(ref)
            first, rest = parts[0], parts[1:] + extra
        else:
            first, rest = body, extra
        num = self._number(k, count)
        if fmt == "html":
            self._html_entry(first, rest, num, e)
        elif fmt == "latex":
            self._latex_entry(first, rest, num, e)
        elif fmt == "markdown":
            self._md_entry(first, rest, num, e)
        else:
            self._text_entry(first, rest, num, e)
        if self.blank_between:
            self.src.blank()

    def _block_parts(self, ref: Reference) -> list[str]:
        """Title line, authors line, venue line (academic pages and HTML with <br>)."""
        fmt = "text" if self.fmt == "pdf" else self.fmt
        title = ref.field("title")
        authors = ref.field("author")
        rest = " ".join(t for lab, t in ref.segments if lab not in ("title", "author"))
        parts = [bold(esc(title, fmt), fmt) if title and self.rng.random() < 0.5 else esc(title, fmt),
                 _owner_bold(authors, fmt, self.rng) if self.owner and fmt != "text" else esc(authors, fmt),
                 ital(esc(rest, fmt), fmt) if rest and self.rng.random() < 0.5 else esc(rest, fmt)]
        if self.rng.random() < 0.3:
            parts[0], parts[1] = parts[1], parts[0]
        return [p for p in parts if p.strip()] or [esc(ref.text, fmt)]

    def _md_entry(self, first: str, rest: list[str], num: int, e: int) -> None:
        layout, rng = self.layout, self.rng
        if layout == "numbered":
            lead = f"{num}. "
        elif layout in ("bullets", "tags", "block") and rng.random() < 0.8:
            lead = f"{self.bullet} "
        else:
            lead = ""
        pad = " " * max(2, len(lead)) if lead else ""
        if layout == "block" and rng.random() < 0.5:  # "Title<br>Authors<br>Venue" on one source line
            self.src.add(lead + "<br>".join([first, *rest]), "ref", e)
            return
        brk = rng.choice(("", "  ", "\\", "<br>")) if layout == "block" else ""
        lines = [first, *rest]
        for i, text in enumerate(lines):
            tail = brk if i < len(lines) - 1 and brk in ("  ", "\\", "<br>") else ""
            self.src.add((lead if i == 0 else pad) + text + tail, "ref", e)

    def _text_entry(self, first: str, rest: list[str], num: int, e: int) -> None:
        layout, rng = self.layout, self.rng
        if layout == "numbered":
            lead = rng.choice((f"{num}. ", f"[{num}] ", f"({num}) ", f"{num}) "))
        elif layout == "bullets":
            lead = f"{self.bullet} "
        else:
            lead = ""
        if layout == "wrapped" or self.fmt == "pdf":
            hang = " " * (len(lead) if lead and rng.random() < 0.7 else self.hang)
            for p, text in enumerate([first, *rest]):
                for i, piece in enumerate(_wrap(text, self.width, rng, self.hyphenate)):
                    self._emit((lead if p == 0 and i == 0 else hang) + piece, "ref", e)
            return
        for i, text in enumerate([first, *rest]):
            self.src.add((lead if i == 0 else " " * (2 if lead else 0)) + text, "ref", e)

    def _html_entry(self, first: str, rest: list[str], num: int, e: int) -> None:
        kind, rng = self.html_kind, self.rng
        sep = "<br>\n" if rng.random() < 0.7 else "<br>"
        body = sep.join([first, *rest])
        if kind in ("li", "ol"):
            self.src.add(f"  <li>{body}</li>", "ref", e)
        elif kind == "table":
            self.src.add(f"  <tr><td>[{num}]</td><td>{body}</td></tr>", "ref", e)
        elif kind == "p":
            self.src.add(f"<p>{body}</p>", "ref", e)
        else:
            self.src.add(f'<div class="pub">{body}</div>', "ref", e)

    def _latex_entry(self, first: str, rest: list[str], num: int, e: int) -> None:
        kind = self.latex_kind
        sep = " \\\\\n" if self.rng.random() < 0.6 else " \\newblock "
        body = sep.join([first, *rest])
        if kind == "item":
            self.src.add(f"\\item {body}", "ref", e)
        elif kind == "bibitem":
            self.src.add(f"\\bibitem{{ref{num}}} {body}", "ref", e)
        else:
            self.src.add(f"{body}\\par", "ref", e)

    def _wrapper(self) -> tuple[str, str] | None:
        """The markup opening and closing the list, if the layout has one."""
        if self.fmt == "html":
            tag = {"li": "ul", "ol": "ol", "table": "table"}.get(self.html_kind)
            if tag:
                start = f' start="{self.number0}"' if tag == "ol" and self.number0 != 1 else ""
                return f"<{tag}{start}>", f"</{tag}>"
        elif self.fmt == "latex" and self.latex_kind in ("item", "bibitem"):
            env = "itemize" if self.latex_kind == "item" else "thebibliography"
            return f"\\begin{{{env}}}" + ("{99}" if env == "thebibliography" else ""), f"\\end{{{env}}}"
        return None

    def open(self) -> None:
        if (w := self._wrapper()):
            self.src.add(w[0], None)

    def close(self) -> None:
        if (w := self._wrapper()):
            self.src.add(w[1], None)


def _layout_for(fmt: str, rng: random.Random) -> str:
    if fmt == "pdf":
        return rng.choice(("wrapped", "numbered", "wrapped", "blank"))
    if fmt == "html" or fmt == "latex":
        return rng.choice(("lines", "bullets", "tags", "block", "numbered"))
    if fmt == "text":
        return rng.choice(LAYOUTS)
    return rng.choice(("lines", "blank", "numbered", "numbered", "bullets", "bullets", "tags", "block"))


def _document(src: _Src, body: Callable[[], None]) -> None:
    fmt = src.fmt
    if fmt == "html":
        src.add("<!DOCTYPE html>\n<html><head><title>Home</title></head><body>", None)
    elif fmt == "latex":
        src.add("\\documentclass{article}\n\\begin{document}", None)
    body()
    if fmt == "html":
        src.add("</body></html>", None)
    elif fmt == "latex":
        src.add("\\end{document}", None)


def synth_page(refs: Sequence[Reference], rng: random.Random, fmt: str | None = None,
               source: str = "synth") -> tuple[LabelledPage, int]:
    """One synthetic page from ``refs`` (all of them rendered, in order) and the number of
    references on it."""
    fmt = fmt or rng.choice(FORMATS)
    src = _Src(fmt)
    n_before = rng.choice((0, 0, 1, 1, 2))
    kinds = rng.sample(_KINDS, n_before + rng.choice((0, 1, 1, 2)))
    pub_heading = rng.choice(_PUB_HEADINGS)
    by_year = rng.random() < 0.25
    counter = [0]

    def body() -> None:
        if fmt in ("text", "pdf") and rng.random() < 0.5:
            src.add("A. N. Author", "other")
            src.add("Department of " + rng.choice(_FIELDS) + ", " + rng.choice(_UNIS), "other")
            src.blank()
        for kind in kinds[:n_before]:
            _section(src, rng, refs, kind)
        if rng.random() < 0.9:
            src.add(heading(pub_heading, "text" if fmt == "pdf" else fmt, rng.choice((1, 2, 2)), rng), "heading")
            src.blank()
        chunks: list[list[Reference]] = [list(refs)]
        if by_year and len(refs) >= 4:
            cuts = sorted(rng.sample(range(1, len(refs)), min(len(refs) - 1, rng.randrange(1, 4))))
            chunks = [list(refs[a:b]) for a, b in zip([0, *cuts], [*cuts, len(refs)], strict=True)]
        year = rng.randrange(2016, 2025)
        lister = _Lister(src, rng, _layout_for(fmt, rng), 0)
        k = 0
        for chunk in chunks:
            if len(chunks) > 1:
                src.add(heading(str(year), "text" if fmt == "pdf" else fmt, 3, rng), "heading")
                src.blank()
                year -= 1
            lister.open()
            for ref in chunk:
                lister.entry(ref, k, len(refs))
                k += 1
            lister.close()
            src.blank()
        counter[0] = k
        for kind in kinds[n_before:]:
            _section(src, rng, refs, kind)

    _document(src, body)
    lines = page_lines("\n".join(src.lines), "text" if fmt == "pdf" else fmt)
    labels: list[str] = []
    seen: set[int] = set()
    for ln in lines:
        i = ln.no - 1
        lab = src.labels[i] if 0 <= i < len(src.labels) else None
        if ln.blank:
            labels.append("blank")
        elif lab == "ref":
            e = src.entries[i]
            assert e is not None
            labels.append("ref-continue" if e in seen else "ref-start")
            seen.add(e)
        else:
            labels.append(lab or "other")
    return LabelledPage(lines, labels, f"{source}:{fmt}"), counter[0]


def synth_pages(refs: Sequence[Reference], seed: int, n: int) -> list[LabelledPage]:
    """``n`` synthetic pages (deterministic for ``seed``), each with 1 to 60 of ``refs``
    (sometimes a long list of a few hundred)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        size = rng.choice((rng.randrange(1, 8), rng.randrange(5, 30), rng.randrange(20, 60)))
        if rng.random() < 0.02:
            size = rng.randrange(200, 400)
        picked = [refs[rng.randrange(len(refs))] for _ in range(size)]
        page, _ = synth_page(picked, rng, source=f"synth-{seed}-{i}")
        out.append(page)
    return out
