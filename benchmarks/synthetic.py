"""A generated framework of many leaves (every rule type) and a filled document, for benchmarks."""

from __future__ import annotations

from core.document import Evaluation
from core.framework import Framework

RULES = [
    ({"type": "judged"}, {}, {"deduction": "0.01"}),
    (
        {"type": "proportional", "rate_label": "执行率", "numerator": "实际", "denominator": "计划"},
        {"numerator": "spent", "denominator": "budget"},
        {},
    ),
    (
        {
            "type": "limit",
            "rate_label": "控制率",
            "numerator": "实际",
            "denominator": "预算",
            "per_point": 0.01,
        },
        {},
        {"numerator": "105.5", "denominator": "100"},
    ),
    (
        {
            "type": "tiers",
            "rate_label": "满意度",
            "tiers": [{"min": 95, "score": 0.1}, {"min": 90, "score": 0.05}],
        },
        {"rate": "satisfaction"},
        {},
    ),
    (
        {"type": "count_ratio", "rate_label": "完成率", "numerator": "完成数", "denominator": "计划数"},
        {},
        {"numerator": "6", "denominator": "8"},
    ),
    (
        {
            "type": "weighted_parts",
            "parts": [
                {"key": f"q{i}", "label": f"{i}季度", "weight": 0.02, "target": 25 * i} for i in range(1, 5)
            ],
            "average": {"label": "平均", "weight": 0.02},
        },
        {"budget": "budget"},
        {"q1_spending": "260", "q2_spending": "530", "q3_rate": "98.67", "q4_rate": "97.21"},
    ),
]


def make_framework(leaves: int = 1000) -> Framework:
    """10 一级 × n 二级 × 10 三级 indicators, weights adding up to 100, rule types in turn."""
    per_l2 = 10
    l2_count = max(1, leaves // (10 * per_l2))
    leaf_w = 100 / 10 / l2_count / per_l2
    n = 0
    roots = []
    for i in range(10):
        l2s = []
        for j in range(l2_count):
            kids = []
            for _ in range(per_l2):
                rule, bind, _ = RULES[n % len(RULES)]
                rule = dict(rule)
                if rule["type"] == "tiers":
                    rule["tiers"] = [{"min": 95, "score": leaf_w}, {"min": 90, "score": leaf_w / 2}]
                if rule["type"] == "weighted_parts":
                    rule["parts"] = [dict(p, weight=leaf_w / 5) for p in rule["parts"]]
                    rule["average"] = {"label": "平均", "weight": leaf_w / 5}
                kids.append(
                    {
                        "id": f"leaf_{n}",
                        "name": f"三级指标 {n}",
                        "weight": leaf_w,
                        "rule": rule,
                        "bind": bind,
                        "standard": "评分标准",
                        "explanation": "指标解释",
                    }
                )
                n += 1
            l2s.append(
                {
                    "id": f"l2_{i}_{j}",
                    "name": f"二级指标 {i}-{j}",
                    "weight": leaf_w * per_l2,
                    "children": kids,
                }
            )
        roots.append(
            {"id": f"l1_{i}", "name": f"一级指标 {i}", "weight": leaf_w * per_l2 * l2_count, "children": l2s}
        )
    return Framework.from_dict(
        {
            "format": "jixiao-framework",
            "format_version": 1,
            "id": "synthetic",
            "name": f"{n} 项指标的生成框架",
            "year": 2020,
            "total": 100,
            "grades": [{"name": "优", "min": 90}, {"name": "差", "min": 0}],
            "figure_groups": [
                {
                    "title": "数据",
                    "figures": [
                        {"key": "spent", "label": "支出", "kind": "money"},
                        {"key": "budget", "label": "预算", "kind": "money"},
                        {"key": "satisfaction", "label": "满意度", "kind": "percent"},
                    ],
                }
            ],
            "sections": [{"key": "opening", "title": "", "level": 0}],
            "indicators": roots,
        }
    )


def make_document(leaves: int = 1000) -> Evaluation:
    fw = make_framework(leaves)
    doc = Evaluation.new(fw)
    doc.figures = {"spent": "1,168.8", "budget": "1,273.37", "satisfaction": "93.8%"}
    for i, leaf in enumerate(fw.leaves):
        for key, value in RULES[i % len(RULES)][2].items():
            doc.set(("indicators", leaf.id, "inputs", key), value)
        doc.set(("indicators", leaf.id, "reason"), "扣分理由")
    return doc


def make_national(rows: int = 1000) -> Evaluation:
    """The shipped national 项目支出自评表 framework with `rows` rows the clerk added (定量 and 定性 in turn,
    spread over 产出 / 效益 / 满意度 and their groups in the proportion of their weights, no node beyond the rows a
    draft holds under it: 1,000 rows are 500, 389 and 111), every row filled."""
    from decimal import Decimal

    from core.catalogue import find
    from core.numbers import fmt

    fw = find("national-project")
    doc = Evaluation.new(fw, 2025)
    nodes = fw.row_nodes
    total = sum(n.weight for n in nodes)
    counts = [max(1, rows * int(n.weight) // int(total)) for n in nodes]
    counts[0] += rows - sum(counts)
    for i, node in enumerate(nodes):  # what is over a node's limit goes to the next node
        over = max(0, counts[i] - node.rows.max_rows)
        counts[i] -= over
        if over and i + 1 < len(nodes):
            counts[i + 1] += over
    for node, count in zip(nodes, counts, strict=True):
        share = node.weight / count
        weights = [fmt(share)] * (count - 1)
        weights.append(fmt(node.weight - sum(Decimal(w.replace(",", "")) for w in weights)))
        for i, w in enumerate(weights):
            group = node.rows.groups[i % len(node.rows.groups)]
            row = doc.add_row(node.id, name=f"{group}{i + 1}", weight=w, group=group)
            quantitative = i % 3 != 2
            inputs = (
                {"nature": "定量", "direction": "≥", "target": "100", "actual": "95", "unit": "%"}
                if quantitative
                else {"nature": "定性", "target": "好", "actual": "较好", "band": "达成年度指标", "score": w}
            )
            for key, value in inputs.items():
                doc.set(("indicators", row["id"], "inputs", key), value)
            doc.set(("indicators", row["id"], "reason"), "偏差原因")
    doc.figures = {"budget_initial": "1,000", "budget_year": "1,200", "spent": "1,100"}
    doc.set(("indicators", "execution", "reason"), "执行偏慢")
    return doc
