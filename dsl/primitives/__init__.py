"""All DSL primitives. Importing this package registers them in `dsl.registry.PRIMITIVES`.

Every primitive is also importable by name from here, so exported programs read
`from dsl.primitives import rotate_90`.
"""

from dsl.primitives.aligned import recolor_from_aligned, recolor_objects_from_aligned
from dsl.primitives.arrangements import fill_square_holes, reverse_rings, sort_rows_by_count
from dsl.primitives.attract import pull_to_own_lines
from dsl.primitives.bands import pile_onto_band, repeat_band
from dsl.primitives.blank_areas import fill_blank_squares, fill_largest_blank_rect
from dsl.primitives.block_symmetry import odd_symmetry_block
from dsl.primitives.boxes import center_in_box, recolor_in_box
from dsl.primitives.cell_copies import spread_cells
from dsl.primitives.cell_rules import recolor_cells_by
from dsl.primitives.centred_symmetry import complete_mirror_symmetry, complete_rotation_symmetry
from dsl.primitives.checker_flood import flood_alternating
from dsl.primitives.cleanup import clean_noise, complete_dashed_lines, fill_and_spill
from dsl.primitives.color import (
    color_histogram,
    count_colors,
    fill_with_majority,
    invert,
    keep_color,
    least_common_color,
    majority_stripes,
    map_colors,
    most_common_color,
    most_common_nonzero_color,
    recolor_nonzero,
    remove_color,
    replace_color,
    swap_colors,
)
from dsl.primitives.columns_of_cells import paint_columns_of_cells
from dsl.primitives.combine import (
    cell_and,
    cell_diff,
    cell_nor,
    cell_or,
    cell_xor,
    mask_with,
    overlay,
)
from dsl.primitives.compose import rank_colors, unrank_colors
from dsl.primitives.contact import extend_to_contact, move_to_contact
from dsl.primitives.corner_rays import corner_rays
from dsl.primitives.crop import (
    crop_to_color,
    crop_to_content,
    crop_window,
    dedupe_lines,
    drop_blank_lines,
    trim_border,
)
from dsl.primitives.dilation import grow_color
from dsl.primitives.edge_pad import extend_edges
from dsl.primitives.embedding import embed
from dsl.primitives.facing import recolor_facing
from dsl.primitives.feature_rules import recolor_by_features
from dsl.primitives.folding import overlay_corners
from dsl.primitives.frames import crop_to_lines, fit_into_frame
from dsl.primitives.gather import gather_around
from dsl.primitives.geometry import (
    anti_transpose,
    flip_lr,
    flip_ud,
    rotate_90,
    rotate_180,
    rotate_270,
    shift,
    transpose,
)
from dsl.primitives.gravity import (
    gravity_down,
    gravity_left,
    gravity_right,
    gravity_up,
)
from dsl.primitives.grid_tables import lookup_grid
from dsl.primitives.holes import cut_at_holes
from dsl.primitives.jigsaw import assemble_pieces
from dsl.primitives.key_cells import paint_by_key
from dsl.primitives.kronecker import stamp_halves
from dsl.primitives.line_mirrors import mirror_across_lines
from dsl.primitives.lines import (
    connect_pixels_diag,
    connect_pixels_h,
    connect_pixels_v,
    draw_border,
    draw_crosshairs,
    extend_diagonal_down_left,
    extend_diagonal_down_right,
    extend_diagonal_tips,
    extend_diagonal_up_left,
    extend_diagonal_up_right,
    extend_diagonals,
    extend_lines_down,
    extend_lines_left,
    extend_lines_right,
    extend_lines_up,
    fill_blank_lines,
    outline_objects,
)
from dsl.primitives.listing import colors_by_count, colors_in_order
from dsl.primitives.local_rules import apply_local_rule
from dsl.primitives.marked_lines import (
    draw_columns_of,
    draw_rows_of,
    fill_framed_lines,
    join_edge_markers,
    shoot_diagonal,
)
from dsl.primitives.marker_reflections import reflect_to_markers
from dsl.primitives.object_counts import count_diagonal, largest_object_bars
from dsl.primitives.object_measures import paint_size_ranks, paint_sizes
from dsl.primitives.object_rules import pick_object_by, recolor_objects_by
from dsl.primitives.objects import (
    denoise,
    hollow_objects,
    keep_largest_object,
    keep_smallest_object,
    largest_monochrome_object,
    largest_object,
    least_common_object,
    most_common_object,
    object_of_color,
    object_with_most,
    recolor_holed_objects,
    recolor_largest_object,
    recolor_smallest_object,
    remove_border_objects,
    remove_largest_object,
    remove_smallest_object,
    smallest_monochrome_object,
    smallest_object,
    unique_color_object,
    unique_shape_object,
)
from dsl.primitives.paths import (
    bounce_up,
    gather_to,
    join_elbow,
    join_halfway_h,
    join_halfway_v,
    mark_midpoints,
    repeat_runs,
)
from dsl.primitives.pattern_growth import continue_rows_to_square
from dsl.primitives.pivot import mirror_around
from dsl.primitives.pointers import shoot_from_marks
from dsl.primitives.reflect import reflect_down, reflect_right
from dsl.primitives.regions import (
    fill_color_boxes,
    fill_enclosed,
    fill_object_boxes,
    fill_outside,
    flood_from,
    keep_enclosed,
)
from dsl.primitives.repair import continue_pattern, fill_periodic_stripes, masked_patch, repair_masked
from dsl.primitives.resize import (
    downscale,
    downscale_majority,
    fractalize,
    upscale,
)
from dsl.primitives.scaled_templates import stamp_scaled_template
from dsl.primitives.split import (
    bottom_half,
    cell_colors,
    cell_counts,
    densest_cell,
    left_half,
    odd_cell,
    overlay_cells,
    paint_cells,
    recolor_lower_half,
    right_half,
    sparsest_cell,
    top_half,
    underlay_cells,
)
from dsl.primitives.stencils import stencil_patch
from dsl.primitives.symmetry import (
    complete_pattern,
    complete_symmetry_all,
    complete_symmetry_diag,
    complete_symmetry_lr,
    complete_symmetry_rot,
    complete_symmetry_ud,
)
from dsl.primitives.templates import move_template, stamp_template
from dsl.primitives.tiling import (
    mirror_tile_2x2,
    mirror_tile_lr,
    mirror_tile_ud,
    repeating_tile,
    rotate_tile_2x2,
    stamp_at_cells,
    tile,
)
from dsl.primitives.trails import trail_to_own_lines

__all__ = [
    "anti_transpose",
    "apply_local_rule",
    "assemble_pieces",
    "bottom_half",
    "bounce_up",
    "cell_and",
    "cell_colors",
    "cell_counts",
    "cell_diff",
    "cell_nor",
    "cell_or",
    "cell_xor",
    "center_in_box",
    "clean_noise",
    "color_histogram",
    "colors_by_count",
    "colors_in_order",
    "complete_dashed_lines",
    "complete_mirror_symmetry",
    "complete_pattern",
    "complete_rotation_symmetry",
    "complete_symmetry_all",
    "complete_symmetry_diag",
    "complete_symmetry_lr",
    "complete_symmetry_rot",
    "complete_symmetry_ud",
    "connect_pixels_diag",
    "connect_pixels_h",
    "connect_pixels_v",
    "continue_pattern",
    "continue_rows_to_square",
    "corner_rays",
    "count_colors",
    "count_diagonal",
    "crop_to_color",
    "crop_to_content",
    "crop_to_lines",
    "crop_window",
    "cut_at_holes",
    "dedupe_lines",
    "denoise",
    "densest_cell",
    "downscale",
    "downscale_majority",
    "draw_border",
    "draw_columns_of",
    "draw_crosshairs",
    "draw_rows_of",
    "drop_blank_lines",
    "embed",
    "extend_diagonal_down_left",
    "extend_diagonal_down_right",
    "extend_diagonal_tips",
    "extend_diagonal_up_left",
    "extend_diagonal_up_right",
    "extend_diagonals",
    "extend_edges",
    "extend_lines_down",
    "extend_lines_left",
    "extend_lines_right",
    "extend_lines_up",
    "extend_to_contact",
    "fill_and_spill",
    "fill_blank_lines",
    "fill_blank_squares",
    "fill_color_boxes",
    "fill_enclosed",
    "fill_framed_lines",
    "fill_largest_blank_rect",
    "fill_object_boxes",
    "fill_outside",
    "fill_periodic_stripes",
    "fill_square_holes",
    "fill_with_majority",
    "fit_into_frame",
    "flip_lr",
    "flip_ud",
    "flood_alternating",
    "flood_from",
    "fractalize",
    "gather_around",
    "gather_to",
    "gravity_down",
    "gravity_left",
    "gravity_right",
    "gravity_up",
    "grow_color",
    "hollow_objects",
    "invert",
    "join_edge_markers",
    "join_elbow",
    "join_halfway_h",
    "join_halfway_v",
    "keep_color",
    "keep_enclosed",
    "keep_largest_object",
    "keep_smallest_object",
    "largest_monochrome_object",
    "largest_object",
    "largest_object_bars",
    "least_common_color",
    "least_common_object",
    "left_half",
    "lookup_grid",
    "majority_stripes",
    "map_colors",
    "mark_midpoints",
    "mask_with",
    "masked_patch",
    "mirror_across_lines",
    "mirror_around",
    "mirror_tile_2x2",
    "mirror_tile_lr",
    "mirror_tile_ud",
    "most_common_color",
    "most_common_nonzero_color",
    "most_common_object",
    "move_template",
    "move_to_contact",
    "object_of_color",
    "object_with_most",
    "odd_cell",
    "odd_symmetry_block",
    "outline_objects",
    "overlay",
    "overlay_cells",
    "overlay_corners",
    "paint_by_key",
    "paint_cells",
    "paint_columns_of_cells",
    "paint_size_ranks",
    "paint_sizes",
    "pick_object_by",
    "pile_onto_band",
    "pull_to_own_lines",
    "rank_colors",
    "recolor_by_features",
    "recolor_cells_by",
    "recolor_facing",
    "recolor_from_aligned",
    "recolor_holed_objects",
    "recolor_in_box",
    "recolor_largest_object",
    "recolor_lower_half",
    "recolor_nonzero",
    "recolor_objects_by",
    "recolor_objects_from_aligned",
    "recolor_smallest_object",
    "reflect_down",
    "reflect_right",
    "reflect_to_markers",
    "remove_border_objects",
    "remove_color",
    "remove_largest_object",
    "remove_smallest_object",
    "repair_masked",
    "repeat_band",
    "repeat_runs",
    "repeating_tile",
    "replace_color",
    "reverse_rings",
    "right_half",
    "rotate_180",
    "rotate_270",
    "rotate_90",
    "rotate_tile_2x2",
    "shift",
    "shoot_diagonal",
    "shoot_from_marks",
    "smallest_monochrome_object",
    "smallest_object",
    "sort_rows_by_count",
    "sparsest_cell",
    "spread_cells",
    "stamp_at_cells",
    "stamp_halves",
    "stamp_scaled_template",
    "stamp_template",
    "stencil_patch",
    "swap_colors",
    "tile",
    "top_half",
    "trail_to_own_lines",
    "transpose",
    "trim_border",
    "underlay_cells",
    "unique_color_object",
    "unique_shape_object",
    "unrank_colors",
    "upscale",
]
