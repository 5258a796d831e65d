"""`make clean` removes everything .gitignore says the targets and the tests create."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NESTED = {"__pycache__/", "*.pyc"}  # made beside the sources, at any depth; the rest at the root


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_leaves_nothing_that_gitignore_lists(tmp_path):
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    sources = {"simulator/engine/clock.py", "tests/test_x.py"}
    kept = {"Makefile", *sources}
    for name in sources:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    created = []
    for pattern in (ROOT / ".gitignore").read_text().split():
        concrete = pattern.replace("*", "x").rstrip("/")
        places = [tmp_path / concrete]
        if pattern in NESTED:
            places.append(tmp_path / "simulator" / "engine" / concrete)
        for place in places:
            if pattern.endswith("/"):
                (place / "inside").mkdir(parents=True)
            else:
                place.parent.mkdir(parents=True, exist_ok=True)
                place.write_text("")
            created.append(place)
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    left = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    assert left == kept, f"make clean left {sorted(left - kept)}"
    assert [p for p in created if p.exists()] == []
