"""One behavioural test per primitive on a small hand-made grid, plus table-wide checks: every
primitive has a test here, none mutates its input, all return valid grids or refuse, and the
symmetries obey the group laws of the square."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dsl import primitives as P
from dsl.grid import is_valid_grid
from dsl.primitives.grid_tables import GRID_PROPERTIES
from dsl.primitives.object_rules import SCOPES as OBJECT_SCOPES
from dsl.registry import PRIMITIVES, Refused
from dsl.types import TYPES


def G(text: str) -> np.ndarray:
    """A grid from rows of digits separated by '/', e.g. '120/003'."""
    return np.array([[int(ch) for ch in row] for row in text.split("/")], dtype=np.uint8)


def same(got: np.ndarray, want: str) -> bool:
    expected = G(want)
    return (
        got.dtype == np.uint8
        and got.flags.c_contiguous
        and got.shape == expected.shape
        and (got == expected).all()
    )


A = G("120/034")  # 2x3, asymmetric


# ---------------------------------------------------------------- table-wide checks


def test_every_primitive_has_a_test():
    module = sys.modules[__name__]
    missing = [name for name in PRIMITIVES if not callable(getattr(module, f"test_{name}", None))]
    assert not missing, f"primitives without a test_<name> in tests/test_primitives.py: {missing}"


def test_at_least_sixty_primitives_all_exported():
    assert len(PRIMITIVES) >= 60
    assert set(P.__all__) == set(PRIMITIVES)
    for name, prim in PRIMITIVES.items():
        assert getattr(P, name) is prim.fn
        assert prim.doc and prim.cost >= 1.0


def assert_refuses(primitive: Callable[..., object], grid: np.ndarray, bad_args: Sequence[str]) -> None:
    """Each argument text in `bad_args` is refused, not misread."""
    for bad in bad_args:
        with pytest.raises(Refused):
            primitive(grid, bad)


def _sample_args(prim, grid, other, rng):
    args = []
    for t in prim.arg_types:
        if t == "Grid":
            args.append(grid if not args else other)
        elif t == "ColorMap":
            args.append("".join(str(d) for d in rng.integers(0, 10, 10)))
        elif t == "LocalRule":
            keys = {"".join(str(d) for d in rng.integers(0, 3, 5)) for _ in range(6)}
            args.append("x0:" + ",".join(f"{k}>{rng.integers(0, 10)}" for k in sorted(keys)))
        elif t == "ObjectRule":
            args.append(f"{rng.choice(OBJECT_SCOPES)}.size:1>{rng.integers(0, 10)},2>{rng.integers(0, 10)}")
        elif t == "ObjectPick":
            args.append(f"{rng.choice(OBJECT_SCOPES[:4])}.{rng.choice(['c', 'x'])}.size=max")
        elif t == "GridTable":
            args.append(";".join(f"{v}>{rng.integers(0, 10)}{rng.integers(0, 10)}" for v in range(1, 4)))
            args[-1] = "ncolors:" + args[-1]
        elif t == "CellRule":
            args.append(f"place:tl>{rng.integers(0, 10)},c>f" if rng.integers(0, 2) else "full:1>f,0>0")
        elif t == "FeatureRule":
            args.append(f"c.bh:0-{rng.integers(1, 10)}>{rng.integers(0, 10)},{rng.integers(0, 10)}-10>=")
        elif t == "Window":
            dr, dc, h, w = rng.integers(0, 3, 2).tolist() + rng.integers(1, 5, 2).tolist()
            args.append(f"{rng.choice(['tl', 'tr', 'bl', 'br'])}:{dr},{dc},{h},{w}")
        elif t == "Placement":
            rows, cols = rng.choice(["2h", "h+1", "h", "12"]), rng.choice(["2w", "w+2", "1/2h", "9"])
            args.append(f"{rows},{cols}@{rng.choice(['tl', 'tr', 'bl', 'br'])}:{rng.integers(0, 3)},0")
        else:
            args.append(int(rng.choice(TYPES[t].domain)))
    return args


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_pure_and_valid_on_random_grids(name):
    prim = PRIMITIVES[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    for trial in range(40):
        h, w = rng.integers(1, 13, 2)
        density = rng.random()
        grid = (rng.integers(1, 10, (h, w)) * (rng.random((h, w)) < density)).astype(np.uint8)
        # half the time the second grid matches the first's shape, so binary ops also get exercised
        oh, ow = (h, w) if trial % 2 else rng.integers(1, 13, 2)
        other = rng.integers(0, 10, (oh, ow)).astype(np.uint8)
        args = _sample_args(prim, grid, other, rng)
        before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        try:
            out = prim.fn(*args)
        except Refused:
            out = None
        for a, b in zip(args, before, strict=True):
            if isinstance(a, np.ndarray):
                assert (a == b).all(), f"{name} mutated its input"
        if out is None:
            continue
        if prim.ret_type == "Grid":
            assert is_valid_grid(out) and out.dtype == np.uint8 and out.flags.c_contiguous
            assert not any(np.shares_memory(out, a) for a in args if isinstance(a, np.ndarray))
        else:
            assert 0 <= out <= 9


# ---------------------------------------------------------------- symmetry group laws

grids = st.integers(1, 8).flatmap(
    lambda h: st.integers(1, 8).flatmap(lambda w: arrays(np.uint8, (h, w), elements=st.integers(0, 9)))
)


def eq(a, b):
    return a.shape == b.shape and (a == b).all()


@settings(max_examples=60, deadline=None)
@given(grids)
def test_symmetry_group_laws(g):
    r90, r180, r270 = P.rotate_90, P.rotate_180, P.rotate_270
    assert eq(r90(r90(r90(r90(g)))), g)
    assert eq(r90(r270(g)), g) and eq(r270(r90(g)), g)
    assert eq(r90(r90(g)), r180(g))
    assert eq(r180(r180(g)), g)
    for involution in (P.flip_lr, P.flip_ud, P.transpose, P.anti_transpose, P.rotate_180):
        assert eq(involution(involution(g)), g)
    assert eq(P.transpose(g), P.flip_lr(r90(g)))
    assert eq(P.anti_transpose(g), P.flip_ud(r90(g)))
    assert eq(P.flip_lr(P.flip_ud(g)), r180(g))
    assert eq(P.transpose(P.anti_transpose(g)), r180(g))


SYMMETRIES = ("rotate_90", "rotate_180", "rotate_270", "flip_lr", "flip_ud", "transpose", "anti_transpose")


@pytest.mark.parametrize("side", [2, 3])
def test_eight_symmetries_are_distinct(side):
    # a square of all-distinct cells has 8 distinct images; fewer would mean two primitives coincide
    g = np.arange(side * side, dtype=np.uint8).reshape(side, side)
    images = {getattr(P, name)(g).tobytes() for name in SYMMETRIES} | {g.tobytes()}
    assert len(images) == 8


# ---------------------------------------------------------------- geometry


def test_rotate_90():
    assert same(P.rotate_90(A), "01/32/40")


def test_rotate_180():
    assert same(P.rotate_180(A), "430/021")


def test_rotate_270():
    assert same(P.rotate_270(A), "04/23/10")


def test_flip_lr():
    assert same(P.flip_lr(A), "021/430")


def test_flip_ud():
    assert same(P.flip_ud(A), "034/120")


def test_transpose():
    assert same(P.transpose(A), "10/23/04")


def test_anti_transpose():
    assert same(P.anti_transpose(A), "40/32/01")


def test_shift():
    g = G("100/020/003")
    assert same(P.shift(g, 1, 0), "000/100/020")
    assert same(P.shift(g, -1, 1), "002/000/000")
    assert same(P.shift(g, 0, 5), "000/000/000")
    with pytest.raises(Refused):
        P.shift(g, 0, 0)


# ---------------------------------------------------------------- colour


def test_replace_color():
    assert same(P.replace_color(G("121/003"), 1, 5), "525/003")
    with pytest.raises(Refused):
        P.replace_color(A, 2, 2)


def test_swap_colors():
    assert same(P.swap_colors(G("121/003"), 1, 2), "212/003")
    with pytest.raises(Refused):
        P.swap_colors(A, 3, 3)


def test_keep_color():
    assert same(P.keep_color(G("121/003"), 1), "101/000")


def test_remove_color():
    assert same(P.remove_color(G("121/003"), 1), "020/003")


def test_map_colors():
    assert same(P.map_colors(G("012/345"), "0213456789"), "021/345")
    assert_refuses(P.map_colors, A, ("012", "01234567890", "abcdefghij"))


def test_apply_local_rule():
    # a cell of colour 0 next to (left of) a 1 in the cross becomes 5; unlisted cells keep their colour
    assert same(P.apply_local_rule(G("01/00"), "x:aa010>5"), "51/00")
    assert same(P.apply_local_rule(G("01/00"), "n:aaaa01a00>5,aaa01a00a>7"), "57/00")
    assert_refuses(P.apply_local_rule, A, ("q:00000>1", "x:0000>1", "x:00000>x", "x:00000>1,00000>2", "x:"))


def test_paint_sizes():
    assert same(P.paint_sizes(G("110/002/302"), 4), "220/002/102")
    assert same(P.paint_sizes(G("110/002/302"), 8), "220/002/102")
    with pytest.raises(Refused):
        P.paint_sizes(np.ones((4, 3), dtype=np.uint8), 4)  # twelve cells: no colour
    with pytest.raises(Refused):
        P.paint_sizes(np.zeros((2, 2), dtype=np.uint8), 4)


def test_paint_size_ranks():
    assert same(P.paint_size_ranks(G("110/002/302"), 4), "110/001/201")
    assert same(P.paint_size_ranks(G("1110/0002/3002"), 4), "1110/0002/3002")


def test_recolor_nonzero():
    assert same(P.recolor_nonzero(G("120/034"), 7), "770/077")


def test_invert():
    assert same(P.invert(G("120/034"), 5), "005/500")


def test_most_common_color():
    assert P.most_common_color(G("1122/0022")) == 2
    assert P.most_common_color(G("0001/2200")) == 0


def test_least_common_color():
    assert P.least_common_color(G("1122/0002")) == 1  # colours absent from the grid are not counted
    assert P.least_common_color(G("5555/5555")) == 5


def test_most_common_nonzero_color():
    assert P.most_common_nonzero_color(G("0001/0022")) == 2
    with pytest.raises(Refused):
        P.most_common_nonzero_color(G("00/00"))


def test_fill_with_majority():
    assert same(P.fill_with_majority(G("1220/0302")), "2220/0202")


# ---------------------------------------------------------------- crop


def test_crop_to_content():
    assert same(P.crop_to_content(G("0000/0120/0003")), "120/003")
    with pytest.raises(Refused):
        P.crop_to_content(G("00/00"))


def test_crop_to_color():
    assert same(P.crop_to_color(G("0000/0510/0105"), 5), "510/105")
    with pytest.raises(Refused):
        P.crop_to_color(A, 9)


def test_crop_window():
    grid = G("123456/234567/345678/456789/567891")
    for window, cut in [
        ("tl:0,0,2,2", "12/23"),
        ("tr:1,0,2,3", "567/678"),
        ("bl:0,2,1,2", "78"),
        ("br:1,1,2,2", "67/78"),
    ]:
        assert same(P.crop_window(grid, window), cut)
    for bad in ["tl:0,0,6,2", "br:4,0,2,2", "xx:0,0,1,1", "tl:0,0,0,1", "tl:-1,0,1,1", "tl:0,0"]:
        with pytest.raises(Refused):
            P.crop_window(grid, bad)


def test_drop_blank_lines():
    assert same(P.drop_blank_lines(G("1020/0000/3040")), "12/34")


def test_trim_border():
    assert same(P.trim_border(G("1111/1231/1451/1111")), "23/45")
    with pytest.raises(Refused):
        P.trim_border(G("12/34"))


def test_dedupe_lines():
    assert same(P.dedupe_lines(G("1122/1122/3344")), "12/34")


# ---------------------------------------------------------------- resize


def test_upscale():
    assert same(P.upscale(G("12"), 2), "1122/1122")
    with pytest.raises(Refused):
        P.upscale(np.zeros((11, 2), np.uint8), 3)


def test_downscale():
    assert same(P.downscale(G("1122/1122"), 2), "12")
    with pytest.raises(Refused):
        P.downscale(G("1122/1222"), 2)
    with pytest.raises(Refused):
        P.downscale(G("112/112"), 2)


def test_fractalize():
    assert same(P.fractalize(G("10/01")), "1000/0100/0010/0001")
    with pytest.raises(Refused):
        P.fractalize(np.ones((6, 6), np.uint8))


# ---------------------------------------------------------------- tiling


def test_tile():
    assert same(P.tile(G("12"), 2, 2), "1212/1212")
    with pytest.raises(Refused):
        P.tile(A, 1, 11)


def test_mirror_tile_lr():
    assert same(P.mirror_tile_lr(G("12/30")), "1221/3003")


def test_mirror_tile_ud():
    assert same(P.mirror_tile_ud(G("12/30")), "12/30/30/12")


def test_mirror_tile_2x2():
    assert same(P.mirror_tile_2x2(G("12/30")), "1221/3003/3003/1221")


def test_rotate_tile_2x2():
    assert same(P.rotate_tile_2x2(G("12/30")), "1231/3002/2003/1321")
    with pytest.raises(Refused):
        P.rotate_tile_2x2(A)


def test_stamp_at_cells():
    assert same(P.stamp_at_cells(G("10/01"), G("23")), "2300/0023")
    assert same(P.stamp_at_cells(G("11"), G("5/6")), "55/66")
    with pytest.raises(Refused):
        P.stamp_at_cells(np.ones((2, 8), np.uint8), np.ones((2, 4), np.uint8))


def test_stamp_template():
    # the 2-colour template 12/30 covers the 5-object of its shape and is centred on the lone 7
    grid = G("12000/30000/00055/00050/00000")
    assert same(P.stamp_template(grid), "12000/30000/00012/00030/00000")
    centred = G("02000/21300/02000/00000/00000/00000/00070")  # clipped at the bottom edge
    assert same(P.stamp_template(centred), "02000/21300/02000/00000/00000/00020/00213")
    with pytest.raises(Refused):
        P.stamp_template(G("1100/0022"))  # no multicolour template
    with pytest.raises(Refused):
        P.stamp_template(G("1200/0000/0333"))  # no placeholder of its shape, even size: no centring


def test_move_template():
    assert same(P.move_template(G("12000/30000/00055/00050/00000")), "00000/00000/00012/00030/00000")


def test_paint_cells():
    grid = G("10500/00500/55555/00501/00500")  # 2x2 cells between the 5 lines
    assert same(P.paint_cells(grid, G("20/03")), "22500/22500/55555/00533/00533")
    assert same(P.paint_cells(grid, P.cell_colors(grid)), "11500/11500/55555/00511/00511")
    with pytest.raises(Refused):
        P.paint_cells(grid, G("123"))  # three pixels for two columns of cells


def test_downscale_majority():
    assert same(P.downscale_majority(G("1120/1112/0003/0000"), 2), "12/00")
    assert same(P.downscale_majority(G("12/21"), 2), "1")  # a tie goes to the smaller colour
    with pytest.raises(Refused):
        P.downscale_majority(G("112/112"), 2)


def test_fill_color_boxes():
    assert same(P.fill_color_boxes(G("10000/00002/00100/02000")), "11100/11122/11122/02222")
    with pytest.raises(Refused):
        P.fill_color_boxes(G("00/00"))


def test_repeating_tile():
    assert same(P.repeating_tile(G("12312/45645")), "123/456")
    assert same(P.repeating_tile(G("12/12/12")), "12")
    with pytest.raises(Refused):
        P.repeating_tile(G("12/34"))


# ---------------------------------------------------------------- gravity

FALL = G("10/02/30/00")


def test_gravity_down():
    assert same(P.gravity_down(FALL), "00/00/10/32")


def test_gravity_up():
    assert same(P.gravity_up(FALL), "12/30/00/00")


def test_gravity_left():
    assert same(P.gravity_left(G("010/203")), "100/230")


def test_gravity_right():
    assert same(P.gravity_right(G("010/203")), "001/023")


# ---------------------------------------------------------------- objects

# a 3-cell L of 1 and 2, a 1-cell 3 touching it only diagonally, a 2-cell 5
OBJ = G("12000/01000/00300/00000/55000")


def test_largest_object():
    assert same(P.largest_object(OBJ, 4), "12/01")
    assert same(P.largest_object(OBJ, 8), "120/010/003")


def test_smallest_object():
    assert same(P.smallest_object(OBJ, 4), "3")
    assert same(P.smallest_object(OBJ, 8), "55")
    with pytest.raises(Refused):
        P.smallest_object(G("1010"), 4)  # a tie


def test_largest_monochrome_object():
    assert same(P.largest_monochrome_object(G("1100/0100/0022"), 4), "11/01")
    touching = G("1122/1100")  # one multicolour object, two monochrome ones
    assert same(P.largest_monochrome_object(touching, 4), "11/11")
    assert same(P.largest_object(touching, 4), "1122/1100")
    with pytest.raises(Refused):
        P.largest_monochrome_object(G("00/00"), 4)


def test_smallest_monochrome_object():
    assert same(P.smallest_monochrome_object(G("1100/1100/0022/0002"), 4), "22/02")
    assert same(P.smallest_monochrome_object(G("1112/1100"), 4), "2")


def test_keep_largest_object():
    assert same(P.keep_largest_object(OBJ, 8), "12000/01000/00300/00000/00000")


def test_remove_largest_object():
    assert same(P.remove_largest_object(OBJ, 8), "00000/00000/00000/00000/55000")


def test_keep_smallest_object():
    assert same(P.keep_smallest_object(OBJ, 4), "00000/00000/00300/00000/00000")


def test_remove_smallest_object():
    assert same(P.remove_smallest_object(OBJ, 4), "12000/01000/00000/00000/55000")


def test_recolor_largest_object():
    assert same(P.recolor_largest_object(OBJ, 9), "99000/09000/00900/00000/55000")


def test_recolor_smallest_object():
    assert same(P.recolor_smallest_object(OBJ, 9), "12000/01000/00300/00000/99000")


def test_object_of_color():
    assert same(P.object_of_color(OBJ, 2), "120/010/003")
    with pytest.raises(Refused):
        P.object_of_color(OBJ, 7)


def test_unique_color_object():
    g = G("11000/10022/00002/33000/03000")
    assert same(P.unique_color_object(G("11022/00002/11000/10000")), "22/02")
    with pytest.raises(Refused):
        P.unique_color_object(g)  # every object has a colour of its own


def test_most_common_object():
    g = G("10102/00002/10000")
    assert same(P.most_common_object(g), "1")


def test_least_common_object():
    g = G("10102/00002/10000")
    assert same(P.least_common_object(g), "2/2")


def test_remove_border_objects():
    g = G("10000/00200/02300/00000/00004")
    assert same(P.remove_border_objects(g), "00000/00200/02300/00000/00000")
    assert same(P.remove_border_objects(G("100/020/003")), "000/000/000")  # one diagonal object


def test_denoise():
    assert same(P.denoise(G("1000/0022/3000")), "0000/0022/0000")


def test_hollow_objects():
    assert same(P.hollow_objects(G("11100/11110/11100")), "11100/10010/11100")


# ---------------------------------------------------------------- regions


RING = G("11100/10100/11102")


def test_fill_enclosed():
    assert same(P.fill_enclosed(RING, 4), "11100/14100/11102")
    assert same(P.fill_enclosed(G("110/100/110"), 4), "110/100/110")  # open to the border


def test_fill_outside():
    assert same(P.fill_outside(RING, 4), "11144/10144/11142")


def test_fill_object_boxes():
    assert same(P.fill_object_boxes(G("1000/0100/0003"), 5), "1500/5100/0003")


def test_keep_enclosed():
    assert same(P.keep_enclosed(RING, 4), "00000/04000/00000")


# ---------------------------------------------------------------- split


def test_left_half():
    assert same(P.left_half(G("12534")), "12")
    assert same(P.left_half(G("1234")), "12")
    with pytest.raises(Refused):
        P.left_half(G("1/2"))


def test_right_half():
    assert same(P.right_half(G("12534")), "34")


def test_top_half():
    assert same(P.top_half(G("1/2/5/3/4")), "1/2")


def test_bottom_half():
    assert same(P.bottom_half(G("1/2/5/3/4")), "3/4")


SEP = G("10501/00500/55555/02500/00520")  # four 2x2 cells between colour-5 lines


def test_overlay_cells():
    assert same(P.overlay_cells(SEP), "12/20")
    with pytest.raises(Refused):
        P.overlay_cells(A)  # no separators


def test_densest_cell():
    assert same(P.densest_cell(G("11500/10500/55555/00502/00500")), "11/10")


def test_sparsest_cell():
    assert same(P.sparsest_cell(G("11511/10511/55555/00511/00511")), "00/00")


def test_odd_cell():
    assert same(P.odd_cell(G("10510510/00500520")), "10/20")
    with pytest.raises(Refused):
        P.odd_cell(G("10502/00500"))  # only two cells


# ---------------------------------------------------------------- combine

L, R = G("110/100"), G("011/001")


def test_cell_and():
    assert same(P.cell_and(L, R, 3), "030/000")
    with pytest.raises(Refused):
        P.cell_and(L, G("1"), 3)


def test_cell_or():
    assert same(P.cell_or(L, R, 3), "333/303")


def test_cell_xor():
    assert same(P.cell_xor(L, R, 3), "303/303")


def test_cell_nor():
    assert same(P.cell_nor(L, R, 3), "000/030")


def test_cell_diff():
    assert same(P.cell_diff(L, R, 3), "300/300")


def test_mask_with():
    assert same(P.mask_with(G("123/456"), G("101/010")), "103/050")
    with pytest.raises(Refused):
        P.mask_with(A, G("1"))


def test_overlay():
    assert same(P.overlay(G("110/100"), G("020/002")), "120/102")


# ---------------------------------------------------------------- symmetry


def test_complete_symmetry_lr():
    assert same(P.complete_symmetry_lr(G("120/300")), "121/303")


def test_complete_symmetry_ud():
    assert same(P.complete_symmetry_ud(G("12/30/00")), "12/30/12")


def test_complete_symmetry_rot():
    assert same(P.complete_symmetry_rot(G("120/000/000")), "120/000/021")


def test_complete_symmetry_diag():
    assert same(P.complete_symmetry_diag(G("12/00")), "12/20")
    with pytest.raises(Refused):
        P.complete_symmetry_diag(A)


def test_complete_pattern():
    holed = G("121212/212121/120012/212121")
    assert same(P.complete_pattern(holed), "121212/212121/121212/212121")
    with pytest.raises(Refused):
        P.complete_pattern(G("100/000/000"))  # too sparse: any tile would fit
    with pytest.raises(Refused):
        P.complete_pattern(G("123/456/789"))  # no tile repeats


def test_complete_symmetry_all():
    assert same(P.complete_symmetry_all(G("100/000/000")), "101/000/101")


# ---------------------------------------------------------------- lines


def test_extend_lines_right():
    assert same(P.extend_lines_right(G("0100/0030")), "0111/0033")


def test_extend_lines_left():
    assert same(P.extend_lines_left(G("0100/0030")), "1100/3330")


def test_extend_lines_down():
    assert same(P.extend_lines_down(G("10/00/02")), "10/10/12")


def test_extend_lines_up():
    assert same(P.extend_lines_up(G("10/00/02")), "12/02/02")


def test_connect_pixels_h():
    assert same(P.connect_pixels_h(G("10010/20030")), "11110/20030")


def test_connect_pixels_v():
    assert same(P.connect_pixels_v(G("12/00/13")), "12/10/13")


def test_draw_border():
    assert same(P.draw_border(G("000/010/000/000"), 2), "222/212/202/222")


def test_outline_objects():
    assert same(P.outline_objects(G("0000/0100/0000"), 4), "4440/4140/4440")


def test_extend_diagonals():
    # rays from 1 (top left) and 2 (bottom right); where they meet the nearer source wins
    got = P.extend_diagonals(G("000000/010000/000000/000020/000000"))
    assert same(got, "121000/012000/101202/000120/000212")


def test_draw_crosshairs():
    assert same(P.draw_crosshairs(G("000/010/000")), "010/111/010")


# ---------------------------------------------------------------- session 2: cells, repair, contact


def test_underlay_cells():
    assert same(P.underlay_cells(SEP), "11/20")  # overlay_cells gives "12/20": the last cell wins there
    assert same(P.underlay_cells(G("12503/34560")), "12/34")
    assert same(P.overlay_cells(G("12503/34560")), "13/64")
    with pytest.raises(Refused):
        P.underlay_cells(A)


def test_separator_lines_keep_the_commonest_colour():
    # column 0 is all 1 inside a cell; the colour-5 lines are the separators
    assert same(P.underlay_cells(G("10510/10501/55555/10510/10500")), "10/11")


def test_cell_colors():
    assert same(P.cell_colors(G("11500/10503/55555/00522/00522")), "13/02")
    assert same(P.cell_colors(G("110/000/033")), "1/3")  # blank lines separate when no coloured line does
    with pytest.raises(Refused):
        P.cell_colors(G("12/34"))  # one cell


def test_cell_counts():
    assert same(P.cell_counts(G("11500/10503/55555/00522/00522")), "31/04")
    with pytest.raises(Refused):
        P.cell_counts(G("11111/11111/00000/22222"))  # ten coloured cells in one cell


SYMMETRIC = G("1232/4565/1232/7868")  # symmetric left-right about the axis through column 2


def test_repair_masked():
    holed = SYMMETRIC.copy()
    holed[1, 3] = holed[2, 3] = 0
    assert (P.repair_masked(holed, 0) == SYMMETRIC).all()
    periodic = G("121212/343434/121212/343434")
    periodic[2, 2:4] = 5
    assert same(P.repair_masked(periodic, 5), "121212/343434/121212/343434")
    quarter = G("123/456/789")  # a pinwheel: symmetric under quarter turns only
    pinwheel = np.block([[quarter, np.rot90(quarter, -1)], [np.rot90(quarter, 1), np.rot90(quarter, 2)]])
    holed = pinwheel.copy()
    holed[:2, :2] = 0
    assert (P.repair_masked(holed, 0) == pinwheel).all()
    with pytest.raises(Refused):
        P.repair_masked(SYMMETRIC, 0)  # no mask
    with pytest.raises(Refused):
        P.repair_masked(G("1234/5678/9123/4560"), 0)  # neither symmetric nor periodic


def test_masked_patch():
    holed = SYMMETRIC.copy()
    holed[1:3, 3] = 0
    assert same(P.masked_patch(holed, 0), "5/2")


def test_object_with_most():
    grid = G("12100/11000/00011/00212/00211")
    assert same(P.object_with_most(grid, 2), "011/212/211")
    with pytest.raises(Refused):
        P.object_with_most(G("12000/00021"), 2)  # a tie
    with pytest.raises(Refused):
        P.object_with_most(grid, 3)


def test_move_to_contact():
    assert same(P.move_to_contact(G("0200/0000/0000/0880"), 8), "0000/0000/0200/0880")
    assert same(P.move_to_contact(G("80003/00000"), 8), "83000/00000")
    assert same(P.move_to_contact(G("020/000/000/888/000/000/040"), 8), "000/000/020/888/040/000/000")
    assert same(P.move_to_contact(G("200/000/008"), 8), "000/020/008")  # diagonal to the anchor
    with pytest.raises(Refused):
        P.move_to_contact(G("280/000/000"), 8)  # already touching: nothing moves
    with pytest.raises(Refused):
        P.move_to_contact(G("200/000/000"), 8)  # no anchor


def test_extend_to_contact():
    # 4 and 5 are in line with the 3s and draw towards them; 2 is diagonal to them and stays
    assert same(P.extend_to_contact(G("2004/0000/5033"), 3), "2004/0004/5533")
    with pytest.raises(Refused):
        P.extend_to_contact(G("2000/0000/0033"), 3)  # nothing in line


def test_fill_blank_lines():
    assert same(P.fill_blank_lines(G("101/000/100"), 2), "121/222/120")
    with pytest.raises(Refused):
        P.fill_blank_lines(G("11/11"), 2)


def test_recolor_holed_objects():
    grid = G("11100/10100/11100/00000/00022")
    assert same(P.recolor_holed_objects(grid, 3), "33300/30300/33300/00000/00022")
    with pytest.raises(Refused):
        P.recolor_holed_objects(G("110/000/022"), 3)


def test_count_colors():
    assert P.count_colors(G("120/034")) == 4
    assert P.count_colors(G("11/01")) == 1
    with pytest.raises(Refused):
        P.count_colors(G("00/00"))


def test_rank_colors():
    # 5 is commonest -> 0, then 3 -> 1, then 0 -> 2; absent 1 and 2 take the values 5 and 3 freed
    assert same(P.rank_colors(G("553/530")), "001/012")
    assert same(P.rank_colors(G("22/21")), "00/01")  # 1 and 2 swap; 0 is absent and takes 2


def test_unrank_colors():
    ref = G("553/530")
    assert same(P.unrank_colors(P.rank_colors(ref), ref), "553/530")
    assert same(P.unrank_colors(G("44/12"), ref), "44/30")  # ranks 1, 2 are ref's 3 and 0; 4 stays


def test_unique_shape_object():
    grid = G("1102200/1002000/0000000/3300440/0000400")  # an L of 1s, of 2s, of 4s; one bar of 3s
    assert same(P.unique_shape_object(grid), "33")
    with pytest.raises(Refused):
        P.unique_shape_object(G("1100/0000/0022"))  # two objects


def test_color_histogram():
    assert same(P.color_histogram(G("221/231/111")), "123/120/120/100/100")
    with pytest.raises(Refused):
        P.color_histogram(G("00/00"))


def test_continue_pattern():
    assert same(P.continue_pattern(G("0000000/1201200")), "0000000/1201201")
    assert same(P.continue_pattern(G("12/21/12/21/00/00")), "12/21/12/21/12/21")  # downwards
    with pytest.raises(Refused):
        P.continue_pattern(G("1234/0000"))  # no period
    with pytest.raises(Refused):
        P.continue_pattern(G("1212/2121"))  # no blank margin


def test_recolor_objects_by():
    grid = G("1100/0012/3000")
    # 8-connected multicolour objects by size: the 1-cell one becomes 5, the 4-cell one 7
    assert same(P.recolor_objects_by(grid, "8m.size:1>5,4>7"), "7700/0077/5000")
    # 4-connected, the diagonal step splits that object in two; unlisted sizes keep their colours
    assert same(P.recolor_objects_by(grid, "4m.size:1>9"), "1100/0012/9000")
    # background regions: the largest (5 cells) becomes 4, the other keeps its 0s
    assert same(P.recolor_objects_by(grid, "4b.extreme:1>4"), "1100/4412/3444")
    assert same(P.recolor_objects_by(G("111/101/111/000/220"), "8s.hole:1>6,0>0"), "666/606/666/000/000")
    # comparisons: 1 where the property equals (or exceeds) the number, else 0
    assert same(P.recolor_objects_by(grid, "8m.size=4:1>6,0>8"), "6600/0066/8000")
    assert same(P.recolor_objects_by(grid, "4m.size>1:1>6"), "6600/0066/3000")
    # only the objects of the colours after @ take part: the 3 keeps its colour
    assert same(P.recolor_objects_by(G("1100/0000/3000"), "8s@1.size:1>5,2>7"), "7700/0000/3000")
    assert_refuses(
        P.recolor_objects_by,
        grid,
        (
            "8m.size",
            "9m.size:1>2",
            "8m.girth:1>2",
            "8m.size:1>2,1>3",
            "8m.size:x>2",
            "8m.size:1>22",
            "8s@.size:1>2",
        ),
    )


def test_pick_object_by():
    grid = G("1100/0002/3302/0000/4440")
    assert same(P.pick_object_by(grid, "8m.c.size=max"), "444")
    assert same(P.pick_object_by(grid, "4s.c.color=2"), "2/2")
    # the box mode keeps whatever else lies inside the object's box
    assert same(P.pick_object_by(G("2220/2120/2220"), "4s.x.color=2"), "222/212/222")
    assert same(P.pick_object_by(G("2220/2120/2220"), "4s.c.color=2"), "222/202/222")
    # the inside mode: what the object's box holds within its rim (a frame's contents)
    assert same(P.pick_object_by(G("22220/21320/22220"), "4s.i.color=2"), "13")
    with pytest.raises(Refused):
        P.pick_object_by(grid, "8m.i.size=max")  # a 1x3 box has no inside
    # the odd one: the only object whose value no other shares (needs three objects)
    assert same(P.pick_object_by(G("10101/00000/20303"), "8s.c.color=odd"), "2")
    with pytest.raises(Refused):
        P.pick_object_by(grid, "8m.c.size=min")  # three objects of two cells tie
    assert_refuses(
        P.pick_object_by,
        grid,
        ("8m.size=max", "4b.c.size=max", "8m.q.size=max", "8m.c.size=big", "8m.c.size"),
    )


def test_apply_local_rule_set_keys_and_sections():
    grid = G("000/010/002")
    # `s`: own colour, colours among the edge neighbours, among the corner neighbours
    assert same(P.apply_local_rule(grid, "s:0-01-0>5"), "050/510/002")
    assert same(P.apply_local_rule(grid, "s:0-0-1>7"), "707/010/702")
    # `s8`: own colour and the colours among all eight neighbours; `rc`: row and column colour sets
    assert same(P.apply_local_rule(grid, "s8:0-012>3"), "000/013/032")
    assert same(P.apply_local_rule(grid, "rc:0-01-0>4,0-0-01>6"), "060/410/002")
    # sections: the first that lists a cell's neighbourhood decides it, even to keep its colour
    assert same(P.apply_local_rule(grid, "s:0-012-0>5"), "000/015/052")
    assert same(P.apply_local_rule(grid, "s8:0-012>0;s:0-012-0>5,0-01-0>8"), "080/810/002")
    # `pRC` / `qRC`: own colour and position modulo the periods, from the top-left / bottom-right
    assert same(P.apply_local_rule(G("0000/0000"), "p12:0-0-1>4"), "0404/0404")
    assert same(P.apply_local_rule(G("00000/00000"), "q21:0-0-0>3"), "00000/33333")
    assert_refuses(
        P.apply_local_rule,
        grid,
        (
            "s:0-1>5",
            "s:00-1-2>5",
            "s:0-x-2>5",
            "rc:0-1>2",
            "s:0-1-2>5;q:0>1",
            "p12:0-1-0>2",
            "p12:0-0>2",
        ),
    )


def test_lookup_grid():
    table = "ncolors:1>55/00;2>50/05"
    assert same(P.lookup_grid(G("110/010"), table), "55/00")
    assert same(P.lookup_grid(G("120/000"), table), "50/05")
    assert same(P.lookup_grid(G("120/300"), "color:1>7;2>8;3>9"), "7")  # ties: the smaller colour
    assert same(P.lookup_grid(G("101/000/011"), "objects:3>4/4"), "4/4")
    assert same(P.lookup_grid(G("101/000/011"), "cells:4>1"), "1")
    assert same(P.lookup_grid(G("101/000/022"), "colorset:6>3"), "3")  # colours 1 and 2: bits 2 + 4
    assert same(P.lookup_grid(G("121/030"), "mirrored:0>7;1>1"), "1")
    assert same(P.lookup_grid(G("120/030"), "mirrored:0>7;1>1"), "7")
    ring = GRID_PROPERTIES["mask"](G("111/101/111"))
    assert same(P.lookup_grid(G("222/202/222"), f"mask:{ring}>5"), "5")  # the pattern, colours aside
    with pytest.raises(Refused):
        P.lookup_grid(G("222/222/222"), f"mask:{ring}>5")
    with pytest.raises(Refused):
        P.lookup_grid(G("123/000"), table)  # three colours: not in the table
    assert_refuses(
        P.lookup_grid, A, ("ncolors", "size:1>1", "ncolors:1>12/3", "ncolors:x>1", "ncolors:1>1;1>2")
    )


def test_recolor_cells_by():
    g = np.array([[0, 1, 5, 0, 0], [0, 0, 5, 2, 2], [5, 5, 5, 5, 5], [0, 0, 5, 3, 0], [0, 0, 5, 0, 0]])
    g = g.astype(np.uint8)  # four 2x2 cells between lines of 5
    out = P.recolor_cells_by(g, "place:tl>f,br>7")  # top-left takes its own colour, bottom-right 7
    assert out[:2, :2].tolist() == [[1, 1], [1, 1]] and out[3:, 3:].tolist() == [[7, 7], [7, 7]]
    assert np.array_equal(out[:2, 3:], g[:2, 3:]) and np.array_equal(out[2], g[2])
    full = P.recolor_cells_by(g, "full:1>f,0>0")  # the fullest cell (two 2s) filled, others cleared
    assert full[:2, 3:].tolist() == [[2, 2], [2, 2]] and not full[:2, :2].any() and not full[3:, 3:].any()
    assert_refuses(P.recolor_cells_by, g, ["size:1>2", "place:", "place:tl>12", "place:tl>1,tl>2"])
    with pytest.raises(Refused):
        P.recolor_cells_by(np.ones((3, 3), dtype=np.uint8), "place:tl>2")  # no separators, one cell


def test_recolor_by_features():
    g = G("2000/0000/0300")
    out = P.recolor_by_features(g, "c.rl:0-2>4")  # background right of a 2 becomes 4, the rest kept
    assert same(out, "2444/0000/0300")
    assert same(P.recolor_by_features(g, "orank:0>5,1>="), "5000/0000/0500")  # ties: both largest
    assert_refuses(P.recolor_by_features, g, ["c.rl", "c.rl:0>4", "nope:1>2", "c:0>a"])


# ---------------------------------------------------------------- session 11: diagonals, floods, listings


def test_connect_pixels_diag():
    # 1s face along the main diagonal, 2s along the anti-diagonal; the lone 3 has no partner
    got = P.connect_pixels_diag(G("1002/0000/0003/2001"))
    assert same(got, "1002/0120/0213/2001")


def test_extend_diagonal_tips():
    # the pixel off the square's corner grows a tail away from the square; the square itself does not
    got = P.extend_diagonal_tips(G("00000/03300/03300/00030/00000/00000"))
    assert same(got, "00000/03300/03300/00030/00003/00000")
    # a ray stops at the first non-background cell
    assert same(P.extend_diagonal_tips(G("1000/0100/0000/0002")), "1000/0100/0010/0002")


def test_flood_from():
    # every background region the 2 touches floods, across the grid
    got = P.flood_from(G("0010/2010/0011/0000"), 2)
    assert same(got, "2210/2210/2211/2222")
    assert same(P.flood_from(G("0010/1110/2000/0001"), 2), "0012/1112/2222/2221")  # top left walled off
    with pytest.raises(Refused):
        P.flood_from(G("01/00"), 0)


def test_colors_by_count():
    assert same(P.colors_by_count(G("3301/0300/2200")), "3/2/1")
    assert same(P.colors_by_count(G("21/00")), "2/1")  # a tie goes to the colour met first
    with pytest.raises(Refused):
        P.colors_by_count(G("00/00"))


def test_colors_in_order():
    assert same(P.colors_in_order(G("4422/4422/4288")), "428")  # side by side: a row
    assert same(P.colors_in_order(G("222/585/555")), "2/8/5")  # stacked bands: a column


def test_majority_stripes():
    assert same(P.majority_stripes(G("1131/2222/3303")), "1111/2222/3333")  # horizontal bands
    assert same(P.majority_stripes(G("123/123/153/123")), "123/123/123/123")  # vertical bands


def test_recolor_from_aligned():
    # each 5 takes the nearest other colour in its row (the 1) or column (the 3); the 5 with none in
    # line keeps 5
    got = P.recolor_from_aligned(G("10050/00005/00003/05000"), 5)
    assert same(got, "10010/00003/00003/05000")
    with pytest.raises(Refused):
        P.recolor_from_aligned(G("12/00"), 5)  # nothing of colour 5


def test_recolor_objects_from_aligned():
    # the block takes the colour over one of its columns whole; per cell, its left column stays 5
    grid = G("0020/0000/0550/0550")
    assert same(P.recolor_objects_from_aligned(grid, 5), "0020/0000/0220/0220")
    assert same(P.recolor_from_aligned(grid, 5), "0020/0000/0520/0520")


def test_fill_periodic_stripes():
    # anti-diagonal stripes 1, 2, 3 repeating every 3 cells, each shown once
    assert same(P.fill_periodic_stripes(G("1230/0000/0000/0000")), "1231/2312/3123/1231")
    with pytest.raises(Refused):
        P.fill_periodic_stripes(G("123/312/000"))  # no period up to 2 shows one colour per class


# ---------------------------------------------------------------- session 12: symmetry, bands, boxes
# (centred symmetries, bands, projections, pin-holes, boxes, pointers, scaled templates)


def test_complete_rotation_symmetry():
    # the 2x2 block is quarter-turn symmetric about its own centre, off the grid's middle; the 3 beside
    # it is copied to the three turned places about that centre
    got = P.complete_rotation_symmetry(G("00000/03000/00110/00110/00000"))
    assert same(got, "00000/03003/00110/00110/03003")
    with pytest.raises(Refused):
        P.complete_rotation_symmetry(G("000/010/000"))  # one cell: nothing to complete


def test_complete_mirror_symmetry():
    # the 4-cross is whole about its centre (2, 2); the 2 up-left of it is mirrored both ways
    got = P.complete_mirror_symmetry(G("200000/004000/044400/004000/000000"))
    assert same(got, "200020/004000/044400/004000/200020")
    with pytest.raises(Refused):
        P.complete_mirror_symmetry(G("12/00"))  # no two cells of one colour


def test_repeat_band():
    # the band of rows 1-2 repeats with period 2, in step with where it stands
    assert same(P.repeat_band(G("000/121/333/000/000")), "333/121/333/121/333")
    # every row holds something: the band of columns repeats left and right instead
    assert same(P.repeat_band(G("0100/0200")), "1111/2222")
    with pytest.raises(Refused):
        P.repeat_band(G("12/34"))  # no blank line to repeat over


def test_pile_onto_band():
    # a band of 5 across the rows: cells above fall onto it, cells below rise to it, stacking
    got = P.pile_onto_band(G("20/03/00/55/00/02"), 5)
    assert same(got, "00/00/23/55/02/00")
    with pytest.raises(Refused):
        P.pile_onto_band(G("50/02"), 5)  # the 5 crosses the grid neither way


def test_recolor_facing():
    # the 6 faces the block's left edge, the 7 its top: only the first block cell each reaches changes
    got = P.recolor_facing(G("0007/0000/6088/0088"), 8)
    assert same(got, "0007/0000/6067/0088")
    with pytest.raises(Refused):
        P.recolor_facing(G("0000/0088/0088"), 8)  # nothing faces the block


def test_cut_at_holes():
    # a hole in a wide band cuts it top to bottom; one in a tall band cuts it across
    assert same(P.cut_at_holes(G("1111/1011/1111/2222")), "1011/1011/1011/2222")
    assert same(P.cut_at_holes(G("33/30/33")), "33/00/33")
    with pytest.raises(Refused):
        P.cut_at_holes(G("100/000"))  # background around objects, no pin-holes


def test_recolor_in_box():
    # the 1s inside the box of the 8s become 3; the 1 outside stays
    got = P.recolor_in_box(G("18080/01810/08080"), 8, 3)
    assert same(got, "18080/03830/08080")
    with pytest.raises(Refused):
        P.recolor_in_box(G("10/08"), 8, 3)  # nothing else inside the box


def test_center_in_box():
    # the 2-piece moves to the middle of the box the 3 corners span
    got = P.center_in_box(G("30003/22200/00000/00000/30003"), 3)
    assert same(got, "30003/00000/02220/00000/30003")
    with pytest.raises(Refused):
        P.center_in_box(G("303/220/303"), 3)  # an odd margin: no middle


def test_paint_columns_of_cells():
    assert same(P.paint_columns_of_cells(G("200/000/002"), 8), "208/808/802")
    with pytest.raises(Refused):
        P.paint_columns_of_cells(G("00/00"), 8)


def test_shoot_from_marks():
    # the 1 marks the wedge's base; it shoots through the wedge and on to the edge
    got = P.shoot_from_marks(G("2000000/1220000/2000000"))
    assert same(got, "2000000/1221111/2000000")
    with pytest.raises(Refused):
        P.shoot_from_marks(G("200/220/000"))  # no marked object


def test_stamp_scaled_template():
    # the template 3-with-a-2 drawn twice as large around the 2x2 block of 2s, which marks where it goes
    got = P.stamp_scaled_template(G("320000/000000/000220/000220"))
    assert same(got, "320000/000000/033220/033220")
    with pytest.raises(Refused):
        P.stamp_scaled_template(G("320/000/001"))  # the template's colours recur nowhere


# ---------------------------------------------------------------- session 12: colour lines, holes, rings


def test_draw_rows_of():
    # the 1's row fills over background only; the 2 in it stays
    assert same(P.draw_rows_of(G("000/102/030"), 1), "000/112/030")
    with pytest.raises(Refused):
        P.draw_rows_of(G("12/00"), 3)  # nothing of colour 3


def test_draw_columns_of():
    assert same(P.draw_columns_of(G("000/102/030"), 3), "030/132/030")
    with pytest.raises(Refused):
        P.draw_columns_of(G("12/00"), 0)  # the background draws nothing


def test_shoot_diagonal():
    # the block's top-left corner shoots up-left; its other cells are not outer corners that way
    got = P.shoot_diagonal(G("0000/0000/0011/0011"), 1, 1)
    assert same(got, "1000/0100/0011/0011")
    # down-right from a lone cell, stopping at the 2
    assert same(P.shoot_diagonal(G("3000/0000/0020/0000"), 3, 3), "3000/0300/0020/0000")
    with pytest.raises(Refused):
        P.shoot_diagonal(G("30/00"), 3, 5)  # no fifth diagonal


def test_join_edge_markers():
    # the 2s face across the rows, the 1s across the columns; the 4 also stands inside, so it is noise
    got = P.join_edge_markers(G("0104/2002/0400/0104"))
    assert same(got, "0100/2222/0100/0100")
    with pytest.raises(Refused):
        P.join_edge_markers(G("100/000/002"))  # nothing faces a partner


def test_fill_framed_lines():
    # inside the frame, the second row and the third column are blank
    got = P.fill_framed_lines(G("11111/10004/12014/11114"), 3)
    assert same(got, "11111/13334/12314/11114")
    with pytest.raises(Refused):
        P.fill_framed_lines(G("111/121/111"), 3)  # no blank line inside


def test_fill_square_holes():
    # the 2x2 hole fills; the 1x2 hole and the open background do not
    got = P.fill_square_holes(G("0000000/5555555/5005005/5005555/5555000"), 2)
    assert same(got, "0000000/5555555/5225005/5225555/5555000")
    with pytest.raises(Refused):
        P.fill_square_holes(G("505/000"), 10)  # not a colour


def test_reverse_rings():
    assert same(P.reverse_rings(G("2222/2112/2112/2222")), "1111/1221/1221/1111")
    assert same(P.reverse_rings(G("333/373/333")), "777/737/777")
    with pytest.raises(Refused):
        P.reverse_rings(G("2222/2132/2112/2222"))  # the inner ring is not one colour


def test_sort_rows_by_count():
    assert same(P.sort_rows_by_count(G("111/001/000/011")), "000/001/011/111")
    with pytest.raises(Refused):
        P.sort_rows_by_count(G("000/010/110"))  # already in order


# ------------------------------------------------------------- session 12: lines, blanks, cells, floods
def test_pull_to_own_lines():
    # the 2 below the row of 2s rises to touch it, the 1 slides right to the column of 1s; the 3 has no
    # line of its colour and vanishes
    got = P.pull_to_own_lines(G("22220/00001/10001/02001/00300"))
    assert same(got, "22220/02001/00011/00001/00000")
    with pytest.raises(Refused):
        P.pull_to_own_lines(G("2220/0000/0000"))  # no stray cells


def test_fill_blank_squares():
    # the 2x3 blank block holds one 2x2 square taken first; the one overlapping it is skipped
    got = P.fill_blank_squares(G("1000/1001/1111"), 2, 5)
    assert same(got, "1550/1551/1111")
    with pytest.raises(Refused):
        P.fill_blank_squares(G("101/010/101"), 2, 5)  # no blank 2x2 square


def test_fill_largest_blank_rect():
    # the 2x3 blank block beats the 2x2 one; the blank 1x4 row is a strip, not a block
    got = P.fill_largest_blank_rect(G("0000/1111/0001/0001/1111/0011/0011"), 4)
    assert same(got, "0000/1111/4441/4441/1111/0011/0011")
    with pytest.raises(Refused):
        P.fill_largest_blank_rect(G("0011/0011/1100/1100"), 4)  # two 2x2 blocks tie


def test_spread_cells():
    # the one drawn cell is copied into the others across the 5 separators
    got = P.spread_cells(G("10500/02500/55555/00500/00500"))
    assert same(got, "10510/02502/55555/10510/02502")
    with pytest.raises(Refused):
        P.spread_cells(G("00500/00500/55555/00500/00500"))  # every cell blank


def test_mirror_around():
    # the 2s are mirrored into the other three corners around the 3 marker
    got = P.mirror_around(G("20000/02000/00300/00000/00000"), 3)
    assert same(got, "20002/02020/00300/02020/20002")
    with pytest.raises(Refused):
        P.mirror_around(G("200/000"), 3)  # no marker


def test_flood_alternating():
    # the 1-2 seed carries on chequered over the background left of the wall of 5s; the right stays
    got = P.flood_alternating(G("00500/12500/00500"))
    assert same(got, "21500/12500/21500")
    with pytest.raises(Refused):
        P.flood_alternating(G("0110/0000"))  # no two colours on opposite squares side by side


# ---------------------------------------------------------------- session 12: paths, clean-up, moves


def test_join_elbow():
    # along the 2's row to the 3's column, then down that column
    assert same(P.join_elbow(G("2000/0000/0003"), 2, 8), "2888/0008/0003")
    assert same(P.join_elbow(G("0003/0000/2000"), 2, 8), "0003/0008/2888")  # up to a cell above
    with pytest.raises(Refused):
        P.join_elbow(G("2003/0003"), 2, 8)  # two other cells: which to join is unclear


def test_join_halfway_h():
    # each end fills its half; the odd middle cell gets 5; the 1s in the bottom row are one colour
    assert same(P.join_halfway_h(G("100002/300004/100010"), 5), "111222/333444/100010")
    assert same(P.join_halfway_h(G("1000002"), 5), "1115222")
    with pytest.raises(Refused):
        P.join_halfway_h(G("101/000"), 5)  # no facing cells of two colours


def test_join_halfway_v():
    assert same(P.join_halfway_v(G("13/00/00/24"), 5), "13/13/24/24")
    with pytest.raises(Refused):
        P.join_halfway_v(G("12/00"), 5)


def test_mark_midpoints():
    # the row pair has a middle cell, the column pair (an even gap) has none
    assert same(P.mark_midpoints(G("10001/00002/00000/00000/00002"), 3), "10301/00002/00000/00000/00002")
    with pytest.raises(Refused):
        P.mark_midpoints(G("1001/0000"), 3)


def test_clean_noise():
    # a 4 inside the block takes the block's colour; a tie between 5 and 0 goes to 5; a 4 in the open
    # becomes background
    got = P.clean_noise(G("5540/5450/5550/0004"), 4)
    assert same(got, "5550/5550/5550/0000")
    with pytest.raises(Refused):
        P.clean_noise(G("55/00"), 4)


def test_complete_dashed_lines():
    # rows and columns of the box more than half filled get their gaps painted; the sparse middle row
    # and column stay
    got = P.complete_dashed_lines(G("00000/01101/01000/00001/01011"), 2)
    assert same(got, "00000/01121/01002/02001/01211")
    with pytest.raises(Refused):
        P.complete_dashed_lines(G("100/000/001"), 2)


def test_fill_and_spill():
    # the box fills with 8, which runs out through the gap at the bottom to the edge
    got = P.fill_and_spill(G("11111/10001/10001/11011/00000/00000"), 8)
    assert same(got, "11111/18881/18881/11811/00800/00800")
    with pytest.raises(Refused):
        P.fill_and_spill(G("11000/11000/00000"), 8)  # no box with an inside


def test_repeat_runs():
    # the run 23 repeats along its row in step; the column through the 3 holds a run 3,4 and repeats
    got = P.repeat_runs(G("00000/00230/00040/00000"))
    assert same(got, "00040/23232/00040/00030")
    with pytest.raises(Refused):
        P.repeat_runs(G("101/000"))  # no run of two or more


def test_gather_to():
    # the 3s in line with the 2 come beside it; the 1 is blocked from view by the lower 3
    got = P.gather_to(G("00300/00000/30200/00000/00000/00300/00100"), 2)
    assert same(got, "00000/00300/03200/00300/00000/00000/00100")
    with pytest.raises(Refused):
        P.gather_to(G("0300/0000/0020"), 2)  # the 3 is diagonal to the 2, not in line


def test_bounce_up():
    # from the bottom-left corner up and to the right, bouncing off the right edge; the 2 stays
    assert same(P.bounce_up(G("000/000/020/000/100")), "100/010/021/010/100")
    with pytest.raises(Refused):
        P.bounce_up(G("100/000"))  # nothing in the bottom row


# ---------------------------------------------------------------- session 12 (h5): summaries, folds, growth


def test_largest_object_bars():
    # the two 3-cell objects (1 on the left, 2 on the right) become bars of height 3; the lone 4 drops
    got = P.largest_object_bars(G("10022/10002/10400"), 4)
    assert same(got, "12/12/12")
    with pytest.raises(Refused):
        P.largest_object_bars(G("1/0/2"), 4)  # the two largest start in the same column
    with pytest.raises(Refused):
        P.largest_object_bars(G("000/000"), 4)  # no object


def test_count_diagonal():
    # three 8-objects -> a 3x3 diagonal of 8
    assert same(P.count_diagonal(G("80800/00008"), 4), "800/080/008")
    with pytest.raises(Refused):
        P.count_diagonal(G("80300"), 4)  # two colours


def test_odd_symmetry_block():
    # three 2x2 blocks side by side; the first two are mirror symmetric left-right, the last is not
    assert same(P.odd_symmetry_block(G("113312/224434")), "12/34")
    with pytest.raises(Refused):
        P.odd_symmetry_block(G("1122/1122"))  # only two blocks


def test_stamp_halves():
    # left half the colours, right half the one-colour shape: the shape in each colour at each cell
    assert same(P.stamp_halves(G("2010/0311")), "2000/2200/0030/0033")
    with pytest.raises(Refused):
        P.stamp_halves(G("2030/0311"))  # neither half is of one colour


def test_gather_around():
    # the pieces around the two 5s gather into one 3x3 around a 5
    got = P.gather_around(G("10000/05000/00005/00003"), 5)
    assert same(got, "100/050/030")
    with pytest.raises(Refused):
        P.gather_around(G("000/050"), 5)  # one marker only


def test_extend_edges():
    assert same(P.extend_edges(G("12/34")), "0120/1122/3344/0340")
    with pytest.raises(Refused):
        P.extend_edges(np.zeros((30, 30), dtype=np.uint8))  # would be 32x32


def test_overlay_corners():
    # the four 2x2 corners of a 3x4 grid laid on each other
    assert same(P.overlay_corners(G("1003/0000/2004"), 2), "13/24")
    with pytest.raises(Refused):
        P.overlay_corners(G("12/34"), 2)  # not larger than the window


def test_continue_rows_to_square():
    # a staircase: every second row is the one two above moved one column right
    got = P.continue_rows_to_square(G("110000/010000/011000/001000"))
    assert same(got, "110000/010000/011000/001000/001100/000100")
    with pytest.raises(Refused):
        P.continue_rows_to_square(G("10/01"))  # already square


def test_paint_by_key():
    # the 2x2 key beside the separators colours the 4x4 pattern of 8s block by block
    grid = "1250000/3450000/5555555/0058800/0058800/0050088/0050088"
    assert same(P.paint_by_key(G(grid)), "1100/1100/0044/0044")
    with pytest.raises(Refused):
        P.paint_by_key(G(grid.replace("12", "00").replace("34", "00")))  # no key


def test_stencil_patch():
    # the 4x4 shape of 1s is a 2x2 stencil blown up twice: the patch 23/45 keeps its diagonal
    assert same(P.stencil_patch(G("1100000/1100023/0011045/0011000")), "20/05")
    with pytest.raises(Refused):
        P.stencil_patch(G("1100000/1000023/0011045/0011000"))  # a block of the shape is not whole


def test_reflect_down():
    assert same(P.reflect_down(G("12/34/56")), "12/34/56/34/12")
    with pytest.raises(Refused):
        P.reflect_down(G("123"))  # one row


def test_reflect_right():
    assert same(P.reflect_right(G("123/456")), "12321/45654")
    with pytest.raises(Refused):
        P.reflect_right(G("1/2"))  # one column


# ------------------------------------------------------------- session 13 (h3): rays, frames, trails, jigsaw


def test_corner_rays():
    # each corner of the 2x2 block shoots a ray of 2 away from it, up to the edge
    got = P.corner_rays(G("00000/01100/01100/00000/00000"), 2)
    assert same(got, "20020/01100/01100/20020/00002")
    with pytest.raises(Refused):
        P.corner_rays(G("11/11"), 2)  # no corner has room for a ray


def test_crop_to_lines():
    # rows of 1 and 2, columns of 3 and 4, crossing: the box they bound, lines included
    assert same(P.crop_to_lines(G("03040/13141/03540/23242/03040")), "314/354/324")
    with pytest.raises(Refused):
        P.crop_to_lines(G("00040/13141/00000"))  # one line each way


def test_fit_into_frame():
    # the 2x1 shape outside the frame of 2s, scaled to fill its 2x2 inside
    assert same(P.fit_into_frame(G("222200/200203/200204/222200")), "2222/2332/2442/2222")
    with pytest.raises(Refused):
        P.fit_into_frame(G("222000/202033/222000"))  # the 1x2 shape is larger than the inside


def test_trail_to_own_lines():
    # the stray 2 draws its trail up to the row of 2s; the 3 has no line of its own and stays
    got = P.trail_to_own_lines(G("22222/00000/00200/00000/00300"))
    assert same(got, "22222/00200/00200/00000/00300")
    with pytest.raises(Refused):
        P.trail_to_own_lines(G("11100/00000/00022"))  # no line of 2 to draw to


def test_assemble_pieces():
    # the L of 2s and the lone 3 slide together into the 2x2 square they fill
    assert same(P.assemble_pieces(G("22000/20000/00003")), "22/23")
    with pytest.raises(Refused):
        P.assemble_pieces(G("100/000/001"))  # two cells fill a 1x2 and a 2x1 alike


# ------------------------------------------------ session 13 (h4): line mirrors, dilation, marker reflections


def test_mirror_across_lines():
    # the 5 two rows above the bracket's bar (row 2) flips to two rows below it; the 5 facing no
    # line (the bracket's legs are too short) stays
    got = P.mirror_across_lines(G("05000/00000/22200/20200/00000/00005"), 5)
    assert same(got, "00000/00000/22200/20200/05000/00005")
    with pytest.raises(Refused):
        P.mirror_across_lines(G("050/000/220"), 5)  # no run of three cells to mirror in


def test_grow_color():
    # the 3 grows into a plus over background; the 1 beside it stays
    assert same(P.grow_color(G("000/130/000"), 3), "030/133/030")
    with pytest.raises(Refused):
        P.grow_color(G("000/010/000"), 3)  # no cell of colour 3


def test_reflect_to_markers():
    # the 1s' body mirrored right across its edge in the 2 beside it, and diagonally in the 3
    got = P.reflect_to_markers(G("00000/11200/01000/00300/00000"))
    assert same(got, "00000/11220/01200/00300/00330")
    with pytest.raises(Refused):
        P.reflect_to_markers(G("110/010/000"))  # no object of two colours


# ---------------------------------------------------------------- session 13 (h5): canvas


def test_embed():
    assert same(P.embed(A, "2h,2w@tl:0,0"), "120000/034000/000000/000000")
    assert same(P.embed(A, "h+1,w@br:0,0"), "000/120/034")
    assert same(P.embed(G("1100"), "1/2w,w@bl:0,0"), "0000/1100")  # half the width high
    assert same(P.embed(A, "3,5@tr:1,1"), "00000/01200/00340")
    assert same(P.embed(G("12"), "h+1,wc@tl:0,0"), "1200/0000")  # the width times its two colours
    for bad in ["h,w@tl:0,0", "h+1,w@tl:2,0", "31,w@tl:0,0", "1/2h,w@tl:0,0", "2h@tl:0,0", "2h,2w@xx:0,0"]:
        with pytest.raises(Refused):
            P.embed(G("123/456/789"), bad)  # the same size, off the canvas, too big, half a cell, malformed


def test_extend_diagonal_down_right():
    # each cell shoots down-right until the next cell, which carries on in its own colour
    assert same(P.extend_diagonal_down_right(G("1000/0000/0020/0000")), "1000/0100/0020/0002")
    assert same(P.extend_diagonal_down_right(G("30/00")), "30/03")


def test_extend_diagonal_down_left():
    assert same(P.extend_diagonal_down_left(G("0010/0000/0000")), "0010/0100/1000")


def test_extend_diagonal_up_right():
    assert same(P.extend_diagonal_up_right(G("000/000/400")), "004/040/400")


def test_extend_diagonal_up_left():
    assert same(P.extend_diagonal_up_left(G("000/050/002")), "500/050/002")


# ------------------------------------------------------------- session 14 (h1): per-object rules


def test_recolor_lower_half():
    # the lower half of the rows' non-zero cells; an odd middle row and the 0s stay
    assert same(P.recolor_lower_half(G("2/2/2/2/2"), 8), "2/2/2/8/8")
    assert same(P.recolor_lower_half(G("20/22/02/22"), 8), "20/22/08/88")
    assert same(P.recolor_lower_half(G("23"), 8), "23")  # one row has no lower half


def test_object_rules_by_stroke_sides_parity_and_holes():
    # an L (2 ends, 1 bend: 21), a U (2 ends, 2 bends: 22) and a T (3 ends, no bend: 30)
    shapes = G("1000000/1000101/1110111/0000000/1111100/0010000/0010000")
    want = "6000000/6000707/6660777/0000000/8888800/0080000/0080000"
    assert same(P.recolor_objects_by(shapes, "8s.stroke:21>6,22>7,30>8"), want)
    # the same strokes with longer arms keep their values
    assert same(P.recolor_objects_by(G("1001/1001/1111"), "8s.stroke:22>7"), "7007/7007/7777")
    # sides of the box covered whole: the L covers 2, the U 3, the T 1 (its top row)
    assert same(P.recolor_objects_by(shapes, "8s.sides:1>8,2>6,3>7"), want)
    # holes: only the background the grid's edge cannot reach, filled by the parity of its height
    frames = G("1111000/1001011/1001011/1111000")
    assert same(P.recolor_objects_by(frames, "4h.h%2:0>2,1>7"), "1111000/1221011/1221011/1111000")
    assert same(P.recolor_objects_by(G("111/101/111"), "4h.h%2:1>7"), "111/171/111")
    # the open background is a 4b region, which 4h leaves out
    assert same(P.recolor_objects_by(frames, "4b.size:8>3"), "1111333/1001311/1001311/1111333")
    for bad in ("8s.h%1:0>2", "8s.h%:0>2", "4x.size:1>2"):
        with pytest.raises(Refused):
            P.recolor_objects_by(frames, bad)
    with pytest.raises(Refused):
        P.pick_object_by(frames, "4h.c.size=max")  # holes are filled, not picked
