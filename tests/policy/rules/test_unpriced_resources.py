"""unpriced-resources: a resource that cannot be priced is a finding, an error when it runs
GPUs or accelerators, so the verdict never rests on $0 by omission."""

from __future__ import annotations

from costgate.model import NOT_EVALUATED, Severity
from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource
from tests.policy.helpers import Case, run_rule

GPU_NOT_IN_CATALOG = make_resource(
    "aws_instance", {"instance_type": "p6e-gb200.36xlarge"}, address="aws_instance.trainer"
)

CASES = {
    "aws": Case(
        [make_resource("aws_instance", {"instance_type": "t3.micro"})],
        [GPU_NOT_IN_CATALOG],
    ),
    "google": Case(
        [
            make_resource(
                "google_compute_instance",
                {"machine_type": "e2-medium", "boot_disk": [{"initialize_params": [{"size": 10}]}]},
                region="us-central1",
            )
        ],
        [
            make_resource(
                "google_compute_instance", {"machine_type": "a4-highgpu-8g"}, region="us-central1"
            )
        ],
    ),
    "azurerm": Case(
        [
            make_resource(
                "azurerm_linux_virtual_machine",
                {
                    "size": "Standard_D2s_v5",
                    "os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 30}],
                },
                region="eastus",
            )
        ],
        [
            make_resource(
                "azurerm_linux_virtual_machine",
                {"size": "Standard_ND96isr_H200_v5"},
                region="eastus",
            )
        ],
    ),
}


def test_four_unpriced_gpu_instances_no_longer_pass(catalog: Catalog) -> None:
    """Issue 15: four unpriced p5.48xlarge gave "0 priced ... Result: PASS"."""
    trainers = [
        make_resource(
            "aws_instance",
            {"instance_type": "p5.48xlarge"},
            address=f"aws_instance.trainer[{i}]",
            region="ap-south-2",  # the catalog has no p5 price there
        )
        for i in range(4)
    ]
    findings = run_rule("unpriced-resources", trainers, catalog)
    assert [f.resource for f in findings] == [r.address for r in trainers]
    assert {f.severity for f in findings} == {Severity.ERROR}
    assert "GPU/accelerator resource not priced (no ec2 price for p5.48xlarge in ap-south-2" in (
        findings[0].message
    )


def test_unpriced_cpu_resource_is_a_warning_and_free_resources_are_not_findings(
    catalog: Catalog,
) -> None:
    web = make_resource("aws_instance", {"instance_type": "m9.mega"}, address="aws_instance.web")
    role = make_resource("aws_iam_role", {}, address="aws_iam_role.ci")
    (finding,) = run_rule("unpriced-resources", [web, role], catalog, severity=Severity.WARNING)
    assert finding.resource == "aws_instance.web" and finding.severity is Severity.WARNING
    assert "ec2 'm9.mega' is not in the pricing catalog" in finding.message


def test_a_module_that_was_not_read_is_a_finding_with_its_reason(catalog: Catalog) -> None:
    module = make_resource(
        NOT_EVALUATED,
        {"reason": "remote module terraform-aws-modules/eks/aws is not evaluated"},
        address="module.eks",
    )
    (finding,) = run_rule("unpriced-resources", [module], catalog)
    assert "not evaluated, so not priced: remote module" in finding.message


def test_a_retired_gpu_size_is_an_error_whose_fix_is_a_current_size(catalog: Catalog) -> None:
    bare = make_resource(
        "azurerm_linux_virtual_machine", {"size": "Standard_NC6s_v3"}, region="eastus"
    )
    with_disk = make_resource(
        "azurerm_linux_virtual_machine",
        {"size": "standard_nc6s_v3", "os_disk": [{"storage_account_type": "Standard_LRS"}]},
        address="azurerm_linux_virtual_machine.disk",
        region="eastus",
    )
    found = {f.resource: f for f in run_rule("unpriced-resources", [bare, with_disk], catalog)}
    unpriced = found["azurerm_linux_virtual_machine.test"]
    partial = found["azurerm_linux_virtual_machine.disk"]
    retired = (
        "Standard_NC6s_v3 was retired by Azure on 2025-09-30: it can no longer be created or "
        "run, so it has no current price"
    )
    assert unpriced.severity == partial.severity == Severity.ERROR  # GPU (V100) sizes
    assert unpriced.message == (
        f"GPU/accelerator resource not priced ({retired}); the totals count it as $0"
    )
    assert partial.message == (
        f"partially priced: Instance usage not priced: {retired}; the total leaves them out"
    )
    assert unpriced.remediation.startswith(
        "Standard_NC6s_v3 was retired on 2025-09-30 and can no longer be created or run: "
        "move to a current size"
    )
    assert partial.remediation.startswith("standard_nc6s_v3 was retired on 2025-09-30")
