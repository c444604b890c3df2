"""Numbers as people type them, and as the report prints them (decimal, half-up to 0.01)."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
MAX_ABS = Decimal("1e15")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class NumberError(ValueError):
    """Text that is not a number; the message is a Chinese hint."""


def q2(value: Decimal) -> Decimal:
    """Round half-up to 0.01, as the report rounds scores, deductions and rates."""
    return value.quantize(CENT, ROUND_HALF_UP)  # positional: a keyword argument costs twice the rounding


def ceil_int(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def floor_int(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


@lru_cache(maxsize=65536)
def parse_number(text: str) -> Decimal | None:
    """Read a number as a clerk types it: "1,273.37", "93.8%", "９３.８", " 12 ", "1 273,5" is refused.

    Returns None for empty text. A trailing % is accepted and ignored (percent fields hold percents).
    Raises NumberError with a Chinese hint for anything else.
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        return None
    s = s.replace("，", ",").replace("。", ".")
    if s.endswith("%"):
        s = s[:-1].rstrip()
    s = s.replace(" ", "")
    if "," in s:
        whole = s.lstrip("+-").split(".")[0]
        if not re.fullmatch(r"\d{1,3}(,\d{3})+", whole):
            raise NumberError(f"“{text.strip()}”的千分位逗号位置不对，请写成 1,273.37 或 1273.37")
        s = s.replace(",", "")
    if not _NUMBER.fullmatch(s):
        raise NumberError(f"“{text.strip()}”不是数字，请只填写数字，例如 1273.37 或 93.8%")
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
        raise NumberError(f"“{text.strip()}”不是数字") from None
    if abs(value) >= MAX_ABS:
        raise NumberError(f"“{text.strip()}”太大了，请检查单位和位数")
    return value + 0  # normalise -0


def fmt(value: Decimal | None, empty: str = "") -> str:
    """Print as the report does: 5, 4.5, 5.46, 1,273.37 (two decimals at most, no trailing zeros). A value that
    is not 0 never prints as 0: below 0.005 it keeps two significant digits (0.003, 0.0033), so a deduction of
    a row weighted 3.333 scored 3.33 reads “扣 0.003 分”, not “扣 0 分”."""
    return empty if value is None else _fmt(value)


@lru_cache(maxsize=65536)
def _fmt(value: Decimal) -> str:
    if value and not q2(value) and value.adjusted() > -12:  # (an absurd 1e-999999999 would not quantize)
        value = value.quantize(Decimal(1).scaleb(value.adjusted() - 1), ROUND_HALF_UP)
        return f"{value:f}".rstrip("0")
    text = f"{q2(value):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_pct(value: Decimal | None, empty: str = "") -> str:
    """A percent value (93.8 means 93.8%) printed as 93.8%."""
    return empty if value is None else _fmt(value) + "%"
