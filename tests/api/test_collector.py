"""``ledger serve`` tunes the garbage collector before it serves: what building the app
made is frozen, and the thresholds raised (``api.http.collector``)."""

from __future__ import annotations

import json
import subprocess
import sys

from api.http.collector import THRESHOLDS

SHOW = """
import gc, json
from api.http.collector import tune_for_serving
before = gc.get_threshold()
tune_for_serving()
print(json.dumps({"before": before, "after": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
"""


def test_tuning_for_serving_freezes_what_exists_and_raises_the_thresholds() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", SHOW], capture_output=True, text=True, check=True, timeout=60
    )
    figures = json.loads(shown.stdout)
    assert figures["after"] == list(THRESHOLDS) != figures["before"]
    assert figures["frozen"] > 1000  # the modules' objects, at least
