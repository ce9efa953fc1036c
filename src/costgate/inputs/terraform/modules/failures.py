"""The error of a module fetch (kept apart so that reading the cache imports no HTTP code)."""

from __future__ import annotations


class FetchError(Exception):
    """A fetch that failed; the message says what and where (never a token)."""
