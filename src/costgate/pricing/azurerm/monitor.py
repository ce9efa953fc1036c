"""Log Analytics workspaces and solutions: the data a workspace ingests and keeps is what
costs; solutions only add data to it."""

from __future__ import annotations

from costgate.facts.values import number, text
from costgate.pricing.quote import Quote, Unpriceable

INCLUDED_RETENTION_DAYS = 31
DATA_ONLY_SOLUTIONS = frozenset({"ContainerInsights", "VMInsights", "AzureActivity"})
"""Solutions whose only charge is the data they send to the workspace."""


def price_log_analytics_workspace(q: Quote) -> None:
    """Pay-as-you-go (`PerGB2018`, the default): GB ingested a month
    (`monthly_data_ingested_gb`); retention beyond 31 days is noted, not priced."""
    sku = q.setting("sku", "PerGB2018", computed=True)
    if sku != "PerGB2018":
        raise Unpriceable(f"Log Analytics sku {sku!r}: only pay-as-you-go (PerGB2018) is priced")
    q.add_usage(
        "Data ingested (Analytics logs)",
        "monthly_data_ingested_gb",
        "loganalytics",
        "pergb2018",
        "ingestion",
    )
    retention = number(q.resource.attr("retention_in_days"))
    if retention and retention > INCLUDED_RETENTION_DAYS:
        q.note(
            f"retention of {retention} days: data kept beyond 31 days is billed per GB-month "
            "(not priced)"
        )


def price_log_analytics_solution(q: Quote) -> None:
    """A solution that only collects data (Container Insights) is billed as its workspace's
    ingestion; others may bill per node and are unpriced."""
    solution = text(q.resource.attr("solution_name")) or ""
    if solution in DATA_ONLY_SOLUTIONS:
        q.free("its data is billed as ingestion by its Log Analytics workspace")
        return
    raise Unpriceable(f"solution {solution or 'unknown'!r} may bill on its own: not priced")
