"""store/values.py: ``@valueclass`` gives a dataclass the eq, hash and repr dataclass itself makes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from store.values import valueclass


@dataclass(frozen=True)
class Made:
    a: int
    b: tuple[int, ...] = ()
    c: str = field(default="x", compare=False, repr=False)


@valueclass
@dataclass(frozen=True, eq=False, repr=False)
class Made_:
    a: int
    b: tuple[int, ...] = ()
    c: str = field(default="x", compare=False, repr=False)


@dataclass
class Loose:
    a: int


@valueclass
@dataclass(eq=False, repr=False)
class Loose_:
    a: int


def test_equal_hashed_and_shown_as_dataclass_makes_them() -> None:
    for made in (Made, Made_):
        one, same, other = made(1, (2,), "p"), made(1, (2,), "q"), made(2)
        assert one == same and one != other and hash(one) == hash(same)
        assert one != (1, (2,)) and one.__eq__((1, (2,))) is NotImplemented
        assert repr(one) == f"{made.__qualname__}(a=1, b=(2,))"
        assert len({one, same, other}) == 2
        with pytest.raises(dataclasses.FrozenInstanceError):
            one.a = 3  # type: ignore[misc]
        assert dataclasses.replace(one, a=5).a == 5
    assert Made_(1) != Made(1)  # another class, as dataclass's own eq says
    for loose in (Loose, Loose_):
        assert loose(1) == loose(1) and loose.__hash__ is None


def test_a_class_that_contains_itself_is_shown_without_recursion() -> None:
    @valueclass
    @dataclass(eq=False, repr=False)
    class Node:
        children: list[object]

    node = Node([])
    node.children.append(node)
    assert repr(node) == "test_a_class_that_contains_itself_is_shown_without_recursion.<locals>.Node(children=[...])"


def test_refused_over_a_dataclass_that_makes_its_own() -> None:
    with pytest.raises(TypeError):
        valueclass(dataclass(frozen=True)(type("Own", (), {"__annotations__": {"a": "int"}})))
