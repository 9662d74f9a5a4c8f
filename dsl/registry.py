"""The signature table: every primitive with its name, argument types, return type and cost.

Primitives register themselves with `@primitive`; the table is read by the parser, the interpreter,
the search, the prior's vocabulary and the LLM prompt, so adding a primitive is one decorated function.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from dsl.types import ANNOTATION_NAMES

F = TypeVar("F", bound=Callable[..., Any])


class Refused(ValueError):
    """A primitive does not apply to its arguments (wrong shape, output over 30x30, no such object...)."""


@dataclass(frozen=True)
class Primitive:
    name: str
    fn: Callable[..., Any]
    arg_types: tuple[str, ...]
    ret_type: str
    cost: float
    doc: str

    @property
    def arity(self) -> int:
        return len(self.arg_types)


PRIMITIVES: dict[str, Primitive] = {}


def primitive(cost: float = 1.0) -> Callable[[F], F]:
    """Register a pure function as a DSL primitive; its type hints become its signature."""

    def register(fn: F) -> F:
        hints = typing.get_type_hints(fn)
        params = list(inspect.signature(fn).parameters)
        try:
            arg_types = tuple(ANNOTATION_NAMES[hints[p]] for p in params)
            ret_type = ANNOTATION_NAMES[hints["return"]]
        except KeyError as e:
            raise TypeError(f"primitive {fn.__name__}: unannotated or unknown type {e}") from None
        doc = (inspect.getdoc(fn) or "").strip().splitlines()
        if not doc:
            raise TypeError(f"primitive {fn.__name__} needs a one-line docstring")
        if fn.__name__ in PRIMITIVES:
            raise TypeError(f"primitive {fn.__name__} registered twice")
        PRIMITIVES[fn.__name__] = Primitive(fn.__name__, fn, arg_types, ret_type, float(cost), doc[0])
        return fn

    return register


def signature_text(prim: Primitive) -> str:
    """`name(Grid, Color) -> Grid`: the one-line form used in docs and prompts."""
    return f"{prim.name}({', '.join(prim.arg_types)}) -> {prim.ret_type}"
