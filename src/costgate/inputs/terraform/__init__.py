"""Terraform inputs: plan and state JSON (`plan`), HCL directories (`directory`, `hcl/`)."""
