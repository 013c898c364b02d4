"""企业画像: where an enterprise stands, against its industry, what changed, and what to buy next."""

from __future__ import annotations

import streamlit as st

from diagnose.report.result_charts import radar, scene_bars
from diagnose.rule.maturity import OPERATIONS_HOW
from diagnose.services.enterprises import get_enterprise
from diagnose.services.errors import ServiceError
from diagnose.services.files import overview
from diagnose.services.profile_view import MIN_PEERS, enterprise_view
from diagnose.ui.session import require_actor
from diagnose.ui.state import store

PICKER_LIMIT = 200
actor = require_actor()
st.title("企业画像")
# an enterprise account sees its own; others may see many: find one by name or code
search = "" if actor.role == "enterprise" else st.text_input("查找企业", placeholder="名称或统一社会信用代码",
                                                             key="view_search")  # fmt: skip
listed = overview(store(), actor, text=search, limit=PICKER_LIMIT)
if len(listed) == PICKER_LIMIT:
    st.caption(f"只列出按名称排前的 {PICKER_LIMIT} 家企业，其余请输入名称或信用代码查找。")
visible = [e for e in listed if e["level"] is not None]
by_id = {e["id"]: e for e in visible}
# opened from a list on the dashboard (?e=<id>): show that enterprise, once, even when it is not
# among the first enterprises the picker lists
wanted = st.query_params.get("e", "")
if wanted.isdigit() and int(wanted) not in by_id:
    try:
        by_id[int(wanted)] = get_enterprise(store(), actor, int(wanted))
    except ServiceError as refused:
        st.error(str(refused))
if wanted.isdigit() and int(wanted) in by_id and st.session_state.get("_view_opened") != wanted:
    st.session_state["view_pick"], st.session_state["_view_opened"] = int(wanted), wanted
if not by_id:
    st.info(f"没有名称或信用代码含“{search}”的已计分企业。" if search else "还没有已计分的评测。")
    st.stop()
if len(by_id) == 1:
    picked = next(iter(by_id))
else:
    picked = st.selectbox(
        "企业", list(by_id), format_func=lambda i: by_id[i]["name"], key="view_pick", placeholder="请选择"
    )
try:
    view = enterprise_view(store(), actor, picked)
except ServiceError as refused:
    st.error(str(refused))
    st.stop()

result, questionnaire = view.result, view.questionnaire
st.header(view.enterprise["name"])
if view.enterprise.get("sample"):
    st.caption("示例数据：虚构企业，仅用于演示。")
st.markdown(f"### {result['level_label']}")
parts = [f"总分 **{result['score']:g}** / 100"]
parts += [f"{d.name} **{result[d.id]:g}** / {d.max_points:g}" for d in questionnaire.dimensions]
st.markdown("　".join(parts))
if result["gap"]:
    st.info(f"距{result['gap']['label']}：{result['gap']['text']}")

series = {"本次": view.axes}
if view.baseline_axes:
    series = {"改造前": view.baseline_axes} | series
if view.benchmark.axes:
    series[f"{view.benchmark.industry}行业均值（{view.benchmark.enterprises} 家）"] = view.benchmark.axes
# one chart under the other: side by side they are cut off on a tablet held upright
st.plotly_chart(radar(series), key="view_radar", config={"displayModeBar": False})
st.caption(OPERATIONS_HOW + " 行业均值取同行业各企业最近一次已通过的评测。")
if view.benchmark.axes is None:
    st.caption(f"{view.benchmark.industry}行业已通过评测的企业 {view.benchmark.enterprises} 家，"
               f"不足 {MIN_PEERS} 家，不显示行业均值。")  # fmt: skip
next_level = result["gap"]["level"] if result["gap"] else None
st.plotly_chart(scene_bars(result["scenes"], next_level), key="view_scenes", config={"displayModeBar": False})
st.caption("红色为约束性（★）场景；虚线为下一等级要求的场景等级。")

if view.comparison:
    st.subheader("改造前后对比")
    st.dataframe([{"项目": c.name, "改造前": c.before, "改造后": c.after, "变化": c.delta}
                  for c in view.comparison.sub_scores], hide_index=True, width="stretch")  # fmt: skip
    crossed = [c for c in view.comparison.scenes if c.crossed]
    rows = [{"场景": ("★" if c.constrained else "") + c.name, "改造前": f"L{c.before}", "改造后": f"L{c.after}",
             "跨越的等级": "、".join(f"{'达到' if lv > 0 else '跌出'} L{abs(lv)}" for lv in c.crossed)}
            for c in crossed]  # fmt: skip
    if rows:
        st.markdown("**跨越等级的场景**")
        st.dataframe(rows, hide_index=True, width="stretch")

if view.recommendation and view.recommendation.cheapest:
    bundle = view.recommendation.cheapest
    st.subheader(f"达到{view.recommendation.target_label}的推荐产品（示例清单）")
    st.markdown(f"采用后预计：**{bundle.projected.level_label}**；合计 **{bundle.total_price:,} 元**")
    st.dataframe([{"产品和服务": p.name, "服务商": p.provider, "单价（元）": p.price, "单位": p.unit,
                   "理由": "；".join(bundle.reasons[p.id])} for p in bundle.products], hide_index=True,
                 width="stretch")  # fmt: skip
    st.caption("产品、服务商与价格均为示例数据。")
