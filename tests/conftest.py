"""Fixtures shared by every test module.

The autouse fixture points home, cache, config, data and state directories at `tmp_path` and clears
the variables that would send a test to a real endpoint or change a CLI default, so no test reads or
writes the user's files or depends on the shell it was started from.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = REPO_ROOT / "examples"

XDG_DIRS = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
CLEARED_PREFIXES = ("SYNTH_", "OPENAI_")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HOME and XDG directories under tmp_path; SYNTH_* and OPENAI_* variables unset."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in XDG_DIRS:
        path = home / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    for name in list(os.environ):
        if name.startswith(CLEARED_PREFIXES):
            monkeypatch.delenv(name)
    return home


@pytest.fixture
def examples_dir() -> Path:
    """The bundled example tasks."""
    return EXAMPLES_DIR


@pytest.fixture
def write_task(tmp_path: Path) -> Callable[..., Path]:
    """Write a task file under tmp_path: a dict is dumped as JSON, a str or bytes written as is."""

    def write(content: dict[str, Any] | str | bytes, name: str = "task.json") -> Path:
        path = tmp_path / "tasks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content))
        return path

    return write


def _small_task(train: int = 2, test_output: bool = True) -> dict[str, Any]:
    """A valid task dict (transpose of small grids) to corrupt in tests."""
    grids = [[[1, 0, 2], [0, 3, 0]], [[0, 4], [5, 0], [6, 7]], [[8, 0, 0], [0, 0, 9]]]

    def pair(g: list[list[int]], with_output: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"input": g}
        if with_output:
            d["output"] = [list(col) for col in zip(*g, strict=True)]
        return d

    return {"train": [pair(g) for g in grids[:train]], "test": [pair(grids[-1], test_output)]}


@pytest.fixture
def task_data() -> dict[str, Any]:
    """A fresh valid task dict (three transposed pairs' worth: two train, one test with output)."""
    return _small_task()
