"""Gathering an enterprise's report: what its page shows, dated today."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import fields

from diagnose import clock
from diagnose.access.policy import Actor
from diagnose.enterprise import credit_code_problem
from diagnose.problems import Problem
from diagnose.report.document import ReportData, build_html, build_pdf
from diagnose.services.errors import NotFound, ValidationFailed
from diagnose.services.profile_view import enterprise_view
from diagnose.store import Store, records


def report_data(store: Store, actor: Actor, enterprise_id: int) -> ReportData:
    """Everything the report shows; refused like reading the enterprise's assessments."""
    view = enterprise_view(store, actor, enterprise_id)
    return ReportData(**{f.name: getattr(view, f.name) for f in fields(view)}, generated_on=clock.today())


def enterprise_id_of(store: Store, credit_code: str) -> int:
    """The id of the enterprise with ``credit_code`` (trimmed, upper-cased); raises ValidationFailed
    for a malformed code, NotFound for a well-formed one nobody registered. No access check."""
    code = credit_code.strip().upper()
    malformed = credit_code_problem(code)
    if malformed:
        raise ValidationFailed([Problem("report", "", f"统一社会信用代码“{credit_code}”{malformed}")])
    with store.read() as conn:
        row = records.enterprise_by_code(conn, code)
    if row is None:
        raise NotFound(f"没有统一社会信用代码为 {credit_code} 的企业")
    return row["id"]


def pdf_report(store: Store, actor: Actor, enterprise_id: int) -> bytes:
    """The enterprise's report as PDF bytes; refused as ``report_data`` is, NotEditable when nothing is scored,
    FontMissing without the CJK font."""
    return build_pdf(report_data(store, actor, enterprise_id))


def html_report(store: Store, actor: Actor, enterprise_id: int) -> str:
    """The enterprise's report as one HTML page; refused as ``report_data`` is, NotEditable when nothing is scored."""
    return build_html(report_data(store, actor, enterprise_id))


def reportable(store: Store, actor: Actor, industry: str = "", district: str = "") -> tuple[list[dict], int]:
    """The enterprises the actor may see in ``industry`` and ``district`` (all when empty) that have a
    scored result, in name order (id, name, credit_code, industry, district, sample), and how many
    more match but have nothing scored yet (no report can be made for them)."""
    from diagnose.services.files import overview

    found = overview(store, actor, industry=industry, district=district, limit=None)
    scored = [e for e in found if e["level"] is not None]
    return scored, len(found) - len(scored)


# characters no file name may hold on Windows or Linux (a folder of reports is often copied to Windows)
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
MAX_AT_ONCE = 300  # about two minutes of building in one page's request; more: `diagnose report --all`


def report_file_name(enterprise: dict) -> str:
    """``<credit code>-<name>.pdf``, the name stripped of characters a file name cannot hold and cut
    to 60 characters (the credit code alone makes it unique)."""
    name = UNSAFE.sub("_", enterprise["name"]).strip(" .")[:60]
    return f"{enterprise['credit_code']}-{name}.pdf"


def reports_zip(store: Store, actor: Actor, industry: str = "", district: str = "",
                progress: Callable[[int, int], None] | None = None) -> tuple[bytes, int, int]:  # fmt: skip
    """The reports of the enterprises ``reportable`` gives, one PDF each (``report_file_name``) in a
    ZIP: (its bytes, reports in it, enterprises left out for having nothing scored). ``progress``
    is told (done, total) after each report. Refused (ValidationFailed) above ``MAX_AT_ONCE``
    enterprises, or when there is none: nothing is built."""
    enterprises, unscored = reportable(store, actor, industry, district)
    if not enterprises:
        raise ValidationFailed([Problem("报告", "", "所选范围内没有已计分的企业，无报告可生成")])
    if len(enterprises) > MAX_AT_ONCE:
        why = (
            f"所选范围有 {len(enterprises)} 家企业，网页一次最多生成 {MAX_AT_ONCE} 份报告：请按行业或"
            "行政区缩小范围，或由管理员用命令 diagnose report --all 批量生成"
        )
        raise ValidationFailed([Problem("报告", "", why)])
    kept = io.BytesIO()
    with zipfile.ZipFile(kept, "w", zipfile.ZIP_STORED) as archive:  # a PDF's streams are compressed already
        for done, enterprise in enumerate(enterprises, start=1):
            archive.writestr(report_file_name(enterprise), pdf_report(store, actor, enterprise["id"]))
            if progress:
                progress(done, len(enterprises))
    return kept.getvalue(), len(enterprises), unscored
