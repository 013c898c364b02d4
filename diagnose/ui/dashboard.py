"""试点看板 (officials): filters, headline counts, the pilot target, and the views behind them."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

from diagnose.board.charts import industry_bars, level_bars, scene_heatmap
from diagnose.board.records import BoardFilter, level_members, scene_members
from diagnose.board.views import AFTER, BEFORE, LEVEL_NAMES
from diagnose.enterprise import SIZE_CLASSES
from diagnose.pilot import DISTRICTS, INDUSTRIES, STAGES, STATUSES, TARGET_COUNT, TARGET_LEVEL, TARGET_WINDOW
from diagnose.report.result_charts import FONT
from diagnose.services import dashboard as service
from diagnose.services.dashboard import board, from_sums, members, names, sums_ready
from diagnose.services.errors import ServiceError
from diagnose.ui.board_tables import enterprise_list, table
from diagnose.ui.session import require_actor
from diagnose.ui.state import store

ALL = "全部"
SCORED_STATUSES = ("approved", "submitted", "returned")  # a draft has no result yet
LEVEL_NAME = LEVEL_NAMES[TARGET_LEVEL]
actor = require_actor()
st.title("试点看板")

row = st.columns(4)
industry = row[0].selectbox("细分行业", [ALL, *INDUSTRIES], key="board_industry", placeholder="请选择")
district = row[1].selectbox("行政区", [ALL, *DISTRICTS], key="board_district", placeholder="请选择")
size = row[2].selectbox("企业规模", [ALL, *SIZE_CLASSES], key="board_size", placeholder="请选择")
stage = row[3].selectbox("评测阶段", [ALL, *STAGES.values()], key="board_stage", placeholder="请选择")
row = st.columns([2, 2, 1])
statuses = row[0].multiselect("审核状态", SCORED_STATUSES, default=["approved"], key="board_status",
                              format_func=STATUSES.get, placeholder="选择审核状态")  # fmt: skip
visited = row[1].date_input("走访日期（起止，可不选）", value=(), key="board_dates", format="YYYY-MM-DD")
target = row[2].number_input("目标（家）", min_value=1, value=TARGET_COUNT, step=10, key="board_target")
if not statuses:
    st.warning("请至少选择一种审核状态。")
    st.stop()
chosen = BoardFilter(
    industry="" if industry == ALL else industry,
    district="" if district == ALL else district,
    size_class="" if size == ALL else size,
    stage="" if stage == ALL else next(k for k, v in STAGES.items() if v == stage),
    statuses=tuple(statuses),
    visited_from=visited[0] if len(visited) > 0 else None,
    visited_to=visited[1] if len(visited) > 1 else None,
)
try:
    figures = board(store(), actor, chosen)
except ServiceError as refused:  # the service is the guard; the menu only hides the page
    st.error(str(refused))
    st.stop()


def namer(ids: list[int]):
    return names(store(), actor, ids)


def listed():
    """The enterprises behind the figures (read from the records, then cached)."""
    return members(store(), actor, chosen)


def list_open(label: str, key: str) -> bool:
    """Whether to show a list: asked for, and open by default for a city's number of enterprises."""
    return st.toggle(label, value=figures.enterprises <= service.LISTS_OPEN_UP_TO, key=f"board_show_{key}")


if from_sums(chosen) and not sums_ready(store(), actor):
    st.warning("看板汇总未建立或已停用，当前按评测记录计算，企业多时较慢；请管理员运行 diagnose db rebuild 重建。")
kept = "、".join(STATUSES[s] for s in statuses)
how = "" if from_sums(chosen) else "按所选审核状态、阶段或走访日期从评测记录计算，企业多时需要几秒；"
st.caption(f"计入{kept}的评测（已计分）；每家企业取其中最近一次的结果，改造前后分别取各阶段最近一次。"
           f"{how}每次提交或审核后即更新。")  # fmt: skip
st.markdown(
    f"企业 **{figures.enterprises}** 家　已诊断 **{figures.diagnosed}** 家　"
    f"已完成改造 **{figures.transformed}** 家　{LEVEL_NAME}及以上 **{figures.at_target_level}** 家"
)
counted = figures.counting
st.progress(min(counted / target, 1.0), text=f"按试点口径达标 {counted} / {target} 家")
st.caption(f"达标口径：改造项目于 {TARGET_WINDOW[0]} 至 {TARGET_WINDOW[1]} 间开始并完成、获财政资金支持，"
           f"且改造后评测经审核达到{LEVEL_NAME}及以上（不受审核状态、阶段和日期筛选影响）；"
           f"按项目完成与评测通过两者中较晚的月份计入当月。")  # fmt: skip

tabs = st.tabs(
    ["试点达标", "等级分布", "行业与区县", "场景短板", "改造成效", "顾问与产品", "服务商对比"], key="board_tab"
)

with tabs[0]:
    months = figures.by_month
    if not months.empty:
        chart = go.Figure(go.Scatter(x=months["month"], y=months["cumulative"], mode="lines+markers", name="累计达标"))
        chart.add_hline(y=target, line_dash="dash", annotation_text=f"目标 {target} 家")
        chart.update_layout(height=300, margin={"l": 30, "r": 10, "t": 30, "b": 30}, font={"family": FONT},
                            yaxis_title="累计达标企业（家）")  # fmt: skip
        st.plotly_chart(chart, key="board_months", config={"displayModeBar": False})
    table("按月达标", months.rename(columns={"month": "月份", "newly": "当月新增", "cumulative": "累计"}), "months")
    if list_open(f"列出达标（{figures.counting} 家）与接近达标（{figures.close} 家）的企业", "pilot"):
        enterprise_list("达标企业", listed().counting, "counting", namer)
        enterprise_list("接近达标", listed().close, "close", namer)

with tabs[1]:
    st.caption("点击柱子查看其中的企业。")
    picked = st.plotly_chart(level_bars(figures.levels), key="board_levels", on_select="rerun",
                             selection_mode="points", config={"displayModeBar": False})  # fmt: skip
    table("等级分布", figures.levels.rename(columns={"industry": "细分行业", "phase": "阶段"}), "levels")
    points = picked.selection.points if picked else []
    if points:
        industry_of, phase, level = points[0]["customdata"]
        behind = level_members(listed(), industry_of, phase, int(level))
        enterprise_list(f"{industry_of} · {phase} · {LEVEL_NAMES[int(level)]}", behind, "level_members", namer)

with tabs[2]:
    if not figures.by_industry.empty:
        st.plotly_chart(industry_bars(figures.by_industry), key="board_industries", config={"displayModeBar": False})
    table("各行业平均", figures.by_industry, "by_industry")
    table("各区县平均", figures.by_district, "by_district")
    st.caption("平均值按企业计，每家企业取最近一次结果；场景平均等级为 16 个场景等级（0-4）的平均。")

with tabs[3]:
    if figures.heatmap.empty:
        st.info("没有符合筛选条件的评测结果。")
    else:
        st.plotly_chart(scene_heatmap(figures.heatmap, figures.constrained), key="board_heatmap",
                        config={"displayModeBar": False})  # fmt: skip
        st.caption("格中为该行业企业的场景平均等级；★ 为约束性场景。")
        table("各行业最薄弱的三个场景", figures.weakest, "weakest")
        if list_open("按场景列出企业", "scenes"):
            left, right = st.columns(2)
            industry_of = left.selectbox(
                "行业", list(figures.heatmap.index), key="board_scene_industry", placeholder="请选择"
            )
            scene = right.selectbox("场景", list(figures.heatmap.columns), key="board_scene", placeholder="请选择",
                                    format_func=lambda s: f"★{s}" if s in figures.constrained else s)  # fmt: skip
            enterprise_list(f"{industry_of} · {scene}（等级由低到高）", scene_members(listed(), industry_of, scene),
                            "scene_members", namer, extra={scene: f"{scene}等级"})  # fmt: skip

with tabs[4]:
    st.caption(f"同时有{BEFORE}与{AFTER}结果（按所选审核状态）的企业。")
    table("改造前后变化（按行业）", figures.improvement, "improvement")
    if list_open("逐家列出", "improved"):
        enterprise_list("改造前后对比（逐家）", listed().improved, "improved", namer)

with tabs[5]:
    table("顾问工作量", figures.workload, "workload")
    st.caption("走访企业与各状态评测数按评测发起人计，受阶段和日期筛选影响；负责企业按分配关系计。")
    table("产品采用（示例清单）", figures.adoption, "adoption")
    st.caption("按改造项目明细中所列清单产品统计；金额 = 数量 × 单价（元）。")

with tabs[6]:
    compared = figures.organisations.drop(columns="organisation_id").rename(columns={
        "organisation": "单位", "kind": "类型", "diagnosed": "诊断企业（家）", "enterprises": "项目企业（家）",
        "counting": "计入试点目标（家）", "compared": "有改造前后结果（家）", "mean_gain": "平均等级提升（级）",
    })  # fmt: skip
    # no enterprise to compare: a dash, not a blank the table would show as None
    compared["平均等级提升（级）"] = compared["平均等级提升（级）"].map(lambda v: "—" if math.isnan(v) else f"{v:+.2f}")
    table("服务商与诊断机构对比", compared, "organisations")
    st.caption(
        "按已登记的单位统计：诊断企业 = 该单位顾问所做、审核通过的评测涉及的企业；项目企业、项目与金额 = 与该单位签约的"
        f"改造项目（金额 = 数量 × 单价）；计入试点目标 = 项目企业中按试点规则计入的；平均等级提升 = 项目企业中同时有"
        f"{BEFORE}与{AFTER}结果者的改造后等级减改造前等级的平均。一家企业可同时计入多个单位（如两家机构都诊断过），"
        "各行相加可多于上方的企业数；本表随上方的行业、区县、规模筛选变化。只列有诊断或项目的已登记单位；"
        "未选单位、只填名称的项目不在此表。"
    )
