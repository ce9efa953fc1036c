"""Shared test helpers: repository paths, the real catalog, resource builders."""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.inputs.normalize import effective_tags
from costgate.model import Action, Origin, Resource, freeze
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.usage import Usage

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SHARED = next(
    (p / "shared" / "fixtures" for p in (REPO.parent, Path("/work")) if (p / "shared").is_dir()),
    REPO.parent / "shared" / "fixtures",
)
REPORT_SCHEMA = REPO / "src" / "costgate" / "schemas" / "report.schema.json"


@pytest.fixture(autouse=True)
def _no_float_money() -> Iterator[None]:
    """Mixing floats into Decimal arithmetic raises, so money stays exact."""
    ctx = decimal.getcontext()
    old = ctx.traps[decimal.FloatOperation]
    ctx.traps[decimal.FloatOperation] = True
    yield
    ctx.traps[decimal.FloatOperation] = old


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables render at the 100-column default, whatever $COLUMNS the shell exports."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never write costgate's cache (parsed HCL, validated files) into the user's
    home."""
    monkeypatch.setenv("COSTGATE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never fetch remote modules from the internet; the module-fetching tests turn
    this off and point costgate at servers on 127.0.0.1."""
    monkeypatch.setenv("COSTGATE_OFFLINE", "1")


def shipped_document(provider: str) -> dict[str, Any]:
    """The shipped catalog of *provider* as one document (its region shards joined), as
    plain JSON values: what a test edits into a price book or a broken catalog."""
    from costgate.pricing import store

    return store.plain(store.read_document(REPO / "pricing" / provider))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(validate_bundled=True)


def make_resource(
    type_: str,
    attributes: dict[str, Any],
    *,
    address: str | None = None,
    region: str | None = "us-east-1",
    tags: dict[str, str] | None = None,
    references: dict[str, tuple[str, ...]] | None = None,
    action: Action = Action.CREATE,
) -> Resource:
    """A resource as the plan reader would produce it: *tags* are the provider's default
    tags, merged with the attributes' own tags or labels as every input merges them."""
    provider = type_.split("_", 1)[0]
    frozen = freeze(attributes)
    return Resource(
        address=address or f"{type_}.test",
        type=type_,
        provider=provider,
        region=region,
        action=action,
        origin=Origin.TERRAFORM_PLAN,
        attributes=frozen,
        tags=effective_tags(provider, frozen, freeze(tags or {})),
        references=freeze(references or {}),
    )


def usage(resources: dict[str, Any] | None = None, overhead: str = "0.05") -> Usage:
    return Usage(resources=freeze(resources or {}), spot_interruption_overhead=Decimal(overhead))


def validate_report(text: str) -> dict[str, Any]:
    """Parse JSON report text and check it against the published schema."""
    import jsonschema

    doc = json.loads(text)
    jsonschema.validate(doc, json.loads(REPORT_SCHEMA.read_text()))
    return doc


def write_price_book(
    path: Path, provider: str, prices: list[dict[str, str]], as_of: str = "2026-11-25"
) -> Path:
    """A one-source user catalog file (a private price book) with the given price entries."""
    entries = [{"unit": "hour", "source": "book", "as_of": as_of, **p} for p in prices]
    path.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "provider": provider,
                "currency": "USD",
                "as_of": as_of,
                "sources": {"book": {"url": f"file:{path.name}", "description": "team price book"}},
                "products": {},
                "prices": entries,
            }
        )
    )
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files from the current output instead of comparing.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
