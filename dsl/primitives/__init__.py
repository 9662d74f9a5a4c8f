"""All DSL primitives. Importing this package registers them in `dsl.registry.PRIMITIVES`.

Every primitive is also importable by name from here, so exported programs read
`from dsl.primitives import rotate_90`.
"""

from dsl.primitives.geometry import (
    anti_transpose,
    flip_lr,
    flip_ud,
    rotate_90,
    rotate_180,
    rotate_270,
    transpose,
)

__all__ = [
    "anti_transpose",
    "flip_lr",
    "flip_ud",
    "rotate_90",
    "rotate_180",
    "rotate_270",
    "transpose",
]
