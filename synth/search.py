"""Lockstep program search over the DSL, with observational-equivalence pruning.

A state is the tuple of grids a program produces on every train input and every test input. States
are hashed, so two programs that agree everywhere are one node: the search tree collapses into a
DAG and a state reached twice is expanded once. Within a cost bound, states are expanded cheapest
first (uniform-cost search over summed primitive and argument costs), so the first program found
for a state is its cheapest; iterative deepening raises the bound until the budget runs out or the
attempts are settled (no program still to come could rank above the two attempts held).

The enumerator reads only the signature table `dsl.registry.PRIMITIVES`; where the non-Grid
arguments come from is `synth.inference`'s job. Children that cannot be expanded further (their cost
leaves no room for another step) are only checked against the train outputs, one pair at a time,
which makes the last level cheap. Binary primitives combine the expanded state with the cheap
states of a pool (the input, its symmetries, halves...), each unordered pair once. When no program
fits, stored states that are each right on part of the outputs are layered into one
(`synth.search_compose`); `SearchSolver` searches views of the task (`synth.search_views`) and,
when the task changes each object on its own, the task of one object's box
(`synth.search_objects_view`).
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np

from dsl.grid import MAX_SIDE, Grid, grid_key
from dsl.program import INPUT, Call, Expr, format_program, primitives_used
from dsl.registry import PRIMITIVES, Primitive
from dsl.task import Task
from synth.inference import (
    ROOT_ONLY,
    ArgOption,
    constant_options,
    derived_options,
    inferred_options,
    is_inferred,
    task_colors,
)
from synth.inference_canvas import infer_placement
from synth.search_background import own_backgrounds
from synth.search_compose import ERASE, OVERLAY, LayerPool
from synth.search_objects_view import SubTask, decompose, search_per_object
from synth.search_shapes import predict_shapes
from synth.search_views import (
    IDENTITY,
    OWN_BACKGROUND,
    RANKED,
    VIEW_PRIMITIVES,
    View,
    background_view,
    canvas_view,
    changes_task,
)
from synth.solver import MAX_ATTEMPTS, Budget, Solution


@dataclass(frozen=True)
class SearchConfig:
    """Knobs of one search. `weights` multiplies primitive costs (the hook for a learned prior): they
    order the search, while found programs still rank by their unweighted cost, so a prior changes
    which programs are seen first within the budget, not which of those it sees is the answer. With
    `weights_deepen` the deepening bounds apply to the weighted costs too, so a promoted program is
    reached a level sooner (and every level holds more programs); without it the bounds apply to the
    primitives' own costs, each level holds the very programs of the unweighted search, and the
    weights only order the states within it (`bound_weights`, if given, is what the bounds count
    then: a few weights the caller trusts enough to let them swell a level)."""

    max_cost: float = 3.0
    deepen_from: float | None = None  # iterative deepening: bounds deepen_from, +deepen_step, ..., max_cost
    deepen_step: float = 1.0
    max_states: int = 250_000  # stored (expandable) states; past it children are only checked
    max_bytes: int = 512 * 2**20  # grid bytes held by stored states
    pool_cost: float = 1.0  # states this cheap may be the second Grid argument of a binary primitive
    max_pool: int = 48
    param_cost: float = 0.1  # cost per bit of choosing an argument among its options (description length)
    max_candidates: int = 500
    max_partial: int = 20  # best programs that fit only some train pairs, the fallback
    primitives: tuple[str, ...] | None = None  # vocabulary; None = every registered primitive
    stop_when_settled: bool = True  # stop once no cheaper program can change the attempts
    occam_margin: float | None = 2.0  # deepen no further than the cheapest train-consistent program + this
    weights: Mapping[str, float] | None = None
    weights_deepen: bool = True
    bound_weights: Mapping[str, float] | None = None  # without weights_deepen: what the bounds count instead
    normalise_background: bool = True  # the solver swaps a shared non-zero background with 0
    own_background_share: float = 0.4  # of the budget, for the per-input background view if the first fails
    # of the budget, for the canvas view (inputs set where the larger outputs hold them) if the first fails
    canvas_share: float = 0.35
    ranked_share: float = 0.0  # of the solver's budget, for the colour-ranked view if the task view fails
    # (0.35 measured: +1 task, but the shorter first search lost 2 late finds at 5 s: off by default)
    later_views_share: float = 0.5  # at most this much in all for the later views: their shares shrink to fit
    objects_share: float = 0.3  # of the solver's budget, for the per-object sub-task if the task decomposes
    # (0.3: on arc1/training the sub-search finds its f in under 0.3 s on 35 of 37 tasks it re-solves,
    # and the whole-task search solved every decomposing task it solves within 2.4 s)
    objects_ranked_share: float = 0.5  # of the objects stage, for its colour-ranked view if the boxes' fails
    compose_layers: int = 3  # moves layered over a base when no single program fits (0: never compose)
    compose_erase: bool = True  # compositions may also set 0 where a layer is 0 (mask_with)
    compose_share: float = 0.05  # of the time budget, kept for composing (up to ~0.3 s on big grids)
    max_layer_states: int = 3000  # states with the outputs' shapes kept as layers for composing


# the SearchStats fields that add up when runs are merged
COUNTERS = ("nodes_expanded", "unique_states", "children_tried", "candidates_found", "compositions")


@dataclass
class SearchStats:
    nodes_expanded: int = 0
    unique_states: int = 0
    children_tried: int = 0
    max_depth_reached: float = 0.0  # highest program cost expanded
    cost_bound: float = 0.0  # the deepening level reached
    candidates_found: int = 0
    first_solution_node: int | None = None  # nodes expanded when the first train-consistent program appeared
    first_solution_seconds: float | None = None
    seconds: float = 0.0
    stopped_by: str = "exhausted"  # exhausted | settled | nodes | time | memory
    compositions: int = 0  # train-consistent programs layered from partial ones


@dataclass
class SearchResult:
    """Distinct programs, best first, with their predictions on the test inputs and train fit."""

    programs: list[Expr]
    predictions: list[list[Grid]]
    fits: list[int]
    stats: SearchStats
    n_train: int = 0
    composed: list[bool] = field(default_factory=list)  # per program: layered from partial ones

    def found(self) -> bool:
        """True when the search itself (not composition) found a train-consistent program."""
        return any(f == self.n_train and not c for f, c in zip(self.fits, self.composed, strict=False))

    def attempts(self, n_test: int, per_input: int = MAX_ATTEMPTS) -> list[list[Grid]]:
        """Up to `per_input` distinct grids per test input, from the best programs down."""
        out: list[list[Grid]] = [[] for _ in range(n_test)]
        seen: list[set[bytes]] = [set() for _ in range(n_test)]
        for preds in self.predictions:
            for i, g in enumerate(preds):
                key = grid_key(g)
                if len(out[i]) < per_input and key not in seen[i]:
                    out[i].append(g)
                    seen[i].add(key)
        return out


@dataclass
class _State:
    grids: tuple[Grid, ...]
    expr: Expr
    cost: float
    priority: float  # the heap's order: `cost`, or the weighted cost when weights only order a level
    expanded: bool = False
    shapes: tuple[tuple[int, int], ...] = ()
    key: int = 0  # the hash of its grids, its key in `_Search.states`

    def __post_init__(self) -> None:
        self.shapes = tuple(g.shape for g in self.grids)


@dataclass(order=True)
class _Candidate:
    rank: tuple[float, float, int]  # (-fit, cost, discovery order)
    expr: Expr = field(compare=False)
    test_outputs: tuple[Grid, ...] = field(compare=False)
    fit: int = field(compare=False)
    composed: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class _Combo:
    """One filling of a primitive's non-Grid slots; Grid slots hold None until a state fills them."""

    exprs: tuple[Expr | None, ...]
    values: tuple[tuple[Any, ...] | None, ...]
    cost: float


@dataclass(frozen=True)
class _Step:
    """A primitive with its argument layout: which slots take grids, the fillings of the others."""

    prim: Primitive
    cost: float  # what the deepening bound counts
    priority: float  # what the heap orders by (the weighted cost)
    grid_slots: tuple[int, ...]
    combos: tuple[_Combo, ...]  # constant and derived fillings
    inferred: dict[int, str]  # slot -> type inferred per state (combined with every combo)
    same_shape: bool = False  # a binary primitive that refuses grids of different shapes
    root_only: bool = False  # an argument inferred only on the task's inputs (`inference.ROOT_ONLY`)


def _priced(options: list[ArgOption], per_bit: float) -> list[ArgOption]:
    """Charge each option the bits it takes to pick it among the slot's options."""
    bits = math.log2(len(options)) if options else 0.0
    return [replace(o, cost=per_bit * bits) for o in options]


def _combos(arity: int, options: dict[int, list[ArgOption]]) -> tuple[_Combo, ...]:
    order = sorted(options)
    out = []
    for choice in itertools.product(*(options[i] for i in order)):
        exprs: list[Expr | None] = [None] * arity
        values: list[tuple[Any, ...] | None] = [None] * arity
        for i, opt in zip(order, choice, strict=True):
            exprs[i], values[i] = opt.expr, opt.values
        out.append(_Combo(tuple(exprs), tuple(values), sum(o.cost for o in choice)))
    return tuple(out)


class _Search:
    def __init__(
        self,
        train_inputs: Sequence[Grid],
        train_outputs: Sequence[Grid],
        test_inputs: Sequence[Grid],
        budget: Budget,
        config: SearchConfig,
    ) -> None:
        self.n_train = len(train_inputs)
        self.inputs = tuple(train_inputs) + tuple(test_inputs)
        self.outputs = tuple(train_outputs)
        self.target_keys = [grid_key(g) for g in self.outputs]
        self.target_bytes = [g.tobytes() for g in self.outputs]
        self.config = config
        self.budget = budget
        self.stats = SearchStats()
        self.max_cost = config.max_cost
        self.states: dict[int, _State] = {}
        self.heap: list[tuple[float, int, int]] = []
        self.pool: list[int] = []
        self.pool_set: set[int] = set()
        self.candidates: dict[int, _Candidate] = {}
        self.inferred: dict[tuple[str, int], list[ArgOption]] = {}  # (type, state key) -> options
        self.partial: dict[int, _Candidate] = {}
        self.order = itertools.count()
        self.start = time.monotonic()
        self.bytes_held = 0
        self.candidate_version = 0
        self.settled_version = -1
        self.settled_cost = math.inf
        weights = config.weights or {}
        self.priorities = {p.name: p.cost * weights.get(p.name, 1.0) for p in PRIMITIVES.values()}
        bound = weights if config.weights_deepen else config.bound_weights or {}
        self.costs = {p.name: p.cost * bound.get(p.name, 1.0) for p in PRIMITIVES.values()}
        # what weighting changed each primitive's bounded cost by, added back when ranking a program
        self.unweighting = {
            n: p.cost - self.costs[n] for n, p in PRIMITIVES.items() if self.costs[n] != p.cost
        }
        self.steps, self.root_steps = self._build_steps()
        self.layers = LayerPool(self.outputs, config.max_layer_states if config.compose_layers else 0)
        self.min_step = min((s.cost for s in self.steps), default=math.inf)
        # no state popped later can hold a program cheaper than the heap's top plus this (weights <= 1)
        self.min_priority_step = min(self.min_step, min((s.priority for s in self.steps), default=math.inf))

    # -- setup -------------------------------------------------------------------------------------
    def _build_steps(self) -> tuple[list[_Step], list[_Step]]:
        names = self.config.primitives
        if names is None:  # every primitive but those views wrap whole programs in
            names = tuple(n for n in PRIMITIVES if n not in VIEW_PRIMITIVES)
        prims = [PRIMITIVES[n] for n in names]
        colors = task_colors(self.inputs + self.outputs)
        derived = derived_options(self.inputs, prims)
        steps, root_steps = [], []
        for prim in prims:
            if prim.ret_type != "Grid":
                continue
            grid_slots = tuple(i for i, t in enumerate(prim.arg_types) if t == "Grid")
            if len(grid_slots) > 2:
                continue
            fixed: dict[int, list[ArgOption]] = {}
            inferred: dict[int, str] = {}
            for i, t in enumerate(prim.arg_types):
                if t == "Grid":
                    continue
                if is_inferred(t):
                    inferred[i] = t
                else:
                    options = constant_options(t, colors, len(self.inputs)) + derived.get(t, [])
                    fixed[i] = _priced(options, self.config.param_cost)
            if any(not opts for opts in fixed.values()):
                continue
            combos = _combos(prim.arity, fixed)
            binary = len(grid_slots) == 2 and not inferred
            same_shape = binary and _refuses_mixed_shapes(prim, grid_slots, combos)
            root_only = any(t in ROOT_ONLY for t in inferred.values())
            cost, priority = self.costs[prim.name], self.priorities[prim.name]
            step = _Step(prim, cost, priority, grid_slots, combos, inferred, same_shape, root_only)
            (steps if grid_slots else root_steps).append(step)
        steps.sort(key=lambda s: s.cost)  # stable: registration order among equal costs
        return steps, root_steps

    # -- main loop ---------------------------------------------------------------------------------
    def run(self) -> SearchResult:
        self.start = start = time.monotonic()
        reserve = self.config.compose_share if self.config.compose_layers else 0.0
        deadline = start + self.budget.seconds * (1.0 - reserve)
        levels = self._levels()
        for max_cost in levels:
            self._reset(max_cost)
            self.stats.stopped_by = "exhausted"
            self._run_level(deadline)
            if self.stats.stopped_by in ("nodes", "time", "settled"):
                break
            if self.config.stop_when_settled and self._settled(max_cost):
                self.stats.stopped_by = "settled"  # every cheaper program was seen: deeper cannot help
                break
            if max_cost < levels[-1] and self._beyond_occam_margin(max_cost):
                self.stats.stopped_by = "settled"  # a far dearer second attempt is rarely the answer
                break
        if self.config.compose_layers and math.isinf(self._cost_to_fill_attempts()):
            self._compose()
        self.stats.seconds = time.monotonic() - start
        return self._result()

    def _levels(self) -> list[float]:
        """Cost bounds of the iterative deepening: one level, or deepen_from up to max_cost."""
        first, step = self.config.deepen_from, self.config.deepen_step
        if first is None or first >= self.config.max_cost:
            return [self.config.max_cost]
        n = math.ceil((self.config.max_cost - first) / step - 1e-9)
        return [first + i * step for i in range(n)] + [self.config.max_cost]

    def _reset(self, max_cost: float) -> None:
        """Fresh tables for one deepening level; candidates and stats carry over."""
        self.max_cost = max_cost
        self.states, self.heap, self.pool, self.pool_set = {}, [], [], set()
        self.bytes_held = 0

    def _run_level(self, deadline: float) -> None:
        root_key = hash(_state_key(self.inputs))
        root = _State(self.inputs, INPUT, 0.0, 0.0, key=root_key)
        self._store(root_key, root)
        self._check_candidate(root_key, root.grids, root.expr, 0.0)
        for step in self.root_steps:
            self._apply(step, root, None)
        while self.heap:
            if self.config.stop_when_settled and self._settled(self.heap[0][0] + self.min_priority_step):
                self.stats.stopped_by = "settled"
                break
            priority, _, key = heapq.heappop(self.heap)
            state = self.states[key]
            if state.expanded or priority > state.priority:
                continue
            if self.budget.nodes is not None and self.stats.nodes_expanded >= self.budget.nodes:
                self.stats.stopped_by = "nodes"
                break
            if time.monotonic() > deadline:
                self.stats.stopped_by = "time"
                break
            self._expand(key, state, deadline)
        self.stats.unique_states = len(self.states)
        self.stats.cost_bound = self.max_cost

    def _expand(self, key: int, state: _State, deadline: float) -> None:
        state.expanded = True
        self.stats.nodes_expanded += 1
        self.stats.max_depth_reached = max(self.stats.max_depth_reached, state.cost)
        limit = self.max_cost + 1e-9
        in_pool = key in self.pool_set
        # each unordered pair of pool states meets once: when the later of the two is expanded
        partners = [self.states[k] for k in self.pool if not in_pool or self.states[k].expanded]
        for step in self.steps:
            if state.cost + step.cost > limit:
                break
            if len(step.grid_slots) == 1:
                self._apply(step, state, None)
                continue
            for partner in partners:
                if state.cost + partner.cost + step.cost > limit:
                    continue
                if step.same_shape and partner.shapes != state.shapes:
                    continue
                self._apply(step, state, partner)
                if partner is not state:
                    self._apply(step, partner, state)
            if time.monotonic() > deadline:
                return
        # an expanded state no longer needs its grids unless it can still be a binary argument
        if state.cost > 0 and not in_pool:
            self.bytes_held -= sum(g.nbytes for g in state.grids)
            state.grids = ()

    def _apply(self, step: _Step, first: _State, second: _State | None) -> None:
        """Run one primitive with every argument filling on the given grid state(s)."""
        base = first.cost + (second.cost if second else 0.0) + step.cost
        limit = self.max_cost + 1e-9
        # on the task's inputs an inferred argument is checked up to the last level's bound at once: its
        # bits can price a one-step program beyond a level the budget never finishes, and checking a
        # leaf costs one call per train pair
        at_root = first.cost == 0 and second is None and bool(step.inferred)
        reach = self.config.max_cost + 1e-9 if at_root else limit
        if base > reach:
            return
        base_priority = first.priority + (second.priority if second else 0.0) + step.priority
        combos = step.combos
        if step.inferred:
            if step.root_only and first.cost > 0:
                return
            options = {i: self._inferred(t, first) for i, t in step.inferred.items()}
            combos = tuple(
                _Combo(
                    tuple(extra.exprs[i] if i in options else e for i, e in enumerate(c.exprs)),
                    tuple(extra.values[i] if i in options else v for i, v in enumerate(c.values)),
                    c.cost + extra.cost,
                )
                for c in combos
                for extra in _combos(step.prim.arity, options)
            )
        states = (first,) if second is None else (first, second)
        min_step = self.min_step
        for combo in combos:
            cost = base + combo.cost
            if cost > reach:
                continue
            self.stats.children_tried += 1
            leaf = cost + min_step > limit or self._full()
            self._child(step, combo, states, cost, base_priority + combo.cost, leaf)

    def _inferred(self, type_name: str, state: _State) -> list[ArgOption]:
        """The inferred options of a type on a state, remembered: every deepening level expands the
        states of the levels before it again, and inference (a local rule, say) costs milliseconds."""
        key = (type_name, state.key)
        options = self.inferred.get(key)
        if options is None:
            seen, test = state.grids[: self.n_train], state.grids[self.n_train :]
            options = inferred_options(
                type_name, seen, self.outputs, len(self.inputs), self.config.param_cost, test
            )
            self.inferred[key] = options
        return options

    def _child(
        self, step: _Step, combo: _Combo, states: tuple[_State, ...], cost: float, priority: float, leaf: bool
    ) -> None:
        prim = step.prim
        fn = prim.fn
        values = list(combo.values)
        for slot, st in zip(step.grid_slots, states, strict=True):
            values[slot] = st.grids
        rows = zip(*values, strict=True)  # the arguments per input, train inputs first
        outs: list[Grid] = []
        try:
            if leaf:  # a leaf only matters if it fits every train pair: stop at the first miss
                pairs = zip(self.outputs, self.target_bytes, rows, strict=False)  # leaves the test rows
                for target, target_bytes, args in pairs:
                    out = fn(*args)
                    if not (isinstance(out, np.ndarray) and out.shape == target.shape):
                        return
                    if out.dtype != np.uint8:
                        out = np.ascontiguousarray(out, dtype=np.uint8)
                    if out.tobytes() != target_bytes:
                        return
                    outs.append(out)
            for args in rows:
                out = fn(*args)
                if not _is_grid(out):
                    return
                if out.dtype != np.uint8:
                    out = np.ascontiguousarray(out, dtype=np.uint8)
                outs.append(out)
        except Exception:  # a refusal (or a primitive's bug) prunes this child only
            return
        if len(outs) < len(self.inputs):
            return  # an argument held fewer values than there are inputs (as an index error would)
        grids = tuple(outs)
        key = hash(_state_key(grids))
        known = self.states.get(key)
        if known is not None:
            # a cheaper program for a known state replaces its program; when the heap orders by weighted
            # costs the state may have been expanded already, with children priced too dear: again
            if cost < known.cost:
                expr = _call(step, combo, states)
                known.cost, known.priority, known.expr = cost, priority, expr
                if known.expanded:
                    known.expanded = False
                    if not known.grids:
                        known.grids = grids
                        self.bytes_held += sum(g.nbytes for g in grids)
                self.layers.offer(key, grids, expr, cost)
                heapq.heappush(self.heap, (priority, next(self.order), key))
                self._check_candidate(key, grids, expr, cost)
            return
        if leaf and key in self.candidates and self.candidates[key].rank[1] <= cost:
            return
        expr = _call(step, combo, states)
        if not leaf:
            self._store(key, _State(grids, expr, cost, priority, key=key))
        self._check_candidate(key, grids, expr, cost)

    # -- bookkeeping -------------------------------------------------------------------------------
    def _store(self, key: int, state: _State) -> None:
        self.states[key] = state
        self.layers.offer(key, state.grids, state.expr, state.cost)
        self.bytes_held += sum(g.nbytes for g in state.grids)
        heapq.heappush(self.heap, (state.priority, next(self.order), key))
        if state.cost <= self.config.pool_cost and len(self.pool) < self.config.max_pool:
            self.pool.append(key)
            self.pool_set.add(key)

    def _compose(self) -> None:
        """Add layered programs as candidates, for the attempts no single program fills."""
        moves = (OVERLAY, ERASE) if self.config.compose_erase else (OVERLAY,)
        costs = {name: PRIMITIVES[name].cost for name in moves if name in PRIMITIVES}
        if OVERLAY not in costs:
            return
        for comp in self.layers.compose(self.config.compose_layers, costs):
            key = hash(_state_key(comp.test_outputs)) ^ hash("composition")
            if key not in self.candidates:
                # after every searched train-consistent program, before the partial fits
                rank = (0.5 - self.n_train, comp.cost, next(self.order))
                self.candidates[key] = _Candidate(rank, comp.expr, comp.test_outputs, self.n_train, True)
                self.stats.compositions += 1
        self.stats.candidates_found = len(self.candidates)

    def _settled(self, next_cost: float) -> bool:
        """True when every test input has two distinct attempts from train-consistent programs no dearer
        than `next_cost`, the least any program found from now on can cost (ties rank by discovery)."""
        if self.settled_version != self.candidate_version:
            self.settled_version = self.candidate_version
            self.settled_cost = self._cost_to_fill_attempts()
        return self.settled_cost <= next_cost

    def _beyond_occam_margin(self, level_done: float) -> bool:
        """True when a train-consistent program exists and the next level would only add programs
        dearer than it by more than `occam_margin`: spending the budget there mostly finds variants."""
        margin = self.config.occam_margin
        best = min((c.rank[1] for c in self.candidates.values() if c.fit == self.n_train), default=math.inf)
        return margin is not None and best + margin <= level_done

    def _cost_to_fill_attempts(self) -> float:
        """The dearest candidate needed to give every test input two distinct attempts (inf: none yet)."""
        n_test = len(self.inputs) - self.n_train
        seen: list[set[bytes]] = [set() for _ in range(n_test)]
        for cand in sorted(self.candidates.values()):
            for i, g in enumerate(cand.test_outputs):
                if len(seen[i]) < MAX_ATTEMPTS:
                    seen[i].add(grid_key(g))
            if all(len(s) >= MAX_ATTEMPTS for s in seen):
                return cand.rank[1]
        return math.inf

    def _full(self) -> bool:
        if len(self.states) >= self.config.max_states or self.bytes_held >= self.config.max_bytes:
            if self.stats.stopped_by == "exhausted":
                self.stats.stopped_by = "memory"
            return True
        return False

    def _check_candidate(self, key: int, grids: tuple[Grid, ...], expr: Expr, cost: float) -> None:
        fit = sum(grid_key(g) == t for g, t in zip(grids[: self.n_train], self.target_keys, strict=True))
        if fit == 0:
            return
        if self.unweighting:
            cost += sum(self.unweighting.get(name, 0.0) for name in primitives_used(expr))
        cand = _Candidate((-fit, cost, next(self.order)), expr, grids[self.n_train :], fit)
        if fit == self.n_train:
            if key not in self.candidates and len(self.candidates) >= self.config.max_candidates:
                return
            if self.stats.first_solution_node is None:
                self.stats.first_solution_node = self.stats.nodes_expanded
                self.stats.first_solution_seconds = time.monotonic() - self.start
            old = self.candidates.get(key)
            if old is None or cand.rank[1] < old.rank[1]:
                self.candidates[key] = cand
                self.candidate_version += 1
            self.stats.candidates_found = len(self.candidates)
            return
        old = self.partial.get(key)
        if old is None or cand.rank < old.rank:
            self.partial[key] = cand
            if len(self.partial) > 2 * self.config.max_partial:
                best = sorted(self.partial.items(), key=lambda kv: kv[1].rank)[: self.config.max_partial]
                self.partial = dict(best)

    def _result(self) -> SearchResult:
        # programs that fit only some train pairs come last: they fill attempts nothing better fills
        ranked = sorted(self.candidates.values()) + sorted(self.partial.values())[: self.config.max_partial]
        programs, predictions, fits, composed = [], [], [], []
        seen: set[bytes] = set()
        for cand in ranked:
            key = _state_key(cand.test_outputs)
            if key in seen:
                continue
            seen.add(key)
            programs.append(cand.expr)
            predictions.append(list(cand.test_outputs))
            fits.append(cand.fit)
            composed.append(cand.composed)
        return SearchResult(programs, predictions, fits, self.stats, self.n_train, composed)


def _call(step: _Step, combo: _Combo, states: tuple[_State, ...]) -> Call:
    """The child's program: the combo's argument expressions with the states' programs in the grid
    slots (built only for children that are kept, most are not)."""
    exprs = list(combo.exprs)
    for slot, st in zip(step.grid_slots, states, strict=True):
        exprs[slot] = st.expr
    return Call(step.prim.name, tuple(exprs))


def _refuses_mixed_shapes(prim: Primitive, grid_slots: tuple[int, ...], combos: tuple[_Combo, ...]) -> bool:
    """Probe a binary primitive once: does it refuse two grids of different shapes but accept two of
    one shape? Then the search never pairs states whose shapes differ, instead of paying for the
    refusal every time. (A primitive that refuses both, such as one wanting a small second grid,
    is left to refuse case by case.)"""
    if not combos:
        return False
    return not _accepts(prim, grid_slots, combos[0], (3, 2)) and _accepts(prim, grid_slots, combos[0], (2, 3))


def _accepts(prim: Primitive, grid_slots: tuple[int, ...], combo: _Combo, second: tuple[int, int]) -> bool:
    """True when the primitive runs on a blank 2x3 grid and a blank grid of shape `second`."""
    args: list[Any] = [v[0] if v is not None else None for v in combo.values]
    args[grid_slots[0]] = np.zeros((2, 3), dtype=np.uint8)
    args[grid_slots[1]] = np.zeros(second, dtype=np.uint8)
    try:
        prim.fn(*args)
    except Exception:
        return False
    return True


def _is_grid(out: Any) -> bool:
    return (
        isinstance(out, np.ndarray)
        and out.ndim == 2
        and 0 < out.shape[0] <= MAX_SIDE
        and 0 < out.shape[1] <= MAX_SIDE
    )


def _state_key(grids: Sequence[Grid]) -> bytes:
    """grid_key is prefix-free (shape first), so joining the keys identifies the tuple."""
    return b"".join(grid_key(g) for g in grids)


def search(
    train_inputs: Sequence[Grid],
    train_outputs: Sequence[Grid],
    test_inputs: Sequence[Grid],
    budget: Budget,
    weights: Mapping[str, float] | None = None,
    config: SearchConfig | None = None,
) -> SearchResult:
    """Find programs mapping every train input to its output; best (fit, then cost) first."""
    config = config or SearchConfig()
    if weights is not None:
        config = SearchConfig(**{**asdict(config), "weights": dict(weights)})
    return _Search(train_inputs, train_outputs, test_inputs, budget, config).run()


class SearchSolver:
    """The `search` solver: `search` on the task's views, its programs as text, its stats for the bench.

    The first view is the task itself (background swapped if shared). When the search finds no
    train-consistent program there, the views that apply get their shares of the budget in turn: the
    per-input background view (`own_background_share`) when every pair is drawn on its own non-zero
    background, the canvas view (`canvas_share`) when every train output holds its input at one place
    on a larger canvas, and with `ranked_share` > 0 the colour-ranked view when colours can be renamed
    by role.
    When the task decomposes into objects changed in place, `objects_share` of the budget is kept for
    searching one object's box (as it is, then with colours ranked per box) if no program fits the
    task in any view.
    """

    name = "search"

    def __init__(self, max_depth: int = 8, **options: Any) -> None:
        options.setdefault("deepen_from", 2.0)
        self.config = SearchConfig(max_cost=float(max_depth), **options)

    def solve(self, task: Task, budget: Budget) -> Solution:
        start = time.monotonic()
        train_in = [p.input for p in task.train]
        train_out = [p.output for p in task.train]
        test_in = [p.input for p in task.test]
        views, shares = self._views(train_in, train_out, test_in)
        sub = self._objects_subtask(views[0], train_in, train_out, test_in)
        views_seconds = budget.seconds * (1.0 - self.config.objects_share) if sub else budget.seconds
        results = _in_turn(
            views,
            shares,
            replace(budget, seconds=views_seconds),
            lambda view, part: _search_view(view, train_in, train_out, test_in, self._searcher(part)),
        )
        names = [v.name for v in views[: len(results)]]
        if sub is not None and not any(_fits_every_pair(r) for r in results):
            left = replace(budget, seconds=budget.seconds - (time.monotonic() - start))
            per_object, stages = self._search_objects(views[0], sub, train_in, train_out, test_in, left)
            results += per_object
            names += stages
        result = _merge(results)
        stats: dict[str, Any] = asdict(result.stats)
        shapes = predict_shapes(train_in, train_out, test_in)
        stats["predicted_shapes"] = [list(s) if s else None for s in shapes]
        stats["train_fit"] = result.fits[0] if result.fits else 0
        stats["n_train"] = len(train_in)
        stats["views"] = names
        return Solution(
            attempts=result.attempts(len(test_in)),
            programs=[format_program(p) for p in result.programs],
            stats=stats,
        )

    def _views(
        self, train_in: list[Grid], train_out: list[Grid], test_in: list[Grid]
    ) -> tuple[list[View], list[float]]:
        """The views to search in turn, with the budget share each later one is kept."""
        inputs = train_in + test_in
        views = [background_view(inputs) if self.config.normalise_background else IDENTITY]
        shares = [0.0]
        if self.config.own_background_share > 0 and own_backgrounds(inputs):
            views.append(OWN_BACKGROUND)
            shares.append(self.config.own_background_share)
        if self.config.canvas_share > 0:
            placements = infer_placement(*_encoded(views[0], train_in, train_out, test_in))
            if placements:
                views.append(canvas_view(views[0], placements[0]))
                shares.append(self.config.canvas_share)
        if self.config.ranked_share > 0 and changes_task(RANKED, inputs, train_out):
            views.append(RANKED)
            shares.append(self.config.ranked_share)
        later = sum(shares)
        if later > self.config.later_views_share:  # two views that apply at once leave the task view half
            shares = [share * self.config.later_views_share / later for share in shares]
        return views, shares

    def _searcher(self, budget: Budget) -> Searcher:
        return partial(search, budget=budget, config=self.config)

    def _search_objects(
        self,
        view: View,
        sub: SubTask,
        train_in: list[Grid],
        train_out: list[Grid],
        test_in: list[Grid],
        budget: Budget,
    ) -> tuple[list[SearchResult], list[str]]:
        """The objects stage: the boxes' sub-task searched as it is, then with colours ranked per box;
        the results and the stages' names."""
        sub_views = [IDENTITY]
        if self.config.objects_ranked_share > 0 and changes_task(
            RANKED, sub.train_in + sub.test_in, sub.train_out
        ):
            sub_views.append(RANKED)
        results = _in_turn(
            sub_views,
            [0.0, self.config.objects_ranked_share],
            budget,
            lambda sub_view, part: self._per_object(view, sub_view, sub, train_in, train_out, test_in, part),
        )
        return results, [
            "objects" if v is IDENTITY else f"objects+{v.name}" for v in sub_views[: len(results)]
        ]

    def _per_object(
        self,
        view: View,
        sub_view: View,
        sub: SubTask,
        train_in: list[Grid],
        train_out: list[Grid],
        test_in: list[Grid],
        budget: Budget,
    ) -> SearchResult:
        """The per-object sub-task searched in `sub_view` (of each box), the task in `view`."""
        run = partial(_search_view, sub_view, run=self._searcher(budget))
        return _search_view(view, train_in, train_out, test_in, partial(search_per_object, sub=sub, run=run))

    def _objects_subtask(
        self, view: View, train_in: list[Grid], train_out: list[Grid], test_in: list[Grid]
    ) -> SubTask | None:
        """The per-object sub-task of the task in `view`, when the objects stage is on and it applies."""
        if self.config.objects_share <= 0:
            return None
        return decompose(*_encoded(view, train_in, train_out, test_in))


Searcher = Callable[[Sequence[Grid], Sequence[Grid], Sequence[Grid]], SearchResult]


def _search_view(
    view: View, train_in: Sequence[Grid], train_out: Sequence[Grid], test_in: Sequence[Grid], run: Searcher
) -> SearchResult:
    """`run` on the task as the view encodes it; programs and predictions come back in the task's frame."""
    if view is IDENTITY:
        return run(train_in, train_out, test_in)
    result = run(*_encoded(view, train_in, train_out, test_in))
    return replace(
        result,
        programs=[view.wrap(p) for p in result.programs],
        predictions=[
            [view.decode(t, g) for t, g in zip(test_in, preds, strict=True)] for preds in result.predictions
        ],
    )


def _encoded(
    view: View, train_in: Sequence[Grid], train_out: Sequence[Grid], test_in: Sequence[Grid]
) -> tuple[list[Grid], list[Grid], list[Grid]]:
    """The task's train inputs, train outputs and test inputs as the view sees them."""
    return (
        [view.input(a) for a in train_in],
        [view.encode(a, b) for a, b in zip(train_in, train_out, strict=True)],
        [view.input(t) for t in test_in],
    )


def _in_turn(
    views: Sequence[View],
    shares: Sequence[float],
    budget: Budget,
    run: Callable[[View, Budget], SearchResult],
) -> list[SearchResult]:
    """`run` on each view in turn until one finds a program: each view gets what is left of the budget
    less the shares (fractions of it) kept for the views after it."""
    start = time.monotonic()
    results: list[SearchResult] = []
    for i, view in enumerate(views):
        left = budget.seconds - (time.monotonic() - start)
        share = left - budget.seconds * sum(shares[i + 1 :])
        results.append(run(view, replace(budget, seconds=share)))
        if results[-1].found():
            break
    return results


def _fits_every_pair(result: SearchResult) -> bool:
    """True when a program, searched or composed, fits every train pair."""
    return any(fit == result.n_train for fit in result.fits)


def _merge(results: list[SearchResult]) -> SearchResult:
    """One result from the views searched in turn: searched train-consistent programs first, then
    composed ones, then partial fits (each group in view order), distinct test predictions only; the
    counters of the stats add up."""
    if len(results) == 1:
        return results[0]
    entries = []
    for v, r in enumerate(results):
        composed = r.composed or [False] * len(r.programs)
        for i, (p, preds, fit, comp) in enumerate(
            zip(r.programs, r.predictions, r.fits, composed, strict=True)
        ):
            group = 0 if fit == r.n_train and not comp else 1 if fit == r.n_train else 2
            entries.append(((group, -fit if group == 2 else 0, v, i), p, preds, fit, comp))
    entries.sort(key=lambda e: e[0])
    programs, predictions, fits, flags = [], [], [], []
    seen: set[bytes] = set()
    for _, p, preds, fit, comp in entries:
        key = _state_key(preds)
        if key not in seen:
            seen.add(key)
            programs.append(p)
            predictions.append(preds)
            fits.append(fit)
            flags.append(comp)
    stats = replace(results[0].stats)
    for r in results[1:]:
        for name in COUNTERS:
            setattr(stats, name, getattr(stats, name) + getattr(r.stats, name))
        stats.seconds += r.stats.seconds
        stats.stopped_by = r.stats.stopped_by
    return SearchResult(programs, predictions, fits, stats, results[0].n_train, flags)
