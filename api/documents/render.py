"""A document printed as PDF with fpdf2, in the layout of an official document (公文): the
issuer's red heading and rule, the 文号, the title, the addressee, the body and its tables,
the issuer and date, and the ledger's seal boxed at the end (its position on every page's
foot). The CJK font is embedded as a subset (a CID font), so the file reads the same on
any machine and its text can be searched and copied (``pdftotext``).
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from api.documents.fonts import DocumentFont
from api.documents.layout import Document, Heading, Paragraph, Table, chinese_date, seal_lines
from api.documents.line_breaks import break_lines

FAMILY = "cjk"
RED = (200, 16, 16)
HEAD_FILL = (235, 235, 235)
LINE = 6.5  # mm, body text
CELL = 5.5  # mm, table rows


class _Pdf(FPDF):
    """FPDF with the document's page foot."""

    foot = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.foot}    第 {self.page_no()} 页 共 {{nb}} 页", align="C")
        self.set_text_color(0, 0, 0)


def render(document: Document, font: DocumentFont) -> bytes:
    """The document as the bytes of a PDF file."""
    pdf = _Pdf(format="A4")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FAMILY, fname=str(font.regular.path), collection_font_number=font.regular.index)
    pdf.add_font(
        FAMILY, style="B", fname=str(font.bold.path), collection_font_number=font.bold.index
    )
    pdf.set_title(f"{document.title} {document.number}")
    pdf.set_author(document.issuer)
    pdf.set_creator("ledger document")
    seal = document.stamp.seal
    pdf.foot = f"{document.number}    台账印证位置 {seal.position}" if seal else document.number
    try:
        pdf.add_page()
        _heading(pdf, document)
        _text(pdf, document.addressee, LINE)
        for block in document.blocks:
            _block(pdf, block)
        _signature(pdf, document)
        _seal_box(pdf, document)
        return bytes(pdf.output())
    finally:
        for added in pdf.fonts.values():  # each holds its font file open
            close = getattr(added, "close", None)
            if close is not None:
                close()


def _heading(pdf: FPDF, document: Document) -> None:
    pdf.set_text_color(*RED)
    pdf.set_font(FAMILY, "B", 20)
    pdf.cell(0, 14, document.issuer, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=11)
    pdf.set_text_color(0, 0, 0)
    pdf.cell(0, 8, document.number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 10, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _text(pdf: FPDF, text: str, height: float, *, bold: bool = False, size: int = 12) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _block(pdf: FPDF, block: Heading | Paragraph | Table) -> None:
    if isinstance(block, Heading):
        pdf.ln(2)
        _text(pdf, block.text, LINE + 1, bold=True, size=13)
    elif isinstance(block, Paragraph):
        _indented(pdf, block.text)
    elif not block.rows:
        _indented(pdf, block.empty)
    else:
        _table(pdf, block)


def _indented(pdf: FPDF, text: str) -> None:
    """A paragraph, its first line indented by two characters (首行缩进), broken into lines
    as Chinese is (避头尾: ``api.documents.line_breaks``)."""
    pdf.set_font(FAMILY, size=12)
    indent = 2 * pdf.font_size
    for n, line in enumerate(break_lines(text, pdf.get_string_width, pdf.epw - indent, pdf.epw)):
        pdf.set_x(pdf.l_margin + (0 if n else indent))
        width = pdf.get_string_width(line)
        pdf.cell(width, LINE, line, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, table: Table) -> None:
    pdf.ln(1)
    pdf.set_font(FAMILY, size=9)
    head = FontFace(emphasis="BOLD", fill_color=HEAD_FILL)
    with pdf.table(
        col_widths=table.widths,
        headings_style=head,
        line_height=CELL,
        text_align="CENTER",
        v_align="MIDDLE",
        repeat_headings=1,
    ) as grid:
        grid.row(table.header)
        for row in table.rows:
            grid.row(row)
    pdf.ln(2)


def _signature(pdf: FPDF, document: Document) -> None:
    pdf.ln(6)
    pdf.set_font(FAMILY, size=12)
    for line in (document.issuer, chinese_date(document.dated)):
        pdf.cell(0, LINE, line, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _seal_box(pdf: FPDF, document: Document) -> None:
    """The seal's lines in a box, kept on one page."""
    lines = seal_lines(document.stamp)
    height = 5 * len(lines) + 8
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font(FAMILY, size=8)
    pdf.set_x(pdf.l_margin + 3)
    for line in lines:
        pdf.multi_cell(pdf.epw - 6, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(pdf.l_margin + 3)
    pdf.rect(pdf.l_margin, top - 2, pdf.epw, pdf.get_y() - top + 4)
