"""Stands in for ``pydantic.plugin._loader`` while pydantic's plugins are off (see store/__init__.py).

pydantic looks for plugins when it builds a model's validator (``get_plugins``, its one use of
that module). The real module imports ``importlib.metadata`` at its top (with zipfile, email and
socket: ~25 ms of every start) only to scan the installed packages' entry points, which it does
not do when ``PYDANTIC_DISABLE_PLUGINS`` turns every plugin off: then it returns no plugins, as
this does, without the import.
"""

from __future__ import annotations

from typing import Any


def get_plugins() -> tuple[Any, ...]:
    return ()
