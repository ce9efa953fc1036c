"""List every GPU/accelerator-looking machine type a dated dump names and how the shipped
catalog treats it (no facts, facts but no price, or the number of prices).

The build admits an accelerated type only with product facts (issue 16), so a type a dump
prices but the catalog does not describe is silently left out; this shows which ones.
Not shipped; run from the repository root:

    python benchmarks/unpriced_accelerators.py /tmp/alldumps-datahunt [--all]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from costgate.pricing.build_aws import AWS_ACCELERATED

_AWS_TYPE = re.compile(
    r"\b([a-z][a-z0-9-]*\.[0-9]*(?:nano|micro|small|medium|large|xlarge|metal[a-z0-9-]*))\b"
)
_AZURE_SIZE = re.compile(r'"(Standard_N[A-Za-z0-9_-]+)"')
_RADAR_SKU = re.compile(r'"skuName": "(N[^"]*?)(?: Spot| Low Priority)?"')
_GCP_NOT_ACCELERATOR = {"cpu", "ram", "cost", "local-ssd"}


def _catalog(provider: str, service: str) -> tuple[dict[str, dict[str, object]], Counter[str]]:
    root = Path("pricing") / provider
    products = json.loads((root / "catalog.json").read_text(encoding="utf-8"))["products"]
    facts = {k.split(":", 1)[1]: v for k, v in products.items() if k.startswith(f"{service}:")}
    prices: Counter[str] = Counter()
    for shard in sorted((root / "regions").glob("*.json")):
        for entry in json.loads(shard.read_text(encoding="utf-8"))["prices"]:
            if entry["service"] == service:
                prices[entry["product"]] += 1
    return facts, prices


def _aws(dumps: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(dumps.glob("*")):
        if not path.name.startswith(("aws-", "karpenter-aws")):
            continue
        for name in set(_AWS_TYPE.findall(path.read_text(encoding="utf-8"))):
            if AWS_ACCELERATED.match(name):
                found.setdefault(name, set()).add(path.stem)
    return found


def _azure(dumps: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(dumps.glob("azure-*")):
        text = path.read_text(encoding="utf-8")
        for name in set(_AZURE_SIZE.findall(text)):
            found.setdefault(name, set()).add(path.stem)
        for sku in set(_RADAR_SKU.findall(text)):  # radar: meter name, not ARM size
            found.setdefault(f"~{sku}", set()).add(path.stem)
    return found


def _google(dumps: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(dumps.glob("gcp-cyclenerd-pricing-*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for name, spec in data["compute"]["instance"].items():
            if not name.startswith("custom-") and (
                set(spec) - _GCP_NOT_ACCELERATOR or "gpu" in name
            ):
                found.setdefault(name, set()).add(path.stem)
    return found


def main(argv: list[str]) -> int:
    dumps = Path(argv[0])
    show_all = "--all" in argv
    for provider, service, found in (
        ("aws", "ec2", _aws(dumps)),
        ("azurerm", "vm", _azure(dumps)),
        ("google", "compute", _google(dumps)),
    ):
        facts, prices = _catalog(provider, service)
        squashed = {k.lower().removeprefix("standard_").replace("_", ""): k for k in facts}
        print(f"== {provider}: {len(found)} accelerator-looking type(s) in the dumps")
        for name in sorted(found):
            known = (
                name
                if not name.startswith("~")
                else squashed.get(name[1:].lower().replace(" ", "").replace("_", ""))
            )
            if known is None or known not in facts:
                state = "NO FACTS"
            elif "retired" in facts[known]:
                state = f"retired {facts[known]['retired']}"
            else:
                state = f"{prices[known]} price(s)" if prices[known] else "facts, NO PRICE"
            if show_all or not state.endswith("price(s)") or prices[known or ""] < 2:
                print(f"  {name:32} {state:18} {', '.join(sorted(found[name]))[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
