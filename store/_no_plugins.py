"""Stands in for ``pydantic.plugin._loader`` while pydantic's plugins are off (see store/__init__.py).

pydantic looks for plugins when it builds a model's validator (``get_plugins``, its one use of
that module). The real module imports ``importlib.metadata`` at its top (with zipfile, email and
socket: ~25 ms of every start) only to scan the installed packages' entry points, which it does
not do when ``PYDANTIC_DISABLE_PLUGINS`` turns every plugin off: then it returns no plugins, as
this does, without the import.

Should a later pydantic ask the loader for anything else, the real loader is imported then and
answers (``__getattr__``): the stand-in can cost a newer pydantic its 25 ms, never a start.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

LOADER = "pydantic.plugin._loader"


def get_plugins(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
    return ()


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # the import system asks a module for __path__, __spec__ ...
        raise AttributeError(name)
    if sys.modules.get(LOADER) is sys.modules[__name__]:
        del sys.modules[LOADER]  # the real one from now on
    return getattr(importlib.import_module(LOADER), name)
