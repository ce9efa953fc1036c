"""Write tests/data/dump-samples.csv: shipped prices with the value their dated dump states.

Why: `tests/pricing/test_dump_samples.py` must compare a few hundred shipped prices with the
dumps they were built from in CI, where the dumps (tens of MB) are not present. This script
draws a sample of shipped entries whose source is a manifest dump, finds each one in the raw
dump file by its own key (not with the build's readers, so a reader bug shows up as a
mismatch) and writes one row per price: the catalog key, the value as the dump states it,
the dump id and where in the dump the value is. Rows are facts with their source; no dump
file is copied.

Regenerate (after `python pricing/sources/fetch_dumps.py /tmp/alldumps` or with the folder
`costgate pricing build --dumps` reads):

    .venv/bin/python tests/data/make_dump_samples.py /tmp/alldumps

The draw is seeded (SEED), stratified by provider, dump and family, so every GPU and
accelerator family, every storage service and both on-demand and spot appear. Each stratum
has its own generator seeded by its name, and the rows are written sorted by catalog key, so
regenerating with the same dumps writes the same file and a new dump adds its own rows
without reshuffling the others. An entry the script cannot find in its dump is printed and
another drawn in its place (that is a finding, not noise).
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("dump-samples.csv")
SEED = 16
FIELDS = ("provider", "service", "product", "region", "kind", "value", "dump", "where")

ACCELERATED_AWS = re.compile(r"^(p\d|g\d|gr\d|inf\d|trn\d|dl\d)")
PER_GROUP = {"aws": (6, 1), "google": (8, 4), "azurerm": (6, 2)}
"""Entries drawn per (dump, family), (accelerated, other): more for GPU/accelerator families;
one per family of Karpenter's ~100 general-purpose families."""

FLAT_READERS = {"aws-metered-ec2-reserved-json", "azure-karpenter-go"}
"""Readers whose accelerated families get one row each, not a stratum of their own."""

LICENCE_STRATUM = "license "
"""Google premium-image licence rates are drawn one row per OS (Windows, RHEL, SLES, ...),
every OS in every sample, like one row of each accelerated family of a flat table."""

OTHERS_PER_DUMP = 12
"""Cap on the non-accelerated rows drawn from one dump."""

Entry = Mapping[str, Any]
Locator = Callable[[Entry], tuple[str, str] | None]
"""A shipped entry -> (value as the dump states it, where in the dump), or None."""


def shipped(provider: str) -> list[Entry]:
    """Every price of *provider*'s shipped catalog (header and region shards)."""
    folder = REPO / "pricing" / provider
    out: list[Entry] = []
    for path in sorted((folder / "regions").glob("*.json")):
        out += json.loads(path.read_text(encoding="utf-8"))["prices"]
    return out


def family(provider: str, entry: Entry) -> tuple[str, bool]:
    """(family label, accelerated?) of an entry, for stratifying the draw."""
    service, product = entry["service"], entry["product"]
    if provider == "aws":
        name = product.split(".")[0]
        return name, bool(ACCELERATED_AWS.match(name))
    if provider == "google":
        if service == "compute":
            name = product.split("-")[0]
            if name in {"a2", "a3", "g2", "g4"}:  # per series: a3-highgpu, a3-megagpu, ...
                return "-".join(product.split("-")[:2]), True
            return name, False
        if service == "tpu":
            return f"tpu {product}", True
        if service == "license":  # one stratum per OS: each has its own rate table
            return f"{LICENCE_STRATUM}{entry['kind']}", True
        return f"{service} {product}", False
    if service == "vm":
        size = product.removeprefix("Standard_")
        series = re.sub(r"\d+", "", size.split("_")[0]) + "_".join(["", *size.split("_")[1:]])
        return series, size.startswith("N")
    if service == "disk":
        return f"disk {product.split(':')[0]}", False
    return f"{service} {entry['kind']}", False


# --- locators: find an entry in its raw dump -------------------------------------------------


def vantage(path: Path) -> Locator:
    text = path.read_text(encoding="utf-8")
    array = json.loads(text[text.index("[") : text.rindex("]") + 1])
    items = {i.get("apiName") or i["name"]: i for i in array}

    def find(e: Entry) -> tuple[str, str] | None:
        value = items.get(e["product"], {}).get("pricing", {}).get(e["region"], {}).get("onDemand")
        if e["kind"] != "on_demand" or value is None:
            return None
        return str(value), f"apiName {e['product']} > pricing > {e['region']} > onDemand"

    return find


def _go_table(path: Path, block_re: str, price_re: str, where: str) -> Locator:
    """A generated Go price table: a line matching *block_re* opens a region's block, and
    *price_re* finds `"type": price` pairs in it; *where* formats the place (region, product)."""
    table: dict[tuple[str, str], str] = {}
    region = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        block = re.match(block_re, line)
        if block:
            region = block.group(1)
            continue
        for name, value in re.findall(price_re, line):
            table[(region, name)] = value

    def find(e: Entry) -> tuple[str, str] | None:
        value = table.get((e["region"], e["product"]))
        if e["kind"] != "on_demand" or value is None:
            return None
        return value, where.format(region=e["region"], product=e["product"])

    return find


def karpenter(path: Path) -> Locator:
    """The AWS Karpenter table (`"us-east-1": {`, `"m5.large": 0.096000`)."""
    return _go_table(
        path,
        r'^\s*"([a-z]{2}(?:-[a-z]+)+-\d)": \{',
        r'"([a-z0-9-]+\.[a-z0-9-]+)": ([0-9.]+)',
        "{region} block > {product}",
    )


def karpenter_azure(path: Path) -> Locator:
    """The Azure Karpenter table (`initialOnDemandPrices["eastus"] = ...`, `"Size": 0.096000`)."""
    return _go_table(
        path,
        r'^\s*initialOnDemandPrices\["([a-z0-9]+)"\]',
        r'"((?:Standard|Basic)_[^"]+)":\s*([0-9.]+)',
        'initialOnDemandPrices["{region}"] > {product}',
    )


def _aws_location(region: str) -> str:
    """The pricing pages' location name of a region (the one table the build also uses)."""
    from costgate.pricing.build_aws import AWS_REGIONS

    return next(loc for loc, code in AWS_REGIONS.items() if code == region)


def aws_ec2_map(path: Path) -> Locator:
    regions = json.loads(path.read_text(encoding="utf-8"))["regions"]

    def find(e: Entry) -> tuple[str, str] | None:
        location = _aws_location(e["region"])
        for key, item in regions.get(location, {}).items():
            if (
                item.get("Instance Type") == e["product"]
                and item.get("Operating System") == "Linux"
                and item.get("Pre Installed S/W", "NA") == "NA"
                and item.get("License Model", "No License required") == "No License required"
                and e["kind"] == "on_demand"
            ):
                return str(item["price"]), f"regions > {location} > {key} > price"
        return None

    return find


def aws_ec2_reserved(path: Path) -> Locator:
    """A reserved-instance map: the entry's kind names class, term and payment
    (`reserved_standard_1_year_no_upfront`); the map's manifest names the class."""
    data = json.loads(path.read_text(encoding="utf-8"))
    offering = {
        "ec2-reservedinstance": "standard",
        "ec2-reservedinstance-convertible": "convertible",
    }[data["manifest"]["source"]]

    def find(e: Entry) -> tuple[str, str] | None:
        location = _aws_location(e["region"])
        for key, item in data["regions"].get(location, {}).items():
            term = {"1yr": "1_year", "3yr": "3_year"}.get(item.get("LeaseContractLength"))
            payment = str(item.get("PurchaseOption", "")).lower().replace(" ", "_")
            if (
                item.get("Instance Type") == e["product"]
                and item.get("Operating System") == "Linux"
                and item.get("Tenancy") == "Shared"
                and item.get("Pre Installed S/W", "NA") == "NA"
                and e["kind"] == f"reserved_{offering}_{term}_{payment}"
            ):
                return str(item["price"]), f"regions > {location} > {key} > price"
        return None

    return find


def aws_unit_map(path: Path) -> Locator:
    """The meter is named in the entry's note (`ebs.json @576c890f: <meter> / 1024`); the
    map's value is converted as the note states, and `where` says so. A note naming two
    meters (`<standard> + <fee>`, EKS extended support) is their sum; a meter not in the
    region's location is looked up under a global service's locations `Any` and ``."""
    regions = json.loads(path.read_text(encoding="utf-8"))["regions"]

    def find(e: Entry) -> tuple[str, str] | None:
        named = str(e.get("note", "")).split(": ", 1)[-1]
        scaled = re.match(r"^(.*) (x|/) ([0-9.]+)$", named)
        meters = (scaled.group(1) if scaled else named).split(" + ")
        value = Decimal(0)
        places = []
        for meter in meters:
            for location in (_aws_location(e["region"]), "Any", ""):
                item = regions.get(location, {}).get(meter)
                if item is not None:
                    break
            if item is None:
                return None
            value += Decimal(str(item["price"]))
            places.append(f"regions > {location} > {meter} > price")
        where = " + ".join(places)
        if scaled:  # the unit conversion the entry's note states, e.g. per GiB/s -> per MB/s
            factor = Decimal(scaled.group(3))
            value = value * factor if scaled.group(2) == "x" else value / factor
            where += f" {scaled.group(2)} {scaled.group(3)}"
        return format(value.normalize(), "f"), where

    return find


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def cyclenerd_compute(path: Path) -> Locator:
    data = _yaml(path)

    def find(e: Entry) -> tuple[str, str] | None:
        if e["service"] == "license":
            os_name = e["kind"].replace("_", "-")
            cost = data["compute"]["license"].get(e["product"], {}).get("cost", {}).get(os_name)
            where = f"compute.license.{e['product']}.cost.{os_name}.hour"
            value = (cost or {}).get("hour")
            return None if value is None else (str(value), where)
        if e["service"] == "network" and e["product"] == "external_ip":
            key = {"in_use": "vm", "unused": "unused"}[e["kind"]]
            cost = data["compute"]["network"]["ip"][key]["cost"].get(e["region"], {})
            value = cost.get("hour")
            where = f"compute.network.ip.{key}.cost.{e['region']}.hour"
            return None if value is None else (str(value), where)
        if e["service"] == "disk" and e["product"] == "local-ssd":
            field = {"storage": "month", "spot": "month_spot"}[e["kind"]]
            cost = data["compute"]["storage"]["local"]["cost"].get(e["region"], {})
            where = f"compute.storage.local.cost.{e['region']}.{field}"
        else:
            field = {"on_demand": "hour", "spot": "hour_spot"}.get(e["kind"], "")
            spec = data["compute"]["instance"].get(e["product"]) or {}
            cost = (spec.get("cost") or {}).get(e["region"], {})
            where = f"compute.instance.{e['product']}.cost.{e['region']}.{field}"
        value = cost.get(field)
        return None if value is None else (str(value), where)

    return find


DISKS = {
    "pd-standard": "hdd",
    "pd-balanced": "balanced",
    "pd-ssd": "ssd",
    "pd-extreme": "extreme",
    "hyperdisk-extreme": "hyperdisk-extreme",
    "regional-pd-standard": "hdd-replicated",
    "regional-pd-balanced": "balanced-replicated",
    "regional-pd-ssd": "ssd-replicated",
}
CLASSES = {"STANDARD": "standard", "NEARLINE": "nearline", "COLDLINE": "coldline"}
CLASSES["ARCHIVE"] = "archiv"
MULTI = {"asia": "asia-multi", "eu": "europe-multi", "us": "us-multi"}


def cyclenerd_storage(path: Path) -> Locator:
    data = _yaml(path)

    def find(e: Entry) -> tuple[str, str] | None:
        location = MULTI.get(e["region"], e["region"])
        if e["service"] == "disk":
            keys = [("compute.storage", DISKS.get(e["product"], ""))]
        elif e["service"] == "snapshot":
            keys = [("compute.storage", "snapshot")]
        else:
            base = CLASSES[e["product"]]
            section = "storage.retrieval" if e["kind"] == "retrieval" else "storage.bucket"
            keys = [(section, base + s) for s in ("", "-dual", "-multi")]
        for section, key in keys:
            a, b = section.split(".")
            cost = (data[a][b].get(key) or {}).get("cost") or {}
            value = (cost.get(location) or {}).get("month")
            if value is not None:
                return str(value), f"{section}.{key}.cost.{location}.month"
        return None

    return find


TPU = {"v6e": "TPU v6e", "v5p": "TPU v5p", "v5e": "TPU v5e", "v4": "TPU v4 pod"}


def tpu(path: Path) -> Locator:
    table = json.loads(path.read_text(encoding="utf-8"))

    def find(e: Entry) -> tuple[str, str] | None:
        name = TPU[e["product"]]
        value = table.get(name, {}).get(e["region"], {}).get("On Demand (USD)")
        where = f"{name} > {e['region']} > On Demand (USD)"
        return None if value is None else (str(value), where)

    return find


def _squash(name: str) -> str:
    return name.lower().removeprefix("standard_").replace("_", "").replace(" ", "")


AZURE_DISKS = {"Premium": "Premium SSD", "StandardSSD": "Standard SSD", "Standard": "Standard HDD"}


def azure(path: Path) -> Locator:
    items = json.loads(path.read_text(encoding="utf-8"))
    for key, item in items.items():
        item["_meterId"] = key.split("|")[1]
    return _azure_items(items)


def azure_csv(path: Path) -> Locator:
    """Retail API rows written as CSV: the pay-as-you-go rows, one item per meter and volume
    tier (`tierMinimumUnits` tells the tiers of one meter apart)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["type"] == "Consumption"]
    items: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = f"{row['skuId']}|{row['meterId']}|{row['type']}|{row['tierMinimumUnits']}"
        items[key] = {**row, "_meterId": row["meterId"]}
    return _azure_items(items)


def _azure_items(items: Mapping[str, dict[str, Any]]) -> Locator:

    def item_key_meter(item: Mapping[str, Any]) -> str:
        return str(item["_meterId"])

    def matches(e: Entry, item: Mapping[str, Any]) -> bool:
        product_name, sku = item.get("productName", ""), item.get("skuName", "")
        meter = item.get("meterName", "")
        if item.get("armRegionName") != e["region"]:
            return False
        if e["service"] == "vm":
            # Cloud Services products and retired (`- Expired`) meters are not VM prices
            if re.search(r"Cloud ?Services", product_name, re.IGNORECASE):
                return False
            if meter.endswith("- Expired"):
                return False
            base = re.sub(r" (Spot|Low Priority)$", "", sku)
            kind = "spot" if sku.endswith(" Spot") else "on_demand"
            kind = "low_priority" if sku.endswith(" Low Priority") else kind
            if product_name.endswith(("Windows", " Win")):
                kind += "_windows"
            return (
                item.get("unitOfMeasure") == "1 Hour"
                and _squash(base) == _squash(e["product"])
                and kind == e["kind"]
            )
        if e["service"] == "disk" and ":" in e["product"]:
            account, _, tier = e["product"].partition(":")
            prefix, replication = account.split("_", 1)
            return bool(
                product_name == f"{AZURE_DISKS.get(prefix, '?')} Managed Disks"
                and sku == f"{tier} {replication}"
                and meter.endswith(" Disk")
                and e["kind"] == "storage"
            )
        # Storage-account meters: several products share one meter (`GRS Index Tags`), so the
        # item is the one whose meter id the entry's note names (`meter ... (<meterId>)`).
        meter_id = re.search(r"\(([0-9a-f-]{36})\)$", e.get("note", ""))
        if "tierMinimumUnits" in item and Decimal(item["tierMinimumUnits"]) != Decimal(
            e.get("tier_start", "0")
        ):
            return False  # another volume tier of the same meter
        return meter_id is not None and item_key_meter(item) == meter_id.group(1)

    def find(e: Entry) -> tuple[str, str] | None:
        found = {k: v for k, v in items.items() if matches(e, v)}
        values = {str(v["retailPrice"]) for v in found.values()}
        if len(values) != 1:
            return None  # not found, or ambiguous: left out
        key = min(found)
        return values.pop(), f"item {key.split('|')[1]} ({found[key]['meterName']})"

    return find


LOCATORS: dict[str, Callable[[Path], Locator]] = {
    "aws-vantage-gpu-js": vantage,
    "aws-karpenter-go": karpenter,
    "aws-metered-ec2-ondemand-json": aws_ec2_map,
    "aws-metered-ec2-reserved-json": aws_ec2_reserved,
    "aws-metered-unit-map-json": aws_unit_map,
    "gcp-cyclenerd-pricing-yml": cyclenerd_compute,
    "gcp-cyclenerd-storage-yml": cyclenerd_storage,
    "gcp-tpu-pricing-json": tpu,
    "azure-retail-items": azure,
    "azure-retail-csv": azure_csv,
    "azure-karpenter-go": karpenter_azure,
}


def _rng(*stratum: str) -> random.Random:
    """The generator of one stratum, seeded by SEED and the stratum's name (a str seed is
    hashed with SHA-512, the same in every run): a dump added or a price changed elsewhere
    leaves this stratum's draw as it was."""
    return random.Random(":".join((str(SEED), *stratum)))


Found = tuple[Entry, tuple[str, str]]


def _draw(
    entries: list[Entry], size: int, rng: random.Random, find: Locator, dump: str
) -> list[Found]:
    """Up to *size* of *entries* in a seeded order, each with its value and place in the
    dump; one the dump does not have is reported and the next one drawn instead."""
    order = list(entries)
    rng.shuffle(order)
    out: list[Found] = []
    for e in order:
        if len(out) == size:
            break
        located = find(e)
        if located is None:
            print(f"not found in {dump}: {e}", file=sys.stderr)
            continue
        out.append((e, located))
    return out


def _capped(others: list[Found], dump: str) -> list[Found]:
    """At most OTHERS_PER_DUMP of a dump's non-accelerated rows, one of each service first
    (a storage dump's disks, snapshots and buckets are all sampled)."""
    by_service: dict[str, list[Found]] = defaultdict(list)
    for found in others:
        by_service[found[0]["service"]].append(found)
    picked = [_rng(dump, "service", s).choice(by_service[s]) for s in sorted(by_service)]
    rest = [f for f in others if f not in picked]
    more = max(0, OTHERS_PER_DUMP - len(picked))
    return picked + _rng(dump, "others").sample(rest, min(more, len(rest)))


def rows(dumps: Path) -> Iterator[dict[str, str]]:
    """The sample, sorted by catalog key: every stratum drawn with its own seeded generator."""
    manifest = json.loads((REPO / "pricing/sources/manifest.json").read_text(encoding="utf-8"))
    out: list[dict[str, str]] = []
    for dump in sorted(manifest["dumps"], key=lambda d: str(d["id"])):
        make = LOCATORS.get(dump["reader"])
        if make is None:
            continue  # a reader that adds no prices (facts only)
        provider, dump_id = dump["provider"], str(dump["id"])
        mine = [
            e
            for e in shipped(provider)
            if e["source"] == dump_id and not e.get("tier_start")
            if not e["product"].startswith("n1-custom-")  # solved from several types
        ]
        if not mine:
            continue
        groups: dict[tuple[str, bool], list[Entry]] = defaultdict(list)
        for e in sorted(mine, key=lambda e: (e["service"], e["product"], e["region"], e["kind"])):
            groups[family(provider, e)].append(e)
        find = make(dumps / (dump_id + Path(dump["path"]).suffix))
        picked: list[Found] = []
        others: list[Found] = []
        for (name, accelerated), entries in sorted(groups.items()):
            # a flat table (reserved-rate map, Karpenter's table) prices GPU types like any
            # other: one row of each accelerated family, no larger stratum
            flat = dump["reader"] in FLAT_READERS
            one = flat or name.startswith(LICENCE_STRATUM)
            size = 1 if accelerated and one else PER_GROUP[provider][0 if accelerated else 1]
            drawn = _draw(entries, size, _rng(dump_id, name), find, dump_id)
            (picked if accelerated else others).extend(drawn)
        # every accelerated family; at most OTHERS_PER_DUMP of the others (one EC2 map per
        # region would otherwise add a row per family and region)
        for e, (value, where) in picked + _capped(others, dump_id):
            out.append(
                {
                    "provider": provider,
                    "service": e["service"],
                    "product": e["product"],
                    "region": e["region"],
                    "kind": e["kind"],
                    "value": value,
                    "dump": dump_id,
                    "where": where,
                }
            )
    yield from sorted(out, key=lambda r: tuple(r[f] for f in FIELDS))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sample = list(rows(Path(argv[1])))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sample)
    print(f"{len(sample)} rows written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
