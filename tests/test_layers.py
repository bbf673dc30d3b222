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
