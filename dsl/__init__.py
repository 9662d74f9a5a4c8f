"""The grid DSL: grids, tasks, typed primitives, programs and their interpreter.

`dsl` imports neither `model` nor `synth`.
"""
