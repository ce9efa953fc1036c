"""How much work one input may ask for: every limit costgate enforces on what it reads.

A pull request's files are untrusted. A 100-byte input must not be able to exhaust memory,
hang the runner or crash costgate (exit 3): each limit below, when exceeded, is an input or
configuration error (exit 2) naming the file and the location. The values are far above what
real infrastructure code needs; docs/terraform-hcl.md lists them.
"""

from __future__ import annotations

from decimal import Decimal

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest file read by an HCL file function, and largest `.tf` / var file parsed."""
MAX_INSTANCES_PER_BLOCK = 10_000
"""Most `count` / `for_each` instances of one resource or module call."""
MAX_INSTANCES_TOTAL = 100_000
"""Most resource and module instances of one run, across module expansion."""
MAX_RANGE = 1024
"""Most elements `range()` generates: Terraform's own limit (an error there too)."""
MAX_COLLECTION = 100_000
"""Most elements in a list or map a function or `for` expression builds."""
MAX_STRING = 1024 * 1024
"""Longest string (in characters) a function or template builds."""
MAX_NUMBER_EXPONENT = 100
"""Largest decimal exponent of a number (1e100): counts, sizes and prices are far smaller,
and bounding it keeps `ceil(1e999999)` or `pow()` from building million-digit integers."""
MAX_NUMBER_DIGITS = 100
"""Most significant digits of a number literal (`int()` of a 4,300-digit string fails)."""
MAX_NESTING = 64
"""Deepest nesting of brackets in an expression, or of arrays/objects in JSON and YAML."""
MAX_REGEX_SUBJECT = 10_000
"""Longest string `regex()`, `regexall()` and `replace()` match a pattern against."""
MAX_REGEX_PATTERN = 1_000
"""Longest pattern `regex()`, `regexall()` and `replace()` accept."""
MAX_YAML_VALUES = 100_000
"""Most values a YAML document holds with its aliases expanded (a "billion laughs" holds
10^9 from ~400 bytes)."""


def number_too_large(value: Decimal) -> bool:
    """True when *value* is not finite or beyond the number limits."""
    if not value.is_finite():
        return True
    if value.is_zero():
        return False
    return (
        abs(value.adjusted()) > MAX_NUMBER_EXPONENT
        or len(value.as_tuple().digits) > MAX_NUMBER_DIGITS
    )


NUMBER_LIMIT_TEXT = (
    f"numbers are limited to {MAX_NUMBER_DIGITS} digits and 1e±{MAX_NUMBER_EXPONENT}"
)


def json_number(text: str) -> Decimal:
    """A JSON number as Decimal (`parse_float` / `parse_int` of `json.loads`), ValueError
    when beyond the number limits (Python's int() rejects 4,300 digits with a ValueError
    too, but only after quadratic work)."""
    value = Decimal(text) if len(text) <= MAX_NUMBER_DIGITS + 20 else Decimal("Infinity")
    if number_too_large(value):
        shown = text if len(text) <= 20 else f"{text[:10]}... ({len(text)} characters)"
        raise ValueError(f"the number {shown} is out of range; {NUMBER_LIMIT_TEXT}")
    return value


def json_constant(text: str) -> Decimal:
    """`parse_constant` of `json.loads`: NaN and Infinity are not JSON, and no costgate
    input means them."""
    raise ValueError(f"{text} is not a number costgate accepts")


MAX_MODULE_FETCHES = 50
"""Most remote module sources one run downloads (cache hits do not count)."""
MAX_MODULE_ARCHIVE_BYTES = 64 * 1024 * 1024
"""Largest module archive downloaded."""
MAX_MODULE_TREE_BYTES = 256 * 1024 * 1024
"""Most bytes a module archive or clone may hold unpacked."""
MAX_MODULE_FILES = 20_000
"""Most entries in a module archive or clone."""
MAX_REGISTRY_RESPONSE_BYTES = 1024 * 1024
"""Largest registry answer (service discovery, versions list, download location)."""
MODULE_FETCH_TIMEOUT = 30.0
"""Seconds one registry request or archive download may take."""
MODULE_GIT_TIMEOUT = 120.0
"""Seconds one git clone may take."""
MODULE_FETCH_BUDGET = 300.0
"""Seconds one run may spend fetching modules; later modules are not fetched."""
