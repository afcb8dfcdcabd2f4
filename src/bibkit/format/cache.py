"""On-disk cache of rendered entries, keyed by (style, locale, entry content).

One SQLite file (one table, primary-key index) in the user cache directory (``platformdirs``), in
``$BIBKIT_CACHE_DIR`` when set, or in the directory given (``--cache-dir``).  Values are *marked* strings (see
:mod:`bibkit.format.markup`), so one cached rendering serves text, HTML and Markdown; the keys are digests, and
nothing but rendered entries, sort keys and conversion errors is stored.  A failing cache is never an error: a
file that is not a database is replaced by a new one, and an unusable directory (read-only disk) means
rendering goes on without a cache.

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
                try:
                    self._db = self._open()
                except sqlite3.DatabaseError:  # not a database (corrupt, truncated): start a new one
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                    self._db = self._open()
            except (OSError, sqlite3.Error):
                self._broken = True
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS render (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
            db.execute("SELECT v FROM render LIMIT 1").fetchall()
        except sqlite3.Error:
            db.close()
            raise
        return db

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
