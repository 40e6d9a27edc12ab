"""The appointment letter (聘书) of a global talent ambassador: one portrait A4 page."""

from datetime import date

from django.utils.translation import gettext as _
from reportlab.pdfbase.pdfmetrics import stringWidth

from sanlian.core import pdf

from .models import Ambassador

RED = (0.72, 0.11, 0.11)
BODY_SIZE = 16
INDENT = "\u3000\u3000"  # two ideographic spaces


def chinese_date(value: date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


def wrap(value: str, width: float, size: float) -> list[str]:
    """Lines of `value` no wider than `width` points in the CJK font (Chinese text breaks anywhere)."""
    lines, line = [], ""
    for char in value:
        if stringWidth(line + char, pdf.FONT, size) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def letter_paragraphs(ambassador: Ambassador) -> list[str]:
    town = ambassador.town.name
    paragraphs = [
        _("兹聘请 %(name)s 为%(town)s全球引才大使。") % {"name": ambassador.name, "town": town},
        _("聘期自 %(start)s 至 %(end)s。")
        % {"start": chinese_date(ambassador.term_start_date), "end": chinese_date(ambassador.term_end_date)},
        _("联络领域:%(field)s") % {"field": ambassador.field},
        _("联络地区:%(region)s") % {"region": ambassador.overseas_region},
    ]
    if ambassador.organisation:
        paragraphs.insert(2, _("所在机构:%(organisation)s") % {"organisation": ambassador.organisation})
    return paragraphs


def appointment_letter_pdf(ambassador: Ambassador) -> bytes:
    """The letter's PDF: title, letter number, the appointment, the term, the field, the issuing town and date."""
    town = ambassador.town.name

    def draw(canvas, width, height):
        margin = 36
        canvas.setStrokeColorRGB(*RED)
        canvas.setLineWidth(3)
        canvas.rect(margin, margin, width - 2 * margin, height - 2 * margin)
        canvas.setLineWidth(0.8)
        canvas.rect(margin + 8, margin + 8, width - 2 * margin - 16, height - 2 * margin - 16)

        canvas.setFillColorRGB(*RED)
        pdf.text(canvas, _("聘 书"), width / 2, height - 170, size=44, align="centre")
        canvas.setFillColorRGB(0, 0, 0)
        pdf.text(canvas, _("聘书编号:%(number)s") % {"number": ambassador.letter_number},
                 width - 90, height - 100, size=11, align="right")  # fmt: skip

        left, right = 90, width - 90
        y = height - 260
        for i, paragraph in enumerate(letter_paragraphs(ambassador)):
            # The appointment itself opens like a letter's first paragraph, indented by two characters.
            for line in wrap(INDENT + paragraph if i == 0 else paragraph, right - left, BODY_SIZE):
                pdf.text(canvas, line, left, y, size=BODY_SIZE)
                y -= BODY_SIZE * 1.9
            y -= BODY_SIZE * 0.6
        pdf.text(canvas, INDENT + _("特发此聘书。"), left, y - BODY_SIZE, size=BODY_SIZE)

        pdf.text(canvas, town, right, 200, size=BODY_SIZE, align="right")
        pdf.text(canvas, chinese_date(ambassador.appointed_date), right, 170, size=BODY_SIZE, align="right")

    title = _("全球引才大使聘书 %(number)s") % {"number": ambassador.letter_number}
    return pdf.render(draw, pagesize=pdf.PORTRAIT, title=title)
