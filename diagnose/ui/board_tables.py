"""The dashboard's tables: Chinese headers, an Excel download of each, and enterprise lists
whose rows open the enterprise's page."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from diagnose.board.views import LEVEL_NAMES
from diagnose.excel import XLSX_TYPE

SHOWN_ROWS = 1000  # the download holds every row
HEADERS = {
    "name": "企业名称", "credit_code": "统一社会信用代码", "industry": "细分行业", "district": "行政区",
    "after_level": "改造后等级", "month": "达标月份", "why": "尚未达标的原因", "enterprises": "企业（家）",
    "score": "总分", "basic": "数字化基础", "management": "数字化管理", "effect": "数字化成效",
    "scene_level": "场景平均等级", "level": "等级", "phase": "阶段", "rank": "排名", "scene": "场景",
    "constrained": "约束性场景", "mean_level": "平均等级", "score_before": "改造前总分", "score_after": "改造后总分",
    "change": "总分变化", "basic_change": "基础变化", "management_change": "管理变化", "effect_change": "成效变化",
    "level_before": "改造前等级", "level_after": "改造后等级", "level_up": "等级提升", "consultant": "顾问",
    "assigned": "负责企业", "visited": "走访企业", "product_id": "产品编号", "product_name": "产品名称",
    "projects": "项目（个）", "amount": "金额（元）",
}  # fmt: skip
LIST_COLUMNS = ("name", "credit_code", "industry", "district", "phase", "level", "score", "after_level", "month",
                "why", "level_before", "level_after", "score_before", "score_after", "change")  # fmt: skip
VIEW_PAGE = "diagnose/ui/enterprise_view.py"


def excel(frame: pd.DataFrame, title: str = "看板") -> bytes:
    """The frame as an .xlsx whose sheet is named for the table (not "Sheet1")."""
    buffer = io.BytesIO()
    sheet = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "看板"  # Excel's own limits on a sheet name
    frame.to_excel(buffer, index=False, sheet_name=sheet)
    return buffer.getvalue()


LEVEL_COLUMNS = ("level", "level_before", "level_after", "after_level")


def _readable(frame: pd.DataFrame, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Chinese headers, levels by name (二级, not 2), points to the thousandth as scored."""
    named = {c: frame[c].map(lambda v: "—" if pd.isna(v) else LEVEL_NAMES[int(v)]) for c in LEVEL_COLUMNS if c in frame}
    return frame.assign(**named).rename(columns=HEADERS | (extra or {})).round(3)


def _download(title: str, rows, key: str) -> None:
    """An Excel download of the frame ``rows()`` gives, built only when clicked."""
    st.download_button(f"下载{title}（Excel）", data=lambda: excel(rows(), title), file_name=f"{title}.xlsx",
                       key=f"board_{key}_xlsx", mime=XLSX_TYPE)  # fmt: skip


def table(title: str, frame: pd.DataFrame, key: str) -> None:
    """A figure table with its Excel download."""
    st.subheader(title)
    if frame.empty:
        st.caption("没有符合筛选条件的数据。")
        return
    shown = _readable(frame)
    st.dataframe(shown, hide_index=True, width="stretch", key=f"board_{key}")
    _download(title, lambda: shown, key)


def enterprise_list(title: str, frame: pd.DataFrame, key: str, namer, extra: dict[str, str] | None = None) -> None:
    """Enterprises with the figures that put them here; choosing a row opens the enterprise's page.
    ``namer(ids)`` gives id, name, credit_code: names are read for the rows shown, and for
    every row only when the download is asked for."""
    id_column = "enterprise_id" if "enterprise_id" in frame else "id"
    columns = [c for c in LIST_COLUMNS if c in frame] + [c for c in (extra or {}) if c in frame]

    def named(rows: pd.DataFrame) -> pd.DataFrame:
        found = namer(rows[id_column].tolist()).set_index("id")
        rows = rows.assign(
            name=rows[id_column].map(found["name"]), credit_code=rows[id_column].map(found["credit_code"])
        )
        return _readable(
            rows[["name", "credit_code", *[c for c in columns if c not in ("name", "credit_code")]]], extra
        )

    shown = frame.head(SHOWN_ROWS)
    st.subheader(f"{title}（{len(frame)} 家）")
    if len(frame) > SHOWN_ROWS:
        st.caption(f"仅显示前 {SHOWN_ROWS} 家，完整名单请下载。")
    picked = st.dataframe(named(shown), hide_index=True, width="stretch", key=f"board_{key}", on_select="rerun",
                          selection_mode="single-row")  # fmt: skip
    st.caption("选中一行即打开该企业的企业画像。")
    _download(title, lambda: named(frame), key)
    if picked and picked.selection.rows:
        st.switch_page(VIEW_PAGE, query_params={"e": str(shown[id_column].iloc[picked.selection.rows[0]])})
