"""Keep ``bibkit.dedupe(...)`` and ``bibkit.enrich(...)`` callable.

The public API has functions named like the sub-packages that implement them.
Importing the sub-package (``import bibkit.dedupe``) makes Python set the
attribute ``bibkit.dedupe`` to the package, hiding the function; making the
package callable, as the public function and with its signature, keeps both
spellings working alike.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable
from typing import Any


def make_callable(module_name: str, func: Callable[..., Any]) -> None:
    """Make the module ``module_name`` callable as the function it hides in its parent package
    (the public wrapper, still the parent's attribute while the module is being imported), else as ``func``."""
    parent, _, child = module_name.rpartition(".")
    public = getattr(sys.modules.get(parent), child, None)
    target = public if inspect.isfunction(public) else func

    class _CallableModule(types.ModuleType):
        __doc__ = sys.modules[module_name].__doc__
        __signature__ = inspect.signature(target)

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return target(*args, **kwargs)

    sys.modules[module_name].__class__ = _CallableModule
