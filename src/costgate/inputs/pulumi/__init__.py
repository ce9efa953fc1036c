"""Pulumi inputs: previews (`preview`), stack exports (`export`, `state`), Python programs
(`program`, run by `runner`), and the Pulumi -> Terraform type mapping (`type_map`)."""
