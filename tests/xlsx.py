"""Reading an exported workbook in tests: the response is streamed, so its bytes are joined first."""

from io import BytesIO

from openpyxl import load_workbook


def xlsx_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response, sheet: int = 0) -> list[tuple]:
    """The rows of one sheet of the response's workbook, header first."""
    return workbook_rows(xlsx_bytes(response), sheet)


def workbook_rows(content: bytes, sheet: int = 0) -> list[tuple]:
    book = load_workbook(BytesIO(content), read_only=True)
    rows = list(book.worksheets[sheet].iter_rows(values_only=True))
    width = max((len(row) for row in rows), default=0)
    return [tuple(row) + (None,) * (width - len(row)) for row in rows]  # blank trailing cells are not stored
