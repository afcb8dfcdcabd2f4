"""``bibkit train``: train the parser's models, with a user's corrected labels added."""

from __future__ import annotations

from pathlib import Path

import click

from .common import summary

#: the folder ``bibkit train`` writes to when ``-o`` is not given
DEFAULT_OUT = "bibkit-model"


def shipped_models() -> Path:
    """The package's own model folder (``bibkit/data/models``)."""
    return Path(__file__).resolve().parents[1] / "data" / "models"


def _output_folder(out: str | None) -> Path:
    """The folder to train into, checked before any work: the default must be new (so the shipped
    models are replaced only when ``-o`` names their folder)."""
    from ..errors import UsageError

    if out is None:
        path = Path(DEFAULT_OUT)
        if path.exists():
            raise UsageError(f"{DEFAULT_OUT} already exists; name the folder to write with -o "
                             f"(its models are replaced)")
    else:
        path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"cannot write models to {path}: not a folder")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write models to {path}: no such directory {path.parent}")
    return path


def check_files(files: tuple[str, ...]) -> tuple[int, int]:
    """Read every file of corrections once, so that a bad one stops the run before training
    (:class:`~bibkit.errors.InputError` naming file and line); (pages, references) found."""
    from ..errors import InputError
    from ..profile.training.corpus import read_xml
    from ..profile.training.pages import read_ttx

    pages = refs = 0
    for name in files:
        path = Path(name)
        if path.suffix not in (".ttx", ".xml"):
            raise InputError("not a file of labels: give .ttx (line labels) or .xml (field labels) files",
                             source=name)
        if not path.is_file():
            raise InputError("no such file", source=name)
        if path.suffix == ".ttx":
            pages += len(read_ttx(path))
        else:
            refs += len(read_xml(path, source="user", strict=True))
    return pages, refs


@click.command("train")
@click.argument("files", nargs=-1)
@click.option("-o", "--out", default=None, metavar="DIR",
              help=f"Folder for the models (finder.crfsuite, tagger.crfsuite); default: a new folder {DEFAULT_OUT}. "
                   "The shipped models are replaced only when DIR names their folder.")
@click.option("--quick", is_flag=True, help="A small, fast training (a few seconds; for trying things, not for use).")
@click.option("--loso", is_flag=True,
              help="Also score leave-one-source-out: train without each corpus in turn and test on it (slow).")
@click.option("--corpus", "corpus_dir", default=None, metavar="DIR",
              help="The labelled corpora (default: training/ in the repository).")
@click.option("-q", "--quiet", is_flag=True, help="No scores or summary on stderr.")
def command(files: tuple[str, ...], out: str | None, quick: bool, loso: bool, corpus_dir: str | None,
            quiet: bool) -> None:
    """Train the parser's two models, adding your corrected labels in FILES.

    FILES are labelled data as 'bibkit convert PAGE --emit-training NAME' writes
    them, corrected by you: NAME.ttx (the label of every line: heading,
    ref-start, ref-continue, news, other, blank) teaches the line model where
    entries begin and end; NAME.xml (each entry's text cut into <author>,
    <title>, <container-title>, <date>... elements) teaches the field model.
    They count several times over the public corpora, so your pages win.
    Held-out scores per source are printed on stderr.

    \b
    Examples:
      bibkit convert homepage.md -o pubs.bib --emit-training mine
      (correct mine.ttx and mine.xml)
      bibkit train mine.ttx mine.xml -o my.model
      bibkit convert homepage.md -o pubs.bib --model my.model
      bibkit train --quick -o /tmp/try          # a small model in seconds
      bibkit train -o src/bibkit/data/models    # reproduce the shipped models
    """
    from ..errors import UsageError
    from ..profile.training import corpus
    from ..profile.training.train import build

    path = _output_folder(out)
    pages, refs = check_files(files)
    root = Path(corpus_dir) if corpus_dir else corpus.training_dir()
    if corpus_dir and not root.is_dir():
        raise UsageError(f"--corpus {corpus_dir}: no such folder")
    if not root.is_dir() and not quiet:
        click.echo(f"bibkit train: note: no training corpora at {root} (they come with a clone of the "
                   "repository): training on synthetic data and your files only", err=True)
    if path.resolve() == shipped_models() and not quiet:
        click.echo(f"bibkit train: note: replacing the shipped models in {path}", err=True)
    path.mkdir(exist_ok=True)
    build(path, root=root, user_files=list(files), quick=quick, loso=loso, report=not quiet)
    if not quiet:
        summary("train", pages_of_yours=pages, entries_of_yours=refs)
        click.echo(f"models written to {path}; use them with 'bibkit convert PAGE --model {path}'", err=True)
