"""Rows, the results log, the summary and the submission, without worker processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dsl.grid import make_grid
from dsl.task import Pair, Task
from synth.bench.jobs import Outcome
from synth.bench.results import ResultsLog, build_row, row_key
from synth.bench.submission import build_submission
from synth.bench.summary import summarize

TASK = Task(
    id="t",
    train=(Pair(make_grid([[1, 2]]), make_grid([[2, 1]])),),
    test=(Pair(make_grid([[3, 4]]), make_grid([[4, 3]])), Pair(make_grid([[5]]), make_grid([[6]]))),
    category="c",
)
RIGHT, WRONG_SAME_SHAPE, WRONG_SHAPE = [[4, 3]], [[3, 4]], [[4], [3]]


def test_a_task_scores_the_fraction_of_its_test_outputs_solved_with_two_attempts() -> None:
    row = build_row(TASK, "s", Outcome("ok", attempts=[[WRONG_SAME_SHAPE, RIGHT], [[[0]]]]))
    assert row["correct"] == [True, False]
    assert row["score"] == 0.5 and row["solved_outputs"] == 1 and row["test_outputs"] == 2
    assert row["verdict"] == "partly_correct"


@pytest.mark.parametrize(
    ("attempts", "programs", "stats", "verdict", "funnel"),
    [
        ([[RIGHT], [[[6]]]], ["p"], {}, "correct", (True, True, True)),
        ([[WRONG_SAME_SHAPE], [[[0]]]], ["p"], {"candidates_found": 0}, "shape_right", (True, False, False)),
        (
            [[WRONG_SAME_SHAPE], [[[0]]]],
            ["p"],
            {"candidates_found": 3},
            "candidate_wrong",
            (True, True, False),
        ),
        ([[WRONG_SHAPE], [[[0]]]], [], {}, "shape_wrong", (False, False, False)),
        ([[], []], [], {"predicted_shapes": [[1, 2], [1, 1]]}, "no_answer", (True, False, False)),
    ],
)
def test_the_funnel_says_where_a_row_stopped(attempts, programs, stats, verdict, funnel) -> None:
    row = build_row(TASK, "s", Outcome("ok", attempts=attempts, programs=programs, stats=stats))
    assert row["verdict"] == verdict
    assert (row["funnel"]["shape_ok"], row["funnel"]["candidate"], row["funnel"]["correct"]) == funnel


def test_timeouts_and_errors_score_zero() -> None:
    row = build_row(TASK, "s", Outcome("timeout", error="killed"))
    assert (row["status"], row["score"], row["verdict"]) == ("timeout", 0.0, "timeout")


def test_the_log_drops_a_torn_last_line_and_appends_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    rows = [build_row(TASK, s, Outcome("ok", attempts=[[RIGHT], []])) for s in ("a", "b")]
    path.write_text(json.dumps(rows[0]) + "\n" + json.dumps(rows[1])[:40])
    log = ResultsLog(path)
    assert list(log.rows) == [row_key(rows[0])] and log.skipped_lines == 1
    log.append(rows[1])
    assert [json.loads(line) for line in path.read_text().splitlines()] == rows


def test_summary_counts_overlap_and_unique_solves() -> None:
    other = Task(id="u", train=TASK.train, test=TASK.test[:1], category="d")
    rows = [
        build_row(TASK, "a", Outcome("ok", attempts=[[RIGHT], [[[6]]]])),
        build_row(TASK, "b", Outcome("ok", attempts=[[RIGHT], [[[6]]]])),
        build_row(other, "a", Outcome("ok", attempts=[[RIGHT]])),
        build_row(other, "b", Outcome("error", error="boom")),
    ]
    summary = summarize(rows, ["a", "b"])
    assert summary["overlap"] == {"a": {"a": 2, "b": 1}, "b": {"a": 1, "b": 1}}
    assert summary["unique"] == {"a": 1, "b": 0} and summary["unique_tasks"]["a"] == ["d/u"]
    b = summary["by_solver"]["b"]
    assert (b["score"], b["solved_tasks"], b["errors"], b["solved_outputs"], b["test_outputs"]) == (
        0.5,
        1,
        1,
        2,
        3,
    )
    assert b["by_category"] == {"c": {"tasks": 1, "score": 1.0}, "d": {"tasks": 1, "score": 0.0}}


def test_submission_pools_distinct_attempts_in_solver_order_and_fills_empty_slots() -> None:
    rows = {
        row_key(r): r
        for r in (
            build_row(TASK, "a", Outcome("ok", attempts=[[WRONG_SAME_SHAPE], []])),
            build_row(TASK, "b", Outcome("ok", attempts=[[WRONG_SAME_SHAPE, RIGHT], []])),
        )
    }
    submission = build_submission([TASK], rows, ["a", "b"])
    assert submission == {
        "t": [{"attempt_1": WRONG_SAME_SHAPE, "attempt_2": RIGHT}, {"attempt_1": [[0]], "attempt_2": [[0]]}]
    }
