"""Readers and writers, one module per format.

Each module in this package defines a module-level ``FORMAT`` (a
:class:`bibkit.io.registry.Format`).  The registry discovers them, so adding a
format means adding one module here and touching nothing else.
"""

from .registry import Format, detect_format, formats, get_format

__all__ = ["Format", "detect_format", "formats", "get_format"]
