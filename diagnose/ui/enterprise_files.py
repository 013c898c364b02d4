"""一企一档: find an enterprise and read its file: profile, assessments and results, project, log."""

from __future__ import annotations

import streamlit as st

from diagnose import clock
from diagnose.pilot import DISTRICTS, INDUSTRIES, LEVEL_NAMES, STAGES, STATUSES
from diagnose.report.document import project_lines
from diagnose.services.errors import ServiceError
from diagnose.services.files import enterprise_file, overview
from diagnose.services.reviews import decisions_of
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

ALL = "全部"
PROFILE_FIELDS = (
    ("统一社会信用代码", "credit_code"), ("细分行业", "industry"), ("行政区", "district"), ("规模", "size_class"),
    ("从业人数（上年）", "head_count"), ("营业收入（上年，万元）", "revenue"), ("联系人", "contact_name"),
    ("联系电话", "contact_phone"), ("主要产品", "main_products"), ("地址", "address"),
)  # fmt: skip

actor = require_actor()
national = shipped_questionnaires()["national-2024"]

st.title("一企一档")
st.caption("名称以【示例】开头的企业均为虚构的示例数据，仅用于演示。")

search, industry, district = st.columns([2, 1, 1])
text = search.text_input("搜索", placeholder="企业名称或统一社会信用代码", key="file_search")
chosen_industry = industry.selectbox("细分行业", [ALL, *INDUSTRIES], key="file_industry", placeholder="请选择")
chosen_district = district.selectbox("行政区", [ALL, *DISTRICTS], key="file_district", placeholder="请选择")
found = overview(
    store(),
    actor,
    text,
    "" if chosen_industry == ALL else chosen_industry,
    "" if chosen_district == ALL else chosen_district,
)
if not found:
    st.info("没有符合条件的企业。")
    st.stop()

st.dataframe(
    [
        {"企业名称": e["name"], "统一社会信用代码": e["credit_code"], "细分行业": e["industry"],
         "行政区": e["district"], "规模": e["size_class"],
         "最新等级": "未评测" if e["level"] is None else LEVEL_NAMES[e["level"]], "最新得分": e["score"]}
        for e in found
    ],
    hide_index=True,
    width="stretch",
    # every column in sight on a 1024-pixel screen; a score to the thousandth, as scored everywhere
    column_config={"企业名称": st.column_config.TextColumn(width=260),
                   "最新得分": st.column_config.NumberColumn(format="%.3f", width=80)},
)  # fmt: skip
st.caption(f"显示 {len(found)} 家" + ("（最多 200 家，请缩小搜索范围）" if len(found) == 200 else ""))


def reports_of_the_selection(industry: str, district: str) -> None:
    """The reports of every scored enterprise of the chosen industry and district, in one ZIP: an
    official preparing a district's meeting does not download them one by one."""
    from diagnose.services.report import reports_zip

    scope = "、".join(x for x in (industry, district) if x) or "全部企业"
    with st.expander(f"批量下载诊断报告（{scope}）", icon=":material/folder_zip:"):
        st.caption("为所选行业、行政区中已有计分结果的每家企业生成一份 PDF 报告，打包为 ZIP（不受上方搜索词影响）。")
        if st.button("生成报告", key="reports_zip_make"):
            bar = st.progress(0.0, text="正在生成报告……")

            def shown(done: int, total: int) -> None:
                bar.progress(done / total, text=f"已生成 {done} / {total} 份")

            try:
                made, count, unscored = reports_zip(store(), actor, industry, district, shown)
            except ServiceError as refused:
                bar.empty()
                st.error(str(refused))
                return
            st.session_state["reports_zip"] = (scope, made, count, unscored)
        kept = st.session_state.get("reports_zip")
        if kept and kept[0] == scope:
            _, made, count, unscored = kept
            st.success(f"已生成 {count} 份报告" + (f"；{unscored} 家尚无计分结果，未生成" if unscored else ""))
            st.download_button(f"下载 ZIP（{len(made) / 1e6:.1f} MB）", made, file_name=f"诊断报告-{scope}.zip",
                               mime="application/zip", key="reports_zip_download", on_click="ignore")  # fmt: skip


if actor.role != "enterprise":  # an enterprise account has its one report below
    reports_of_the_selection("" if chosen_industry == ALL else chosen_industry,
                             "" if chosen_district == ALL else chosen_district)  # fmt: skip

by_id = {e["id"]: e for e in found}
picked = st.selectbox("查看档案", list(by_id), format_func=lambda i: f"{by_id[i]['name']}（{by_id[i]['credit_code']}）",
                      index=None, placeholder="选择一家企业", key="file_pick")  # fmt: skip
if picked is None:
    st.stop()

file = enterprise_file(store(), actor, picked)
profile = file["profile"]
st.header(profile["name"])
columns = st.columns(2)
for i, (label, key) in enumerate(PROFILE_FIELDS):
    value = profile[key]
    columns[i % 2].markdown(f"**{label}**：{'—' if value in (None, '') else value}")

if any(visit["results"] for visit in file["assessments"]):
    from diagnose.services.report import html_report, pdf_report

    pdf_col, html_col = st.columns(2)
    # the file is built only when the button is pressed
    pdf_col.download_button(
        "下载诊断报告（PDF）", data=lambda: pdf_report(store(), actor, picked), key="report_pdf",
        file_name=f"{profile['name']}-诊断报告.pdf", mime="application/pdf",
    )  # fmt: skip
    html_col.download_button(
        "下载诊断报告（HTML）", data=lambda: html_report(store(), actor, picked), key="report_html",
        file_name=f"{profile['name']}-诊断报告.html", mime="text/html",
    )  # fmt: skip

st.subheader("评测记录")
if not file["assessments"]:
    st.caption("尚无评测。")
else:
    rows = []
    for visit in file["assessments"]:
        latest = visit["results"][-1] if visit["results"] else None
        rows.append({
            "编号": visit["id"], "阶段": STAGES[visit["stage"]], "状态": STATUSES[visit["status"]],
            "走访日期": visit["visit_date"], "计分问卷版本": latest["version"] if latest else "—",
            "总分": latest["score"] if latest else None, "基础": latest["basic"] if latest else None,
            "管理": latest["management"] if latest else None, "成效": latest["effect"] if latest else None,
            "等级": national.level_label(latest["level"]) if latest else "未计分",
        })  # fmt: skip
    st.dataframe(rows, hide_index=True, width="stretch")

st.subheader("审核记录")
decided = decisions_of(store(), actor, picked)
if not decided:
    st.caption("尚无审核记录。")
else:
    st.dataframe(
        [{"时间": f"{clock.local(d['decided_at']):%Y-%m-%d %H:%M}", "评测编号": d["assessment_id"],
          "阶段": d["stage_name"], "审核人": d["reviewer"], "结论": "通过" if d["decision"] == "approved" else "退回",
          "意见": d["comment"] or "—"} for d in decided],
        hide_index=True, width="stretch",
    )  # fmt: skip

st.subheader("改造项目")
if not file["projects"]:
    st.caption("尚无改造项目。")
for project in file["projects"]:
    line, rows = project_lines(project)
    st.text(line)
    heads = ("产品和服务", "数量", "单位", "单价（元）", "金额（元）")
    st.dataframe([dict(zip(heads, row, strict=True)) for row in rows], hide_index=True, width="stretch")
    st.caption(f"合计 {sum(i['quantity'] * i['unit_price'] for i in project['items']):,.2f} 元")
    if actor.role in ("consultant", "admin"):
        st.page_link("diagnose/ui/project.py", label="打开项目（合同、材料、改造后评测）", icon=":material/handshake:",
                     query_params={"p": project["id"]})  # fmt: skip

with st.expander("操作日志"):
    st.dataframe(
        [{"时间": e["at"], "操作人": e["actor"], "操作": e["action"], "对象": f"{e['entity']} {e['entity_id'] or ''}",
          "字段": e["field"], "原值": e["old_value"], "新值": e["new_value"]} for e in file["log"]],
        hide_index=True,
        width="stretch",
    )  # fmt: skip
