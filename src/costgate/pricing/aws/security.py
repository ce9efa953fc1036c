"""KMS keys, Secrets Manager secrets and AWS Private CA authorities: a fixed monthly fee per
key, secret or authority, plus the requests the usage file names."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.values import blocks, first, text
from costgate.pricing.quote import Quote, Unpriceable

PER_10K = Decimal(10_000)


def price_kms_key(q: Quote) -> None:
    """$/month per customer managed key (each multi-Region replica is its own key), plus
    requests per 10,000 (`monthly_requests`; the account-wide free tier is not applied)."""
    q.add("Customer managed key", Decimal(1), "kms", "key", "storage")
    if q.resource.attr("enable_key_rotation") is True:
        q.note(
            "automatic rotation: each rotated key version adds a monthly charge that depends "
            "on the key's age (not priced)"
        )
    q.add_usage("API requests", "monthly_requests", "kms", "key", "requests", per=PER_10K)
    if q.usage.get("monthly_requests") is not None:
        q.note("the account-wide 20,000 free KMS requests a month are not deducted")


def price_secretsmanager_secret(q: Quote) -> None:
    """$/month per secret and per replica (`replica` blocks: each replica is billed as a
    secret), plus API calls per 10,000 (`monthly_requests`)."""
    replicas = len(blocks(q.resource.attr("replica")))
    label = f"Secret (with {replicas} replica(s))" if replicas else "Secret"
    q.add(label, Decimal(1 + replicas), "secretsmanager", "secret", "storage")
    q.add_usage(
        "API calls", "monthly_requests", "secretsmanager", "secret", "requests", per=PER_10K
    )


_CA_MODES = {"GENERAL_PURPOSE": "general_purpose", "SHORT_LIVED_CERTIFICATE": "short_lived"}


def price_acmpca_certificate_authority(q: Quote) -> None:
    """$/month per private CA by its `usage_mode` (general-purpose unless set)."""
    mode = q.setting("usage_mode", "GENERAL_PURPOSE", computed=True)
    kind = _CA_MODES.get(mode)
    if kind is None:
        raise Unpriceable(f"usage_mode {mode!r} is not one AWS Private CA prices")
    label = mode.lower().replace("_", "-")
    q.add(f"Private CA operation ({label} mode)", Decimal(1), "acmpca", "authority", kind)
    q.note("certificates it issues are billed once each when issued (not priced)")


def price_acmpca_certificate(q: Quote) -> None:
    """A private certificate is a one-time charge at issuance, not a monthly cost."""
    raise Unpriceable(
        "AWS Private CA bills each certificate once, when it is issued: a one-time charge, "
        "not a monthly cost"
    )


def price_acm_certificate(q: Quote) -> None:
    """Public ACM certificates are free; a private one (issued by an AWS Private CA) and an
    exportable public one are one-time charges at issuance, not monthly costs."""
    if q.resource.attr("certificate_authority_arn") not in (None, ""):
        raise Unpriceable(
            "a private certificate is billed once by its AWS Private CA when issued: a "
            "one-time charge, not a monthly cost"
        )
    options = first(q.resource.attr("options"))
    if text(options.get("export")) == "ENABLED":
        raise Unpriceable(
            "an exportable public certificate is billed once when issued: a one-time charge, "
            "not a monthly cost"
        )
    q.free("public ACM certificates have no charge")
