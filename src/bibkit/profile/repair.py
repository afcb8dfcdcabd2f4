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
import re
import unicodedata

import ftfy

# characters Mac Roman maps bytes 0x80-0xFF to (runs of them may be UTF-8 mojibake)
_MAC_HIGH = "".join(bytes([b]).decode("mac_roman") for b in range(0x80, 0x100))
_MAC_RUN = re.compile("[" + re.escape(_MAC_HIGH) + "]{2,12}")
# a UTF-8 lead byte read as Latin-1/cp1252, followed by a continuation byte read the same way
_SUSPECT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                      "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}


def _fix_mac_run(match: re.Match[str]) -> str:
    run = match.group(0)
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
    if not any(c >= "\u00c4" for c in text):
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


def strip_symbols(text: str) -> str:
    """Drop emoji and other pictographic symbols (markers such as 📧 or 💡).

    >>> strip_symbols("X.📧 Chu💡")
    'X. Chu'
    """
    if text.isascii():
        return text
    return _NON_LATIN.sub(_drop_symbol, text)


_NON_LATIN = re.compile("[^\x00-\u024f]")


def _drop_symbol(m: re.Match[str]) -> str:
    return "" if _is_symbol(m.group(0)) else m.group(0)


def _is_symbol(c: str) -> bool:
    if c.isascii() or "\ue000" <= c <= "\ue00f":  # bibkit's own emphasis markers are kept
        return False
    cat = unicodedata.category(c)
    if cat == "So" or c in "\ufe0f\ufe0e\u20e3":
        return True
    return cat == "Cs" or (cat == "Co")
