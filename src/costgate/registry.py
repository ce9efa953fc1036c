"""A registry of plug-ins listed by hand and imported on first use.

Each entry names `module:attribute`. Listing stays explicit (no registration by import
side effect), while start-up only pays for the plug-ins a command actually uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class LazyRegistry(Mapping[str, T], Generic[T]):
    """name -> object, where the object is `module:attribute`, optionally built by *make*."""

    def __init__(self, entries: dict[str, str], make: Callable[[Any], T] | None = None):
        self._entries = entries
        self._make = make
        self._loaded: dict[str, T] = {}

    def __getitem__(self, name: str) -> T:
        if name not in self._loaded:
            module, _, attribute = self._entries[name].partition(":")
            found: Any = getattr(importlib.import_module(module), attribute)
            self._loaded[name] = self._make(found) if self._make else found
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
