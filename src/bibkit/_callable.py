"""Keep ``bibkit.dedupe(...)`` and ``bibkit.enrich(...)`` callable.

The public API has functions named like the sub-packages that implement them.
Importing the sub-package (``import bibkit.dedupe``) makes Python set the
attribute ``bibkit.dedupe`` to the package, hiding the function; making the
package callable keeps both spellings working.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_callable(module_name: str, func: Callable[..., Any]) -> None:
    """Make the module ``module_name`` callable as ``func``."""

    class _CallableModule(types.ModuleType):
        __doc__ = sys.modules[module_name].__doc__

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

    sys.modules[module_name].__class__ = _CallableModule
