"""The ``bibkit`` command line: a thin layer over the Python API.

One module per command; :mod:`bibkit.cli.main` holds the group and the error
handling every command shares.
"""

from .main import cli, main

__all__ = ["cli", "main"]
