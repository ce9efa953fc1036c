"""AWS pricers on attributes a plan may leave unset, unknown or oddly shaped: each is an
unpriced resource with its reason or an input error (exit 2), never a traceback."""

from __future__ import annotations

import pytest

from costgate.model import UNKNOWN
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


@pytest.mark.parametrize(("value", "reason"), [(None, "not set"), (UNKNOWN, "unknown until apply")])
def test_spot_request_without_a_known_instance_type_is_unpriced(
    catalog: Catalog, value: object, reason: str
) -> None:
    resource = make_resource("aws_spot_instance_request", {"instance_type": value})
    (priced,) = price_resources((resource,), catalog, usage())
    assert priced.unpriced_reason == f"instance_type is {reason}"
    assert priced.cost_lines == ()
