"""SQS queues: requests are the whole bill."""

from __future__ import annotations

from costgate.pricing.quote import PER_THOUSAND, Quote


def price_sqs_queue(q: Quote) -> None:
    """Requests a month (`monthly_requests`, each 64 KB chunk of a message is one request)
    at the standard or FIFO rate; the account's 1 million free requests are not deducted."""
    kind = "fifo" if q.resource.attr("fifo_queue") is True else "standard"
    q.add_usage(
        f"Requests ({kind} queue)", "monthly_requests", "sqs", "requests", kind, per=PER_THOUSAND
    )
    if q.usage.get("monthly_requests") is not None:
        q.note("the account's 1 million free SQS requests a month are not deducted")
