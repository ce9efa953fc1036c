"""`costgate pricing`: show, validate, refresh, diff and compare catalog prices."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from costgate.cli.exits import EXIT_FAIL, EXIT_PASS


@click.group("pricing")
def group() -> None:
    """Inspect and validate the pricing catalog."""


@group.command("show")
@click.argument("product")
@click.option("--region", help="Only this region.")
@click.option(
    "--catalog",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra catalog file overriding shipped prices.",
)
def pricing_show(product: str, region: str | None, catalog: tuple[str, ...]) -> None:
    """Show every catalog price for PRODUCT (instance type, volume type, storage class)."""
    from costgate.money import exact
    from costgate.pricing.catalog import load_catalog

    cat = load_catalog([Path(p) for p in catalog])
    entries = [e for e in cat.entries_of(product) if region is None or e.region == region]
    if not entries:
        from costgate.errors import CatalogError

        retired = [
            f"{prov} {name} was retired on {facts['retired']}"
            for (prov, name), facts in cat.products.items()
            if name.partition(":")[2].lower() == product.lower() and facts.get("retired")
        ]
        if retired:  # its facts stay in the catalog, its prices do not
            raise CatalogError(f"{'; '.join(retired)}: a retired product has no price")
        raise CatalogError(
            f"no prices for {product!r}" + (f" in {region}" if region else "") + " in the catalog"
        )
    services = sorted({(e.provider, e.service) for e in entries})
    for provider, service in services:
        facts = cat.product(provider, service, product)
        if facts:
            described = ", ".join(f"{k}={v}" for k, v in facts.items() if k != "source")
            click.echo(f"{provider} {service}:{product}: {described}")
    width = max(len(e.region) for e in entries)
    for e in entries:
        tier = f" from {e.tier_start}" if e.tier_start else ""
        click.echo(
            f"  {e.provider}/{e.service} {e.region:<{width}} {e.kind:<20} "
            f"{exact(e.price):>12} USD/{e.unit}{tier}  "
            f"(as of {e.as_of}; {e.source_url})"
        )


@group.command("validate")
@click.argument("files", nargs=-1, type=click.Path())
def pricing_validate(files: tuple[str, ...]) -> None:
    """Validate catalog FILES or sharded provider folders (default: the shipped catalog):
    exit 1 on errors."""
    from costgate.pricing.catalog import bundled_catalogs
    from costgate.pricing.validate import validate_files

    paths = [Path(f) for f in files] or bundled_catalogs()
    problems = validate_files(paths)
    for problem in problems:
        click.echo(str(problem))
    errors = [p for p in problems if p.severity == "error"]
    click.echo(
        f"{len(paths)} catalog(s): {len(errors)} error(s), {len(problems) - len(errors)} warning(s)"
    )
    sys.exit(EXIT_FAIL if errors else EXIT_PASS)


def _price_sources() -> list[str]:
    from costgate.pricing.refresh.source import PRICE_SOURCES

    return list(PRICE_SOURCES)


PER_TYPE_QUERIES = frozenset({"aws", "azure"})
"""Refresh sources that send a query per region x type (gcp reads every SKU page once)."""
MAX_DEFAULT_QUERIES = 5_000
"""Most queries a refresh without --regions may send: the shipped catalog's defaults reach
~81,000 for azure (1,395 sizes x 58 regions) and ~30,000 for aws."""


@group.command("refresh")
@click.argument("cloud", type=click.Choice(_price_sources()))
@click.option(
    "--regions",
    multiple=True,
    help="Regions (repeatable or comma-separated). "
    "Default: the regions the shipped catalog prices (aws, azure: refused over "
    "5,000 region x type queries).",
)
@click.option(
    "--types",
    multiple=True,
    help="Instance / machine / VM types (repeatable or "
    "comma-separated). Default: the shipped catalog's compute types. "
    "Storage: aws `ebs`, `s3` (included by default); gcp `gcs` (included by default); "
    "gcp custom machine rates `custom`, `n2-custom` and image storage `images` (included "
    "by default); "
    "azure disk SKUs, `storage-accounts`.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Catalog file to write. Default: <user catalog dir>/<provider>.json, "
    "which every run loads over the shipped catalog.",
)
def pricing_refresh(
    cloud: str, regions: tuple[str, ...], types: tuple[str, ...], output: str | None
) -> None:
    """Fetch current prices from CLOUD's price API and write an override catalog file."""
    import datetime as dt
    import decimal

    from costgate.pricing import refresh
    from costgate.pricing.catalog import load_catalog
    from costgate.pricing.refresh.source import PRICE_SOURCES

    source = PRICE_SOURCES[cloud]
    shipped = load_catalog(user_files=False)
    request = refresh.default_request(shipped, source.provider, _split(regions), _split(types))
    queries = len(request.regions) * len(request.types)
    if not regions and cloud in PER_TYPE_QUERIES and queries > MAX_DEFAULT_QUERIES:
        from costgate.errors import CatalogError

        raise CatalogError(
            f"without --regions this refresh asks for {len(request.types):,} {cloud} types in "
            f"{len(request.regions)} regions ({queries:,} queries, one after another); name the "
            "regions you use with --regions (and the types with --types); nothing written"
        )
    request, skipped = refresh.without_retired(request, shipped, source.provider)
    for message in skipped:
        click.echo(message, err=True)
    try:
        fetched = source.fetch(request, shipped)
    except decimal.InvalidOperation as exc:  # a reader's Decimal() of an API figure
        from costgate.errors import CatalogError

        raise CatalogError(
            f"{source.name} price API: a price or range in its answer is not a number; "
            "nothing written"
        ) from exc
    document = refresh.build_document(
        source.provider,
        fetched,
        source.source_id,
        source.url(),
        source.description,
        shipped,
        dt.date.today(),
    )
    target = Path(output) if output else refresh.default_output(source.provider)
    refresh.write_catalog(document, target)
    click.echo(f"wrote {len(document['prices'])} {source.provider} price(s) to {target}")


def _split(values: tuple[str, ...]) -> list[str]:
    """`--regions a,b --regions c` -> [a, b, c]."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@group.command("diff")
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
def pricing_diff(old: str, new: str) -> None:
    """Show prices added, removed or changed from catalog OLD to NEW (a file or a sharded
    provider folder such as pricing/aws)."""
    from costgate.money import exact
    from costgate.pricing.trust import diff_catalogs

    changes = diff_catalogs(Path(old), Path(new))
    for c in changes:
        before = exact(c.old) if c.old is not None else "-"
        after = exact(c.new) if c.new is not None else "-"
        pct = f" ({c.percent:+.1f}%)" if c.percent is not None else ""
        click.echo(f"{c.kind:<8} {c.key}: {before} -> {after}{pct}")
    kinds = ("added", "removed", "changed")
    counts = {k: sum(1 for c in changes if c.kind == k) for k in kinds}
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()))


@group.command("compare")
@click.option(
    "--gpu",
    "gpu",
    required=True,
    help="GPU model, optionally with memory: A100-40GB, A100-80GB, H100-80GB, L4, T4, V100.",
)
@click.option("--region", "regions", multiple=True, help="Only these regions (repeatable).")
@click.option(
    "--catalog",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra catalog file overriding shipped prices.",
)
def pricing_compare(gpu: str, regions: tuple[str, ...], catalog: tuple[str, ...]) -> None:
    """On-demand and spot hourly price per GPU on each cloud, from the catalog."""
    from costgate.errors import CatalogError
    from costgate.money import exact
    from costgate.pricing.catalog import load_catalog
    from costgate.pricing.trust import gpu_offers

    offers = gpu_offers(load_catalog([Path(p) for p in catalog]), gpu, _split(regions))
    if not offers:
        raise CatalogError(
            f"no machine type in the catalog carries a {gpu} GPU"
            + (f" in {', '.join(regions)}" if regions else "")
        )
    click.echo(
        f"{'cloud':<8} {'machine type':<26} {'region':<12} {'GPUs':>4} "
        f"{'on-demand/GPU/h':>16} {'spot/GPU/h':>12}"
    )
    for o in offers:
        on_demand, spot = o.per_gpu(o.on_demand), o.per_gpu(o.spot)
        click.echo(
            f"{o.provider:<8} {o.product:<26} {o.region:<12} {o.gpus:>4} "
            f"{exact(on_demand) if on_demand is not None else '-':>16} "
            f"{exact(spot) if spot is not None else '-':>12}"
        )


@group.command("build")
@click.option(
    "--dumps",
    required=True,
    type=click.Path(file_okay=False, exists=True),
    help="Folder holding the dumps the manifest lists, each as <id><suffix of its path>.",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, exists=True),
    help="Sources manifest. Default: sources/manifest.json beside the catalog files.",
)
@click.option(
    "--catalog-dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder of the catalog files to rebuild. Default: the shipped pricing folder.",
)
@click.option("--only", multiple=True, help="Rebuild only these dump ids (repeatable).")
def pricing_build(
    dumps: str, manifest: str | None, catalog_dir: str | None, only: tuple[str, ...]
) -> None:
    """Rebuild catalog entries from the dated price-API dumps a manifest lists."""
    from costgate.pricing.build import MANIFEST_NAME, build
    from costgate.pricing.validate import validate_files
    from costgate.resources import data_dir

    folder = Path(catalog_dir) if catalog_dir else data_dir("pricing")
    result = build(
        Path(manifest) if manifest else folder / MANIFEST_NAME, Path(dumps), folder, _split(only)
    )
    for dump, count in result.added.items():
        click.echo(f"{dump}: {count} price(s)")
    for how, count in result.superseded.items():
        click.echo(f"superseded {count} entr(ies): {how}")
    for c in result.conflicts:
        click.echo(f"kept {c.key} = {c.kept} ({c.kept_source}); {c.dump} has {c.dumped}", err=True)
    errors = [p for p in validate_files(result.files) if p.severity == "error"]
    for problem in errors:
        click.echo(str(problem), err=True)
    click.echo(
        f"{len(result.files)} catalog file(s) written; {len(result.conflicts)} conflict(s) "
        f"kept; {len(errors)} error(s)"
    )
    sys.exit(EXIT_FAIL if errors else EXIT_PASS)


@group.command("coverage")
@click.option(
    "--cloud",
    "clouds",
    multiple=True,
    type=click.Choice(["aws", "google", "azurerm"]),
    help="Only these providers (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--catalog",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra catalog file overriding shipped prices.",
)
def pricing_coverage(clouds: tuple[str, ...], fmt: str, catalog: tuple[str, ...]) -> None:
    """What the catalog prices where: cloud x family x region, with the price kinds."""
    import json

    from costgate.pricing.catalog import load_catalog
    from costgate.pricing.coverage import coverage, summary

    cells = coverage(load_catalog([Path(p) for p in catalog]), clouds)
    if fmt == "json":
        document = {
            "summary": summary(cells),
            "cells": [
                {
                    "cloud": c.provider,
                    "service": c.service,
                    "family": c.family,
                    "region": c.region,
                    "kinds": list(c.kinds),
                    "products": c.products,
                }
                for c in cells
            ],
        }
        click.echo(json.dumps(document, indent=2))
        return
    rows: dict[tuple[str, str, str], list[str]] = {}
    for c in cells:
        mark = "+spot" if "spot" in c.kinds else ""
        rows.setdefault((c.provider, c.service, c.family), []).append(f"{c.region}{mark}")
    click.echo(f"{'cloud':<8} {'service':<10} {'family':<22} {'regions':>7}  where (+spot)")
    for (provider, service, fam), regions in rows.items():
        click.echo(f"{provider:<8} {service:<10} {fam:<22} {len(regions):>7}  {' '.join(regions)}")
    for provider, figures in summary(cells).items():
        click.echo(
            f"{provider}: {figures['regions']} regions, {figures['families']} families, "
            f"{figures['family_regions']} family x region pairs priced "
            f"({figures['family_regions_with_spot']} with spot)"
        )
