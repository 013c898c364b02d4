"""A product application (产品申报) as data: its fields, and what is wrong with them, in Chinese.

A provider applies a product for a review batch with the catalog's fields (DOMAIN.md §3):
what it is, the scenes it lifts to which level and the questions it brings to which option
(checked against the questionnaire), price, period, IP, and its 样板项目 at a local enterprise
with a contract after the pilot's start. A draft may be incomplete; what it holds must still be
well formed. Submitting needs every field.
"""

from __future__ import annotations

from datetime import date

from diagnose.catalog.products import ALL_INDUSTRIES, LINKS, MAX_DAYS, MAX_PRICE, TYPES
from diagnose.numbers import finite
from diagnose.pilot import INDUSTRIES, LEVEL_NAMES, TARGET_WINDOW
from diagnose.problems import Problem
from diagnose.rule.questionnaire import Questionnaire

WHERE = "产品申报"
IP_STATUSES = ("软件著作权", "专利", "软件著作权和专利", "无（服务类产品）")
SHOWCASE_AFTER = date.fromisoformat(TARGET_WINDOW[0])  # 一个样板项目：合同签订在 2023-10-11 之后
LABELS = {
    "name": "产品名称", "version": "版本", "type": "类型", "industries": "适用行业", "links": "覆盖环节",
    "scenes": "提升的场景", "questions": "改进的题目", "deployment": "部署方式", "price": "价格（元）",
    "unit": "计价单位", "implementation_days": "实施周期（天）", "ip_status": "知识产权",
    "showcase_enterprise": "样板项目企业", "showcase_contract_date": "样板项目合同签订日期",
    "showcase_level_before": "样板项目改造前等级", "showcase_level_after": "样板项目改造后等级",
}  # fmt: skip
TEXTS = {"name": 100, "version": 40, "deployment": 40, "unit": 20, "showcase_enterprise": 100}


def application_problems(questionnaire: Questionnaire, fields: dict, complete: bool) -> list[Problem]:
    """Every problem of ``fields``, each placed at its field (``scenes.设备管理``, ``price``) with a
    message naming it. With ``complete`` (submitting) an empty field is one; in a draft it is not."""
    problems: list[Problem] = []

    def bad(place: str, message: str) -> None:
        problems.append(Problem(WHERE, place, message))

    for name in LABELS:
        value = fields.get(name)
        if value in (None, "", [], {}):
            if complete and name != "questions" and name != "scenes":
                bad(name, f"{LABELS[name]}：必须填写")
            continue
        if name in TEXTS:
            if not isinstance(value, str) or not value.strip():
                bad(name, f"{LABELS[name]}：应为文字")
            elif len(value) > TEXTS[name]:
                bad(name, f"{LABELS[name]}：最多 {TEXTS[name]} 个字，现有 {len(value)} 个")
        elif name in ("type", "ip_status"):
            allowed = TYPES if name == "type" else IP_STATUSES
            if value not in allowed:
                bad(name, f"{LABELS[name]}：“{value}”不是可选项（可选：{'、'.join(allowed)}）")
        elif name in ("industries", "links"):
            allowed = (ALL_INDUSTRIES, *INDUSTRIES) if name == "industries" else LINKS
            listed = value if isinstance(value, list) else [value]
            for item in listed:
                if item not in allowed:
                    bad(name, f"{LABELS[name]}：“{item}”不是可选项（可选：{'、'.join(allowed)}）")
        elif name in ("price", "implementation_days"):
            top, unit = (MAX_PRICE, "元") if name == "price" else (MAX_DAYS, "天")
            if not _whole(value) or not 0 <= value <= top:
                bad(name, f"{LABELS[name]}：应为 0 至 {top:,} {unit}的整数，不是 {value!r}")
        elif name == "showcase_contract_date":
            day = _day(value)
            if day is None:
                bad(name, f"{LABELS[name]}：应为日期（如 2024-03-15），不是 {value!r}")
            elif day <= SHOWCASE_AFTER:
                bad(name, f"{LABELS[name]}：样板项目的合同须晚于 {SHOWCASE_AFTER.isoformat()} 签订（当天不算）")
        elif name in ("showcase_level_before", "showcase_level_after"):
            if not _whole(value) or not 0 <= value <= 4:
                bad(name, f"{LABELS[name]}：应为 {'、'.join(LEVEL_NAMES)} 之一")
        elif name == "scenes":
            _check_scenes(questionnaire, value, bad)
        elif name == "questions":
            _check_questions(questionnaire, value, bad)
    before, after = fields.get("showcase_level_before"), fields.get("showcase_level_after")
    if _whole(before) and _whole(after) and 0 <= before <= 4 and 0 <= after <= 4 and after <= before:
        bad("showcase_level_after", f"{LABELS['showcase_level_after']}：应高于改造前等级（{LEVEL_NAMES[int(before)]}）")
    if complete and not fields.get("scenes") and not fields.get("questions"):
        bad("scenes", "提升的场景、改进的题目：至少填写一项（产品能把哪个场景提到几级，或把哪道题提到哪个选项）")
    return problems


def _check_scenes(questionnaire: Questionnaire, value, bad) -> None:
    if not isinstance(value, dict):
        bad("scenes", f"{LABELS['scenes']}：应为“场景 → 等级”")
        return
    for scene, level in value.items():
        if questionnaire.scene(scene) is None:
            bad(f"scenes.{scene}", f"{LABELS['scenes']}：没有名为“{scene}”的场景")
        elif not _whole(level) or not 1 <= level <= 4:
            bad(f"scenes.{scene}", f"{LABELS['scenes']} · {scene}：等级应为 L1 至 L4，不是 {level!r}")


def _check_questions(questionnaire: Questionnaire, value, bad) -> None:
    if not isinstance(value, dict):
        bad("questions", f"{LABELS['questions']}：应为“题号 → 选项”")
        return
    for qid, codes in value.items():
        question = questionnaire.question(qid)
        if question is None:
            bad(f"questions.{qid}", f"{LABELS['questions']}：没有题号为“{qid}”的题目")
            continue
        listed = codes if isinstance(codes, list) else [codes]
        allowed = [o.code for o in question.options if not o.exclusive]
        unknown = [c for c in listed if c not in allowed]
        if unknown or not listed:
            bad(
                f"questions.{qid}",
                f"{LABELS['questions']} · {qid}：选项应为 {'、'.join(allowed)} 中的"
                f"{'一个' if question.type != 'multi' else '一个或几个'}，不是 {'、'.join(map(str, unknown)) or '空'}",
            )
        elif question.type != "multi" and len(listed) != 1:
            bad(f"questions.{qid}", f"{LABELS['questions']} · {qid}：单选题只能选一个选项")


def _whole(value) -> bool:
    return finite(value) and float(value).is_integer()


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def showcase_text(fields: dict) -> str:
    """The 样板项目 in one line, as the catalog shows it: the enterprise, the contract date, the levels."""
    before, after = fields.get("showcase_level_before"), fields.get("showcase_level_after")
    levels = f"，{LEVEL_NAMES[int(before)]} → {LEVEL_NAMES[int(after)]}" if _whole(before) and _whole(after) else ""
    return f"{fields.get('showcase_enterprise', '')}（合同 {fields.get('showcase_contract_date', '')}{levels}）"


SUMMARY_FIELDS = ("type", "industries", "links", "deployment", "price", "unit", "implementation_days", "ip_status")


def summary_lines(questionnaire: Questionnaire, fields: dict) -> list[str]:
    """The application as a reviewer reads it, one markdown line per field: the scenes and the
    questions by name (``Q5 信息系统 → E. 全部业务环节``), not by code, and the 样板项目 in one line."""
    lines = []
    for key in SUMMARY_FIELDS:
        value = fields.get(key)
        shown = (
            "、".join(value) if isinstance(value, list) else f"{value:,}" if key == "price" and _whole(value) else value
        )
        lines.append(f"- **{LABELS[key]}**：{'—' if shown in (None, '') else shown}")
    scenes = "、".join(f"{s} → L{v}" for s, v in (fields.get("scenes") or {}).items()) or "—"
    named = []
    for qid, codes in (fields.get("questions") or {}).items():
        question = questionnaire.question(qid)
        listed = codes if isinstance(codes, list) else [codes]
        if question is None:
            named.append(f"{qid} → {'、'.join(map(str, listed))}")
            continue
        options = "、".join(f"{c}. {question.option(c).text}" if question.option(c) else str(c) for c in listed)
        named.append(f"{qid} {question.item} → {options}")
    lines += [f"- **{LABELS['scenes']}**：{scenes}", f"- **{LABELS['questions']}**：{'；'.join(named) or '—'}",
              f"- **样板项目**：{showcase_text(fields)}"]  # fmt: skip
    return lines
