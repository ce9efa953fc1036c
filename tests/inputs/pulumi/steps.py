"""`pulumi preview --json` documents written by the tests: create steps in the shape Pulumi
emits (`newState.inputs`, `propertyDependencies`), priced from the shipped catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from costgate.inputs import read_input
from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import usage

UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How Pulumi writes a value unknown until apply."""


def step(stack: str, token: str, name: str, inputs: dict[str, Any], **deps: str) -> dict[str, Any]:
    """A create step of *token* named *name* in *stack* (`urn:pulumi:dev::<stack>::`);
    *deps* maps an input name to the URN it came from."""
    state: dict[str, Any] = {
        "urn": f"urn:pulumi:dev::{stack}::{token}::{name}",
        "custom": True,
        "type": token,
        "inputs": inputs,
    }
    if deps:
        state["propertyDependencies"] = {key: [urn] for key, urn in deps.items()}
    return {"op": "create", "urn": state["urn"], "newState": state}


def priced_preview(
    directory: Path, steps: list[dict[str, Any]], catalog: Catalog
) -> dict[str, PricedResource]:
    """Every resource of a preview of *steps*, priced without a usage file, by address."""
    path = directory / "preview.json"
    path.write_text(json.dumps({"steps": steps}))
    found = price_resources(read_input(path).resources, catalog, usage())
    return {p.resource.address: p for p in found}
