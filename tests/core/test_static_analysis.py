"""What the bandit configuration relies on (pyproject's [tool.bandit] skips B311 for that reason)."""

import re
from pathlib import Path

import sanlian

PACKAGE = Path(sanlian.__file__).parent


def test_only_the_demo_generator_uses_the_random_module():
    users = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if re.search(r"^\s*(import random\b|from random import)", path.read_text(encoding="utf-8"), re.M)
    )

    assert users and all(name.startswith("demo/") for name in users), users
