"""Local rules read off the train pairs: each cell's new colour as a lookup on its neighbourhood
(`dsl.primitives.local_rules`), from the finest neighbourhood that fits the pairs and covers the
test inputs, a colour-blind set neighbourhood, or a backed-off rule of several neighbourhoods; and,
as a second option, a rule on each cell's place in its object (`infer_place_rule`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dsl.grid import Grid
from dsl.primitives.local_rules import (
    NAMES,
    PLACES,
    POSITIONS,
    SET_GROUPS,
    encode_key,
    filtered_codes,
    neighbourhood_codes,
    own_colours,
    parse_rule,
    place_codes,
    place_offsets,
)

MAX_RULE_ENTRIES = 60
MAX_BACKOFF_ENTRIES = 200


def infer_local_rules(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """The neighbourhood rule and the place-in-object rule, each if one fits: when both do, they
    usually differ on the test inputs, and the two attempts can hold one each."""
    return infer_local_rule(state, outputs, test_state) + infer_place_rule(state, outputs)


def infer_place_rule(state: Sequence[Grid], outputs: Sequence[Grid]) -> list[str]:
    """The coarsest place-in-object rule (`oRC`) that fits: each place whose cells change at all
    takes one colour, every other place keeps its cells' colours (whatever they are: the key is
    colour-blind, so keeping cannot be a table entry). None if nothing changes or none fits."""
    if not state or any(a.shape != b.shape for a, b in zip(state, outputs, strict=False)):
        return []
    before = np.concatenate([a.ravel() for a in state])
    after = np.concatenate([b.ravel() for b in outputs]).astype(np.int64)
    changed = before != after
    if not changed.any():
        return []
    offsets = [place_offsets(a) for a in state]
    for name in PLACES:
        codes = np.concatenate([place_codes(o, name).ravel() for o in offsets])
        changing = np.unique(codes[changed])
        touched = np.isin(codes, changing)  # every cell of a place that changes somewhere
        entries = np.unique(codes[touched] * 16 + after[touched])
        if len(entries) == len(changing):  # each such place becomes one colour
            return [f"{name}:" + ",".join(f"{encode_key(int(e >> 4), name)}>{e & 15}" for e in entries)]
    return []


def infer_local_rule(
    state: Sequence[Grid], outputs: Sequence[Grid], test_state: Sequence[Grid] = ()
) -> list[str]:
    """The finest neighbourhood lookup table that takes every state grid to its train output and
    knows every neighbourhood the test grids show (so no test cell falls back on "keep" unseen).

    Tried from the finest neighbourhood to the coarsest (`local_rules.NAMES`); a consistent set
    neighbourhood that misses test keys is made blind to the colours it can ignore
    (`_filtered_level`); if none is consistent and covers the test grids, a backed-off rule
    (`_backed_off_rule`). None if nothing changes.
    """
    if not state or any(a.shape != b.shape for a, b in zip(state, outputs, strict=False)):
        return []
    colours = np.concatenate([b.ravel() for b in outputs]).astype(np.int64)
    if all(np.array_equal(a, b) for a, b in zip(state, outputs, strict=False)):
        return []
    levels = []
    for name in NAMES:
        codes = np.concatenate([neighbourhood_codes(a, name).ravel() for a in state])
        seen = np.unique(codes * 16 + colours)  # each (neighbourhood, colour) once, sorted
        keys, counts = np.unique(seen >> 4, return_counts=True)
        low = (seen & 15)[np.cumsum(counts) - 1]  # a key's colour (its last, when it has several)
        agreed = counts == 1
        test_codes = [neighbourhood_codes(g, name).ravel() for g in test_state]
        # a backed-off rule trusts only neighbourhoods seen more than once: a key met once is
        # trivially consistent, and trusting it would memorise the train pairs
        repeated = np.unique(codes, return_counts=True)[1] > 1
        levels.append((name, codes, keys, low, agreed & repeated, test_codes))
        if not agreed.all():
            continue  # one neighbourhood becomes two colours: too coarse
        if test_codes and not _covers(keys, low, name, np.concatenate(test_codes)):
            if name not in SET_GROUPS:
                continue
            name, keys, low = _filtered_level(name, codes, colours, test_codes)
            if not keys.size:
                continue
        changed = np.flatnonzero(low != own_colours(keys, name))
        if len(changed) > MAX_RULE_ENTRIES:
            return []
        return [f"{name}:" + ",".join(f"{encode_key(int(keys[i]), name)}>{low[i]}" for i in changed)]
    return _backed_off_rule(levels, len(colours))


def _covers(keys: np.ndarray, colours: np.ndarray, name: str, test_codes: np.ndarray) -> bool:
    """True when the table knows every test neighbourhood, or the unknown ones are cells of a colour
    the train pairs never show while no non-zero cell there ever changes (figures stay put)."""
    unknown = test_codes[~np.isin(test_codes, keys)]
    if not unknown.size:
        return True
    own = own_colours(keys, name)
    if np.any((own != 0) & (colours != own)):
        return False
    return not np.isin(own_colours(unknown, name), own).any()


def _filtered_level(
    name: str, codes: np.ndarray, colours: np.ndarray, test_codes: list[np.ndarray]
) -> tuple[str, np.ndarray, np.ndarray]:
    """A consistent set neighbourhood that misses some test keys, made blind to every colour it can
    ignore (dropped one at a time while the train pairs stay consistent): `s8@2` sees only 2s.
    Returns the filtered name, its keys and their colours; no keys if the test keys stay unknown."""
    groups = SET_GROUPS[name]
    present = int(np.bitwise_or.reduce(codes & ((1 << (10 * groups)) - 1)).item()) if codes.size else 0
    union = 0
    for i in range(groups):
        union |= present >> (10 * i) & 1023
    seen_mask = union
    for c in range(10):
        if not seen_mask >> c & 1:
            continue
        trial = seen_mask & ~(1 << c)
        pairs = np.unique(filtered_codes(codes, name, trial) * 16 + colours)
        if len(np.unique(pairs >> 4)) == len(pairs):
            seen_mask = trial
    pairs = np.unique(filtered_codes(codes, name, seen_mask) * 16 + colours)
    keys = pairs >> 4
    tests = np.concatenate([filtered_codes(t, name, seen_mask) for t in test_codes])
    if seen_mask in (0, union) or not _covers(keys, pairs & 15, name, tests):
        return name, keys[:0], keys[:0]
    kept = "".join(str(c) for c in range(10) if seen_mask >> c & 1)
    return f"{name}@{kept}", keys, pairs & 15


def _backed_off_rule(levels: list[tuple], n_cells: int) -> list[str]:
    """Each cell decided by the finest neighbourhood whose key the train pairs map to one colour
    and show more than once: a rule of sections, finest first, listing only the keys that decide
    some train or test cell. None unless every train and test cell is decided (and so reproduced on
    the train pairs)."""
    open_train = np.ones(n_cells, dtype=bool)
    open_test = [np.ones(len(c), dtype=bool) for c in levels[0][5]]
    chosen, changes, entries = [], 0, 0
    for name, codes, keys, colour_of, trusted, test_codes in levels:
        agreed = keys[trusted]
        hit = open_train & np.isin(codes, agreed)
        used = [codes[hit]]
        open_train &= ~hit
        for t, (tc, still) in enumerate(zip(test_codes, open_test, strict=True)):
            hit_t = still & np.isin(tc, agreed)
            used.append(tc[hit_t])
            open_test[t] = still & ~hit_t
        needed = np.unique(np.concatenate(used))
        if needed.size:
            at = np.searchsorted(keys, needed)
            changes += int(np.count_nonzero(colour_of[at] != own_colours(needed, name)))
            entries += needed.size
            chosen.append((name, needed, colour_of[at]))
        if changes > MAX_RULE_ENTRIES or entries > MAX_BACKOFF_ENTRIES:
            return []
    if open_train.any() or any(t.any() for t in open_test) or not changes:
        return []
    return [
        ";".join(
            f"{name}:"
            + ",".join(f"{encode_key(int(k), name)}>{c}" for k, c in zip(needed, colours, strict=True))
            for name, needed, colours in chosen
        )
    ]


def local_rule_bits(text: str) -> float:
    """Description length of a local rule: one bit per entry that changes a colour, and one per
    section. The train pairs dictate every entry (none is chosen freely), so a long table of forced
    entries is priced lightly; the primitive's own cost keeps a rule behind a plain composition that
    also fits. Choosing a period (position keys) or the colours a set sees costs 3 bits more: those
    fit by chance more often, and a cheap chance fit would end the deepening early."""
    sections = parse_rule(text)
    changes = sum(
        int(np.count_nonzero(colours != own_colours(codes, name))) for name, codes, colours in sections
    )
    chosen = sum(3 for name, _, _ in sections if name in POSITIONS or name in PLACES or "@" in name)
    return float(changes + len(sections) - 1 + chosen)
