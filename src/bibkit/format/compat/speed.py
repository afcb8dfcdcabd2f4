"""Patches that change speed only, never output (``speed_patches_off`` renders without the tree-walk ones;
``tests/test_format_speed.py`` checks the output is identical).

* ``xpath_search`` memoised per (element, expression): style trees are never restructured while rendering.
* element roots, first children, locale options, terms, ``cs:if`` conditions memoised; an item's reference looked
  up once; ``cs:text`` without formatting skips markup; the style tree walked from Python lists; ``cs:choose``
  tests simple conditions in place; ``join`` builds one list; ``CitationItem.number`` from a dict.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import citeproc
from citeproc import model
from citeproc.source import CitationItem, VariableError
from citeproc.string import MixedString, String

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
            results.append(ref_type in types)  # fix type-any (compat/conditions.py)
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
        results = [_dict_get(reference, "type") in types] if types else []  # fix type-any
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
    from . import install

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
