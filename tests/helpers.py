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


def fill_all(doc, rows_per_node: int = 3) -> None:
    """Fill every input of a document plausibly (for tests of any framework): figures, each leaf's own inputs
    by its rule, a reason on every leaf, rows under the nodes that take them (weights splitting the node's)."""
    from decimal import Decimal

    from core.numbers import fmt

    fw = doc.framework
    for key, spec in fw.figures.items():
        doc.figures[key] = {"money": "100", "count": "10", "percent": "95"}[spec.kind]
        doc.previous[key] = doc.figures[key]
    for total, parts in fw.sums:  # totals that add up (in the framework's order, so nested sums hold too)
        doc.figures[total] = fmt(sum(Decimal(doc.figures[p].replace(",", "")) for p in parts))
    for node in fw.row_nodes:
        groups = node.rows.groups or ("",)
        share = node.weight / rows_per_node
        weights = [fmt(share)] * (rows_per_node - 1)
        weights.append(fmt(node.weight - sum(Decimal(w.replace(",", "")) for w in weights)))
        for i, w in enumerate(weights):
            doc.add_row(node.id, name=f"{node.name}指标 {i + 1}", weight=w, group=groups[i % len(groups)])
    for leaf in doc.tree.leaves:
        for spec in leaf.inputs():
            value = {
                "deduction": "0",
                "nature": "定量",
                "direction": "≥",
                "target": "10",
                "actual": "10",
                "unit": "项",
                "coefficient": "100",
                "core": "是",
                "count": "0",
                "band": "达成年度指标",
                "score": "",
            }.get(spec.key)
            if value is None:
                value = "是" if spec.kind == "choice" else "100" if spec.kind == "percent" else "10"
            if value and not (spec.optional and spec.kind != "choice" and spec.key not in ("unit",)):
                doc.set(("indicators", leaf.id, "inputs", spec.key), value)
        doc.set(("indicators", leaf.id, "reason"), "按实际情况说明")
