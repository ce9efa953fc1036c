"""`costgate pricing build`: turn dated dumps of the clouds' price APIs into catalog entries.

The dumps are listed in a manifest (`pricing/sources/manifest.json`): for each, the repository,
commit and path it was read from, the date of its data and the reader that parses it. The
readers reuse the parsers `pricing refresh` applies to live API pages (`refresh.azure.
parse_items` for Retail Prices API items), so a dump and a live page give the same entry.

A build is reproducible: the entries of every source in the manifest are removed and
re-added from its dump, sorted; entries from other sources are kept. Where another source
already prices a (service, product, region, kind), the existing entry is kept and the
difference is reported (`Conflict`), so a build never silently changes a reviewed price,
unless the dump's manifest options say it supersedes that entry: `supersedes_kinds` (every
entry of those kinds) or `supersedes_sources` (every entry of those sources, e.g. an undated
copy whose `as_of` is a retrieval date). A superseded source that no entry cites any more
leaves `sources`. Only products the catalog knows (a price or product facts) are added; a
reader may add product facts taken from its own dump. A product a superseding dump priced in
the previous build stays known, so a product first known through a superseded entry keeps
its prices when the build runs again.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import CatalogError
from costgate.facts.google import LICENSE_REGION
from costgate.pricing import store
from costgate.pricing.build_aws import (
    AWS_ACCELERATED,
    aws_metered_ec2_ondemand_json,
    aws_metered_ec2_reserved_json,
    aws_metered_unit_map_json,
)
from costgate.pricing.build_azure import azure_karpenter_go
from costgate.pricing.build_google_storage import gcp_cyclenerd_storage_yml, pricing_yml_rate
from costgate.pricing.build_google_tpu import gcp_tpu_pricing_json
from costgate.pricing.refresh import PRICE_STEP, Fetched
from costgate.pricing.refresh import azure as azure_refresh

MANIFEST_NAME = "sources/manifest.json"


@dataclass(frozen=True)
class Dump:
    """One dated dump named in the manifest."""

    id: str
    provider: str
    reader: str
    repository: str
    commit: str
    path: str
    data_date: str
    description: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Where the dump can be read again: the file at its commit."""
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}"

    def local_name(self) -> str:
        """File name of the dump in the `--dumps` folder: `<id><suffix of path>`."""
        return self.id + Path(self.path).suffix


@dataclass(frozen=True)
class Read:
    """What a reader found in one dump: prices and facts for products new to the catalog."""

    prices: list[Fetched]
    products: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    """A dump price for a key another source already prices (the existing entry is kept)."""

    key: str
    kept: str
    kept_source: str
    dumped: str
    dump: str


@dataclass
class BuildResult:
    """Per provider: entries written per dump and conflicts with other sources."""

    added: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    superseded: dict[str, int] = field(default_factory=dict)
    """Entries of another source a dump replaced, per `source -> dump`."""


@dataclass(frozen=True)
class Known:
    """The products the catalog knows (a price or product facts), per service."""

    names: frozenset[tuple[str, str]]

    def __call__(self, service: str, product: str) -> bool:
        return (service, product) in self.names

    def of(self, service: str) -> list[str]:
        """Every known product of *service*."""
        return sorted(p for s, p in self.names if s == service)


def load_manifest(path: Path) -> list[Dump]:
    """The dumps a manifest lists."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [
            Dump(
                id=str(d["id"]),
                provider=str(d["provider"]),
                reader=str(d["reader"]),
                repository=str(d["repository"]),
                commit=str(d["commit"]),
                path=str(d["path"]),
                data_date=str(d["data_date"]),
                description=str(d["description"]),
                options=dict(d.get("options", {})),
            )
            for d in raw["dumps"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"cannot read the build manifest: {exc!r}", path=str(path)) from exc


# --- readers -------------------------------------------------------------------------------

_SUFFIX = re.compile(r" (Spot|Low Priority)$")
_NOT_A_VM = re.compile(r"Cloud ?Services|- Expired$", re.IGNORECASE)
"""Trimmed radar items without `serviceName`: Cloud Services products (`Basv2 Series Cloud
Services`, `Easv5 Series CloudServices`, `Cloud Services Dv2 Series`) carry the VM sizes'
meter names at other rates, and `D2 v2/DS2 v2 - Expired` meters are retired rates; neither
is a VM's current price."""


def _squash(size: str) -> str:
    """`Standard_NC40ads_H100_v5` and the meter name `NC40adsH100v5` -> `nc40adsh100v5`."""
    name = size.lower()
    name = name.removeprefix("standard_")
    return name.replace("_", "").replace(" ", "")


def azure_retail_items(path: Path, dump: Dump, known: Known) -> Read:
    """A Retail Prices API page (`{"Items": [...]}`) or a mapping of trimmed API items keyed
    `productId/skuId|meterId|type|...` (andy-diericks/azure-pricing-radar), read with the
    same parser as `pricing refresh azure` (`refresh.azure.parse_items`).

    Items that lack `armSkuName` (the radar keeps only `skuName`, e.g. `NC40adsH100v5`) get
    the ARM size whose name matches it without `Standard_` and underscores, among the sizes
    the catalog knows (`options.sizes` may list more); other sizes are not added.
    `options.services` (e.g. `["blob", "files"]`) adds every product of those services, so
    each storage-account SKU need not be declared first.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    sizes = {_squash(s): s for s in [*known.of("vm"), *dump.options.get("sizes", [])]}
    if isinstance(data, Mapping) and "Items" in data:
        raw_items: Iterable[tuple[str, Mapping[str, Any]]] = (("", i) for i in data["Items"])
    elif isinstance(data, Mapping):
        raw_items = data.items()
    else:
        raise CatalogError("not a Retail Prices API page or item mapping", path=str(path))
    items = []
    for key, raw in raw_items:
        item = dict(raw)
        parts = key.split("|")
        if len(parts) >= 3:
            item.setdefault("type", parts[2])
            item.setdefault("meterId", parts[1])
        if "serviceName" not in item and _NOT_A_VM.search(
            f"{item.get('productName', '')}|{item.get('meterName', '')}"
        ):
            continue  # the radar drops serviceName: Cloud Services and retired meters share names
        if "serviceName" in dump.options:
            item.setdefault("serviceName", dump.options["serviceName"])
        if "armSkuName" not in item:
            base = _SUFFIX.sub("", str(item.get("skuName", "")))
            arm = sizes.get(_squash(base))
            if arm is None and base.startswith("Standard_"):
                arm = base
            if arm is None:
                if item.get("serviceName") == "Virtual Machines":
                    continue
                arm = base
            item["armSkuName"] = arm
        items.append(item)
    return _azure_items(items, dump, known)


def _azure_items(items: Iterable[Mapping[str, Any]], dump: Dump, known: Known) -> Read:
    """Retail Prices API items through the `pricing refresh azure` parser, keeping products
    the catalog knows and every product of `options.services`; `options.read_services`, when
    given, reads those catalog services only (a dump kept as a service subset of a whole
    regional export then builds the same entries as the whole file)."""
    services = set(dump.options.get("services", ()))
    read_only = dump.options.get("read_services")
    if read_only is not None and (
        not isinstance(read_only, list) or not all(isinstance(s, str) for s in read_only)
    ):
        # a string would be read letter by letter ("disk" in "blob,files,disk" matches)
        raise CatalogError(
            f"dump {dump.id}: options.read_services must be a list of catalog service names "
            f"(['blob', 'files', 'disk']), not {read_only!r}"
        )
    return Read(
        [
            p
            for p in azure_refresh.parse_items(items)
            if (known(p.service, p.product) or p.service in services)
            and (read_only is None or p.service in read_only)
        ]
    )


def azure_retail_csv(path: Path, dump: Dump, known: Known) -> Read:
    """Retail Prices API items written as CSV, one column per API field (e.g. the nightly
    westus export of jokamotonpi/azure-price-mirror), read with the `pricing refresh azure`
    parser. Rows keep `tierMinimumUnits`, so volume-tiered capacity is read tier by tier;
    `options.services` works as for `azure-retail-items`."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"retailPrice", "meterName", "productName"} <= set(reader.fieldnames or ()):
                raise CatalogError(
                    "not a CSV of Retail Prices API items (no retailPrice, meterName, productName)",
                    path=str(path),
                )
            rows = [_csv_row(row, reader.line_num, path) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CatalogError(
            f"not a readable CSV of Retail Prices API items: {exc}", path=str(path)
        ) from exc
    items = [
        {k: v for k, v in row.items() if v != ""}
        for row in rows
        if row.get("armSkuName") or row.get("serviceName") != "Virtual Machines"
    ]
    return _azure_items(items, dump, known)


CSV_NUMBER_COLUMNS = {"retailPrice": True, "tierMinimumUnits": False}
"""Columns of a Retail Prices CSV the parser reads as numbers -> whether a row must fill it."""


def _csv_row(row: dict[str | None, Any], line: int, path: Path) -> dict[str, str]:
    """One CSV row as an item; a row with more or fewer fields than the header (its missing
    fields would be dropped, the row read as another meter) or a number column that is not
    a number is a malformed dump (exit 2 naming the line), never an internal error."""
    if None in row or None in row.values():
        raise CatalogError(
            f"expected {len([k for k in row if k is not None])} comma-separated fields as in "
            "the header, got a row with more or fewer",
            path=str(path),
            location=str(line),
        )
    for column, required in CSV_NUMBER_COLUMNS.items():
        value = row.get(column) or ""
        try:
            finite = (value == "" and not required) or Decimal(value).is_finite()
        except ArithmeticError:
            finite = False
        if not finite:
            raise CatalogError(
                f"{column} {value!r} is not a number", path=str(path), location=str(line)
            )
    return {str(k): str(v) for k, v in row.items()}


GCP_ACCELERATORS = {
    "a100": ("NVIDIA A100", 40),
    "a100-80gb": ("NVIDIA A100", 80),
    "h100-80gb": ("NVIDIA H100", 80),
    "h100-80gb-mega": ("NVIDIA H100", 80),
    "l4": ("NVIDIA L4", 24),
}
"""Accelerator keys of Cyclenerd's pricing.yml -> (model, GiB per GPU)."""


def pricing_yml(path: Path) -> Any:
    """Cyclenerd's pricing.yml, parsed once per build: the compute and the storage readers
    read the same 4 MB file (safe loader; the C one where PyYAML has it)."""
    stat = path.stat()
    return _parsed_yaml(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=2)
def _parsed_yaml(path: Path, _mtime_ns: int, _size: int) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def gcp_cyclenerd_pricing_yml(path: Path, dump: Dump, known: Known) -> Read:
    """`pricing.yml` of Cyclenerd/google-cloud-pricing-cost-calculator: per machine type and
    region, `hour` (on-demand list price, GPUs of A2/A3/G2 included) and `hour_spot`, which
    the repository computes from Cloud Billing Catalog API SKUs. Machine types of the
    families in `options.families` are read; facts (vCPU, memory, bundled GPUs) come from
    the same file for types the catalog does not describe yet. Of the families in
    `options.known_types_of`, only the types the catalog already describes are read.
    `options.licenses` adds the premium OS licence rates (`compute.license`) of the machine
    types the catalog prices (`_gcp_licenses`).
    """
    data = pricing_yml(path)
    families = tuple(f"{f}-" for f in dump.options.get("families", []))
    known_only = tuple(f"{f}-" for f in dump.options.get("known_types_of", []))
    prices: list[Fetched] = []
    products: dict[str, dict[str, Any]] = {}
    note = f"pricing.yml @{dump.commit[:8]}"
    for machine, spec in sorted(data["compute"]["instance"].items()):
        if machine.startswith(known_only) and not known("compute", machine):
            continue
        if not machine.startswith(families + known_only):
            continue
        if not known("compute", machine):
            facts = _gcp_facts(spec)
            if facts is None:
                continue
            products[f"compute:{machine}"] = {**facts, "source": dump.id}
        for region, cost in sorted((spec.get("cost") or {}).items()):
            for field_name, kind in (("hour", "on_demand"), ("hour_spot", "spot")):
                value = cost.get(field_name)
                if value is None or Decimal(str(value)) <= 0:
                    continue
                prices.append(
                    Fetched(
                        "compute",
                        machine,
                        region,
                        kind,
                        "hour",
                        Decimal(str(value)),
                        f"{note}: {field_name}",
                    )
                )
    if dump.options.get("n1_custom_rates"):
        prices += _gcp_n1_custom_rates(data["compute"]["instance"], note)
    if dump.options.get("local_ssd"):
        prices += _gcp_local_ssd(data["compute"]["storage"].get("local") or {}, note)
    if dump.options.get("external_ip"):
        prices += _gcp_external_ip(data["compute"].get("network", {}).get("ip") or {}, note)
    if dump.options.get("licenses"):
        machines = {p.product for p in prices if p.service == "compute"}
        machines |= {m for m in data["compute"].get("license") or {} if known("compute", m)}
        prices += _gcp_licenses(data["compute"].get("license") or {}, machines, note)
    return Read(prices, products)


def _gcp_licenses(licenses: Mapping[str, Any], machines: set[str], note: str) -> list[Fetched]:
    """Premium OS licence per hour for each machine type the catalog prices (`machines`):
    `compute.license.<type>.cost.<os>.hour`, service `license`, product the machine type,
    kind the OS (`windows`, `rhel`, `rhel_sap`, `sles`, `sles_sap`), region `global`.
    pricing.yml computes each from the licence SKU of the type's size band (per vCPU for
    Windows and RHEL, per VM for SLES; its build/pricing.pl)."""
    out: list[Fetched] = []
    for machine in sorted(machines & set(licenses)):
        for os_name, cost in sorted(((licenses[machine] or {}).get("cost") or {}).items()):
            rate = pricing_yml_rate((cost or {}).get("hour"))
            if rate is None:
                continue
            out.append(
                Fetched(
                    "license",
                    machine,
                    LICENSE_REGION,
                    os_name.replace("-", "_"),
                    "hour",
                    rate,
                    f"{note}: compute.license.{machine}.cost.{os_name}.hour",
                )
            )
    return out


_GCP_IP_KINDS = {"vm": "in_use", "unused": "unused"}
"""pricing.yml `compute.network.ip` keys -> kinds of `network`/`external_ip`: an external
address in use by a VM (`vm`, the same rate for a static or an ephemeral address) and a
static address reserved but attached to nothing (`unused`)."""


def _gcp_external_ip(ip: Mapping[str, Any], note: str) -> list[Fetched]:
    """External IPv4 address per hour, per region (`hour` of `ip.vm` and `ip.unused`)."""
    return [
        Fetched("network", "external_ip", region, kind, "hour", rate, note)
        for key, kind in _GCP_IP_KINDS.items()
        for region, cost in sorted(((ip.get(key) or {}).get("cost") or {}).items())
        if (rate := pricing_yml_rate(cost.get("hour"))) is not None
    ]


def _gcp_n1_custom_rates(instances: Mapping[str, Any], note: str) -> list[Fetched]:
    """Per-vCPU and per-GB hourly rates of N1 custom machine types, per region.

    pricing.yml prices its N1 custom types (`type: n1-custom`) as vCPUs x the N1 custom
    core SKU + GB x the N1 custom RAM SKU (its build/pricing.pl), so two of them give both
    rates exactly; every further one must agree to 1e-6, else the region is skipped.
    """
    shapes = sorted(
        (Decimal(str(spec["cpu"])), Decimal(str(spec["ram"])), spec.get("cost") or {})
        for spec in instances.values()
        if spec.get("type") == "n1-custom" and spec.get("cpu") and spec.get("ram")
    )
    if len(shapes) < 3:
        return []
    (c1, m1, first_cost), (c2, m2, second_cost) = shapes[0], shapes[1]
    out: list[Fetched] = []
    for region in sorted(first_cost):
        for field_name, kind in (("hour", "on_demand"), ("hour_spot", "spot")):
            try:
                h1 = Decimal(str(first_cost[region][field_name]))
                h2 = Decimal(str(second_cost[region][field_name]))
                others = [
                    (c, m, Decimal(str(cost[region][field_name]))) for c, m, cost in shapes[2:]
                ]
            except (KeyError, TypeError):
                continue
            ram = (c2 * h1 - c1 * h2) / (c2 * m1 - c1 * m2)
            cpu = (h1 - m1 * ram) / c1
            if (
                cpu <= 0
                or ram <= 0
                or any(abs(c * cpu + m * ram - h) > Decimal("1e-6") for c, m, h in others)
            ):
                continue
            how = f"{note}: solved from the {field_name} of its {len(shapes)} N1 custom types"
            out.append(Fetched("compute", "n1-custom-vcpu", region, kind, "hour", cpu, how))
            out.append(Fetched("compute", "n1-custom-memory", region, kind, "hour", ram, how))
    return out


def _gcp_local_ssd(local: Mapping[str, Any], note: str) -> list[Fetched]:
    """Local SSD per GB-month (`month`) and for Spot VMs (`month_spot`), per region."""
    out: list[Fetched] = []
    for region, cost in sorted((local.get("cost") or {}).items()):
        for field_name, kind in (("month", "storage"), ("month_spot", "spot")):
            value = cost.get(field_name)
            if value is not None and Decimal(str(value)) > 0:
                out.append(
                    Fetched(
                        "disk",
                        "local-ssd",
                        region,
                        kind,
                        "GB-month",
                        Decimal(str(value)),
                        f"{note}: compute.storage.local {field_name}",
                    )
                )
    return out


E2_SHARED_CORE_VCPUS = 2
"""e2-micro, e2-small and e2-medium have 2 vCPUs and bill a fraction of them (pricing.yml
gives the billed fraction as `cpu`); f1-micro and g1-small have 1 (Compute Engine
shared-core machine types)."""


def _gcp_facts(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    try:
        cpu = Decimal(str(spec["cpu"]))
        facts: dict[str, Any] = {"vcpu": int(cpu), "memory_gib": spec["ram"]}
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    if cpu < 1:
        facts.update(vcpu=E2_SHARED_CORE_VCPUS, billed_vcpu=float(cpu))
    for key, (model, gib) in GCP_ACCELERATORS.items():
        if spec.get(key):
            count = int(spec[key])
            facts["accelerator"] = {
                "kind": "gpu",
                "model": model,
                "count": count,
                "memory_gib": gib * count,
            }
    if spec.get("local-ssd"):  # A2 Ultra, A3: the Local SSD is in pricing.yml's `hour`
        facts["bundled_local_ssd_gib"] = int(spec["local-ssd"])
    return facts


AWS_COMMERCIAL_REGION = re.compile(r"^(?!us-gov-)[a-z]{2}-[a-z]+-\d$")
"""A commercial AWS region code (`eu-central-1`); Local Zones, Wavelength Zones
(`us-east-1-bos-1`, `us-west-2-wl1`) and GovCloud are left out."""

AWS_ACCELERATOR_KINDS = {"inf": "inferentia", "trn": "trainium"}
"""Instance family prefix -> accelerator kind; every other accelerated family is a GPU."""


def aws_vantage_gpu_js(path: Path, dump: Dump, known: Known) -> Read:
    """`data/all_gpu_instances.js` of tsaol/aws-gpu: a JavaScript array generated from
    instances.vantage.sh (itself read from the AWS Price List), one object per GPU or ML
    accelerator instance type with `pricing[region].onDemand` (Linux, USD per hour).
    Commercial regions only. Facts (vCPU, memory, accelerator model and count) are added for
    types the catalog does not describe; the `reserved` column is not read (its term and
    payment option are not stated)."""
    text = path.read_text(encoding="utf-8")
    try:
        items = json.loads(text[text.index("[") : text.rindex("]") + 1])
    except ValueError as exc:
        raise CatalogError(f"not a vantage GPU instance array: {exc}", path=str(path)) from exc
    prices: list[Fetched] = []
    products: dict[str, dict[str, Any]] = {}
    note = f"all_gpu_instances.js @{dump.commit[:8]}: onDemand"
    for item in items:
        name = str(item.get("apiName") or item.get("name") or "")
        regional = {
            r: v.get("onDemand")
            for r, v in (item.get("pricing") or {}).items()
            if AWS_COMMERCIAL_REGION.match(r) and isinstance(v, Mapping)
        }
        regional = {r: v for r, v in regional.items() if v is not None and Decimal(str(v)) > 0}
        if "." not in name or not regional:
            continue
        if not known("ec2", name):
            facts = _aws_gpu_facts(name, item)
            if facts is None:
                continue
            products[f"ec2:{name}"] = {**facts, "source": dump.id}
        for region, value in sorted(regional.items()):
            prices.append(
                Fetched("ec2", name, region, "on_demand", "hour", Decimal(str(value)), note)
            )
    return Read(prices, products)


def _aws_gpu_facts(name: str, item: Mapping[str, Any]) -> dict[str, Any] | None:
    """vCPU, memory and accelerator of a vantage GPU item; None when one is missing."""
    try:
        memory = Decimal(str(item["memory"]).split()[0])
        facts: dict[str, Any] = {"vcpu": int(item["vcpu"]), "memory_gib": int(memory)}
        count = int(item["gpuCount"])
        model = str(item["gpu"])
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    if count < 1:
        return None  # fractional GPUs (g6f) are not described; their prices are not read
    kind = next((k for p, k in AWS_ACCELERATOR_KINDS.items() if name.startswith(p)), "gpu")
    facts["accelerator"] = {"kind": kind, "model": model, "count": count}
    return facts


def aws_spot_advisor_facts(path: Path, dump: Dump, known: Known) -> Read:
    """The Spot Instance Advisor feed (`spot-advisor-data.json`, `instance_types`: `cores`,
    `ram_gb`): vCPU and memory facts for instance types the catalog does not describe, so a
    later dump may price them. No prices; accelerated families are left out."""
    data = json.loads(path.read_text(encoding="utf-8"))
    products: dict[str, dict[str, Any]] = {}
    for name, spec in sorted((data.get("instance_types") or {}).items()):
        if known("ec2", name) or AWS_ACCELERATED.match(name) or not isinstance(spec, Mapping):
            continue
        try:
            vcpu, memory = int(spec["cores"]), Decimal(str(spec["ram_gb"]))
        except (KeyError, TypeError, ValueError, ArithmeticError):
            continue
        if vcpu >= 1 and memory > 0:
            memory_gib = int(memory) if memory == int(memory) else float(memory)
            products[f"ec2:{name}"] = {"vcpu": vcpu, "memory_gib": memory_gib, "source": dump.id}
    return Read([], products)


_KARPENTER_REGION = re.compile(r'^\s*"([a-z]{2}(?:-[a-z]+)+-\d)": \{')
_KARPENTER_PRICE = re.compile(r'"([a-z0-9-]+\.[a-z0-9-]+)": ([0-9]+(?:\.[0-9]+)?)')


def go_price_table(
    path: Path, region: re.Pattern[str], price: re.Pattern[str], missing: str
) -> Iterator[tuple[str, str, Decimal]]:
    """(region, type, price) of a generated Go price table (Karpenter's, AWS and Azure): a
    line matching *region* opens that region's block, *price* finds `"type": price` pairs in
    it. A file without a region block is not such a table: the error says *missing*."""
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        found = region.match(line)
        if found:
            current = found.group(1)
            continue
        if current:
            for name, value in price.findall(line):
                yield current, name, Decimal(value)
    if not current:
        raise CatalogError(missing, path=str(path))


def aws_karpenter_go(path: Path, dump: Dump, known: Known) -> Read:
    """Karpenter's `zz_generated.pricing_aws.go`: on-demand Linux prices per region and
    instance type (`"m5.large": 0.096000`), generated from the AWS Price List API. Types the
    catalog knows (after earlier dumps of the build) are read."""
    note = f"zz_generated.pricing_aws.go @{dump.commit[:8]}"
    return Read(
        [
            Fetched("ec2", name, region, "on_demand", "hour", value, note)
            for region, name, value in go_price_table(
                path,
                _KARPENTER_REGION,
                _KARPENTER_PRICE,
                "no region block found in the Karpenter price table",
            )
            if known("ec2", name) and value > 0
        ]
    )


READERS: dict[str, Callable[[Path, Dump, Known], Read]] = {
    "azure-retail-items": azure_retail_items,
    "azure-retail-csv": azure_retail_csv,
    "azure-karpenter-go": azure_karpenter_go,
    "gcp-cyclenerd-pricing-yml": gcp_cyclenerd_pricing_yml,
    "gcp-cyclenerd-storage-yml": gcp_cyclenerd_storage_yml,
    "gcp-tpu-pricing-json": gcp_tpu_pricing_json,
    "aws-vantage-gpu-js": aws_vantage_gpu_js,
    "aws-spot-advisor-facts": aws_spot_advisor_facts,
    "aws-karpenter-go": aws_karpenter_go,
    "aws-metered-unit-map-json": aws_metered_unit_map_json,
    "aws-metered-ec2-ondemand-json": aws_metered_ec2_ondemand_json,
    "aws-metered-ec2-reserved-json": aws_metered_ec2_reserved_json,
}
"""Reader name (the manifest's `reader`) -> function."""


# --- build ---------------------------------------------------------------------------------


def _price_string(value: Decimal) -> str:
    return format(value.quantize(PRICE_STEP).normalize(), "f")


def _tier(start: Decimal) -> str:
    """A tier start as the catalog spells it (`51200`, not `51200.0`)."""
    return format(start.normalize(), "f")


def build(manifest: Path, dumps: Path, catalog_dir: Path, only: Iterable[str] = ()) -> BuildResult:
    """Rebuild the entries of every manifest dump (or those in *only*) in *catalog_dir*."""
    wanted = set(only)
    selected = [d for d in load_manifest(manifest) if not wanted or d.id in wanted]
    if wanted - {d.id for d in selected}:
        raise CatalogError(f"not in the manifest: {', '.join(sorted(wanted))}")
    result = BuildResult()
    stored = store.shipped_providers(catalog_dir)
    for provider in sorted({d.provider for d in selected}):
        target = stored.get(provider, catalog_dir / f"{provider}.json")
        document = store.read_document(target)
        mine = [d for d in selected if d.provider == provider]
        _build_provider(document, mine, dumps, result)
        store.write_document(document, target)
        result.files.append(target)
    return result


def _build_provider(
    document: dict[str, Any], mine: list[Dump], dumps: Path, result: BuildResult
) -> None:
    ids = {d.id for d in mine}
    kept = [e for e in document["prices"] if e["source"] not in ids]
    kept_names = {(e["service"], e["product"]) for e in kept}
    products = {k: v for k, v in document["products"].items() if v.get("source") not in ids}
    known = Known(
        frozenset(
            kept_names
            | {tuple(name.split(":", 1)) for name in products}
            | _superseding_products(document, mine)
        )
    )

    existing = {
        (e["service"], e["product"], e["region"], e["kind"], e.get("tier_start", "0")): e
        for e in kept
    }
    added: list[dict[str, Any]] = []
    replaced: set[int] = set()
    superseded: set[str] = set()
    for dump in mine:
        path = dumps / dump.local_name()
        if not path.is_file():
            raise CatalogError(
                f"dump {dump.id} is missing: fetch {dump.path} of {dump.repository} at "
                f"{dump.commit} into {path}",
                path=str(path),
            )
        reader = READERS.get(dump.reader)
        if reader is None:
            raise CatalogError(f"unknown reader {dump.reader!r} for dump {dump.id}")
        try:
            read = reader(path, dump, known)
        except (ArithmeticError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # a dump is outside input: a value of the wrong type or shape is exit 2
            raise CatalogError(
                f"dump {dump.id}: a value the {dump.reader} reader needs is missing or not "
                f"of the expected type ({type(exc).__name__}: {exc}); nothing written",
                path=str(path),
            ) from exc
        kinds = set(dump.options.get("supersedes_kinds", []))
        sources = set(dump.options.get("supersedes_sources", []))
        superseded |= sources
        for name, facts in read.products.items():
            products.setdefault(name, facts)
        # a product a dump of this build prices is known to the dumps after it, as it is
        # on the next build (through `_superseding_products` or the kept entry): fixed point
        described = {(n.split(":", 1)[0], n.split(":", 1)[1]) for n in read.products}
        known = Known(known.names | described | {(p.service, p.product) for p in read.prices})
        count = 0
        for p in sorted(
            read.prices, key=lambda p: (p.service, p.product, p.region, p.kind, p.tier_start)
        ):
            if "retired" in products.get(f"{p.service}:{p.product}", {}):
                continue  # a retired product keeps no price (its facts say when it retired)
            key = (p.service, p.product, p.region, p.kind, _tier(p.tier_start))
            price = _price_string(p.price)
            stale = existing.get(key)
            if stale is not None and stale["source"] not in ids:
                if p.kind in kinds or stale["source"] in sources:
                    replaced.add(id(existing.pop(key)))  # a stale kind or source the dump replaces
                    how = f"{stale['source']} -> {dump.id}"
                    result.superseded[how] = result.superseded.get(how, 0) + 1
            if key in existing:
                other = existing[key]
                if other["source"] in ids and other["source"] != dump.id:
                    continue  # an earlier dump of this build already priced it
                if Decimal(other["price"]) != Decimal(price) and other["source"] != dump.id:
                    result.conflicts.append(
                        Conflict("/".join(key[:4]), other["price"], other["source"], price, dump.id)
                    )
                continue
            entry = {
                "service": p.service,
                "product": p.product,
                "region": p.region,
                "kind": p.kind,
                "unit": p.unit,
                "price": price,
                "source": dump.id,
                "as_of": dump.data_date,
            }
            if p.tier_start:
                entry["tier_start"] = _tier(p.tier_start)
            if p.note:
                entry["note"] = p.note
            existing[key] = entry
            added.append(entry)
            count += 1
        result.added[dump.id] = count
        document["sources"][dump.id] = {
            "url": dump.url,
            "description": f"{dump.description} Data date {dump.data_date}; read by "
            f"`costgate pricing build` with the {dump.reader} reader.",
        }
    document["prices"] = [e for e in kept if id(e) not in replaced] + added
    previous = document["products"]
    for name, facts in previous.items():
        # a rebuilt dump's reader skips a product a kept entry prices (it is known): its
        # facts from the previous build stay, or the next build would drop them
        if facts.get("source") in ids and tuple(name.split(":", 1)) in kept_names:
            products.setdefault(name, facts)
    order = [name for name in previous if name in products]  # as before, then new ones
    order += [name for name in products if name not in previous]
    document["products"] = {name: products[name] for name in order}
    cited = {e["source"] for e in document["prices"]} | {
        str(v["source"]) for v in products.values() if "source" in v
    }
    for source in sorted(superseded - cited):
        document["sources"].pop(source, None)  # superseded everywhere: nothing cites it


def _superseding_products(document: Mapping[str, Any], mine: list[Dump]) -> set[tuple[str, str]]:
    """Products a dump with `supersedes_sources` priced in the previous build, except those
    whose facts come from a rebuilt dump (its reader adds them again). Without this, a product
    known only through an entry the dump superseded would be dropped by the next build."""
    ids = {d.id for d in mine}
    superseding = {d.id for d in mine if d.options.get("supersedes_sources")}
    described = {
        tuple(name.split(":", 1))
        for name, facts in document["products"].items()
        if facts.get("source") in ids
    }
    return {
        (str(e["service"]), str(e["product"]))
        for e in document["prices"]
        if e["source"] in superseding
    } - described
