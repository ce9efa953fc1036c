"""Module version constraints with Terraform's semantics (hashicorp/go-version).

A constraint is a comma-separated list of `op version` terms, all of which must hold;
ops are `=` (also no op), `!=`, `>`, `>=`, `<`, `<=` and `~>` (pessimistic: `~> 1.2`
allows 1.2 up to, not including, 2.0; `~> 1.2.3` allows 1.2.3 up to 1.3.0). A prerelease
(`1.3.0-beta1`) is selected only by a constraint naming it exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_VERSION = re.compile(r"^v?(\d{1,9}(?:\.\d{1,9}){0,3})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_TERM = re.compile(r"^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$")


@dataclass(frozen=True, order=False)
class Version:
    """A parsed version: numeric segments (padded to three), prerelease, how many given."""

    segments: tuple[int, ...]
    prerelease: str
    given: int
    text: str

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse *text*; ValueError when it is not a version."""
        match = _VERSION.match(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a version")
        numbers = tuple(int(p) for p in match.group(1).split("."))
        padded = numbers + (0,) * (3 - len(numbers)) if len(numbers) < 3 else numbers
        return cls(padded, match.group(2) or "", len(numbers), text.strip())

    def key(self) -> tuple[object, ...]:
        """Sort key: segments, then a release above any of its prereleases."""
        pre: tuple[object, ...] = (1,)
        if self.prerelease:
            parts = tuple(
                (0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease.split(".")
            )
            pre = (0, parts)
        return (self.segments, pre)

    def __lt__(self, other: Version) -> bool:
        return self.key() < other.key()


@dataclass(frozen=True)
class Term:
    """One `op version` term of a constraint."""

    op: str
    version: Version

    def allows(self, v: Version) -> bool:
        """True when *v* satisfies this term (prereleases are handled by `Constraint`)."""
        c = self.version
        if self.op == "=":
            return v.key() == c.key()
        if self.op == "!=":
            return v.key() != c.key()
        if self.op == ">":
            return c.key() < v.key()
        if self.op == ">=":
            return not v.key() < c.key()
        if self.op == "<":
            return v.key() < c.key()
        if self.op == "<=":
            return not c.key() < v.key()
        # ~>: at least c, the segments before the last given one equal
        if v.key() < c.key():
            return False
        fixed = c.given - 1
        return v.segments[:fixed] == c.segments[:fixed]


@dataclass(frozen=True)
class Constraint:
    """All terms of a version constraint; the empty constraint allows every release."""

    terms: tuple[Term, ...]

    @classmethod
    def parse(cls, text: str | None) -> Constraint:
        """Parse *text* (None or "" allow any release); ValueError when malformed."""
        if text is None or not text.strip():
            return cls(())
        terms = []
        for part in text.split(","):
            match = _TERM.match(part)
            if match is None:
                raise ValueError(f"{text!r} is not a version constraint")
            terms.append(Term(match.group(1) or "=", Version.parse(match.group(2))))
        return cls(tuple(terms))

    def allows(self, version: Version) -> bool:
        """True when *version* satisfies every term; a prerelease only when named by `=`."""
        if version.prerelease and not any(
            t.op == "=" and t.version.key() == version.key() for t in self.terms
        ):
            return False
        return all(term.allows(version) for term in self.terms)


def newest(constraint: str | None, available: Iterable[str]) -> str | None:
    """The newest of *available* allowed by *constraint*, else None (malformed versions in
    *available* are skipped; a malformed constraint raises ValueError)."""
    wanted = Constraint.parse(constraint)
    best: Version | None = None
    for text in available:
        try:
            version = Version.parse(text)
        except ValueError:
            continue
        if wanted.allows(version) and (best is None or best < version):
            best = version
    return None if best is None else best.text
