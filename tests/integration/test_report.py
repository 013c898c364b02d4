"""The Chinese PDF report and its HTML twin: the text is all there, the font is embedded."""

from __future__ import annotations

import html
import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from diagnose.report.document import before_after_lines, conclusion_lines
from diagnose.services import assessments as visits
from diagnose.services.errors import NotEditable
from diagnose.services.guard import PermissionDenied
from diagnose.services.report import html_report, pdf_report, report_data

from .helpers import fill_visit, new_enterprise, profile, user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def scored_visit(store, consultant, questionnaires, enterprise_id, stage, scenes):
    draft = visits.start_assessment(store, consultant, enterprise_id, stage, questionnaires)
    fill_visit(store, draft, scenes=scenes)
    visits.save_note(
        store, consultant, draft, "Q5", "<b>ERP 已覆盖销售与采购</b>", visits.load(store, consultant, draft).revision
    )
    visits.submit(store, consultant, draft)
    return draft


def text_of(pdf: bytes) -> str:
    """The report's text as poppler's pdftotext reads it (make test installs poppler-utils)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    # in reading order; a cell wrapped over two lines is joined again
    return done.stdout.decode("utf-8").replace(" ", "").replace("\u3000", "").replace("\n", "")


def embedded_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]))
    return fonts


def test_a_one_assessment_report_has_the_name_level_scenes_and_products(store, consultant, questionnaires):
    enterprise = new_enterprise(store)
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 1)
    data = report_data(store, consultant, enterprise)

    pdf = pdf_report(store, consultant, enterprise)

    text = text_of(pdf)
    assert "中小企业数字化转型咨询诊断报告" in text
    assert "揭阳测试塑胶制品有限公司1" in text
    assert data.result["level_label"].replace(" ", "") in text
    for scene in data.questionnaire.scenes:
        assert scene.name in text
    for product in data.recommendation.cheapest.products:
        assert product.name in text
    assert data.questionnaire.content_hash[:20] in text
    assert "改造前后对比" not in text
    # the sections leave no gap where before/after and the project are left out: 五 then 六
    assert "五、数字化经营场景" in text and "六、达到" in text and "八、" not in text
    assert any("NotoSansCJK" in name for name in embedded_fonts(pdf))
    # built on a result no official has approved yet: the cover says so, as does the HTML
    assert "审核状态已提交（尚未经主管部门审核通过，结果以审核为准）" in text
    assert "已提交（尚未经主管部门审核通过" in html_report(store, consultant, enterprise)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"report-{store.dialect}.pdf").write_bytes(pdf)


def test_a_two_assessment_report_shows_before_and_after(store, consultant, questionnaires):
    enterprise = new_enterprise(store)
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 1)
    scored_visit(store, consultant, questionnaires, enterprise, "after", 2)

    pdf = pdf_report(store, consultant, enterprise)
    page = html_report(store, consultant, enterprise)

    text = text_of(pdf)
    assert "六、改造前后对比" in text and "达到L2" in text
    # the HTML says what the PDF says: the score's parts, the gap, both charts, before and after
    data = report_data(store, consultant, enterprise)
    for line in [*conclusion_lines(data), *before_after_lines(data.comparison)[0]]:
        assert line.replace(" ", "") in text and html.escape(line) in page
    assert page.count("<svg ") == 2 and "改造前后对比" in page
    # the radar's legend, drawn as text in both: before and now
    assert "改造前" in text and "本次" in text and ">本次</text>" in page and ">改造前</text>" in page
    assert re.search(r"等级：(未达一级|[一二三四]级)\s*→\s*(未达一级|[一二三四]级)", text)  # named, not digits
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 4
    # the first pages as PNG, for a person to look at (make test installs poppler-utils)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"report-first-pages-{store.dialect}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", "-", str(target)], input=pdf, check=True)
    assert Path(f"{target}-1.png").exists()


def test_no_line_of_the_report_begins_with_closing_punctuation_or_splits_a_number_from_its_unit(
    store, consultant, questionnaires
):
    from diagnose.report.lines import NO_LINE_START

    enterprise = new_enterprise(store)
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 1)
    scored_visit(store, consultant, questionnaires, enterprise, "after", 2)

    pdf = pdf_report(store, consultant, enterprise)

    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    lines = [line.strip() for line in done.stdout.decode("utf-8").splitlines() if line.strip()]
    assert not [line for line in lines if line[0] in NO_LINE_START]
    # the level basis wraps (four long lines): no "≥ 6" on one line and its "个" on the next
    assert not [line for line in lines if re.search(r"≥ \d+$|[√×]$", line)]


def test_the_html_report_escapes_what_people_typed(store, consultant, questionnaires):
    enterprise = new_enterprise(store)
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 2)

    page = html_report(store, consultant, enterprise)

    assert "&lt;b&gt;ERP 已覆盖销售与采购&lt;/b&gt;" in page and "<b>ERP" not in page
    assert page.startswith("<!doctype html>") and "产品设计" in page


def test_another_enterprise_cannot_have_this_report(store, consultant, questionnaires):
    enterprise = new_enterprise(store, seed=1)
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 1)
    new_enterprise(store, seed=2)
    other = user(store, "其他企业", "enterprise", credit_code=profile(2)["credit_code"])
    own = user(store, "本企业", "enterprise", credit_code=profile(1)["credit_code"])

    with pytest.raises(PermissionDenied):
        pdf_report(store, other, enterprise)
    assert pdf_report(store, own, enterprise).startswith(b"%PDF")


def test_no_report_before_anything_is_scored(store, consultant, questionnaires):
    enterprise = new_enterprise(store)
    visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)

    with pytest.raises(NotEditable, match="还没有已计分的评测"):
        pdf_report(store, consultant, enterprise)


def test_the_industry_mean_counts_each_enterprises_latest_approved_result_only(store, consultant, questionnaires):
    from diagnose.services.profile_view import industry_benchmark

    from .helpers import OFFICIAL

    first = new_enterprise(store, seed=1)
    approved = scored_visit(store, consultant, questionnaires, first, "baseline", 2)
    visits.approve(store, OFFICIAL, approved)
    scored_visit(store, consultant, questionnaires, new_enterprise(store, seed=2), "baseline", 1)  # only submitted

    found = industry_benchmark(store, questionnaires["plastics"], "塑胶")

    assert found.enterprises == 1 and found.axes is None
    from diagnose.store import records

    with store.read() as conn:
        means = records.industry_benchmark(conn, "塑胶")
    assert means["scene_level"] == 2 and means["basic"] == visits.load(store, consultant, approved).results[-1]["basic"]


def test_the_charts_are_text_and_lines_in_the_pdf_and_the_same_drawing_in_the_html(store, consultant, questionnaires):
    from diagnose.report.charts import Label
    from diagnose.report.document import charts

    enterprise = new_enterprise(store)
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 2)
    data = report_data(store, consultant, enterprise)

    text, page = text_of(pdf_report(store, consultant, enterprise)), html_report(store, consultant, enterprise)

    radar, bars = charts(data)
    labels = [shape.text for drawing in (radar, bars) for shape in drawing.shapes if isinstance(shape, Label)]
    assert {"基础", "经营", "管理", "成效"} <= set(labels) and "下一级要求 L3" in labels
    for label in labels:
        assert f">{html.escape(label)}</text>" in page
    # the PDF draws them as text too (pdftotext finds the axis names and the next level's line)
    assert "下一级要求L3" in text and "成效" in text


def test_a_name_with_a_rare_character_is_drawn_from_the_whole_font(store, consultant, questionnaires):
    rare = "堃"  # not in GB 2312, which the cut face keeps
    with pytest.raises(UnicodeEncodeError):
        rare.encode("gb2312")
    enterprise = new_enterprise(store, name=f"揭阳{rare}鑫塑胶制品有限公司")
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 1)

    assert f"揭阳{rare}鑫塑胶制品有限公司" in text_of(pdf_report(store, consultant, enterprise))


def test_every_sample_report_is_drawn_with_the_cut_faces_alone(store, questionnaires, monkeypatch):
    """The fast path holds for every kind of report the sample data has (before and after,
    projects, recommendations): the whole faces are never needed for the report's own wording."""
    from diagnose.access.policy import command_line_actor
    from diagnose.report import document
    from diagnose.services.demo import seed_demo
    from diagnose.services.files import overview

    admin = command_line_actor("test")
    seed_demo(store, admin, 30, 3, questionnaires)

    def refused():
        raise AssertionError("a report needed the whole faces")

    monkeypatch.setattr(document, "whole_faces", refused)
    scored = [report_data(store, admin, e["id"]) for e in overview(store, admin) if e["level"] is not None]
    # one of each kind, a few of them: before and after, projects, a recommendation, none of these
    kinds = (lambda d: d.comparison, lambda d: d.projects, lambda d: d.recommendation and d.recommendation.cheapest,
             lambda d: not (d.comparison or d.projects))  # fmt: skip
    reports = [data for kind in kinds for data in [d for d in scored if kind(d)][:2]]
    built = [document.build_pdf(data) for data in reports]

    assert len(reports) == 8 and all(pdf.startswith(b"%PDF") for pdf in built)


def test_a_face_is_cut_once_into_the_cache_folder_as_truetype_and_used_again(tmp_path, monkeypatch):
    from fontTools import ttLib

    from diagnose.report import fonts

    monkeypatch.setenv("DIAGNOSE_CACHE_DIR", str(tmp_path / "cache"))
    fonts._cache_folder.cache_clear()
    try:
        kept = frozenset(map(ord, "揭阳诊断AB1"))
        cut = fonts._cut_face(fonts.whole_faces()[0], kept)
        written = cut.path.stat().st_mtime_ns
        again = fonts._cut_face(fonts.whole_faces()[0], kept)
    finally:
        fonts._cache_folder.cache_clear()

    assert again == cut and cut.path.parent == tmp_path / "cache" and cut.path.stat().st_mtime_ns == written
    font = ttLib.TTFont(cut.path)
    assert "glyf" in font and "CFF " not in font
    assert kept <= set(font.getBestCmap()) and len(font.getGlyphOrder()) < 20
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {cut.path.name, ".cutting.lock"}  # no partial file


def test_the_html_says_what_the_pdf_says_row_for_row(store, consultant, questionnaires):
    from diagnose.report.document import answer_rows, cover_lines, recommendation_lines, scene_rows

    enterprise = new_enterprise(store)
    scored_visit(store, consultant, questionnaires, enterprise, "baseline", 1)
    data = report_data(store, consultant, enterprise)

    page = html_report(store, consultant, enterprise)

    # the PDF draws these same rows (document.py builds both formats from them)
    lines, products = recommendation_lines(data.recommendation)
    for row in [*answer_rows(data), *scene_rows(data), *products, *map(list, cover_lines(data))]:
        assert "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) in page, row
    for line in lines:
        assert f"<p>{html.escape(line)}</p>" in page
    assert "<th>约束性</th>" in page and "<th>理由</th>" in page and "% → " in page
