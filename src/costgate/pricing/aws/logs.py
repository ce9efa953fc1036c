"""CloudWatch log groups: everything they cost is usage (GB ingested, GB stored)."""

from __future__ import annotations

from costgate.pricing.quote import Quote


def price_cloudwatch_log_group(q: Quote) -> None:
    """GB ingested a month (`monthly_data_ingested_gb`) and GB stored (`storage_gb`) at the
    rates of the group's log class (STANDARD unless `log_group_class` says otherwise)."""
    product = q.setting("log_group_class", "STANDARD", computed=True).lower()
    q.add_usage("Data ingested", "monthly_data_ingested_gb", "logs", product, "ingestion")
    q.add_usage("Archival storage", "storage_gb", "logs", product, "storage")
    if q.usage.get("monthly_data_ingested_gb") is not None:
        q.note("the account's 5 GB of free log ingestion a month is not deducted")
