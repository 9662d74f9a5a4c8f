"""Programs as values: a typed expression tree over registered primitives.

One textual form is shared by the search, the LLM prompts and the model's training data:
`flip_lr(rotate_90(I))`, `replace_color(I, 1, 2)`, `map_colors(I, '0213456789')`. `I` is the task
input; constants are integers or quoted strings. `format_program(parse_program(s)) == s` for every
program in canonical form, and `parse_program(format_program(p)) == p` for every program.

One special form is no registered primitive: `per_object(I, flip_lr(X), 8, 0)` runs its second
argument, a program of the box `X`, on each object's box of its first (objects `8`- or `4`-connected,
boxes grown by a margin `0` or `1`; `dsl.object_boxes`) and paints the results back. `X` is its own
scope: it is the only name inside that argument, and `I` is not substituted there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import dsl.primitives  # noqa: F401  (registers every primitive)
from dsl.primitives.crop import parse_window
from dsl.primitives.embedding import parse_placement
from dsl.registry import PRIMITIVES
from dsl.types import TYPES


class ProgramError(ValueError):
    """Program text that does not parse or does not type-check."""


@dataclass(frozen=True)
class Var:
    name: str = "I"


@dataclass(frozen=True)
class Const:
    value: int | str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]


Expr = Var | Const | Call
INPUT = Var("I")
CROP = Var("X")  # an object's box, the input of per_object's body
PER_OBJECT = "per_object"
FORM_COSTS = {PER_OBJECT: 1.0}
"""Special forms (not in the signature table, never enumerated) and their costs: per_object costs as
much as one ordinary primitive, its body's primitives are counted as well."""


def call(name: str, *args: Expr | int | str) -> Call:
    """Build a call node, wrapping plain ints and strings as constants."""
    return Call(name, tuple(a if isinstance(a, Var | Const | Call) else Const(a) for a in args))


def format_program(expr: Expr) -> str:
    """The one-line DSL text of a program."""
    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, Const):
        return repr(expr.value) if isinstance(expr.value, str) else str(expr.value)
    return f"{expr.name}({', '.join(format_program(a) for a in expr.args)})"


_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>'[^']*')|(?P<sym>[(),]))")


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ProgramError(f"unexpected character {text[pos:].lstrip()[:1]!r} at column {pos}")
        kind = m.lastgroup
        assert kind is not None
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def parse_program(text: str, check_types: bool = True) -> Expr:
    """Parse one-line DSL text; unknown names, wrong arity and type errors raise ProgramError."""
    tokens = _tokenize(text)
    if not tokens:
        raise ProgramError("empty program")
    expr, pos = _parse_expr(tokens, 0)
    if pos != len(tokens):
        raise ProgramError(f"unexpected {tokens[pos][1]!r} after the end of the program")
    if check_types:
        got = type_of(expr)
        if got != "Grid":
            raise ProgramError(f"a program must return a Grid, this returns {got}")
    return expr


def _parse_expr(tokens: list[tuple[str, str]], pos: int, var: str = INPUT.name) -> tuple[Expr, int]:
    if pos >= len(tokens):
        raise ProgramError("program ends too early")
    kind, value = tokens[pos]
    if kind == "num":
        return Const(int(value)), pos + 1
    if kind == "str":
        return Const(value[1:-1]), pos + 1
    if kind != "name":
        raise ProgramError(f"unexpected {value!r}")
    if pos + 1 >= len(tokens) or tokens[pos + 1] != ("sym", "("):
        if value == var:
            return Var(var), pos + 1
        raise ProgramError(f"unknown name {value!r} (only {var} and calls are allowed here)")
    args: list[Expr] = []
    pos += 2
    if pos < len(tokens) and tokens[pos] == ("sym", ")"):
        return Call(value, ()), pos + 1
    while True:
        arg, pos = _parse_expr(tokens, pos, CROP.name if value == PER_OBJECT and len(args) == 1 else var)
        args.append(arg)
        if pos >= len(tokens):
            raise ProgramError(f"missing ')' in call to {value}")
        if tokens[pos] == ("sym", ")"):
            return Call(value, tuple(args)), pos + 1
        if tokens[pos] != ("sym", ","):
            raise ProgramError(f"expected ',' or ')' in call to {value}, got {tokens[pos][1]!r}")
        pos += 1


def type_of(expr: Expr, var: str = INPUT.name) -> str:
    """The DSL type an expression returns, checking every call against the signature table; `var` is
    the one name in scope (`X` inside per_object's body)."""
    if isinstance(expr, Var):
        if expr.name != var:
            raise ProgramError(f"unknown name {expr.name!r} (only {var} is in scope here)")
        return "Grid"
    if isinstance(expr, Const):
        return "str" if isinstance(expr.value, str) else "int"
    if expr.name == PER_OBJECT:
        source, body, _, _ = per_object_args(expr)
        for i, arg, scope in ((1, source, var), (2, body, CROP.name)):
            if (got := type_of(arg, scope)) != "Grid":
                raise ProgramError(f"{PER_OBJECT} argument {i} must be Grid, got {got}")
        return "Grid"
    prim = PRIMITIVES.get(expr.name)
    if prim is None:
        raise ProgramError(f"unknown primitive {expr.name!r}")
    if len(expr.args) != prim.arity:
        raise ProgramError(f"{expr.name} takes {prim.arity} arguments, got {len(expr.args)}")
    for i, (arg, want) in enumerate(zip(expr.args, prim.arg_types, strict=True)):
        got = type_of(arg, var)
        literal_ok = want != "Grid" and got == TYPES[want].python.__name__
        if got != want and not literal_ok:
            raise ProgramError(f"{expr.name} argument {i + 1} must be {want}, got {got}")
        if isinstance(arg, Const) and not _LITERAL_VALID.get(want, _any)(arg.value):
            raise ProgramError(f"{expr.name} argument {i + 1}: {arg.value!r} is not a valid {want}")
    return prim.ret_type


def _any(value: int | str) -> bool:
    return True


def _parses(parse: Callable[[str], object]) -> Callable[[int | str], bool]:
    """A literal check: does the text parse (a Window, a Placement)?"""

    def valid(value: int | str) -> bool:
        try:
            parse(str(value))
        except ValueError:
            return False
        return True

    return valid


_LITERAL_VALID = {
    "Color": lambda v: 0 <= v <= 9,
    "Conn": lambda v: v in (4, 8),
    "ColorMap": lambda v: len(v) == 10 and v.isascii() and v.isdigit(),
    "Window": _parses(parse_window),
    "Placement": _parses(parse_placement),
}
"""Literal checks for types whose every legal value is known; Int and Offset literals may exceed the
enumerated domain (e.g. `tile(I, 1, 6)`)."""


def per_object_args(expr: Call) -> tuple[Expr, Expr, int, int]:
    """A per_object call's source, body, connectivity and margin; ProgramError when malformed."""
    if len(expr.args) != 4:
        raise ProgramError(f"{PER_OBJECT} takes 4 arguments, got {len(expr.args)}")
    source, body, conn, margin = expr.args
    for i, arg, valid in ((3, conn, (4, 8)), (4, margin, (0, 1))):
        if not isinstance(arg, Const) or isinstance(arg.value, str) or arg.value not in valid:
            raise ProgramError(f"{PER_OBJECT} argument {i} must be {valid[0]} or {valid[1]}")
    assert isinstance(conn, Const) and isinstance(margin, Const)
    return source, body, int(conn.value), int(margin.value)


def per_object_call(body: Expr, conn: int, margin: int, source: Expr = INPUT) -> Call:
    """`per_object(source, body, conn, margin)`, `body` written as a program of `I` (its input `I`
    becomes the box `X`)."""
    return Call(PER_OBJECT, (source, substitute_input(body, CROP), Const(conn), Const(margin)))


def substitute_input(expr: Expr, replacement: Expr) -> Expr:
    """`expr` with every occurrence of the input `I` replaced: how a program is wrapped in another
    frame (a symmetry, a colour swap) without rewriting its body. A per_object body is its own scope
    (its input is the box `X`) and is left alone."""
    if expr == INPUT:
        return replacement
    if isinstance(expr, Call):
        return Call(
            expr.name,
            tuple(
                a if expr.name == PER_OBJECT and i == 1 else substitute_input(a, replacement)
                for i, a in enumerate(expr.args)
            ),
        )
    return expr


def primitives_used(expr: Expr) -> list[str]:
    """Names of the primitives a program calls, in evaluation order, with repeats."""
    if not isinstance(expr, Call):
        return []
    return [name for a in expr.args for name in primitives_used(a)] + [expr.name]


def program_size(expr: Expr) -> int:
    """Number of calls in the program."""
    return len(primitives_used(expr))


def program_cost(expr: Expr) -> float:
    """Summed cost of the primitives (and special forms) called: the search's Occam ranking."""
    return sum(FORM_COSTS[n] if n in FORM_COSTS else PRIMITIVES[n].cost for n in primitives_used(expr))


def to_python(expr: Expr, function_name: str = "transform") -> str:
    """Export as a straight-line Python module that runs with the `dsl` package installed."""
    lines: list[str] = []
    names = sorted(set(primitives_used(expr)))
    counts = {"x": 0, "f": 0}

    def fresh(prefix: str) -> str:
        counts[prefix] += 1
        return f"{prefix}{counts[prefix]}"

    def emit(e: Expr, indent: str) -> str:
        if isinstance(e, Var):
            return e.name
        if isinstance(e, Const):
            return repr(e.value)
        if e.name == PER_OBJECT:  # the body becomes a nested function of the box X
            source, body, conn, margin = per_object_args(e)
            args = emit(source, indent)
            function = fresh("f")
            lines.append(f"{indent}def {function}({CROP.name}):")
            lines.append(f"{indent}    return {emit(body, indent + '    ')}")
            args += f", {function}, {conn}, {margin}"
        else:
            args = ", ".join(emit(a, indent) for a in e.args)
        var = fresh("x")
        lines.append(f"{indent}{var} = {e.name}({args})")
        return var

    result = emit(expr, "    ")
    primitives = [n for n in names if n not in FORM_COSTS]
    imports = f"from dsl.primitives import {', '.join(primitives)}\n" if primitives else ""
    if PER_OBJECT in names:
        imports = f"from dsl.object_boxes import {PER_OBJECT}\n" + imports
    body = "\n".join(lines)
    return (
        f'"""Generated by arc-synth from: {format_program(expr)}"""\n\n'
        "import numpy as np\n\n"
        f"{imports}\n\n"
        f"def {function_name}(grid):\n"
        "    I = np.asarray(grid, dtype=np.uint8)\n"
        + (body + "\n" if body else "")
        + f"    return {result}.tolist()\n"
    )
