"""One small compatibility layer over citeproc-py 0.11.1.

citeproc-py deviates from the CSL 1.0.2 specification (and from citeproc-js, the reference processor) in
systematic ways.  Each fix below is named after the CSL rule it restores and has a test in
``tests/test_format_compat.py``.  :func:`install` applies the patches once (idempotent); they only change
citeproc-py classes, never its files.  The layer is tied to the pinned citeproc-py version (a test fails when
the installed version differs).

Speed (output unchanged, verified by the golden and fidelity tests):

* ``xpath_search`` memoised per (element, expression): style trees are never restructured while rendering,
  so the result of a lookup (terms, macros, locale dates, ancestors) never changes.
* ``CitationItem.number`` from a dict instead of ``list.index`` (quadratic on large bibliographies).
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import citeproc
from citeproc import model
from citeproc.source import CitationItem, VariableError
from citeproc.string import MixedString, String

from . import markup

#: citeproc-py version this layer was written and measured against
CITEPROC_VERSION = "0.11.1"
#: bump when a fix changes output: it is part of the on-disk cache key
VERSION = "3"

_installed = False


def install() -> None:
    """Apply every patch (once)."""
    global _installed
    if _installed:
        return
    _installed = True
    _patch_xpath_memo()
    _patch_lookups()
    _patch_hot_paths()
    _patch_citation_number()
    _patch_second_field_align()
    _patch_names()
    _patch_locale_date_delimiter()
    _patch_seam_through_markup()
    _patch_text_case()
    _patch_label_plural()
    _patch_number_variable_names()
    _patch_substitute_suppression()
    _patch_group_suppression()
    _patch_tree_walk()
    _patch_join()
    _patch_implicit_year_suffix()


# -- speed ---------------------------------------------------------------------------------------------
_XPATH_MEMO: dict[tuple[Any, str], list[Any]] = {}


class _Reference:
    """``CitationItem.reference``, looked up in the source once: the first access stores it in the item's
    ``__dict__``, which then answers every later access without a call (a non-data descriptor)."""

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__["reference"] = obj.bibliography.source[obj.key]
        return value


def _patch_xpath_memo() -> None:
    original = model.CitationStylesElement.xpath_search

    def xpath_search(self, expression):
        key = (self, expression)
        try:
            return _XPATH_MEMO[key]
        except KeyError:
            result = _XPATH_MEMO[key] = original(self, expression)
            return result

    xpath_search.__wrapped__ = original  # type: ignore[attr-defined]
    model.CitationStylesElement.xpath_search = xpath_search


_ROOTS: dict[Any, Any] = {}
_CHILD_MEMO: dict[tuple[Any, str], Any] = {}
_LOCALE_OPTIONS: dict[tuple[Any, str], Any] = {}


def _patch_lookups() -> None:
    """Memoise the other lookups that dominate a profile (same reasoning as ``xpath_search``): an element's
    root, its first child named ``cs:NAME`` (only when found: citeproc-py inserts a missing ``cs:name``),
    a locale's options, and an item's reference."""
    base = model.SomewhatObjectifiedElement
    original_getattr = base.__getattr__

    def __getattr__(self, name):
        key = (self, name)
        try:
            return _CHILD_MEMO[key]
        except KeyError:
            pass
        result = original_getattr(self, name)
        if result is not None:
            _CHILD_MEMO[key] = result
        return result

    base.__getattr__ = __getattr__

    def get_root(self):
        try:
            return _ROOTS[self]
        except KeyError:
            root = _ROOTS[self] = self.getroottree().getroot()
            return root

    model.CitationStylesElement.get_root = get_root

    original_locale_option = model.Locale.get_option

    def locale_get_option(self, name):
        key = (self, name)
        try:
            result = _LOCALE_OPTIONS[key]
        except KeyError:
            try:
                result = original_locale_option(self, name)
            except IndexError as exc:
                result = exc
            _LOCALE_OPTIONS[key] = result
        if isinstance(result, IndexError):
            raise IndexError
        return result

    model.Locale.get_option = locale_get_option

    CitationItem.reference = _Reference()

    # cs:if / cs:else-if: parse the condition attributes once per element, not on every test
    original_if_render = model.If.render
    conditions: dict[Any, Any] = {}

    def if_render(self, item, context=None, delimiter="", **kwargs):
        spec = conditions.get(self)
        if spec is None:
            attrib = self.attrib
            simple = set(attrib) <= {"type", "variable", "match"}
            spec = conditions[self] = (
                simple,
                frozenset(t.lower() for t in attrib.get("type", "").split()) if "type" in attrib else None,
                [v.replace("-", "_") for v in attrib.get("variable", "").split()] if "variable" in attrib else None,
                attrib.get("match"),
            )
        simple, types, variables, match = spec
        if not simple:
            return original_if_render(self, item, context=context, delimiter=delimiter, **kwargs)
        reference = item.reference
        results = []
        if types is not None:
            ref_type = reference.type
            results += [ref_type == t for t in types]
        if variables is not None:
            results += [("locator" in item) if v == "locator" else (v in reference) for v in variables]
        if match == "any":
            ok = any(results)
        elif match == "none":
            ok = not any(results)
        else:
            ok = all(results)
        if not ok:
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    model.If.render = if_render
    model.Else_If.render = if_render


_FORMAT_ATTRS = ("font-style", "font-variant", "font-weight", "text-decoration", "vertical-align")
_MARKUP_ATTRS = (*_FORMAT_ATTRS, "display", "strip-periods", "text-case", "quotes", "prefix", "suffix")


def _patch_hot_paths() -> None:
    """Skip work that cannot change the result: formatting of elements without formatting attributes, the
    item language looked up through an exception, quote terms of unquoted text, repeated term lookups."""
    formatted: dict[Any, bool] = {}
    original_format = model.Formatted.format

    def format(self, string):
        has = formatted.get(self)
        if has is None:
            attrib = self.attrib
            has = formatted[self] = any(a in attrib for a in _FORMAT_ATTRS)
        if not has:
            return str(string) if isinstance(string, int | float) else string
        return original_format(self, string)

    model.Formatted.format = format

    text_kinds: dict[Any, tuple[str | None, Any]] = {}
    default_language: dict[Any, str] = {}

    def text_process(self, item, context=None, **kwargs):
        if context is None:
            context = self
        language = item.reference.get("language")
        if language:
            language = str(language)[:2]
        else:
            root = self.get_root()
            language = default_language.get(root)
            if language is None:
                language = default_language[root] = root.get("default-locale", "en")[:2]
        kind, value = text_kinds.get(self) or _text_kind(self, text_kinds)
        text = None
        if kind == "variable":
            text = self._variable(item, context)
        elif kind == "macro":
            text = value.render(item, context)
        elif kind == "term":
            text = self._term(item)
        elif kind == "value":
            text = String(self.preformat(value))
        return text, language

    model.Text.process = text_process

    def quote(self, string):
        if self.get("quotes", "false").lower() == "true":
            return self.get_single_term(name="open-quote") + string + self.get_single_term(name="close-quote")
        return string

    model.Quoted.quote = quote

    terms: dict[tuple, Any] = {}
    original_get_term = model.CitationStylesElement.get_term

    def get_term(self, name, form=None, fallback_locale=True, zero_padded=False):
        key = (self.get_root(), name, form, fallback_locale, zero_padded)
        try:
            return terms[key]
        except KeyError:
            result = terms[key] = original_get_term(self, name, form, fallback_locale, zero_padded)
            return result

    model.CitationStylesElement.get_term = get_term

    singles: dict[tuple, Any] = {}
    single_prop = model.Term.single.fget
    multiple_prop = model.Term.multiple.fget

    def single(self):
        key = (self, True, self.get_formatter())
        if key not in singles:
            singles[key] = single_prop(self)
        return singles[key]

    def multiple(self):
        key = (self, False, self.get_formatter())
        if key not in singles:
            singles[key] = multiple_prop(self)
        return singles[key]

    model.Term.single = property(single)
    model.Term.multiple = property(multiple)

    options: dict[tuple, Any] = {}
    original_locale_option = model.CitationStylesElement.get_locale_option

    def get_locale_option(self, name):
        key = (self.get_root(), name)
        if key not in options:
            options[key] = original_locale_option(self, name)
        return options[key]

    model.CitationStylesElement.get_locale_option = get_locale_option

    affixed: dict[Any, bool] = {}
    original_wrap = model.Affixed.wrap

    def wrap(self, string):
        has = affixed.get(self)
        if has is None:
            has = affixed[self] = bool(self.get("prefix") or self.get("suffix"))
        if not has:
            return string
        return original_wrap(self, string)

    model.Affixed.wrap = wrap

    # a cs:text printing a term or a value renders the same for every item (of one language)
    constant: dict[tuple, Any] = {}
    original_text_render = model.Text.render

    def text_render(self, *args, **kwargs):
        attrib = self.attrib
        if "variable" in attrib or "macro" in attrib:
            return original_text_render(self, *args, **kwargs)
        item = args[0] if args else kwargs.get("item")
        language = item.reference.get("language") if item is not None else None
        key = (self, language, self.get_formatter())
        if key not in constant:
            constant[key] = original_text_render(self, *args, **kwargs)
        return constant[key]

    model.Text.render = text_render

    # cs:text without any attribute that changes its output (most of them): markup is the identity
    plain: dict[Any, bool] = {}
    original_markup = model.Text.markup

    def text_markup(self, text, language):
        if not text:
            return None
        is_plain = plain.get(self)
        if is_plain is None:
            attrib = self.attrib
            is_plain = plain[self] = not any(a in attrib for a in _MARKUP_ATTRS)
        if is_plain:
            return str(text) if isinstance(text, int | float) else text
        return original_markup(self, text, language)

    _speed_patch(model.Text, "markup", text_markup)


def _text_kind(el: Any, memo: dict[Any, tuple[str | None, Any]]) -> tuple[str | None, Any]:
    """What a ``cs:text`` prints: ``("variable", name)``, ``("macro", element)``, ``("term", name)``,
    ``("value", text)`` or ``(None, None)`` (looked up once per element)."""
    attrib = el.attrib
    kind: tuple[str | None, Any] = (None, None)
    for name in ("variable", "macro", "term", "value"):
        if name in attrib:
            kind = (name, el.get_macro(attrib[name]) if name == "macro" else attrib[name])
            break
    memo[el] = kind
    return kind


_CHILDREN: dict[Any, list[Any]] = {}
_dict_get = dict.get


def _children(el: Any) -> list[Any]:
    """An element's children, listed once (the style tree is never restructured while rendering; walking a
    Python list is several times faster than lxml's ``iterchildren``)."""
    children = _CHILDREN[el] = list(el.iterchildren())
    return children


def _compile_condition(el: Any) -> Any:
    """A test for a ``cs:if``/``cs:else-if`` that only checks ``type`` and ``variable`` (``None`` for other
    conditions, which keep citeproc-py's own path); the same results as citeproc-py's ``If.render``."""
    attrib = el.attrib
    if not set(attrib) <= {"type", "variable", "match"}:
        return None
    types = [t.lower() for t in attrib.get("type", "").split()]
    variables = [v.replace("-", "_") for v in attrib.get("variable", "").split()]
    match = attrib.get("match")

    def test(item):
        reference = item.reference
        results = [_dict_get(reference, "type") == t for t in types] if types else []
        if variables:
            results += [("locator" in item) if v == "locator" else (v in reference) for v in variables]
        if match == "any":
            return any(results)
        if match == "none":
            return not any(results)
        return all(results)

    return test


def _patch_tree_walk() -> None:
    """Speed: the style tree is walked from Python lists of children, and ``cs:choose`` tests its branches'
    simple conditions directly instead of calling each branch and catching its ``ConditionFailed``."""

    def render_children(self, item, delimiter="", **kwargs):
        output = []
        for child in _CHILDREN.get(self) or _children(self):
            try:
                if isinstance(child, model.Choose):
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
                if text is not None:
                    output.append(text)
            except VariableError:
                pass
        if output:
            return citeproc.string.join(output, delimiter)
        return None

    _speed_patch(model.Parent, "render_children", render_children)

    branches: dict[Any, list[tuple[Any, Any]]] = {}
    always = object()

    def choose_render(self, item, context=None, delimiter="", **kwargs):
        plan = branches.get(self)
        if plan is None:
            plan = branches[self] = [
                (child, always if type(child) is model.Else else _compile_condition(child))
                for child in self.getchildren()]
        for child, test in plan:
            if test is None:
                try:
                    return child.render(item, context=context, delimiter=delimiter, **kwargs)
                except model.ConditionFailed:
                    continue
            if test is always or test(item):
                return child.render_children(item, context=context, delimiter=delimiter, **kwargs)
        return None

    _speed_patch(model.Choose, "render", choose_render)


_ORIGINAL_JOIN = citeproc.string.join


def fast_join(items: Any, delimiter: Any = "") -> Any:
    """citeproc-py's ``join`` (delimiter and item appended with the seam rule, twice as citeproc-py does: once in
    ``join``, once in ``MixedString.__add__``), building one list in place instead of a new ``MixedString`` per
    ``+`` (quadratic in the parts).  Same result, segment for segment (``tests/test_format_speed.py`` compares
    the two on random nested strings).
    """
    items = iter(items)
    try:
        output = next(items)
    except StopIteration:
        return String("")
    seam = citeproc.string.normalize_seam
    acc = None
    for item in items:
        if acc is None:  # until the output is a MixedString, the types' own "+" decide
            output = output + seam(output, delimiter)
            output = output + seam(output, item)
            if type(output) is MixedString:
                acc = MixedString(output)  # a copy: ``output`` may be one of the caller's items
            continue
        for part in (seam(acc, delimiter), None):
            if part is None:
                part = seam(acc, item)
            if part == "":  # MixedString.__add__: discard_empty_other, the seam again, then concatenation
                continue
            part = seam(acc, part)
            if part == "" or part == []:
                continue
            if isinstance(part, list):
                acc.extend(part)
            else:
                acc.append(part)
    return acc if acc is not None else output


def _patch_join() -> None:
    _speed_patch(citeproc.string, "join", fast_join)
    _speed_patch(model, "join", fast_join)


#: (owner, name) -> (original, replacement) of the patches that only change speed, never output
_SPEED_PATCHES: dict[tuple[Any, str], tuple[Any, Any]] = {}


def _speed_patch(owner: Any, name: str, replacement: Any) -> None:
    _SPEED_PATCHES[(owner, name)] = (getattr(owner, name), replacement)
    setattr(owner, name, replacement)


@contextlib.contextmanager
def speed_patches_off() -> Iterator[None]:
    """Render without the speed-only patches (tree walk, ``cs:choose`` dispatch, plain ``cs:text`` markup,
    ``join``): the tests check that the output is the same with and without them."""
    install()
    for (owner, name), (original, _) in _SPEED_PATCHES.items():
        setattr(owner, name, original)
    try:
        yield
    finally:
        for (owner, name), (_, replacement) in _SPEED_PATCHES.items():
            setattr(owner, name, replacement)


def _patch_citation_number() -> None:
    def number(self):
        bib = self.bibliography
        numbers = getattr(bib, "numbers", None)
        if numbers is not None and self.key in numbers:
            return numbers[self.key]
        return bib.keys.index(self.key) + 1

    CitationItem.number = property(number)


# -- second-field-align: the label is a separate field -------------------------------------------------
def _patch_second_field_align() -> None:
    """CSL ``second-field-align``: the first field (``[1]``, ``1.``) is set apart from the rest.

    citeproc-py glues it to the entry ("[1]Y. LeCun"); citeproc-js puts it in its own block (HTML) or separates
    it with a space (text).  We render it as the label before :data:`markup.LABEL_SEP`.
    """

    def render_bibliography(self, citation_items):
        sfa = self.getparent().get("second-field-align")
        capture = self.getparent().get("subsequent-author-substitute") is not None
        output_items = []
        for item in citation_items:
            self.repressed = {}
            _CAPTURE_NAMES[0] = capture
            if not sfa:
                text = self.format(self.wrap(self.render_children(item)))
            else:
                parts = []
                for child in self.iterchildren():
                    try:
                        if isinstance(child, model.Choose):
                            part = child.render(item, delimiter="")
                        else:
                            part = child.render(item)
                    except VariableError:
                        continue
                    if part is not None:
                        parts.append(part)
                if not parts:
                    text = None
                elif len(parts) == 1:
                    text = self.format(self.wrap(parts[0]))
                else:
                    rest = citeproc.string.join(parts[1:])
                    text = self.format(self.wrap(str(parts[0]) + markup.LABEL_SEP + str(rest).lstrip()))
            # an item with nothing to print stays in place (empty), so output stays aligned with the input
            output_items.append(finish_entry(self, str(text)) if text is not None else "")
        return output_items

    model.Layout.render_bibliography = render_bibliography


# -- names (CSL 1.0.2 "Name" section) ---------------------------------------------------------------------
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def is_cjk_name(family: str | None, given: str | None) -> bool:
    """Names in CJK scripts print family name first, without a space, and are never initialised (CSL).

    >>> is_cjk_name("湯川", "秀樹"), is_cjk_name("Zhang", "Zili")
    (True, False)
    """
    text = (family or "") + (given or "")
    return bool(text) and bool(_CJK.search(text)) and not re.search(r"[A-Za-z]", text)


@functools.lru_cache(maxsize=65536)
def initialize_given(given: str, mark: str, initialize: bool, hyphen: bool) -> str:
    """CSL ``initialize-with`` / ``initialize`` / ``initialize-with-hyphen``.

    >>> initialize_given("Claude E.", ". ", True, True)
    'C. E.'
    >>> initialize_given("Jean-Paul", ".", True, True)
    'J.-P.'
    >>> initialize_given("Frederick P.", ". ", False, True)
    'Frederick P.'
    """
    tokens: list[tuple[str, str]] = []  # (word, separator before it: "", " " or "-")
    sep = ""
    for part in re.split(r"(\s+|-)", given.strip()):
        if not part:
            continue
        if part == "-" or part.isspace():
            sep = "-" if part == "-" else (sep or " ")
            continue
        for k, chunk in enumerate(re.split(r"(?<=\.)(?=\w)", part)):  # "J.R.R." -> J. R. R.
            tokens.append((chunk, sep if k == 0 else " "))
        sep = ""
    out = ""
    for word, before in tokens:
        bare = word.rstrip(".")
        already = len(bare) == 1 and bare.isalpha()
        becomes_initial = bare[:1].isupper() and (initialize or already)
        piece = bare[0] + mark if becomes_initial else word + " "
        if before == "-" and out and hyphen:
            out = out.rstrip() + "-"
        out += piece
    return out.strip()


_NAME_OPTIONS: dict[tuple, dict[str, Any]] = {}
_NAME_CONSTS = "\0consts"


def _patch_names() -> None:
    """CSL name rendering: ``initialize``, ``delimiter-precedes-last``/``-et-al`` (incl. after-inverted-name),
    ``et-al-use-last``, suffixes (", Jr." only when inverted), particles and ``demote-non-dropping-particle``,
    CJK names, name-part formatting, and the names delimiter before "and"."""
    Name = model.Name

    def process(self, item, variable, context=None, sort_options=None, **kwargs):
        ctx = self if context is None else context
        parent = ctx.xpath_search("./ancestor::*[self::cs:citation or self::cs:bibliography][1]")
        memo_key = (self, parent[0] if parent else None,
                    tuple(sorted(sort_options.items())) if sort_options else None)
        options = _NAME_OPTIONS.setdefault(memo_key, {})

        def opt(name):  # an option depends on the element, its citation/bibliography and the sort overrides
            try:
                return options[name]
            except KeyError:
                value = options[name] = self.get_option(name, context, sort_options)
                return value

        names = [n for n in item.reference.get(variable, [])]
        form = opt("form")
        et_al_min, use_first = opt("et-al-min"), opt("et-al-use-first")
        more_names, givens = _name_overrides(sort_options)
        if more_names:
            use_first = max(use_first or 0, more_names)
        use_last = opt("et-al-use-last")
        truncate = bool(et_al_min) and len(names) >= et_al_min and len(names) > use_first
        shown = names[:use_first] if truncate else names
        if form == "count":
            return len(shown)
        and_ = opt("and")
        delimiter = opt("delimiter")
        initialize_with = opt("initialize-with")
        hyphen = opt("initialize-with-hyphen")
        nso = opt("name-as-sort-order")
        sort_sep = opt("sort-separator")
        consts = options.get(_NAME_CONSTS)
        if consts is None:  # per element, not per name
            consts = options[_NAME_CONSTS] = (
                str(self.get("initialize", "true")).lower() != "false",
                str(self.get_root().get("demote-non-dropping-particle", "display-and-sort")).lower(),
                {p.get("name"): p for p in self.findall("cs:name-part", self.nsmap)})
        initialize, demote, parts_el = consts

        def fmt_part(which, text):
            el = parts_el.get(which)
            if el is None or not text:
                return text
            return str(el.wrap(el.format(el.case(String(text)))))

        rendered, inverted = [], []
        for i, name in enumerate(shown):
            given, family, dp, ndp, suffix = name.parts()
            if "literal" in name:
                rendered.append(str(family))
                inverted.append(False)
                continue
            if is_cjk_name(family, given):
                text = fmt_part("family", family or "")
                if form != "short":
                    text += fmt_part("given", given or "")
                rendered.append(text)
                inverted.append(False)
                continue
            form_i, init_i = _given_level(givens, name, form, initialize_with)
            if given and init_i is not None:
                given = initialize_given(given, init_i, initialize, hyphen)
            inv = form_i != "short" and (nso == "all" or (nso == "first" and i == 0))
            if form_i == "short":
                text = " ".join(x for x in (ndp, fmt_part("family", family)) if x)
            elif inv:
                if demote == "never" or (demote == "sort-only" and sort_options is None):
                    fam = " ".join(x for x in (ndp, family) if x)
                    giv = " ".join(x for x in (given, dp) if x)
                else:
                    fam = family
                    giv = " ".join(x for x in (given, dp, ndp) if x)
                pieces = [fmt_part("family", fam), fmt_part("given", giv), suffix]
                text = sort_sep.join(x for x in pieces if x)
            else:
                giv = fmt_part("given", given)
                fam = fmt_part("family", " ".join(x for x in (dp, ndp, family) if x))
                text = " ".join(x for x in (giv, fam) if x)
                if suffix:
                    text += (", " if str(name.get("comma-suffix", "")).lower() == "true" else " ") + suffix
            rendered.append(text)
            inverted.append(inv)
        if not rendered:
            raise VariableError

        def precedes(option, count):
            value = opt(option)
            if value == "always":
                return True
            if value == "never":
                return False
            if value == "after-inverted-name":
                return bool(inverted) and inverted[-1 if option.endswith("et-al") else -2]
            return count >= (2 if option.endswith("et-al") else 3)

        if truncate and use_last and len(names) >= use_first + 2:
            ellipsis = "\u2026"
            last = names[-1]
            given, family, dp, ndp, suffix = last.parts()
            one = _render_single(self, last, initialize_with, initialize, hyphen, nso == "all", sort_sep, demote,
                                 form, fmt_part)
            text = delimiter.join(rendered) + delimiter + ellipsis + " " + one
        elif truncate and sort_options is not None:  # sort keys: the shown names, without "et al." (citeproc-js)
            text = delimiter.join(rendered)
        elif truncate:
            et_al = self.et_al()
            if not et_al:
                text = delimiter.join(rendered)
            else:
                sep = delimiter if precedes("delimiter-precedes-et-al", len(rendered)) else " "
                text = delimiter.join(rendered) + sep + str(et_al)
        elif and_ is not None and len(rendered) > 1:
            and_term = str(self.get_single_term(name="and")) if and_ == "text" else "&"
            sep = delimiter if precedes("delimiter-precedes-last", len(rendered)) else " "
            text = delimiter.join(rendered[:-1]) + sep.rstrip() + " " + and_term + " " + rendered[-1]
        else:
            text = delimiter.join(rendered)
        return String(text)

    Name.process = process


#: set by :mod:`bibkit.format.citations` while one cite renders (CSL disambiguation): (names shown at least,
#: given-name level per (family, given): 1 initials, 2 the full given name; ...) or ``None``
NAME_OVERRIDES: list[Any] = [None]


def _name_overrides(sort_options: Any) -> tuple[int | None, dict[tuple[str, str], int] | None]:
    overrides = NAME_OVERRIDES[0]
    if overrides is None or sort_options is not None:
        return None, None
    return overrides[0], overrides[1]


def _given_level(givens: dict[tuple[str, str], int] | None, name: Any, form: str, initialize_with: str | None
                 ) -> tuple[str, str | None]:
    """The form and initialize-with of a name once disambiguation has added its given name."""
    level = givens.get((str(name.get("family", "")), str(name.get("given", "")))) if givens else 0
    if not level:
        return form, initialize_with
    if level >= 2:
        return ("long" if form == "short" else form), None
    return ("long" if form == "short" else form), initialize_with


def _render_single(el, name, initialize_with, initialize, hyphen, inverted, sort_sep, demote, form, fmt_part):
    given, family, dp, ndp, suffix = name.parts()
    if "literal" in name:
        return str(family)
    if given and initialize_with is not None:
        given = initialize_given(given, initialize_with, initialize, hyphen)
    if form == "short":
        return " ".join(x for x in (ndp, fmt_part("family", family)) if x)
    if inverted:
        fam = family if demote not in ("never", "sort-only") else " ".join(x for x in (ndp, family) if x)
        giv = " ".join(x for x in (given, dp, ndp if demote not in ("never", "sort-only") else None) if x)
        return sort_sep.join(x for x in (fmt_part("family", fam), fmt_part("given", giv), suffix) if x)
    text = " ".join(x for x in (fmt_part("given", given), fmt_part("family", " ".join(
        x for x in (dp, ndp, family) if x))) if x)
    return text + (" " + suffix if suffix else "")


# -- dates ---------------------------------------------------------------------------------------------------
def _patch_locale_date_delimiter() -> None:
    """CSL localized dates: the ``delimiter`` of the locale's ``cs:date`` joins its date-parts.

    citeproc-py used the calling element's delimiter, dropping the spaces of e.g. NLM's "2015 May 28".
    """

    def render_single_date(self, date, show_parts=None, context=None):
        parts = self.parts(date, show_parts, context) if context != self else self.parts(date, show_parts)
        if not parts:
            return None
        if self.is_locale_date():
            own = self.get("delimiter")
            if own is not None:
                return citeproc.string.join(parts, own)
            return context.join(parts) if context is not None else self.join(parts)
        return self.join(parts)

    model.Date.render_single_date = render_single_date

    original_range = model.Date.render_date_range

    def render_date_range(self, date_range, show_parts=None, context=None):
        """CSL date ranges: the affixes of the differing date-part enclose the range ("(1936–1937)", not
        "(1936)–(1937)"), and its ``range-delimiter`` joins the ends."""
        parts_el = self
        text = original_range(self, date_range, list(show_parts) if show_parts else show_parts, context)
        if text is None or date_range.end.is_nil():
            return text
        children = [c for c in parts_el.iterchildren() if c.get("name") in (show_parts or [])]
        if not children:
            return text
        styled = context if context is not None and context is not self else None
        def affix(el, which):
            value = el.get(which, "")
            if styled is not None:
                over = styled.xpath_search(f'./cs:date-part[@name="{el.get("name")}"]')
                if over and over[0].get(which) is not None:
                    value = over[0].get(which)
            return value
        diff_first = next((c for c in children if _differs(date_range, c.get("name"))), None)
        if diff_first is None:
            return text
        suffix, prefix = affix(diff_first, "suffix"), affix(diff_first, "prefix")
        dash = "\u2013"
        if suffix and prefix and (suffix + dash + prefix) in str(text):
            text = str(text).replace(suffix + dash + prefix, dash, 1)
        return text

    model.Date.render_date_range = render_date_range


def _differs(date_range: Any, part: str) -> bool:
    try:
        return date_range.begin.get(part) != date_range.end.get(part)
    except Exception:
        return False


# -- punctuation at seams -------------------------------------------------------------------------------------
_MARKS = frozenset(chr(c) for c in range(0xE010, 0xE038))


def _last_visible(text: Any) -> str:
    """The last character of a (Mixed)String that is not a formatting mark ('' if none), without joining it."""
    if isinstance(text, list):  # MixedString
        for segment in reversed(text):
            ch = _last_visible(segment)
            if ch:
                return ch
        return ""
    text = str(text)
    i = len(text) - 1
    while i >= 0 and text[i] in _MARKS:
        i -= 1
    return text[i] if i >= 0 else ""


def _first_char(text: Any) -> str:
    if isinstance(text, list):
        for segment in text:
            ch = _first_char(segment)
            if ch:
                return ch
        return ""
    text = str(text)
    return text[0] if text else ""


def _patch_seam_through_markup() -> None:
    """CSL punctuation collapsing: "et al." + "." gives "et al." even when "et al." is italic.

    citeproc-py only looks at the last character, which is a formatting mark when the text ends in markup.
    (Also faster: the seam is found without joining the whole accumulated string.)
    """
    seam_punctuation = citeproc.string.SEAM_PUNCTUATION
    strip_first = citeproc.string._strip_first_char

    def normalize_seam(left, other):
        first = _first_char(other)
        if not first or (first != " " and first not in seam_punctuation):
            return other
        last = _last_visible(left)
        if last == first:
            return strip_first(other)
        return other

    citeproc.string.normalize_seam = normalize_seam
    model.normalize_seam = normalize_seam

    def get_formatter(self):
        root = self.get_root()
        if type(root) is model.Locale:
            return root.style.formatter
        return root.formatter

    model.CitationStylesElement.get_formatter = get_formatter


# -- text-case ---------------------------------------------------------------------------------------------------
def _patch_text_case() -> None:
    """CSL ``text-case``: terms and items without a ``language`` are English (so "ed." -> "Ed." under
    ``text-case="title"``), and ``capitalize-first``/``capitalize-all`` leave words that are not all lowercase
    alone ("arXiv" stays).
    """
    original = model.TextCased.case

    def case(self, text, language=None):
        text_case = self.get("text-case")
        if text_case is None:
            return text
        if language is None:
            language = "en"
        if text_case in ("capitalize-first", "capitalize-all"):
            words = str(text).split(" ")
            if not words:
                return text
            limit = 1 if text_case == "capitalize-first" else len(words)
            for i in range(min(limit, len(words))):
                w = words[i]
                j = 0
                while j < len(w) and (w[j] in _MARKS or not w[j].isalnum()):
                    j += 1
                letters = "".join(c for c in w if c.isalpha())
                if j < len(w) and letters.islower():
                    words[i] = w[:j] + w[j].upper() + w[j + 1:]
            return String(" ".join(words))
        if text_case == "title":
            if language != "en":
                return text
            return String(title_case(str(text)))
        return original(self, text, language)

    model.TextCased.case = case


_STOP_WORDS = frozenset(model.TextCased._stop_words) | {"about", "above", "across", "after", "against", "along",
                                                       "among", "around", "before", "behind", "below", "beneath",
                                                       "beside", "between", "beyond", "during", "except", "if",
                                                       "like", "near", "off", "out", "per", "than", "through",
                                                       "toward", "towards", "under", "until", "upon", "versus",
                                                       "v", "vs", "within", "without", "de", "d", "van", "von"}
_WORD_RE = re.compile(r"[^\s\-\u2010\u2013\u2014/]+|[\s\-\u2010\u2013\u2014/]+")


def title_case(text: str) -> str:
    """CSL title case: lowercase words are capitalised, also after hyphens ("Man-Month", "T-SNE"); stop words
    stay lowercase unless first, last or after a colon; words with capitals and nocase spans are kept.

    >>> title_case("the mythical man-month: essays on software engineering")
    'The Mythical Man-Month: Essays on Software Engineering'
    >>> title_case("visualizing data using t-SNE")
    'Visualizing Data Using T-SNE'
    """
    tokens = _WORD_RE.findall(text)
    words = [i for i, t in enumerate(tokens) if not re.fullmatch(r"[\s\-\u2010\u2013\u2014/]+", t)]
    first, last = (words[0], words[-1]) if words else (-1, -1)
    nocase = 0
    after_colon = True
    out = []
    for i, tok in enumerate(tokens):
        if i not in words:
            out.append(tok)
            continue
        nocase += tok.count(markup.NOCASE_ON) - tok.count(markup.NOCASE_OFF)
        lead = 0
        while lead < len(tok) and (tok[lead] in _MARKS or tok[lead] in "\"“‘'([¿¡"):
            lead += 1
        core = tok[lead:]
        bare = re.sub(r"[^\w]", "", core).lower()
        if nocase <= 0 and markup.NOCASE_ON not in tok and core[:1].isalpha() and core.islower():
            sep_before = tokens[i - 1] if i > 0 else " "
            hyphenated = i > 0 and not sep_before.isspace()
            stop = bare in _STOP_WORDS and i != first and i != last and not after_colon
            if not stop or (hyphenated and i == last):
                tok = tok[:lead] + core[0].upper() + core[1:]
        after_colon = bool(re.search(r"[:.?!]\W*$", tok))
        out.append(tok)
    return "".join(out)


# -- labels --------------------------------------------------------------------------------------------------------
_PLURAL = re.compile(r"\d\s*(?:[-–—&]|,\s|,(?!\d{3}\b)|\band\b)\s*\S*\d")


def _patch_label_plural() -> None:
    """CSL ``cs:label`` plural="contextual": plural only for several numbers ("1-3", "1, 3", "1 & 3");
    "174,465" (a thousands separator) and "2.0" are one number."""

    def _is_plural(self, item):
        variable = self.get("variable")
        if variable == "locator":
            value = item.locator.identifier
        else:
            try:
                value = item.reference[variable.replace("-", "_")]
            except VariableError:
                return False
        if variable.startswith("number-of"):
            try:
                return int(str(value)) > 1
            except ValueError:
                return False
        return _PLURAL.search(str(value)) is not None

    model.Label._is_plural = _is_plural


# -- groups ------------------------------------------------------------------------------------------------------
_FRAMES: list[list[bool]] = []  # per open cs:group: [a variable was called, a variable rendered non-empty]


def _called(rendered: bool) -> None:
    for frame in _FRAMES:
        frame[0] = True
        if rendered:
            frame[1] = True


def _patch_group_suppression() -> None:
    """CSL ``cs:group``: suppressed when it calls variables and every variable it *actually* called was empty.

    citeproc-py decided statically (any branch of a nested ``cs:choose`` calling a variable counted), so a group
    like APA's "Publication" + thesis number printed the lone term.  We record variable calls at render time.
    """
    def track(cls: Any, method_name: str, is_variable: Callable[[Any], Any] = lambda self: True) -> None:
        original = getattr(cls, method_name)
        calls_variable: dict[Any, bool] = {}  # per element (its variable attribute is fixed)

        def wrapper(self, *args, **kwargs):
            if not (_FRAMES or _RECORD):
                return original(self, *args, **kwargs)
            tracked = calls_variable.get(self)
            if tracked is None:
                tracked = calls_variable[self] = bool(is_variable(self))
            if not tracked:
                return original(self, *args, **kwargs)
            try:
                result = original(self, *args, **kwargs)
            except VariableError:
                _called(False)
                raise
            if isinstance(result, tuple):  # Text.process returns (text, language)
                rendered = bool(result[0]) and str(result[0]) != ""
            else:
                rendered = result is not None and str(result) != ""
            _called(rendered)
            if rendered and _RECORD:
                _RECORD[-1].extend(self.get("variable", "").split())
            return result

        setattr(cls, method_name, wrapper)

    track(model.Text, "process", lambda self: "variable" in self.attrib and
          self.get("variable") not in self.generated_variables)
    track(model.Names, "process")
    track(model.Date, "process", lambda self: "variable" in self.attrib)
    track(model.Number, "process")

    def process(self, item, context=None, **kwargs):
        output = []
        delimiter = self.get("delimiter", "")
        frame = [False, False]
        _FRAMES.append(frame)
        try:
            for child in _CHILDREN.get(self) or _children(self):
                try:
                    if isinstance(child, model.Choose):
                        child_text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                    else:
                        child_text = child.render(item, context=context, **kwargs)
                except VariableError:
                    continue
                if child_text is not None:
                    output.append(child_text)
        finally:
            _FRAMES.pop()
        success = bool(output) and (not frame[0] or frame[1])
        if frame[0] or success:  # a nested group's calls, and a rendered nested group, count for enclosing ones
            for outer in _FRAMES:
                outer[0] = outer[0] or frame[0]
                outer[1] = outer[1] or success
        if success:
            return self.join(output)
        raise VariableError

    model.Group.process = process


_CAPTURE_NAMES = [False]


def _patch_substitute_suppression() -> None:
    """CSL ``cs:substitute``: a variable that replaced the names is suppressed in the rest of the output
    (any element, not only ``cs:text``): the editor or title is not printed twice."""
    original_names = model.Names.process

    def names_process(self, item, names_context=None, context=None, **kwargs):
        if _CAPTURE_NAMES[0]:  # the entry's first cs:names: mark it for subsequent-author-substitute
            _CAPTURE_NAMES[0] = False
            result = names_process(self, item, names_context=names_context, context=context, **kwargs)
            if result is not None and str(result):
                return String(markup.NAMES_ON + str(result) + markup.NAMES_OFF)
            return result
        if names_context is None and self.name is None:
            # CSL: a cs:names in cs:substitute (also inside a cs:choose there) inherits the cs:name and cs:label
            # of the cs:names it substitutes for
            outer = self.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
            if outer:
                names_context = outer[0]
        try:
            repressed = getattr((self if context is None else context).get_layout(), "repressed", None) or {}
        except IndexError:
            repressed = {}
        skip = {v for values in repressed.values() for v in values if v}
        variables = self.get("variable", "").split()
        kept = [v for v in variables if v not in skip]
        if skip and variables and not kept:
            raise VariableError
        if len(kept) == len(variables):
            return original_names(self, item, names_context=names_context, context=context, **kwargs)
        self.set("variable", " ".join(kept))  # only the roles not already printed by a substitute
        try:
            return original_names(self, item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", " ".join(variables))

    model.Names.process = names_process

    original_text_variable = model.Text._variable

    def text_variable(self, item, context):
        repressed = context.get_layout().repressed
        variable = self.get("variable")
        if any(variable in values for values in repressed.values()):
            return None
        return original_text_variable(self, item, context)

    model.Text._variable = text_variable

    def substitute_render(self, item, context=None, **kwargs):
        text = None
        for child in self.getchildren():
            _RECORD.append([])
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            finally:
                printed = _RECORD.pop()
            if text:
                # what the substitute printed (only the branch taken, through macros) is suppressed afterwards
                layout = context.get_layout()
                variables = set(printed) | set(child.get("variable", "").split())
                layout.repressed.setdefault(_TEXT_TAG, []).extend(sorted(variables))
                break
        return text

    model.Substitute.render = substitute_render


_TEXT_TAG = "{http://purl.org/net/xbiblio/csl}text"
_RECORD: list[list[str]] = []


def _patch_number_variable_names() -> None:
    """CSL ``cs:number`` with a hyphenated variable (``number-of-volumes``) reads that variable (citeproc-py looked
    up the hyphenated name and always found it empty)."""
    original = model.Number.process

    def process(self, item, context=None, **kwargs):
        variable = self.get("variable")
        if variable and "-" in variable and variable not in ("page-first",):
            try:
                value = item.reference[variable.replace("-", "_")]
            except VariableError:
                raise
            return self._process(value, variable)
        return original(self, item, context=context, **kwargs)

    model.Number.process = process

    def _process(self, value, variable):
        """CSL numbers: only numeric ranges ("12-15") become ranges (en dash, page-range-format);
        "s2-42" and "PAMI-8" print as given."""
        text = str(value)
        is_page = variable.startswith("page")
        delimiter = (str(self.get_single_term(name="page-range-delimiter")) if is_page else "") or "\u2013"
        pattern = _PAGE_RANGE if is_page else _NUMBER_RANGE

        def one(piece):
            m = pattern.fullmatch(piece.strip())
            if not m:
                return self.format_number(piece.strip()) if not is_page else piece.strip()
            first, last = m.group(1), m.group(2)
            if variable == "page-first":
                return first
            if is_page:
                last = page_range_last(first, last, self.get_root().get_option("page-range-format"))
            return self.format_number(first) + delimiter + self.format_number(last)

        parts = [" & ".join(one(p) for p in chunk.split("&")) for chunk in text.split(",")] \
            if (_NUMBER_RANGE.search(text) or _PAGE_RANGE.search(text)) else None
        if parts is None:
            return self.format_number(text.strip()) if not is_page else text.strip()
        if any(re.fullmatch(r"\d{3}", p.strip()) for p in text.split(",")[1:]):
            return text  # "174,465": a thousands separator, not a list
        return ", ".join(parts)

    model.FormatNumber._process = _process

    numeric = re.compile(r"^[A-Za-z]*\d+[A-Za-z]*(?:\s*(?:[-–&,]|and)\s*[A-Za-z]*\d+[A-Za-z]*)*$")

    def _is_numeric(self, item):
        out = []
        for var in self.get("is-numeric").split():
            try:
                value = item.reference[var.replace("-", "_")]
            except VariableError:
                out.append(False)
                continue
            out.append(bool(numeric.match(str(value).strip())))
        return out

    model.If._is_numeric = _is_numeric


_NUMBER_RANGE = re.compile(r"(\d+)\s*[-\u2013]+\s*(\d+)")
_PAGE_RANGE = re.compile(r"([A-Za-z]?\d+[A-Za-z]?)\s*[-\u2013]+\s*([A-Za-z]?\d+[A-Za-z]?)")


def page_range_last(first: str, last: str, fmt: str | None) -> str:
    """CSL ``page-range-format`` (expanded, minimal, minimal-two, chicago/chicago-15, chicago-16).

    >>> page_range_last("3", "20", "minimal-two"), page_range_last("2579", "2605", "chicago-16")
    ('20', '605')
    >>> page_range_last("436", "444", "minimal"), page_range_last("1097", "1105", "chicago-16")
    ('44', '105')
    """
    if not fmt or fmt == "expanded" or not (first.isdigit() and last.isdigit()):
        return last
    if len(last) < len(first):  # "321-28": expand first, then apply the format
        last = first[: len(first) - len(last)] + last
    if len(last) != len(first):
        return last
    common = 0
    while common < len(first) and first[common] == last[common]:
        common += 1
    if fmt in ("chicago", "chicago-15", "chicago-16"):
        n = int(first)
        if n < 100 or n % 100 == 0:
            return last
        if fmt != "chicago-16" and len(first) == 4 and len(first) - common >= 3:
            return last
        fmt = "minimal" if n % 100 < 10 else "minimal-two"
    if fmt == "minimal":
        return last[common:] or last[-1:]
    if fmt == "minimal-two":
        if len(last) <= 2:
            return last
        return last[min(common, len(last) - 2):]
    return last


# -- per-entry fixes on the rendered (marked) string ------------------------------------------------------
_MARK_CLASS = "[" + "".join(chr(c) for c in range(0xE010, 0xE038)) + "]*"
_PIQ = re.compile("(”|’)(" + _MARK_CLASS + ")([.,])")


def finish_entry(context: Any, text: str) -> str:
    """Fixes applied to one rendered entry."""
    text = _strip_outer(text)
    if markup.QUOTE_ON in text:
        text = resolve_quotes(context, text)
    if (context.get_locale_option("punctuation-in-quote") or "false").lower() == "true":
        text = punctuation_in_quote(text)
    return text


def _strip_outer(text: str) -> str:
    """No leading/trailing white space, also inside trailing markup (citeproc-js trims entries)."""
    text = text.strip()
    while len(text) > 1 and text[-1] in _MARKS and text[-2].isspace():
        text = text[:-2].rstrip() + text[-1]
    return text


def resolve_quotes(context: Any, text: str) -> str:
    """CSL quotes in field content alternate with the level: a quoted phrase in a title prints with the outer
    quotes (“Jeopardy!”) at top level and the inner quotes (‘Jeopardy!’) inside a quoted title."""
    outer = (str(context.get_single_term("open-quote")) or "“", str(context.get_single_term("close-quote")) or "”")
    inner = (str(context.get_single_term("open-inner-quote")) or "‘",
             str(context.get_single_term("close-inner-quote")) or "’")
    out = []
    depth = 0
    stack: list[str] = []
    for ch in text:
        if ch == outer[0] and ch != outer[1]:
            depth += 1
            out.append(ch)
        elif ch == outer[1] and ch != outer[0] and depth:
            depth -= 1
            out.append(ch)
        elif ch == markup.QUOTE_ON:
            pair = inner if depth % 2 else outer
            stack.append(pair[1])
            depth += 1
            out.append(pair[0])
        elif ch == markup.QUOTE_OFF:
            depth = max(depth - 1, 0)
            out.append(stack.pop() if stack else outer[1])
        else:
            out.append(ch)
    return "".join(out)


def punctuation_in_quote(text: str) -> str:
    """CSL locale option ``punctuation-in-quote``: a comma or period after a closing quote moves inside it.

    >>> punctuation_in_quote("“Deep learning”, Nature")
    '“Deep learning,” Nature'
    """
    return _PIQ.sub(lambda m: m.group(3) + m.group(1) + m.group(2), text)


# -- sorting ---------------------------------------------------------------------------------------------
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_WORD = re.compile(r"[^\w\s]")
_INTEGER = re.compile(r"-?\d+")


@functools.lru_cache(maxsize=65536)
def _collation_key(text: str) -> str:
    text = markup.strip_marks(text)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _NOT_WORD.sub("", text.casefold())  # punctuation is ignorable at the first level
    return " ".join(text.split())


def collation_key(text: Any) -> str:
    """A sort key close to the Unicode collation citeproc-js uses: accents, case and punctuation are secondary.

    >>> sorted(["Goodfellow", "Gödel", "van der Maaten", "Zhang"], key=collation_key)
    ['Gödel', 'Goodfellow', 'van der Maaten', 'Zhang']
    """
    return _collation_key(str(text))


def compute_sort_keys(sort_el: Any, citation_items: list[Any], layout: Any) -> list[list[Any]]:
    """Per item, the value of each ``cs:key`` of ``sort_el`` (strings or ``None``): computed once, cacheable."""
    columns = []
    for key in sort_el.findall("cs:key", sort_el.nsmap):
        values = key.sort_keys(citation_items, layout)
        columns.append([None if v is None or str(v) == "" else str(v) for v in values])
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in citation_items]


def sort_by_keys(sort_el: Any, keys_by_item: list[list[Any]], collated: list[list[Any]] | None = None) -> list[int]:
    """Indices of items in ``cs:sort`` order; empty keys last (CSL), ties keep input order.

    One stable sort per key, last key first (C-speed, no comparison function): a column whose values are all
    integers sorts numerically, any other as text with :func:`collation_key` (``collated``: those keys already
    computed, per item, e.g. read back from the cache).
    """
    descending = [k.get("sort", "ascending").lower() == "descending" for k in sort_el.findall("cs:key", sort_el.nsmap)]
    order = list(range(len(keys_by_item)))
    for col in reversed(range(len(descending))):
        values = [keys[col] if col < len(keys) else None for keys in keys_by_item]
        present = [v for v in values if v is not None]
        if not present:
            continue
        prepared: dict[int, Any]  # int, or (collation key, text)
        if all(_INTEGER.fullmatch(v) for v in present):
            prepared = {i: int(v) for i, v in enumerate(values) if v is not None}
        else:  # values are strings (computed or read back from the cache)
            if collated is not None:
                prepared = {i: (collated[i][col], v) for i, v in enumerate(values) if v is not None}
            else:
                prepared = {i: (_collation_key(v), v) for i, v in enumerate(values) if v is not None}
        filled = [i for i in order if i in prepared]
        empty = [i for i in order if i not in prepared]
        filled.sort(key=prepared.__getitem__, reverse=descending[col])
        order = filled + empty
    return order


# -- whole-bibliography fixes -----------------------------------------------------------------------------
_NAMES_SPAN = re.compile(re.escape(markup.NAMES_ON) + "(.*?)" + re.escape(markup.NAMES_OFF), re.S)


def postprocess_bibliography(style: Any, marked: list[str]) -> list[str]:
    """Fixes that need the whole ordered bibliography: CSL ``subsequent-author-substitute`` (rules
    ``complete-all`` and ``complete-each``: the names of an entry equal to the previous entry's are replaced)."""
    bib = style.root.bibliography
    substitute = bib.get("subsequent-author-substitute") if bib is not None else None
    if substitute is None:
        return [m.replace(markup.NAMES_ON, "").replace(markup.NAMES_OFF, "") for m in marked]
    out = []
    previous = None
    for m in marked:
        found = _NAMES_SPAN.search(m)
        names = found.group(1) if found else None
        if found and names == previous:
            rest = m[found.end():]
            plain = markup.strip_marks(found.group(1))
            # a period the names shared with the following delimiter ("E." + ". ") stays after the substitute
            keep = plain[-1] if plain and plain[-1] in ".!?" and rest[:1].isspace() else ""
            m = m[:found.start()] + substitute + keep + rest
        previous = names
        out.append(m.replace(markup.NAMES_ON, "").replace(markup.NAMES_OFF, ""))
    return out


__all__ = ["CITEPROC_VERSION", "VERSION", "String", "collation_key", "install"]


# -- year suffix ---------------------------------------------------------------------------------------
def _patch_implicit_year_suffix() -> None:
    """A ``year-suffix`` the style does not render itself is appended to the first ``issued`` date of
    each citation or entry (CSL 1.0.2, "Disambiguation"); citeproc-py drops it.  The suffixes come from
    :mod:`bibkit.format.disambiguate`."""
    original_children = model.Layout.render_children
    original_process = model.Date.process

    def explicit(root: Any) -> bool:
        known = getattr(root, "_bibkit_explicit_year_suffix", None)
        if known is None:
            known = bool(root.xpath(".//cs:text[@variable='year-suffix']",
                                    namespaces={"cs": "http://purl.org/net/xbiblio/csl"}))
            root._bibkit_explicit_year_suffix = known
        return known

    def render_children(self, item, *args, **kwargs):
        ref = getattr(item, "reference", None)
        suffix = ref.get("year_suffix") if isinstance(ref, dict) else None
        if not suffix or explicit(self.get_root()):
            return original_children(self, item, *args, **kwargs)
        item.__dict__["_bibkit_year_suffix"] = str(suffix)
        try:
            return original_children(self, item, *args, **kwargs)
        finally:
            item.__dict__.pop("_bibkit_year_suffix", None)

    def process(self, item, variable=None, *args, **kwargs):
        pending = getattr(item, "__dict__", {}).get("_bibkit_year_suffix")
        if not pending or (variable or self.get("variable")) != "issued" or self.is_locale_date():
            return original_process(self, item, variable, *args, **kwargs)
        item.__dict__["_bibkit_year_suffix"] = None  # the first issued date only
        text = original_process(self, item, variable, *args, **kwargs)
        if text is None:
            item.__dict__["_bibkit_year_suffix"] = pending
            return None
        return _append_to_year(text, pending)

    model.Layout.render_children = render_children
    model.Date.process = process


def _append_to_year(text: Any, suffix: str) -> Any:
    """``suffix`` after the last run of digits in the rendered date (its year); at the end when the date is
    not plain text or has no year."""
    years = [m.end() for m in re.finditer(r"\d{3,4}", text)] if isinstance(text, str) else []
    if not years:
        return text + suffix
    return text[:years[-1]] + suffix + text[years[-1]:]
