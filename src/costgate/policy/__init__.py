"""Policy: policy files (`loader`), the rules (`rules/`) and their evaluation (`engine`)."""
