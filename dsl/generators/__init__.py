"""Synthetic ARC tasks: the "simple ARC" family (`simple`), random typed programs (`programs`) run on
random inputs (`inputs`) and screened for degenerate results (`tasks`).

Everything here is pure: it draws from a numpy Generator and never searches; the solvability check by
DFS lives in `synth.generate`.
"""

from dsl.generators.inputs import INPUT_GENERATORS
from dsl.generators.programs import ProgramSampler, SamplerConfig, program_depth
from dsl.generators.simple import SIMPLE_TRANSFORMS, make_simple_task
from dsl.generators.tasks import REJECT_REASONS, Draft, DraftConfig, make_draft

__all__ = [
    "INPUT_GENERATORS",
    "REJECT_REASONS",
    "SIMPLE_TRANSFORMS",
    "Draft",
    "DraftConfig",
    "ProgramSampler",
    "SamplerConfig",
    "make_draft",
    "make_simple_task",
    "program_depth",
]
