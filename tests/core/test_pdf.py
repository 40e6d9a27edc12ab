"""The platform's PDF helpers: a middle dot, which the built-in CJK font lacks, is drawn as one it has."""

from reportlab.pdfgen.canvas import Canvas

from sanlian.core import pdf


class RecordingCanvas(Canvas):
    def __init__(self):
        super().__init__("/dev/null")
        self.drawn = []

    def drawString(self, x, y, text, *args, **kwargs):  # noqa: N802 (ReportLab's name)
        self.drawn.append(text)


def test_a_middle_dot_is_drawn_as_the_katakana_middle_dot_the_font_has():
    canvas = RecordingCanvas()
    pdf._register_font()

    pdf.text(canvas, "浦江'链'才·共潮生", 10, 10)

    assert canvas.drawn == ["浦江'链'才・共潮生"]


def test_render_gives_a_one_page_pdf():
    content = pdf.render(lambda canvas, w, h: pdf.text(canvas, "平面示意图 · 演示", 50, 50), title="测试")
    assert content.startswith(b"%PDF") and content.count(b"/Type /Page\n") + content.count(b"/Type /Page ") >= 1
