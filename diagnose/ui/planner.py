"""试点规划 (officials and admins): which enterprises to bring to 二级, with which products, at what
public cost, to reach the pilot target; the tables as Excel; one enterprise on its own, from its
approved baseline or the draft being filled in."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from diagnose.enterprise import SIZE_CLASSES
from diagnose.numbers import read_number, shown
from diagnose.pilot import DISTRICTS, INDUSTRIES, LEVEL_NAMES, TARGET_COUNT
from diagnose.plan.tables import demand_table, lines_table, months, place_table, provider_table
from diagnose.plan.workbook import plan_workbook
from diagnose.services.catalog_admin import live_catalog
from diagnose.services.errors import ServiceError
from diagnose.services.planner import WINDOW_END, PlanRequest, enterprise_plan, plan
from diagnose.ui.board_tables import VIEW_PAGE, excel
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

ALL = "全部"
MOST_YUAN = 10**11  # a budget beyond a hundred billion yuan is a slip of digits
actor = require_actor()
st.title("试点规划")
st.caption(
    f"用已审核通过的改造前诊断和在库的产品清单，测算把哪些企业提升到二级、采购哪些产品、需要多少财政资金，"
    f"才能达到试点目标（{TARGET_COUNT} 家企业改造后达到二级及以上）。"
)


def _whole(label: str, value, most: int) -> int | None:
    """A typed count or amount (text such as "200,000" too), or None when left empty; a Chinese
    message naming the field and a stop when it is no whole number from 0 to ``most``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = read_number(value)
    if isinstance(number, str):
        st.error(f"{label}{number}")
        st.stop()
    if number < 0 or number > most or not number.is_integer():
        st.error(f"{label}应为 0 到 {most:,} 之间的整数，而不是 {shown(number)}")
        st.stop()
    return int(number)


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as read on the page: amounts with thousands separators, a blank as —."""
    money = [c for c in frame.columns if "（元）" in c]
    return frame.assign(**{c: frame[c].map(lambda v: "—" if pd.isna(v) else f"{int(v):,}") for c in money}).fillna("—")


def _table(frame: pd.DataFrame, key: str, **options) -> object:
    """``frame`` on the page (``_shown``), or a line saying there is none."""
    if frame.empty:
        st.caption("（无）")
        return None
    return st.dataframe(_shown(frame), hide_index=True, width="stretch", key=key, **options)


national = shipped_questionnaires()["national-2024"]
with st.form("plan_form"):
    row = st.columns(3)
    industry = row[0].selectbox("细分行业", [ALL, *INDUSTRIES], key="plan_industry", placeholder="请选择")
    district = row[1].selectbox("行政区", [ALL, *DISTRICTS], key="plan_district", placeholder="请选择")
    size = row[2].selectbox("企业规模", [ALL, *SIZE_CLASSES], key="plan_size", placeholder="请选择")
    row = st.columns(3)
    target_typed = row[0].text_input(
        "目标（家）", key="plan_target", placeholder=f"留空：{TARGET_COUNT} 家减去已计入的"
    )
    budget_typed = row[1].text_input("财政资金预算（元）", key="plan_budget", placeholder="留空：不限，如 2,000,000")
    deadline = row[2].date_input("截止日期（项目须在此前完成）", value=WINDOW_END, key="plan_deadline",
                                 format="YYYY-MM-DD")  # fmt: skip
    with st.expander("更多条件：区县最低家数、服务商承接上限（按整数规划精确求解）"):
        row = st.columns([3, 1])
        covered = row[0].multiselect("须覆盖的区县", DISTRICTS, key="plan_cover", placeholder="选择区县")
        at_least = row[1].number_input("每个至少（家）", value=1, step=1, key="plan_at_least")
        providers = sorted({p.provider for p in live_catalog(store(), national).products})
        row = st.columns([3, 1])
        capped = row[0].multiselect("限制承接量的服务商", providers, key="plan_capped", placeholder="选择服务商")
        at_most = row[1].number_input("每个至多（家）", value=20, step=1, key="plan_at_most")
    asked = st.form_submit_button("生成规划", type="primary")

if asked:
    request = PlanRequest(
        target=_whole("目标", target_typed, 100_000),
        budget=_whole("财政资金预算", budget_typed, MOST_YUAN),
        deadline=deadline,
        industry="" if industry == ALL else industry,
        district="" if district == ALL else district,
        size_class="" if size == ALL else size,
        district_minimum=tuple((d, _whole("每个区县至少", at_least, 100_000)) for d in covered),
        provider_capacity=tuple((p, _whole("每个服务商至多", at_most, 100_000)) for p in capped),
    )
    bar = st.progress(0.0, text="正在测算……")

    def heard(done: int, total: int) -> None:
        bar.progress(done / total, text=f"正在计算各企业最便宜的产品组合（到二级、到三级各一个）：{done} / {total}")

    try:
        st.session_state["plan_made"] = plan(store(), actor, request, heard)
    except ServiceError as refused:  # the service is the guard; the menu only hides the page
        bar.empty()
        st.error(str(refused))
        st.stop()
    bar.empty()

made = st.session_state.get("plan_made")
if made is None:
    st.info("选好条件后点击“生成规划”。第一次测算要为每家企业求解产品组合，之后只重算有变化的部分。")
else:
    rule = made.rule
    st.caption(
        f"测算日 {made.today:%Y-%m-%d}，截止日期 {made.deadline:%Y-%m-%d}。"
        f"补助规则：{rule.described()}。"
        f"产品清单：{made.catalog_label}"
    )
    numbers = st.columns(5)
    numbers[0].metric("已计入目标（家）", made.counting)
    numbers[1].metric("本次目标（家）", made.target)
    numbers[2].metric("选中企业（家）", len(made.chosen))
    numbers[3].metric("产品总价（元）", f"{made.total:,}")
    numbers[4].metric("财政资金（元）", f"{made.public:,}")
    for said in made.warnings:
        st.warning(said)
    if made.shortfall:
        st.warning(made.shortfall)
    if made.request.budget is not None:
        st.caption(f"预算 {made.request.budget:,} 元，用去 {made.public:,} 元。")
    st.caption(made.exactness)
    if made.solved:
        st.caption(f"本次新算了 {made.solved} 个产品组合，其余 {made.kept} 个沿用已算的结果"
                   "（只有诊断或产品清单变了才需要重算）。")  # fmt: skip
    st.download_button("下载整份规划（Excel，含概要和全部表格）", data=lambda: plan_workbook(made),
                       file_name="试点规划.xlsx", key="plan_all_xlsx", on_click="ignore", type="primary")  # fmt: skip

    def download(title: str, frame: pd.DataFrame, key: str) -> None:
        st.download_button(f"下载{title}（Excel）", data=lambda: excel(frame, title), file_name=f"{title}.xlsx",
                           key=f"plan_{key}_xlsx", on_click="ignore")  # fmt: skip

    chosen_tab, place_tab, demand_tab, spare_tab, out_tab = st.tabs(
        [
            f"选中的企业（{len(made.chosen)}）",
            "按行业和区县",
            "产品需求",
            f"备选企业（{len(made.spare)}）",
            f"不在规划内的企业（{len(made.left_out) + sum(made.set_aside.values())}）",
        ]  # fmt: skip
    )
    with chosen_tab:
        chosen_rows = lines_table(made.chosen)
        picked = _table(chosen_rows.drop(columns=["企业编号"]), "plan_chosen", on_select="rerun",
                        selection_mode="single-row")  # fmt: skip
        st.caption("按所需财政资金从少到多排列；选中一行即打开该企业的企业画像。")
        download("规划选中的企业", chosen_rows, "chosen")
        if picked and picked.selection.rows:
            chosen_id = int(chosen_rows["企业编号"].iloc[picked.selection.rows[0]])
            st.switch_page(VIEW_PAGE, query_params={"e": str(chosen_id)})
    with place_tab:
        places = place_table(made.chosen)
        _table(places, "plan_places")
        download("规划按行业和区县", places, "places")
    with demand_tab:
        demand = demand_table(made.chosen, rule)
        st.caption("每家企业每种产品一份；财政资金按补助规则分摊到各产品，合计等于上方财政资金。")
        _table(demand, "plan_demand")
        download("规划产品需求", demand, "demand")
        st.subheader("按服务商")
        by_provider = provider_table(demand)
        _table(by_provider, "plan_providers")
        download("规划服务商需求", by_provider, "providers")
    with spare_tab:
        st.caption("截止日前也能达到二级、本次未选中的企业，按所需财政资金从少到多排列"
                   "（预算增加或目标提高时依次递补；设了服务商承接上限时，受限的企业不能递补）。")  # fmt: skip
        spare = lines_table(made.spare)
        _table(spare.drop(columns=["企业编号"]), "plan_spare")
        download("规划备选企业", spare, "spare")
    with out_tab:
        for why, count in made.set_aside.items():
            st.markdown(f"- {why}：{count} 家")
        st.markdown(f"- 截止日前无法达到二级：{len(made.left_out)} 家（原因见下表“说明”）")
        left = lines_table(made.left_out)
        _table(left.drop(columns=["企业编号"]), "plan_left_out")
        download("规划未列入的企业", left, "left_out")
        st.caption("其他原因不在规划内的企业：")
        _table(made.aside, "plan_aside")
        download("规划其他不在规划内的企业", made.aside, "aside")

st.divider()
st.subheader("单家企业")
st.caption("按一家企业的改造前诊断测算到二级、三级的最便宜产品组合；可用尚未审核的草稿预先测算。")
row = st.columns([3, 2, 1])
code = row[0].text_input("统一社会信用代码", key="plan_one_code")  # pasted with a space too: the service trims
use_draft = row[1].checkbox("用尚未审核通过的诊断（草稿）", key="plan_one_draft")
go = row[2].button("测算", key="plan_one_go")
if go and not code.strip():
    st.warning("请先填写企业的统一社会信用代码。")
elif go:
    try:
        one = enterprise_plan(store(), actor, code, use_draft)
    except ServiceError as refused:
        st.error(str(refused))
    else:
        st.markdown(f"**{one.name}**（{one.industry}，{one.district}）：{LEVEL_NAMES[one.level]}，"
                    f"总分 {one.score:g}。{one.note}")  # fmt: skip
        for label, bundle in (("到二级", one.to_two), ("到三级", one.to_three)):
            if bundle is None:
                st.markdown(f"- {label}：产品清单无法达到")
            elif not bundle.products:
                st.markdown(f"- {label}：已达到，无需采购")
            else:
                names = "、".join(p.name for p in bundle.products) or "无需采购"
                st.markdown(f"- {label}：{names}；总价 {bundle.total:,} 元，财政资金 {bundle.public:,} 元，"
                            f"实施约 {months(bundle.days)} 个月（{bundle.days} 天）")  # fmt: skip
