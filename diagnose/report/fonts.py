"""Where the CJK font is: Debian's fonts-noto-cjk (make test installs it)."""

from __future__ import annotations

import glob
import subprocess
from pathlib import Path

KNOWN = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)
# in the .ttc collection face 2 is Simplified Chinese (face 0 is Japanese)
SIMPLIFIED_CHINESE_FACE = 2


class FontMissing(RuntimeError):
    """No Noto Sans CJK font on this machine; the message says what to install."""


def cjk_font_paths() -> tuple[Path, Path]:
    """(regular, bold) Noto Sans CJK collections; raises FontMissing with what to install."""
    regular, bold = (Path(p) for p in KNOWN)
    if not regular.exists():
        found = _fc_list("NotoSansCJK-Regular.ttc") or glob.glob("/usr/share/fonts/**/NotoSansCJK-Regular.ttc",
                                                                   recursive=True)  # fmt: skip
        if not found:
            raise FontMissing("找不到中文字体 Noto Sans CJK：请安装 fonts-noto-cjk（make test 会自动安装）")
        regular = Path(found[0])
        bold = regular.with_name("NotoSansCJK-Bold.ttc")
    return regular, bold if bold.exists() else regular


def _fc_list(name: str) -> list[str]:
    try:
        listed = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True, check=False)
    except OSError:
        return []
    return [line for line in listed.stdout.splitlines() if line.endswith(name)]
