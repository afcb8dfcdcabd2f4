"""CSL ``cs:group`` suppression, decided at render time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc import model
from citeproc.source import VariableError

from .speed import _CHILDREN, _children
from .substitute import _RECORD

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'groups-runtime': (
        'a group is suppressed when every variable it actually called was empty (runtime, not static)',
        ()),
    'groups-macro': (
        'a macro that printed something counts as a printed variable (citeproc-js): n.d. kept',
        ('bugreports_UndefinedStr',)),
    'groups-macro-implicit': (
        'a macro is a group (citeproc-js): when it called variables and all were empty it prints nothing, also'
        ' not its terms ("In " before an empty container title)',
        ()),
}


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

    # a macro that printed something counts as a variable that printed (citeproc-js): a group holding an empty
    # volume and a macro printing "n.d." for a missing date keeps "n.d."
    track(model.Text, "process", lambda self: "macro" in self.attrib or ("variable" in self.attrib and
          self.get("variable") not in self.generated_variables))
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

    original_macro = model.Macro.render

    def macro_render(self, item, context=None, sort_options=None):
        """Fix ``groups-macro-implicit``: a macro is a group (citeproc-js): when it called variables and all were
        empty it prints nothing, also not its terms ("In " before an empty container title)."""
        frame = [False, False]
        _FRAMES.append(frame)
        try:
            text = original_macro(self, item, context=context, sort_options=sort_options)
        finally:
            _FRAMES.pop()
        # (what it printed counts for the groups around it through cs:text's tracking: fix groups-macro)
        return None if frame[0] and not frame[1] else text

    model.Macro.render = macro_render
