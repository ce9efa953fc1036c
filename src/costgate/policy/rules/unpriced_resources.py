"""unpriced-resources: the verdict never rests on $0 by omission."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from costgate.facts.compute import accelerated
from costgate.model import NOT_EVALUATED, Finding, PricedResource, Severity
from costgate.policy.rules.base import Rule, RuleContext
from costgate.policy.workloads import retired

SEVERITIES = [s.value for s in Severity]


class UnpricedResources(Rule):
    """Every cost-bearing resource must be priced; an unpriced GPU or accelerator resource
    is an error.

    Why: a resource costgate cannot price counts as $0 in every total, budget and
    regression check. Four unpriced p5.48xlarge instances (about $80,000 a month) used
    to give "0 priced ... Result: PASS". This rule turns each gap into a finding with its
    reason (an instance type missing from the catalog, a region without prices, a value
    known only after apply, a remote module not read), so a reviewer sees what the total
    leaves out. Resources that cost nothing (IAM, networking glue) and resources priced
    through another one (a launch template) are not findings. A size the cloud retired
    (Azure NCv3 on 2025-09-30) has no price to add: its fix is a current size.

    Options: `accelerator_severity` (default `error`): the severity for resources that run
    GPUs or ML accelerators (attached accelerators, a GPU machine family such as AWS P/G,
    GCP A2/A3/G2, Azure N-series, or TPUs); other unpriced resources get the rule's
    configured severity (default `warning`).

    Bad:
        resource "aws_instance" "trainer" {
          instance_type = "p6-b200.48xlarge"   # not in the pricing catalog: $0 in totals
        }

    Good:
        # the catalog prices it (costgate pricing show p6-b200.48xlarge), or a private
        # price book passed with --catalog does
    """

    id = "CG901"
    name = "unpriced-resources"
    summary = "Every cost-bearing resource must be priced; unpriced GPU resources are errors."
    default_severity = Severity.WARNING
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"accelerator_severity": {"enum": SEVERITIES}},
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        gpu_severity = Severity(ctx.options.get("accelerator_severity", Severity.ERROR.value))
        index = ctx.pricing.index
        for priced in ctx.resources:
            r = priced.resource
            if priced.free or not r.action.exists_after:
                continue
            if priced.partial:
                yield self._partial(ctx, priced, gpu_severity)
                continue
            if priced.priced:
                continue
            reason = priced.unpriced_reason or "not priced"
            if r.type == NOT_EVALUATED:
                yield self.finding(
                    ctx,
                    priced,
                    f"not evaluated, so not priced: {reason}",
                    "make the code readable to costgate (e.g. run `terraform init` so remote "
                    "modules are on disk) or price it from a plan (`terraform show -json`)",
                )
                continue
            gpu = accelerated(r, index)
            what = "GPU/accelerator resource" if gpu else "cost-bearing resource"
            yield self.finding(
                ctx,
                priced,
                f"{what} not priced ({reason}); the totals count it as $0",
                _retired_fix(ctx, priced)
                or "add the missing price (a --catalog price book, or `costgate pricing "
                "refresh`), set what is unknown in a usage file, or exempt it with a reason",
                severity=gpu_severity if gpu else None,
            )

    def _partial(self, ctx: RuleContext, priced: PricedResource, gpu_severity: Severity) -> Finding:
        """A resource priced without some components: an accelerator resource whose
        compute hours are among them gets the accelerator severity."""
        compute_missing = not any(line.unit == "hour" for line in priced.cost_lines)
        gpu = compute_missing and accelerated(priced.resource, ctx.pricing.index)
        return self.finding(
            ctx,
            priced,
            f"partially priced: {'; '.join(priced.missing)}; the total leaves them out",
            _retired_fix(ctx, priced)
            or "add the missing prices (a --catalog price book) or set what is unknown",
            severity=gpu_severity if gpu else None,
        )


def _retired_fix(ctx: RuleContext, priced: PricedResource) -> str | None:
    """For a size the cloud retired no price can be added: the fix is a current size."""
    why = retired(priced.resource, ctx.pricing.index, ctx.pricing.catalog)
    if why is None:
        return None
    return (
        f"{why} and can no longer be created or run: move to a current size (the cloud's "
        "retirement notice names replacements; `costgate pricing compare --gpu MODEL` lists "
        "priced ones)"
    )
