"""纸质现场记录表: the questionnaire on paper, blank for an industry or prefilled from a visit.

For the workshop walk, where experts still write on paper: every question of the industry's
questionnaire with its options as tick boxes (□, and ■ where the visit has chosen it), the
evidence to look for, the scenes with their level descriptors and the industry's practices,
lines for notes, and on every page the enterprise and the visit (or blanks to fill in).
Built with the report's faces (``report.fonts``); writes nothing anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from diagnose.report.fonts import Face, drawable_by_whole_face, report_faces, whole_faces
from diagnose.report.lines import cell_text
from diagnose.rule.questionnaire import Question, Questionnaire
from diagnose.visit.items import VISIT_ITEMS, shown_value

PAPER_TITLE = "中小企业数字化水平评测 现场记录表"
BOX, TICKED = "□", "■"  # both in GB 2312, so in the cut face
TYPES = {"single": "单选", "multi": "多选", "ratio": "比例"}
BUSINESS = "数字化经营"
BLANK = "＿" * 12


@dataclass(frozen=True)
class PaperVisit:
    """What a prefilled form says about its visit (all empty for a blank form)."""

    enterprise: str = ""
    credit_code: str = ""
    stage: str = ""
    assessment_id: int | None = None
    values: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)


class _Paper(FPDF):
    running_head = ""

    def header(self) -> None:
        """Each page's head: the enterprise and visit (or blanks), and the questionnaire."""
        self.set_font("zh", size=8)
        self.set_text_color(90)
        self.cell(0, 6, self.running_head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.ln(1)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("zh", size=8)
        self.set_text_color(120)
        self.cell(0, 8, f"{PAPER_TITLE} · 第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def paper_pdf(questionnaire: Questionnaire, visit: PaperVisit | None = None) -> bytes:
    """The form as PDF bytes; raises FontMissing without the CJK font."""
    visit = visit or PaperVisit()
    pdf = _draw(questionnaire, visit, report_faces())
    missing = {c for face in pdf.fonts.values() for c in face.missing_glyphs}
    if missing and missing & drawable_by_whole_face():  # a rare character: drawn from the whole face
        pdf = _draw(questionnaire, visit, whole_faces())
    return bytes(pdf.output())


def _draw(questionnaire: Questionnaire, visit: PaperVisit, faces: tuple[Face, Face]) -> _Paper:
    pdf = _Paper(format="A4")
    pdf.add_font("zh", fname=str(faces[0].path), collection_font_number=faces[0].number)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(16, 12, 16)
    pdf.set_title(PAPER_TITLE)
    who = visit.enterprise or f"企业：{BLANK}"
    what = f"{visit.stage}（评测编号 {visit.assessment_id}）" if visit.assessment_id else f"走访日期：{BLANK}"
    pdf.running_head = f"{who}　{what}　问卷 {questionnaire.version}"
    pdf.add_page()
    pdf.set_font("zh", size=15)
    pdf.cell(0, 10, PAPER_TITLE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _text(pdf, f"{questionnaire.title}（问卷 {questionnaire.version}）。在所选项的方框内打勾；多选题可勾多项；"
               "比例题可直接记下分子、分母的数字。回到系统后按此表录入。", 9)  # fmt: skip
    _heading(pdf, "走访信息")
    _line(pdf, "企业名称", visit.enterprise)
    _line(pdf, "统一社会信用代码", visit.credit_code)
    for item, label in VISIT_ITEMS.items():
        if item != "report.pain_points":
            _line(pdf, label, _shown(questionnaire, visit, item))
    for dimension in questionnaire.dimensions:
        _heading(pdf, dimension.name)
        for question in (q for q in questionnaire.questions if q.dimension == dimension.id):
            _question(pdf, questionnaire, question, visit)
        if dimension.id == "basic":
            _scenes(pdf, questionnaire, visit)
    _heading(pdf, "痛点与需求")
    _line(pdf, "痛点与需求", _shown(questionnaire, visit, "report.pain_points"), lines=4)
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("zh", size=12)
    pdf.set_text_color(20, 60, 120)
    pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)


def _text(pdf: FPDF, text: str, size: float = 9.5, indent: float = 0) -> None:
    pdf.set_font("zh", size=size)
    pdf.set_x(pdf.l_margin + indent)
    text = cell_text(pdf, text, pdf.epw - indent)
    pdf.multi_cell(0, 5, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _line(pdf: FPDF, label: str, value: str, lines: int = 1) -> None:
    """A labelled value, or lines to write on."""
    if value:
        _text(pdf, f"{label}：{value}")
        return
    _text(pdf, f"{label}：")
    for _ in range(lines):
        y = pdf.get_y() + 6
        pdf.set_draw_color(170)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_y(y + 1)
    pdf.set_draw_color(0)


def _shown(questionnaire: Questionnaire, visit: PaperVisit, item: str) -> str:
    value = visit.values.get(item)
    return "" if value is None else shown_value(questionnaire, item, value)


def _question(pdf: FPDF, questionnaire: Questionnaire, question: Question, visit: PaperVisit) -> None:
    if pdf.will_page_break(12 + 5 * len(question.options)):  # a question is not split from its options
        pdf.add_page()
    pdf.ln(1.5)
    _text(pdf, f"{question.id} {question.item}（{TYPES[question.type]}，满分 {question.max_points:g} 分）", 10)
    _text(pdf, question.text, 9)
    value = visit.values.get(question.id)
    chosen = {value} if isinstance(value, str) else set(value) if isinstance(value, list) else set()
    for option in question.options:
        mark = TICKED if option.code in chosen else BOX
        _text(pdf, f"{mark} {option.code}. {option.text}（{option.points:g} 分）", 9, indent=4)
    figures = [f for f in (question.numerator, question.denominator) if f]
    if question.trend is not None:
        figures = [question.trend.numerator, *([question.trend.denominator] if question.trend.denominator else [])]
    if figures:
        recorded = _shown(questionnaire, visit, question.id) if isinstance(value, dict) else ""
        _text(pdf, recorded or "　".join(f"{f.label}：{BLANK}{f.unit}" for f in figures), 9, indent=4)
    if question.evidence:
        _text(pdf, f"佐证：{question.evidence}", 8.5, indent=4)
    _line(pdf, "备注", visit.notes.get(question.id, ""))


def _scenes(pdf: FPDF, questionnaire: Questionnaire, visit: PaperVisit) -> None:
    _heading(pdf, BUSINESS)
    _text(pdf, "每个场景勾一个等级（未应用即 0 级），或勾选现场看到的实践；★ 为约束性场景。", 8.5)
    for scene in questionnaire.scenes:
        practices = [p for p in questionnaire.practices if p.scene == scene.name]
        if pdf.will_page_break(14 + 5 * (len(scene.levels) + len(practices))):
            pdf.add_page()
        pdf.ln(1.5)
        _text(pdf, f"{scene.name}{'★' if scene.constrained else ''}（{scene.group}）", 10)
        level = visit.values.get(f"scene:{scene.name}")
        descriptors = ("", *scene.levels)
        for number, name in enumerate(questionnaire.scene_level_names):
            mark = TICKED if level == number else BOX
            _text(pdf, f"{mark} {name}{'：' + descriptors[number] if descriptors[number] else ''}", 9, indent=4)
        for practice in practices:
            mark = TICKED if visit.values.get(f"practice:{practice.id}") else BOX
            seen = f"（佐证：{practice.evidence}）" if practice.evidence else ""
            _text(pdf, f"{mark} 实践 {practice.id}（L{practice.level}）{practice.text}{seen}", 8.5, indent=4)
        _line(pdf, "备注", visit.notes.get(f"scene:{scene.name}", ""))
