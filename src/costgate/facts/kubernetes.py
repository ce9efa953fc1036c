"""Kubernetes control planes: which support tier or pricing tier a managed cluster pays.

EKS bills a cluster-hour at the standard-support rate while its Kubernetes minor version
is in standard support (14 months from its EKS release) and at the extended-support rate
for the 12 months after; AKS bills by `sku_tier`. The pricers read these facts; the
prices themselves are in the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from costgate.facts.values import first, scalar, text
from costgate.model import Resource, is_unknown

EKS_END_OF_STANDARD_SUPPORT: dict[tuple[int, int], date] = {
    (1, 29): date(2025, 3, 23),
    (1, 30): date(2025, 7, 23),
    (1, 31): date(2025, 11, 26),
    (1, 32): date(2026, 3, 23),
    (1, 33): date(2026, 7, 29),
    (1, 34): date(2026, 12, 2),
    (1, 35): date(2027, 3, 27),
}
"""End of standard support per EKS minor version (EKS Kubernetes release calendar,
docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, as listed by
endoflife.date/amazon-eks; read 2026-12-04). Every version before 1.29 left standard
support earlier; a version after 1.35 is newer than this table."""

EKS_CALENDAR_READ = "2026-12-04"

EKS_FIRST_VERSION = (1, 10)
"""The first version EKS offered: anything lower is a misread version, not an old one."""


@dataclass(frozen=True, slots=True)
class EksSupport:
    """The support tier an EKS cluster is billed at, and why (shown on its cost line)."""

    extended: bool
    reason: str


def _minor(version: str) -> tuple[int, int] | None:
    parts = version.strip().split(".")
    if len(parts) < 2 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return int(parts[0]), int(parts[1])


def eks_support(cluster: Resource, today: date) -> EksSupport:
    """Standard or extended support for `aws_eks_cluster` on *today*.

    An unset version is the latest EKS offers (standard); `upgrade_policy.support_type =
    "STANDARD"` makes EKS upgrade the cluster when standard support ends, so it never pays
    the extended rate. Anything the calendar cannot decide is priced standard, and says so.
    """
    raw = scalar(cluster.attr("version"), "version")
    policy = text(first(cluster.attr("upgrade_policy")).get("support_type"))
    if policy is not None and policy.upper() == "STANDARD":
        return EksSupport(False, "upgrade_policy STANDARD: upgraded when standard support ends")
    if raw is None or raw == "":
        return EksSupport(False, "version not set: EKS creates the latest version")
    if is_unknown(raw):
        return EksSupport(False, "version unknown until apply; standard support assumed")
    version = str(raw)
    minor = _minor(version)
    if minor is None or minor < EKS_FIRST_VERSION:  # `version = 1.30` unquoted reads 1.3
        return EksSupport(False, f"version {version!r} not understood; standard support assumed")
    oldest, newest = min(EKS_END_OF_STANDARD_SUPPORT), max(EKS_END_OF_STANDARD_SUPPORT)
    if minor < oldest:
        return EksSupport(True, f"version {version}: standard support ended before 2025-03-23")
    if minor > newest:
        return EksSupport(
            False,
            f"version {version} is newer than the EKS calendar read {EKS_CALENDAR_READ}; "
            "standard support assumed",
        )
    end = EKS_END_OF_STANDARD_SUPPORT.get(minor)
    if end is None:
        return EksSupport(False, f"version {version} not in the EKS calendar; standard assumed")
    if today >= end:
        return EksSupport(True, f"version {version}: standard support ended {end.isoformat()}")
    return EksSupport(False, f"version {version}: standard support until {end.isoformat()}")


AKS_TIERS = {"free": "Free", "standard": "Standard", "paid": "Standard", "premium": "Premium"}
"""`sku_tier` values; `Paid` is the name azurerm < 3.51 used for Standard."""


def aks_tier(cluster: Resource) -> str | None:
    """The AKS pricing tier (`Free` when unset, the provider's default); None if unknown."""
    raw = scalar(cluster.attr("sku_tier"), "sku_tier")
    if is_unknown(raw):
        return None
    if raw is None or raw == "":
        return "Free"
    return AKS_TIERS.get(str(raw).lower(), str(raw))
