"""The language layer of the sandbox: what a candidate program may say and touch.

Runs inside the worker process (the process is the real boundary, see `synth.sandbox`). A program
goes through a size cap, a small AST rewrite that makes ordinary LLM-written code acceptable to
RestrictedPython (annotations, `a[i] += 1`, `_private` names), `compile_restricted`, and then runs
with guarded attribute access, guarded writes, curated builtins and an import allowlist of stand-ins.
Every refusal is recorded, so a program that probes a forbidden thing is `rejected` even if it
catches the exception.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import operator
import types
from collections.abc import Callable
from typing import Any

import numpy as np
from RestrictedPython import compile_restricted
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, safe_builtins
from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from synth.sandbox_modules import StandIn, build_stand_ins

MAX_SOURCE_CHARS = 40_000
MAX_PRINT_CHARS = 10_000

# Attribute names refused on every object: frame/traceback/code walks, format-string attribute
# access, numpy's file writers and raw-memory views, the method-resolution order.
DENIED_ATTRIBUTES = frozenset(INSPECT_ATTRIBUTES) | {
    "format",
    "format_map",
    "vformat",
    "get_field",
    "get_value",
    "tofile",
    "dump",
    "ctypes",
    "mro",
    "f_trace_lines",
    "cr_frame",
    "cr_code",
    "ag_frame",
    "ag_code",
    "gi_frame",
    "gi_code",
    "tb_frame",
    "f_back",
    "f_globals",
    "f_locals",
    "f_builtins",
}
DENIED_TYPES = (types.FrameType, types.TracebackType, types.CodeType, types.ModuleType)
WRITABLE_TYPES = (list, dict, set, bytearray)

INPLACE_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
    "|=": operator.ior,
    "^=": operator.ixor,
    "&=": operator.iand,
    "@=": operator.imatmul,
}

EXTRA_BUILTINS = """
all any dict enumerate filter frozenset iter list map max min next object property reversed set
sorted staticmethod classmethod sum tuple zip bin format StopIteration
""".split()  # noqa: SIM905


class Rejected(Exception):
    """The program is refused before it runs (too big, syntax, a restricted construct)."""


class Forbidden(Exception):
    """A guard refused an operation at run time (an import, an attribute, a write)."""


# ---------------------------------------------------------------- compile


class _Rewrite(ast.NodeTransformer):
    """Make common, harmless constructs acceptable to RestrictedPython."""

    @staticmethod
    def _rename(name: str | None) -> str | None:
        if (
            name
            and name.startswith("_")
            and name != "_"
            and not (name.startswith("__") and name.endswith("__"))
        ):
            return "u" + name
        return name

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self._rename(node.id) or node.id
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        node.attr = self._rename(node.attr) or node.attr
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self._rename(node.arg) or node.arg
        node.annotation = None
        return node

    def visit_keyword(self, node: ast.keyword) -> ast.AST:
        self.generic_visit(node)
        node.arg = self._rename(node.arg)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.generic_visit(node)
        node.name = self._rename(node.name) or node.name
        node.returns = None
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.generic_visit(node)
        node.name = self._rename(node.name) or node.name
        return node

    def visit_alias(self, node: ast.alias) -> ast.AST:
        node.asname = self._rename(node.asname)
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.AST:
        self.generic_visit(node)
        node.name = self._rename(node.name)
        return node

    def visit_Global(self, node: ast.Global) -> ast.AST:
        node.names = [self._rename(n) or n for n in node.names]
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST | None:
        if node.module == "__future__":
            return None
        self.generic_visit(node)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        self.generic_visit(node)
        if node.value is None:
            return ast.copy_location(ast.Pass(), node)
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            return node
        # `a[i] += v` -> `a[i] = a[i] + v` (the target is evaluated twice; fine for grid code)
        load = _as_load(node.target)
        value = ast.BinOp(left=load, op=node.op, right=node.value)
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)


def _as_load(target: ast.expr) -> ast.expr:
    clone = ast.parse(ast.unparse(target), mode="eval").body
    return clone


def compile_candidate(source: str, filename: str = "<candidate>") -> types.CodeType:
    """Size cap, rewrite, restricted compile; raises Rejected with a one-line reason."""
    if not isinstance(source, str):
        raise Rejected("source is not text")
    if len(source) > MAX_SOURCE_CHARS:
        raise Rejected(f"source is {len(source)} characters, over the {MAX_SOURCE_CHARS} cap")
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as e:
        raise Rejected(f"syntax error: {e.msg} (line {e.lineno})") from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise Rejected(f"cannot parse: {e.__class__.__name__}") from None
    tree = ast.fix_missing_locations(_Rewrite().visit(tree))
    try:
        return compile_restricted(tree, filename=filename, mode="exec")
    except SyntaxError as e:
        reasons = e.args[0] if e.args and isinstance(e.args[0], tuple | list) else [str(e)]
        raise Rejected("; ".join(str(r) for r in reasons)[:500]) from None
    except (ValueError, TypeError, RecursionError, MemoryError) as e:
        raise Rejected(f"cannot compile: {e.__class__.__name__}: {e}"[:500]) from None


# ---------------------------------------------------------------- run-time guards


class _ItemWriter:
    """What `_write_` hands back for an ndarray: item assignment yes, attribute writes (strides,
    shape, data) no."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        object.__setattr__(self, "array", array)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.array[key] = value

    def __delitem__(self, key: Any) -> None:
        del self.array[key]

    def __setattr__(self, name: str, value: Any) -> None:
        raise Forbidden(f"attribute writes on arrays are not allowed ({name!r})")


class _PrintSink:
    """RestrictedPython's print target, capped so a print flood cannot grow memory."""

    def __init__(self, _getattr_: Any = None) -> None:
        self.chars = 0
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        if self.chars < MAX_PRINT_CHARS:
            self.parts.append(text[: MAX_PRINT_CHARS - self.chars])
        self.chars += len(text)

    def __call__(self) -> str:
        return "".join(self.parts)

    def _call_print(self, *objects: Any, **kwargs: Any) -> None:
        kwargs["file"] = self
        builtins.print(*objects, **kwargs)


def _is_numpy_internal_import(name: str, fromlist: Any) -> bool:
    """C code (numpy's lazy imports) imports through the running frame's `__import__`, which is the
    program's, passing `fromlist` as a list (`[]` or `['__doc__']`); an `import` statement passes None
    or a tuple, and a program cannot call `__import__` itself, so this is numpy loading its own parts.
    The module goes to numpy's C code, never to the program."""
    return name.startswith("numpy.") and type(fromlist) is list


class Policy:
    """Guards and builtins for one program run; `violations` lists every refusal."""

    def __init__(self, stand_ins: dict[str, StandIn]) -> None:
        self.stand_ins = stand_ins
        self.violations: list[str] = []
        self.classes: set[type] = set()

    def refuse(self, message: str) -> Forbidden:
        self.violations.append(message)
        return Forbidden(message)

    def getattr(self, obj: Any, name: Any, *default: Any) -> Any:
        if type(name) is not str:
            raise self.refuse("attribute name must be a str")
        if name.startswith("_") or name in DENIED_ATTRIBUTES:
            raise self.refuse(f"attribute {name!r} is not allowed")
        if isinstance(obj, DENIED_TYPES):
            raise self.refuse(f"attribute access on {type(obj).__name__} objects is not allowed")
        return builtins.getattr(obj, name, *default)

    def hasattr(self, obj: Any, name: Any) -> bool:
        try:
            self.getattr(obj, name)
        except (AttributeError, Forbidden):
            return False
        return True

    def write(self, obj: Any) -> Any:
        if isinstance(obj, WRITABLE_TYPES) or type(obj) in self.classes or obj.__class__ in self.classes:
            return obj
        if isinstance(obj, np.ndarray):
            return _ItemWriter(obj)
        if isinstance(obj, type) and obj in self.classes:
            return obj
        raise self.refuse(f"writes to {type(obj).__name__} objects are not allowed")

    def setattr(self, obj: Any, name: Any, value: Any) -> None:
        if type(name) is not str or name.startswith("_"):
            raise self.refuse(f"attribute {name!r} cannot be set")
        builtins.setattr(self.write(obj), name, value)

    def import_(
        self, name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        if level != 0 or type(name) is not str:
            raise self.refuse("relative imports are not allowed")
        if _is_numpy_internal_import(name, fromlist):
            return importlib.import_module(name)
        if fromlist and name in self.stand_ins:
            return self.stand_ins[name]
        top = name.split(".")[0]
        if name in self.stand_ins and top in self.stand_ins:
            return self.stand_ins[top]
        raise self.refuse(f"import of {name!r} is not allowed (allowed: {', '.join(sorted(self.stand_ins))})")

    def build_class(self, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        """`__metaclass__` for the program's classes: remember them so their instances are writable."""
        meta: type = type
        for base in bases:
            if isinstance(base, type) and issubclass(type(base), meta):
                meta = type(base)
        if meta is not type:
            raise self.refuse(f"class {name}: metaclass {meta.__name__} is not allowed")
        cls = type(name, bases, namespace)
        self.classes.add(cls)
        return cls

    def one_arg_type(self, obj: Any) -> type:
        return type(obj)

    def builtins(self) -> dict[str, Any]:
        table = {k: v for k, v in safe_builtins.items() if k not in ("setattr", "delattr", "_getattr_")}
        table.update({n: getattr(builtins, n) for n in EXTRA_BUILTINS})
        table.update(
            getattr=self.getattr,
            hasattr=self.hasattr,
            setattr=self.setattr,
            type=self.one_arg_type,
            __import__=self.import_,
        )
        return table

    def globals(self) -> dict[str, Any]:
        """A fresh global namespace: nothing a previous program did can be seen here."""
        return {
            "__builtins__": self.builtins(),
            "__name__": "candidate",
            "__metaclass__": self.build_class,
            "_getattr_": self.getattr,
            "_getitem_": operator.getitem,
            "_getiter_": iter,
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
            "_unpack_sequence_": guarded_unpack_sequence,
            "_apply_": lambda f, *a, **kw: f(*a, **kw),
            "_inplacevar_": lambda op, x, y: INPLACE_OPERATORS[op](x, y),
            "_write_": self.write,
            "_print_": _PrintSink,
        }


def new_policy() -> Callable[[], Policy]:
    """A factory of policies sharing one set of stand-ins (built once: importing them is slow)."""
    stand_ins = build_stand_ins()
    return lambda: Policy(stand_ins)
