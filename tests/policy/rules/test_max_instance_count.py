"""max-instance-count: count copies and scaling maximums on each cloud."""

from __future__ import annotations

from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource
from tests.policy.helpers import Case, run_rule

RULE = "max-instance-count"


def test_aws_count_copies_are_added_up(catalog: Catalog) -> None:
    copies = [
        make_resource(
            "aws_instance", {"instance_type": "g5.xlarge"}, address=f"aws_instance.worker[{i}]"
        )
        for i in range(3)
    ]
    [finding] = run_rule(RULE, copies, catalog, options={"max": 2})
    assert finding.resource == "aws_instance.worker"
    assert finding.message == "runs up to 3 instances across 3 copies; the limit is 2"
    assert run_rule(RULE, copies, catalog, options={"max": 3}) == []


def test_aws_autoscaling_maximum_and_per_type_limits(catalog: Catalog) -> None:
    asg = make_resource("aws_autoscaling_group", {"max_size": 50, "desired_capacity": 2})
    [finding] = run_rule(RULE, [asg], catalog, options={"max": 10})
    assert finding.message == "runs up to 50 instances; the limit is 10"
    assert (
        run_rule(RULE, [asg], catalog, options={"max": 10, "per_type": {"aws_autoscaling_*": 50}})
        == []
    )


def test_google_node_pool_autoscaling_maximum(catalog: Catalog) -> None:
    pool = make_resource(
        "google_container_node_pool",
        {
            "node_config": [{"machine_type": "g2-standard-8"}],
            "autoscaling": [{"max_node_count": 30}],
            "node_count": 1,
        },
    )
    assert len(run_rule(RULE, [pool], catalog, options={"max": 20})) == 1
    assert run_rule(RULE, [pool], catalog, options={"max": 30}) == []


def test_azure_node_pool_and_ml_cluster(catalog: Catalog) -> None:
    pool = make_resource(
        "azurerm_kubernetes_cluster_node_pool",
        {"vm_size": "Standard_NC24ads_A100_v4", "max_count": 25},
    )
    cluster = make_resource(
        "azurerm_machine_learning_compute_cluster",
        {"vm_size": "Standard_NC24ads_A100_v4", "scale_settings": [{"max_node_count": 8}]},
    )
    found = run_rule(RULE, [pool, cluster], catalog, options={"max": 10})
    assert [f.resource for f in found] == ["azurerm_kubernetes_cluster_node_pool.test"]


CASES = {
    "aws": Case(
        [make_resource("aws_autoscaling_group", {"max_size": 5})],
        [make_resource("aws_autoscaling_group", {"max_size": 50})],
        {"max": 10},
    ),
    "google": Case(
        [make_resource("google_container_node_pool", {"node_count": 3})],
        [make_resource("google_container_node_pool", {"node_count": 30})],
        {"max": 10},
    ),
    "azurerm": Case(
        [make_resource("azurerm_kubernetes_cluster_node_pool", {"node_count": 3})],
        [make_resource("azurerm_kubernetes_cluster_node_pool", {"max_count": 30})],
        {"max": 10},
    ),
}
