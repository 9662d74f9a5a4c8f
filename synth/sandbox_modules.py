"""Stand-ins for the modules a candidate program may import.

A real module is an escape hatch even under RestrictedPython (`typing.sys`,
`dataclasses.builtins.eval`, `numpy.testing.runstring`, `np.save`): programs only ever get a
read-only namespace holding hand-picked attributes of it. Numpy is exposed as array math only: no
file I/O, `ctypeslib`, `testing`, `lib`, `random` or configuration setters.
"""

from __future__ import annotations

import bisect
import collections
import copy
import functools
import heapq
import itertools
import math
import types
import typing
from typing import Any

import numpy as np

import dsl.primitives  # noqa: F401  (registers every primitive)
from dsl.registry import PRIMITIVES

# what a program may import (the keys of `build_stand_ins()`), as the prompts list it
ALLOWED_IMPORTS = (
    "numpy",
    "math",
    "itertools",
    "collections",
    "functools",
    "copy",
    "heapq",
    "bisect",
    "typing",
    "dsl.primitives",
)


class StandIn(types.SimpleNamespace):
    """A read-only namespace that looks like a module to `import` and attribute access."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"module stand-in is read-only (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"module stand-in is read-only (cannot delete {name!r})")


def _pick(module: Any, names: typing.Iterable[str]) -> dict[str, Any]:
    return {n: getattr(module, n) for n in names if hasattr(module, n)}


def _public(module: Any) -> dict[str, Any]:
    return {n: getattr(module, n) for n in dir(module) if not n.startswith("_")}


NUMPY_NAMES = """
all allclose any append arange argmax argmin argsort argwhere around array array_equal array_split
atleast_1d atleast_2d bincount bitwise_and bitwise_not bitwise_or bitwise_xor bool bool_
broadcast_to ceil clip column_stack concatenate copy count_nonzero cumprod cumsum delete diag
diagonal diff divide dot dstack e einsum empty empty_like equal expand_dims eye fill_diagonal
flatnonzero flip fliplr flipud float16 float32 float64 floor floor_divide full full_like greater
greater_equal hstack identity indices inf insert int16 int32 int64 int8 int_ integer intersect1d
isin isnan ix_ kron less less_equal lexsort linspace logical_and logical_not logical_or logical_xor
matmul max maximum mean median min minimum mod moveaxis multiply nan ndarray ndenumerate ndindex
newaxis nonzero not_equal ones ones_like outer pad pi prod ravel ravel_multi_index remainder repeat
reshape rint roll rot90 round searchsorted setdiff1d shape sign sort split sqrt square squeeze stack
std subtract sum swapaxes take tile trace transpose tril triu true_divide uint16 uint32 uint64 uint8
union1d unique unravel_index vstack where zeros zeros_like abs absolute add apply_along_axis
vectorize fromfunction floating number signedinteger unsignedinteger
""".split()  # noqa: SIM905  (a word list reads better than 150 lines)


def _numpy() -> StandIn:
    return StandIn(**_pick(np, NUMPY_NAMES))


def _dsl() -> StandIn:
    primitives = StandIn(**{name: prim.fn for name, prim in PRIMITIVES.items()})
    return StandIn(primitives=primitives)


def _typing() -> StandIn:
    names = """
    Any Callable Counter DefaultDict Deque Dict FrozenSet Generator
    Iterable Iterator List Mapping Optional Sequence Set Tuple Union
    """.split()  # noqa: SIM905
    return StandIn(**_pick(typing, names))


def build_stand_ins() -> dict[str, StandIn]:
    """Module name -> stand-in. Built once per worker; stand-ins are read-only, so programs share them."""
    dsl_stand_in = _dsl()
    return {
        "math": StandIn(**_public(math)),
        "itertools": StandIn(**_public(itertools)),
        "collections": StandIn(
            **_pick(collections, ["Counter", "defaultdict", "deque", "OrderedDict", "namedtuple", "ChainMap"])
        ),
        "functools": StandIn(
            **_pick(functools, ["reduce", "partial", "lru_cache", "cache", "cmp_to_key", "total_ordering"])
        ),
        "copy": StandIn(copy=copy.copy, deepcopy=copy.deepcopy),
        "heapq": StandIn(**_public(heapq)),
        "bisect": StandIn(**_public(bisect)),
        "typing": _typing(),
        "numpy": _numpy(),
        "dsl": dsl_stand_in,
        "dsl.primitives": dsl_stand_in.primitives,
    }
