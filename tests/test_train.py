"""Training end to end: a tiny run overfits a few tasks, resumes where it stopped, and checkpoints
rebuild the same model without pickle; the `synth train` command reports bad input in one line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from dsl.grid import grids_equal
from dsl.primitives import flip_lr
from dsl.task import Pair, Task, save_task
from model.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from model.data import ExampleConfig, load_folder
from model.predict import predict_grids, to_tensors
from model.tokenizer import TokenizerConfig, collate, encode_task
from model.train import TrainConfig, train
from model.transformer import GridTransformer, ModelConfig
from synth.cli import main


def tiny_flip_task(seed: int) -> Task:
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(3):
        g = ((rng.random((3, 3)) < 0.5) * int(rng.integers(1, 10))).astype(np.uint8)
        g[0, 0] = g[0, 0] or 1
        pairs.append(Pair(g, flip_lr(g)))
    return Task(f"flip{seed}", tuple(pairs[:2]), (pairs[2],), meta={"program": "flip_lr(I)"})


@pytest.fixture
def task_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tasks"
    for seed in range(4):
        save_task(tiny_flip_task(seed), folder / "flip" / f"t{seed}.json")
    return folder


def quick_config(data: Path, out: Path, **changes: object) -> TrainConfig:
    cfg = TrainConfig(
        data=str(data),
        out=str(out),
        steps=60,
        batch_size=8,
        lr=3e-3,
        warmup=5,
        eval_every=30,
        eval_tasks=1,
        checkpoint_every=30,
        threads=1,
        held_out_fraction=0.0,
        example=ExampleConfig(color_aug=False, d8_aug=False),
    )
    return replace(cfg, **changes)


def test_a_tiny_run_overfits_a_handful_of_tasks(task_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = train(quick_config(task_dir, out, steps=80))
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert records[-1]["loss"] < records[0]["loss"] / 4
    model, meta = load_checkpoint(out)
    tasks = load_folder(task_dir)
    preds = predict_grids(model, tasks)
    solved = sum(
        p is not None and grids_equal(p.grid, t.test[0].output) for p, t in zip(preds, tasks, strict=True)
    )
    assert solved >= 3
    assert meta["step"] == 80 and result["step"] == 80 and "exact" in result["eval"]


def test_training_resumes_from_the_last_checkpoint(task_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    train(quick_config(task_dir, out, steps=10, checkpoint_every=10, eval_every=10))
    first = load_checkpoint(out)[0].state_dict()
    result = train(quick_config(task_dir, out, steps=20, checkpoint_every=10, eval_every=10))
    steps = [json.loads(line)["step"] for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert steps == [10, 20] and result["step"] == 20
    second = load_checkpoint(out)[0].state_dict()
    assert any(not torch.equal(first[k], second[k]) for k in first)


def test_a_finished_run_does_not_train_again(task_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    train(quick_config(task_dir, out, steps=5, eval_every=5))
    result = train(quick_config(task_dir, out, steps=5, eval_every=5))
    assert result["step"] == 5 and result["steps_per_s"] == 0


def test_checkpoint_round_trip_gives_identical_outputs(tmp_path: Path) -> None:
    torch.manual_seed(1)
    cfg = ModelConfig(d_model=32, n_layer=2, n_head=2, d_ff=64, pos2d=False, primitives=("flip_lr",))
    model = GridTransformer(cfg).eval()
    save_checkpoint(model, tmp_path / "ck", meta={"head": "transduction", "note": "x"})
    loaded, meta = load_checkpoint(tmp_path / "ck")
    assert loaded.cfg == cfg and meta["note"] == "x"
    b = to_tensors(collate([encode_task(tiny_flip_task(0))]), "cpu")
    with torch.no_grad():
        a, _ = model(b)
        c, _ = loaded(b)
    for key in a:
        assert torch.equal(a[key], c[key])


def test_a_prior_with_new_labels_starts_from_the_rows_of_the_labels_it_shares(tmp_path: Path) -> None:
    from model.train import init_from_checkpoint

    def prior(labels: tuple[str, ...], seed: int) -> GridTransformer:
        torch.manual_seed(seed)
        return GridTransformer(ModelConfig(d_model=16, n_layer=1, n_head=2, d_ff=32, primitives=labels))

    old = prior(("flip_lr", "rotate_90", "transpose"), 0)
    save_checkpoint(old, tmp_path / "old", meta={"head": "prior"})
    new = prior(("transpose", "recolor_by_features", "flip_lr", "upscale"), 1)
    fresh = {k: v.clone() for k, v in new.state_dict().items()}
    init_from_checkpoint(new, tmp_path / "old")
    theirs, ours = old.prior_head.weight, new.prior_head.weight
    assert torch.equal(ours[0], theirs[2]) and torch.equal(ours[2], theirs[0])  # by name, not position
    assert torch.equal(new.prior_head.bias[0], old.prior_head.bias[2])
    assert torch.equal(ours[1], fresh["prior_head.weight"][1])  # a label the old prior lacked keeps its init
    assert torch.equal(ours[3], fresh["prior_head.weight"][3])
    body = [k for k in fresh if not k.startswith("prior_head")]
    assert body and all(torch.equal(new.state_dict()[k], old.state_dict()[k]) for k in body)


def test_pickled_weights_are_refused(tmp_path: Path) -> None:
    model = GridTransformer(ModelConfig(d_model=16, n_layer=1, n_head=2, d_ff=32))
    save_checkpoint(model, tmp_path / "ck")
    torch.save(model.state_dict(), tmp_path / "ck" / "model.safetensors")  # a pickle under the right name
    with pytest.raises(CheckpointError, match="not a safetensors file"):
        load_checkpoint(tmp_path / "ck")
    torch.save(model.state_dict(), tmp_path / "weights.pt")
    with pytest.raises(CheckpointError, match="pickled weights are never loaded"):
        load_checkpoint(tmp_path / "weights.pt")


def test_cli_trains_and_prints_a_summary(
    task_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "cli-run"
    code = main(
        [
            "train",
            "--data",
            str(task_dir),
            "--steps",
            "3",
            "--batch-size",
            "4",
            "--out",
            str(out),
            "--threads",
            "1",
            "--no-progress",
            "--eval-every",
            "3",
            "--eval-tasks",
            "1",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["step"] == 3 and summary["out"] == str(out)
    assert (out / "model.safetensors").is_file() and (out / "config.json").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--data", "no/such/dir"], "no/such/dir: not a folder of tasks"),
        (["--transforms", "rotate_45"], "--transforms: unknown rotate_45"),
    ],
)
def test_cli_reports_bad_input_in_one_line(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code = main(["train", "--out", str(tmp_path / "o"), "--no-progress", *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_cli_reports_a_folder_without_tasks(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "empty").mkdir()
    code = main(["train", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "o"), "--no-progress"])
    assert code == 2 and "no .json or .jsonl task files" in capsys.readouterr().err


def test_the_prior_head_learns_which_primitives_a_program_uses(task_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "prior"
    result = train(quick_config(task_dir, out, head="prior", steps=30, eval_every=30))
    model, meta = load_checkpoint(out)
    assert meta["head"] == "prior" and "flip_lr" in model.cfg.primitives
    assert result["eval"]["recall_at_k"] == 1.0  # flip_lr ranked first on the held-out task


def test_jsonl_shards_load_with_their_ids_and_categories(tmp_path: Path) -> None:
    import gzip

    from dsl.task import task_to_json

    shard = tmp_path / "shards" / "shard-00000.jsonl.gz"
    shard.parent.mkdir()
    with gzip.open(shard, "wt", encoding="utf-8") as f:
        for seed in range(2):
            task = tiny_flip_task(seed)
            f.write(json.dumps({"id": task.id, "category": "depth1", **task_to_json(task)}) + "\n")
    tasks = load_folder(tmp_path / "shards")
    assert [t.id for t in tasks] == ["flip0", "flip1"] and {t.category for t in tasks} == {"depth1"}
    assert tasks[0].meta["program"] == "flip_lr(I)"
    assert grids_equal(tasks[1].test[0].output, tiny_flip_task(1).test[0].output)


def test_unmasked_input_loss_scores_hidden_train_output_cells() -> None:
    from model.data import make_example
    from model.tokenizer import IGNORE, MASK, ROLE_TRAIN_OUTPUT, TokenizerConfig

    task = tiny_flip_task(0)
    rng = np.random.default_rng(0)
    masked = make_example(task, rng, ExampleConfig(), TokenizerConfig())
    assert (masked.labels[masked.roles == ROLE_TRAIN_OUTPUT] == IGNORE).all()
    cfg = ExampleConfig(mask_input_loss=False, context_mask_rate=1.0, color_aug=True, d8_aug=True)
    open_ = make_example(task, rng, cfg, TokenizerConfig())
    hidden = (open_.roles == ROLE_TRAIN_OUTPUT) & (open_.labels != IGNORE)
    n_cells = sum(int((p.output != 0).sum()) for p in task.train)
    assert hidden.sum() == n_cells and (open_.tokens[hidden] == MASK).all()
    assert set(open_.labels[hidden].tolist()) <= set(range(1, 10))


def test_a_time_limit_stops_the_run_early_with_a_checkpoint_and_a_decayed_rate(
    task_dir: Path, tmp_path: Path
) -> None:
    from model.train import schedule_step

    out = tmp_path / "timed"
    result = train(quick_config(task_dir, out, steps=1000, minutes=1e-4, eval_every=1000))
    assert 1 <= result["step"] < 1000 and "exact" in result["eval"]
    assert load_checkpoint(out)[1]["step"] == result["step"]
    cfg = quick_config(task_dir, out, steps=100, minutes=10.0)
    assert schedule_step(cfg, 5, 100, elapsed=300.0) == 50  # half the time gone: half-way down the schedule
    assert schedule_step(replace(cfg, minutes=None), 5, 100, elapsed=300.0) == 5


def test_held_out_exact_match_is_reported_per_category(task_dir: Path, tmp_path: Path) -> None:
    from model.train import transduction_metrics

    model = GridTransformer(ModelConfig(d_model=16, n_layer=1, n_head=2, d_ff=32)).eval()
    tasks = load_folder(task_dir)
    with torch.no_grad():
        metrics = transduction_metrics(model, tasks, TokenizerConfig(), batch_size=2)
    assert set(metrics["exact_by"]) == {"flip"}
    assert metrics["exact"] == metrics["exact_by"]["flip"]


def test_batches_group_tasks_of_similar_length() -> None:
    from model.train import batches

    tasks = iter([tiny_flip_task(seed) for seed in range(8)] * 100)
    cfg = TrainConfig(batch_size=4, example=ExampleConfig(color_aug=False, d8_aug=False))
    stream = batches(tasks, np.random.default_rng(0), cfg, TokenizerConfig(), (), bucket=3)
    bucket = sorted((next(stream) for _ in range(3)), key=lambda b: min(len(e) for e in b))
    assert all(len(b) == 4 for b in bucket)
    for shorter, longer in zip(bucket, bucket[1:], strict=False):
        assert max(len(e) for e in shorter) <= min(len(e) for e in longer)
