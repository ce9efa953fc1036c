"""Run a Pulumi Python program under `pulumi.runtime.set_mocks` and record what it registers.

This file runs in a child process started by `costgate.inputs.pulumi.program`, under the
program's own interpreter when it has a virtualenv, so it imports nothing from costgate:
only the standard library and the `pulumi` SDK the program already needs.

Protocol: a JSON request on stdin (`program`, `main`, `project`, `stack`, `config`,
`secret_keys`); the result is written as JSON to the file named by the only argument:
`{"resources": [state, ...]}` on success, `{"error": {...}}` when the program fails. Each
state has the shape of a resource in `pulumi stack export` (`urn`, `type`, `custom`,
`inputs` in wire form, `parent`, `provider`, `propertyDependencies`, `sourcePosition`), so
the parent reads all three Pulumi inputs with one converter.
"""

from __future__ import annotations

import base64
import json
import os
import runpy
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from typing import Any

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The Pulumi wire encoding of a value that is unknown during preview."""


def _plain(value: Any) -> Any:
    """JSON-ready copy of a protobuf Struct value: integral floats back to ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _source_position(request: Any, program: str) -> str | None:
    """`project:///file.py#line` of the innermost stack frame inside the program directory.

    The SDK's own `sourcePosition` guess is often empty (it counts `__init__` frames), so
    the request's stack trace is searched instead.
    """
    prefix = "file://" + program + "/"
    for frame in request.stackTrace.frames:
        if frame.pc.uri.startswith(prefix):
            return f"project:///{frame.pc.uri[len(prefix) :]}#{frame.pc.line}"
    return None


# -- invokes -------------------------------------------------------------------------------
#
# Under the mocks an invoke (data source) reaches no cloud. The common ones are answered
# with plausible placeholder values so a program that takes its zones, AMI, account or
# region from them runs on; every answer is recorded and reported. Region and project come
# from the stack config when it sets them (`aws:region`, `gcp:region`/`gcp:zone`,
# `gcp:project`, `azure-native:location`/`azure:location`).

MOCK_ACCOUNT = "123456789012"
MOCK_AMI = "ami-0123456789abcdef0"
MOCK_UUID = "00000000-0000-0000-0000-000000000000"
MOCK_SECRET = "costgate-mock-value"
DEFAULT_REGION = {"aws": "us-east-1", "gcp": "us-central1", "azure": "eastus"}
"""Where invoke answers are placed when the stack config names no region."""
_KUBECONFIG = base64.b64encode(
    b"apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n"
).decode()


class _Settings:
    """What the mocked answers are built from: the stack config, else defaults."""

    def __init__(self, config: Mapping[str, str]):
        self.defaulted: set[str] = set()
        self.config = config
        self.aws_region = self._get("aws", "aws:region")
        gcp_zone = config.get("gcp:zone")
        gcp_region = config.get("gcp:region") or (gcp_zone.rsplit("-", 1)[0] if gcp_zone else None)
        self.gcp_region = gcp_region or self._default("gcp")
        self.gcp_zone = gcp_zone or f"{self.gcp_region}-a"
        self.gcp_project = config.get("gcp:project") or "costgate-mock-project"
        self.azure_location = (
            config.get("azure-native:location") or config.get("azure:location") or None
        ) or self._default("azure")

    def _get(self, package: str, key: str) -> str:
        return self.config.get(key) or self._default(package)

    def _default(self, package: str) -> str:
        self.defaulted.add(package)
        return DEFAULT_REGION[package]


def _policy_document(args: Mapping[str, Any]) -> dict[str, Any]:
    statements = []
    for statement in args.get("statements") or []:
        item: dict[str, Any] = {"Effect": statement.get("effect") or "Allow"}
        for key, name in (("actions", "Action"), ("resources", "Resource")):
            if statement.get(key):
                item[name] = statement[key]
        statements.append(item)
    text = json.dumps({"Version": "2012-10-17", "Statement": statements})
    return {"json": text, "minifiedJson": text, "id": "costgate-mock-policy"}


def _aws_ami(args: Mapping[str, Any], s: _Settings) -> dict[str, Any]:
    arm = "arm64" in json.dumps(args).lower()
    return {
        "id": MOCK_AMI,
        "imageId": MOCK_AMI,
        "arn": f"arn:aws:ec2:{s.aws_region}::image/{MOCK_AMI}",
        "architecture": "arm64" if arm else "x86_64",
        "name": "costgate-mock-ami",
        "rootDeviceName": "/dev/xvda",
        "rootDeviceType": "ebs",
        "virtualizationType": "hvm",
        "state": "available",
        "ownerId": MOCK_ACCOUNT,
        "blockDeviceMappings": [],
    }


def _ecr_token(s: _Settings) -> dict[str, Any]:
    endpoint = f"https://{MOCK_ACCOUNT}.dkr.ecr.{s.aws_region}.amazonaws.com"
    return {
        "authorizationToken": base64.b64encode(f"AWS:{MOCK_SECRET}".encode()).decode(),
        "userName": "AWS",
        "password": MOCK_SECRET,
        "proxyEndpoint": endpoint,
        "expiresAt": "2099-01-01T00:00:00Z",
        "registryId": MOCK_ACCOUNT,
        "id": s.aws_region,
    }


_Answer = Callable[[Mapping[str, Any], _Settings], dict[str, Any]]

INVOKES: Mapping[str, _Answer] = {
    # AWS
    "aws:index/getAvailabilityZones:getAvailabilityZones": lambda a, s: {
        "names": [f"{s.aws_region}{z}" for z in "abc"],
        "zoneIds": [f"{s.aws_region[:3]}{s.aws_region[-1]}-az{i}" for i in (1, 2, 3)],
        "groupNames": [s.aws_region],
        "id": s.aws_region,
        "region": s.aws_region,
    },
    "aws:index/getRegion:getRegion": lambda a, s: {
        "name": s.aws_region,
        "region": s.aws_region,
        "id": s.aws_region,
        "description": s.aws_region,
        "endpoint": f"ec2.{s.aws_region}.amazonaws.com",
    },
    "aws:index/getCallerIdentity:getCallerIdentity": lambda a, s: {
        "accountId": MOCK_ACCOUNT,
        "arn": f"arn:aws:iam::{MOCK_ACCOUNT}:user/costgate-mock",
        "userId": "AIDACOSTGATEMOCKUSER",
        "id": MOCK_ACCOUNT,
    },
    "aws:index/getPartition:getPartition": lambda a, s: {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
        "id": "aws",
    },
    "aws:ec2/getAmi:getAmi": _aws_ami,
    "aws:ec2/getVpc:getVpc": lambda a, s: {
        "id": a.get("id") or "vpc-0123456789abcdef0",
        "cidrBlock": "10.0.0.0/16",
        "default": True,
        "arn": f"arn:aws:ec2:{s.aws_region}:{MOCK_ACCOUNT}:vpc/vpc-0123456789abcdef0",
    },
    "aws:ec2/getSubnets:getSubnets": lambda a, s: {
        "ids": [f"subnet-0123456789abcdef{i}" for i in range(3)],
        "id": s.aws_region,
    },
    "aws:ec2/getSubnet:getSubnet": lambda a, s: {
        "id": a.get("id") or "subnet-0123456789abcdef0",
        "availabilityZone": f"{s.aws_region}a",
        "cidrBlock": "10.0.0.0/24",
        "vpcId": "vpc-0123456789abcdef0",
    },
    "aws:ec2/getSecurityGroup:getSecurityGroup": lambda a, s: {
        "id": a.get("id") or "sg-0123456789abcdef0",
        "name": a.get("name") or "default",
        "vpcId": "vpc-0123456789abcdef0",
    },
    "aws:ec2/getRouteTable:getRouteTable": lambda a, s: {
        "id": "rtb-0123456789abcdef0",
        "routeTableId": "rtb-0123456789abcdef0",
        "vpcId": "vpc-0123456789abcdef0",
        "routes": [],
        "associations": [],
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": lambda a, s: _policy_document(a),
    "aws:ssm/getParameter:getParameter": lambda a, s: {
        "name": a.get("name"),
        "id": a.get("name"),
        "type": "String",
        "value": MOCK_AMI if "ami" in str(a.get("name", "")) else MOCK_SECRET,
        "insecureValue": MOCK_AMI if "ami" in str(a.get("name", "")) else MOCK_SECRET,
    },
    "aws:secretsmanager/getSecret:getSecret": lambda a, s: {
        "name": a.get("name") or "costgate-mock-secret",
        "arn": f"arn:aws:secretsmanager:{s.aws_region}:{MOCK_ACCOUNT}:secret:costgate-mock",
        "id": "costgate-mock-secret",
    },
    "aws:eks/getClusterAuth:getClusterAuth": lambda a, s: {
        "name": a.get("name"),
        "id": a.get("name"),
        "token": MOCK_SECRET,
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": lambda a, s: _ecr_token(s),
    "aws:ecr/getCredentials:getCredentials": lambda a, s: _ecr_token(s),
    # Google Cloud
    "gcp:compute/getZones:getZones": lambda a, s: {
        "names": [f"{a.get('region') or s.gcp_region}-{z}" for z in "abc"],
        "region": a.get("region") or s.gcp_region,
        "project": s.gcp_project,
        "id": a.get("region") or s.gcp_region,
    },
    "gcp:organizations/getClientConfig:getClientConfig": lambda a, s: {
        "project": s.gcp_project,
        "region": s.gcp_region,
        "zone": s.gcp_zone,
        "accessToken": MOCK_SECRET,
        "id": s.gcp_project,
    },
    "gcp:organizations/getProject:getProject": lambda a, s: {
        "projectId": a.get("projectId") or s.gcp_project,
        "name": a.get("projectId") or s.gcp_project,
        "number": MOCK_ACCOUNT,
        "id": f"projects/{a.get('projectId') or s.gcp_project}",
    },
    "gcp:compute/getImage:getImage": lambda a, s: {
        "name": a.get("name") or a.get("family") or "costgate-mock-image",
        "family": a.get("family"),
        "project": a.get("project") or s.gcp_project,
        "selfLink": "https://www.googleapis.com/compute/v1/projects/"
        f"{a.get('project') or s.gcp_project}/global/images/"
        f"{a.get('name') or a.get('family') or 'costgate-mock-image'}",
        "id": "costgate-mock-image",
    },
    "gcp:compute/getDefaultServiceAccount:getDefaultServiceAccount": lambda a, s: {
        "email": f"{MOCK_ACCOUNT}-compute@developer.gserviceaccount.com",
        "name": f"projects/{s.gcp_project}/serviceAccounts/default",
        "project": s.gcp_project,
        "uniqueId": MOCK_ACCOUNT,
        "id": "default",
    },
    "gcp:container/getEngineVersions:getEngineVersions": lambda a, s: (
        dict.fromkeys(
            ("latestMasterVersion", "latestNodeVersion", "defaultClusterVersion"),
            "1.30.5-gke.1014001",
        )
        | {
            "validMasterVersions": ["1.30.5-gke.1014001"],
            "validNodeVersions": ["1.30.5-gke.1014001"],
            "releaseChannelDefaultVersion": {},
            "releaseChannelLatestVersion": {},
            "location": a.get("location") or s.gcp_region,
            "id": "costgate-mock",
        }
    ),
    # Azure
    "azure-native:authorization:getClientConfig": lambda a, s: {
        "clientId": MOCK_UUID,
        "objectId": MOCK_UUID,
        "subscriptionId": MOCK_UUID,
        "tenantId": MOCK_UUID,
    },
    "azure:core/getClientConfig:getClientConfig": lambda a, s: {
        "clientId": MOCK_UUID,
        "objectId": MOCK_UUID,
        "subscriptionId": MOCK_UUID,
        "tenantId": MOCK_UUID,
        "id": MOCK_UUID,
    },
    "azure-native:resources:getResourceGroup": lambda a, s: {
        "name": a.get("resourceGroupName"),
        "location": s.azure_location,
        "id": f"/subscriptions/{MOCK_UUID}/resourceGroups/{a.get('resourceGroupName')}",
    },
    "azure:core/getResourceGroup:getResourceGroup": lambda a, s: {
        "name": a.get("name"),
        "location": s.azure_location,
        "id": f"/subscriptions/{MOCK_UUID}/resourceGroups/{a.get('name')}",
    },
    "azure-native:storage:listStorageAccountKeys": lambda a, s: {
        "keys": [
            {"keyName": f"key{i}", "value": MOCK_SECRET, "permissions": "FULL"} for i in (1, 2)
        ]
    },
    "azure-native:containerservice:listManagedClusterUserCredentials": lambda a, s: {
        "kubeconfigs": [{"name": "clusterUser", "value": _KUBECONFIG}]
    },
    "azure-native:containerservice:listManagedClusterAdminCredentials": lambda a, s: {
        "kubeconfigs": [{"name": "clusterAdmin", "value": _KUBECONFIG}]
    },
    "azure-native:containerregistry:listRegistryCredentials": lambda a, s: {
        "username": "costgate-mock",
        "passwords": [{"name": "password", "value": MOCK_SECRET}],
    },
    "azure-native:network:getPublicIPAddress": lambda a, s: {
        "ipAddress": "203.0.113.10",
        "location": s.azure_location,
        "name": a.get("publicIpAddressName"),
    },
    "azure:network/getPublicIP:getPublicIP": lambda a, s: {
        "ipAddress": "203.0.113.10",
        "location": s.azure_location,
        "name": a.get("name"),
    },
}
"""Invoke token -> its mocked answer (camelCase, as the provider returns it)."""


def _program_line(program: str) -> str | None:
    """`file:line` of the innermost frame of the program on the main thread's stack.

    The mocks answer on a worker thread while the program waits in the main thread for a
    plain (not `_output`) invoke, so the main thread's stack shows the calling line.
    """
    main = sys._current_frames().get(threading.main_thread().ident or 0)
    for frame in reversed(traceback.extract_stack(main)):
        if os.path.abspath(frame.filename).startswith(program + os.sep):
            return f"{os.path.relpath(frame.filename, program)}:{frame.lineno}"
    return None


_INVOKE_FAILURES = (TypeError, AttributeError, KeyError, IndexError, ValueError)
"""What a program raises when it uses a value an invoke did not (really) give."""


def _blamed_invoke(
    exc: BaseException, error: Mapping[str, Any], invokes: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The invoke a failure most likely comes from, or None when nothing points at one:
    an invoke made on the failing line; else, for a `None` used as a value, the last
    invoke that had no answer; else, for an index out of range, the last one answered with
    placeholders (their lists are short)."""
    if not isinstance(exc, _INVOKE_FAILURES):
        return None
    same_line = [i for i in invokes if i["where"] and i["where"] == error.get("where")]
    if same_line:
        return same_line[-1]
    unanswered = [i for i in invokes if not i["mocked"]]
    if unanswered and "NoneType" in str(error.get("message")):
        return unanswered[-1]
    mocked = [i for i in invokes if i["mocked"]]
    if mocked and isinstance(exc, IndexError):
        return mocked[-1]
    return None


def _error(kind: str, exc: BaseException, program: str) -> dict[str, Any]:
    """What went wrong, located at the deepest frame inside the program directory."""
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename).startswith(program + os.sep):
            where = f"{os.path.relpath(frame.filename, program)}:{frame.lineno}"
    detail: dict[str, Any] = {
        "kind": kind,
        "type": type(exc).__name__,
        "message": str(exc).strip() or type(exc).__name__,
        "where": where,
    }
    if isinstance(exc, ModuleNotFoundError):
        detail["module"] = exc.name
    return detail


def _run_main(main_file: str) -> None:
    runpy.run_path(main_file, run_name="__main__")


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Execute the program once under mocks; return its registrations or its error."""
    program = os.path.abspath(request["program"])
    try:
        import pulumi
        from google.protobuf import json_format
        from pulumi.runtime import mocks
        from pulumi.runtime.stack import run_pulumi_func
        from pulumi.runtime.sync_await import _sync_await
    except ImportError as exc:
        return {"error": _error("sdk-missing", exc, program)}

    recorded: list[dict[str, Any]] = []

    class Recorder(mocks.MockMonitor):
        """Keeps each registration request: inputs, parent, provider, dependencies."""

        def make_urn(self, parent: str, type_: str, name: str) -> str:
            # The engine leaves the root stack out of its children's URNs; so do we.
            if parent.split("::")[2:3] == ["pulumi:pulumi:Stack"]:
                parent = ""
            return str(super().make_urn(parent, type_, name))

        def RegisterResource(self, req: Any) -> Any:
            response = super().RegisterResource(req)  # type: ignore[no-untyped-call]
            if req.type != "pulumi:pulumi:Stack":
                state: dict[str, Any] = {
                    "urn": response.urn,
                    "custom": bool(req.custom),
                    "type": req.type,
                    "inputs": _plain(json_format.MessageToDict(req.object)),
                    "parent": req.parent or None,
                    "provider": req.provider or None,
                    "propertyDependencies": {
                        key: list(deps.urns) for key, deps in req.propertyDependencies.items()
                    },
                    "dependencies": list(req.dependencies),
                }
                if getattr(req, "remote", False):
                    state["remote"] = True  # a multi-language component (awsx, eks, ...)
                position = _source_position(req, program)
                if position:
                    state["sourcePosition"] = position
                recorded.append(state)
            return response

    settings = _Settings(request.get("config") or {})
    invokes: list[dict[str, Any]] = []

    class Echo(mocks.Mocks):
        """No cloud: resources get an unknown id and echo their inputs; common invokes
        get plausible placeholder answers (`INVOKES`), the others an empty result."""

        def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
            if args.custom is False:
                # a component: echoing its inputs as outputs would give a remote one
                # (awsx.ec2.Vpc) outputs of the wrong type; they are unknown instead
                return "", {}
            return "", dict(args.inputs)

        def call(self, args: Any) -> tuple[dict[str, Any], list[Any]]:
            answer = INVOKES.get(args.token)
            inputs = dict(args.args or {})
            result = answer(inputs, settings) if answer is not None else {}
            invokes.append(
                {"token": args.token, "where": _program_line(program), "mocked": bool(answer)}
            )
            return result, []

    os.chdir(program)
    sys.path.insert(0, program)
    main_file = os.path.join(program, request["main"])  # absolute: frames get file URIs
    sys.argv = [main_file]
    pulumi.runtime.set_all_config(request.get("config") or {}, request.get("secret_keys") or [])
    mocks.set_mocks(
        Echo(),
        project=request["project"],
        stack=request["stack"],
        preview=True,
        monitor=Recorder(Echo()),
    )
    try:
        _sync_await(run_pulumi_func(lambda: _run_main(main_file)))
    except ModuleNotFoundError as exc:
        return {"error": _error("missing-module", exc, program)}
    except SystemExit as exc:
        if exc.code not in (None, 0):
            return {"error": _error("exit", exc, program)}
    except BaseException as exc:
        error = _error("exception", exc, program)
        blamed = _blamed_invoke(exc, error, invokes) if invokes else None
        if blamed is not None:
            error.update(kind="invoke", invoke=blamed)
        return {"error": error, "invokes": invokes}
    return {
        "resources": recorded,
        "invokes": invokes,
        "defaulted_regions": sorted(
            settings.defaulted & {i["token"].split(":")[0].split("-")[0] for i in invokes}
        ),
    }


def main() -> None:
    """Entry point of the child process."""
    out = sys.argv[1]
    request = json.load(sys.stdin)
    result = run(request)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    sys.exit(1 if "error" in result else 0)


if __name__ == "__main__":
    main()
