"""The LLM coder against a scripted OpenAI-compatible server on 127.0.0.1, through the real client."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from llm_server import Reply, ScriptedLLM, user_text

from dsl.task import Task, parse_task
from synth.cli import main
from synth.coder import CoderSolver, load_config
from synth.coder_prompts import extract_code, task_messages
from synth.llm import LLMClient, LLMConfig, SampleFailed
from synth.solver import Budget, SolverUnavailable, run_solver

TRANSPOSE = "def transform(grid):\n    return [list(col) for col in zip(*grid)]\n"
IDENTITY = "def transform(grid):\n    return grid\n"


def fenced(code: str, prose: str = "Here is my solution.") -> str:
    return f"{prose}\n\n```python\n{code}```\n\nThis transposes the grid."


@pytest.fixture
def task(task_data: dict[str, Any]) -> Task:
    return parse_task(task_data, "transpose")


@pytest.fixture
def server():
    with ScriptedLLM(lambda request: Reply(fenced(TRANSPOSE))) as srv:
        yield srv


def make_solver(server: ScriptedLLM, tmp_path: Path, **options: Any) -> CoderSolver:
    settings = {
        "base_url": server.base_url,
        "api_key": "test-key",
        "model": "test-model",
        "samples": 2,
        "rounds": 1,
        "concurrency": 2,
        "backoff_s": 0.01,
        "timeout_s": 5.0,
        "cache_dir": str(tmp_path / "cache"),
        **options,
    }
    return CoderSolver(**settings)


def solve(solver: CoderSolver, task: Task):
    solution, _ = run_solver(solver, task, Budget(seconds=60))
    return solution


def right(task: Task, solution) -> bool:
    return any(np.array_equal(g, task.test[0].output) for g in solution.attempts[0])


# ------------------------------------------------------------------ code extraction


@pytest.mark.parametrize(
    "answer",
    [
        fenced(TRANSPOSE),
        f"```\n{TRANSPOSE}```",
        f"First an example:\n```python\nprint(transform([[1]]))\n```\n"
        f"The program:\n```python\n{TRANSPOSE}```",
        f"```python\nimport numpy as np\n```\nthen\n```python\n{TRANSPOSE}```",
        f"I think the rule is a transpose.\n\n{TRANSPOSE}\nThat is all: it swaps rows and columns.",
        f"```python\n{TRANSPOSE}    # the answer was cut off here and never clos",
    ],
    ids=["fenced", "bare fence", "several blocks", "split blocks", "no fence", "truncated"],
)
def test_extract_code(answer: str) -> None:
    code = extract_code(answer)
    assert code is not None and "def transform(grid):" in code
    scope: dict[str, Any] = {}
    exec(code, scope)  # the test's own trusted code: checks the extraction kept a working program
    assert scope["transform"]([[1, 2]]) == [[1], [2]]


def test_extract_code_keeps_helper_blocks_and_drops_examples() -> None:
    answer = (
        "```python\nimport numpy as np\ndef flip(g):\n    return np.array(g)[::-1]\n```\n"
        "```python\nprint(flip([[1]]))\n```\n"
        "```python\ndef transform(grid):\n    return flip(grid).tolist()\n```\n"
    )
    code = extract_code(answer)
    assert code is not None and "def flip" in code and "def transform" in code and "print" not in code


@pytest.mark.parametrize("answer", ["", "I cannot solve this.", "```python\nprint('hi')\n```"])
def test_extract_code_none(answer: str) -> None:
    assert extract_code(answer) is None


# ------------------------------------------------------------------ prompts


def test_task_prompt_states_grids_shapes_diff_and_primitives(task: Task, task_data: dict[str, Any]) -> None:
    system, user = task_messages(task)
    assert system["role"] == "system" and "transform(grid)" in system["content"]
    text = user["content"]
    assert "Input (2x3):\n102\n030" in text
    assert "Output (3x2):\n10\n03\n20" in text
    assert "Test input 1 (2x3):\n800\n009" in text
    assert "rotate_90(Grid) -> Grid" in text
    assert "Changed cells" not in text  # shapes differ in every pair: no diff

    same_shape = {
        "train": [{"input": [[1, 0], [0, 1]], "output": [[1, 2], [0, 1]]}],
        "test": [{"input": [[1]]}],
    }
    text = task_messages(parse_task(same_shape, "t"), with_primitives=False)[1]["content"]
    assert "Changed cells (. = unchanged, digit = new colour):\n.2\n.." in text
    assert "rotate_90" not in text


def test_revision_prompt_shows_program_outputs_expected_and_diff(server: ScriptedLLM, tmp_path: Path) -> None:
    data = {
        "train": [
            {"input": [[1, 0], [0, 1]], "output": [[1, 2], [2, 1]]},
            {"input": [[0, 0], [3, 0]], "output": [[2, 2], [3, 2]]},
        ],
        "test": [{"input": [[0, 5]], "output": [[2, 5]]}],
    }
    fill = "def transform(grid):\n    return [[2 if v == 0 else v for v in row] for row in grid]\n"
    server.responder = lambda r: Reply(fenced(fill if "is wrong on" in user_text(r) else IDENTITY))
    task = parse_task(data, "fill")
    solution = solve(make_solver(server, tmp_path, samples=1, rounds=1), task)
    assert right(task, solution)
    assert solution.programs == [fill]
    revision = user_text(server.requests[-1])
    assert "Your program is wrong on 2 of 2 examples." in revision
    assert IDENTITY.strip() in revision
    assert "Expected output (2x2):\n12\n21" in revision
    assert "Your output (2x2):\n10\n01" in revision
    assert "Wrong cells (. = right, digit = the expected colour):\n.2\n2." in revision
    assert server.requests[-1]["messages"][-2]["role"] == "assistant"  # the conversation continues


# ------------------------------------------------------------------ end to end


def test_solves_a_task_end_to_end(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    solution = solve(make_solver(server, tmp_path), task)
    assert right(task, solution)
    assert solution.programs == [TRANSPOSE]
    assert solution.stats["train_consistent"] == 2
    assert len(server.requests) == 2
    assert server.requests[0]["model"] == "test-model"


def test_votes_for_the_majority_test_output(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    # both fit the train pairs; they disagree on the test input (its corner cell is 9)
    odd = (
        TRANSPOSE.replace("return", "out =")
        + "    out[-1][-1] = 1 if out[-1][-1] == 9 else out[-1][-1]\n    return out\n"
    )
    server.queue(Reply(fenced(odd)), Reply(fenced(TRANSPOSE)), Reply(fenced(TRANSPOSE)))
    solution = solve(make_solver(server, tmp_path, samples=3, concurrency=1), task)
    assert [np.array_equal(g, task.test[0].output) for g in solution.attempts[0]] == [True, False]
    assert solution.programs[0] == TRANSPOSE


def test_no_consistent_program_still_gives_best_guesses(
    server: ScriptedLLM, task: Task, tmp_path: Path
) -> None:
    server.responder = lambda r: Reply(fenced(IDENTITY))
    solution = solve(make_solver(server, tmp_path, samples=2, rounds=1), task)
    assert solution.programs == []
    assert [g.tolist() for g in solution.attempts[0]] == [task.test[0].input.tolist()]
    assert solution.stats["revisions"] == 1


# ------------------------------------------------------------------ failures


def test_429_with_retry_after_then_success(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.queue(Reply(status=429, headers={"Retry-After": "0.3"}))
    start = time.monotonic()
    solution = solve(make_solver(server, tmp_path, samples=1), task)
    assert time.monotonic() - start >= 0.3
    assert right(task, solution)
    assert len(server.requests) == 2
    assert solution.stats["usage"]["requests"] == 2


def test_500_then_success(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.queue(Reply(status=500), Reply(status=503))
    solution = solve(make_solver(server, tmp_path, samples=1), task)
    assert right(task, solution)
    assert len(server.requests) == 3


def test_timeout_then_success(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.queue(Reply(fenced(IDENTITY), delay_s=1.5))
    solution = solve(make_solver(server, tmp_path, samples=1, timeout_s=0.5), task)
    assert right(task, solution)
    assert solution.stats["usage"]["requests"] == 2


def test_retries_are_capped(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.responder = lambda r: Reply(status=500)
    solution = solve(make_solver(server, tmp_path, samples=1, max_retries=2, rounds=0), task)
    assert len(server.requests) == 3
    assert solution.stats["failed"] == 1 and solution.attempts == [[]]


def test_dropped_and_truncated_responses_are_retried(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.queue(Reply(drop=True), Reply(body=b'{"id": "x", "choi', claimed_length=500))
    solution = solve(make_solver(server, tmp_path, samples=1), task)
    assert right(task, solution)
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    "bad",
    [
        Reply(body=b"this is not json"),
        Reply(body=b'{"choices": "nope"}'),
        Reply(""),
        Reply(None),
        Reply(no_choices=True),
        Reply("I think it is a rotation, but I will not write code."),
    ],
    ids=["garbage", "wrong shape", "empty", "null content", "no choices", "no code"],
)
def test_bad_responses_are_failed_samples(
    bad: Reply, server: ScriptedLLM, task: Task, tmp_path: Path
) -> None:
    server.responder = lambda r: bad
    solution = solve(make_solver(server, tmp_path, samples=2, rounds=0), task)
    assert solution.attempts == [[]] and solution.programs == []
    assert solution.stats.get("failed", 0) + solution.stats.get("no_code", 0) == 2


def test_one_bad_sample_does_not_spoil_the_others(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.queue(Reply(body=b"garbage"))
    solution = solve(make_solver(server, tmp_path, samples=2, concurrency=1), task)
    assert right(task, solution)
    assert solution.stats["failed"] == 1


# ------------------------------------------------------------------ cache, cost, budget


def test_cache_hit_on_rerun_sends_no_request(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    first = solve(make_solver(server, tmp_path), task)
    sent = len(server.requests)
    solver = make_solver(server, tmp_path)
    second = solve(solver, task)
    assert len(server.requests) == sent
    assert second.programs == first.programs and right(task, second)
    assert solver.usage.cached == 2 and solver.usage.requests == 0
    assert list((tmp_path / "cache").rglob("*.json"))


def test_cache_key_separates_samples_models_and_endpoints(tmp_path: Path) -> None:
    base = LLMConfig(base_url="http://127.0.0.1:9/v1", api_key="k", cache_dir=str(tmp_path))
    client = LLMClient(base)
    messages = [{"role": "user", "content": "hi"}]
    keys = {
        client.cache_key(messages, 0, 0.8),
        client.cache_key(messages, 1, 0.8),
        client.cache_key(messages, 0, 0.2),
        client.cache_key([{"role": "user", "content": "ho"}], 0, 0.8),
        LLMClient(LLMConfig(**{**vars(base), "model": "other"})).cache_key(messages, 0, 0.8),
        LLMClient(LLMConfig(**{**vars(base), "base_url": "http://127.0.0.1:8/v1"})).cache_key(
            messages, 0, 0.8
        ),
    }
    assert len(keys) == 6


def test_token_and_cost_totals(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.responder = lambda r: Reply(fenced(TRANSPOSE), prompt_tokens=1000, completion_tokens=200)
    prices = {"test-model": (2.0, 10.0)}  # USD per million tokens
    solver = make_solver(server, tmp_path, samples=3, prices=prices)
    solution = solve(solver, task)
    usage = solution.stats["usage"]
    assert usage["prompt_tokens"] == 3000 and usage["completion_tokens"] == 600
    assert usage["cost_usd"] == pytest.approx((3000 * 2.0 + 600 * 10.0) / 1e6)
    solve(solver, task.__class__(**{**vars(task), "id": "again"}))  # cached: the run total does not grow
    assert solver.usage.total_tokens == 3600 and solver.usage.cached == 3


def test_token_budget_stops_sampling(server: ScriptedLLM, task: Task, tmp_path: Path) -> None:
    server.responder = lambda r: Reply(fenced(IDENTITY), prompt_tokens=900, completion_tokens=200)
    solution = solve(make_solver(server, tmp_path, samples=5, concurrency=1, budget_tokens=2000), task)
    assert len(server.requests) == 2
    assert solution.stats["budget_spent"] == 3


# ------------------------------------------------------------------ configuration and the CLI


def test_config_precedence(tmp_path: Path) -> None:
    path = tmp_path / "coder.toml"
    path.write_text('model = "from-file"\nsamples = 3\nrounds = 4\n[prices]\nfrom-file = [1.0, 2.0]\n')
    env = {"SYNTH_CODER_CONFIG": str(path), "SYNTH_MODEL": "from-env", "SYNTH_CODER_SAMPLES": "5"}
    config = load_config({"samples": 7, "rounds": None}, env=env)
    assert (config.llm.model, config.samples, config.rounds) == ("from-env", 7, 4)
    assert config.llm.prices == {"from-file": (1.0, 2.0)}


def test_config_file_errors_are_one_line(tmp_path: Path) -> None:
    from synth.errors import UserError

    bad = tmp_path / "bad.toml"
    bad.write_text("model = \n")
    with pytest.raises(UserError, match="bad.toml: not valid TOML"):
        load_config(env={"SYNTH_CODER_CONFIG": str(bad)})
    bad.write_text("colour = 'red'\n")
    with pytest.raises(UserError, match="unknown coder setting 'colour'"):
        load_config(env={"SYNTH_CODER_CONFIG": str(bad)})


def test_missing_key_is_solver_unavailable() -> None:
    with pytest.raises(SolverUnavailable, match="OPENAI_API_KEY"):
        CoderSolver(base_url="http://127.0.0.1:9/v1", cache_dir="")


def test_unreachable_endpoint_fails_fast() -> None:
    client = LLMClient(LLMConfig(base_url="http://127.0.0.1:9/v1", api_key="k", cache_dir="", backoff_s=0.01))
    with pytest.raises(SolverUnavailable, match="cannot reach"):
        client.complete([{"role": "user", "content": "hi"}])


def test_sample_failed_is_not_a_crash(server: ScriptedLLM) -> None:
    server.responder = lambda r: Reply("")
    client = LLMClient(LLMConfig(base_url=server.base_url, api_key="k", cache_dir=""))
    with pytest.raises(SampleFailed, match="empty"):
        client.complete([{"role": "user", "content": "hi"}])
    assert client.usage.failed == 1


def _write_task(tmp_path: Path, task_data: dict[str, Any]) -> Path:
    path = tmp_path / "transpose.json"
    path.write_text(json.dumps(task_data))
    return path


def test_cli_solve_with_coder(
    server: ScriptedLLM,
    task_data: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("SYNTH_CODER_SAMPLES", "2")
    code = main(["solve", str(_write_task(tmp_path, task_data)), "--solver", "coder", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["correct"] == [True] and out["programs"] == [TRANSPOSE]
    assert out["stats"]["usage"]["requests"] == 2


def test_cli_solve_without_key_exits_2(
    task_data: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["solve", str(_write_task(tmp_path, task_data)), "--solver", "coder"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "OPENAI_API_KEY" in err


def test_cli_solve_unreachable_exits_2(
    task_data: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    code = main(["solve", str(_write_task(tmp_path, task_data)), "--solver", "coder"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "cannot reach" in err


# ------------------------------------------------------------------ synth generate coder

GENERATOR = """def generate_input(rng):
    h, w = rng.randint(3, 6), rng.randint(3, 6)
    return [[rng.choice([0, 0, 1, 2, 3]) for _ in range(w)] for _ in range(h)]

def transform(grid):
    return [row[::-1] for row in grid]
"""


def test_generate_coder_writes_checked_tasks(
    server: ScriptedLLM,
    task_data: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dsl.task import load_task

    identity = GENERATOR.replace("row[::-1]", "row")
    crashing = GENERATOR.replace("rng.randint(3, 6), rng.randint(3, 6)", "rng.randint(3, 6), 1 / 0")
    replies = [fenced(identity), fenced(GENERATOR), fenced(crashing), "no code here"]
    server.queue(*(Reply(text) for text in replies))
    server.responder = lambda r: Reply(fenced(GENERATOR))
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    out = tmp_path / "out"
    seed = _write_task(tmp_path, task_data)
    argv = ["generate", "coder", "--n", "2", "--out", str(out), "--seed-tasks", str(seed), "--pairs", "3"]
    code = main(argv)
    assert code == 0, capsys.readouterr().err
    files = sorted((out / "coder").glob("*.json"))
    assert len(files) == 2
    for path in files:
        task = load_task(path)
        assert len(task.train) == 3 and len(task.test) == 1
        assert task.meta["generator"] == GENERATOR and task.meta["seed_task"] == "transpose"
        for pair in task.train + task.test:
            assert pair.output.tolist() == pair.input[:, ::-1].tolist()
        assert len({p.input.tobytes() + bytes(p.input.shape) for p in task.train + task.test}) == 4
    stats = json.loads((out / "stats.json").read_text())
    assert stats["attempts"] == 5
    assert stats["dropped"] == {"identity": 1, "generator_failed": 1, "no_code": 1}
    assert "Write a generator of NEW puzzles" in user_text(server.requests[0])
    assert "generated 2 tasks in 5 attempts" in capsys.readouterr().out


def test_cli_bench_with_coder(
    server: ScriptedLLM, task_data: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("SYNTH_CODER_SAMPLES", "2")
    folder = tmp_path / "tasks"
    folder.mkdir()
    _write_task(folder, task_data)
    out = tmp_path / "bench"
    argv = ["bench", str(folder), "--solvers", "coder", "--budget", "30", "--jobs", "1", "--out", str(out)]
    assert main([*argv, "--no-progress"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    rows = (out / "results.jsonl").read_text()
    assert summary["by_solver"]["coder"]["score"] == 1.0, rows
    assert len(server.requests) == 2


def test_unknown_option_is_blamed_on_the_option_not_the_config_file(tmp_path: Path) -> None:
    from synth.coder import load_config
    from synth.errors import UserError

    with pytest.raises(UserError, match="unknown coder option 'bogus'") as info:
        load_config({"bogus": 1}, env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert "toml" not in str(info.value)
