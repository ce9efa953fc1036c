"""Invokes under costgate's mocks: common ones answered with placeholders, failures named."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.inputs import read_input
from costgate.inputs.pulumi.runner import INVOKES, MOCK_AMI, _Settings
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import usage
from tests.inputs.pulumi.test_program import project, read_error

AWS_PROGRAM = """\
import pulumi_aws as aws

zones = aws.get_availability_zones(state="available")
ami = aws.ec2.get_ami(most_recent=True, owners=["amazon"],
                      filters=[{"name": "name", "values": ["al2023-ami-*-arm64"]}])
me = aws.get_caller_identity()
region = aws.get_region()
doc = aws.iam.get_policy_document(statements=[{"actions": ["s3:GetObject"], "resources": ["*"]}])
aws.ebs.Volume("data", availability_zone=zones.names[0], size=100, type="gp3",
               tags={"account": me.account_id, "region": region.name, "ami": ami.id,
                     "arch": ami.architecture})
aws.iam.Policy("read", policy=doc.json)
"""


@pytest.mark.slow  # imports pulumi_aws in a child process (about 3 s)
def test_common_aws_invokes_answer_with_the_stack_region(tmp_path: Path, catalog: Catalog) -> None:
    root = project(tmp_path, AWS_PROGRAM, stacks={"dev": "config:\n  aws:region: us-west-2\n"})
    stack = read_input(root)
    res = {r.address: r for r in stack.resources}
    volume = res["aws_ebs_volume.data"]
    assert volume.attr("availability_zone") == "us-west-2a"
    assert volume.region == "us-west-2"
    assert dict(volume.tags) == {
        "account": "123456789012",
        "region": "us-west-2",
        "ami": MOCK_AMI,
        "arch": "arm64",  # the filter asked for an arm64 image
    }
    policy = json.loads(res["aws_iam_policy.read"].attr("policy"))
    assert policy["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}
    ]
    warnings = "\n".join(stack.warnings)
    assert (
        "invoke aws:ec2/getAmi:getAmi (__main__.py:4) was answered with costgate's placeholder"
        in (warnings)
    )
    assert "default region" not in warnings  # aws:region is configured
    # 100 GB of gp3 in us-west-2 at $0.08 per GB-month (pricing/aws.json) = $8.00
    priced = {p.resource.address: p for p in price_resources(stack.resources, catalog, usage())}
    assert priced["aws_ebs_volume.data"].monthly_cost == Decimal("8.00")


def test_a_failure_on_an_invoke_names_the_invoke_and_the_line(tmp_path: Path) -> None:
    unanswered = project(
        tmp_path / "a",
        """\
        import pulumi_aws as aws

        engine = aws.rds.get_engine_version(engine="postgres")
        major = engine.version.split(".")[0]
        """,
    )
    err = read_error(unanswered)
    assert err.location == "__main__.py:4"
    assert "invoke aws:rds/getEngineVersion:getEngineVersion (called at __main__.py:3)" in (
        err.message
    )
    assert "has no mock in costgate" in err.message
    assert "AttributeError" in err.message
    assert "pulumi preview --json" in err.message

    placeholder = project(
        tmp_path / "b",
        """\
        import pulumi_aws as aws

        zones = aws.get_availability_zones()
        fourth = zones.names[3]
        """,
    )
    err = read_error(placeholder)
    assert err.location == "__main__.py:4"
    assert "a value from invoke aws:index/getAvailabilityZones:getAvailabilityZones" in err.message
    assert "placeholder values" in err.message and "IndexError" in err.message


def test_gcp_and_azure_answers_follow_the_stack_config() -> None:
    settings = _Settings({"gcp:zone": "europe-west4-b", "gcp:project": "ml-prod"})
    zones = INVOKES["gcp:compute/getZones:getZones"]({}, settings)
    assert zones["names"] == ["europe-west4-a", "europe-west4-b", "europe-west4-c"]
    client = INVOKES["gcp:organizations/getClientConfig:getClientConfig"]({}, settings)
    assert (client["project"], client["region"], client["zone"]) == (
        "ml-prod",
        "europe-west4",
        "europe-west4-b",
    )
    assert (
        INVOKES["gcp:compute/getZones:getZones"]({"region": "us-east1"}, settings)["names"][0]
        == "us-east1-a"
    )
    assert "gcp" not in settings.defaulted and "aws" in settings.defaulted
    azure = _Settings({"azure-native:location": "westeurope"})
    group = INVOKES["azure-native:resources:getResourceGroup"]({"resourceGroupName": "rg"}, azure)
    assert group["location"] == "westeurope"
    keys = INVOKES["azure-native:storage:listStorageAccountKeys"]({}, azure)["keys"]
    assert keys[0]["value"]
    config = INVOKES["azure-native:authorization:getClientConfig"]({}, azure)
    assert set(config) == {"clientId", "objectId", "subscriptionId", "tenantId"}


def test_every_mocked_aws_invoke_token_exists_in_the_sdk() -> None:
    pytest.importorskip("pulumi_aws")
    import importlib
    import pkgutil

    tokens = {t for t in INVOKES if t.startswith("aws:")}
    found = set()
    for module in ("", "ec2", "iam", "ssm", "secretsmanager", "eks", "ecr"):
        package = importlib.import_module(f"pulumi_aws.{module}" if module else "pulumi_aws")
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("get_"):
                continue
            text = Path(package.__path__[0], f"{info.name}.py").read_text()
            found |= {t for t in tokens if f"invoke('{t}'" in text}
    assert found == tokens


def test_a_failure_that_no_invoke_explains_is_not_blamed_on_one(tmp_path: Path) -> None:
    # aws-py-ec2-provisioners without its publicKey config: the SDK's own TypeError
    root = project(
        tmp_path,
        """\
        import pulumi_aws as aws

        ami = aws.ec2.get_ami(most_recent=True, owners=["amazon"])
        aws.ec2.KeyPair("key", public_key=None)
        """,
    )
    err = read_error(root)
    assert "invoke" not in err.message
    assert "failed under costgate's mocks: TypeError: Missing required property" in err.message


def test_a_remote_component_is_an_unpriced_placeholder(tmp_path: Path) -> None:
    # awsx.ec2.Vpc and friends are built by their provider plugin, which costgate does not
    # run: listed with the reason, and their outputs are unknown rather than echoed inputs
    root = project(
        tmp_path,
        """\
        import pulumi

        class Vpc(pulumi.ComponentResource):
            def __init__(self, name):
                super().__init__("awsx:ec2:Vpc", name, {"natGateways": {"strategy": "None"}},
                                 None, remote=True)

        vpc = Vpc("main")
        """,
    )
    stack = read_input(root)
    [placeholder] = stack.resources
    assert placeholder.type == "costgate_not_evaluated"
    assert placeholder.address == "awsx_ec2_vpc.main"
    assert placeholder.source is not None and placeholder.source.line == 8
    assert "remote component awsx:ec2:Vpc" in placeholder.attributes["reason"]
    assert any(w.startswith("awsx_ec2_vpc.main (") for w in stack.warnings)
