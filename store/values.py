"""Value classes that cost less to define: a dataclass's ``__eq__``, ``__hash__`` and ``__repr__``
made once for every class, not compiled for each.

Python 3.11's ``dataclass`` writes each method it generates as source and compiles it (``exec``):
a frozen dataclass with eq and repr compiles six, ~4 M instructions a class, and the dashboard's
and `summary`'s start define a few dozen (issue 13). ``@valueclass`` over ``@dataclass(..., eq=False,
repr=False)`` gives the class the three dataclass would have made, behaving the same: equal to an
instance of the very same class whose compared fields are equal (``NotImplemented`` for any other
class), hashed by those fields when frozen (unhashable when not, as dataclass makes an eq class),
shown as ``Name(field=value, ...)``. ``dataclass`` itself still makes ``__init__`` (and a frozen
class's ``__setattr__``), so fields, defaults and ``dataclasses.replace`` are as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from reprlib import recursive_repr
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def valueclass(cls: T) -> T:
    """The dataclass ``cls`` (declared ``eq=False, repr=False``) with dataclass's eq, hash and repr."""
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    if params.eq or params.repr or params.order:
        raise TypeError(f"{cls.__qualname__}: @valueclass goes over @dataclass(..., eq=False, repr=False)")
    compared = tuple(f.name for f in dataclasses.fields(cls) if f.compare)
    shown = tuple(f.name for f in dataclasses.fields(cls) if f.repr)

    def key(self: Any) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in compared])

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    @recursive_repr()
    def __repr__(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in shown)})"

    hash_: Callable[[Any], int] | None = (lambda self: hash(key(self))) if params.frozen else None
    for name, method in (("__eq__", __eq__), ("__hash__", hash_), ("__repr__", __repr__)):
        if method is not None:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    return cls
