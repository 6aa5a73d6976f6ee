"""The README's images are part of the repository: every image it shows is a file git tracks (a fresh clone has
it), not one that .gitignore hides or that only sits in a working copy."""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_image_the_readme_shows_is_committed():
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    local = [path for path in images if not path.startswith(("http://", "https://"))]
    assert local, "the README shows no image"
    try:
        tracked = set(subprocess.run(["git", "ls-files", "--", *local], cwd=ROOT, capture_output=True, text=True,
                                     check=True).stdout.split())
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert [path for path in local if path not in tracked] == []
    assert all((ROOT / path).stat().st_size > 10_000 for path in local)  # (a real screenshot, not an empty file)
