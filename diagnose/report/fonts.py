"""Where the CJK font is (Debian's fonts-noto-cjk; make test installs it), and the faces a report embeds.

A PDF embeds only the glyphs it draws, cut out of the font when the PDF is written. Out of the
whole Noto Sans CJK face (65,535 CFF glyphs) that costs about 0.8 s per face and document, so
``report_faces`` first cuts each face down, once per machine: the regular face to the characters
reports draw almost always — GB 2312 (its 6,763 hanzi and its symbols), ASCII, Latin-1, general
punctuation and symbols, CJK punctuation and full-width forms, 7,900 glyphs — and the bold face
to the report's own bold wording; both get TrueType outlines, which are cut per document by
copying bytes instead of running each glyph's program. Cutting takes about 15 s a face; the
cut faces are kept in the cache folder (``DIAGNOSE_CACHE_DIR``, else ``$XDG_CACHE_HOME/diagnose``
or ``~/.cache/diagnose``; a temporary folder of the process when none is writable), and the app
cuts them in the background when it starts. A document that draws a character outside them is
drawn again from the whole faces (``whole_faces``), so nothing the font has is drawn as a box.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from diagnose.problems import ProblemsError

KNOWN = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)
# in the .ttc collection face 2 is Simplified Chinese (face 0 is Japanese)
SIMPLIFIED_CHINESE_FACE = 2
# raise when the characters kept change, so faces cut by an earlier version are not used
CUT_VERSION = 2


class FontMissing(RuntimeError):
    """No Noto Sans CJK font on this machine; the message says what to install."""


class Face(NamedTuple):
    """One face of a font file: the file and the face's number in it (0 for a plain .otf)."""

    path: Path
    number: int


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


def whole_faces() -> tuple[Face, Face]:
    """(regular, bold) Simplified Chinese faces of the whole collections; raises FontMissing."""
    regular, bold = cjk_font_paths()
    return Face(regular, SIMPLIFIED_CHINESE_FACE), Face(bold, SIMPLIFIED_CHINESE_FACE)


_cutting = threading.Lock()


@cache
def report_faces(bold_wording: str = "") -> tuple[Face, Face]:
    """(regular, bold) faces cut down from the whole ones, from the cache folder or cut now (once per
    machine, ~20 s a face); raises FontMissing. The regular face keeps ``kept_characters()``; the bold
    one, when ``bold_wording`` is given (everything a report writes in bold is its own wording:
    title, headings, labels), keeps only its characters, ASCII and punctuation, which makes it
    nearly free to embed. Safe to call from several threads and processes at once: a face is
    written under a temporary name and renamed into place."""
    regular, bold = whole_faces()
    bold_kept = kept_characters() if not bold_wording else frozenset(map(ord, bold_wording)) | _SYMBOLS
    with _cutting:
        return _cut_face(regular, kept_characters()), _cut_face(bold, bold_kept)


def prepare_in_background(wording: Callable[[], str]) -> None:
    """Start ``report_faces(wording())`` in a daemon thread, so the first report a server builds does
    not wait for the faces to be cut. A missing font or a broken questionnaire is left for that
    report to say."""

    def prepare() -> None:
        with contextlib.suppress(FontMissing, ProblemsError):
            report_faces(wording())

    threading.Thread(target=prepare, name="report-faces", daemon=True).start()


@cache
def drawable_by_whole_face() -> frozenset[int]:
    """Every character the whole regular face has a glyph for (read once per process, when a
    report first draws a character the cut faces lack)."""
    from fontTools import ttLib

    regular = whole_faces()[0]
    font = ttLib.TTFont(regular.path, fontNumber=regular.number, lazy=True)
    return frozenset(font.getBestCmap())


_SYMBOLS = frozenset(
    code
    for start, end in ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2C00), (0x3000, 0x3040), (0xFF00, 0xFFF0))
    for code in range(start, end)
)


@cache
def kept_characters() -> frozenset[int]:
    """What the regular cut face keeps: GB 2312's characters, ASCII, Latin-1, general punctuation
    to miscellaneous symbols (→ √ × ★ ≤), CJK punctuation and full-width forms."""
    gb2312 = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                gb2312.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return frozenset(gb2312) | _SYMBOLS


def _cut_face(whole: Face, kept: frozenset[int]) -> Face:
    stat = whole.path.stat()
    characters = ",".join(map(str, sorted(kept)))
    source = f"{whole.path}|{stat.st_size}|{stat.st_mtime_ns}|{whole.number}|{CUT_VERSION}"
    key = hashlib.sha256(f"{source}|{characters}".encode())
    folder = _cache_folder()
    cut = folder / f"{whole.path.stem}-{whole.number}-{key.hexdigest()[:16]}.ttf"
    if cut.exists():
        return Face(cut, 0)
    with _one_process_cutting(folder):
        if not cut.exists():  # another process may have cut it while this one waited
            _cut(whole, kept, cut)
    return Face(cut, 0)


@contextlib.contextmanager
def _one_process_cutting(folder: Path):
    # app processes and test workers starting together would each spend half a minute of CPU on
    # the same face; one cuts, the others wait for its file (a lock on the folder's lock file)
    with open(folder / ".cutting.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _cut(whole: Face, kept: frozenset[int], cut: Path) -> None:
    """Cut ``whole`` down to ``kept`` with TrueType outlines into ``cut`` (written whole, then renamed)."""
    from fontTools import subset, ttLib

    # bounding boxes are kept from the whole font, not recomputed from every glyph's
    # outline (most of the time of a save); a box larger than the glyphs drawn is harmless
    font = ttLib.TTFont(whole.path, fontNumber=whole.number, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    options = subset.Options(notdef_outline=True, recommended_glyphs=True, layout_features=[], name_IDs=["*"])
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH"]  # fpdf2 drops them from the PDF anyway
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=kept)
    cutter.subset(font)
    _to_truetype(font)
    partial = cut.with_name(f".{cut.name}.{os.getpid()}.{threading.get_ident()}")
    font.save(partial)
    os.replace(partial, cut)


def _to_truetype(font) -> None:
    """Give ``font`` quadratic (TrueType, glyf) outlines in place of its CFF ones, within one font
    unit: cutting a few hundred glyphs out of a glyf table copies their bytes, out of a CFF table
    it runs every glyph's program (0.2 s per face and document)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order, outlines = font.getGlyphOrder(), font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(outlines)
        outlines[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["post"].formatType = 3.0  # no glyph names: a CID font has none worth keeping
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True  # glyf needs each glyph's box; maxp's counts are computed on save


@cache
def _cache_folder() -> Path:
    configured, xdg = os.environ.get("DIAGNOSE_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME")
    try:
        folder = Path(configured) if configured else Path(xdg or Path.home() / ".cache") / "diagnose"
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        pass
    # nowhere to keep them: this process cuts them for itself and removes them when it ends
    own = Path(tempfile.mkdtemp(prefix="diagnose-fonts-"))
    atexit.register(shutil.rmtree, own, ignore_errors=True)
    return own


def _fc_list(name: str) -> list[str]:
    try:
        listed = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True, check=False)
    except OSError:
        return []
    return [line for line in listed.stdout.splitlines() if line.endswith(name)]
