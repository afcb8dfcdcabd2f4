"""LaTeX <-> Unicode for BibTeX field values.

:func:`decode` turns the LaTeX found in .bib values into plain Unicode: accents
(``{\\"u}`` -> ``ü``), special letters (``\\ss``, ``\\o``), escaped characters
(``\\&``), dashes (``--``), quotes, ties, and grouping braces (dropped).  Text
formatting commands (``\\emph{x}``, ``{\\em x}``) keep their text.  Commands it
does not know and math are kept *verbatim*, never dropped:

>>> decode(r'A \\texttt{set} with {\\"u}ber \\ch{MgF2} and $x_1$ -- done')
'A set with über \\\\ch{MgF2} and $x_1$ – done'

:func:`encode` is the inverse used by the writer: ``decode(encode(s)) == s`` for
any text ``decode`` produces, and verbatim LaTeX islands pass through unchanged.

>>> encode('Smith & Wesson: 50% of “über”')
'Smith \\\\& Wesson: 50\\\\% of “über”'
>>> encode('Smith & Wesson: 50% of über', ascii=True)
'Smith \\\\& Wesson: 50\\\\% of {\\\\"u}ber'
"""

from __future__ import annotations

import re
import unicodedata

# -- tables --------------------------------------------------------------------------
#: accent command -> combining character
ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
COMBINING_TO_ACCENT = {v: k for k, v in ACCENTS.items()}

#: argument-less commands -> text
SYMBOLS = {
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
    "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
    "textendash": "–", "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’",
    "textquotedblleft": "“", "textquotedblright": "”", "dots": "…", "ldots": "…", "textellipsis": "…",
    "S": "§", "P": "¶", "pounds": "£", "textsterling": "£", "euro": "€", "texteuro": "€",
    "copyright": "©", "textcopyright": "©", "textregistered": "®", "texttrademark": "™",
    "textdegree": "°", "guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«",
    "guillemetright": "»", "textless": "<", "textgreater": ">", "textbar": "|",
    "textasciitilde": "~", "textbackslash": "\\", "textunderscore": "_", "textasciicircum": "^",
    "textbullet": "•", "textperiodcentered": "·", "textexclamdown": "¡", "textquestiondown": "¿",
    "textdagger": "†", "dag": "†", "textdaggerdbl": "‡", "ddag": "‡", "textsection": "§",
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
    "LuaTeX": "LuaTeX", "ConTeXt": "ConTeXt", "AmSTeX": "AmS-TeX", "AMSTeX": "AMS-TeX",
    "slash": "/", "textslash": "/", "textquotesingle": "'", "textquotedbl": '"', "textasciigrave": "`",
    "quad": " ", "qquad": " ", "enspace": " ", "thinspace": "\u2009", "nobreakspace": "\u00a0",
    # hyphens that only steer line breaking (babel/biblatex \hyphen, hyphenat \hyp, amsmath \nobreakdash)
    "hyphen": "-", "hyp": "-", "nbhyphen": "-", "nobreakdash": "",
    "XeLaTeX": "XeLaTeX", "LuaLaTeX": "LuaLaTeX", "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX", "BibLaTeX": "BibLaTeX",
}
#: Greek letters, decoded from ``$\\alpha$`` and written so in ASCII mode
GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5),
    ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB),
    ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3),
    ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9),
    ("Gamma", 0x393), ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0),
    ("Sigma", 0x3A3), ("Upsilon", 0x3A5), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9),
)}
_GREEK_TO_LATEX = {v: k for k, v in GREEK.items()}
GREEK.update({"varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varpi": "ϖ", "varrho": "ϱ", "varsigma": "ς"})
_GREEK_MATH = re.compile(r"\$\s*\\([a-zA-Z]+)\s*\$")
#: commands taking one argument whose text is kept (formatting only)
TEXT_COMMANDS = frozenset({
    "emph", "textit", "textbf", "texttt", "textsc", "textrm", "textsf", "textsl", "textup",
    "textmd", "textnormal", "mbox", "hbox", "text", "textsuperscript", "textsubscript",
    "mathrm", "mathit", "mathbf", "underline", "uline", "NoCaseChange", "nocase",
    "bibstring", "protect", "mkbibemph", "mkbibitalic", "mkbibbold", "mkbibacro",
})
#: commands whose one argument is quoted text (biblatex \mkbibquote, csquotes \enquote): the quotes they set
QUOTING = {"mkbibquote": ("“", "”"), "enquote": ("“", "”")}
#: commands whose arguments are verbatim (URLs, paths)
VERBATIM_COMMANDS = frozenset({"url", "href", "path", "nolinkurl", "doi", "verb", "email"})
#: declarations that only change the font
SWITCHES = frozenset({
    "em", "it", "bf", "sc", "rm", "sf", "tt", "sl", "up", "itshape", "bfseries", "scshape",
    "upshape", "mdseries", "normalfont", "rmfamily", "sffamily", "ttfamily", "slshape",
    "small", "large", "Large", "footnotesize", "normalsize", "relax", "selectfont", "boldmath",
    "unboldmath", "frenchspacing", "nolinebreak", "allowbreak",
})
#: one-character control symbols -> text
CONTROL_SYMBOLS = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ",
    ",": "\u2009", "-": "", "/": "", "@": "", ";": " ", ":": " ", "!": "", "\n": " ", "\t": " ",
}

_SPECIAL = re.compile(r"[\\{}~$`]|--|''")
_CTRL_WORD = re.compile(r"[a-zA-Z]+")
_SPACES = re.compile(r"[ \t\r\n]+")
# characters decode may change (with "--", "''" and double spaces, tested apart: faster)
_ANY = re.compile(r"[\\{}~$`\t\r\n]")

_cache: dict[str, str] = {}


# -- decoding ------------------------------------------------------------------------
def decode(value: str) -> str:
    """Plain Unicode for a LaTeX field value (whitespace collapsed, braces dropped).

    >>> decode(r'{\\"O}zt{\\"u}rk, {\\c C}a{\\u g}r{\\i} and G\\\"unther')
    'Öztürk, Çağrı and Günther'
    >>> decode(r'{The {GPU} Book} \\& pp.~3--5')
    'The GPU Book & pp. 3–5'
    """
    if (_ANY.search(value) is None and "--" not in value and "''" not in value and "  " not in value
            and value[:1] != " " and value[-1:] != " "):
        return value
    hit = _cache.get(value)
    if hit is not None:
        return hit
    out = _Decoder(value).run() if _SPECIAL.search(value) else value
    out = _SPACES.sub(" ", out).strip(" ")
    if len(_cache) > 200_000:
        _cache.clear()
    _cache[value] = out
    return out


class _Decoder:
    """A small scanner: copies plain text, interprets the LaTeX it knows."""

    __slots__ = ("combining", "n", "out", "pos", "s")

    def __init__(self, s: str):
        self.combining = False
        self.s = s
        self.n = len(s)
        self.pos = 0
        self.out: list[str] = []

    def run(self) -> str:
        s, out = self.s, self.out
        while True:
            m = _SPECIAL.search(s, self.pos)
            if m is None:
                out.append(s[self.pos:])
                break
            out.append(s[self.pos:m.start()])
            tok = m.group()
            self.pos = m.end()
            if tok == "\\":
                self._command()
            elif tok in ("{", "}"):
                pass  # grouping braces carry no text
            elif tok == "~":
                out.append(" ")
            elif tok == "--":
                if s.startswith("-", self.pos):
                    self.pos += 1
                    out.append("—")
                else:
                    out.append("–")
            elif tok == "$":
                self._math(m.start())
            elif tok == "`":
                if s.startswith("`", self.pos):
                    self.pos += 1
                    out.append("“")
                else:
                    out.append("‘")
            else:  # ''
                out.append("”")
        return "".join(out)

    def _math(self, start: int) -> None:
        """Math is kept verbatim, delimiters included; a lone Greek letter (``$\\beta$``) becomes Unicode."""
        s = self.s
        i = self.pos
        m = _GREEK_MATH.match(s, start)
        if m is not None and m.group(1) in GREEK:
            self.out.append(GREEK[m.group(1)])
            self.pos = m.end()
            return
        while True:
            j = s.find("$", i)
            if j < 0:  # unbalanced: keep the rest as is
                self.out.append(s[start:])
                self.pos = self.n
                return
            if s[j - 1] != "\\":
                self.out.append(s[start:j + 1])
                self.pos = j + 1
                return
            i = j + 1

    def _group_end(self, i: int) -> int:
        """Index just past the brace group opening at ``i`` (or the end of the text)."""
        j = match_brace(self.s, i)
        return self.n if j < 0 else j + 1

    def _skip_spaces(self) -> None:
        s = self.s
        while self.pos < self.n and s[self.pos] in " \t\n":
            self.pos += 1

    def _accent_argument(self) -> str | None:
        """The letter an accent applies to: ``{x}``, ``x``, ``{\\i}``, ``\\i``; None if unclear."""
        s, i = self.s, self.pos
        while i < self.n and s[i] in " \t\n":
            i += 1
        if i >= self.n:
            return None
        if s[i] == "{":
            j = self._group_end(i)
            inner: str | None
            inner = s[i + 1:j - 1].strip()
            base = _accent_base(inner)
            if base is None:
                return None
            self.pos = j
            return base
        if s[i] == "\\":
            m = _CTRL_WORD.match(s, i + 1)
            if m and m.group() in ("i", "j"):
                self.pos = m.end()
                return m.group()
            # a stacked accent (``\'\^E`` for Ế, ``\.\d{S}`` for Ṩ): the inner accented letter
            inner = s[i + 1] if i + 1 < self.n and s[i + 1] in ACCENTS and not s[i + 1].isalpha() else (
                m.group() if m and len(m.group()) == 1 and m.group() in ACCENTS else None)
            if inner is None:
                return None
            saved, self.pos = self.pos, i + 1 + len(inner)
            base = self._accent_argument()
            if base is None:
                self.pos = saved
                return None
            return unicodedata.normalize("NFC", base + ACCENTS[inner])
        if s[i] in "}$":
            return None
        self.pos = i + 1
        return s[i]

    def _command(self) -> None:
        s, out = self.s, self.out
        start = self.pos - 1
        if self.pos >= self.n:
            out.append("\\")
            return
        ch = s[self.pos]
        m = _CTRL_WORD.match(s, self.pos) if ch.isascii() and ch.isalpha() else None
        if m is None:  # control symbol
            self.pos += 1
            if ch in ACCENTS:
                base = self._accent_argument()
                if base is not None:
                    out.append(unicodedata.normalize("NFC", base + ACCENTS[ch]))
                    return
                out.append(s[start:self.pos])
                return
            text = CONTROL_SYMBOLS.get(ch)
            if text is None:
                out.append(s[start:self.pos])  # e.g. \\ : keep
            else:
                out.append(text)
            return
        name = m.group()
        self.pos = m.end()
        if len(name) == 1 and name in ACCENTS:
            base = self._accent_argument()
            if base is not None:
                out.append(unicodedata.normalize("NFC", base + ACCENTS[name]))
                return
        sym = SYMBOLS.get(name)
        if sym is not None:
            self._skip_spaces()
            if s.startswith("{}", self.pos):
                self.pos += 2
            out.append(sym)
            return
        if name in SWITCHES:
            self._skip_spaces()
            return
        if name in TEXT_COMMANDS or name in QUOTING:
            self._skip_spaces()
            if self.pos < self.n and s[self.pos] == "{":
                j = self._group_end(self.pos)
                if j - self.pos > 1:
                    inner = _Decoder(s[self.pos + 1:j - 1])
                    quotes = QUOTING.get(name, ("", ""))
                    out.append(quotes[0] + inner.run() + quotes[1])
                    self.combining = self.combining or inner.combining
                if j <= self.n and s[j - 1] != "}":
                    j = self.n
                self.pos = j
            return
        if name in VERBATIM_COMMANDS:
            i = self.pos
            while i < self.n and s[i] == "{":
                i = self._group_end(i)
            out.append(s[start:i])
            self.pos = i
            return
        # unknown command: keep it, with its arguments (whose text is decoded)
        out.append(s[start:self.pos])
        i = self.pos
        had_args = False
        while i < self.n and s[i] in "[{":
            if s[i] == "{":
                j = self._group_end(i)
                if s[j - 1] != "}":  # unbalanced: keep the rest as it is
                    out.append(s[i:])
                    self.pos = self.n
                    return
                inner = _Decoder(s[i + 1:j - 1])
                out.append("{" + inner.run() + "}")
                self.combining = self.combining or inner.combining
                i = j
            else:
                j = s.find("]", i)
                if j < 0:
                    break
                out.append(s[i:j + 1])
                i = j + 1
            had_args = True
        if not had_args and i < self.n and (s[i] == "}" or s[i].isalnum()):
            out.append("{}")  # {\Dash}the must not become \Dashthe
        self.pos = i


def _accent_base(inner: str) -> str | None:
    if len(inner) == 1:
        return inner
    if inner in ("\\i", "\\j"):
        return inner[1]
    if inner.startswith("{") and inner.endswith("}"):
        return _accent_base(inner[1:-1].strip())
    return None


# -- encoding ------------------------------------------------------------------------
_ESCAPE = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$", "{": r"\{", "}": r"\}",
           "~": r"\textasciitilde{}", "\\": r"\textbackslash{}"}
_PLAIN_SPECIAL = re.compile(r"[&%#_{}~$\\]|-{2,}|``|'{2,}|`")
_ASCII_SYMBOLS = {v: k for k, v in SYMBOLS.items() if len(v) == 1 and not v.isascii() and k[0].islower()}
_ASCII_SYMBOLS.update({"Ø": "O", "Æ": "AE", "Œ": "OE", "Å": "AA", "Ł": "L", "Ð": "DH", "Þ": "TH",
                       "Ŋ": "NG", "Đ": "DJ", "§": "S", "¶": "P"})
_ASCII_TEXT = {"–": "--", "—": "---", "“": "``", "”": "''", "‘": "`", "’": "\\textquoteright{}",
               "\u00a0": "\\nobreakspace{}",
               "\u2009": "\\,"}
# a verbatim island: math, or a command with its arguments
_ISLAND_START = re.compile(r"\$|\\(?:[a-zA-Z]+|.)")


def encode(text: str, ascii: bool = False) -> str:
    """BibTeX value text (without the outer braces) for Unicode ``text``.

    LaTeX islands (math, ``\\commands{...}`` that :func:`decode` kept verbatim) are
    copied unchanged; everything else is escaped.  With ``ascii=True`` non-ASCII
    letters become LaTeX accent commands.

    >>> encode('pages 3–5 in 2 × $x$ \\\\ch{H2O}', ascii=True)
    'pages 3--5 in 2 × $x$ \\\\ch{H2O}'
    """
    if not ascii and not _PLAIN_SPECIAL.search(text):
        return text
    if ascii and text.isascii() and not _PLAIN_SPECIAL.search(text):
        return text
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _ISLAND_START.search(text, pos)
        if m is None:
            out.append(_encode_plain(text[pos:], ascii))
            break
        island = _island(text, m, ascii)
        if island is None:  # not a well-formed island: escape the character
            out.append(_encode_plain(text[pos:m.start() + 1], ascii))
            pos = m.start() + 1
            continue
        out.append(_encode_plain(text[pos:m.start()], ascii))
        out.append(island[1])
        pos = island[0]
        if ascii and pos < n and not text[pos].isascii():
            # right after a command a braced {\"u} would be read as its argument
            out.append(_ascii_char(text[pos], braced=False))
            pos += 1
    return "".join(out)


def _island(text: str, m: re.Match[str], ascii: bool) -> tuple[int, str] | None:
    """(end, encoded text) of the LaTeX island starting at ``m``; None if it is not one."""
    tok = m.group()
    if tok == "$":
        j = text.find("$", m.end())
        while j > 0 and text[j - 1] == "\\":
            j = text.find("$", j + 1)
        if j <= 0 or not _balanced(text[m.end():j]):
            return None  # copied as it is, an unbalanced brace would break the BibTeX value
        return j + 1, text[m.start():j + 1]
    if len(tok) == 2 and not tok[1].isalpha():
        # an escaped character survives decoding only inside verbatim text: escape it
        return None
    name = tok[1:]
    if name in TEXT_COMMANDS or name in SWITCHES or name in SYMBOLS or (len(name) == 1 and name in ACCENTS):
        return None  # decode would have interpreted it: it is literal text here
    parts = [tok]
    i, n = m.end(), len(text)
    verbatim = name in VERBATIM_COMMANDS
    while i < n and text[i] in "[{":
        if text[i] == "{":
            depth, j = 0, i
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text[j] == "{":
                    depth += 1
                elif text[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= n:
                return None
            parts.append(text[i:j + 1] if verbatim else "{" + encode(text[i + 1:j], ascii) + "}")
            i = j + 1
        else:
            j = text.find("]", i)
            if j < 0:
                return None
            parts.append(text[i:j + 1])
            i = j + 1
    return i, "".join(parts)


def match_brace(s: str, i: int) -> int:
    r"""Index of the ``}`` closing the brace group that opens at or after ``i``; -1 if it is never closed.
    Backslash escapes (``\{``) are skipped.

    >>> match_brace("{a{b}\\}c}d", 0)
    8
    """
    depth, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _balanced(text: str) -> bool:
    depth, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


def _encode_plain(text: str, ascii: bool) -> str:
    if not text:
        return text
    if _PLAIN_SPECIAL.search(text):
        text = _PLAIN_SPECIAL.sub(_escape_match, text)
    if ascii and not text.isascii():
        if "–" in text or "—" in text:
            text = _DASH.sub(_dash_match, text)
        out: list[str] = []
        for i, ch in enumerate(text):
            rep = ch if ch.isascii() else _ascii_char(ch)
            if rep[:1] in ("`", "'") and not ch.isascii() and (
                    (out and out[-1].endswith(rep[0])) or text[i + 1:i + 2] == rep[-1]):
                rep = "{" + rep + "}"  # "‘‘" must not become "``" (read back as “)
            out.append(rep)
        text = "".join(out)
    return text


_DASH = re.compile(r"-?[–—][-–—]*")


def _dash_match(m: re.Match[str]) -> str:
    """En/em dashes as ``--``/``---``, kept apart from neighbouring dashes by ``{}``."""
    return "{}".join({"–": "--", "—": "---"}.get(c, c) for c in m.group())


def _escape_match(m: re.Match[str]) -> str:
    tok = m.group()
    if tok.startswith("--"):
        return "{}".join(tok)  # "-{}-{}-": "---" must not read back as a dash
    if tok[0] == "'":
        return "{}".join(tok)  # "'{}'{}'": no two apostrophes may meet and read back as a closing quote
    if tok == "``":
        return r"\textasciigrave{}\textasciigrave{}"
    if tok == "`":
        return r"\textasciigrave{}"
    return _ESCAPE[tok]


def _ascii_char(ch: str, braced: bool = True) -> str:
    if ch in _ASCII_TEXT:
        return _ASCII_TEXT[ch]
    if ch in _GREEK_TO_LATEX:
        return "$\\" + _GREEK_TO_LATEX[ch] + "$"
    if ch in _ASCII_SYMBOLS:
        return "{\\" + _ASCII_SYMBOLS[ch] + "}" if braced else "\\" + _ASCII_SYMBOLS[ch] + "{}"
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if marks and base.isascii() and all(mk in COMBINING_TO_ACCENT for mk in marks):
        out = base if base not in "ij" else "\\" + base
        for mk in marks:
            acc = COMBINING_TO_ACCENT[mk]
            out = f"\\{acc}{{{out}}}" if acc.isalpha() or not braced else f"\\{acc}{out}"
        return "{" + out + "}" if braced else out
    return ch


# -- title case protection --------------------------------------------------------------
_WORD = re.compile(r"[^\s{}]+")
_STOP_TEXT = "a an and as at but by for from in into of on or over the to via with vs"
_STOP = frozenset(_STOP_TEXT.split())


def protect_title(encoded: str) -> str:
    """Brace the words of an encoded title that a style must not lowercase.

    Acronyms and mixed case words (``GPU``, ``FSMoE``, ``iPhone``) always; in a
    sentence-case title also capitalised words after the first (proper nouns).

    >>> protect_title('FSMoE: a flexible system for GPU training with Gaussian noise')
    '{FSMoE}: a flexible system for {GPU} training with {Gaussian} noise'
    >>> protect_title('Deep Learning for Vision')
    'Deep Learning for Vision'
    >>> protect_title('Flash-LLM: Cost-Effective Inference with Inter- and Intra-Stage Fusion')
    'Flash-{LLM}: Cost-Effective Inference with Inter- and Intra-Stage Fusion'
    """
    if "{" in encoded or "$" in encoded or "\\" in encoded:
        return encoded  # already has LaTeX structure: leave it alone
    words = _WORD.findall(encoded)
    if not words:
        return encoded
    later = [w for w in words[1:] if w.strip(".,:;!?()\"'").lower() not in _STOP and w[:1].isalpha()]
    capitalised = sum(1 for w in later if w[:1].isupper())
    sentence_case = bool(later) and capitalised < 0.6 * len(later)

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        core = word.strip(".,:;!?()\"'")
        if not core or not any(c.isalpha() for c in core):
            return word
        if "-" in core.strip("-"):
            # a hyphenated word: only its parts a style must not lowercase ("Flash-{LLM}"), not
            # capitalised parts ("Intra-Stage", "Co-Design" in a title-case title)
            i = word.index(core)
            parts = [("{" + p + "}" if _mixed(p) else p) for p in core.split("-")]
            return word[:i] + "-".join(parts) + word[i + len(core):]
        rest = core[1:]
        protect = any(c.isupper() for c in rest) or (
            sentence_case and m.start() > 0 and core[0].isupper() and not _after_colon(encoded, m.start()))
        if not protect:
            return word
        i = word.index(core)
        return word[:i] + "{" + core + "}" + word[i + len(core):]

    return _WORD.sub(fix, encoded)


def _mixed(part: str) -> bool:
    """An acronym, a mixed-case word or a formula: a capital after the first character (``LLM``, ``iPhone``,
    ``FP6``, ``H2O``)."""
    return any(c.isupper() for c in part[1:])


def _after_colon(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return before.endswith((":", ".", "?", "!"))
