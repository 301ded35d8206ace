"""Independent readers: what a person's program would see in each exported file."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

from system_tools import need_program


class Page(HTMLParser):
    """Collects the text, the tags and their attributes of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def pdf_text(path: Path) -> str:
    """The text pdftotext (poppler) reads from a PDF."""
    pdftotext = need_program("pdftotext", "poppler-utils")
    out = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


def squash(text: str) -> str:
    return " ".join(text.split())


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, as an image viewer reads them."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


def svg_texts(svg: bytes | str) -> list[str]:
    """Every piece of text an SVG draws, in document order (Matplotlib keeps text as text when
    ``svg.fonttype`` is ``none``)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return [
        " ".join("".join(node.itertext()).split())
        for node in root.iter("{http://www.w3.org/2000/svg}text")
    ]


def svg_fills(svg: bytes | str) -> list[str]:
    """The fill colour of every shape Matplotlib drew as a patch (bars, backgrounds), in
    drawing order, leaving out white and unfilled ones."""
    import re
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    fills = []
    for group in ET.fromstring(svg).iter(f"{ns}g"):
        if not re.fullmatch(r"patch_\d+", group.get("id", "")):
            continue
        for path in group.iter(f"{ns}path"):
            found = re.search(r"fill:\s*(#[0-9a-fA-F]{6}|none)", path.get("style", ""))
            if found and found.group(1).lower() not in ("#ffffff", "none"):
                fills.append(found.group(1).lower())
    return fills
