"""我的企业 (consultants): the assigned enterprises, new profiles, and starting or resuming a visit."""

from __future__ import annotations

import streamlit as st

from diagnose.enterprise import LABELS
from diagnose.pilot import DISTRICTS, EDITABLE, INDUSTRIES, LEVEL_NAMES, OWNERSHIPS, STAGES, STATUSES
from diagnose.services import assessments as visits
from diagnose.services.enterprises import create_enterprise, get_enterprise, update_enterprise
from diagnose.services.errors import ServiceError, ValidationFailed
from diagnose.services.files import overview
from diagnose.services.projects import PROJECT_STATUSES, projects_of
from diagnose.services.reviews import returned_visits
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

ALL = "全部"
LEVEL_FILTER = {ALL: None, "未评测": -1, "未达一级": 0, "一级": 1, "二级": 2, "三级": 3, "四级": 4}
YES_NO = {"未填": None, "是": True, "否": False}

actor = require_actor()


def profile_form(form_key: str, current: dict | None) -> tuple[bool, dict, dict]:
    """The profile fields; returns (submitted, values, a message slot per field)."""
    current = current or {}
    slots, values = {}, {}
    with st.form(form_key, clear_on_submit=False):
        left, right = st.columns(2)
        for i, field in enumerate(LABELS):
            column = left if i % 2 == 0 else right
            with column:
                values[field] = _field(form_key, field, current.get(field))
                slots[field] = st.empty()
        submitted = st.form_submit_button("保存企业信息", type="primary")
    return submitted, values, slots


def _field(form_key: str, field: str, value):
    required = field in ("credit_code", "name", "industry", "district")
    label, name = LABELS[field] + ("（必填）" if required else ""), f"{form_key}:{field}"
    if field in ("industry", "district", "ownership"):
        options = {"industry": INDUSTRIES, "district": DISTRICTS, "ownership": OWNERSHIPS}[field]
        return st.selectbox(label, options, index=options.index(value) if value in options else None, key=name,
                            placeholder="请选择")  # fmt: skip
    if field == "founded_on":
        return st.date_input(label, value=value, key=name, format="YYYY-MM-DD", min_value=None)
    if field == "above_scale":
        shown = next(k for k, v in YES_NO.items() if v == value)
        return YES_NO[st.radio(label, list(YES_NO), index=list(YES_NO).index(shown), horizontal=True, key=name)]
    # no min_value: the browser would refuse a negative figure with an English tooltip and keep
    # the form from sending; the service says why in Chinese beside the field instead
    if field in ("head_count", "head_count_prev"):
        return st.number_input(label, step=1, value=value, key=name)
    if field in ("revenue", "revenue_prev"):
        return st.number_input(label, value=value, format="%.1f", key=name)
    return st.text_input(label, value=value or "", key=name, max_chars=200 if field != "main_products" else 500)


def show_problems(refused: ValidationFailed, slots: dict) -> None:
    for problem in refused.problems:
        (slots.get(problem.place) or st).error(problem.message)


st.title("我的企业")
if flash := st.session_state.pop("mine_flash", None):
    st.success(flash)
for back in returned_visits(store(), actor):  # what waits for the consultant comes first
    with st.container(border=True):
        st.markdown(f"**已退回：{back['name']}**（{back['stage_name']}，编号 {back['id']}）")
        st.text(f"退回意见：{back['return_comment']}")
        st.page_link("diagnose/ui/visit.py", label="修改后重新提交", icon=":material/undo:",
                     query_params={"a": back["id"]})  # fmt: skip
search, industry, district, level, status = st.columns([2, 1, 1, 1, 1])
text = search.text_input("搜索", placeholder="企业名称或统一社会信用代码", key="mine_search")
chosen_industry = industry.selectbox("细分行业", [ALL, *INDUSTRIES], key="mine_industry", placeholder="请选择")
chosen_district = district.selectbox("行政区", [ALL, *DISTRICTS], key="mine_district", placeholder="请选择")
chosen_level = level.selectbox("最新等级", list(LEVEL_FILTER), key="mine_level", placeholder="请选择")
chosen_status = status.selectbox("当前评测", [ALL, *STATUSES.values()], key="mine_status", placeholder="请选择")

found = overview(
    store(), actor, text, "" if chosen_industry == ALL else chosen_industry,
    "" if chosen_district == ALL else chosen_district,
    level=LEVEL_FILTER[chosen_level] if LEVEL_FILTER[chosen_level] not in (None, -1) else None,
    status=next((k for k, v in STATUSES.items() if v == chosen_status), ""),
)  # fmt: skip
if LEVEL_FILTER[chosen_level] == -1:
    found = [e for e in found if e["level"] is None]

with st.expander("新建企业档案", icon=":material/add_business:"):
    submitted, data, slots = profile_form("new_enterprise", None)
    if submitted:
        try:
            made = create_enterprise(store(), actor, data)
            # the list above was drawn before the new profile existed: draw the page again, with
            # the filters cleared so the new enterprise is listed, and chosen for its first visit
            st.session_state["mine_flash"] = f"已建档：{data['name']}，已选中，可开始评测"
            for field in LABELS:  # an empty form for the next one
                st.session_state.pop(f"new_enterprise:{field}", None)
            for name in ("mine_search", "mine_industry", "mine_district", "mine_level", "mine_status"):
                st.session_state.pop(name, None)
            st.session_state["mine_pick"] = made
            st.rerun()
        except ValidationFailed as refused:
            show_problems(refused, slots)
        except ServiceError as refused:
            st.error(str(refused))

if not found:
    st.info("没有符合条件的企业。新建的企业档案会出现在这里。")
    st.stop()

st.dataframe(
    [{"企业名称": e["name"], "统一社会信用代码": e["credit_code"], "细分行业": e["industry"], "行政区": e["district"],
      "最新等级": "未评测" if e["level"] is None else LEVEL_NAMES[e["level"]],
      "当前评测": "—" if e["assessment_id"] is None else
      f"{STAGES[e['assessment_stage']]} · {STATUSES[e['assessment_status']]}"} for e in found],
    hide_index=True, width="stretch",
    # in pixels, so that every column fits a 1024-pixel screen: the name and the visit widest
    column_config={"企业名称": st.column_config.TextColumn(width=260),
                   "当前评测": st.column_config.TextColumn(width=170)},
)  # fmt: skip

by_id = {e["id"]: e for e in found}
# the chosen enterprise is in the address (?e=…): a reload or a new tab comes back to it
wanted = st.query_params.get("e", "")
if "mine_pick" not in st.session_state and wanted.isdigit() and int(wanted) in by_id:
    st.session_state["mine_pick"] = int(wanted)
picked = st.selectbox(
    "选择企业", list(by_id), index=None, placeholder="选择一家企业", key="mine_pick",
    format_func=lambda i: f"{by_id[i]['name']}（{by_id[i]['credit_code']}）",
)  # fmt: skip
if picked is None:
    st.query_params.pop("e", None)
    st.stop()
st.query_params["e"] = str(picked)
chosen = by_id[picked]

if chosen["assessment_id"] and chosen["assessment_status"] in EDITABLE:
    st.page_link("diagnose/ui/visit.py", label=f"继续评测（{STAGES[chosen['assessment_stage']]}）",
                 icon=":material/edit_note:", query_params={"a": chosen["assessment_id"]})  # fmt: skip
for project in projects_of(store(), actor, picked):
    st.page_link("diagnose/ui/project.py", icon=":material/handshake:", query_params={"p": project["id"]},
                 label=f"改造项目：{project['provider']}（{PROJECT_STATUSES[project['status']]}）")  # fmt: skip
with st.form("start_visit"):
    stage = st.selectbox("评测阶段", list(STAGES), format_func=STAGES.get, placeholder="请选择")
    if st.form_submit_button("开始新评测"):
        try:
            new_id = visits.start_assessment(store(), actor, picked, stage, shipped_questionnaires())
        except ServiceError as refused:
            st.error(str(refused))
        else:
            st.switch_page("diagnose/ui/visit.py", query_params={"a": new_id})

with st.expander("修改企业信息", icon=":material/edit:"):
    try:
        row = get_enterprise(store(), actor, picked)
    except ServiceError as refused:
        st.error(str(refused))
        st.stop()
    submitted, data, slots = profile_form(f"edit_{picked}_{row['revision']}", row)
    if submitted:
        changes = {k: v for k, v in data.items() if v != row.get(k)}
        try:
            update_enterprise(store(), actor, picked, changes, row["revision"])
            st.session_state["mine_flash"] = "已保存企业信息"
            st.rerun()
        except ValidationFailed as refused:
            show_problems(refused, slots)
        except ServiceError as refused:
            st.error(str(refused))
