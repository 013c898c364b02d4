"""Evidence files (photos, documents) per item: which types, how large, where they are kept."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# extension → (content type, how the file must begin): the name alone proves nothing
ALLOWED = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def clean_filename(filename: str) -> str:
    """The upload's name to show and keep: its last path part, control characters and slashes as ``_``,
    at most its last 200 characters (``文件`` if nothing is left)."""
    name = UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).strip() or "文件"
    return name[-200:]


def evidence_problem(filename: str, content: bytes) -> str | None:
    """Why this file cannot be kept as evidence, or None."""
    extension = Path(filename).suffix.lower()
    if extension not in ALLOWED:
        return f"不支持的文件类型“{extension or '无扩展名'}”：只接受 照片（JPG、PNG）和文档（PDF、DOCX、XLSX）"
    if not content:
        return "文件是空的"
    if len(content) > MAX_EVIDENCE_BYTES:
        return (
            f"文件过大（{len(content) / 1024 / 1024:.1f} MB），单个文件不超过 {MAX_EVIDENCE_BYTES // 1024 // 1024} MB"
        )
    if not content.startswith(ALLOWED[extension][1]):
        return f"文件内容与扩展名“{extension}”不符"
    return None


def content_type(filename: str) -> str:
    """The content type of the file's extension; KeyError for one not ALLOWED (``evidence_problem`` first)."""
    return ALLOWED[Path(filename).suffix.lower()][0]


def store_file(folder: Path, content: bytes) -> str:
    """Keep ``content`` under its SHA-256 (written whole or not at all); returns the hash."""
    digest = hashlib.sha256(content).hexdigest()
    target = folder / digest[:2] / digest
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, target)
    return digest


def file_path(folder: Path, digest: str) -> Path:
    """Where the file with SHA-256 ``digest`` is kept under ``folder`` (whether or not it is there)."""
    return folder / digest[:2] / digest


def kept_content(folder: Path, row: dict) -> bytes:
    """The bytes of a kept file (an evidence or document row with its ``sha256``); raises
    FileNotFoundError naming the file when it is no longer in the folder."""
    path = file_path(folder, row["sha256"])
    if not path.exists():
        raise FileNotFoundError(row["filename"])
    return path.read_bytes()
