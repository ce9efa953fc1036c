"""`aws_eks_cluster`: the control plane's cluster-hours at the standard- or extended-support
rate (nodes are priced as their node groups, Auto Scaling groups or Fargate profiles)."""

from __future__ import annotations

from datetime import date

from costgate.facts import kubernetes
from costgate.pricing.quote import Quote


def today() -> date:
    """The day support is judged on (a function so tests can fix it)."""
    return date.today()


def price_eks_cluster(q: Quote) -> None:
    """Cluster-hours at $/h of the support tier the version is in on the day of the run."""
    support = kubernetes.eks_support(q.resource, today())
    kind = "extended_support" if support.extended else "standard_support"
    tier = "extended support" if support.extended else "standard support"
    q.add(f"EKS cluster ({tier}: {support.reason})", q.hours(), "eks", "cluster", kind)
