"""The record a use case acts on, or NotFound naming the one that is missing."""

from __future__ import annotations

from diagnose.services.errors import NotFound
from diagnose.store import Transaction, records


def enterprise_row(conn: Transaction, enterprise_id: int) -> dict:
    """The enterprise's row; raises NotFound naming the missing id."""
    row = records.enterprise_by_id(conn, enterprise_id)
    if row is None:
        raise NotFound(f"企业 {enterprise_id} 不存在")
    return row


def assessment_row(conn: Transaction, assessment_id: int) -> dict:
    """The assessment's row; raises NotFound naming the missing id."""
    row = records.assessment_by_id(conn, assessment_id)
    if row is None:
        raise NotFound(f"评测 {assessment_id} 不存在")
    return row


def kept_file(folder, row: dict, kind: str) -> bytes:
    """The bytes of a kept evidence file or document, or NotFound saying it has gone missing."""
    from diagnose.visit.evidence import kept_content

    try:
        return kept_content(folder, row)
    except FileNotFoundError:
        raise NotFound(f"{kind}“{row['filename']}”的文件已不在存储目录中，请联系管理员") from None
