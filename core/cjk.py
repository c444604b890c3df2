"""Chinese line breaking (断行), linear in a paragraph's length. Plain Python: the PDF renderer lays out with it.

Rules (W3C clreq 行首/行尾禁则, and what Word does for Chinese):
- no line starts with a closing mark (，。、；：？！）》” …) and none ends with an opening one (（《“ …);
- a number or a Latin word (1,273.37, 93.8%, www.szft.gov.cn) is not cut, nor is a 破折号 "——" or "……";
- with `hang`, one full-width closing mark may hang past the end of a full line (body text; never in a table
  cell, where it would cross the vertical rule);
- with `words`, a line does not end inside a known word ("指标", "绩效", …) when the line holds another break;
- where nothing else is possible (one unbreakable run longer than the line), the run is cut where the line is full.

Each line is found by one forward scan and at most one backward scan over the same line, so the work is
proportional to the text's length whatever its content (benchmarks/bench_pdf.py --paragraph).
"""

from __future__ import annotations

NO_LINE_START = frozenset("，。、；：？！）》〉」』】〕〗〙〛”’…·%‰℃,.;:?!)]}")
NO_LINE_END = frozenset("（《〈「『【〔〖〘〚“‘([{")
HANGING = frozenset("，。、；：？！）》〉」』】〕〗〙〛”’")  # full-width closing marks
INSEPARABLE = frozenset("—…")  # "——" and "……" stay whole

# Words a table cell or a title should not be cut inside. Chinese has no spaces, so a line may end between any
# two characters; in a narrow cell "可持续影响指/标" reads badly where "可持续影响/指标" was possible. A small list of
# the words these reports are made of; found by forward maximum matching (longest word first).
WORDS = frozenset(
    """
    指标 绩效 部门 整体 支出 自评 评分 评分表 评价 自评表 预算 决算 执行 执行率 管理 项目 资金 资产 人员 制度 经济 效益
    效率 效果 公平 满意度 满意 可持续 影响 社会 生态 服务 对象 数量 质量 时效 成本 产出 信息 安全 智能 智能化 精细化 系统
    城管 数字化 技术 中心 年度 情况 完成 完成率 及时性 及时 合理性 合理 规范性 规范 完整性 完整 明确性 明确 政府 采购
    财务 合规性 合规 公开 实施 程序 监管 固定 利用率 财政 供养 控制率 控制 编外 健全性 健全 公用 经费 重点 工作 群众
    信访 办理 公众 编制 目标 设置 决策 分值 得分 扣分 理由 标准 依据 合计 等级 计算 比率 结果 优化 维护 设备 提升 提高
    建设 加强 建立 治理 模式 平台 收集 意见 居民 市民 以上 达到 减员 增效 职能 转变 履职 能力 政府 网络 布局 确保 进一步
    监督 考核 报告 附件 单位 名称 负责人 填报人 联系 电话 日期 基本 收入 结余 结转 调整 年初 年末 全年 季度 平均 实际
    计划 累计 比例 分项 加权 评议 酌情 达标 未达标 核心 计量 完成值 指标值 偏差 原因 分析 改进 措施 三公 日常 人员经费
    深圳市 福田区 重庆市 区县 街道 社区 委员会 办公室 公共 预算执行率 公用经费 政府采购 固定资产 无形资产 信息公开
    预决算 满意度调查 服务对象 可持续影响 经济效益 社会效益 生态效益 数量指标 质量指标 时效指标 成本指标 效益指标
    满意度指标 产出指标 一级指标 二级指标 三级指标 一级 二级 三级 参考分值 评分结果 评分标准 评分依据 扣分理由
    """.split()
)
LONGEST_WORD = max(len(w) for w in WORDS)


def glued(a: str, b: str) -> bool:
    """A line may not break between a and b."""
    return (
        b in NO_LINE_START
        or a in NO_LINE_END
        or (a == b and a in INSEPARABLE)
        or (a.isascii() and b.isascii() and not (a.isspace() or b.isspace()))
    )


def inside_words(text: str) -> bytearray:
    """in_word[i] = 1 when text[i - 1] and text[i] belong to one known word (forward maximum matching)."""
    out = bytearray(len(text) + 1)
    i, n = 0, len(text)
    while i < n:
        for size in range(min(LONGEST_WORD, n - i), 1, -1):
            if text[i : i + size] in WORDS:
                out[i + 1 : i + size] = b"\x01" * (size - 1)
                i += size
                break
        else:
            i += 1
    return out


def break_lines(
    text: str,
    widths: list[float],
    width: float,
    *,
    first_width: float | None = None,
    hang: bool = False,
    words: bool = False,
) -> list[tuple[int, int]]:
    """Lines as [start, end) ranges of `text`; "\\n" ends a line (and is not part of it); a space where a line
    breaks is dropped. `widths[i]` is the advance of text[i]; `first_width` the room of the first line (an
    indent), `width` that of the others."""
    n = len(text)
    in_word = inside_words(text) if words else None
    out: list[tuple[int, int]] = []
    start = 0
    while start < n:
        limit = first_width if first_width is not None and not out else width
        end, used = start, 0.0
        while end < n and text[end] != "\n" and (end == start or used + widths[end] <= limit + 1e-6):
            used += widths[end]
            end += 1
        if end < n and text[end] != "\n":
            end = _adjust(text, start, end, hang, in_word)
        stop = end
        while stop > start + 1 and text[stop - 1] == " ":
            stop -= 1  # nor a space at its end
        out.append((start, stop))
        if end < n and text[end] == "\n":
            start = end + 1
        else:
            start = end
            while start < n and text[start] == " ":
                start += 1  # a space at a line break is not printed
    return out


def _adjust(text: str, start: int, end: int, hang: bool, in_word: bytearray | None) -> int:
    """The end of a full line [start, end) whose next character does not fit: where the line may break."""
    if glued(text[end - 1], text[end]):
        if (
            hang
            and text[end] in HANGING
            and text[end - 1] not in NO_LINE_END
            and (end + 1 == len(text) or not glued(text[end], text[end + 1]))
        ):
            return end + 1  # hang one full-width closing mark
        b = end - 1
        while b > start and glued(text[b - 1], text[b]):
            b -= 1
        if b == start:
            return end  # nowhere to break: cut where the line is full
        end = b
    if in_word is not None and in_word[end]:
        b = end - 1
        while b > start and (in_word[b] or glued(text[b - 1], text[b])):
            b -= 1
        if b > start:
            end = b
    return end


def balanced(
    text: str, widths: list[float], width: float, *, words: bool = True, hang: bool = False
) -> list[tuple[int, int]]:
    """Lines of a title: as many as at the full width, but as even as possible (排列对称)."""
    lines = break_lines(text, widths, width, words=words, hang=hang)
    if len(lines) < 2:
        return lines
    low, high = width / 2, width
    for _ in range(12):
        mid = (low + high) / 2
        if len(break_lines(text, widths, mid, words=words, hang=hang)) <= len(lines):
            high = mid
        else:
            low = mid
    return break_lines(text, widths, high, words=words, hang=hang)
