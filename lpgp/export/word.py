"""Building Word documents in the NHS.UK look with python-docx: styles, headings, tables.

Tables mark their header row (repeated on each page, read as headers by screen readers) and
pictures carry alt text, so the Word exports are as accessible as the HTML ones.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .text import xml_safe

NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
NHS_TEXT = RGBColor(0x21, 0x2B, 0x32)
FONT = "Arial"


def new_document(title: str, subject: str) -> DocumentType:
    """A blank A4 document with Arial text, NHS-blue headings, British English and a title."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = NHS_TEXT
    _set_language(normal, "en-GB")
    for level, size in ((0, 22), (1, 16), (2, 13)):
        style = doc.styles["Title" if level == 0 else f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = NHS_BLUE
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
    props = doc.core_properties
    props.title = xml_safe(title)
    props.subject = xml_safe(subject)
    props.language = "en-GB"
    props.author = "lpgp"
    return doc


def _set_language(style, lang: str) -> None:  # noqa: ANN001 (python-docx style object)
    rpr = style.element.get_or_add_rPr()
    node = OxmlElement("w:lang")
    node.set(qn("w:val"), lang)
    rpr.append(node)


def heading(doc: DocumentType, text: str, level: int) -> None:
    """A real Word heading (Title for level 0), so the navigation pane and readers see it."""
    doc.add_heading(xml_safe(text), level=level)


def paragraph(doc: DocumentType, text: str, *, bold_prefix: str | None = None) -> None:
    """A paragraph, optionally starting with a bold label such as ``Lead:``."""
    para = doc.add_paragraph()
    if bold_prefix:
        para.add_run(xml_safe(bold_prefix) + " ").bold = True
    para.add_run(xml_safe(text))


def bullet(doc: DocumentType, text: str) -> None:
    """A bulleted line."""
    doc.add_paragraph(xml_safe(text), style="List Bullet")


def table(
    doc: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float] | None = None,
) -> None:
    """A table whose first row is a marked, repeating header row."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    header = grid.rows[0]
    _mark_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(xml_safe(text))
        run.bold = True
        _shade(cell, "E8EDEE")
    for values in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = xml_safe(text)
    if widths_cm:
        for row in grid.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    doc.add_paragraph()


def _mark_header(row) -> None:  # noqa: ANN001 (python-docx row object)
    trpr = row._tr.get_or_add_trPr()
    node = OxmlElement("w:tblHeader")
    node.set(qn("w:val"), "true")
    trpr.append(node)


def _shade(cell, fill: str) -> None:  # noqa: ANN001 (python-docx cell object)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def picture(doc: DocumentType, png: bytes, alt: str, width_cm: float = 16) -> None:
    """A picture with its alt text set where Word and screen readers look for it."""
    shape = doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
    shape._inline.docPr.set("descr", xml_safe(alt))
    shape._inline.docPr.set("title", "Chart")


def to_bytes(doc: DocumentType) -> bytes:
    """The finished .docx file as bytes."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
