from decimal import Decimal

import pytest

from core.numbers import NumberError, fmt, fmt_pct, parse_number


@pytest.mark.parametrize(
    "text,value",
    [
        ("1,273.37", "1273.37"),
        ("93.8%", "93.8"),
        ("９３.８", "93.8"),
        ("  12 ", "12"),
        ("1 273.37", "1273.37"),
        ("-0", "0"),
        ("0.005", "0.005"),
        ("１，２７３．３７", "1273.37"),
        (".5", "0.5"),
        ("93.8 ％", "93.8"),
    ],
)
def test_parse_what_people_type(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "12元", "1,27.3", "1.2.3", "nan", "inf", "1e5", "--1", "1e999999"])
def test_refuse_with_a_chinese_hint(text):
    with pytest.raises(NumberError) as e:
        parse_number(text)
    assert "“" in str(e.value)


def test_empty_is_none():
    assert parse_number("") is None and parse_number("   ") is None


def test_print_as_the_report_does():
    assert [fmt(Decimal(x)) for x in ("5", "5.460", "4.50", "24.00", "0.005", "1273.37", "-0")] == [
        "5",
        "5.46",
        "4.5",
        "24",
        "0.01",
        "1,273.37",
        "0",
    ]
    assert fmt_pct(Decimal("89.018")) == "89.02%" and fmt(None, "—") == "—"


def test_a_value_that_is_not_zero_never_prints_as_zero():
    """Rounded to 0.01 a deduction of 0.003 read “扣 0 分”: below 0.005 two significant digits are kept."""
    assert [fmt(Decimal(x)) for x in ("0.003", "0.0033333", "-0.004", "0.0049999", "0.000", "-0.001")] == [
        "0.003",
        "0.0033",
        "-0.004",
        "0.005",
        "0",
        "-0.001",
    ]
