"""gpu-allowlist: models and counts per environment from the catalog's accelerator facts."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource
from tests.policy.helpers import Case, run_rule

RULE = "gpu-allowlist"
OPTIONS = {
    "environments": {
        "development": {"models": ["NVIDIA T4", "NVIDIA A10G", "nvidia-tesla-t4"], "max_gpus": 4},
        "production": {"models": ["*"]},
    },
}
DEV = {"environment": "development"}


def test_aws_h100_in_development_fails(catalog: Catalog) -> None:
    box = make_resource("aws_instance", {"instance_type": "p5.48xlarge"}, tags=DEV)
    [finding] = run_rule(RULE, [box], catalog, options=OPTIONS)
    assert finding.message == (
        "p5.48xlarge runs 8 x NVIDIA H100 80GB, not allowed for "
        "environment=development (allowed: NVIDIA T4, NVIDIA A10G, "
        "nvidia-tesla-t4)"
    )
    # p5.48xlarge on-demand, us-east-1, plus the 8 GB gp2 root volume the AMI is assumed to map
    assert finding.monthly_cost == Decimal("55.04") * 730 + 8 * Decimal("0.10")


def test_aws_allowed_gpus_and_cpu_instances_pass(catalog: Catalog) -> None:
    ok = [
        make_resource(
            "aws_instance", {"instance_type": "g5.xlarge"}, tags=DEV, address="aws_instance.a"
        ),
        make_resource(
            "aws_instance", {"instance_type": "m5.large"}, tags=DEV, address="aws_instance.b"
        ),
        make_resource(
            "aws_instance",
            {"instance_type": "p5.48xlarge"},
            tags={"environment": "production"},
            address="aws_instance.c",
        ),
        make_resource(
            "aws_instance",
            {"instance_type": "p5.48xlarge"},
            tags={"environment": "staging"},
            address="aws_instance.d",
        ),
    ]
    assert run_rule(RULE, ok, catalog, options=OPTIONS) == []


def test_aws_count_counts_the_scaling_maximum(catalog: Catalog) -> None:
    group = make_resource(
        "aws_eks_node_group",
        {
            "instance_types": ["g5.12xlarge"],
            "scaling_config": [{"desired_size": 1, "min_size": 0, "max_size": 2}],
        },
        tags=DEV,
    )
    [finding] = run_rule(RULE, [group], catalog, options=OPTIONS)
    assert finding.message == (
        "8 x NVIDIA A10G (2 x g5.12xlarge) exceeds the 4-GPU limit for environment=development"
    )
    one = make_resource(
        "aws_eks_node_group",
        {
            "instance_types": ["g5.12xlarge"],
            "scaling_config": [{"desired_size": 1, "min_size": 0, "max_size": 1}],
        },
        tags=DEV,
    )
    assert run_rule(RULE, [one], catalog, options=OPTIONS) == []


def test_aws_sagemaker_types_and_default_allowance(catalog: Catalog) -> None:
    endpoint = make_resource(
        "aws_sagemaker_endpoint_configuration",
        {
            "production_variants": [
                {"variant_name": "a", "instance_type": "ml.p3.2xlarge", "initial_instance_count": 1}
            ]
        },
    )
    options = {**OPTIONS, "default": {"instance_types": ["ml.g4dn.*"]}}
    [finding] = run_rule(RULE, [endpoint], catalog, options=options)
    assert (
        "ml.p3.2xlarge runs 1 x NVIDIA V100 16GB, not allowed for no environment tag"
        in finding.message
    )
    fine = make_resource(
        "aws_sagemaker_endpoint_configuration",
        {
            "production_variants": [
                {
                    "variant_name": "a",
                    "instance_type": "ml.g4dn.xlarge",
                    "initial_instance_count": 1,
                }
            ]
        },
    )
    assert run_rule(RULE, [fine], catalog, options=options) == []


def test_google_guest_accelerators_by_label(catalog: Catalog) -> None:
    def vm(kind: str, count: int) -> object:
        return make_resource(
            "google_compute_instance",
            {
                "machine_type": "n1-standard-8",
                "labels": {"environment": "development"},
                "guest_accelerator": [{"type": kind, "count": count}],
            },
            region="us-central1",
        )

    [bad] = run_rule(RULE, [vm("nvidia-tesla-v100", 1)], catalog, options=OPTIONS)
    assert bad.message.startswith(
        "n1-standard-8 runs 1 x NVIDIA V100, not allowed for environment=development"
    )
    [many] = run_rule(RULE, [vm("nvidia-tesla-t4", 8)], catalog, options=OPTIONS)
    assert many.message == (
        "8 x NVIDIA T4 (1 x n1-standard-8) exceeds the 4-GPU limit for environment=development"
    )
    assert run_rule(RULE, [vm("nvidia-tesla-t4", 2)], catalog, options=OPTIONS) == []


def test_azure_sizes_use_the_catalog_facts(catalog: Catalog) -> None:
    h100 = make_resource(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_ND96isr_H100_v5"},
        tags=DEV,
        region="eastus",
    )
    [finding] = run_rule(RULE, [h100], catalog, options=OPTIONS)
    assert finding.message.startswith(
        "Standard_ND96isr_H100_v5 runs 8 x NVIDIA H100, not allowed for environment=development"
    )
    assert finding.monthly_cost == Decimal("98.32") * 730  # eastus on-demand
    pool = make_resource(
        "azurerm_kubernetes_cluster_node_pool",
        {"vm_size": "Standard_NC24ads_A100_v4", "max_count": 8},
        tags=DEV,
        region="eastus",
    )
    a100 = {"environments": {"development": {"models": ["*A100*"], "max_gpus": 4}}}
    [count] = run_rule(RULE, [pool], catalog, options=a100)
    assert count.message == (
        "8 x NVIDIA A100 (8 x Standard_NC24ads_A100_v4) exceeds the 4-GPU limit "
        "for environment=development"
    )
    assert (
        run_rule(
            RULE,
            [h100],
            catalog,
            options={"environments": {"development": {"instance_types": ["Standard_ND*"]}}},
        )
        == []
    )


CASES = {
    "aws": Case(
        [make_resource("aws_instance", {"instance_type": "g5.xlarge"}, tags=DEV)],
        [make_resource("aws_instance", {"instance_type": "p5.48xlarge"}, tags=DEV)],
        OPTIONS,
    ),
    "google": Case(
        [
            make_resource(
                "google_compute_instance",
                {
                    "machine_type": "n1-standard-8",
                    "labels": DEV,
                    "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 1}],
                },
            )
        ],
        [
            make_resource(
                "google_compute_instance",
                {
                    "machine_type": "n1-standard-8",
                    "labels": DEV,
                    "guest_accelerator": [{"type": "nvidia-tesla-a100", "count": 1}],
                },
            )
        ],
        OPTIONS,
    ),
    "azurerm": Case(
        [
            make_resource(
                "azurerm_linux_virtual_machine",
                {"size": "Standard_NC24ads_A100_v4"},
                tags={"environment": "production"},
            )
        ],
        [
            make_resource(
                "azurerm_linux_virtual_machine", {"size": "Standard_NC24ads_A100_v4"}, tags=DEV
            )
        ],
        OPTIONS,
    ),
}
