"""Remote Terraform modules: where `terraform init` put them, or fetched into costgate's cache.

`resolver.py` answers "which directory is module call KEY?" from
`.terraform/modules/modules.json`, else the cache, else by fetching (`registry.py` with
`credentials.py`, `sources.py`, `archives.py`, `git.py`, `http.py`, `s3.py`, `gcs.py`),
stored by `store.py`; `versions.py` resolves registry version constraints; `failures.py`
says which failures are placeholders and which stop the run. Nothing here evaluates
Terraform: the HCL evaluator (`hcl/module.py`) reads the directory it is given.
"""
