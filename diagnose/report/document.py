"""中小企业数字化转型咨询诊断报告: the PDF (fpdf2, Noto Sans CJK embedded) and an HTML version.

Built from ``ReportData`` (services/report.py gathers it); writes nothing anywhere.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from diagnose.catalog.recommend import Recommendation
from diagnose.pilot import LEVEL_NAMES, PROJECT_STATUSES, STAGES, STATUSES
from diagnose.report.charts import Area, Drawing, Label, radar, scene_bars, svg
from diagnose.report.fonts import Face, drawable_by_whole_face, report_faces, whole_faces
from diagnose.report.lines import cell_text
from diagnose.report.view import EnterpriseView
from diagnose.rule.maturity import OPERATIONS_HOW
from diagnose.rule.questionnaire import Questionnaire
from diagnose.visit.compare import Comparison

TITLE = "中小企业数字化转型咨询诊断报告"
FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'


@dataclass(frozen=True)
class ReportData(EnterpriseView):
    """What the enterprise's page shows (the industry mean is left out of the report), dated."""

    generated_on: date


# Everything the PDF writes in bold is its own wording (title, cover labels, headings, table heads)
# or a level's label from the questionnaire; the bold face is cut down to these characters. A
# character left out is still drawn (from the whole face), only slower; a test checks that no
# sample report needs that.
BOLD_WORDING = (
    TITLE
    + "企业名称统一社会信用代码细分行业行政区评测阶段审核状态走访日期诊断专家报告日期"
    + "一、评测结论二、等级判定依据三、数字化水平画像四、评测题目与回答五、数字化经营场景六、改造前后对比七、改造项目"
    + "八、达到的推荐产品（示例清单）说明"
    + "题号评测项回答得分佐证与备注场景约束性等级来源依据的实践项目改造前改造后变化跨越的等级"
    + "产品和服务数量单位单价（元）金额（元）服务商理由"
    + "".join(LEVEL_NAMES)
)


def bold_wording(questionnaire: Questionnaire) -> str:
    """What a report under ``questionnaire`` may write in bold: ``BOLD_WORDING`` and its levels' labels
    (a heading names the level sought)."""
    return BOLD_WORDING + "".join(rule.label for rule in questionnaire.levels)


class _PDF(FPDF):
    sections = 0  # numbered headings drawn so far

    def footer(self) -> None:
        """Print each page's footer: the title and 第 N 页 / 共 M 页."""
        self.set_y(-12)
        self.set_font("zh", size=8)
        self.set_text_color(120)
        self.cell(0, 8, f"{TITLE} · 第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def _pdf(faces: tuple[Face, Face]) -> _PDF:
    regular, bold = faces
    pdf = _PDF(format="A4")
    pdf.add_font("zh", fname=str(regular.path), collection_font_number=regular.number)
    pdf.add_font("zh", style="B", fname=str(bold.path), collection_font_number=bold.number)
    for face in pdf.fonts.values():
        # the subset keeps the whole font's bounding box instead of recomputing it from every
        # glyph's outline (a third of the build); a box larger than the glyphs drawn is harmless
        face.ttfont.recalcBBoxes = False
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(18, 16, 18)
    pdf.set_title(TITLE)
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(3 + 9 + 3 * 6):  # the heading and three lines of what follows, or a new page
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("zh", "B", 13)
    pdf.set_text_color(20, 60, 120)
    pdf.cell(0, 9, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.set_font("zh", size=10)


NUMERALS = "一二三四五六七八九十"


def _section(pdf: _PDF, text: str) -> None:
    """A numbered heading: sections a report leaves out (before/after, the project) take no number,
    so the numbers run on without a gap."""
    pdf.sections += 1
    _heading(pdf, f"{NUMERALS[pdf.sections - 1]}、{text}")


def _para(pdf: FPDF, text: str, size: float = 10) -> None:
    pdf.set_font("zh", size=size)
    lines = cell_text(pdf, text, pdf.epw)
    pdf.multi_cell(0, 6, lines, align="L", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: FPDF, head: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
    pdf.set_font("zh", size=8.5)
    from fpdf.fonts import FontFace

    column_mm = [pdf.epw * w / sum(widths) for w in widths]  # as fpdf2 divides the page's width
    heading_style = FontFace(family="zh", emphasis="BOLD", fill_color=(230, 236, 245))
    with pdf.table(col_widths=widths, text_align="LEFT", wrapmode=WrapMode.CHAR, line_height=5,
                   headings_style=heading_style) as table:  # fmt: skip
        heading = table.row()
        for text in head:
            heading.cell(text)
        for values in rows:
            row = table.row()
            for value, mm in zip(values, column_mm, strict=True):
                row.cell(cell_text(pdf, str(value), mm))


def build_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes (cover, conclusion, charts, answers, scenes; before and after, projects and the
    recommendation when present; the basis last); raises FontMissing without the CJK font.

    Drawn with the faces cut down to the usual characters; drawn again with the whole faces when
    the text holds a character only they have (a rare hanzi in a name)."""
    pdf = _draw(data, report_faces(bold_wording(data.questionnaire)))
    missing = {c for face in pdf.fonts.values() for c in face.missing_glyphs}
    if missing and missing & drawable_by_whole_face():  # the whole font's map read only when needed
        pdf = _draw(data, whole_faces())
    return bytes(pdf.output())


def _draw(data: ReportData, faces: tuple[Face, Face]) -> _PDF:
    pdf = _pdf(faces)
    _cover(pdf, data)
    pdf.add_page()
    _conclusion(pdf, data)
    _charts(pdf, data)
    _answers(pdf, data)
    _scenes(pdf, data)
    if data.comparison:
        _before_after(pdf, data.comparison)
    if data.projects:
        _projects(pdf, data.projects)
    if data.recommendation:
        _recommendation(pdf, data.recommendation)
    _about(pdf, data)
    return pdf


def _cover(pdf: FPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.ln(40)
    pdf.set_font("zh", "B", 22)
    pdf.multi_cell(0, 14, TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(16)
    e = data.enterprise
    for label, value in cover_lines(data):
        pdf.set_font("zh", "B", 12)
        pdf.cell(60, 10, label, align="R")
        pdf.set_font("zh", size=12)
        pdf.cell(0, 10, f"　{value}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if e.get("sample"):
        pdf.ln(12)
        pdf.set_text_color(180, 40, 40)
        _para(pdf, "本报告的企业为虚构的示例数据，仅用于演示。", 11)
        pdf.set_text_color(0)


def cover_lines(data: ReportData) -> list[tuple[str, str]]:
    """(label, value) of the cover, the same in the PDF and the HTML: who, which visit, whose, when."""
    e, a = data.enterprise, data.assessment
    consultants = "、".join(data.values.get("visit.consultants") or []) or "—"
    return [
        ("企业名称", e["name"]), ("统一社会信用代码", e["credit_code"]), ("细分行业", e["industry"]),
        ("行政区", e["district"]), ("评测阶段", STAGES[a["stage"]]), ("审核状态", review_status(a)),
        ("走访日期", a["visit_date"].isoformat() if a["visit_date"] else "—"), ("诊断专家", consultants),
        ("报告日期", data.generated_on.isoformat()),
    ]  # fmt: skip


def review_status(assessment: dict) -> str:
    """Whether an official has approved the result the report is built on: a result still waiting
    says so, as the dashboard counts approved results only."""
    status = assessment["status"]
    return STATUSES[status] + ("" if status == "approved" else "（尚未经主管部门审核通过，结果以审核为准）")


def conclusion_lines(data: ReportData) -> list[str]:
    """The conclusion's sentences, the same in the PDF and the HTML: the level, the score with its
    three parts, and what is missing for the next level."""
    r = data.result
    names = {d.id: d.name for d in data.questionnaire.dimensions}
    maxima = {d.id: d.max_points for d in data.questionnaire.dimensions}
    parts = "；".join(f"{names[k]} {r[k]:g} / {maxima[k]:g} 分" for k in names)
    lines = [f"评测等级：{r['level_label']}", f"总分 {r['score']:g} / 100 分；{parts}。"]
    if r["gap"]:
        lines.append(f"距{r['gap']['label']}：{r['gap']['text']}。")
    return lines


def before_after_lines(comparison: Comparison) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """The before/after comparison as both formats show it: its sentences, the sub-score rows
    (项目, 改造前, 改造后, 变化) and the rows of the scenes that changed (场景, 改造前, 改造后, 跨越的等级)."""
    level = comparison.level
    lines = ["注意：两次评测所用问卷内容不同，分数仅供参考。"] if not comparison.comparable else []
    lines.append(
        f"等级：{LEVEL_NAMES[level.before]} → {LEVEL_NAMES[level.after]}" + ("（跨越等级）" if level.crossed else "")
    )
    scores = [[c.name, f"{c.before:g}", f"{c.after:g}", f"{c.delta:+g}"] for c in comparison.sub_scores]
    scenes = [
        [("★" if c.constrained else "") + c.name, f"L{c.before:g}", f"L{c.after:g}", _crossings(c.crossed)]
        for c in comparison.scenes
        if c.delta
    ]
    return lines, scores, scenes


def _conclusion(pdf: FPDF, data: ReportData) -> None:
    r = data.result
    _section(pdf, "评测结论")
    first, *rest = conclusion_lines(data)
    _para(pdf, first, 12)
    for line in rest:
        _para(pdf, line)
    _section(pdf, "等级判定依据")
    for check in reversed(r["why"]):
        mark = "满足" if check["met"] else "未满足"
        _para(pdf, f"{check['label']}（{mark}）：" + "；".join(
            f"{'√' if c['met'] else '×'} {c['text']}" for c in check["conditions"]))  # fmt: skip


def charts(data: ReportData) -> tuple[Drawing, Drawing]:
    """The two charts both formats show: the four dimensions' radar (before and now when there is
    a baseline) and the 16 scenes with the next level's line."""
    series = (("本次", tuple((a.name.removeprefix("数字化"), a.value) for a in data.axes)),)
    if data.baseline_axes:
        series = (("改造前", tuple((a.name.removeprefix("数字化"), a.value) for a in data.baseline_axes)), *series)
    next_level = data.result["gap"]["level"] if data.result["gap"] else None
    scenes = tuple((s["name"], s["constrained"], s["level"]) for s in data.result["scenes"])
    return radar(series), scene_bars(scenes, next_level)


SCENES_NOTE = "红色为约束性（★）场景；虚线为下一等级要求的场景等级。"


def _charts(pdf: FPDF, data: ReportData) -> None:
    _section(pdf, "数字化水平画像")
    radar_chart, scenes_chart = charts(data)
    _draw_chart(pdf, radar_chart, (pdf.w - radar_chart.width) / 2)
    _para(pdf, OPERATIONS_HOW, 8.5)
    _draw_chart(pdf, scenes_chart, pdf.l_margin)
    _para(pdf, SCENES_NOTE, 8.5)


def _draw_chart(pdf: FPDF, drawing: Drawing, left: float) -> None:
    """Draw ``drawing`` with its top left corner at (left, the current line), on a new page when
    it would not fit, and move below it."""
    if pdf.will_page_break(drawing.height):
        pdf.add_page()
    top = pdf.get_y()
    with pdf.local_context():
        for shape in drawing.shapes:
            if isinstance(shape, Label):
                pdf.set_font("zh", size=shape.size)
                pdf.set_text_color(shape.colour)
                x = shape.x - {"start": 0, "middle": 0.5, "end": 1}[shape.anchor] * pdf.get_string_width(shape.text)
                with pdf.rotation(shape.angle, left + shape.x, top + shape.y):
                    pdf.text(left + x, top + shape.y, shape.text)
                continue
            points = [(left + x, top + y) for x, y in shape.points]
            if isinstance(shape, Area):
                pdf.set_fill_color(shape.colour)
                with pdf.local_context(fill_opacity=shape.opacity):
                    pdf.polygon(points, style="F")
            else:
                pdf.set_draw_color(shape.colour)
                pdf.set_line_width(shape.width)
                pdf.set_dash_pattern(*((1.5, 1) if shape.dashed else (0, 0)))
                pdf.polyline(points, polygon=shape.closed, style="D")
    pdf.set_text_color(0)
    pdf.set_y(top + drawing.height)


ANSWERS_HEAD = ["题号", "评测项", "回答", "得分", "佐证与备注"]
SCENES_HEAD = ["场景", "约束性", "等级", "来源", "依据的实践"]
PRODUCTS_HEAD = ["产品和服务", "服务商", "单价（元）", "单位", "理由"]
PROJECT_ITEMS_HEAD = ["产品和服务", "数量", "单位", "单价（元）", "金额（元）"]


def answer_rows(data: ReportData) -> list[list[str]]:
    """One row per question (``ANSWERS_HEAD``), the same in both formats: the options chosen with
    their letters, a measured ratio before them, the points and the notes."""
    rows = []
    for q in data.result["questions"]:
        question = data.questionnaire.question(q["id"])
        answer = "未答" if q["answer"] is None else "、".join(
            f"{c}. {question.option(c).text}" for c in q["answer"]) or "（空）"  # fmt: skip
        if q.get("percent") is not None:
            answer = f"{q['percent']:.1f}% → {answer}"
        rows.append([q["id"], q["item"], answer, f"{q['points']:g} / {q['max_points']:g}", data.notes.get(q["id"], "")])
    return rows


def scene_rows(data: ReportData) -> list[list[str]]:
    """One row per scene (``SCENES_HEAD``), the same in both formats."""
    sources = {"explicit": "专家评定", "practices": "按现场实践", "none": "未应用"}
    names = data.questionnaire.scene_level_names
    return [[s["name"], "★" if s["constrained"] else "", names[s["level"]], sources[s["source"]],
             "、".join(s["practices"])] for s in data.result["scenes"]]  # fmt: skip


def recommendation_lines(found: Recommendation) -> tuple[list[str], list[list[str]]]:
    """The recommendation as both formats say it: its sentences (why no bundle reaches the target,
    when none does) and the products' rows (``PRODUCTS_HEAD``) with their total."""
    if found.cheapest is None:
        return ["按目前的产品清单无法达到该等级：" + "；".join(found.unmet)], []
    bundle = found.cheapest
    projected = bundle.projected
    lines = [f"采用后预计：{projected.level_label}，总分 {projected.score:g}；合计 {bundle.total_price:,} 元。",
             "推荐产品：" + "、".join(p.name for p in bundle.products) + "。"]  # fmt: skip
    rows = [[p.name, p.provider, f"{p.price:,}", p.unit, "；".join(bundle.reasons[p.id])] for p in bundle.products]
    rows.append(["合计", "", f"{bundle.total_price:,}", "", ""])
    return lines, rows


SAMPLE_CATALOG_NOTE = "产品、服务商与价格均为示例数据，仅用于演示推荐方法。"


def _answers(pdf: FPDF, data: ReportData) -> None:
    _section(pdf, "评测题目与回答")
    _table(pdf, ANSWERS_HEAD, answer_rows(data), (10, 20, 70, 18, 56))


def _scenes(pdf: FPDF, data: ReportData) -> None:
    _section(pdf, "数字化经营场景")
    _table(pdf, SCENES_HEAD, scene_rows(data), (30, 14, 40, 30, 60))


def _before_after(pdf: FPDF, comparison: Comparison) -> None:
    _section(pdf, "改造前后对比")
    lines, scores, scenes = before_after_lines(comparison)
    for line in lines:
        _para(pdf, line, 9 if line.startswith("注意") else 10)
    _table(pdf, ["项目", "改造前", "改造后", "变化"], scores, (50, 40, 40, 44))
    if scenes:
        pdf.ln(2)
        _table(pdf, ["场景", "改造前", "改造后", "跨越的等级"], scenes, (50, 30, 30, 64))


def _crossings(crossed: tuple[int, ...]) -> str:
    return "、".join(f"{'达到' if level > 0 else '跌出'} L{abs(level)}" for level in crossed)


def project_lines(project: dict) -> tuple[str, list[list[str]]]:
    """A project as the report states it: one line of its contract and dates, and its items."""
    funding = f"是（{project['funding_amount']:,.0f} 元）" if project["funded"] and project["funding_amount"] else (
        "是" if project["funded"] else "否")  # fmt: skip
    period = f"{project['started_on'] or '—'} 至 {project['finished_on'] or '—'}"
    line = (f"服务商：{project['provider']}；合同编号：{project['contract_no'] or '—'}"
            f"（签订于 {project['contract_signed_on'] or '—'}）；状态：{PROJECT_STATUSES[project['status']]}；"
            f"实施期：{period}；财政资金支持：{funding}")  # fmt: skip
    rows = [[i["name"] + ("" if i["product_id"] else "（清单外）"), f"{i['quantity']:g}", i["unit"],
             f"{i['unit_price']:,.2f}", f"{i['quantity'] * i['unit_price']:,.2f}"]
            for i in project["items"]]  # fmt: skip
    return line, rows


def _projects(pdf: FPDF, projects: tuple[dict, ...]) -> None:
    _section(pdf, "改造项目")
    for project in projects:
        line, rows = project_lines(project)
        _para(pdf, line, 9)
        _table(pdf, PROJECT_ITEMS_HEAD, rows, (74, 18, 18, 32, 32))
        pdf.ln(2)


def _recommendation(pdf: FPDF, found: Recommendation) -> None:
    _section(pdf, f"达到{found.target_label}的推荐产品（示例清单）")
    lines, rows = recommendation_lines(found)
    for line in lines:
        _para(pdf, line)
    if rows:
        _table(pdf, PRODUCTS_HEAD, rows, (50, 28, 18, 12, 66))
        _para(pdf, SAMPLE_CATALOG_NOTE, 8.5)


def _about(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, "说明")
    q = data.questionnaire
    _para(pdf, f"评测依据：{q.title}（{q.id}，版本 {q.version}，内容哈希 {q.content_hash}）。"
               f"计分问卷版本：{data.result['version']}。", 9)  # fmt: skip


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def build_html(data: ReportData) -> str:
    """The same report as a self-contained HTML page (text escaped, never rendered as markup)."""
    r, e, esc = data.result, data.enterprise, html.escape
    why = "".join(
        f"<li>{esc(c['label'])}（{'满足' if c['met'] else '未满足'}）："
        f"{esc('；'.join(x['text'] for x in c['conditions']))}</li>"
        for c in reversed(r["why"])
    )
    projects = ""
    for project in data.projects:
        line, rows = project_lines(project)
        projects += f"<p>{esc(line)}</p>" + _html_table(PROJECT_ITEMS_HEAD, rows)
    projects = f"<h2>改造项目</h2>{projects}" if projects else ""
    sample = "<p class='sample'>本报告的企业为虚构的示例数据，仅用于演示。</p>" if e.get("sample") else ""
    conclusion = "".join(f"<p>{esc(line)}</p>" for line in conclusion_lines(data))
    radar_chart, scenes_chart = charts(data)
    pictures = (
        f"<h2>数字化水平画像</h2><figure>{svg(radar_chart, '四个维度的雷达图', FONT_FAMILY)}</figure>"
        f"<p class='note'>{esc(OPERATIONS_HOW)}</p>"
        f"<figure>{svg(scenes_chart, '16 个场景的等级', FONT_FAMILY)}</figure>"
        f"<p class='note'>{SCENES_NOTE}</p>"
    )
    before_after = ""
    if data.comparison:
        lines, scores, changed = before_after_lines(data.comparison)
        before_after = "<h2>改造前后对比</h2>" + "".join(f"<p>{esc(line)}</p>" for line in lines)
        before_after += _html_table(["项目", "改造前", "改造后", "变化"], scores)
        before_after += _html_table(["场景", "改造前", "改造后", "跨越的等级"], changed) if changed else ""
    recommendation = ""
    if data.recommendation:
        lines, rows = recommendation_lines(data.recommendation)
        recommendation = f"<h2>达到{esc(data.recommendation.target_label)}的推荐产品（示例清单）</h2>"
        recommendation += "".join(f"<p>{esc(line)}</p>" for line in lines)
        recommendation += (
            (_html_table(PRODUCTS_HEAD, rows) + f"<p class='note'>{SAMPLE_CATALOG_NOTE}</p>") if rows else ""
        )
    who = _html_table(["项目", "内容"], [[label, value] for label, value in cover_lines(data)])
    style = (
        f"body{{font-family:{FONT_FAMILY};"
        "max-width:860px;margin:2rem auto;line-height:1.6}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem}"
        ".sample{color:#b42828}.note{font-size:.85em;color:#555}figure{margin:1rem 0}"
    )
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE}</title>'
        f"<style>{style}</style></head><body><h1>{TITLE}</h1>{sample}<p>{who}</p>"
        f"<h2>评测结论</h2>{conclusion}<h2>等级判定依据</h2><ul>{why}</ul>{pictures}"
        f"<h2>评测题目与回答</h2>{_html_table(ANSWERS_HEAD, answer_rows(data))}"
        f"<h2>数字化经营场景</h2>{_html_table(SCENES_HEAD, scene_rows(data))}"
        f"{before_after}{projects}{recommendation}"
        f"<p>评测依据：{esc(data.questionnaire.title)}，版本 {esc(r['version'])}，内容哈希 {esc(r['content_hash'])}</p>"
        "</body></html>"
    )
