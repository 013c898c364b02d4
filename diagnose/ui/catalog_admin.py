"""产品清单 (administrators): browse and filter the catalog, change a status, export and import Excel."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from diagnose.catalog.products import ALL_INDUSTRIES, LINKS, STATUSES
from diagnose.excel import XLSX_TYPE
from diagnose.pilot import INDUSTRIES
from diagnose.problems import errors
from diagnose.services.catalog_admin import export_catalog, import_catalog, live_catalog, set_status
from diagnose.services.errors import ServiceError
from diagnose.ui.session import require_actor
from diagnose.ui.state import shipped_questionnaires, store

ALL = "全部"
actor = require_actor()
national = shipped_questionnaires()["national-2024"]
st.title("产品清单")
st.caption("当前为示例清单：产品、企业与价格均为虚构，仅用于演示。")
catalog = live_catalog(store(), national)

text_col, industry_col, link_col, status_col = st.columns([2, 1, 1, 1])
text = text_col.text_input("搜索", placeholder="名称、服务商或编号", key="catalog_search")
industry = industry_col.selectbox("适用行业", [ALL, *INDUSTRIES[:4]], key="catalog_industry", placeholder="请选择")
link = link_col.selectbox("环节", [ALL, *LINKS], key="catalog_link", placeholder="请选择")
status = status_col.selectbox("状态", [ALL, *STATUSES], key="catalog_status", placeholder="请选择")
shown = [
    p for p in catalog.products
    if (not text or text in p.name or text in p.provider or text in p.id)
    and (industry == ALL or p.serves(industry)) and (link == ALL or link in p.links)
    and (status == ALL or p.status == status)
]  # fmt: skip
st.dataframe(
    [{"编号": p.id, "名称": p.name, "服务商": p.provider, "类型": p.type,
      "适用行业": "、".join(i if i != ALL_INDUSTRIES else "全部行业" for i in p.industries), "环节": "、".join(p.links),
      "场景提升": "、".join(f"{s} L{lv}" for s, lv in p.scenes.items()), "价格（元）": p.price, "单位": p.unit,
      "批次": p.batch, "状态": p.status} for p in shown],
    hide_index=True, width="stretch",
)  # fmt: skip
st.caption(f"共 {len(catalog.products)} 个产品，显示 {len(shown)} 个")

with st.form("status_change"):
    st.subheader("修改状态")
    ids = [p.id for p in catalog.products]
    names = {p.id: p.name for p in catalog.products}
    picked = st.selectbox("产品", ids, format_func=lambda i: f"{i} {names[i]}", index=None, placeholder="选择产品",
                          key="catalog_pick")  # fmt: skip
    new_status = st.selectbox("新状态", STATUSES, key="catalog_new_status", placeholder="请选择")
    if st.form_submit_button("保存状态"):
        try:
            set_status(store(), actor, national, picked or "", new_status)
            st.success(f"{picked} 已改为“{new_status}”（已记入操作日志）")
        except ServiceError as refused:
            st.error(str(refused))


def exported() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.xlsx"
        export_catalog(store(), actor, national, path)
        return path.read_bytes()


st.download_button("导出产品清单（Excel）", data=exported, file_name="产品清单（示例）.xlsx", key="catalog_export",
                   mime=XLSX_TYPE)  # fmt: skip

st.subheader("从 Excel 导入")
st.caption("表格格式同导出文件；编号相同的产品会被替换。任何一行有错时不导入任何一行。")
uploaded = st.file_uploader("选择 .xlsx 文件", type=["xlsx"], key="catalog_import")
check_only = st.checkbox("只检查，不导入", value=True, key="catalog_dry_run")
if uploaded is not None and st.button("开始", key="catalog_import_go"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / uploaded.name
        path.write_bytes(uploaded.getvalue())
        try:
            count, problems = import_catalog(store(), actor, national, path, dry_run=check_only)
        except ServiceError as refused:
            st.error(str(refused))
            st.stop()
    wrong, notes = errors(problems), [p for p in problems if p.severity == "warning"]
    if wrong:
        st.error("发现以下问题，未导入：\n" + "\n".join(f"- {p.place}：{p.message}" for p in wrong[:50]))
    elif check_only:
        st.success("检查通过，可取消“只检查”后导入。")
    else:
        st.success(f"已导入 {count} 个产品（已记入操作日志）")
    if notes and not wrong:  # a warning never stops an import, but is worth a look
        st.warning("请留意（不影响导入）：\n" + "\n".join(f"- {p.place}：{p.message}" for p in notes[:50]))
