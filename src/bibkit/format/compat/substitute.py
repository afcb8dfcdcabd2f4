"""CSL ``cs:substitute``.
"""

from __future__ import annotations

from citeproc import model
from citeproc.source import VariableError
from citeproc.string import String

from .. import markup

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "substitute-within": (
        "names printed inside a cs:substitute are suppressed at once, also for the substitute's own later "
        "cs:names of the same variable (John-boy Doe ed., not ed.John-boy Doe editor)",
        ("substitute_SuppressOrdinaryVariable",)),
    'substitute': (
        'what a cs:substitute printed is not printed again (taken branch, through macros; dates too); '
        'substituted names inherit cs:name/cs:label; the children of a cs:choose branch in it are alternatives too',
        ('bugreports_LegislationCrash',)),
}


_CAPTURE_NAMES = [False]
#: [in the bibliography, the names' role label stays outside their span (citeproc-js's subsequent-author-substitute
#: compares the names alone: "Doe, John ed." then "--- ."), the captured names are being rendered]
_LABEL_OUTSIDE = [False, False]


def _patch_substitute_suppression() -> None:
    """CSL ``cs:substitute``: a variable that replaced the names is suppressed in the rest of the output
    (any element, not only ``cs:text``): the editor or title is not printed twice."""
    original_names = model.Names.process

    def names_process(self, item, names_context=None, context=None, **kwargs):
        if _CAPTURE_NAMES[0]:  # the entry's first cs:names: mark it for subsequent-author-substitute
            _CAPTURE_NAMES[0] = False
            _LABEL_OUTSIDE[1] = _LABEL_OUTSIDE[0]
            try:
                result = names_process(self, item, names_context=names_context, context=context, **kwargs)
            finally:
                _LABEL_OUTSIDE[1] = False
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
            layout = (self if context is None else context).get_layout()
        except IndexError:
            layout = None
        repressed = getattr(layout, "repressed", None) or {}
        skip = {v for values in repressed.values() for v in values if v}
        variables = self.get("variable", "").split()
        kept = [v for v in variables if v not in skip]
        if skip and variables and not kept:
            raise VariableError
        if len(kept) == len(variables):
            result = original_names(self, item, names_context=names_context, context=context, **kwargs)
        else:
            self.set("variable", " ".join(kept))  # only the roles not already printed by a substitute
            try:
                result = original_names(self, item, names_context=names_context, context=context, **kwargs)
            finally:
                self.set("variable", " ".join(variables))
        if _RECORD and layout is not None and result is not None and str(result):
            # inside a cs:substitute, names printed are suppressed at once: the substitute's own later
            # cs:names of the same variable print nothing (fix substitute-within)
            layout.repressed.setdefault(_TEXT_TAG, []).extend(kept)
        return result

    model.Names.process = names_process

    original_text_variable = model.Text._variable

    def text_variable(self, item, context):
        repressed = context.get_layout().repressed
        variable = self.get("variable")
        if any(variable in values for values in repressed.values()):
            return None
        return original_text_variable(self, item, context)

    model.Text._variable = text_variable

    def suppressed(element, context, variable):
        try:
            layout = (element if context is None else context).get_layout()
        except IndexError:
            return False
        repressed = getattr(layout, "repressed", None) or {}
        return any(variable in values for values in repressed.values())

    original_date = model.Date.process

    def date_process(self, item, variable=None, show_parts=None, context=None, **kwargs):
        # a date the substitute printed is not printed again either (citeproc-js: the issued year of a title)
        if suppressed(self, context, variable or self.get("variable")):
            return None
        return original_date(self, item, variable, show_parts, context, **kwargs)

    model.Date.process = date_process

    def substitute_render(self, item, context=None, **kwargs):
        text = None
        for child in self.getchildren():
            _RECORD.append([])
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                elif isinstance(child, model.Choose):
                    # the children of the branch taken are alternatives too: the first that prints (citeproc-js)
                    _FIRST_ONLY.append(True)
                    try:
                        text = child.render(item, context=context, **kwargs)
                    finally:
                        _FIRST_ONLY.pop()
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

    def branch_children(self, item, *args, **kwargs):
        if not _FIRST_ONLY or not _FIRST_ONLY[-1]:
            return model.Parent.render_children(self, item, *args, **kwargs)
        _FIRST_ONLY[-1] = False  # this branch only: choices nested in its children render as usual
        kwargs.pop("delimiter", None)
        for child in self.getchildren():
            try:
                text = child.render(item, **kwargs)
            except VariableError:
                continue
            if text is not None and str(text):
                return text
        return None

    for branch in (model.If, model.Else_If, model.Else):
        branch.render_children = branch_children


_TEXT_TAG = "{http://purl.org/net/xbiblio/csl}text"
#: a cs:choose inside cs:substitute is rendering: its branch yields its first child that prints
_FIRST_ONLY: list[bool] = []
_RECORD: list[list[str]] = []
