"""The one place that decides a resource's provider name, region and tags, for every input.

Terraform plans, state, HCL directories and Pulumi previews, exports and programs spell
these differently (`tags_all`, provider `default_tags`, Google `labels` and
`effective_labels`, Pulumi stack tags); every reader hands its raw values here, so pricing,
policy and reports all see the same `Resource.region` and `Resource.tags`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from costgate.model import EMPTY, is_unknown

_AZ = re.compile(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$")
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")
_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-gov)?-[a-z]+-\d+):")

TAG_ATTRIBUTES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "google": ("labels", ("effective_labels", "terraform_labels")),
}
"""Per provider: the attribute a user sets, and the computed ones that already include
the provider's defaults (most complete first). Any other provider: `tags` / `tags_all`."""

_DEFAULT_TAG_ATTRIBUTES = ("tags", ("tags_all",))


def provider_name(address_or_local_name: str, sources: Mapping[str, str] = EMPTY) -> str:
    """The provider's type name: `registry.terraform.io/hashicorp/aws` -> `aws`.

    A local name (`aws-v3`, `aws.west`) is first mapped through *sources* (a module's
    `required_providers`: local name -> source address) so that a renamed provider is
    still recognised by what it is.
    """
    if "/" in address_or_local_name:
        name = address_or_local_name.rsplit("/", 1)[-1].lower()
    else:
        local = address_or_local_name.split(".", 1)[0]
        name = sources.get(local, local).rsplit("/", 1)[-1].lower()
    return SAME_CLOUD.get(name, name)


SAME_CLOUD: Mapping[str, str] = {"google-beta": "google"}
"""Providers that manage the same cloud's resources under the same type names and bill the
same prices: `google-beta` (GKE modules use it for beta features) is priced as `google`."""


def region_from_attributes(values: Mapping[str, Any]) -> str | None:
    """Region a resource's own attributes pin it to: region, zone, location or ARN."""
    region = values.get("region")
    if isinstance(region, str) and region:
        return region
    zone = values.get("availability_zone")
    if isinstance(zone, str) and (match := _AZ.match(zone)):
        return match.group(1)
    gcp_zone = values.get("zone")
    if isinstance(gcp_zone, str) and (match := _GCP_ZONE.match(gcp_zone)):
        return match.group(1)
    location = values.get("location")
    if isinstance(location, str) and location:
        return location.replace(" ", "").lower()
    arn = values.get("arn")
    if isinstance(arn, str) and (match := _ARN_REGION.match(arn)):
        return match.group(1)
    return None


def effective_tags(
    provider: str,
    values: Mapping[str, Any],
    default_tags: Mapping[str, str] = EMPTY,
    stack_tags: Mapping[str, str] = EMPTY,
) -> Mapping[str, str]:
    """A resource's tags (Google: labels) as the cloud will apply them, frozen.

    Precedence, lowest first: Pulumi stack tags, provider default tags or labels, the
    resource's own. A known computed attribute (`tags_all`, `effective_labels`) already
    holds the provider's defaults and the resource's own, and is used as it is.
    """
    own_key, computed_keys = TAG_ATTRIBUTES.get(provider, _DEFAULT_TAG_ATTRIBUTES)
    for key in computed_keys:
        computed = values.get(key)
        if isinstance(computed, Mapping) and computed:
            if not stack_tags and all(type(v) is str for v in computed.values()):
                # the common case in a large plan: already frozen strings, used as they are
                if type(computed) is MappingProxyType:
                    return computed
                return MappingProxyType({str(k): v for k, v in computed.items()})
            if not any(is_unknown(v) for v in computed.values()):
                return _frozen(stack_tags, _strings(computed))
    own = values.get(own_key)
    if not stack_tags and (not isinstance(own, Mapping) or not own):
        return default_tags if type(default_tags) is MappingProxyType else _frozen(default_tags)
    return _frozen(stack_tags, default_tags, _strings(own if isinstance(own, Mapping) else EMPTY))


def _strings(values: Mapping[Any, Any]) -> dict[str, str]:
    """Known string (or number) values; unknown ones are left out, never guessed."""
    return {
        str(k): str(v)
        for k, v in values.items()
        if isinstance(v, (str, int)) and not isinstance(v, bool)
    }


def _frozen(*layers: Mapping[str, str]) -> Mapping[str, str]:
    merged: dict[str, str] = {}
    for layer in layers:
        merged.update(layer)
    return MappingProxyType(merged)
