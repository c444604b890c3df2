"""The framework file loads, and a wrong one is refused naming the indicator and the problem in Chinese."""

import copy

import pytest

from core.framework import Framework, load_framework
from core.rules import FrameworkError
from tests.conftest import FRAMEWORK
from tests.helpers import framework_dict


def test_futian_framework_shape():
    fw = load_framework(FRAMEWORK)
    assert [(n.name, int(n.weight)) for n in fw.roots] == [
        ("部门决策", 25),
        ("部门管理", 20),
        ("部门绩效", 55),
    ]
    assert len(fw.leaves) == 21 and len(fw.nodes()) == 35
    assert [fw.grade(x) for x in (fw.total, 90, 89.99, 80, 60, 59.99, 0)] == [
        "优",
        "优",
        "良",
        "良",
        "中",
        "差",
        "差",
    ]
    inferred = {leaf.name for leaf in fw.leaves if leaf.inferred}
    assert "预算执行率" in inferred and "公众或服务对象满意度" in inferred and "财务合规性" not in inferred
    assert all(leaf.standard and leaf.explanation for leaf in fw.leaves)


def tweak(change):
    data = framework_dict()
    change(data)
    with pytest.raises(FrameworkError) as e:
        Framework.from_dict(copy.deepcopy(data))
    return str(e.value)


def leaf(data, i=0, j=0, k=0):
    return data["indicators"][i]["children"][j]["children"][k]


def test_weights_must_add_up():
    msg = tweak(lambda d: leaf(d).update(weight=4))
    assert msg == "指标“预算编制”的下级指标分值合计 9，应等于 10"


def test_ids_must_be_unique():
    msg = tweak(lambda d: leaf(d, k=1).update(id="budget_rationality"))
    assert msg == "指标“预算编制规范性”：id“budget_rationality”与指标“预算编制合理性”重复"


def test_rule_parameters_are_checked():
    assert tweak(lambda d: leaf(d).update(rule={"type": "magic"})).startswith(
        "指标“预算编制合理性”：不认识的评分规则类型“magic”"
    )
    assert (
        tweak(
            lambda d: leaf(d, 2, 3, 1)["rule"].update(
                tiers=[{"min": 90, "score": 4}, {"min": 95, "score": 6}]
            )
        )
        == "指标“公众或服务对象满意度”：档次应按下限从高到低排列，且得分不升高（第 2 档）"
    )
    assert (
        tweak(lambda d: leaf(d, 2, 1, 0)["rule"]["parts"][0].update(weight=2))
        == "指标“预算执行率”：各分项权重合计 7，应等于指标分值 6"
    )
    assert (
        tweak(lambda d: leaf(d, 2, 0, 0)["rule"].update(per_point=-1))
        == "指标“公用经费控制率”：评分规则参数“per_point”应为正数"
    )
    assert (
        tweak(lambda d: leaf(d, 2, 0, 0)["bind"].update(numerator="no_such"))
        == "指标“公用经费控制率”：bind 引用的数据项“no_such”未在 figure_groups 中定义"
    )


def test_grade_bands_must_be_ordered():
    msg = tweak(
        lambda d: d.update(
            grades=[{"name": "良", "min": 80}, {"name": "优", "min": 90}, {"name": "差", "min": 0}]
        )
    )
    assert msg == "等级划分第 2 档（优）：等级应按分数线从高到低排列"
    assert (
        tweak(lambda d: d.update(grades=[{"name": "优", "min": 90}]))
        == "等级划分：最低一档（优）的分数线应为 0"
    )


def test_foreign_file():
    assert tweak(lambda d: d.update(format="other")) == "这不是指标框架文件（文件中没有指标框架的格式标记）"
    with pytest.raises(FrameworkError):
        Framework.from_dict([1, 2])


def test_total_must_match():
    assert tweak(lambda d: d.update(total=90)) == "指标框架的一级指标分值合计 100，应等于 90"
