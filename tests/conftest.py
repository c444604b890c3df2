import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "resources" / "examples" / "futian-2020.json"
FRAMEWORK = ROOT / "resources" / "frameworks" / "futian-2020.json"


@pytest.fixture
def example():
    from core.drafts import load

    return load(EXAMPLE)
