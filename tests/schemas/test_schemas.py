"""The published JSON Schemas are valid schemas (costgate does not re-check them at run time)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO

SCHEMAS = sorted(
    [
        *(REPO / "src" / "costgate" / "schemas").glob("*.json"),
        REPO / "policies" / "policy.schema.json",
        REPO / "pricing" / "catalog.schema.json",
    ]
)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_against_its_metaschema(path: Path) -> None:
    schema = json.loads(path.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # raises SchemaError naming the broken keyword
    assert cls.META_SCHEMA["$schema"] == schema["$schema"]


def test_every_published_schema_is_checked() -> None:
    assert {p.name for p in SCHEMAS} >= {
        "report.schema.json",
        "usage.schema.json",
        "policy.schema.json",
        "catalog.schema.json",
    }
