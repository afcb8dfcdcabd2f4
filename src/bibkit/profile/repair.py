"""Text repair before parsing: mojibake, entities, ligatures, invisible characters.

ftfy fixes most mojibake (UTF-8 read as cp1252 / latin-1) and ligatures.  What it
misses is handled here: UTF-8 read as Mac Roman (``‚Äì`` for an en dash, ``üìß``
for an emoji whose first byte was lost), non-breaking and zero-width characters.

>>> repair_text("ArtiÔ¨Åcial Intelligence")
'Artificial Intelligence'
>>> repair_text("pages 230‚Äì237")
'pages 230–237'
>>> repair_text("X.üìß Chu")
'X.📧 Chu'
>>> repair_text("a\\u00a0b\\u200bc")
'a bc'
"""

from __future__ import annotations

import html
import unicodedata
from functools import cache, lru_cache

import ftfy

from . import rx as re

# characters Mac Roman maps bytes 0x80-0xFF to (runs of them may be UTF-8 mojibake)
_MAC_HIGH = "".join(bytes([b]).decode("mac_roman") for b in range(0x80, 0x100))
_MAC_RUN = re.compile("[" + re.escape(_MAC_HIGH) + "]{2,12}")
# a UTF-8 lead byte read as Latin-1/cp1252, followed by a continuation byte read the same way
_SUSPECT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                      "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_AT_LEAST_C4 = re.compile("[\u00c4-\U0010ffff]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}


def _fix_mac_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) == 2 and run[0] in "–—“”‘’":
        return run  # "“Über", "—É": a quote or dash before an accented letter, not one stray Cyrillic letter
    try:
        raw = run.encode("mac_roman")
    except UnicodeEncodeError:  # pragma: no cover - the class only holds encodable characters
        return run
    out = []
    i = 0
    changed = False
    while i < len(raw):
        b = raw[i]
        # a lead byte and its continuation bytes
        need = 1 if 0xC2 <= b <= 0xDF else 2 if 0xE0 <= b <= 0xEF else 3 if 0xF0 <= b <= 0xF4 else 0
        if need and i + need < len(raw) + 0 and all(0x80 <= c <= 0xBF for c in raw[i + 1:i + 1 + need]) \
                and len(raw[i + 1:i + 1 + need]) == need:
            try:
                out.append(raw[i:i + 1 + need].decode("utf-8"))
                i += 1 + need
                changed = True
                continue
            except UnicodeDecodeError:
                pass
        # a 4-byte sequence whose lead byte (0xF0, Mac Roman's private Apple logo) was lost
        if b == 0x9F and i + 2 < len(raw) and all(0x80 <= c <= 0xBF for c in raw[i + 1:i + 3]):
            try:
                out.append((b"\xf0" + raw[i:i + 3]).decode("utf-8"))
                i += 3
                changed = True
                continue
            except UnicodeDecodeError:
                pass
        out.append(bytes([b]).decode("mac_roman"))
        i += 1
    return "".join(out) if changed else run


def fix_mac_roman(text: str) -> str:
    """Undo UTF-8 that was decoded as Mac Roman (only runs that decode cleanly)."""
    if text.isascii() or not _AT_LEAST_C4.search(text):  # one C-level scan instead of a generator per character
        return text
    return _MAC_RUN.sub(_fix_mac_run, text)


def repair_text(text: str, *, entities: bool = True) -> str:
    """Repair a whole page: Mac Roman and cp1252 mojibake, HTML entities (when
    ``entities``), ligatures, non-breaking spaces, zero-width characters."""
    if not text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = fix_mac_roman(text)
    if not text.isascii():
        # ftfy is slow: only lines with non-ASCII characters can hold mojibake
        text = "\n".join(ftfy.fix_text(ln, unescape_html=False, normalization="NFC", fix_line_breaks=False)
                         if _SUSPECT.search(ln) else ln for ln in text.split("\n"))
    if entities and "&" in text:
        text = re.sub(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
                      lambda m: html.unescape(m.group(0)), text)
    for lig, rep in _LIGATURES.items():
        if lig in text:
            text = text.replace(lig, rep)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return text


@lru_cache(maxsize=4096)  # (the rules ask for a line's several times)
def strip_symbols(text: str) -> str:
    """Drop emoji and other pictographic symbols (markers such as 📧 or 💡).

    >>> strip_symbols("X.📧 Chu💡")
    'X. Chu'
    """
    if text.isascii():
        return text
    return _symbol_re().sub("", text)


@cache
def _symbol_re() -> re.Pattern[str]:
    """One character class for every symbol strip_symbols drops (built once)."""
    ranges: list[tuple[int, int]] = []
    blocks = [(0xA0, 0x3FF), (0x2000, 0x2BFF), (0x2E00, 0x2E7F), (0x3000, 0x303F), (0x3200, 0x33FF),
              (0x4DC0, 0x4DFF), (0xE000, 0xF8FF), (0xFE00, 0xFE0F), (0xFFF0, 0xFFFF)]
    for cp in (c for lo, hi in blocks for c in range(lo, hi + 1)):
        if _is_symbol(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = [re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges]
    # emoji and pictographs beyond the BMP, private-use planes
    parts.append("\U0001F000-\U0001FAFF\U000F0000-\U0010FFFF")
    return re.compile("[" + "".join(parts) + "]")


def _is_symbol(c: str) -> bool:
    if c.isascii() or "\ue000" <= c <= "\ue00f":  # bibkit's own emphasis markers are kept
        return False
    cat = unicodedata.category(c)
    if cat == "So" or c in "\ufe0f\ufe0e\u20e3":
        return True
    return cat == "Cs" or (cat == "Co")
