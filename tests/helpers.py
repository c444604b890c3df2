"""Small builders shared by tests."""

import copy
import errno
import json
import os

from core import files
from core.document import Evaluation
from core.framework import Framework
from tests.conftest import FRAMEWORK


def framework_dict() -> dict:
    return json.loads(FRAMEWORK.read_text(encoding="utf-8"))


def one_leaf_framework(rule: dict, weight=10, bind=None) -> Framework:
    """A framework with a single leaf `x` of the given rule (weight 10 unless said)."""
    leaf = {"id": "x", "name": "测试指标", "weight": weight, "rule": rule}
    if bind:
        leaf["bind"] = bind
    data = {
        "format": "jixiao-framework",
        "format_version": 2,
        "id": "t",
        "name": "测试",
        "total": weight,
        "grades": [{"name": "优", "min": 90}, {"name": "差", "min": 0}],
        "figure_groups": [
            {
                "title": "数据",
                "figures": [
                    {"key": "a", "label": "甲", "kind": "money"},
                    {"key": "b", "label": "乙", "kind": "money"},
                    {"key": "r", "label": "比率", "kind": "percent"},
                ],
            }
        ],
        "indicators": [{"id": "root", "name": "一级", "weight": weight, "children": [leaf]}],
    }
    return Framework.from_dict(copy.deepcopy(data))


def leaf_score(rule: dict, weight=10, bind=None, figures=None, **inputs):
    """Score the single leaf with the given inputs; returns its NodeScore."""
    from core.scoring import score

    doc = Evaluation.new(one_leaf_framework(rule, weight, bind), 2020)
    doc.figures = dict(figures or {})
    for k, v in inputs.items():
        doc.set(("indicators", "x", "inputs", k), v)
    doc.set(("indicators", "x", "reason"), "理由")
    return score(doc).by_id["x"]


def refuse_temp_files(monkeypatch, code: int = errno.EACCES) -> None:
    """core.files cannot create its temp file, as in a read-only folder (tests run as root here, where chmod
    does not stop writing)."""
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if files.TEMP.fullmatch(os.path.basename(path)):
            raise (PermissionError if code == errno.EACCES else OSError)(code, os.strerror(code))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
