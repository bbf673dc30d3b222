"""The layers hold: transforms < warehouse < expectations < orchestration, and the rest.

The contracts are in pyproject.toml ([tool.importlinter]); this runs import-linter's
``lint-imports`` on them, so a lower layer importing a higher one (or transforms
importing Dagster, or the dashboard importing the orchestration, the suites or transforms) fails
the suite with the offending import chain in the message. DEVELOPERS.md, "Layers".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    assert lint_imports.exists(), "import-linter is not installed: pip install -e '.[dev]'"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_gate_warm_up_imports_great_expectations_in_the_background():
    """A build calls expectations.gate.warm_up first: GE (seconds to import) loads in a thread
    while the layers build, once per process, and the process is not held at exit by it."""
    code = ("import sys, threading\n"
            "from expectations import gate\n"
            "assert 'great_expectations' not in sys.modules\n"
            "gate.warm_up(); first = gate._WARMING; gate.warm_up()\n"
            "assert gate._WARMING is first and first.daemon and first is not threading.current_thread()\n"
            "first.join(120)\n"
            "assert 'great_expectations.expectations' in sys.modules\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
