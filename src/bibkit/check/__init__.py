"""``bibkit check``: find duplicate and unreadable entries in .bib files, read-only.

Everything given to one :func:`check_files` call is checked together, so a key or a
paper that appears in two files is found.  Each finding names a file, a line and a
column, a severity, a stable code (``BKnnn``, see :data:`CODES`) and where the
other copy is (``also_at``).

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "refs.bib")
>>> _ = open(p, "w").write('@article{knuth84, title={Literate Programming}, year=1984}\\n'
...                        '@book{Knuth84, title={The TeXbook}, year=1984}\\n')
>>> report = check_files([p], config=CheckConfig())
>>> [(f.line, f.code, f.severity) for f in report.findings]
[(2, 'BK101', 'error')]
>>> report.exit_code
1

The package: :mod:`.config` (codes, ``[tool.bibkit.check]``), :mod:`.scan` (the BibTeX
scanner), :mod:`.findings` (findings, the report, the duplicate checks), :mod:`.stream`
(big files in two passes), :mod:`.run` (:func:`check_files`) and :mod:`.fix` (``--fix``);
each imports only the ones before it.
"""

from __future__ import annotations

from .config import CHECKS, CODES, CheckConfig, find_config, load_config
from .findings import CheckReport, Finding, Location
from .fix import FixReport, fix_files
from .run import check_files

__all__ = [
           "CHECKS",
           "CODES",
           "CheckConfig",
           "CheckReport",
           "Finding",
           "FixReport",
           "Location",
           "check_files",
           "find_config",
           "fix_files",
           "load_config",
]
