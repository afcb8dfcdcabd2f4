"""Errors bibkit raises on bad input; the CLI prints them as one line."""

from __future__ import annotations


class BibkitError(Exception):
    """An error caused by the user's input or options (exit code :attr:`exit_code`, 2, in the CLI).

    ``str(err)`` is a single line naming the file and line when they are known:

    >>> str(BibkitError("unbalanced braces", source="refs.bib", line=12))
    'refs.bib:12: unbalanced braces'
    """

    #: the command line's exit status for this error
    exit_code = 2

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        loc = ""
        if self.source:
            loc = self.source if self.line is None else f"{self.source}:{self.line}"
            loc += ": "
        return loc + self.message


class InputError(BibkitError):
    """The input could not be read (unreadable file, unknown format, bad encoding)."""


class UsageError(BibkitError):
    """Options that do not fit together (unknown style, output equal to input...)."""


class OutputError(BibkitError):
    """An output could not be written to the end (disk full, I/O error); the previous file is intact.

    The run did its work, so the CLI exits with 1, as for any other reported error.
    """

    exit_code = 1
