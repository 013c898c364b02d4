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
        ("未达目标的原因", plan.shortfall or "—"), ("求解方法", plan.exactness),
        ("补助规则", f"{rule.title}：{'、'.join(rule.eligible_types)} 按 {rule.share:.0%} 补助，每家最多 "
                     f"{rule.cap_per_enterprise:,} 元"),
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
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()
