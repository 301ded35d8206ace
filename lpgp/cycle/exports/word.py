"""Building Word documents in the NHS.UK look with python-docx: styles, headings, tables.

Tables mark their header row (repeated on each page, read as headers by screen readers), keep
each row on one page and give each column a width that fits what it holds; pictures carry alt
text; every page is numbered "Page N of M". The Word exports are as accessible as the HTML ones.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from lpgp import clock, palette
from lpgp.cycle.exports.text import xml_safe
from lpgp.palette import bare

TEXT_WIDTH_CM = 17.0  # A4 less two 2 cm margins
NHS_BLUE = RGBColor.from_string(bare(palette.NHS_BLUE))
NHS_TEXT = RGBColor.from_string(bare(palette.TEXT))
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
    # The blank template carries its own dates from years ago: a document is made now.
    made = clock.now().astimezone(UTC).replace(microsecond=0, tzinfo=None)  # stored as UTC
    props.created = props.modified = made
    props.last_modified_by = "lpgp"
    props.revision = 1
    _page_numbers(section)
    return doc


def _field(paragraph: Paragraph, code: str) -> None:
    """A field Word fills in as it lays the document out, such as the page number."""
    node = OxmlElement("w:fldSimple")
    node.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    node.append(run)
    paragraph._p.append(node)


def _page_numbers(section: Section) -> None:
    """ "Page N of M" at the foot of every page, on the right."""
    foot = section.footer.paragraphs[0]
    foot.alignment = 2  # right
    foot.add_run("Page ")
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")
    for run in foot.runs:
        run.font.size = Pt(9)


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    total_cm: float = TEXT_WIDTH_CM,
    least_cm: float = 1.8,
) -> list[float]:
    """Column widths (cm) that share the page by what each column holds: its longest word
    and its typical length, so a title gets room and a date or a count does not (pure).

    >>> column_widths(["Candidate", "Shortlisted", "Chosen"], [["A long candidate title here",
    ...     "Yes", "No"]], total_cm=17)
    [10.4, 4.2, 2.3]
    """
    weights = []
    for col, head in enumerate(headers):
        cells = [str(r[col]) for r in rows] + [head]
        longest_word = max(len(w) for c in cells for w in (c.split() or [""]))
        typical = sorted(len(c) for c in cells)[len(cells) // 2]
        weights.append(max(longest_word, min(typical, 60), 4))
    raw = [total_cm * w / sum(weights) for w in weights]
    lifted = [max(least_cm, w) for w in raw]
    spare = sum(lifted) - total_cm
    if spare > 0:  # take what the narrow columns were lifted by from the wide ones
        wide = [i for i, w in enumerate(lifted) if w > least_cm]
        share = sum(lifted[i] - least_cm for i in wide) or 1.0
        for i in wide:
            lifted[i] -= spare * (lifted[i] - least_cm) / share
    return [round(w, 1) for w in lifted]


def _set_language(style: BaseStyle, lang: str) -> None:
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


def numbered(doc: DocumentType, text: str) -> None:
    """A numbered line."""
    doc.add_paragraph(xml_safe(text), style="List Number")


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
        _shade(cell, bare(palette.NHS_PALE_GREY))
    for values in rows:
        row = grid.add_row()
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = xml_safe(text)
    widths = list(widths_cm) if widths_cm else column_widths(headers, rows)
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)  # the table's grid, which Word and LibreOffice lay out by
    for row in grid.rows:
        _keep_together(row)
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    doc.add_paragraph()


def _keep_together(row: _Row) -> None:
    """A row is never split across two pages."""
    node = OxmlElement("w:cantSplit")
    node.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(node)


def _mark_header(row: _Row) -> None:
    trpr = row._tr.get_or_add_trPr()
    node = OxmlElement("w:tblHeader")
    node.set(qn("w:val"), "true")
    trpr.append(node)


def _shade(cell: _Cell, fill: str) -> None:
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
