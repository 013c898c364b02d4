"""申报受理 (officials, administrators): the review batches; the document check of each submitted
product application (受理, 退回补正 or 不予受理, with the reason the provider reads); for an accepted
one its reviewers, their scores side by side and the decision (入库 / 不入库); publishing a batch."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from diagnose import clock
from diagnose.services import applications as service
from diagnose.services import product_review as review
from diagnose.services.errors import ServiceError
from diagnose.ui import product_review_panel as panel
from diagnose.ui.acting import act
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

FLASH = "_intake_flash"
ALL = "全部"

actor = require_actor()
st.title("申报受理")
try:
    batches = service.batches(store(), actor)
    listed = service.applications(store(), actor)
except ServiceError as refused:
    st.error(str(refused))
    st.stop()
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)
    st.toast(flash, icon=":material/check_circle:")  # seen where the button was, far below the top

counts: dict[int, int] = {}
for application in listed:
    counts[application["batch_id"]] = counts.get(application["batch_id"], 0) + 1
st.subheader("评审批次")
if batches:
    st.dataframe(
        [{"批次": b["name"], "截止日期": b["deadline"], "状态": service.BATCH_STATUSES[b["status"]]
          + ("" if b["accepting"] or b["status"] != "open" else "（已过截止日期）"),
          "已提交的申报": counts.get(b["id"], 0)} for b in batches],
        hide_index=True, width="stretch",
    )  # fmt: skip
publishable = [b for b in batches if b["status"] != "published"]
if publishable:
    publish_col, close_col, button_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    names = {b["id"]: b["name"] for b in publishable}
    to_publish = publish_col.selectbox("截止或发布批次（发布后，评审通过的产品进入产品清单）", list(names),
                                       format_func=names.get, key="publish_batch", placeholder="请选择")  # fmt: skip
    if close_col.button("截止申报", key="close", help="截止后服务商不能再提交新申报，也不能再提交补正"):
        act(lambda: service.close_batch(store(), actor, to_publish), FLASH, lambda _: "已截止申报")
    if button_col.button("发布", key="publish", help="截止日期已过或已截止申报、所有申报都已受理并评审后才能发布"):
        act(lambda: review.publish_batch(store(), actor, shipped_questionnaires()["national-2024"], to_publish),
            FLASH, lambda made: f"已发布：{len(made)} 个产品进入产品清单（{'、'.join(made) or '无'}）")  # fmt: skip
with st.expander("开启新批次"), st.form("new_batch", clear_on_submit=True):
    name = st.text_input("批次名称", max_chars=40, placeholder="如 第3批")
    deadline = st.date_input("截止日期（含当天）", value=clock.today() + timedelta(days=30), format="YYYY-MM-DD")
    if st.form_submit_button("开启"):
        act(lambda: service.open_batch(store(), actor, name, deadline), FLASH,
            lambda _: f"已开启{name.strip()}，服务商可在截止日期前申报")  # fmt: skip

st.subheader("申报")
batch_filter = st.selectbox("批次", [ALL, *[b["name"] for b in batches]], key="intake_batch", placeholder="请选择")
statuses = [v for k, v in service.STATUSES.items() if k != "draft"]
status_filter = st.selectbox("状态", [ALL, *statuses], key="intake_status", placeholder="请选择")
shown = [a for a in listed if batch_filter in (ALL, a["batch"])
         and status_filter in (ALL, service.STATUSES[a["status"]])]  # fmt: skip
if not shown:
    st.info("没有符合条件的申报。")
    st.stop()
st.dataframe(
    [{"编号": a["id"], "产品名称": a["fields"].get("name", ""), "申报单位": a["organisation"], "批次": a["batch"],
      "状态": service.STATUSES[a["status"]], "提交时间": clock.minute(a["submitted_at"])} for a in shown],
    hide_index=True, width="stretch",
)  # fmt: skip
by_id = {a["id"]: a for a in shown}


def _named(i: int) -> str:
    found = by_id[i]
    return f"{i} {found['fields'].get('name', '')}（{found['organisation']}，{service.STATUSES[found['status']]}）"


chosen = st.selectbox("查看申报", list(by_id), format_func=_named, key="intake_pick", placeholder="请选择")
application = service.get_application(store(), actor, chosen)

kind = service.ORGANISATION_KINDS[application["organisation_kind"]]
panel.application_card(actor, application, f"申报单位：{application['organisation']}（{kind}）"
                       f" · {application['batch']} · {service.STATUSES[application['status']]}")  # fmt: skip

if application["status"] == "submitted":
    with st.form(f"check:{application['id']}"):
        decision = st.radio("受理结论", list(service.DECISIONS), format_func=service.DECISIONS.get, horizontal=True)
        comment = st.text_area("理由（退回补正、不予受理时必填，服务商将看到）", max_chars=service.MAX_COMMENT)
        if st.form_submit_button("确定", type="primary"):
            act(lambda: service.check_application(store(), actor, application["id"], decision, comment), FLASH,
                lambda _: f"申报 {application['id']}：{service.DECISIONS[decision]}")  # fmt: skip
elif application["status"] == "accepted":
    panel.reviewers_and_decision(actor, application)
else:
    reason = f"：{application['comment']}" if application["comment"] else ""
    st.info(f"这份申报{service.STATUSES[application['status']]}{reason}")
    if application["product_id"]:
        st.success(f"已进入产品清单，产品编号 {application['product_id']}")
    if application["status"] in ("approved", "rejected"):  # the scores the decision rests on stay in sight
        panel.scores_table(review.scores_of(store(), actor, application["id"]))
