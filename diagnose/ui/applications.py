"""产品申报 (服务商): the organisation's applications, and one application to draft, correct and submit.

Every field is shown with what the catalog needs (DOMAIN.md §3): the scenes the product lifts
to which level and the questions it brings to which option, checked against the national
questionnaire, its price and period, IP, and the 样板项目. A refused save or submit names each
field next to it; what was typed stays in the boxes.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from diagnose import clock
from diagnose.catalog.applications import IP_STATUSES, LABELS
from diagnose.catalog.products import ALL_INDUSTRIES, LINKS, TYPES
from diagnose.pilot import INDUSTRIES, LEVEL_NAMES, PROJECT_STATUSES, TARGET_LEVEL
from diagnose.services import applications as service
from diagnose.services.errors import ServiceError, ValidationFailed
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

NEW = 0
FLASH = "_application_flash"

actor = require_actor()
national = shipped_questionnaires()["national-2024"]
st.title("产品申报")
try:
    mine = service.organisations(store(), actor)
    listed = service.applications(store(), actor)
    open_batches = [b for b in service.batches(store(), actor) if b["accepting"]]
except ServiceError as refused:  # the service is the guard; the menu only hides the page
    st.error(str(refused))
    st.stop()
organisation = mine[0]
st.caption(f"申报单位：{organisation['name']}（{service.ORGANISATION_KINDS[organisation['kind']]}）"
           + ("　示例单位" if organisation["sample"] else ""))  # fmt: skip
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)
    st.toast(flash, icon=":material/check_circle:")  # seen where the button was, far below the top


def _level(level: int | None) -> str:
    return "—" if level is None else LEVEL_NAMES[level]


def _sample_named(project: dict) -> str:
    """The enterprise's name, marked 示例 once when it is sample data."""
    name = project["name"]
    return name if not project["sample"] or "示例" in name else f"{name}（示例）"


products = service.my_products(store(), actor, national)
if products:
    with st.expander(f"本单位在库产品（{len(products)} 个）与签约情况"):
        st.dataframe(
            [{"编号": p["id"], "产品": p["name"], "批次": p["batch"], "状态": p["status"],
              "价格（元）": f"{p['price']:,}/{p['unit']}", "推荐次数": p["recommended"], "签约项目": p["projects"],
              "已验收": p["accepted"],
              "签约金额（元）": f"{p['amount']:,.0f}"} for p in products],
            hide_index=True, width="stretch",
        )  # fmt: skip
        st.caption(
            "推荐次数 = 改造前诊断审核通过时，达到二级（已达二级的企业：下一等级）的最省钱方案含该产品的次数，"
            "按当时的清单与价格记录（示例数据未经本系统审核，不计）；签约项目按改造项目的产品清单统计。"
        )
projects = service.my_projects(store(), actor)
if projects:
    reached = {p["enterprise_id"] for p in projects if p["reached"]}
    lifted = {p["enterprise_id"] for p in projects if p["lifted"]}
    target = LEVEL_NAMES[TARGET_LEVEL]
    with st.expander(f"本单位承接的改造项目（{len(projects)} 个）与成效"):
        st.dataframe(
            [{"项目": p["id"], "承接单位": p["organisation"], "企业": _sample_named(p), "行业": p["industry"],
              "区县": p["district"], "合同编号": p["contract_no"], "状态": PROJECT_STATUSES[p["status"]],
              "完成日期": p["finished_on"].isoformat() if p["finished_on"] else "—",
              "金额（元）": f"{p['amount']:,.0f}", "改造前": _level(p["level_before"]),
              "改造后": _level(p["level_after"]),
              f"改造后达到{target}": {True: "是", False: "否", None: "待评测"}[p["reached"]]}
             for p in projects],
            hide_index=True, width="stretch",
        )  # fmt: skip
        st.caption(f"{len(lifted)} 家企业在本单位的项目后从{target}以下达到{target}及以上；改造后在{target}及以上的共 "
                   f"{len(reached)} 家（含改造前已达{target}的）。等级取项目所依据的改造前诊断（审核通过的），"
                   "和该项目最近一次审核通过的改造后评测；只列项目，不含企业档案。")  # fmt: skip
if listed:
    st.dataframe(
        [{"编号": a["id"], "产品名称": a["fields"].get("name", ""), "批次": a["batch"],
          "状态": service.STATUSES[a["status"]], "意见": a["comment"], "提交时间": clock.minute(a["submitted_at"]),
          "产品编号": a["product_id"]} for a in listed],
        hide_index=True, width="stretch",
    )  # fmt: skip
else:
    st.info("本单位还没有申报。选择一个申报中的批次，新建申报。")

by_id = {a["id"]: a for a in listed}
# a provider coming back finds the application it was working on, not an empty form
opened = next((a["id"] for a in listed if a["status"] in service.EDITABLE), NEW)
wanted = st.query_params.get("app", "")
choices = [NEW, *by_id]
chosen = st.selectbox(
    "打开申报", choices, index=choices.index(int(wanted) if wanted.isdigit() and int(wanted) in by_id else opened),
    format_func=lambda i: "新建申报" if i == NEW else f"{i} {by_id[i]['fields'].get('name', '（未命名）')}"
    f"（{service.STATUSES[by_id[i]['status']]}）", placeholder="请选择",
)  # fmt: skip
current = by_id.get(chosen)
if current is not None:
    current = service.get_application(store(), actor, chosen)  # with its files
    st.query_params["app"] = str(chosen)
fields = current["fields"] if current else {}
editable = current is None or current["status"] in service.EDITABLE
if current is not None and current["comment"]:
    shown_as = st.warning if current["status"] == "returned" else st.info
    shown_as(f"{service.STATUSES[current['status']]}：{current['comment']}")

batch_names = {b["id"]: f"{b['name']}（截止 {b['deadline'].isoformat()}）" for b in open_batches}
if current is not None and current["batch_id"] not in batch_names:
    batch_names[current["batch_id"]] = f"{current['batch']}（截止 {current['deadline'].isoformat()}）"
if not batch_names:
    st.warning("目前没有申报中的批次。批次由主管部门开启。")
    st.stop()

k = f"app{chosen}:"  # each application's boxes are its own: switching never carries a value over
slots: dict[str, object] = {}


def field_slot(name: str) -> None:
    slots[name] = st.empty()


batch_id = st.selectbox("申报批次", list(batch_names), format_func=batch_names.get, disabled=not editable,
                        index=list(batch_names).index(current["batch_id"]) if current else 0,
                        key=k + "batch", placeholder="请选择")  # fmt: skip
st.subheader("产品")
left, right = st.columns(2)
with left:
    name = st.text_input(LABELS["name"], value=fields.get("name", ""), max_chars=100, key=k + "name",
                         disabled=not editable)  # fmt: skip
    field_slot("name")
    kind = st.selectbox(LABELS["type"], TYPES, placeholder="选择类型", key=k + "type", disabled=not editable,
                        index=TYPES.index(fields["type"]) if fields.get("type") in TYPES else None)  # fmt: skip
    field_slot("type")
    industries = st.multiselect(LABELS["industries"], [ALL_INDUSTRIES, *INDUSTRIES],
                                default=[i for i in fields.get("industries", []) if i in (ALL_INDUSTRIES, *INDUSTRIES)],
                                placeholder="选择行业", key=k + "industries", disabled=not editable)  # fmt: skip
    field_slot("industries")
    deployment = st.text_input(LABELS["deployment"], value=fields.get("deployment", ""), max_chars=40,
                               placeholder="云端、本地、本地+云端、现场服务", key=k + "deployment",
                               disabled=not editable)  # fmt: skip
    field_slot("deployment")
with right:
    version = st.text_input(LABELS["version"], value=fields.get("version", ""), max_chars=40, key=k + "version",
                            disabled=not editable)  # fmt: skip
    field_slot("version")
    ip_status = st.selectbox(LABELS["ip_status"], IP_STATUSES, placeholder="选择知识产权情况", key=k + "ip",
                             index=IP_STATUSES.index(fields["ip_status"]) if fields.get("ip_status") in IP_STATUSES
                             else None, disabled=not editable)  # fmt: skip
    field_slot("ip_status")
    links = st.multiselect(LABELS["links"], LINKS, default=[x for x in fields.get("links", []) if x in LINKS],
                           placeholder="选择环节", key=k + "links", disabled=not editable)  # fmt: skip
    field_slot("links")
price_col, unit_col, days_col = st.columns(3)
price = price_col.number_input(LABELS["price"], min_value=0, step=100, value=fields.get("price"), key=k + "price",
                               disabled=not editable)  # fmt: skip
with price_col:
    field_slot("price")
unit = unit_col.text_input(LABELS["unit"], value=fields.get("unit", ""), max_chars=20, placeholder="年、套、项、台",
                           key=k + "unit", disabled=not editable)  # fmt: skip
with unit_col:
    field_slot("unit")
days = days_col.number_input(LABELS["implementation_days"], min_value=0, step=1, key=k + "days",
                             value=fields.get("implementation_days"), disabled=not editable)  # fmt: skip
with days_col:
    field_slot("implementation_days")

st.subheader("提升的场景与题目")
st.caption(
    "按国家评测指标（2024年版）填写：产品能把哪个数字化经营场景提到几级，能把哪道题提到哪个选项。推荐时按此计算。"
)
stored_scenes = fields.get("scenes", {}) or {}
scene_names = [s.name for s in national.scenes]
picked_scenes = st.multiselect(LABELS["scenes"], scene_names, default=[s for s in stored_scenes if s in scene_names],
                               placeholder="选择场景", key=k + "scenes", disabled=not editable)  # fmt: skip
scenes = {}
for scene in picked_scenes:
    levels = [1, 2, 3, 4]
    scenes[scene] = st.radio(f"{scene}：提升到", levels, horizontal=True, key=f"{k}scene:{scene}",
                             index=levels.index(stored_scenes[scene]) if stored_scenes.get(scene) in levels else 1,
                             format_func=lambda v: f"L{v}", disabled=not editable)  # fmt: skip
field_slot("scenes")
stored_questions = fields.get("questions", {}) or {}
question_ids = [q.id for q in national.questions]
picked_questions = st.multiselect(
    LABELS["questions"], question_ids, default=[q for q in stored_questions if q in question_ids], key=k + "questions",
    format_func=lambda q: f"{q} {national.question(q).item}", placeholder="选择题目", disabled=not editable,
)  # fmt: skip
questions = {}
for qid in picked_questions:
    question = national.question(qid)
    # a product brings a question to an option that scores: never to 无 (0 points)
    codes = [o.code for o in question.options if not o.exclusive and (question.type == "multi" or o.points > 0)]
    label = f"{qid} {question.item}：{'增加的选项' if question.type == 'multi' else '提升到'}"
    before = stored_questions.get(qid) or []
    before = before if isinstance(before, list) else [before]
    described = {o.code: f"{o.code}. {o.text}" for o in question.options}
    if question.type == "multi":
        questions[qid] = st.multiselect(label, codes, default=[c for c in before if c in codes], key=f"{k}q:{qid}",
                                        format_func=described.get, disabled=not editable,
                                        placeholder="选择选项（可多选）")  # fmt: skip
    else:
        picked = st.selectbox(label, codes, index=codes.index(before[0]) if before and before[0] in codes else None,
                              key=f"{k}q:{qid}", format_func=described.get, disabled=not editable,
                              placeholder="选择选项")  # fmt: skip
        questions[qid] = [picked] if picked else []
field_slot("questions")

st.subheader("样板项目")
st.caption("“一产品、一样板”：在揭阳本地中小企业的一个成功项目，合同签订在 2023-10-11 之后。")
left, right = st.columns(2)
with left:
    showcase = st.text_input(LABELS["showcase_enterprise"], value=fields.get("showcase_enterprise", ""), max_chars=100,
                             key=k + "showcase", disabled=not editable)  # fmt: skip
    field_slot("showcase_enterprise")
    stored_day = fields.get("showcase_contract_date")
    signed = st.date_input(LABELS["showcase_contract_date"], min_value=date(2023, 1, 1), format="YYYY-MM-DD",
                           value=date.fromisoformat(stored_day) if stored_day else None, key=k + "signed",
                           disabled=not editable)  # fmt: skip
    field_slot("showcase_contract_date")
with right:
    levels = list(range(len(LEVEL_NAMES)))
    level_before = st.selectbox(LABELS["showcase_level_before"], levels, format_func=LEVEL_NAMES.__getitem__,
                                index=fields.get("showcase_level_before"), placeholder="选择等级", key=k + "before",
                                disabled=not editable)  # fmt: skip
    field_slot("showcase_level_before")
    level_after = st.selectbox(LABELS["showcase_level_after"], levels, format_func=LEVEL_NAMES.__getitem__,
                               index=fields.get("showcase_level_after"), placeholder="选择等级", key=k + "after",
                               disabled=not editable)  # fmt: skip
    field_slot("showcase_level_after")

typed = {
    "name": name.strip(), "version": version.strip(), "type": kind, "industries": industries, "links": links,
    "scenes": scenes, "questions": {q: c for q, c in questions.items() if c}, "deployment": deployment.strip(),
    "price": price, "unit": unit.strip(), "implementation_days": days, "ip_status": ip_status,
    "showcase_enterprise": showcase.strip(), "showcase_contract_date": signed.isoformat() if signed else None,
    "showcase_level_before": level_before, "showcase_level_after": level_after,
}  # fmt: skip
typed = {key: value for key, value in typed.items() if value not in (None, "", [], {})}

st.subheader("附件")


def remove(file_id: int) -> None:
    """A remove button's callback: take that file off the application."""
    try:
        removed = service.remove_file(store(), actor, current["id"], file_id)
        st.session_state[FLASH] = f"已删除{service.FILE_KINDS[removed['kind']]}：{removed['filename']}"
        # new, empty uploaders: one still showing the removed file would look as if it were attached
        st.session_state[f"{k}uploaders"] = st.session_state.get(f"{k}uploaders", 0) + 1
    except ServiceError as refused:
        st.session_state[f"{k}remove_problem"] = str(refused)


if problem := st.session_state.pop(f"{k}remove_problem", None):
    st.error(problem)
if current is not None:
    for found in current["files"]:
        size = f"{found['size'] / 1024:.0f} KB" if found["size"] >= 1024 else f"{found['size']} 字节"
        described, button = st.columns([5, 1], vertical_alignment="center")
        described.caption(f"{service.FILE_KINDS[found['kind']]}：{found['filename']}（{size}）")
        if editable:
            button.button("删除", key=f"{k}remove:{found['id']}", on_click=remove, args=(found["id"],),
                          help="删除后可重新上传正确的文件")  # fmt: skip
field_slot("files")
if current is None:
    st.caption("保存草稿后即可上传附件（产品介绍、报价单、样板项目合同）。")
elif editable:
    uploaders = st.session_state.get(f"{k}uploaders", 0)

    def attach(kind: str) -> None:
        """An uploader's callback: keep the file just chosen as that kind of attachment."""
        uploaded = st.session_state.get(f"{k}file:{kind}:{uploaders}")
        if uploaded is None:
            return
        try:
            service.attach_file(store(), actor, current["id"], kind, uploaded.name, uploaded.getvalue())
            st.session_state[FLASH] = f"已上传{service.FILE_KINDS[kind]}：{uploaded.name}"
        except ServiceError as refused:
            st.session_state[f"{k}file_problem:{kind}"] = str(refused)

    # one uploader per kind: nothing to choose first, and each says what it takes
    for column, kind in zip(st.columns(len(service.FILE_KINDS)), service.FILE_KINDS, strict=True):
        with column:
            st.file_uploader(f"上传{service.FILE_KINDS[kind]}", key=f"{k}file:{kind}:{uploaders}", on_change=attach,
                             args=(kind,),
                             type=["pdf", "jpg", "jpeg", "png", "docx", "xlsx"],
                             help="PDF、图片、DOCX、XLSX，单个不超过 20 MB")  # fmt: skip
            if problem := st.session_state.pop(f"{k}file_problem:{kind}", None):
                st.error(problem)


def show_problems(refused: ValidationFailed, what: str) -> None:
    st.error(f"{what}：请修改标出的内容（填写的内容仍在表单中）")
    for problem in refused.problems:
        slot = slots.get(problem.place) or slots.get(problem.place.split(".")[0])
        (slot or st).error(problem.message)


if editable:
    save_col, submit_col = st.columns(2)
    if save_col.button("保存草稿", key=k + "save", width="stretch"):
        try:
            saved = service.save_application(store(), actor, national, current["id"] if current else None, batch_id,
                                             typed, current["revision"] if current else 0)  # fmt: skip
            st.session_state[FLASH] = f"已保存草稿（申报编号 {saved.id}）"
            st.query_params["app"] = str(saved.id)
            st.rerun()
        except ValidationFailed as refused:
            show_problems(refused, "未保存")
        except ServiceError as refused:
            st.error(str(refused))
    if current is not None and submit_col.button("提交申报", key=k + "submit", type="primary", width="stretch"):
        try:
            saved = service.save_application(store(), actor, national, current["id"], batch_id, typed,
                                             current["revision"])  # fmt: skip
            service.submit_application(store(), actor, national, current["id"], saved.revision)
            st.session_state[FLASH] = f"已提交申报 {current['id']}，等待主管部门受理"
            st.rerun()
        except ValidationFailed as refused:
            show_problems(refused, "还不能提交")
        except ServiceError as refused:
            st.error(str(refused))
else:
    st.info(f"这份申报{service.STATUSES[current['status']]}，不能再修改。")
