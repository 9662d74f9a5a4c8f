"""Errors that are the user's to fix: the CLI prints their one-line message and exits with code 2."""


class UserError(Exception):
    """Bad input from the user (a path, a flag, a file); the message says which and what is wrong."""
