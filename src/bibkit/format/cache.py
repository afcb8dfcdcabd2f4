"""On-disk cache of rendered entries, keyed by (style, locale, entry content).

One SQLite file in the user cache directory (``platformdirs``), or in ``$BIBKIT_CACHE_DIR`` when set.  Values
are *marked* strings (see :mod:`bibkit.format.markup`), so one cached rendering serves text, HTML and
Markdown.  A failing cache (read-only disk, corrupt file) is never an error: rendering goes on without it.

>>> import tempfile
>>> c = RenderCache(tempfile.mkdtemp())
>>> c.put_many({"a": "x"}); c.get_many(["a", "b"])
{'a': 'x'}
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

ENV_VAR = "BIBKIT_CACHE_DIR"


def default_cache_dir() -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("bibkit"))


class RenderCache:
    """A tiny key/value store (SQLite, WAL) for rendered entries and sort keys."""

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.path = self.directory / "format-cache.sqlite3"
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=5)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS render (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
                self._db = db
            except (OSError, sqlite3.Error):
                self._broken = True
        return self._db

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        db = self._conn()
        keys = list(dict.fromkeys(keys))
        out: dict[str, str] = {}
        if db is None:
            return out
        try:
            for start in range(0, len(keys), 900):
                chunk = keys[start:start + 900]
                marks = ",".join("?" * len(chunk))
                out.update(db.execute(f"SELECT k, v FROM render WHERE k IN ({marks})", chunk).fetchall())
        except sqlite3.Error:
            self._broken = True
        return out

    def put_many(self, values: dict[str, str]) -> None:
        db = self._conn()
        if db is None or not values:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO render (k, v) VALUES (?, ?)", values.items())
        except sqlite3.Error:
            self._broken = True

    def clear(self) -> None:
        db = self._conn()
        if db is not None:
            with db:
                db.execute("DELETE FROM render")

    def __getstate__(self) -> dict:  # never share a connection with a forked worker
        state = dict(self.__dict__)
        state["_db"] = None
        return state
