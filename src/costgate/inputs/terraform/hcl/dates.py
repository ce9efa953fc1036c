"""Terraform's date and time functions on RFC 3339 timestamps: `formatdate`, `timeadd`,
`timecmp`.

They are pure functions of their arguments, so a configuration that names a fixed date (a
reservation's end, a tag) gets the same value as in Terraform; `timestamp()` and
`plantimestamp()` themselves are unknown before apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from costgate.inputs.terraform.hcl.evaluate import EvalError

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 timestamp (Terraform accepts no other syntax)."""
    match = _RFC3339.match(text)
    if match is None:
        raise EvalError(
            f"{text[:40]!r} is not an RFC 3339 timestamp (such as 2024-01-02T15:04:05Z)"
        )
    try:
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError as exc:
        raise EvalError(f"{text[:40]!r} is not a valid timestamp: {exc}") from None


def rfc3339(moment: datetime) -> str:
    """Go's `time.RFC3339` layout: whole seconds, `Z` for UTC."""
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> timedelta:
    """A Go duration (`1h30m`, `-10s`, `1.5h`), as `timeadd` takes it."""
    body = text.lstrip("+-")
    sign = -1 if text.startswith("-") else 1
    if body == "0":
        return timedelta(0)
    seconds, position = 0.0, 0
    for match in _DURATION_PART.finditer(body):
        if match.start() != position:
            break
        seconds += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if not body or position != len(body):
        raise EvalError(f"{text[:40]!r} is not a duration (such as 1h30m or -10s)")
    try:
        return timedelta(seconds=sign * seconds)
    except OverflowError:
        raise EvalError(f"duration {text[:40]!r} is out of range") from None


def timeadd(timestamp: str, duration: str) -> str:
    """`timeadd()`: the timestamp plus the duration, in the timestamp's offset."""
    try:
        return rfc3339(parse_timestamp(timestamp) + parse_duration(duration))
    except OverflowError:
        raise EvalError("timeadd(): the result is out of range") from None


def timecmp(a: str, b: str) -> int:
    """`timecmp()`: -1, 0 or 1 as *a* is before, equal to or after *b*."""
    first, second = parse_timestamp(a), parse_timestamp(b)
    return (first > second) - (first < second)


_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_TOKEN = re.compile(
    r"'(?:[^']|'')*'?|YYYY|YY|MMMM|MMM|MM|M|DD|D|EEEE|EEE|hh|h|HH|H|AA|aa|mm|m|ss|s|ZZZZZ|ZZZZ|ZZZ|Z"
    r"|[A-Za-z]+|[^A-Za-z']+"
)


def formatdate(spec: str, timestamp: str) -> str:
    """`formatdate()`: Terraform's format letters (YYYY, MMM, DD, hh, mm, ss, ZZZ, ...);
    literal text in single quotes."""
    moment = parse_timestamp(timestamp)
    out: list[str] = []
    for match in _TOKEN.finditer(spec):
        token = match.group(0)
        if token.startswith("'"):
            if len(token) < 2 or not token.endswith("'"):
                raise EvalError(f"formatdate(): unterminated quote in {spec[:40]!r}")
            out.append("'" if token == "''" else token[1:-1].replace("''", "'"))
            continue
        if token[0].isalpha() and token not in _FIELDS:
            raise EvalError(f"formatdate(): invalid format sequence {token!r}")
        out.append(_FIELDS[token](moment) if token in _FIELDS else token)
    return "".join(out)


def _offset(moment: datetime, colon: bool, zulu: bool) -> str:
    delta = moment.utcoffset() or timedelta(0)
    if zulu and not delta:
        return "Z"
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{mins:02d}"


_FIELDS: dict[str, Callable[[datetime], str]] = {
    "YYYY": lambda d: f"{d.year:04d}",
    "YY": lambda d: f"{d.year % 100:02d}",
    "MMMM": lambda d: _MONTHS[d.month - 1],
    "MMM": lambda d: _MONTHS[d.month - 1][:3],
    "MM": lambda d: f"{d.month:02d}",
    "M": lambda d: str(d.month),
    "DD": lambda d: f"{d.day:02d}",
    "D": lambda d: str(d.day),
    "EEEE": lambda d: _DAYS[d.weekday()],
    "EEE": lambda d: _DAYS[d.weekday()][:3],
    "hh": lambda d: f"{d.hour:02d}",
    "h": lambda d: str(d.hour),
    "HH": lambda d: f"{(d.hour % 12) or 12:02d}",
    "H": lambda d: str((d.hour % 12) or 12),
    "AA": lambda d: "AM" if d.hour < 12 else "PM",
    "aa": lambda d: "am" if d.hour < 12 else "pm",
    "mm": lambda d: f"{d.minute:02d}",
    "m": lambda d: str(d.minute),
    "ss": lambda d: f"{d.second:02d}",
    "s": lambda d: str(d.second),
    "ZZZZZ": lambda d: _offset(d, colon=True, zulu=False),
    "ZZZZ": lambda d: _offset(d, colon=False, zulu=False),
    "ZZZ": lambda d: "UTC" if not d.utcoffset() else _offset(d, colon=False, zulu=False),
    "Z": lambda d: _offset(d, colon=True, zulu=True),
}
