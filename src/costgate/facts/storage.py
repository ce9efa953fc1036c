"""Object storage on every cloud: which reader builds a bucket's facts, read once a run."""

from __future__ import annotations

from costgate.facts import aws, azurerm, google
from costgate.facts.index import StackIndex
from costgate.facts.specs import ObjectStorage
from costgate.model import Resource

BUCKET_TYPES = ("aws_s3_bucket", "google_storage_bucket", "azurerm_storage_account")


def object_storage(resource: Resource, index: StackIndex) -> ObjectStorage | None:
    """The bucket's facts (None for other types), memoised on the index: the pricer and
    the storage-lifecycle rule both ask. A variant of a resource (same address, other
    attributes, built by a rule) is read anew."""
    if resource.type not in BUCKET_TYPES:
        return None
    key = ("object storage", resource.address)
    found = index.memo.get(key)
    if isinstance(found, ObjectStorage) and found.resource is resource:
        return found
    if resource.type == "aws_s3_bucket":
        spec = aws.s3_bucket(resource, index)
    elif resource.type == "google_storage_bucket":
        spec = google.gcs_bucket(resource)
    else:
        spec = azurerm.storage_account(resource, index)
    index.memo[key] = spec
    return spec
