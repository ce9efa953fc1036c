"""The errors of a module fetch (kept apart so that reading the cache imports no HTTP code).

A `FetchError` makes the module an unpriced placeholder with its reason (a host that does
not answer, a 404, a malformed archive). A `FetchStop` stops the run with exit 2: a
download over one of costgate's bounds (`FetchLimit`: size, file count, time), or a source
kind whose optional dependency is not installed.
"""

from __future__ import annotations


class FetchError(Exception):
    """A fetch that failed; the message says what and where (never a token)."""


class FetchStop(FetchError):
    """A fetch that stops the run (exit 2): the message says why and what to do."""


class FetchLimit(FetchStop):
    """A download over a bound of `costgate.limits` (bytes, files, seconds, fetches)."""
