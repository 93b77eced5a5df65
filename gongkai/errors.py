"""Error types. Anything the readers, normaliser or pipeline raise for bad input is an
``InputError`` naming the file and the problem; batch runs record it and go on."""

from __future__ import annotations


class GongkaiError(Exception):
    """Base of every error gongkai raises on purpose."""


class InputError(GongkaiError):
    """A document cannot be read or is not a report. ``path`` names it, ``problem`` says why."""

    def __init__(self, path: str, problem: str, stage: str = "read") -> None:
        self.path = str(path)
        self.problem = problem
        self.stage = stage
        super().__init__(f"{self.path}: {problem}")


class ConfigError(GongkaiError):
    """Bad settings: missing model, bad config file, missing environment variable."""
