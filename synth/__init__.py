"""Solvers, search, sandbox, LLM coder, benchmark and CLI. Imports `model` and `dsl`."""
