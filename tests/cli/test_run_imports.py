"""A check run loads no catalog-maintenance code: the price refresh clients (urllib, ssl)
are for `costgate pricing refresh`, and importing them costs every run tens of ms."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import FIXTURES


def test_a_plan_check_loads_no_price_refresh_client() -> None:
    plan = str(FIXTURES / "terraform-plan" / "ml-training" / "plan.json")
    code = (
        "import sys; from costgate.cli import main\n"
        f"sys.argv = ['costgate', 'check', {plan!r}, '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('costgate.pricing.refresh.azure', 'costgate.pricing.refresh.http', "
        "'urllib.request') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    )
    assert out.stdout.strip() == "[]"
