"""``diagnose report --all``: every scored enterprise of a district or an industry into a folder, with progress."""

from __future__ import annotations

import io
import subprocess

import pytest

from diagnose.cli.commands import main
from diagnose.cli.reports import Progress, file_name
from diagnose.services import assessments as visits

from .helpers import fill_visit, new_enterprise, profile, user


def scored(store, questionnaires, seed: int, **overrides) -> int:
    consultant = user(store, "顾问甲")
    enterprise = new_enterprise(store, seed=seed, **overrides)
    draft = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires)
    fill_visit(store, draft)
    visits.submit(store, consultant, draft)
    return enterprise


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def test_all_reports_of_a_district_are_written_named_by_code_and_name_and_the_unscored_counted(
    store, questionnaires, tmp_path, capsys
):
    scored(store, questionnaires, 1, district="普宁市")
    scored(store, questionnaires, 2, district="普宁市", name="揭阳/普宁:测试*塑胶")  # unsafe in a file name
    scored(store, questionnaires, 3, district="榕城区")  # another district: left out
    new_enterprise(store, seed=4, district="普宁市")  # nothing scored: counted, no report
    out = tmp_path / "reports" / "普宁"  # made, parents too

    code = main(["report", "--all", "--district", "普宁市", "--out", str(out), "--jobs", "1", "--database", store.url])

    assert code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([f"{profile(1)['credit_code']}-揭阳测试塑胶制品有限公司1.pdf",
                              f"{profile(2)['credit_code']}-揭阳_普宁_测试_塑胶.pdf"])  # fmt: skip
    assert "揭阳/普宁:测试*塑胶" in text_of(out / written[1]).replace(" ", "")
    captured = capsys.readouterr()
    assert f"已生成 2 份报告到 {out}" in captured.out and "1 家尚无已计分的评测，未生成" in captured.out
    assert "[####################] 2/2 100%" in captured.err  # the last progress line


@pytest.mark.parametrize(
    ("arguments", "located"),
    [
        (["91445200MA4UXXXX0X", "--all"], "report: USCC: 与 --all 不能同时给出"),
        ([], "report: USCC: 请给出企业的统一社会信用代码，或用 --all 批量生成"),
        (["91445200MA4UXXXX0X", "--district", "普宁市"], "report: --district: 只能与 --all 同用"),
        (["--all", "--district", "广州市"], "report: --district: “广州市”不是揭阳的区县"),
        (["--all", "--industry", "化工"], "report: --industry: “化工”不是试点行业"),
        (["--all", "--jobs", "0"], "report: --jobs: 进程数须在 1 到 64 之间，不是 0"),
        (["91445200MA4UXXXX0X"], "report: --out: 报告是 PDF：文件名应以 .pdf 结尾，不是“out”"),
        (["91445200MA4UXXXX0X", "--html", "报告.txt"], "report: --html: 文件名应以 .html 结尾，不是“报告.txt”"),
    ],
    ids=[
        "code-and-all",
        "neither",
        "district-alone",
        "unknown-district",
        "unknown-industry",
        "no-jobs",
        "out-not-pdf",
        "html-not-html",
    ],  # fmt: skip
)
def test_a_wrong_report_call_is_a_located_usage_error_before_the_database_is_opened(
    tmp_path, capsys, arguments, located
):
    database = tmp_path / "never-opened.db"

    code = main(["report", *arguments, "--out", str(tmp_path / "out"), "--database", f"sqlite:///{database}"])

    assert code == 2 and located in capsys.readouterr().err
    assert not database.exists()


def test_a_file_where_the_folder_should_be_is_refused(tmp_path, capsys):
    (tmp_path / "out").write_text("")

    code = main(["report", "--all", "--out", str(tmp_path / "out"), "--database", f"sqlite:///{tmp_path / 'x.db'}"])

    assert code == 1 and "out: 已存在同名文件，请给出文件夹" in capsys.readouterr().err


def test_a_file_name_keeps_the_code_and_drops_what_no_file_system_allows():
    name = file_name({"credit_code": "91445200MA4UXXXX0X", "name": 'A/B\\C:D*E?F"G<H>I|J\tK' + "长" * 80})
    assert name == "91445200MA4UXXXX0X-A_B_C_D_E_F_G_H_I_J_K" + "长" * 39 + ".pdf"


def test_progress_written_to_a_log_is_one_line_per_tenth_and_the_last():
    log = io.StringIO()
    progress = Progress(25, log)
    for _ in range(25):
        progress.step()
    progress.finish()
    lines = log.getvalue().splitlines()
    assert [line.split("]")[1].split()[0] for line in lines] == [
        "3/25", "5/25", "8/25", "10/25", "13/25", "15/25", "18/25", "20/25", "23/25", "25/25",
    ]  # fmt: skip
    assert lines[-1].startswith("[####################] 25/25 100%")


def test_the_reports_of_a_district_come_in_one_zip_for_whoever_may_read_them(store, questionnaires, monkeypatch):
    import zipfile

    from diagnose.services import report
    from diagnose.services.errors import ValidationFailed

    from .helpers import ADMIN, OFFICIAL

    scored(store, questionnaires, 1, district="普宁市")
    scored(store, questionnaires, 2, district="普宁市", name="揭阳/普宁:测试*塑胶")
    scored(store, questionnaires, 3, district="榕城区")
    new_enterprise(store, seed=4, district="普宁市")
    steps = []

    made, count, unscored = report.reports_zip(store, OFFICIAL, district="普宁市",
                                               progress=lambda done, total: steps.append((done, total)))  # fmt: skip

    names = zipfile.ZipFile(io.BytesIO(made)).namelist()
    assert (count, unscored, steps) == (2, 1, [(1, 2), (2, 2)])
    assert sorted(names) == sorted(file_name(e) for e in report.reportable(store, OFFICIAL, district="普宁市")[0])
    assert all(zipfile.ZipFile(io.BytesIO(made)).read(n).startswith(b"%PDF-") for n in names)
    stranger = user(store, "顾问乙")  # assigned to none of them: nothing to build, nothing built
    with pytest.raises(ValidationFailed, match="没有已计分的企业"):
        report.reports_zip(store, stranger, district="普宁市")
    monkeypatch.setattr(report, "MAX_AT_ONCE", 2)
    with pytest.raises(ValidationFailed, match="所选范围有 3 家企业，网页一次最多生成 2 份报告"):
        report.reports_zip(store, ADMIN)
