import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore at random on a developer's machine; in CI they run a fixed sequence, so a landing never
# depends on luck (a failure found locally is added as an explicit example).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "resources" / "examples" / "futian-2020.json"
FRAMEWORK = ROOT / "resources" / "frameworks" / "futian-2020.json"


@pytest.fixture
def example():
    from core.drafts import load

    return load(EXAMPLE)
