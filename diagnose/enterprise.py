"""The enterprise profile of 一企一档: fields, their checks, and the derived size class.

``check_profile`` takes raw values (typed in a form or read from an Excel
row) and returns a clean profile or every problem, each naming its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from diagnose import clock
from diagnose.numbers import read_number
from diagnose.pilot import DISTRICTS, INDUSTRIES, OWNERSHIPS
from diagnose.problems import Problem

# GB 32100-2015 统一社会信用代码: 18 characters from this set; the last is a check character
CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
TEXT_LIMITS = {"name": 200, "address": 300, "contact_name": 50, "contact_phone": 30, "main_products": 500}


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character of a credit code's first 17 characters; ValueError unless
    they are 17 characters of CODE_CHARSET."""
    total = sum(CODE_CHARSET.index(c) * w for c, w in zip(first17, CODE_WEIGHTS, strict=True))
    return CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or None."""
    if len(code) != 18:
        return f"应为 18 位，实际 {len(code)} 位"
    wrong = sorted({c for c in code if c not in CODE_CHARSET})
    if wrong:
        return f"含有不允许的字符 {'、'.join(wrong)}（不使用 I、O、Z、S、V）"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"校验位错误：第 18 位应为 {expected}，实际为 {code[17]}"
    return None


SIZE_CLASSES = ("微型", "小型", "中型", "大型")


def size_class(head_count: int | None, revenue: float | None) -> str:
    """微型 / 小型 / 中型 / 大型 for an industrial enterprise (工信部联企业〔2011〕300号):
    中型 from 300 people and 2000 万元, 小型 from 20 people and 300 万元, 大型 from
    1000 people and 40000 万元; "" when a figure is missing."""
    if head_count is None or revenue is None:
        return ""
    if head_count >= 1000 and revenue >= 40000:
        return "大型"
    if head_count >= 300 and revenue >= 2000:
        return "中型"
    if head_count >= 20 and revenue >= 300:
        return "小型"
    return "微型"


@dataclass(frozen=True)
class Profile:
    """A checked enterprise profile (一企一档), as ``check_profile`` makes it."""

    credit_code: str
    name: str
    industry: str
    district: str
    address: str = ""
    founded_on: date | None = None
    contact_name: str = ""
    contact_phone: str = ""
    main_products: str = ""
    ownership: str = ""
    above_scale: bool | None = None
    head_count: int | None = None
    head_count_prev: int | None = None
    revenue: float | None = None
    revenue_prev: float | None = None

    @property
    def size_class(self) -> str:
        """微型 / 小型 / 中型 / 大型 from head count and revenue; "" when either is missing."""
        return size_class(self.head_count, self.revenue)

    def as_row(self) -> dict:
        """Every field by name, plus the derived ``size_class``: the row the store keeps."""
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["size_class"] = self.size_class
        return row


LABELS = {
    "credit_code": "统一社会信用代码",
    "name": "企业名称",
    "industry": "细分行业",
    "district": "行政区",
    "address": "地址",
    "founded_on": "成立日期",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "main_products": "主要产品",
    "ownership": "企业性质",
    "above_scale": "规上企业",
    "head_count": "从业人数（上年）",
    "head_count_prev": "从业人数（前年）",
    "revenue": "营业收入（上年，万元）",
    "revenue_prev": "营业收入（前年，万元）",
}
REQUIRED = ("credit_code", "name", "industry", "district")
CHOICES = {"industry": INDUSTRIES, "district": DISTRICTS, "ownership": OWNERSHIPS}
WHOLE = ("head_count", "head_count_prev")
AMOUNTS = ("revenue", "revenue_prev")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_profile(data: dict, source: str = "企业信息") -> tuple[Profile | None, list[Problem]]:
    """A clean profile from raw values, or None and one problem per bad field (place = field key)."""
    problems: list[Problem] = []
    clean: dict[str, Any] = {}

    def bad(key: str, message: str) -> None:
        problems.append(Problem(source, key, f"{LABELS[key]}{message}"))

    for key in data:
        if key not in LABELS:
            problems.append(Problem(source, str(key), "未知字段"))
    for key in LABELS:
        value = data.get(key)
        if _blank(value):
            if key in REQUIRED:
                bad(key, "不能为空")
            continue
        checked = _check_field(key, value)
        if isinstance(checked, _Refusal):
            bad(key, checked.message)
        else:
            clean[key] = checked
    if problems:
        return None, problems
    return Profile(**clean), []


@dataclass(frozen=True)
class _Refusal:
    message: str


def _check_field(key: str, value: Any) -> Any:
    if key == "credit_code":
        code = str(value).strip().upper()
        reason = credit_code_problem(code)
        return _Refusal(f"{reason}") if reason else code
    if key in CHOICES:
        text = str(value).strip()
        return text if text in CHOICES[key] else _Refusal(f"应为以下之一：{'、'.join(CHOICES[key])}；而不是“{text}”")
    if key == "founded_on":
        return _date(value)
    if key == "above_scale":
        return _yes_no(value)
    if key in WHOLE:
        return _number(value, whole=True, most=MAX_HEAD_COUNT)
    if key in AMOUNTS:
        return _number(value, whole=False, most=MAX_REVENUE_WAN)
    text = str(value).strip()
    if len(text) > TEXT_LIMITS[key]:
        return _Refusal(f"过长（{len(text)} 字，最多 {TEXT_LIMITS[key]} 字）")
    if key == "contact_phone" and not PHONE.match(text):
        return _Refusal("只能包含数字、空格、+、- 和括号，7-20 位")
    return text


def _date(value: Any) -> date | _Refusal:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            return _Refusal(f"应为日期，如 2015-06-30，而不是“{value}”")
    if parsed > clock.today() or parsed.year < 1900:
        return _Refusal(f"不合理：{parsed.isoformat()}")
    return parsed


def _yes_no(value: Any) -> bool | _Refusal:
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in ("是", "规上", "1", "true", "True"):
        return True
    if text in ("否", "规下", "0", "false", "False"):
        return False
    return _Refusal(f"应为“是”或“否”，而不是“{text}”")


# Far above any enterprise of the pilot (and inside the columns' range on both databases): a larger
# figure is a slip of units or digits, refused by name rather than stored
MAX_HEAD_COUNT = 1_000_000
MAX_REVENUE_WAN = 100_000_000  # 万元: one trillion yuan


def _number(value: Any, whole: bool, most: float) -> float | int | _Refusal:
    number = read_number(value)
    if isinstance(number, str):  # NaN and infinity are no head count and no revenue either
        return _Refusal(number)
    if number < 0:
        return _Refusal("不能为负数")
    if number > most:
        return _Refusal(f"过大（超过 {most:,.0f}），请核对单位与位数")
    if whole:
        if number != int(number):
            return _Refusal(f"应为整数，而不是 {number:g}")
        return int(number)
    return number
