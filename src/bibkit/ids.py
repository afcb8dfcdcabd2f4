"""Identifiers: finding and normalising DOIs, arXiv ids and ISBNs; checking ISSNs and ISBNs.

One place for the patterns that the deduplicator (comparison keys), the check
(duplicate identifiers) and the enrichment adapters (service answers) share.

>>> find_doi("https://doi.org/10.1038/Nature14539."), normalize_doi("doi: 10.1038/Nature14539")
('10.1038/Nature14539', '10.1038/nature14539')
>>> find_arxiv("http://arxiv.org/abs/1706.03762v5"), find_arxiv("arXiv:hep-th/9901001v2")
('1706.03762', 'hep-th/9901001')
>>> normalize_isbn("0-306-40615-2")
'9780306406157'
>>> issn_problem("0021-9606"), issn_problem("1307-1325"), isbn_problem("0-582-44663-8")
(None, 'wrong check digit', 'wrong check digit')
"""

from __future__ import annotations

import re
from typing import Any

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|urn:doi:)", re.I)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
_ARXIV_OLD = re.compile(r"\b([a-z][a-z.-]+/\d{7})(?:v\d+)?\b", re.I)


def find_doi(value: str | None) -> str | None:
    """The bare DOI in ``value`` as written (no resolver prefix, no trailing punctuation), or None."""
    if not value or not isinstance(value, str):
        return None
    m = _DOI.search(_DOI_PREFIX.sub("", value.strip()))
    return m.group(0).rstrip(".,;)]}>\"'") if m else None


def normalize_doi(value: str | None) -> str:
    """The DOI in ``value`` in comparable form (lower case); '' if there is none."""
    doi = find_doi(value)
    return doi.lower() if doi else ""


def find_arxiv(value: str | None) -> str | None:
    """The arXiv identifier in ``value``, without version, or None."""
    if not value or not isinstance(value, str):
        return None
    m = _ARXIV_NEW.search(value) or _ARXIV_OLD.search(value)
    return m.group(1) if m else None


def normalize_arxiv(value: str | None) -> str:
    """The arXiv identifier in comparable form (lower case, no version); '' if there is none."""
    found = find_arxiv(value)
    return found.lower() if found else ""


def normalize_isbn(value: str | None) -> str:
    """ISBN-13 digits (ISBN-10 converted); '' if not an ISBN."""
    if not value:
        return ""
    digits = re.sub(r"[^0-9Xx]", "", value.split(",")[0].split(";")[0]).upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core)) % 10) % 10
        return core + str(check)
    if len(digits) == 13 and digits.isdigit():
        return digits
    return ""


def _number_problem(value: str, module: Any, lengths: tuple[int, ...]) -> str | None:
    """Why ``value`` is not one valid number of ``module`` (a python-stdnum format), read as biber's
    Business::ISSN / Business::ISBN read a field: upper-cased, every character but ``0-9`` and ``X``
    dropped (``ISSN 0021-9606 (print)`` is valid, two ISSNs in one field are not); None when valid."""
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

    digits = re.sub(r"[^0-9X]", "", value.upper())
    try:
        if len(digits) not in lengths:  # (python-stdnum takes a 9-digit SBN as an ISBN, biber does not)
            raise InvalidLength()
        module.validate(digits)
    except InvalidChecksum:
        return "wrong check digit"
    except InvalidLength:
        return f"{len(digits)} digits, not {' or '.join(map(str, lengths))}"
    except ValidationError:
        return "not a number of that form"
    return None


def issn_problem(value: str) -> str | None:
    """Why the ``issn`` field ``value`` is not a valid ISSN (``wrong check digit``...), or None.

    python-stdnum checks the digits (a maintained library of the standard numbers' rules)."""
    from stdnum import issn

    return _number_problem(value, issn, (8,))


def isbn_problem(value: str) -> str | None:
    """Why the ``isbn`` field ``value`` is not a valid ISBN-10 or ISBN-13, or None (python-stdnum)."""
    from stdnum import isbn

    return _number_problem(value, isbn, (10, 13))
