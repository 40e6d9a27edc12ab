"""PDF building blocks of the platform's documents: talent certificates and letters, community certificates.

ReportLab's built-in CJK font (STSong-Light, an Adobe CID font every PDF reader has) needs no font
file and no network; QR codes are drawn by segno as vector squares, so they stay sharp when printed.
"""

import io
from collections.abc import Callable
from functools import cache

import segno
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
PORTRAIT = A4
LANDSCAPE = landscape(A4)


@cache
def _register_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def render(draw: Callable[[Canvas, float, float], None], *, pagesize=PORTRAIT, title: str = "") -> bytes:
    """The bytes of a one-page PDF that `draw(canvas, width, height)` paints."""
    _register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Sanlian")
    width, height = pagesize
    draw(canvas, width, height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# Characters the built-in CJK font lacks, drawn as the nearest glyph it has (a middle dot would be a box).
MISSING_GLYPHS = str.maketrans({"\u00b7": "\u30fb"})


def text(canvas: Canvas, value: str, x: float, y: float, size: float = 12, align: str = "left") -> None:
    """One line of text in the CJK font; `align` is left, centre or right of x."""
    canvas.setFont(FONT, size)
    value = value.translate(MISSING_GLYPHS)
    if align == "centre":
        canvas.drawCentredString(x, y, value)
    elif align == "right":
        canvas.drawRightString(x, y, value)
    else:
        canvas.drawString(x, y, value)


def qr_code(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code of `data` with its lower-left corner at (x, y), `size` points wide, quiet zone included."""
    qr = segno.make(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                path.rect(x + c * module, y + size - (r + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
