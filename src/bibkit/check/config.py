"""The check's codes and its ``[tool.bibkit.check]`` configuration."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError

#: code -> (check it belongs to, default severity, what it means)
CODES: dict[str, tuple[str, str, str]] = {
    "BK001": ("syntax", "error", "a block could not be read (syntax error); the message says why"),
    "BK002": ("syntax", "error", "a block starting with @ was skipped by the reader without an error"),
    "BK003": ("syntax", "warning", "the reader read the block but warned about it (e.g. an undefined @string macro)"),
    "BK004": ("syntax", "error", "a merge-conflict marker (<<<<<<<, =======, >>>>>>>) left in the file"),
    "BK005": ("syntax", "error", "'name = value' lines outside any entry (an entry whose '@type{key,' line was "
              "deleted)"),
    "BK101": ("keys", "error", "duplicate citation key (keys compare case-insensitively, as in BibTeX)"),
    "BK102": ("identifiers", "error", "the same DOI under a different key"),
    "BK103": ("identifiers", "error", "the same arXiv id under a different key"),
    "BK104": ("identifiers", "error", "the same ISBN under a different key (whole books only, not chapters)"),
    "BK105": ("same-work", "error", "the same paper under a different key (title, authors, year)"),
    "BK106": ("identifiers", "error", "a DOI or arXiv id shared by two different works (unrelated titles): a copied "
              "identifier"),
    "BK201": ("preprints", "warning", "a preprint and the published version of one paper (error with --strict)"),
    "BK202": ("same-work", "warning", "the same title, authors and year under two entry types, such as a conference "
              "paper and a journal article (error with --strict)"),
}

#: the checks that can be switched on and off (``checks = [...]`` in the config)
CHECKS: tuple[str, ...] = ("syntax", "keys", "identifiers", "same-work", "preprints")


@dataclass
class CheckConfig:
    """The ``[tool.bibkit.check]`` table of a pyproject.toml.

    >>> cfg = CheckConfig.from_table({"strict": True, "ignore": ["BK201"],
    ...                                "allow-duplicates": [["a", "B"]], "checks": ["keys"]})
    >>> cfg.strict, sorted(cfg.ignore), [sorted(g) for g in cfg.allow], sorted(cfg.checks)
    (True, ['BK201'], [['a', 'b']], ['keys'])
    """

    strict: bool = False
    checks: frozenset[str] = frozenset(CHECKS)
    ignore: frozenset[str] = frozenset()  # finding codes never reported
    allow: list[frozenset[str]] = field(default_factory=list)  # key groups allowed to be duplicates
    source: str | None = None  # the file it was read from

    @classmethod
    def from_table(cls, table: Mapping[str, Any], source: str | None = None) -> CheckConfig:
        """Validate a ``[tool.bibkit.check]`` table; unknown names are a UsageError."""
        where = f"[tool.bibkit.check] in {source}" if source else "[tool.bibkit.check]"
        known = {"strict", "checks", "ignore", "allow-duplicates"}
        unknown = sorted(set(table) - known)
        if unknown:
            raise UsageError(f"{where}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
        strict = table.get("strict", False)
        if not isinstance(strict, bool):
            raise UsageError(f"{where}: strict must be true or false")
        checks = _str_list(table.get("checks", list(CHECKS)), "checks", where)
        bad = [c for c in checks if c not in CHECKS]
        if bad:
            raise UsageError(f"{where}: unknown check {bad[0]!r}; known: {', '.join(CHECKS)}")
        ignore = [c.upper() for c in _str_list(table.get("ignore", []), "ignore", where)]
        bad = [c for c in ignore if c not in CODES]
        if bad:
            raise UsageError(f"{where}: unknown code {bad[0]!r} in ignore; known: {', '.join(CODES)}")
        groups = table.get("allow-duplicates", [])
        if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
            raise UsageError(f"{where}: allow-duplicates must be a list of lists of keys")
        allow = [frozenset(k.casefold() for k in _str_list(g, "allow-duplicates", where)) for g in groups]
        return cls(strict=strict, checks=frozenset(checks), ignore=frozenset(ignore), allow=allow, source=source)


def _str_list(value: Any, name: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {name} must be a list of strings")
    return value


def _toml_load(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read config: {exc.strerror or exc}", source=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"invalid TOML: {exc}", source=str(path)) from None


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest pyproject.toml from ``start`` (default: the working directory) up to the
    repository root (the first directory holding ``.git``)."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
        if (directory / ".git").exists():
            return None
    return None


def load_config(path: str | os.PathLike[str] | None = None) -> CheckConfig:
    """Read ``[tool.bibkit.check]`` from ``path`` (or the nearest pyproject.toml); defaults
    when there is no file or no table.  An explicit ``path`` that does not exist is a UsageError."""
    if path is None:
        found = find_config()
        if found is None:
            return CheckConfig()
        target = found
    else:
        target = Path(path)
        if not target.is_file():
            raise UsageError("config file not found", source=str(path))
    data = _toml_load(target)
    table = data.get("tool", {}).get("bibkit", {}).get("check", {})
    if not isinstance(table, dict):
        raise UsageError("[tool.bibkit.check] must be a table", source=str(target))
    return CheckConfig.from_table(table, source=str(target))
