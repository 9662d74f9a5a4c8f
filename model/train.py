"""Training: any head, on generated or stored tasks, with held-out evaluation, a JSONL metrics log and
resumable checkpoints.

The output directory is a checkpoint (`model.safetensors`, `config.json`) plus `metrics.jsonl` and
`resume/` (optimizer state as safetensors, step counter as JSON). Running again with the same
`out` continues from the last saved step.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from dsl.generators.simple import SIMPLE_TRANSFORMS
from dsl.grid import grids_equal
from dsl.registry import PRIMITIVES
from dsl.task import Task
from model.checkpoint import load_checkpoint, load_tensors, save_checkpoint, save_tensors
from model.data import (
    ExampleConfig,
    eval_example,
    generated_tasks,
    held_out_tasks,
    load_folder,
    make_example,
    used_primitives,
)
from model.predict import predict_grids, to_tensors
from model.tokenizer import IGNORE, Encoded, TokenizerConfig, collate
from model.transformer import GridTransformer, cosine_lr, preset

HEADS = ("transduction", "prior")
RESUME = "resume"
METRICS = "metrics.jsonl"


@dataclass(frozen=True)
class TrainConfig:
    head: str = "transduction"
    preset: str = "nano"
    pos2d: bool = True
    shift: bool = True  # the shift head (model.transformer.shift_weights)
    sparse: bool = True
    steps: int | None = None  # total optimizer steps; else derived from epochs
    minutes: float | None = None  # wall-clock limit per invocation: stop early, the lr decays by time
    epochs: float = 1.0
    epoch_size: int = 2000  # tasks per epoch when tasks are generated on the fly
    batch_size: int = 16
    lr: float = 1e-3
    warmup: int = 100
    weight_decay: float = 0.01
    transforms: tuple[str, ...] = SIMPLE_TRANSFORMS
    data: str | None = None  # a folder of tasks; None generates simple-ARC tasks on the fly
    example: ExampleConfig = field(default_factory=ExampleConfig)
    seed: int = 0
    out: str = "runs/train"
    threads: int | None = None
    device: str = "auto"
    eval_every: int = 100
    eval_tasks: int = 64
    checkpoint_every: int = 200
    log_every: int = 10
    held_out_fraction: float = 0.1  # of a --data folder
    init_from: str | None = None  # a checkpoint whose matching weights start the model (not on resume)
    prior_pairs: int = 3  # the prior head compares up to this many train pairs; 0: mean-pooled head

    def __post_init__(self) -> None:
        if self.head not in HEADS:
            raise ValueError(f"unknown head {self.head!r} (known: {', '.join(HEADS)})")


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


@dataclass
class TaskSplit:
    """Training tasks (an endless iterator) and held-out tasks, plus the number of tasks per epoch and
    the registered primitives the training programs use (the prior's labels)."""

    train: Iterator[Task]
    held_out: list[Task]
    epoch_size: int
    program_primitives: tuple[str, ...] = ()


def split_tasks(cfg: TrainConfig, start_step: int) -> TaskSplit:
    if cfg.data is None:
        stream_seed = cfg.seed * 1_000_000 + start_step  # a resumed run continues on fresh tasks
        return TaskSplit(
            generated_tasks(cfg.transforms, stream_seed),
            held_out_tasks(cfg.transforms, cfg.seed, cfg.eval_tasks),
            cfg.epoch_size,
        )
    tasks = load_folder(cfg.data)
    order = np.random.default_rng(cfg.seed).permutation(len(tasks))
    n_held = min(cfg.eval_tasks, max(1, int(len(tasks) * cfg.held_out_fraction))) if len(tasks) > 1 else 0
    held = [tasks[i] for i in order[:n_held]]
    train = [tasks[i] for i in order[n_held:]] or held

    def cycle() -> Iterator[Task]:
        rng = np.random.default_rng(cfg.seed + start_step)
        while True:
            for i in rng.permutation(len(train)):
                yield train[i]

    return TaskSplit(cycle(), held, len(train), tuple(p for p in used_primitives(train) if p in PRIMITIVES))


def total_steps(cfg: TrainConfig, epoch_size: int) -> int:
    if cfg.steps is not None:
        return cfg.steps
    return max(1, math.ceil(cfg.epochs * epoch_size / cfg.batch_size))


def batches(
    tasks: Iterator[Task],
    rng: np.random.Generator,
    cfg: TrainConfig,
    tok: TokenizerConfig,
    primitives: Sequence[str],
    bucket: int = 4,
) -> Iterator[list[Encoded]]:
    """Endless training batches. Examples are drawn `bucket` batches at a time and grouped by length,
    so a batch pads to a length near its own tasks' (attention costs T^2 per task, and simple-ARC
    tasks range from ~100 to ~400 tokens); the batches of a bucket come in random order."""
    while True:
        pool: list[Encoded] = []
        while len(pool) < cfg.batch_size * bucket:
            enc = make_example(next(tasks), rng, cfg.example, tok, primitives)
            if enc is not None:
                pool.append(enc)
        pool.sort(key=len)
        for i in rng.permutation(bucket):
            yield pool[i * cfg.batch_size : (i + 1) * cfg.batch_size]


def head_batch(encs: list[Encoded], head: str, n_prior: int, device: torch.device) -> dict[str, torch.Tensor]:
    """Collated tensors with only the targets of the head being trained."""
    b = to_tensors(collate(encs, n_prior), device)
    if head == "prior":
        del b["labels"], b["shape_target"]
    return b


def evaluate(
    model: GridTransformer, tasks: list[Task], tok: TokenizerConfig, head: str, batch_size: int = 32
) -> dict[str, float]:
    """Held-out metrics for the head being trained (see `transduction_metrics`, `prior_metrics`)."""
    model.eval()
    try:
        with torch.no_grad():
            if head == "prior":
                return prior_metrics(model, tasks, tok, batch_size)
            return transduction_metrics(model, tasks, tok, batch_size)
    finally:
        model.train()


def transduction_metrics(
    model: GridTransformer, tasks: list[Task], tok: TokenizerConfig, batch_size: int
) -> dict[str, float]:
    """Loss; shape accuracy; cell accuracy and all-cells-right at the true shape; exact match of the
    predicted grid (predicted shape, then cells: what the solver sees), overall and per task category
    (`exact_by`: the transform, for generated tasks)."""
    encs = [e for e in (eval_example(t, tok) for t in tasks) if e is not None]
    device = next(model.parameters()).device
    totals = dict.fromkeys(("loss", "shape_acc", "cell_acc", "cells_exact"), 0.0)
    for i in range(0, len(encs), batch_size):
        chunk = encs[i : i + batch_size]
        b = head_batch(chunk, "transduction", 0, device)
        logits, loss = model(b)
        scored = b["labels"] != IGNORE
        right = (logits["cells"].argmax(-1) == b["labels"]) & scored
        totals["loss"] += float(loss) * len(chunk)
        totals["shape_acc"] += float((logits["shape"].argmax(-1) == b["shape_target"]).all(-1).sum())
        totals["cell_acc"] += float((right.sum(1) / scored.sum(1).clamp(min=1)).sum())
        totals["cells_exact"] += float((right.sum(1) == scored.sum(1)).sum())
    by_category: dict[str, list[bool]] = {}
    for i in range(0, len(tasks), batch_size):
        chunk = tasks[i : i + batch_size]
        for task, pred in zip(chunk, predict_grids(model, chunk), strict=True):
            right = pred is not None and grids_equal(pred.grid, task.test[0].output)
            by_category.setdefault(task.category or "", []).append(right)
    n = max(1, len(encs))
    exact = sum(sum(v) for v in by_category.values()) / max(1, len(tasks))
    per_category = {k: round(sum(v) / len(v), 4) for k, v in sorted(by_category.items())}
    return {"n": len(encs), **{k: v / n for k, v in totals.items()}, "exact": exact, "exact_by": per_category}


def prior_metrics(
    model: GridTransformer, tasks: list[Task], tok: TokenizerConfig, batch_size: int
) -> dict[str, float]:
    """Loss, and recall of the program's primitives among the top k (k = how many it uses); the same
    two for the best task-blind prior on these tasks (`constant_*`: their own label frequencies), the
    reference a prior that reads the task must beat."""
    primitives = model.cfg.primitives
    encs = [e for e in (eval_example(t, tok, primitives) for t in tasks) if e is not None]
    device = next(model.parameters()).device
    loss_sum, recalls, targets = 0.0, [], []
    for i in range(0, len(encs), batch_size):
        chunk = encs[i : i + batch_size]
        b = head_batch(chunk, "prior", len(primitives), device)
        logits, loss = model(b)
        loss_sum += float(loss) * len(chunk) if loss is not None else 0.0
        targets.append(b["prior_target"])
        recalls += recall_at_k(logits["prior"], b["prior_target"])
    target = torch.cat(targets) if targets else torch.zeros(0, len(primitives))
    known = target[(target != IGNORE).all(-1)]
    constant = torch.logit(known.mean(0).clamp(1e-4, 1 - 1e-4)).expand_as(known)
    constant_loss = F.binary_cross_entropy_with_logits(constant, known) if len(known) else torch.tensor(0.0)
    return {
        "n": len(encs),
        "loss": loss_sum / max(1, len(encs)),
        "recall_at_k": float(np.mean(recalls or [0.0])),
        "constant_loss": float(constant_loss),
        "constant_recall_at_k": float(np.mean(recall_at_k(constant, known) or [0.0])),
    }


def recall_at_k(logits: torch.Tensor, target: torch.Tensor) -> list[float]:
    """Per row with k > 0 positive labels: the fraction of them among the k highest logits."""
    recalls = []
    for row, labels in zip(logits, target, strict=True):
        k = int((labels == 1).sum())
        if k:
            recalls.append(float((labels[row.topk(k).indices] == 1).sum()) / k)
    return recalls


def save_resume_state(out: Path, opt: torch.optim.Optimizer, step: int) -> None:
    """Optimizer tensors as safetensors, everything else as JSON (no pickle)."""
    state = opt.state_dict()
    tensors = {
        f"{idx}.{key}": value
        for idx, s in state["state"].items()
        for key, value in s.items()
        if isinstance(value, torch.Tensor)
    }
    (out / RESUME).mkdir(parents=True, exist_ok=True)
    save_tensors(tensors, out / RESUME / "optimizer.safetensors")
    (out / RESUME / "state.json").write_text(
        json.dumps({"step": step, "param_groups": state["param_groups"]})
    )


def resume_step(out: Path) -> int:
    return int(json.loads((out / RESUME / "state.json").read_text())["step"])


def load_resume_state(out: Path, opt: torch.optim.Optimizer) -> int:
    info = json.loads((out / RESUME / "state.json").read_text())
    state: dict[int, dict[str, torch.Tensor]] = {}
    for name, value in load_tensors(out / RESUME / "optimizer.safetensors").items():
        idx, key = name.split(".", 1)
        state.setdefault(int(idx), {})[key] = value
    opt.load_state_dict({"state": state, "param_groups": info["param_groups"]})
    return int(info["step"])


def config_json(cfg: TrainConfig) -> dict[str, Any]:
    return {**asdict(cfg), "transforms": list(cfg.transforms)}


def build_model(cfg: TrainConfig, labels: Sequence[str] = ()) -> GridTransformer:
    """A fresh model. A prior's labels are `labels` (the primitives its training programs use: one
    never seen would only learn p ~ 0 and be penalised, so it stays out and neutral), else every
    registered primitive."""
    prior = cfg.head == "prior"
    config = preset(
        cfg.preset,
        pos2d=cfg.pos2d,
        shift=cfg.shift,
        sparse=cfg.sparse,
        primitives=tuple(labels or sorted(PRIMITIVES)) if prior else (),
        prior_pairs=cfg.prior_pairs if prior else 0,
        frames=not (prior and cfg.prior_pairs),
    )
    return GridTransformer(config)


def schedule_step(cfg: TrainConfig, step: int, total: int, elapsed: float) -> int:
    """Where the learning-rate schedule stands: the step, or further along when a time limit is set
    and the elapsed fraction of it is larger (a loaded machine still ends on a decayed rate)."""
    if cfg.minutes is None:
        return step
    return max(step, int(total * elapsed / (60 * cfg.minutes)))


def init_from_checkpoint(model: GridTransformer, directory: str | Path) -> int:
    """Copy every tensor of another checkpoint whose name and shape match, e.g. a transduction model's
    encoder under a fresh prior head (which has another shape); returns how many were copied.

    Two priors with different labels share the rows of the labels they both have: a prior fine-tuned
    on programs with new primitives keeps what it knew about the old ones."""
    source, _ = load_checkpoint(directory)
    own = model.state_dict()
    matching = {k: v for k, v in source.state_dict().items() if k in own and own[k].shape == v.shape}
    for k, v in source.state_dict().items():
        if (
            k in own
            and k not in matching
            and _per_label(v, own[k], source.cfg.primitives, model.cfg.primitives)
        ):
            matching[k] = _rows_by_label(v, own[k], source.cfg.primitives, model.cfg.primitives)
    model.load_state_dict(matching, strict=False)
    return len(matching)


def _per_label(
    theirs: torch.Tensor, ours: torch.Tensor, their_labels: Sequence[str], our_labels: Sequence[str]
) -> bool:
    """True for a tensor with one row per prior label in both models (the head's last layer)."""
    return (
        bool(their_labels and our_labels)
        and theirs.dim() == ours.dim()
        and theirs.shape[0] == len(their_labels)
        and ours.shape[0] == len(our_labels)
        and theirs.shape[1:] == ours.shape[1:]
    )


def _rows_by_label(
    theirs: torch.Tensor, ours: torch.Tensor, their_labels: Sequence[str], our_labels: Sequence[str]
) -> torch.Tensor:
    """`ours` with the rows of the labels both models have taken from `theirs`."""
    out = ours.clone()
    index = {name: i for i, name in enumerate(their_labels)}
    for j, name in enumerate(our_labels):
        if name in index:
            out[j] = theirs[index[name]]
    return out


Reporter = Callable[[int, int, dict[str, Any]], None]  # (step, total, latest metrics)


def train(cfg: TrainConfig, report: Reporter | None = None) -> dict[str, Any]:
    """Train (or resume) and return the last held-out metrics with throughput figures."""
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    device = pick_device(cfg.device)
    out = Path(cfg.out)
    resuming = (out / RESUME / "state.json").is_file()
    split = split_tasks(cfg, resume_step(out) if resuming else 0)
    if resuming:
        model, _ = load_checkpoint(out, device=str(device))
        model.train()
    else:
        model = build_model(cfg, split.program_primitives).to(device)
        if cfg.init_from:
            init_from_checkpoint(model, cfg.init_from)
    opt = model.configure_optimizer(cfg.lr, cfg.weight_decay)
    step = load_resume_state(out, opt) if resuming else 0
    out.mkdir(parents=True, exist_ok=True)
    tok = model.cfg.tokenizer()
    total = total_steps(cfg, split.epoch_size)
    rng = np.random.default_rng([cfg.seed, step])
    primitives = model.cfg.primitives
    log = (out / METRICS).open("a")
    last_eval: dict[str, Any] = {}
    tokens, first, started = 0, step, time.monotonic()
    model.train()
    try:
        stream = batches(split.train, rng, cfg, tok, primitives)
        while step < total:
            batch = next(stream)
            b = head_batch(batch, cfg.head, len(primitives), device)
            lr = cosine_lr(
                schedule_step(cfg, step, total, time.monotonic() - started), total, cfg.lr, cfg.warmup
            )
            for group in opt.param_groups:
                group["lr"] = lr
            _, loss = model(b)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tokens += int(b["tokens"].numel())
            elapsed = time.monotonic() - started
            record: dict[str, Any] = {"step": step, "loss": round(loss.item(), 5), "lr": lr}
            out_of_time = cfg.minutes is not None and elapsed >= 60 * cfg.minutes
            last = step == total or out_of_time
            if step % cfg.eval_every == 0 or last:
                last_eval = evaluate(model, split.held_out, tok, cfg.head)
                record["eval"] = last_eval
            if step % cfg.log_every == 0 or "eval" in record:
                record.update(
                    tokens_per_s=round(tokens / elapsed),
                    steps_per_s=round((step - first) / elapsed, 3),
                    elapsed_s=round(elapsed, 1),
                )
                log.write(json.dumps(record) + "\n")
                log.flush()
            if step % cfg.checkpoint_every == 0 or last:
                save(model, opt, out, cfg, step, last_eval)
            if report:
                report(step, total, record)
            if out_of_time:
                break
    finally:
        log.close()
    elapsed = time.monotonic() - started
    return {
        "step": step,
        "total": total,
        "eval": last_eval,
        "seconds": round(elapsed, 1),
        "tokens_per_s": round(tokens / max(elapsed, 1e-9)),
        "steps_per_s": round((step - first) / max(elapsed, 1e-9), 3),
        "params": model.n_params(),
    }


def save(
    model: GridTransformer,
    opt: torch.optim.Optimizer,
    out: Path,
    cfg: TrainConfig,
    step: int,
    last_eval: dict[str, Any],
) -> None:
    save_checkpoint(
        model, out, meta={"head": cfg.head, "step": step, "train": config_json(cfg), "eval": last_eval}
    )
    save_resume_state(out, opt, step)
