"""A linear-chain CRF (python-crfsuite): training, lazy loading, labels with marginals.

Both learned models of the parser are :class:`Model`s: the finder over a page's lines,
the tagger over an entry's tokens. A model file is crfsuite's own binary format; it is
opened once, on first use.
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from .features import Features

#: training parameters: L-BFGS with elastic-net regularisation (crfsuite's defaults are weaker)
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
#: the finder's: stronger regularisation (few real pages; no one cue such as the indentation may decide alone)
FINDER_PARAMS = {"c1": 0.3, "c2": 0.05}


def _items(xseq: Sequence[Features]):
    import pycrfsuite

    # crfsuite reads a string value as the feature "name:value" with weight 1
    return pycrfsuite.ItemSequence(xseq)


class Model:
    """A trained CRF, loaded lazily from ``path``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._tagger = None
        self._lock = threading.RLock()

    def _open(self):
        if self._tagger is None:
            with self._lock:
                if self._tagger is None:
                    import pycrfsuite

                    tagger = pycrfsuite.Tagger()
                    tagger.open(str(self.path))
                    self._tagger = tagger
        return self._tagger

    def labels(self) -> list[str]:
        return list(self._open().labels())

    def tag(self, xseq: Sequence[Features]) -> tuple[list[str], list[float]]:
        """Best label sequence and each label's marginal probability."""
        if not xseq:
            return [], []
        with self._lock:
            tagger = self._open()
            tagger.set(xseq)  # (read as by _items, without an ItemSequence that set() copies again)
            ys = tagger.tag()
            probs = [tagger.marginal(y, i) for i, y in enumerate(ys)]
            return list(ys), probs

    def marginals(self, xseq: Sequence[Features]) -> list[dict[str, float]]:
        """Every label's marginal probability at every position."""
        if not xseq:
            return []
        with self._lock:
            tagger = self._open()
            tagger.set(xseq)  # (read as by _items, without an ItemSequence that set() copies again)
            tagger.tag()
            labels = tagger.labels()
            return [{lab: tagger.marginal(lab, i) for lab in labels} for i in range(len(xseq))]


def shipped(name: str) -> Path:
    """The path of a model that ships with bibkit (``finder``, ``tagger``)."""
    from importlib import resources

    return Path(str(resources.files("bibkit").joinpath(f"data/models/{name}.crfsuite")))


@functools.cache
def load(path: str | os.PathLike[str]) -> Model:
    """The model at ``path``, opened once per process."""
    return Model(path)


def train(data: Iterable[tuple[Sequence[Features], Sequence[str]]], path: str | os.PathLike[str],
          params: dict | None = None, verbose: bool = False) -> Model:
    """Train a CRF on (features, labels) sequences and write it to ``path`` (atomically)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    trainer.set_params({**PARAMS, **(params or {})})
    n = 0
    for xseq, yseq in data:
        if xseq:
            trainer.append(_items(xseq), list(yseq))
            n += 1
    if not n:
        raise ValueError("no training sequences")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        trainer.train(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return Model(path)
