"""The errors costgate expects; the CLI turns each into a one-paragraph message and exit 2."""

from __future__ import annotations


class CostgateError(Exception):
    """Base of every expected error: bad input, bad configuration, bad catalog."""

    def __init__(self, message: str, *, path: str | None = None, location: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.location = location

    def __str__(self) -> str:
        where = self.path or ""
        if self.location:
            where = f"{where}:{self.location}" if where else self.location
        return f"{where}: {self.message}" if where else self.message


class InputError(CostgateError):
    """An input file or directory could not be read as infrastructure code."""


class ConfigError(CostgateError):
    """A policy or usage file is invalid."""


class CatalogError(CostgateError):
    """A pricing catalog is missing or invalid."""


class OutputError(CostgateError):
    """A report cannot be written where it was asked to go (a directory, a device, a full
    disk): the run's result is not lost silently, and nothing else is overwritten."""
