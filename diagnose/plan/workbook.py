"""The whole plan as one Excel workbook: a summary sheet and every table of the page."""

from __future__ import annotations

import io

import pandas as pd

from diagnose.plan.tables import demand_table, lines_table, place_table, provider_table


def plan_workbook(plan) -> bytes:
    """``plan`` (services.planner.Plan) as an .xlsx: 概要, then the chosen enterprises, the count by
    place, the product and provider demand, the spare and the left-out enterprises."""
    rule = plan.rule
    summary = [
        ("测算日", f"{plan.today:%Y-%m-%d}"), ("截止日期", f"{plan.deadline:%Y-%m-%d}"),
        ("已计入试点目标（家）", plan.counting), ("本次目标（家）", plan.target), ("选中企业（家）", len(plan.chosen)),
        ("产品总价（元）", plan.total), ("财政资金（元）", plan.public),
        ("预算（元）", "不限" if plan.request.budget is None else plan.request.budget),
        ("细分行业", plan.request.industry or "全部"), ("行政区", plan.request.district or "全部"),
        ("企业规模", plan.request.size_class or "全部"),
        ("区县最低家数", "、".join(f"{d} ≥ {n}" for d, n in plan.request.district_minimum) or "无"),
        ("服务商承接上限", "、".join(f"{p} ≤ {n}" for p, n in plan.request.provider_capacity) or "无"),
        *[("提示", said) for said in plan.warnings],
        ("未达目标的原因", plan.shortfall or "—"), ("求解方法", plan.exactness),
        ("补助规则", rule.described()),
        ("产品清单", plan.catalog_label),
        *[(f"不在规划内：{why}（家）", count) for why, count in plan.set_aside.items()],
        ("不在规划内：截止日前无法达到二级（家）", len(plan.left_out)),
    ]  # fmt: skip
    demand = demand_table(plan.chosen, rule)
    sheets = {
        "概要": pd.DataFrame(summary, columns=["项目", "内容"]),
        "选中的企业": lines_table(plan.chosen),
        "按行业和区县": place_table(plan.chosen),
        "产品需求": demand,
        "服务商需求": provider_table(demand),
        "备选企业": lines_table(plan.spare),
        "未列入的企业": lines_table(plan.left_out),
        "其他不在规划内的企业": plan.aside,
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            _readable(writer.sheets[name], frame)
    return buffer.getvalue()


def _readable(sheet, frame: pd.DataFrame) -> None:
    """The header row frozen, columns as wide as what they hold (within reason), yuan with separators."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for i, column in enumerate(frame.columns, start=1):
        values = [str(column), *(str(v) for v in frame[column].head(200))]
        # a Chinese character is about two digits wide
        width = max(sum(2 if ord(c) > 0x2E7F else 1 for c in v) for v in values)
        sheet.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
        if "（元）" in str(column):
            for cell in sheet[get_column_letter(i)][1:]:
                cell.number_format = "#,##0"
