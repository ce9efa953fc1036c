"""notebook-auto-stop: SageMaker lifecycle configs, Workbench idle timeouts."""

from __future__ import annotations

from decimal import Decimal

from costgate.model import UNKNOWN
from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource
from tests.policy.helpers import Case, run_rule

RULE = "notebook-auto-stop"


def test_aws_notebook_without_lifecycle_config_fails(catalog: Catalog) -> None:
    nb = make_resource(
        "aws_sagemaker_notebook_instance",
        {"instance_type": "ml.t3.medium", "volume_size": 5},
        region="eu-west-1",
    )
    [finding] = run_rule(RULE, [nb], catalog)
    # 0.055 x 730 + 5 GB x 0.154
    assert finding.monthly_cost == Decimal("0.055") * 730 + 5 * Decimal("0.154")
    assert "lifecycle_config_name" in finding.remediation


def test_aws_notebook_with_lifecycle_config_passes(catalog: Catalog) -> None:
    named = make_resource(
        "aws_sagemaker_notebook_instance",
        {"instance_type": "ml.t3.medium", "lifecycle_config_name": "auto-stop"},
    )
    computed = make_resource(
        "aws_sagemaker_notebook_instance",
        {"instance_type": "ml.t3.medium", "lifecycle_config_name": UNKNOWN},
    )
    assert run_rule(RULE, [named, computed], catalog) == []


def test_google_workbench_idle_timeout(catalog: Catalog) -> None:
    def workbench(metadata: dict[str, str]) -> object:
        return make_resource(
            "google_workbench_instance",
            {"gce_setup": [{"machine_type": "n1-standard-4", "metadata": metadata}]},
            region="us-central1",
        )

    [none] = run_rule(RULE, [workbench({})], catalog)
    assert none.message == "Workbench instance has no idle timeout"
    [long] = run_rule(RULE, [workbench({"idle-timeout-seconds": "10800"})], catalog)
    assert long.message == "Workbench instance has idle timeout of 180 minutes is over 60"
    assert run_rule(RULE, [workbench({"idle-timeout-seconds": "3600"})], catalog) == []


CASES = {
    "aws": Case(
        [
            make_resource(
                "aws_sagemaker_notebook_instance",
                {"instance_type": "ml.t3.medium", "lifecycle_config_name": "stop"},
            )
        ],
        [make_resource("aws_sagemaker_notebook_instance", {"instance_type": "ml.t3.medium"})],
    ),
    "google": Case(
        [
            make_resource(
                "google_workbench_instance",
                {"gce_setup": [{"metadata": {"idle-timeout-seconds": "1800"}}]},
            )
        ],
        [make_resource("google_workbench_instance", {"gce_setup": [{}]})],
    ),
}
