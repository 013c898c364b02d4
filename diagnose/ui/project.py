"""改造项目 (consultants for their enterprises, admins): record a project from an approved baseline,
edit it, keep its documents, mark it finished and start its after-visit.

The URL says what is open: ``?p=<project>`` a project, ``?baseline=<assessment>`` a new project
prefilled from that baseline's recommended bundle; neither, the list.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from diagnose import clock
from diagnose.pilot import AFTER_STAGES, STAGES, STATUSES
from diagnose.services import projects as service
from diagnose.services.after_visits import start_after_visit
from diagnose.services.errors import ServiceError, ValidationFailed
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

FREE = "（清单外项目）"
TEXT_FIELDS = (("provider", "服务商名称（未登记的服务商填写；选了单位则按单位名称）", 200),
               ("contract_no", "合同编号（必填）", 100))  # fmt: skip
COLUMNS = {"product": "清单产品", "name": "名称（清单外项目填写）", "quantity": "数量", "unit": "单位（清单外）",
           "unit_price": "单价（元，清单外）", "listed": "清单价（元）"}  # fmt: skip

actor = require_actor()
st.title("改造项目")


def _catalog_options() -> dict[str, str]:
    """'S001 云进销存（示例）' → 'S001', for the 在库 products (what a new item may be)."""
    prices = service.catalog_prices(store())
    return {f"{pid} {e['name']}": pid for pid, e in prices.items() if e["status"] == "在库"}


def _editor_rows(items: list[dict], options: dict[str, str]) -> pd.DataFrame:
    labels = {pid: label for label, pid in options.items()}
    rows = []
    for item in items:
        pid = item.get("product_id") or ""
        label = labels.get(pid) or (f"{pid} {item['name']}" if pid else FREE)
        # a catalog item's price is shown, not typed: the catalog sets it
        rows.append({"product": label, "name": "" if pid else item["name"], "quantity": item["quantity"],
                     "unit": "" if pid else item["unit"], "unit_price": None if pid else item["unit_price"],
                     "listed": f"{item['unit_price']:,.0f} / {item['unit']}" if pid else ""})  # fmt: skip
    blank = {"product": FREE, "name": "", "quantity": 1.0, "unit": "项", "unit_price": None, "listed": ""}
    return pd.DataFrame(rows or [blank])


def _number(value):
    """A cell as the service takes it: an empty or NaN cell is no number (the service names it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _items_from(edited: pd.DataFrame, options: dict[str, str], kept: dict[str, dict]) -> list[dict]:
    items = []
    for row in edited.to_dict("records"):
        label = row.get("product") or FREE
        pid = options.get(label) or (label.split(" ", 1)[0] if label != FREE and label.split(" ", 1)[0] in kept else "")
        if pid:  # a catalog item: the catalog says its name, unit and price
            items.append({"product_id": pid, "quantity": _number(row.get("quantity"))})
        elif any(_number(row.get(k)) not in (None, "") for k in ("name", "quantity", "unit_price")):
            items.append({"product_id": "", "name": row.get("name") or "", "quantity": _number(row.get("quantity")),
                          "unit": row.get("unit") or "项", "unit_price": _number(row.get("unit_price"))})  # fmt: skip
    return items


def project_form(form_key: str, current: dict, base_revision: int | None) -> None:
    """The project's fields and items; saves a new project (no base revision) or an edit."""
    options = _catalog_options()
    kept = {i["product_id"]: i for i in current.get("items", []) if i.get("product_id")}
    for pid, item in kept.items():  # products already contracted stay choosable, even if paused since
        options.setdefault(f"{pid} {item['name']}", pid)
    slots = {}
    providers = service.provider_choices(store(), actor, current)
    with st.form(form_key):
        left, right = st.columns(2)
        values = {}
        chosen = current.get("organisation_id")
        values["organisation_id"] = left.selectbox(
            "服务商单位（已登记的牵引单位、联合体成员或服务商）", list(providers), format_func=providers.get,
            index=list(providers).index(chosen) if chosen in providers else None, key=f"{form_key}:organisation_id",
            placeholder="未登记的服务商：不选，只填下面的名称",
        )  # fmt: skip
        slots["organisation_id"] = left.empty()
        for key, label, limit in TEXT_FIELDS:
            values[key] = left.text_input(label, value=current.get(key) or "", max_chars=limit, key=f"{form_key}:{key}")
            slots[key] = left.empty()
        today = clock.today()
        for key, label in (("contract_signed_on", "合同签订日期（必填）"), ("started_on", "开始日期"),
                           ("finished_on", "完成日期")):  # fmt: skip
            values[key] = right.date_input(label, value=current.get(key), max_value=today, format="YYYY-MM-DD",
                                           key=f"{form_key}:{key}")  # fmt: skip
            slots[key] = right.empty()
        for key, label in service.CONTRACT_TEXTS:
            values[key] = st.text_area(f"合同约定的{label}（必填）", value=current.get(key) or "", max_chars=2000,
                                       height=80, key=f"{form_key}:{key}")  # fmt: skip
            slots[key] = st.empty()
        fund, amount, status = st.columns(3)
        values["funded"] = fund.checkbox("获财政资金支持", value=bool(current.get("funded")), key=f"{form_key}:funded")
        values["funding_amount"] = amount.number_input("财政资金金额（元）", min_value=0.0,
                                                       max_value=service.MAX_AMOUNT,
                                                       value=current.get("funding_amount"), step=10000.0,
                                                       key=f"{form_key}:funding_amount")  # fmt: skip
        slots["funding_amount"] = amount.empty()
        shown = current.get("status") if current.get("status") in service.SETTABLE else "signed"
        values["status"] = status.selectbox("项目状态", service.SETTABLE, index=service.SETTABLE.index(shown),
                                            format_func=service.PROJECT_STATUSES.get,
                                            key=f"{form_key}:status", placeholder="请选择")  # fmt: skip
        slots["status"] = status.empty()
        st.markdown("**产品和服务清单**（清单产品按产品清单的价格计；清单外项目须填名称、单位和单价，并标为清单外）")
        edited = st.data_editor(
            _editor_rows(current.get("items", []), options), num_rows="dynamic", width="stretch", hide_index=True,
            key=f"{form_key}:items",
            column_config={
                "product": st.column_config.SelectboxColumn(COLUMNS["product"], options=[FREE, *options],
                                                            required=True, width="large"),
                "name": st.column_config.TextColumn(COLUMNS["name"], max_chars=200),
                "quantity": st.column_config.NumberColumn(COLUMNS["quantity"], min_value=0, max_value=1e6),
                "unit": st.column_config.TextColumn(COLUMNS["unit"], max_chars=20),
                "unit_price": st.column_config.NumberColumn(COLUMNS["unit_price"], min_value=0, max_value=1e9),
                "listed": st.column_config.TextColumn(COLUMNS["listed"], disabled=True),
            },
        )  # fmt: skip
        slots["items"] = st.empty()
        submitted = st.form_submit_button("保存改造项目", type="primary")
    if not submitted:
        return
    data = values | {"items": _items_from(edited, options, kept),
                     "baseline_assessment_id": current.get("baseline_assessment_id")}  # fmt: skip
    try:
        if base_revision is None:
            project_id = service.record_project(store(), actor, current["enterprise_id"], data)
            st.session_state["_project_flash"] = "已登记改造项目"
            st.query_params.clear()
            st.query_params["p"] = str(project_id)
        else:
            service.update_project(store(), actor, current["id"], data, base_revision)
            st.session_state["_project_flash"] = "已保存改造项目"
        st.rerun()
    except ValidationFailed as refused:
        st.error("未保存：请修改标出的内容")
        for problem in refused.problems:
            slot = slots.get(problem.place) or (slots["items"] if problem.place.startswith("items") else None)
            (slot or st).error(problem.message)
    except ServiceError as refused:
        st.error(str(refused))


def items_table(project: dict) -> None:
    rows = [{"产品和服务": i["name"] + ("" if i["product_id"] else "（清单外）"), "清单编号": i["product_id"] or "—",
             "数量": i["quantity"], "单位": i["unit"], "单价（元）": i["unit_price"],
             "金额（元）": i["quantity"] * i["unit_price"]} for i in project["items"]]  # fmt: skip
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(f"合计 {sum(r['金额（元）'] for r in rows):,.2f} 元；产品、服务商与价格均为示例数据。")


def documents(project: dict, editable: bool) -> None:
    st.subheader("项目材料")
    for found in project["documents"]:
        kind = service.DOCUMENT_KINDS[found["kind"]]
        st.download_button(f"{kind}：{found['filename']}（{found['size'] / 1024:.0f} KB）", key=f"doc:{found['id']}",
                           data=lambda d=found: service.document_content(store(), actor, project["id"], d["id"])[1],
                           file_name=found["filename"], mime=found["content_type"])  # fmt: skip
    if not project["documents"]:
        st.caption("尚未上传材料：合同、发票或付款凭证、投入清单明细表、真实性声明、备案表。")
    if not editable:
        return
    kind, upload = st.columns([1, 3])
    chosen = kind.selectbox("材料类型", list(service.DOCUMENT_KINDS), format_func=service.DOCUMENT_KINDS.get,
                            key="doc_kind", placeholder="请选择")  # fmt: skip
    uploaded = upload.file_uploader("上传材料（PDF、JPG、PNG、DOCX、XLSX，单个不超过 20 MB）",
                                    type=["pdf", "jpg", "jpeg", "png", "docx", "xlsx"],
                                    key=f"doc_file:{len(project['documents'])}")  # fmt: skip
    if uploaded is not None:
        try:
            service.attach_document(store(), actor, project["id"], chosen, uploaded.name, uploaded.getvalue())
        except ServiceError as refused:
            st.error(str(refused))
        else:
            st.session_state["_project_flash"] = f"已上传{service.DOCUMENT_KINDS[chosen]}：{uploaded.name}"
            st.rerun()


def after_visits(project: dict) -> None:
    st.subheader("改造后评测")
    for visit in project["after_visits"]:
        st.page_link("diagnose/ui/visit.py", query_params={"a": visit["id"]}, icon=":material/edit_note:",
                     label=f"{STAGES[visit['stage']]}（编号 {visit['id']}，{STATUSES[visit['status']]}）")  # fmt: skip
    if actor.role != "consultant":
        if not project["after_visits"]:
            st.caption("项目完成后，由负责该企业的顾问开始改造后评测。")
        return
    if project["status"] != "finished":
        st.caption("项目状态为“已完成”（填写完成日期）后，可开始改造后评测。")
        return
    with st.form("start_after"):
        stage = st.radio("评测方式", AFTER_STAGES, format_func=STAGES.get, horizontal=True)
        if st.form_submit_button("开始改造后评测", type="primary"):
            try:
                new_id = start_after_visit(store(), actor, project["id"], stage, shipped_questionnaires())
            except ServiceError as refused:
                st.error(str(refused))
            else:
                st.switch_page("diagnose/ui/visit.py", query_params={"a": new_id})


def open_project(project_id: int) -> None:
    try:
        project = service.get_project(store(), actor, project_id)
    except ServiceError as refused:
        st.error(str(refused))
        return
    status = service.PROJECT_STATUSES[project["status"]]
    st.header(project["enterprise"]["name"])
    st.caption(
        f"项目编号 {project['id']} · {status} · 第 {project['revision']} 版 · 服务商 {project['provider']}"
        f"{'（已登记单位）' if project.get('organisation_id') else ''} · 合同 {project['contract_no'] or '—'}"
    )
    if project["status"] == "accepted":
        st.success("项目已验收：改造后评测已审核通过。")
    items_table(project)
    editable = project["status"] != "accepted" and actor.role in ("consultant", "admin")
    if editable:
        with st.expander("修改项目信息、清单与状态", expanded=False):
            project_form(f"edit_{project['id']}_{project['revision']}", project, project["revision"])
    documents(project, editable)
    after_visits(project)


def new_project(baseline_id: int) -> None:
    try:
        draft = service.draft_from_baseline(store(), actor, baseline_id)
    except ServiceError as refused:
        st.error(str(refused))
        return
    from diagnose.services.assessments import load

    enterprise = load(store(), actor, baseline_id).enterprise
    st.header(f"登记改造项目：{enterprise['name']}")
    if draft["items"]:
        st.info(f"清单已按达到{draft['target_label']}的推荐产品预填（预计{draft['projected_label']}），可修改数量、"
                "删除或增加产品，也可加入清单外项目。")  # fmt: skip
    project_form(f"new_{baseline_id}", draft | {"enterprise_id": enterprise["id"]}, None)


def _day(day) -> str:
    return day.isoformat() if day else "—"


def project_list() -> None:
    try:
        found = service.project_list(store(), actor)
    except ServiceError as refused:
        st.error(str(refused))
        return
    st.caption("改造项目从审核通过的改造前诊断登记：在现场评测的结果卡片上点击“登记改造项目”，或在下方选择诊断。")
    if found:
        st.dataframe([{"编号": p["id"], "企业": p["name"], "服务商": p["provider"], "合同编号": p["contract_no"],
                       "状态": service.PROJECT_STATUSES[p["status"]], "开始": _day(p["started_on"]),
                       "完成": _day(p["finished_on"]),
                       "财政资金": "是" if p["funded"] else "否"} for p in found],
                     hide_index=True, width="stretch")  # fmt: skip
        by_id = {p["id"]: p for p in found}
        picked = st.selectbox("打开项目", list(by_id), index=None, placeholder="选择一个项目", key="project_pick",
                              format_func=lambda i: f"{by_id[i]['name']} · {by_id[i]['provider']}（编号 {i}）",
                              )  # fmt: skip
        if picked is not None:
            st.query_params["p"] = str(picked)
            st.rerun()
    else:
        st.info("还没有改造项目。")
    baselines = service.approved_baselines(store(), actor)
    if baselines:
        by_id = {b["id"]: b for b in baselines}
        chosen = st.selectbox("从审核通过的改造前诊断登记新项目", list(by_id), index=None, key="baseline_pick",
                              placeholder="选择企业的诊断",
                              format_func=lambda i: f"{by_id[i]['name']} · 走访 {by_id[i]['visit_date']}（编号 {i}）",
                              )  # fmt: skip
        if chosen is not None:
            st.query_params["baseline"] = str(chosen)
            st.rerun()


if flash := st.session_state.pop("_project_flash", None):
    st.success(flash)
opened, baseline = st.query_params.get("p", ""), st.query_params.get("baseline", "")
if (opened or baseline) and st.button("← 返回项目列表", key="back_to_projects"):
    st.query_params.clear()
    st.rerun()
if opened.isdigit():
    open_project(int(opened))
elif baseline.isdigit():
    new_project(int(baseline))
else:
    project_list()
