"""Evidence files and transformation projects, on both databases."""

from __future__ import annotations

import hashlib

import pytest

from diagnose.services import assessments as visits
from diagnose.services.errors import ValidationFailed
from diagnose.services.projects import projects_of, record_project
from diagnose.store import records
from diagnose.store.tables import evidence
from diagnose.visit.evidence import MAX_EVIDENCE_BYTES, file_path

from .helpers import ADMIN, new_enterprise, project_data

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100


@pytest.fixture
def draft(consultant, store, questionnaires):
    return visits.start_assessment(store, consultant, new_enterprise(store), "baseline", questionnaires)


def test_a_photo_is_kept_outside_the_row_under_its_hash(consultant, store, draft):
    evidence_id = visits.attach_evidence(store, consultant, draft, "Q3", "车间/设备台账.png", PNG)

    [row] = visits.load(store, consultant, draft).evidence
    digest = hashlib.sha256(PNG).hexdigest()
    assert (row["id"], row["item"], row["filename"], row["sha256"], row["size"]) == (
        evidence_id,
        "Q3",
        "设备台账.png",
        digest,
        len(PNG),
    )
    assert file_path(store.evidence_dir, digest).read_bytes() == PNG


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("setup.exe", b"MZ" + b"0" * 10, "不支持的文件类型“.exe”"),
        ("台账.pdf", b"MZ" + b"0" * 10, "文件内容与扩展名“.pdf”不符"),
        ("空.png", b"", "文件是空的"),
        ("huge.pdf", b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES, "文件过大（20.0 MB）"),
    ],
)
def test_a_forbidden_file_is_refused_and_nothing_is_stored(consultant, store, draft, filename, content, message):
    with pytest.raises(ValidationFailed, match=message):
        visits.attach_evidence(store, consultant, draft, "Q3", filename, content)

    with store.read() as conn:
        assert records.count(conn, evidence) == 0
    assert not store.evidence_dir.exists() or not any(store.evidence_dir.rglob("*"))


def test_evidence_for_an_unknown_item_is_refused(consultant, store, draft):
    with pytest.raises(ValidationFailed, match="未知条目"):
        visits.attach_evidence(store, consultant, draft, "Q99", "a.pdf", PDF)


def test_a_project_keeps_its_itemised_prices(store):
    enterprise_id = new_enterprise(store)
    gateway = {"name": "设备联网网关安装（清单外）", "quantity": 12, "unit": "台", "unit_price": 1500}
    data = project_data(items=[{"product_id": "S001", "quantity": 2}, gateway])

    record_project(store, ADMIN, enterprise_id, data)

    [project] = projects_of(store, ADMIN, enterprise_id)
    assert project["funded"] is True and project["finished_on"].isoformat() == "2025-09-30"
    assert sum(i["quantity"] * i["unit_price"] for i in project["items"]) == 2 * 6800 + 12 * 1500


def test_a_bad_project_names_each_problem_and_stores_nothing(store):
    enterprise_id = new_enterprise(store)
    data = project_data(provider="", started_on="2025-05-01", finished_on="2025-01-01",
                        items=[{"name": "", "quantity": -1, "unit_price": "贵"}])  # fmt: skip

    with pytest.raises(ValidationFailed) as refused:
        record_project(store, ADMIN, enterprise_id, data)

    assert [p.place for p in refused.value.problems] == [
        "provider",
        "finished_on",
        "items[0].quantity",
        "items[0].name",
        "items[0].unit_price",
    ]
    assert projects_of(store, ADMIN, enterprise_id) == []
