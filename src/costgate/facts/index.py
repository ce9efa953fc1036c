"""All resources of one input, indexed to follow references between them.

Facts often span resources (a bucket and its lifecycle configuration, an Auto Scaling
group and its launch template); one index per run serves every fact reader, and `memo`
keeps what they derive so each fact is derived once.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from costgate.model import Resource


class StackIndex:
    """All resources of one input, indexed to follow references (lifecycle config -> bucket).

    One index serves the pricing engine and every policy rule of a run, and `memo` keeps
    what they derive from it (a bucket's parsed lifecycle rules) so it is derived once.
    """

    def __init__(self, resources: tuple[Resource, ...]):
        self.resources = resources
        self.memo: dict[Hashable, Any] = {}
        self._by_address: dict[str, Resource] | None = None
        self._by_type: dict[str, list[Resource]] = {}
        self._by_base: dict[str, list[Resource]] = {}
        self._instances: dict[tuple[str, str, str], Resource] = {}
        self._links: dict[tuple[str, str, str, str], dict[str, Resource]] = {}
        for r in resources:
            self._by_type.setdefault(r.type, []).append(r)
            self._by_base.setdefault(r.base_address, []).append(r)
            self._instances[(r.base_address, r.module, _instance_key(r.address))] = r

    def by_address(self) -> Mapping[str, Resource]:
        """Every resource by address, and by address without instance keys (what a
        reference such as `aws_launch_template.t.id` names)."""
        if self._by_address is None:
            found = {r.base_address: r for r in self.resources}
            found.update({r.address: r for r in self.resources})
            self._by_address = found
        return self._by_address

    def of_type(self, type_: str) -> list[Resource]:
        """Every resource of a type."""
        return self._by_type.get(type_, [])

    def referenced(self, resource: Resource, attribute: str, type_: str) -> Resource | None:
        """The *type_* resource that *resource*'s *attribute* expression refers to.

        With count/for_each the reference names every instance; the one in the same module
        instance with the same instance key is taken (`aws_s3_bucket.b[count.index]` from
        `aws_s3_bucket_lifecycle_configuration.l[0]`), else the only instance there is.
        """
        refs = resource.references.get(attribute)
        if not refs:  # the common case: most resources do not name this attribute
            return None
        key = _instance_key(resource.address)
        for ref in refs:
            parts = ref.split(".")
            for cut in range(len(parts), 1, -1):
                base = ".".join(parts[:cut])
                candidates = self._by_base.get(base)
                if not candidates or candidates[0].type != type_:
                    continue
                for wanted in ((base, resource.module, key), (base, resource.module, "")):
                    if wanted in self._instances:
                        return self._instances[wanted]
                if len(candidates) == 1:
                    return candidates[0]
        return None

    def linked_from(
        self, target: Resource, from_type: str, attribute: str, match_attribute: str
    ) -> Resource | None:
        """The *from_type* resource whose *attribute* points at *target*.

        It points by reference (`bucket = aws_s3_bucket.b.id`) or, for literal values, by
        equality with the target's *match_attribute* (`bucket = "my-bucket"`). Built once
        per (from_type, attribute) so linking stays linear in the number of resources.
        """
        table_key = (from_type, attribute, target.type, match_attribute)
        table: dict[str, Resource] | None = self._links.get(table_key)
        if table is None:
            by_value: dict[str, Resource] = {}
            for candidate in self.of_type(target.type):
                value = candidate.attr(match_attribute)
                if isinstance(value, str):
                    by_value.setdefault(value, candidate)
            table = {}
            for source in self.of_type(from_type):
                linked = self.referenced(source, attribute, target.type)
                if linked is None:
                    value = source.attr(attribute)
                    linked = by_value.get(value) if isinstance(value, str) else None
                if linked is not None:
                    table.setdefault(linked.address, source)
            self._links[table_key] = table
        return table.get(target.address)


def _instance_key(address: str) -> str:
    """The trailing instance key of an address (`[0]`, `["a"]`) or ''."""
    if address.endswith("]"):
        return address[address.rfind("[") :]
    return ""
