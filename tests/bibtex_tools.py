"""Run the real BibTeX tools on a .bib text: TeX Live's ``bibtex`` with a style, ``biber --tool
--validate-datamodel``; what they warn about and what they call errors, one line each.

Used by tests/test_bibtex_tools.py and by hand (``python tests/bibtex_tools.py FILE.bib``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: the styles the check runs: each is the first of its row that ``kpsewhich`` finds (IEEEtran comes with
#: Debian's texlive-publishers, ieeetr and acm with texlive-binaries' base styles).  ACM-Reference-Format
#: (texlive-publishers) is left out: it warns about every conference paper without the proceedings'
#: publisher and address, every paper without page numbers and every entry without a year, which no
#: publication page gives (docs/bibtex.md has its figures)
STYLES = (("plain",), ("IEEEtran", "ieeetr"), ("acm",))

_BIBTEX_WARNING = re.compile(r"^Warning--(.*)$", re.M)
#: bibtex's error messages end with "---line N of file X" or "---this can't happen" and friends
_BIBTEX_ERROR = re.compile(r"^(.*?)---(line \d+ of file .*|.*)$", re.M)
_BIBER_LINE = re.compile(r"^(WARN|ERROR) - (.*)$", re.M)


def available() -> bool:
    return all(shutil.which(t) for t in ("bibtex", "kpsewhich", "biber"))


def styles() -> list[str]:
    """The style of each row of :data:`STYLES` this TeX installation has."""
    found = []
    for row in STYLES:
        for name in row:
            if _kpsewhich(name + ".bst"):
                found.append(name)
                break
    return found


def _kpsewhich(name: str) -> str:
    out = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False)
    return out.stdout.strip()


def bibtex_messages(bib: str, style: str) -> tuple[list[str], list[str]]:
    """(warnings, errors) of ``bibtex`` with ``style`` on ``bib``, every entry cited (``\\citation{*}``)."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "refs.bib").write_text(bib, encoding="utf-8")
        (d / "doc.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{" + style + "}\n\\bibdata{refs}\n",
                                   encoding="utf-8")
        subprocess.run(["bibtex", "-terse", "doc"], cwd=d, capture_output=True, check=False, timeout=600)
        log = (d / "doc.blg").read_text(encoding="utf-8", errors="replace")
    warnings = _BIBTEX_WARNING.findall(log)
    errors = [m.group(0) for m in _BIBTEX_ERROR.finditer(log) if not m.group(0).startswith("Warning--")
              and ("---line" in m.group(0) or "error" in m.group(0).lower())]
    m = re.search(r"\(There (?:was|were) (\d+) error messages?\)", log)
    if m and not errors:
        errors = [f"{m.group(1)} error message(s), see the .blg"]
    return warnings, errors


def biber_messages(bib: str) -> tuple[list[str], list[str]]:
    """(warnings, errors) of ``biber --tool --validate-datamodel`` on ``bib``."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "refs.bib").write_text(bib, encoding="utf-8")
        run = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-file", str(d / "out.bib"),
                              "refs.bib"], cwd=d, capture_output=True, check=False, timeout=600)
        log = run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace")
    warnings = [m.group(2) for m in _BIBER_LINE.finditer(log) if m.group(1) == "WARN"]
    errors = [m.group(2) for m in _BIBER_LINE.finditer(log) if m.group(1) == "ERROR"]
    return warnings, errors


def main(argv: list[str]) -> int:
    for name in argv:
        bib = Path(name).read_text(encoding="utf-8")
        for style in styles():
            w, e = bibtex_messages(bib, style)
            print(f"{name}: bibtex {style}: {len(w)} warnings, {len(e)} errors")
            for line in (w + e)[:15]:
                print("   ", line)
        w, e = biber_messages(bib)
        print(f"{name}: biber: {len(w)} warnings, {len(e)} errors")
        for line in (w + e)[:15]:
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
