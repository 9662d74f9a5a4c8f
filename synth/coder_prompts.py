"""Rendering the coder's prompts from the jinja2 templates in the `prompts` package, and pulling the
program back out of an answer."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

import prompts
from dsl.grid import Grid
from dsl.registry import PRIMITIVES, signature_text
from dsl.task import Task
from synth.sandbox_modules import ALLOWED_IMPORTS

Message = dict[str, str]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(prompts.__file__).parent),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render(template: str, **values: Any) -> str:
    return environment().get_template(template).render(**values).strip() + "\n"


def shape_text(g: Grid) -> str:
    return f"{g.shape[0]}x{g.shape[1]}"


def diff_rows(before: Grid, after: Grid) -> list[str] | None:
    """Rows with '.' where the grids agree and `after`'s colour where they differ; None if shapes differ."""
    if before.shape != after.shape:
        return None
    return [
        "".join("." if a == b else str(b) for a, b in zip(r0, r1, strict=True))
        for r0, r1 in zip(before, after, strict=True)
    ]


def rows(g: Grid) -> list[str]:
    return ["".join(str(int(v)) for v in row) for row in g]


def primitive_lines() -> list[str]:
    """One line per DSL primitive: `name(Grid, Color) -> Grid: doc`."""
    import dsl.primitives  # noqa: F401  (registers them)

    return [f"{signature_text(p)}: {p.doc}" for p in sorted(PRIMITIVES.values(), key=lambda p: p.name)]


def system_message() -> Message:
    return {"role": "system", "content": render("system.j2", modules=ALLOWED_IMPORTS)}


def task_messages(task: Task, with_primitives: bool = True) -> list[Message]:
    """System prompt and the task prompt: grids as rows of digits, shapes, diffs when shapes match."""
    train = [
        {
            "input": rows(p.input),
            "output": rows(p.output),
            "input_shape": shape_text(p.input),
            "output_shape": shape_text(p.output),
            "diff": diff_rows(p.input, p.output),
        }
        for p in task.train
        if p.output is not None
    ]
    test = [{"input": rows(p.input), "input_shape": shape_text(p.input)} for p in task.test]
    text = render("task.j2", train=train, test=test, primitives=primitive_lines() if with_primitives else [])
    return [system_message(), {"role": "user", "content": text}]


def revision_message(task: Task, program: str, outputs: list[Grid | None], errors: list[str]) -> Message:
    """The revision prompt: the program, and for every train pair it got wrong the input, the expected
    output, its output (or its error) and the wrong cells."""
    failures = []
    for i, pair in enumerate(task.train):
        out, expected = outputs[i], pair.output
        assert expected is not None
        if out is not None and out.shape == expected.shape and np.array_equal(out, expected):
            continue
        failures.append(
            {
                "index": i + 1,
                "input": rows(pair.input),
                "input_shape": shape_text(pair.input),
                "expected": rows(expected),
                "expected_shape": shape_text(expected),
                "output": None if out is None else rows(out),
                "output_shape": None if out is None else shape_text(out),
                "diff": None if out is None else diff_rows(out, expected),
                "error": errors[i],
            }
        )
    text = render("revision.j2", program=program.strip(), failures=failures, n_train=len(task.train))
    return {"role": "user", "content": text}


_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)
_CODE_START = re.compile(r"^(import |from |def |class |@|[A-Za-z_][A-Za-z0-9_]* *=)")


def extract_code(text: str, entry: str = "transform") -> str | None:
    """The program in an answer: the last fenced block defining `entry`, after the earlier blocks that
    only define things (imports, helpers); with no fence, the code-looking lines around `def entry`.
    A cut-off tail or prose after the code is dropped."""
    if not text:
        return None
    blocks = [body for lang, body in _FENCE.findall(text) if lang.lower() in ("", "python", "py", "python3")]
    defines = f"def {entry}("
    last = max((i for i, b in enumerate(blocks) if defines in b), default=None)
    if last is not None:
        helpers = [b for b in blocks[:last] if defines not in b and _only_definitions(b)]
        return _parsable_prefix("\n".join([*helpers, blocks[last]]))
    if defines not in text:
        return None
    return _unfenced(text)


def _only_definitions(code: str) -> bool:
    """True for code made only of imports, functions, classes and assignments (no example calls)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)
    return all(isinstance(node, allowed) for node in tree.body)


def _unfenced(text: str) -> str | None:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _CODE_START.match(line)), None)
    if start is None:
        return None
    return _parsable_prefix("\n".join(lines[start:]))


def _parsable_prefix(code: str) -> str | None:
    """The longest prefix of whole lines that parses (drops prose after the code, or a cut-off tail)."""
    lines = code.strip("\n").splitlines()
    for end in range(len(lines), 0, -1):
        candidate = "\n".join(lines[:end]) + "\n"
        try:
            ast.parse(candidate)
        except (SyntaxError, ValueError):
            continue
        return candidate
    return None
