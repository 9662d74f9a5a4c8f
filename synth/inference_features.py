"""Feature rules read off the train pairs (`dsl.primitives.feature_rules`): the fewest cell features
whose values decide every changed cell's colour in every pair, and that leave no test cell with a
combination the pairs never showed.

Subsets are tried by size (one feature, then two, then three); among the fitting subsets of the
smallest size the tables with the fewest entries come first, and rules that predict the same test
grids count once. A key whose cells all keep their colours is written `=`, so one entry covers cells
of any colour; a key whose cells all turn one colour is written as that colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np

from dsl.grid import Grid
from dsl.primitives.feature_rules import FEATURE_NAMES, KEEP, cell_features, recolor_by_features
from synth.inference_places import distinct_on_test

MAX_FEATURES = 3
MAX_RULES = 2
MAX_ENTRIES = 40
MAX_SPACE = 4096  # key combinations a subset may have (its table is built densely)
KEEP_CODE = 10


def _dense_codes(
    grids: Sequence[Grid], test_grids: Sequence[Grid]
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Each feature's values renumbered 0..k-1 over train and test cells together: (train codes,
    test codes, each feature's values in code order), so a subset's keys index a small table."""
    per_grid = [cell_features(g) for g in (*grids, *test_grids)]
    n_train = sum(g.size for g in grids)
    rows, values = [], []
    for name in FEATURE_NAMES:
        uniques, codes = np.unique(np.concatenate([f[name].ravel() for f in per_grid]), return_inverse=True)
        rows.append(codes)
        values.append(uniques)
    codes = np.stack(rows).astype(np.int64)
    return codes[:, :n_train], codes[:, n_train:], values


def _seen(keys: np.ndarray, test_keys: np.ndarray, space: int) -> np.ndarray | None:
    """Per key: do train cells show it? None when the subset fails in a way every superset fails too
    (a superset's keys split these, so they only add entries and unseen test keys): the table would
    be too long, or a test cell has a key no train cell has."""
    seen = np.bincount(keys, minlength=space) > 0
    if np.count_nonzero(seen) > MAX_ENTRIES or (len(test_keys) and not seen[test_keys].all()):
        return None
    return seen


def _fit(
    keys: np.ndarray, seen: np.ndarray, space: int, after: np.ndarray, changed: np.ndarray
) -> np.ndarray | None:
    """Per key: -1 unseen, KEEP_CODE if its cells all keep their colours, else the one colour they
    all take; None if some key's cells do neither."""
    moved = keys[changed]
    colours = np.bincount(keys * 10 + after, minlength=space * 10).reshape(space, 10) > 0
    moving = np.zeros(space, dtype=bool)
    moving[moved] = True
    if (colours[moving].sum(axis=1) > 1).any():
        return None
    return np.where(seen, np.where(moving, colours.argmax(axis=1), KEEP_CODE), -1)


def _distinct_features(train: np.ndarray, test: np.ndarray, sizes: list[int]) -> list[int]:
    """Features that vary, each partition of the cells once (the first feature that gives it)."""
    kept, seen = [], set()
    for i in range(len(sizes)):
        if sizes[i] < 2:
            continue
        codes = np.concatenate([train[i], test[i]])
        first = np.unique(codes, return_index=True)[1]
        canonical = np.argsort(np.argsort(first))[codes]  # numbered by first appearance
        signature = canonical.astype(np.int8 if sizes[i] < 128 else np.int64).tobytes()
        if signature not in seen:
            seen.add(signature)
            kept.append(i)
    return kept


def _rule_text(subset: tuple[int, ...], values: list[np.ndarray], table: np.ndarray) -> str:
    """The table in the primitive's text: each key decoded back to its features' own values."""
    entries = []
    for key in np.flatnonzero(table >= 0):
        digits, rest = [], int(key)
        for i in reversed(subset):
            digits.append(str(int(values[i][rest % len(values[i])])))
            rest //= len(values[i])
        colour = KEEP if table[key] == KEEP_CODE else str(table[key])
        entries.append("-".join(reversed(digits)) + ">" + colour)
    return ".".join(FEATURE_NAMES[i] for i in subset) + ":" + ",".join(entries)


def infer_feature_rules(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """Up to MAX_RULES feature rules taking each state grid to its train output (see module doc).
    Remembered for the last few tasks: the search asks again at every deepening level."""
    if not state or any(a.shape != b.shape for a, b in zip(state, outputs, strict=False)):
        return []
    return list(_remembered(_packed(state), _packed(outputs), _packed(test_state)))


def _packed(grids: Sequence[Grid]) -> tuple[tuple[tuple[int, int], bytes], ...]:
    return tuple((g.shape, np.ascontiguousarray(g, dtype=np.uint8).tobytes()) for g in grids)


def _unpacked(packed: tuple[tuple[tuple[int, int], bytes], ...]) -> list[Grid]:
    return [np.frombuffer(data, dtype=np.uint8).reshape(shape) for shape, data in packed]


@lru_cache(maxsize=8)
def _remembered(state: tuple, outputs: tuple, test_state: tuple) -> tuple[str, ...]:
    return tuple(_infer(_unpacked(state), _unpacked(outputs), _unpacked(test_state)))


def _infer(state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid]) -> list[str]:
    before = np.concatenate([a.ravel() for a in state]).astype(np.int64)
    after = np.concatenate([b.ravel() for b in outputs]).astype(np.int64)
    changed = before != after
    if not changed.any():
        return []
    train, test, values = _dense_codes(state, test_state)
    sizes = [len(v) for v in values]
    useful = _distinct_features(train, test, sizes)
    found: list[tuple[int, tuple[int, ...], np.ndarray]] = []
    # subset -> (space, train keys, test keys) for the live subsets one size down; a subset missing
    # from it failed in a way its supersets inherit, so they are skipped without a fit
    live: dict[tuple[int, ...], tuple[int, np.ndarray, np.ndarray]] = {
        (): (1, np.zeros_like(train[0]), np.zeros_like(test[0]))
    }
    for size in range(1, MAX_FEATURES + 1):
        grown: dict[tuple[int, ...], tuple[int, np.ndarray, np.ndarray]] = {}
        for subset in combinations(useful, size):
            if any(sub not in live for sub in combinations(subset, size - 1)):
                continue
            space, train_keys, test_keys = _keys(live[subset[:-1]], subset[-1], sizes, train, test)
            seen = _seen(train_keys, test_keys, space) if space <= MAX_SPACE else None
            if seen is None:
                continue
            grown[subset] = (space, train_keys, test_keys)
            table = _fit(train_keys, seen, space, after, changed)
            if table is not None:
                found.append((int(np.count_nonzero(seen)), subset, table))
        if found:
            break
        live = grown
    found.sort(key=lambda f: f[0])
    rules = [_rule_text(subset, values, table) for _, subset, table in found[: 4 * MAX_RULES]]
    return distinct_on_test(rules, recolor_by_features, test_state, MAX_RULES)


def _keys(
    prefix: tuple[int, np.ndarray, np.ndarray],
    feature: int,
    sizes: list[int],
    train: np.ndarray,
    test: np.ndarray,
) -> tuple[int, np.ndarray, np.ndarray]:
    """A subset's key space and its train and test cells' keys: its prefix's keys with one more feature."""
    space, train_keys, test_keys = prefix
    size = sizes[feature]
    return space * size, train_keys * size + train[feature], test_keys * size + test[feature]


def feature_rule_bits(text: str) -> float:
    """Description length of a feature rule: 2 bits per feature named, one per entry that paints
    (the train pairs force every entry; the features are the free choice)."""
    head, body = text.split(":", 1)
    return 2.0 * (head.count(".") + 1) + sum(not entry.endswith(KEEP) for entry in body.split(","))
