"""The model: an encoder-only transformer over 2-D task tokens with two heads.

- transduction: the test output's shape (height and width classes, read at the SHAPE token) and its
  cells (a colour per QUERY token), all at once, no autoregression;
- prior: the probability that each DSL primitive appears in the task's program (multi-label). The
  first prior read the mean of all context tokens and learned only the base rates; with
  `prior_pairs` the head compares each train pair's input with its output (`PairPriorHead`).

The 2-D position scheme (`pos2d`): learned embeddings of row, column and the distances to the far
edges, plus first-layer attention heads fixed to the eight symmetries of the square (`FRAMES`) and,
with `shift`, a shift head in place of the identity frame that reads each output cell's source at
the offset the demonstrations support best (`shift_weights`). The ablation (`pos2d=False`) has only the
row-major index within the grid, like 1-D text.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import torch
import torch.nn.functional as F
from torch import nn

from dsl.grid import MAX_SIDE, N_COLORS
from model.pair_features import N_PAIR_FEATURES
from model.tokenizer import (
    HEADER,
    IGNORE,
    MAX_PAIRS,
    N_ROLES,
    PAD,
    ROLE_QUERY,
    ROLE_TEST_INPUT,
    ROLE_TRAIN_INPUT,
    ROLE_TRAIN_OUTPUT,
    SHAPE,
    SHIFT_RADIUS,
    SHIFTS,
    VOCAB_SIZE,
    TokenizerConfig,
)


@dataclass(frozen=True)
class ModelConfig:
    d_model: int = 128
    n_layer: int = 4
    n_head: int = 4
    d_ff: int = 512
    dropout: float = 0.0
    pos2d: bool = True
    shift: bool = True  # the first frame head reads the source at the demos' offset (needs pos2d)
    sparse: bool = True  # tokenizer setting the model was trained with
    max_tokens: int = 1024
    primitives: tuple[str, ...] = field(default_factory=tuple)  # the prior head's labels
    prior_pairs: int = 0  # 0: prior from the mean of the context; n: PairPriorHead over <= n train pairs
    frames: bool = True  # first-layer frame heads (with pos2d); a pair prior measures symmetries directly

    def to_json(self) -> dict:
        return asdict(self)

    def tokenizer(self) -> TokenizerConfig:
        """How tasks are encoded for this model (a pair prior reads no test input)."""
        if not self.prior_pairs:
            return TokenizerConfig(sparse=self.sparse, max_tokens=self.max_tokens)
        return TokenizerConfig(
            sparse=self.sparse,
            max_tokens=self.max_tokens,
            max_pairs=self.prior_pairs,
            test_input=False,
            pair_features=True,
        )

    @classmethod
    def from_json(cls, data: dict) -> ModelConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["primitives"] = tuple(known.get("primitives", ()))
        known.setdefault("shift", False)  # configs written before the shift head had none
        return cls(**known)


PRESETS: dict[str, ModelConfig] = {
    "nano": ModelConfig(d_model=128, n_layer=4, n_head=8, d_ff=512),  # ~0.8M parameters
    "small": ModelConfig(d_model=256, n_layer=6, n_head=8, d_ff=1024),  # ~4.8M parameters
    # the pair prior: no attention layers (one cut its examples/s fourfold on this CPU, and most of its
    # evidence is in `pair_features`), token embeddings pooled per grid; dropout against overfitting
    # 12k programs over ~15 epochs. ~0.4M parameters
    "prior": ModelConfig(d_model=128, n_layer=0, n_head=8, d_ff=512, dropout=0.2),
}


def preset(name: str, **overrides: object) -> ModelConfig:
    """A named size with field overrides, e.g. `preset("nano", pos2d=False)`."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r} (known: {', '.join(PRESETS)})")
    return replace(PRESETS[name], **overrides)


# Frame heads: in the first layer, head f of the first len(FRAMES) heads reads each output cell's
# source under the f-th symmetry of the square. An output token (a train output cell, or a query
# cell) gets a fixed bias towards the cell of its pair's input grid whose row/column features match
# its own row/column under that frame (rotate_90: source col = row, source distance to the bottom =
# col), and a weaker one towards that grid's header, which it reads when the source is background and
# was left out. Which frame explains a task is then learned from the train pairs; reading the
# rotated source cell costs nothing. Entries: (key feature matching the query row, ... query col).
FRAMES: tuple[tuple[str, str], ...] = (
    ("rows", "cols"),  # identity
    ("cols", "rows_end"),  # rotate_90 (clockwise)
    ("rows_end", "cols_end"),  # rotate_180
    ("cols_end", "rows"),  # rotate_270
    ("rows", "cols_end"),  # flip_lr
    ("rows_end", "cols"),  # flip_ud
    ("cols", "rows"),  # transpose
    ("cols_end", "rows_end"),  # anti_transpose
)
FRAME_BIAS = 8.0  # partner-grid cell 1x, +1x per matching coordinate (source: 3x); its header 2.5x
# Shift head: offset weights exp(SHIFT_SHARPNESS * (score - best score)), so the best offset(s) get
# weight 1 and an offset explaining 10% fewer demo cells about 0.007.
SHIFT_SHARPNESS = 50.0


def shift_weights(b: dict[str, torch.Tensor]) -> torch.Tensor:
    """(B, T, T) weight of key j as query i's source under the demos' offset: the weight of the offset
    (rows_i - rows_j, cols_i - cols_j), 0 beyond SHIFT_RADIUS."""
    scores = b["shift_scores"]
    weights = torch.exp(SHIFT_SHARPNESS * (scores - scores.max(dim=-1, keepdim=True).values))
    dy = b["rows"][:, :, None] - b["rows"][:, None, :]
    dx = b["cols"][:, :, None] - b["cols"][:, None, :]
    inside = (dy.abs() <= SHIFT_RADIUS) & (dx.abs() <= SHIFT_RADIUS)
    side = 2 * SHIFT_RADIUS + 1
    index = ((dy + SHIFT_RADIUS) * side + dx + SHIFT_RADIUS).clamp(0, side * side - 1)
    B, T = index.shape[:2]
    return torch.gather(weights[:, None, :].expand(B, T, -1), 2, index) * inside


def frame_bias(b: dict[str, torch.Tensor], n_head: int, shift: bool = False) -> torch.Tensor:
    """(B, n_head, T, T) additive bias; heads beyond the frames get none. With `shift`, head 0 reads
    the source at the demos' best offset (identity when that is (0, 0)) instead of the identity."""
    roles, pairs = b["roles"], b["pairs"]
    is_output = (roles == ROLE_TRAIN_OUTPUT) | (roles == ROLE_QUERY)
    is_input = (roles == ROLE_TRAIN_INPUT) | (roles == ROLE_TEST_INPUT)
    partner = is_output[:, :, None] & is_input[:, None, :] & (pairs[:, :, None] == pairs[:, None, :])
    header = partner & (b["tokens"] == HEADER)[:, None, :]
    cells = partner & ~header
    B, T = roles.shape
    bias = torch.zeros(B, n_head, T, T, device=roles.device)
    for f, (for_row, for_col) in enumerate(FRAMES[:n_head]):
        match = (b["rows"][:, :, None] == b[for_row][:, None, :]).float() + (
            b["cols"][:, :, None] == b[for_col][:, None, :]
        ).float()
        bias[:, f] = FRAME_BIAS * (cells * (1 + match) + 2.5 * header)
    if shift:
        bias[:, 0] = FRAME_BIAS * (cells * (1 + 2 * shift_weights(b)) + 2.5 * header)
    return bias


class SelfAttention(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.n_head = cfg.n_head
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.dropout = cfg.dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """`mask`: (B, 1|H, T, T), boolean (True = may attend) or an additive float bias."""
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_head, C // self.n_head).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0
        )
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    """Pre-norm transformer block."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = SelfAttention(cfg)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.d_model, cfg.d_ff),
            nn.GELU(),
            nn.Linear(cfg.d_ff, cfg.d_model),
            nn.Dropout(cfg.dropout),
        )

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


class PairPriorHead(nn.Module):
    """Primitive logits from what each train pair's output does to its input.

    Per pair: the input's and the output's tokens pooled separately (mean and max), compared as
    [in, out, out - in, in * out] next to the hand-computed `pair_features`, through an MLP; then the
    mean and the max over pairs (the program is the same for every pair: evidence from any one counts)
    with the task's shift scores, to one logit per primitive."""

    def __init__(self, d_model: int, n_labels: int, n_pairs: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.n_pairs = min(n_pairs, MAX_PAIRS)
        hidden = 2 * d_model
        self.features = nn.Sequential(nn.LayerNorm(N_PAIR_FEATURES), nn.Linear(N_PAIR_FEATURES, d_model))
        self.pair_mlp = nn.Sequential(
            nn.Linear(7 * d_model, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
        )
        self.out = nn.Linear(2 * hidden + len(SHIFTS), n_labels)

    @staticmethod
    def pool(x: torch.Tensor, members: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and max of x (B, T, d) over each group's tokens, members (B, G, T) -> 2 x (B, G, d)."""
        weights = members.float()
        mean = weights @ x / weights.sum(-1, keepdim=True).clamp(min=1)
        masked = x[:, None].masked_fill(~members[..., None], float("-inf")).amax(2)
        return mean, masked.masked_fill(~members.any(-1, keepdim=True), 0.0)

    def forward(self, x: torch.Tensor, b: dict[str, torch.Tensor]) -> torch.Tensor:
        slots = torch.arange(self.n_pairs, device=x.device)
        in_pair = b["pairs"][:, None, :] == slots[None, :, None]  # (B, P, T)
        is_in = in_pair & (b["roles"] == ROLE_TRAIN_INPUT)[:, None, :]
        is_out = in_pair & (b["roles"] == ROLE_TRAIN_OUTPUT)[:, None, :]
        in_mean, in_max = self.pool(x, is_in)
        out_mean, out_max = self.pool(x, is_out)
        per_pair = torch.cat(
            [
                in_mean,
                out_mean,
                out_mean - in_mean,
                in_mean * out_mean,
                in_max,
                out_max,
                self.features(b["pair_features"][:, : self.n_pairs]),
            ],
            dim=-1,
        )
        h = self.pair_mlp(per_pair)  # (B, P, hidden)
        present = b["pair_mask"][:, : self.n_pairs, None]
        mean = (h * present).sum(1) / present.sum(1).clamp(min=1)
        top = h.masked_fill(~present, float("-inf")).amax(1).masked_fill(~present.any(1), 0.0)
        return self.out(torch.cat([mean, top, b["shift_scores"]], dim=-1))


class GridTransformer(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.tok = nn.Embedding(VOCAB_SIZE, d)
        # row/col tables also carry the grid size on header tokens in the 1-D ablation, and read the
        # output shape back out (tied weights: copying a size from a header is one attention step)
        self.row, self.col = nn.Embedding(MAX_SIDE, d), nn.Embedding(MAX_SIDE, d)
        if cfg.pos2d:
            self.row_end, self.col_end = nn.Embedding(MAX_SIDE, d), nn.Embedding(MAX_SIDE, d)
        else:
            self.flat = nn.Embedding(MAX_SIDE * MAX_SIDE + 1, d)
        self.pair = nn.Embedding(MAX_PAIRS + 1, d)
        self.role = nn.Embedding(N_ROLES, d)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(d)
        self.cell_bias = nn.Parameter(torch.zeros(N_COLORS))  # cell logits: tied to the colour embeddings
        self.shape_proj = nn.Linear(d, 2 * d)  # height and width queries against the row/col tables
        self.shape_mode = nn.Linear(d, 2)
        n_labels = max(len(cfg.primitives), 1)
        self.prior_head: nn.Module
        if cfg.prior_pairs:
            self.prior_head = PairPriorHead(d, n_labels, cfg.prior_pairs, cfg.dropout)
        else:
            self.prior_head = nn.Linear(d, n_labels)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m: nn.Module) -> None:
        if isinstance(m, nn.Linear | nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def n_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def embed(self, b: dict[str, torch.Tensor]) -> torch.Tensor:
        x = self.tok(b["tokens"]) + self.pair(b["pairs"]) + self.role(b["roles"])
        if self.cfg.pos2d:
            return (
                x
                + self.row(b["rows"])
                + self.col(b["cols"])
                + self.row_end(b["rows_end"])
                + self.col_end(b["cols_end"])
            )
        sized = ((b["tokens"] == HEADER) | (b["tokens"] == SHAPE)).unsqueeze(-1)
        return x + self.flat(b["flat"]) + sized * (self.row(b["rows"]) + self.col(b["cols"]))

    def heads(
        self, x: torch.Tensor, at_shape: torch.Tensor, input_size: torch.Tensor, prior: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """`input_size`: (B, 2) the test input's height-1 and width-1 (the SHAPE token's features)."""
        height, width = self.shape_proj(at_shape).chunk(2, dim=-1)
        shape = torch.stack([height @ self.row.weight.T, width @ self.col.weight.T], dim=1)
        # Two learned bonuses: "same size as the test input" and "its transpose", the two commonest
        # answers, so a geometric task's shape is one decision instead of two 30-way classifications.
        same, swapped = self.shape_mode(at_shape).unsqueeze(-1).chunk(2, dim=1)
        shape = (
            shape + same * F.one_hot(input_size, MAX_SIDE) + swapped * F.one_hot(input_size.flip(1), MAX_SIDE)
        )
        return {
            "cells": x @ self.tok.weight[:N_COLORS].T + self.cell_bias,
            "shape": shape,
            "prior": prior,
        }

    def prior_logits(self, x: torch.Tensor, b: dict[str, torch.Tensor], is_pad: torch.Tensor) -> torch.Tensor:
        if self.cfg.prior_pairs:
            return self.prior_head(x, b)
        context = (~is_pad & (b["roles"] != ROLE_QUERY)).unsqueeze(-1).float()
        return self.prior_head((x * context).sum(1) / context.sum(1).clamp(min=1))

    @staticmethod
    def attention_mask(roles: torch.Tensor, is_pad: torch.Tensor) -> torch.Tensor:
        """(B, 1, T, T) True where attending is allowed: no one sees padding, only queries see
        queries (so the context, and the shape read from it, never depend on the query layout)."""
        is_query = roles == ROLE_QUERY
        key_ok = ~is_pad[:, None, :] & (is_query[:, None, :] <= is_query[:, :, None])
        key_ok = key_ok | torch.eye(roles.shape[1], dtype=torch.bool, device=roles.device)  # no empty rows
        return key_ok[:, None]

    def forward(self, b: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], torch.Tensor | None]:
        """Logits for every head; the loss sums the heads whose targets are in the batch.

        `labels` (B, T) with IGNORE (-1) where no loss applies; `shape_target` (B, 2) height-1 and
        width-1; `prior_target` (B, n_primitives) in {0, 1}, rows of IGNORE for tasks without one.
        """
        is_pad = b["tokens"] == PAD
        x = self.embed(b)
        allowed = self.attention_mask(b["roles"], is_pad)
        masks = [allowed] * len(self.blocks)
        if self.cfg.pos2d and self.cfg.frames and masks:  # (B, H, T, T): costliest on long tasks
            bias = frame_bias(b, self.cfg.n_head, shift=self.cfg.shift)
            masks[0] = bias.masked_fill(~allowed, float("-inf"))
        for block, mask in zip(self.blocks, masks, strict=True):
            x = block(x, mask)
        x = self.ln_f(x)
        at = torch.arange(x.shape[0]), b["shape_index"]
        at_shape, input_size = x[at], torch.stack([b["rows"][at], b["cols"][at]], dim=1)
        logits = self.heads(x, at_shape, input_size, self.prior_logits(x, b, is_pad))
        return logits, self.loss(logits, b)

    @staticmethod
    def loss(logits: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> torch.Tensor | None:
        terms = []
        if "labels" in b and (b["labels"] != IGNORE).any():
            terms.append(
                F.cross_entropy(logits["cells"].flatten(0, 1), b["labels"].flatten(), ignore_index=IGNORE)
            )
        if "shape_target" in b and (b["shape_target"] != IGNORE).any():
            terms.append(
                F.cross_entropy(
                    logits["shape"].flatten(0, 1), b["shape_target"].flatten(), ignore_index=IGNORE
                )
            )
        if "prior_target" in b:
            target = b["prior_target"]
            known = target != IGNORE
            if known.any():
                bce = F.binary_cross_entropy_with_logits(
                    logits["prior"], target.clamp(min=0), reduction="none"
                )
                terms.append((bce * known).sum() / known.sum())
        return sum(terms) if terms else None

    def configure_optimizer(self, lr: float, weight_decay: float = 0.01) -> torch.optim.Optimizer:
        """AdamW with decay on weight matrices only (not biases, norms, embeddings or bias tables)."""
        embeddings = {id(m.weight) for m in self.modules() if isinstance(m, nn.Embedding)}
        decay = [
            p for n, p in self.named_parameters() if p.dim() >= 2 and id(p) not in embeddings and n != "rel"
        ]
        ids = {id(p) for p in decay}
        rest = [p for p in self.parameters() if id(p) not in ids]
        groups = [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.98))


def cosine_lr(step: int, total: int, peak: float, warmup: int) -> float:
    """Linear warmup then cosine decay to a tenth of the peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
