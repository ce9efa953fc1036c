"""Regenerate the Pulumi fixtures in fixtures/pulumi/ml-training/ (run from the repo root).

The program beside them (`__main__.py`) is the source of truth. These documents are written
by hand in the exact shape pulumi v3 and pulumi-aws 7 emit (compare the real ones in
shared/fixtures/pulumi/stratify_sample): `preview.json` is `pulumi preview --json` of the
program against `base-export.json` (the trainer still on-demand, no lifecycle rules),
`export.json` is `pulumi stack export` after `pulumi up`, and `terraform-plan.json` is the
same stack in Terraform, built with planfactory from the Terraform fixture's resources.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_fixtures import DEFAULT_TAGS, tagged, training_resources
from planfactory import Res, aws_provider, dump, plan

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "pulumi" / "ml-training"
PREFIX = "urn:pulumi:dev::ml-training::"
STACK_URN = PREFIX + "pulumi:pulumi:Stack::ml-training-dev"
PROVIDER_URN = PREFIX + "pulumi:providers:aws::default_7_51_1"
PROVIDER_ID = "9c8d0f9e-2f39-4a7b-8c1e-3b6f1f0a2d11"
PROVIDER_REF = f"{PROVIDER_URN}::{PROVIDER_ID}"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
ACCOUNT = "123456789012"
EXPERIMENT = "exp-2026-042"
CONFIG = {
    "aws:region": "us-east-1",
    "aws:defaultTags": json.dumps({"tags": DEFAULT_TAGS}, separators=(",", ":")),
    "ml-training:experimentId": EXPERIMENT,
    "ml-training:trainerInstanceType": "p4d.24xlarge",
}
TIME = "2026-11-20T09:00:00.000000000Z"

TRAINER_TAGS = {"Name": "llm-trainer", "experiment_id": EXPERIMENT, "phase": "training"}
DATASET_TAGS = {"Name": "dataset-cache", "experiment_id": EXPERIMENT}
BUCKET_TAGS = {"experiment_id": EXPERIMENT}
ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "ec2.amazonaws.com"},
            }
        ],
    }
)
LIFECYCLE_RULES = [
    {
        "expiration": {"days": 180},
        "filter": {"prefix": "checkpoints/"},
        "id": "checkpoints-cleanup",
        "status": "Enabled",
        "transitions": [
            {"days": 30, "storageClass": "STANDARD_IA"},
            {"days": 60, "storageClass": "GLACIER"},
        ],
    }
]


def urn(token: str, name: str) -> str:
    return f"{PREFIX}{token}::{name}"


def state(
    token: str,
    name: str,
    inputs: dict[str, Any],
    *,
    line: int,
    outputs: dict[str, Any] | None = None,
    id_: str | None = None,
    deps: dict[str, list[str]] | None = None,
    timestamps: bool = True,
) -> dict[str, Any]:
    """One resource state, keys in the order the engine writes them."""
    out: dict[str, Any] = {"urn": urn(token, name), "custom": True}
    if id_ is not None:
        out["id"] = id_
    out["type"] = token
    out["inputs"] = inputs
    if outputs is not None:
        out["outputs"] = outputs
    out["parent"] = STACK_URN
    if deps:
        out["dependencies"] = sorted({u for us in deps.values() for u in us})
    out["provider"] = PROVIDER_REF
    if deps is not None:
        out["propertyDependencies"] = deps
    if timestamps:
        out["created"] = TIME
        out["modified"] = TIME
    out["sourcePosition"] = f"project:///__main__.py#{line}"
    return out


def _tags_all(own: dict[str, str]) -> dict[str, str]:
    return {**DEFAULT_TAGS, **own}


def trainer_inputs(spot: bool) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "__defaults": [],
        "ami": "ami-0c55b159cbfafe1f0",
        "instanceType": "p4d.24xlarge",
        "rootBlockDevice": {"__defaults": [], "volumeSize": 500, "volumeType": "gp3"},
        "tags": TRAINER_TAGS,
    }
    if spot:
        inputs["instanceMarketOptions"] = {
            "__defaults": [],
            "marketType": "spot",
            "spotOptions": {
                "__defaults": [],
                "instanceInterruptionBehavior": "stop",
                "spotInstanceType": "persistent",
            },
        }
    return dict(sorted(inputs.items()))


def trainer_outputs(spot: bool, instance_id: str) -> dict[str, Any]:
    market = (
        {
            "marketType": "spot",
            "spotOptions": {
                "instanceInterruptionBehavior": "stop",
                "maxPrice": "",
                "spotInstanceType": "persistent",
                "validUntil": "",
            },
        }
        if spot
        else None
    )
    return {
        "ami": "ami-0c55b159cbfafe1f0",
        "arn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{instance_id}",
        "availabilityZone": "us-east-1b",
        "ebsBlockDevices": [],
        "id": instance_id,
        "instanceLifecycle": "spot" if spot else "",
        "instanceMarketOptions": market,
        "instanceState": "running",
        "instanceType": "p4d.24xlarge",
        "privateIp": "10.0.1.17",
        "rootBlockDevice": {
            "deleteOnTermination": True,
            "deviceName": "/dev/xvda",
            "encrypted": False,
            "iops": 3000,
            "kmsKeyId": "",
            "tags": {},
            "throughput": 125,
            "volumeId": "vol-0a1b2c3d4e5f60718",
            "volumeSize": 500,
            "volumeType": "gp3",
        },
        "spotInstanceRequestId": "sir-7x3k9q2m" if spot else "",
        "tags": TRAINER_TAGS,
        "tagsAll": _tags_all(TRAINER_TAGS),
    }


DATASET_INPUTS = {
    "__defaults": [],
    "availabilityZone": "us-east-1a",
    "iops": 6000,
    "size": 1000,
    "tags": DATASET_TAGS,
    "throughput": 250,
    "type": "gp3",
}
DATASET_OUTPUTS = {
    "arn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/vol-0f9e8d7c6b5a49382",
    "availabilityZone": "us-east-1a",
    "encrypted": False,
    "finalSnapshot": False,
    "id": "vol-0f9e8d7c6b5a49382",
    "iops": 6000,
    "kmsKeyId": "",
    "multiAttachEnabled": False,
    "outpostArn": "",
    "size": 1000,
    "snapshotId": "",
    "tags": DATASET_TAGS,
    "tagsAll": _tags_all(DATASET_TAGS),
    "throughput": 250,
    "type": "gp3",
}
BUCKET = "nlp-research-llm-checkpoints"
BUCKET_INPUTS = {
    "__defaults": ["forceDestroy"],
    "bucket": BUCKET,
    "forceDestroy": False,
    "tags": BUCKET_TAGS,
}
BUCKET_OUTPUTS = {
    "arn": f"arn:aws:s3:::{BUCKET}",
    "bucket": BUCKET,
    "bucketDomainName": f"{BUCKET}.s3.amazonaws.com",
    "bucketRegionalDomainName": f"{BUCKET}.s3.us-east-1.amazonaws.com",
    "forceDestroy": False,
    "hostedZoneId": "Z3AQBSTGFYJSTF",
    "id": BUCKET,
    "lifecycleRules": [],
    "region": "us-east-1",
    "requestPayer": "BucketOwner",
    "tags": BUCKET_TAGS,
    "tagsAll": _tags_all(BUCKET_TAGS),
}
ROLE_INPUTS = {
    "__defaults": ["forceDetachPolicies", "maxSessionDuration", "name", "path"],
    "assumeRolePolicy": ROLE_POLICY,
    "forceDetachPolicies": False,
    "maxSessionDuration": 3600,
    "name": "trainer-4f1c2e7",
    "path": "/",
    "tags": BUCKET_TAGS,
}
ROLE_OUTPUTS = {
    **{k: v for k, v in ROLE_INPUTS.items() if k != "__defaults"},
    "arn": f"arn:aws:iam::{ACCOUNT}:role/trainer-4f1c2e7",
    "id": "trainer-4f1c2e7",
    "tagsAll": _tags_all(BUCKET_TAGS),
    "uniqueId": "AROAEXAMPLE4F1C2E7",
}
LIFECYCLE_TOKEN = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
BUCKET_TOKEN = "aws:s3/bucket:Bucket"


def _plain_deps(*keys: str) -> dict[str, list[str]]:
    return {k: [] for k in keys}


def trainer(
    spot: bool, instance_id: str, *, outputs: bool = True, timestamps: bool = True
) -> dict[str, Any]:
    inputs = trainer_inputs(spot)
    return state(
        "aws:ec2/instance:Instance",
        "trainer",
        inputs,
        line=15,
        outputs=trainer_outputs(spot, instance_id) if outputs else None,
        id_=instance_id if outputs else None,
        timestamps=timestamps,
        deps=_plain_deps(*[k for k in inputs if k != "__defaults"]),
    )


def dataset(**kw: Any) -> dict[str, Any]:
    return state(
        "aws:ebs/volume:Volume",
        "dataset",
        DATASET_INPUTS,
        line=30,
        outputs=DATASET_OUTPUTS,
        id_=DATASET_OUTPUTS["id"],
        deps=_plain_deps("availabilityZone", "iops", "size", "tags", "throughput", "type"),
        **kw,
    )


def bucket(**kw: Any) -> dict[str, Any]:
    return state(
        BUCKET_TOKEN,
        "checkpoints",
        BUCKET_INPUTS,
        line=40,
        outputs=BUCKET_OUTPUTS,
        id_=BUCKET,
        deps=_plain_deps("bucket", "tags"),
        **kw,
    )


def role(**kw: Any) -> dict[str, Any]:
    return state(
        "aws:iam/role:Role",
        "trainer",
        ROLE_INPUTS,
        line=65,
        outputs=ROLE_OUTPUTS,
        id_="trainer-4f1c2e7",
        deps=_plain_deps("assumeRolePolicy", "tags"),
        **kw,
    )


def lifecycle(bucket_value: str, *, outputs: bool) -> dict[str, Any]:
    inputs = {"__defaults": [], "bucket": bucket_value, "rules": LIFECYCLE_RULES}
    deps = {"bucket": [urn(BUCKET_TOKEN, "checkpoints")], "rules": []}
    out = {
        "bucket": BUCKET,
        "expectedBucketOwner": "",
        "id": BUCKET,
        "rules": LIFECYCLE_RULES,
        "transitionDefaultMinimumObjectSize": "all_storage_classes_128K",
    }
    return state(
        LIFECYCLE_TOKEN,
        "checkpoints",
        inputs,
        line=46,
        outputs=out if outputs else None,
        id_=BUCKET if outputs else None,
        deps=deps,
        timestamps=outputs,
    )


def stack_state() -> dict[str, Any]:
    return {
        "urn": STACK_URN,
        "custom": False,
        "type": "pulumi:pulumi:Stack",
        "created": TIME,
        "modified": TIME,
    }


def provider_state() -> dict[str, Any]:
    inputs = {
        "__internal": {},
        "defaultTags": CONFIG["aws:defaultTags"],
        "region": "us-east-1",
        "skipCredentialsValidation": "false",
        "skipRegionValidation": "true",
        "version": "7.51.1",
    }
    return {
        "urn": PROVIDER_URN,
        "custom": True,
        "id": PROVIDER_ID,
        "type": "pulumi:providers:aws",
        "inputs": inputs,
        "outputs": {k: v for k, v in inputs.items() if k != "__internal"},
        "created": TIME,
        "modified": TIME,
    }


def export(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "version": 3,
        "deployment": {
            "manifest": {
                "time": "2026-11-20T10:02:11.418906512+01:00",
                "magic": "4a1e1a1b7f0f0d5c1c3a0e8f7d0b6c2a9e1f5d3c7b9a8e6f4d2c0b1a3e5f7d9b",
                "version": "v3.272.0",
            },
            "secrets_providers": {
                "type": "passphrase",
                "state": {"salt": "v1:9Yk3aQm0X8E=:v1:lV0rV8m9b2Xq3c1R:2QpZxK0g3m8Vd1u7bYc4Ww=="},
            },
            "resources": resources,
            "metadata": {},
        },
    }


def step(
    op: str, old: dict[str, Any] | None, new: dict[str, Any] | None, **extra: Any
) -> dict[str, Any]:
    s: dict[str, Any] = {"op": op, "urn": (new or old or {})["urn"]}
    if (new or old or {}).get("custom", True) and (new or old or {}).get("provider"):
        s["provider"] = (new or old or {})["provider"]
    if old is not None:
        s["oldState"] = old
    if new is not None:
        s["newState"] = new
    s.update(extra)
    s.setdefault("detailedDiff", None)
    return s


def preview() -> dict[str, Any]:
    """The program against the base stack: trainer moves to spot (a replacement), rules added."""
    old_trainer = trainer(False, "i-0123456789abcdef0")
    new_trainer = trainer(True, "", outputs=False, timestamps=False)
    same = [
        (stack_state(), stack_state()),
        (dataset(), dataset()),
        (bucket(), bucket()),
        (role(), role()),
    ]
    steps = [step("same", *same[0])]
    steps.append(
        step(
            "replace",
            old_trainer,
            new_trainer,
            diffReasons=["instanceMarketOptions"],
            replaceReasons=["instanceMarketOptions"],
            detailedDiff={"instanceMarketOptions": {"kind": "add-replace", "inputDiff": True}},
        )
    )
    steps += [step("same", old, new) for old, new in same[1:]]
    steps.append(step("create", None, lifecycle(BUCKET, outputs=False)))
    return {
        "config": CONFIG,
        "steps": steps,
        "duration": 2318814091,
        "changeSummary": {"create": 1, "replace": 1, "same": 4},
    }


def base_export() -> dict[str, Any]:
    return export(
        [
            stack_state(),
            provider_state(),
            trainer(False, "i-0123456789abcdef0"),
            dataset(),
            bucket(),
            role(),
        ]
    )


def head_export() -> dict[str, Any]:
    return export(
        [
            stack_state(),
            provider_state(),
            trainer(True, "i-0fedcba9876543210"),
            dataset(),
            bucket(),
            role(),
            lifecycle(BUCKET, outputs=True),
        ]
    )


def terraform_plan() -> dict[str, Any]:
    """The same stack in Terraform: the Terraform fixture's trainer, dataset, bucket, rules."""
    wanted = {"trainer", "dataset", "checkpoints"}
    resources = [
        r for r in training_resources() if r.name in wanted and r.type != "aws_launch_template"
    ]
    resources.append(
        Res(
            "aws_iam_role",
            "trainer",
            {
                "assume_role_policy": ROLE_POLICY,
                "force_detach_policies": False,
                "max_session_duration": 3600,
                "path": "/",
                **tagged({"experiment_id": EXPERIMENT}, DEFAULT_TAGS),
            },
            unknown={"id": True, "arn": True, "name": True, "unique_id": True},
        )
    )
    return plan(resources, {"aws": aws_provider("us-east-1", DEFAULT_TAGS)})


def write(name: str, doc: dict[str, Any]) -> None:
    (ROOT / name).write_text(json.dumps(doc, indent=4) + "\n")


def main() -> None:
    write("preview.json", preview())
    write("base-export.json", base_export())
    write("export.json", head_export())
    (ROOT / "terraform-plan.json").write_text(dump(terraform_plan()))


if __name__ == "__main__":
    main()
