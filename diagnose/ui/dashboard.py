"""试点看板 (officials): headline counts and the pilot target by the Guangdong counting rule."""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from diagnose.charts import FONT
from diagnose.pilot import DISTRICTS, INDUSTRIES, TARGET_COUNT, TARGET_LEVEL, TARGET_WINDOW
from diagnose.services.dashboard import pilot
from diagnose.services.errors import ServiceError
from diagnose.ui.session import require_actor
from diagnose.ui.state import store

ALL = "全部"
LEVEL_NAME = "一二三四"[TARGET_LEVEL - 1] + "级"
actor = require_actor()
st.title("试点看板")
st.caption(f"达标口径：改造项目于 {TARGET_WINDOW[0]} 至 {TARGET_WINDOW[1]} 间开始并完成、获财政资金支持，"
           f"且改造后评测经审核达到{LEVEL_NAME}及以上。")  # fmt: skip

left, middle, right = st.columns(3)
industry = left.selectbox("细分行业", [ALL, *INDUSTRIES], key="board_industry")
district = middle.selectbox("行政区", [ALL, *DISTRICTS], key="board_district")
target = right.number_input("目标（家）", min_value=1, value=TARGET_COUNT, step=10, key="board_target")
try:
    figures = pilot(store(), actor, "" if industry == ALL else industry, "" if district == ALL else district)
except ServiceError as refused:  # the service is the guard; the menu only hides the page
    st.error(str(refused))
    st.stop()

cols = st.columns(4)
cols[0].metric("企业", figures.enterprises)
cols[1].metric("已诊断", figures.diagnosed)
cols[2].metric("已完成改造", figures.transformed)
cols[3].metric(f"{LEVEL_NAME}及以上", figures.at_target_level)
counted = len(figures.counting)
st.progress(min(counted / target, 1.0), text=f"按试点口径达标 {counted} / {target} 家")

if not figures.by_month.empty:
    chart = go.Figure(go.Scatter(x=figures.by_month["month"], y=figures.by_month["cumulative"], mode="lines+markers",
                                 name="累计达标"))  # fmt: skip
    chart.add_hline(y=target, line_dash="dash", annotation_text=f"目标 {target} 家")
    chart.update_layout(height=300, margin={"l": 30, "r": 10, "t": 30, "b": 30}, font={"family": FONT},
                        yaxis_title="累计达标企业（家）")  # fmt: skip
    st.plotly_chart(chart, key="board_months", config={"displayModeBar": False})


def excel(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


HEADERS = {"name": "企业名称", "credit_code": "统一社会信用代码", "industry": "细分行业", "district": "行政区",
           "after_level": "改造后等级", "month": "达标月份", "why": "尚未达标的原因"}  # fmt: skip
for title, frame, name in (("达标企业", figures.counting, "counting"), ("接近达标", figures.close, "close")):
    st.subheader(f"{title}（{len(frame)} 家）")
    shown = frame.drop(columns=["id"]).rename(columns=HEADERS)
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        f"下载{title}（Excel）",
        data=lambda shown=shown: excel(shown),
        file_name=f"{title}.xlsx",
        key=f"board_{name}",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
