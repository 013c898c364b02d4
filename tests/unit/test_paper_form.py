"""The paper form (纸质现场记录表) read back with pdftotext: every question and option of the
industry's questionnaire, every scene and practice, the visit on every page, and exactly the
chosen options ticked."""

from __future__ import annotations

import re
import subprocess

import pytest

from diagnose.report.paper import BOX, TICKED, PaperVisit, paper_pdf
from diagnose.services import questionnaires


def text_of(pdf: bytes) -> str:
    """The text in reading order, with the spaces and line breaks of wrapping taken out."""
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s", "", done.stdout.decode("utf-8"))


def pages_of(pdf: bytes) -> list[str]:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return [re.sub(r"\s", "", page) for page in done.stdout.decode("utf-8").split("\f") if page.strip()]


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("industry", ["plastics", "textiles", "hardware", "food"])
def test_a_blank_form_has_every_question_option_scene_and_practice_of_the_industry(industry):
    questionnaire = questionnaires()[industry]
    text = text_of(paper_pdf(questionnaire))

    for question in questionnaire.questions:
        assert squeezed(f"{question.id}{question.item}") in text
        for option in question.options:
            assert squeezed(f"{BOX}{option.code}.{option.text}") in text, (question.id, option.code)
        if question.evidence:
            assert squeezed(question.evidence) in text
    for scene in questionnaire.scenes:
        assert squeezed(scene.name) in text and all(squeezed(level) in text for level in scene.levels)
    for practice in questionnaire.practices:
        assert squeezed(f"实践{practice.id}（L{practice.level}）{practice.text}") in text
    assert TICKED not in text  # nothing is chosen on a blank form


def test_a_prefilled_form_ticks_exactly_what_the_visit_chose_and_names_the_visit_on_every_page():
    questionnaire = questionnaires()["plastics"]
    visit = PaperVisit(
        enterprise="【示例】揭阳市某塑胶有限公司", credit_code="91445200MA0000000X", stage="改造前诊断",
        assessment_id=12,
        values={"Q1": ["B", "C"], "Q5": "C", "Q2": {"digital": 12, "total": 40}, "scene:产品设计": 2,
                "practice:P01": True, "visit.date": "2026-11-20", "visit.consultants": ["顾问甲"]},
        notes={"Q5": "ERP 截图已看"},
    )  # fmt: skip
    pdf = paper_pdf(questionnaire, visit)
    text = text_of(pdf)

    q1, q5 = questionnaire.question("Q1"), questionnaire.question("Q5")
    ticked = [f"{TICKED}B.{q1.option('B').text}", f"{TICKED}C.{q1.option('C').text}",
              f"{TICKED}C.{q5.option('C').text}", f"{TICKED}{questionnaire.scene_level_names[2]}",
              f"{TICKED}实践P01"]  # fmt: skip
    assert all(squeezed(mark) in text for mark in ticked)
    assert text.count(TICKED) == len(ticked)
    assert "备注：ERP截图已看" in text and "数字化设备数12台" in text and "走访日期：2026-11-20" in text
    pages = pages_of(pdf)
    assert len(pages) > 3
    assert all("【示例】揭阳市某塑胶有限公司改造前诊断（评测编号12）" in page for page in pages)
