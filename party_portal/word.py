"""The Party's administrative document in Word (python-docx): the layout of Hướng dẫn 36-HD/VPTW (2018) on the
Party's documents, with the page of Nghị định 30/2020/NĐ-CP, generic for every report the portal writes as .docx.

    doc = word.Document()
    doc.letterhead(committee="TỈNH ỦY …", board="BAN TỔ CHỨC", number="Số 12-BC/BTCTU", date_line="…, ngày …")
    doc.title("BÁO CÁO", "Kết quả …")
    doc.heading("I. …"); doc.paragraph("…"); doc.table([...], [[...], ...])
    doc.closing(recipients=["Thường trực Tỉnh ủy (để báo cáo)", …], on_behalf="T/M BAN TỔ CHỨC", position="…")
    content = doc.to_bytes()

Every text goes into the document as the text of a run: nothing a user typed is read as a field code, a formula or
markup. Characters XML cannot hold (controls) are dropped, and a line break in a typed text starts a new paragraph.
"""

import io
import re

import docx
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

FONT_NAME = "Times New Roman"
# Hướng dẫn 36-HD/VPTW: body 13–14 pt, A4, margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
BODY_SIZE = Pt(14)
SMALL_SIZE = Pt(12)  # the header's left block and the recipients list
TABLE_SIZE = Pt(11)  # a table of many columns still fits the page width at this size
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
FIRST_LINE_INDENT = Mm(10)
# XML 1.0 holds no C0 control other than tab, line feed and carriage return (nor the two non-characters below).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(text):
    """`text` as a string the document can hold: None as empty, controls dropped."""
    return _NOT_XML.sub("", "" if text is None else str(text))


def lines(text):
    """A typed text's non-empty lines (each becomes a paragraph)."""
    return [line.strip() for line in plain(text).replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def _font(run, *, size=None, bold=False, italic=False, underline=False):
    run.font.name = FONT_NAME
    # Word picks the font of Vietnamese letters from the East Asian and complex-script slots too.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs", "w:hAnsi"):
        fonts.set(qn(slot), FONT_NAME)
    run.font.size = size or BODY_SIZE
    run.font.bold, run.font.italic, run.font.underline = bold, italic, underline
    return run


def _spacing(paragraph, *, before=0, after=0, line=None):
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if line is not None:
        paragraph.paragraph_format.line_spacing = line


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _set_widths(table, widths):
    """Column widths that Word and LibreOffice both keep: the grid's and every cell's, autofit off."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


class Document:
    """One administrative document being written, top to bottom."""

    def __init__(self):
        self.doc = docx.Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        # python-docx's template carries a thumbnail of a blank page and names itself the author: neither is ours.
        package = self.doc.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[rel_id]
        self.doc.core_properties.author = ""
        self.doc.core_properties.comments = ""
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = FONT_NAME, BODY_SIZE
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)

    @property
    def text_width(self):
        section = self.doc.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def _line(self, cell_or_doc, text, *, align=WD_ALIGN_PARAGRAPH.CENTER, first=False, **font):
        paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
        paragraph.alignment = align
        _spacing(paragraph)
        _font(paragraph.add_run(plain(text)), **font)
        return paragraph

    def letterhead(self, *, committee, board="", number="", date_line=""):
        """The two-column header: the issuing body, its board (bold), "*" and the number at the left; "ĐẢNG CỘNG
        SẢN VIỆT NAM" (bold, underlined) and the place and date (italic) at the right."""
        self.doc.core_properties.author = plain(board or committee)
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        left, right = table.rows[0].cells
        _set_widths(table, [Mm(75), self.text_width - Mm(75)])
        self._line(left, committee, first=True, size=SMALL_SIZE)
        if board:
            self._line(left, board, bold=True, size=SMALL_SIZE)
        self._line(left, "*", size=SMALL_SIZE)
        if number:
            self._line(left, number, size=SMALL_SIZE)
        self._line(right, _("COMMUNIST PARTY OF VIETNAM"), first=True, bold=True, underline=True, size=Pt(13))
        self._line(right, "")
        if date_line:
            self._line(right, date_line, italic=True, size=Pt(13))
        return table

    def title(self, title, subtitle=""):
        """The centred title (the kind of document, bold) and what it is about (bold)."""
        self.doc.core_properties.title = plain(" ".join([title, *lines(subtitle)]))[:255]
        paragraph = self._line(self.doc, title, bold=True, size=Pt(15))
        _spacing(paragraph, before=18)
        for line in lines(subtitle):
            self._line(self.doc, line, bold=True)
        self._line(self.doc, "-----", size=Pt(11))

    def heading(self, text):
        paragraph = self._line(self.doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=True)
        _spacing(paragraph, before=6, after=3)
        paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def paragraph(self, text, *, bold=False, italic=False, indent=True):
        """Body text: justified, first line indented; one paragraph per line of `text`."""
        written = []
        for line in lines(text) or [""]:
            paragraph = self._line(self.doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=bold, italic=italic)
            _spacing(paragraph, after=3, line=1.15)
            if indent:
                paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
            written.append(paragraph)
        return written

    def table(self, header, rows, *, widths=None, numeric=()):
        """A grid table: a bold header row repeated on every page, then the rows; `numeric` columns align right.
        Cells are texts (already formatted: numbers with the decimal comma); a row shorter than the header ends
        with a cell spanning the rest (e.g. "no figures" across the figure columns)."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_header(table.rows[0])
        for cell, label in zip(table.rows[0].cells, header, strict=True):
            self._line(cell, label, first=True, bold=True, size=TABLE_SIZE)
        if widths:
            _set_widths(table, [Mm(width) for width in widths])
        for values in rows:
            cells = table.add_row().cells
            spans = len(values) < len(header)
            if spans:
                # A short row: its last cell spans the remaining columns, its text centred.
                cells = [*cells[: len(values) - 1], cells[len(values) - 1].merge(cells[-1])]
            for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                align = WD_ALIGN_PARAGRAPH.RIGHT if index in numeric else WD_ALIGN_PARAGRAPH.LEFT
                if spans and index == len(values) - 1:
                    align = WD_ALIGN_PARAGRAPH.CENTER
                self._line(cell, value, first=True, align=align, size=TABLE_SIZE)
        self.doc.add_paragraph()
        return table

    def closing(self, *, recipients, on_behalf, position, signer=""):
        """ "Nơi nhận:" (bold italic) with its list ending "- Lưu VT." at the left; the signature block at the right:
        on whose behalf, the signer's position, room to sign, the signer's name."""
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        left, right = table.rows[0].cells
        _set_widths(table, [Mm(80), self.text_width - Mm(80)])
        self._line(
            left, _("Recipients:"), first=True, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=SMALL_SIZE
        )
        for recipient in [*recipients, _("Archived: office (VT).")]:
            self._line(left, f"- {recipient}", align=WD_ALIGN_PARAGRAPH.LEFT, size=Pt(11))
        self._line(right, on_behalf, first=True, bold=True)
        self._line(right, position, bold=True)
        for _blank in range(4):
            self._line(right, "")
        self._line(right, signer, bold=True)
        return table

    def to_bytes(self):
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def text_of(content):
    """Every paragraph's text of a .docx, tables included, in document order, one per line (tests, checks)."""
    document = docx.Document(io.BytesIO(content))
    found = []

    def walk(container):
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)
            else:
                found.append(block.text)

    walk(document)
    return "\n".join(found)
