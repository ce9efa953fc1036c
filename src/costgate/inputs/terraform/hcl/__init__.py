"""Terraform HCL without `terraform plan`: parse `.tf` / `.tf.json` files and evaluate them.

`syntax` turns files into blocks and expression trees (python-hcl2's grammar, lazily
imported), `templates` handles string templates, `evaluate` computes expression values
with `UNKNOWN` for everything only known after apply, `functions` holds the Terraform
functions costgate implements, `variables` collects input variable values, and `module`
walks a module tree into resources.
"""
