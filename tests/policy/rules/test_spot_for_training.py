"""spot-for-training on every cloud's spelling of spot; savings priced from the catalog."""

from __future__ import annotations

import json
from decimal import Decimal

from costgate.model import Severity
from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource, usage
from tests.policy.helpers import Case, run_rule

RULE = "spot-for-training"
TRAINING = {"phase": "training"}


def trainer(market: list[dict[str, str]] | None = None, **kw: object) -> object:
    return make_resource(
        "aws_instance",
        {"instance_type": "p4d.24xlarge", "instance_market_options": market or []},
        address="aws_instance.trainer",
        **kw,
    )  # type: ignore[arg-type]


def test_aws_on_demand_trainer_fails_with_the_spot_saving(catalog: Catalog) -> None:
    # on-demand 21.957642 x 730 = 16,029.07866; spot 14.2313 x 730 x 1.05 = 10,908.29145;
    # both carry the 8 GB gp2 root volume assumed for the AMI (8 x 0.10 = 0.80)
    assert catalog.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "on_demand").price == Decimal(
        "21.957642"
    )
    assert catalog.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "spot").price == Decimal(
        "14.2313"
    )
    [finding] = run_rule(RULE, [trainer(tags=TRAINING)], catalog)
    assert finding.id == "CG101" and finding.severity is Severity.ERROR
    assert finding.resource == "aws_instance.trainer"
    assert finding.monthly_cost == Decimal("16029.07866") - Decimal("10908.29145")
    assert finding.message == (
        "training workload (phase=training) runs on on-demand capacity: $16,029.88/month; "
        "on spot $10,909.09 incl. 5% interruption overhead, saving $5,120.79/month"
    )
    assert 'market_type = "spot"' in finding.remediation


def test_aws_overhead_comes_from_the_usage_file(catalog: Catalog) -> None:
    [finding] = run_rule(RULE, [trainer(tags=TRAINING)], catalog, usage=usage(overhead="0.2"))
    # spot 14.2313 x 730 x 1.2 = 12,466.6188
    assert finding.monthly_cost == Decimal("16029.07866") - Decimal("12466.6188")


def test_aws_spot_trainer_and_untagged_instance_pass(catalog: Catalog) -> None:
    spot = trainer([{"market_type": "spot"}], tags=TRAINING)
    serving = make_resource(
        "aws_instance",
        {"instance_type": "g5.xlarge"},
        address="aws_instance.api",
        tags={"phase": "inference"},
    )
    request = make_resource(
        "aws_spot_instance_request", {"instance_type": "g5.xlarge"}, tags=TRAINING
    )
    assert run_rule(RULE, [spot, serving, request], catalog) == []


def test_aws_training_is_recognised_by_name_and_custom_tags(catalog: Catalog) -> None:
    named = make_resource(
        "aws_instance", {"instance_type": "g5.xlarge"}, address="aws_instance.llm_training"
    )
    tagged = make_resource(
        "aws_instance",
        {"instance_type": "g5.xlarge"},
        address="aws_instance.x",
        tags={"workload": "fine-tune"},
    )
    constrained = make_resource(
        "aws_instance", {"instance_type": "g5.xlarge"}, address="aws_instance.constrained"
    )
    found = run_rule(
        RULE,
        [named, tagged, constrained],
        catalog,
        options={"training_tags": {"workload": ["fine-tune"]}},
    )
    assert {f.resource for f in found} == {"aws_instance.llm_training", "aws_instance.x"}
    assert "name 'llm_training'" in next(
        f.message for f in found if f.resource == "aws_instance.llm_training"
    )


def test_aws_eks_node_group_by_node_label(catalog: Catalog) -> None:
    attrs = {
        "instance_types": ["g5.12xlarge"],
        "labels": {"phase": "training"},
        "scaling_config": [{"desired_size": 2, "min_size": 0, "max_size": 4}],
    }
    [finding] = run_rule(RULE, [make_resource("aws_eks_node_group", attrs)], catalog)
    # 2 x 730 x (5.672 - 3.4917 x 1.05)
    assert finding.monthly_cost == Decimal(2 * 730) * (Decimal("5.672") - Decimal("3.666285"))
    spot = make_resource("aws_eks_node_group", {**attrs, "capacity_type": "SPOT"})
    assert run_rule(RULE, [spot], catalog) == []


def test_aws_autoscaling_group_with_a_launch_template(catalog: Catalog) -> None:
    template = make_resource(
        "aws_launch_template", {"instance_type": "c5.xlarge"}, address="aws_launch_template.t"
    )
    refs = {"launch_template.id": ("aws_launch_template.t.id", "aws_launch_template.t")}
    asg = make_resource(
        "aws_autoscaling_group",
        {"desired_capacity": 4, "max_size": 4, "launch_template": [{"id": None}]},
        address="aws_autoscaling_group.train_workers",
        references=refs,
    )
    [finding] = run_rule(RULE, [template, asg], catalog)
    # 4 x 730 x (0.17 - 0.0646 x 1.05)
    assert finding.monthly_cost == Decimal(4 * 730) * (Decimal("0.17") - Decimal("0.06783"))
    assert "on_demand_percentage_above_base_capacity = 0" in finding.remediation
    mixed_refs = {
        "mixed_instances_policy.launch_template.launch_template_specification."
        "launch_template_id": refs["launch_template.id"]
    }
    mixed = make_resource(
        "aws_autoscaling_group",
        {
            "desired_capacity": 4,
            "mixed_instances_policy": [
                {
                    "instances_distribution": [
                        {
                            "on_demand_base_capacity": 0,
                            "on_demand_percentage_above_base_capacity": 0,
                        }
                    ],
                    "launch_template": [{"launch_template_specification": [{}], "override": []}],
                }
            ],
        },
        address="aws_autoscaling_group.train_workers",
        references=mixed_refs,
    )
    assert run_rule(RULE, [template, mixed], catalog) == []


def test_aws_sagemaker_pipeline_training_steps(catalog: Catalog) -> None:
    def pipeline(spot: bool) -> object:
        definition = {
            "Version": "2020-12-01",
            "Steps": [
                {"Name": "Preprocess", "Type": "Processing", "Arguments": {}},
                {
                    "Name": "Train",
                    "Type": "Training",
                    "Arguments": {
                        "ResourceConfig": {"InstanceType": "ml.p3.2xlarge", "InstanceCount": 1},
                        "EnableManagedSpotTraining": spot,
                    },
                },
            ],
        }
        return make_resource(
            "aws_sagemaker_pipeline", {"pipeline_definition": json.dumps(definition)}
        )

    [finding] = run_rule(RULE, [pipeline(False)], catalog)
    assert finding.message.startswith(
        "SageMaker pipeline step 'Train' on ml.p3.2xlarge trains without managed spot"
    )
    assert finding.monthly_cost is None
    assert run_rule(RULE, [pipeline(True)], catalog) == []


def test_google_instance_spot_and_preemptible(catalog: Catalog) -> None:
    attrs = {"machine_type": "a2-highgpu-1g", "labels": {"phase": "training"}}
    bad = make_resource("google_compute_instance", attrs, region="us-central1")
    [finding] = run_rule(RULE, [bad], catalog)
    assert 'provisioning_model = "SPOT"' in finding.remediation
    # us-central1: on-demand 3.673385 x 730 = 2,681.57105; spot 1.92802 (pricing.yml
    # 2026-07-30) x 730 x 1.05
    assert finding.monthly_cost == (
        Decimal("3.673385") * 730 - Decimal("1.92802") * 730 * Decimal("1.05")
    )
    assert finding.message.endswith(
        "$2,681.57/month; on spot $1,477.83 incl. 5% interruption overhead, saving $1,203.74/month"
    )
    for scheduling in ({"provisioning_model": "SPOT"}, {"preemptible": True}):
        good = make_resource(
            "google_compute_instance", {**attrs, "scheduling": [scheduling]}, region="us-central1"
        )
        assert run_rule(RULE, [good], catalog) == []


def test_google_node_pool_labelled_for_training(catalog: Catalog) -> None:
    config = {"machine_type": "g2-standard-8", "labels": {"phase": "training"}}
    bad = make_resource("google_container_node_pool", {"node_config": [config]})
    [finding] = run_rule(RULE, [bad], catalog)
    assert finding.remediation == "set node_config { spot = true }"
    good = make_resource("google_container_node_pool", {"node_config": [{**config, "spot": True}]})
    assert run_rule(RULE, [good], catalog) == []


def test_azure_vm_and_aks_node_pool(catalog: Catalog) -> None:
    vm = {"size": "Standard_NC24ads_A100_v4", "priority": "Regular"}
    pool = {"vm_size": "Standard_NC24ads_A100_v4", "node_labels": {"phase": "training"}}
    bad = [
        make_resource("azurerm_linux_virtual_machine", vm, tags=TRAINING, region="eastus"),
        make_resource("azurerm_kubernetes_cluster_node_pool", pool, region="eastus"),
    ]
    found = run_rule(RULE, bad, catalog)
    assert {f.resource for f in found} == {
        "azurerm_linux_virtual_machine.test",
        "azurerm_kubernetes_cluster_node_pool.test",
    }
    # eastus: on-demand 3.673 x 730 = 2,681.29; spot 0.444433 x 730 x 1.05 = 340.6579
    vm_finding = next(f for f in found if f.resource == "azurerm_linux_virtual_machine.test")
    assert vm_finding.monthly_cost == (
        Decimal("3.673") * 730 - Decimal("0.444433") * 730 * Decimal("1.05")
    )
    assert vm_finding.message.endswith(
        "$2,681.29/month; on spot $340.66 incl. 5% interruption overhead, saving $2,340.63/month"
    )
    good = [
        make_resource(
            "azurerm_linux_virtual_machine",
            {**vm, "priority": "Spot"},
            tags=TRAINING,
            region="eastus",
        ),
        make_resource(
            "azurerm_kubernetes_cluster_node_pool", {**pool, "priority": "Spot"}, region="eastus"
        ),
    ]
    assert run_rule(RULE, good, catalog) == []


def test_azure_ml_compute_cluster_is_training_by_type(catalog: Catalog) -> None:
    attrs = {
        "vm_size": "Standard_NC24ads_A100_v4",
        "vm_priority": "Dedicated",
        "scale_settings": [{"max_node_count": 4, "min_node_count": 0}],
    }
    [finding] = run_rule(
        RULE, [make_resource("azurerm_machine_learning_compute_cluster", attrs)], catalog
    )
    assert "azurerm_machine_learning_compute_cluster runs training jobs" in finding.message
    low = make_resource(
        "azurerm_machine_learning_compute_cluster", {**attrs, "vm_priority": "LowPriority"}
    )
    assert run_rule(RULE, [low], catalog) == []


CASES = {
    "aws": Case([trainer([{"market_type": "spot"}], tags=TRAINING)], [trainer(tags=TRAINING)]),
    "google": Case(
        [
            make_resource(
                "google_compute_instance",
                {
                    "machine_type": "a2-highgpu-1g",
                    "labels": TRAINING,
                    "scheduling": [{"provisioning_model": "SPOT"}],
                },
            )
        ],
        [
            make_resource(
                "google_compute_instance", {"machine_type": "a2-highgpu-1g", "labels": TRAINING}
            )
        ],
    ),
    "azurerm": Case(
        [
            make_resource(
                "azurerm_linux_virtual_machine",
                {"size": "Standard_NC24ads_A100_v4", "priority": "Spot"},
                tags=TRAINING,
            )
        ],
        [
            make_resource(
                "azurerm_linux_virtual_machine", {"size": "Standard_NC24ads_A100_v4"}, tags=TRAINING
            )
        ],
    ),
}


def test_no_saving_is_claimed_when_the_compute_hours_are_not_priced(catalog: Catalog) -> None:
    # a retired size: only the OS disk is priced, so on-demand and spot totals are equal
    vm = make_resource(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_NC6s_v3", "os_disk": [{"storage_account_type": "Standard_LRS"}]},
        tags=TRAINING,
        region="eastus",
    )
    [finding] = run_rule(RULE, [vm], catalog)
    assert finding.monthly_cost is None
    assert finding.message.endswith(
        "runs on on-demand capacity; saving not priced: Instance usage not priced: "
        "Standard_NC6s_v3 was retired by Azure on 2025-09-30: it can no longer be created or "
        "run, so it has no current price"
    )
