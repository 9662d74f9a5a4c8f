"""`synth show`: one task in the terminal, or as an SVG or PNG picture in the ARC palette."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np
import pytest

from dsl.task import load_task
from synth.cli import main
from synth.render import PALETTE_RGB, grid_svg, png_bytes

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "rotate_quarter.json"


def decode_png(data: bytes) -> np.ndarray:
    """Just enough of a PNG reader for our own files: 8-bit RGB, filter 0 rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IHDR":
            width, height, depth, color_type = struct.unpack(">IIBB", body[:10])
            assert (depth, color_type) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + width * 3)
    assert not raw[:, 0].any()
    return raw[:, 1:].reshape(height, width, 3)


def test_png_encodes_the_pixels_it_was_given() -> None:
    rgb = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    assert np.array_equal(decode_png(png_bytes(rgb)), rgb)


def test_grid_svg_draws_each_colour_run_once() -> None:
    svg = ET.fromstring(grid_svg(np.array([[0, 3, 3], [2, 2, 0]], dtype=np.uint8), cell=10))
    rects = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect")]
    assert svg.get("width") == "30" and svg.get("height") == "20"
    fills = [(r.get("x"), r.get("y"), r.get("width"), r.get("fill")) for r in rects[1:]]
    assert fills == [("1", "0", "2", "#2ECC40"), ("0", "1", "2", "#FF4136")]


def test_show_writes_an_svg(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "task.svg"
    assert main(["show", str(EXAMPLE), "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    task = load_task(EXAMPLE)
    svg = ET.fromstring(out.read_text())
    nested = [e for e in svg.iter("{http://www.w3.org/2000/svg}svg")][1:]
    assert len(nested) == 2 * len(task.train) + 2 * len(task.test)


def test_show_writes_a_png_with_the_task_colours(tmp_path: Path) -> None:
    out = tmp_path / "task.png"
    assert main(["show", str(EXAMPLE), "--out", str(out)]) == 0
    image = decode_png(out.read_bytes())
    task = load_task(EXAMPLE)
    used = {int(v) for p in task.train for g in (p.input, p.output) for v in np.unique(g)}
    colours = {tuple(c) for c in image.reshape(-1, 3)}
    assert {tuple(PALETTE_RGB[v]) for v in used} <= colours


def test_show_prints_the_task_and_marks_solution_attempts(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    task = load_task(EXAMPLE)
    right = task.test[0].output.tolist()
    wrong = np.zeros_like(task.test[0].output).tolist()
    solution = tmp_path / "solution.json"
    solution.write_text(json.dumps({"attempts": [[right, wrong]]}))
    assert main(["show", str(EXAMPLE), "--solution", str(solution)]) == 0
    out = capsys.readouterr().out
    assert "train 1 input" in out and "test 1 input" in out
    assert "attempt 1 right" in out and "attempt 2 wrong" in out


def test_show_reads_attempts_from_a_submission(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    task = load_task(EXAMPLE)
    grid = task.test[0].output.tolist()
    submission = tmp_path / "submission.json"
    submission.write_text(json.dumps({task.id: [{"attempt_1": grid, "attempt_2": grid}]}))
    assert main(["show", str(EXAMPLE), "--solution", str(submission)]) == 0
    assert "attempt 2 right" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "x.gif"], "unknown picture format '.gif'"),
        (["--solution", "nowhere.json"], "nowhere.json: cannot read"),
    ],
)
def test_show_bad_input_is_a_one_line_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["show", str(EXAMPLE), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_show_missing_task_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["show", str(tmp_path / "none.json")]) == 2
    assert "none.json: no such file" in capsys.readouterr().err
