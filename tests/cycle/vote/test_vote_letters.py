"""Printable ballot letters: each PDF is opened with pypdf, and each page's QR code is read
back from the rendered page image by zxing-cpp (a decoder independent of the library that drew
it)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import zxingcpp

from cycle.vote.conftest import london
from lpgp.cycle.exports import letters as printed
from lpgp.cycle.vote.ballot_rules import CodeLetter
from lpgp.errors import InvalidInput

BASE = "https://vote.example.org"
CLOSES = datetime(2027, 3, 12, 17, 0, tzinfo=UTC)
LETTERS = [
    CodeLetter(
        "Z10001",
        "St Anne's & Quay Surgery",
        "pm1@example.nhs.uk",
        "ABC-DEF-GHJ-KMN-PQR-STV-WXY-Z23-456",
        BASE + "/c/ABC-DEF-GHJ-KMN-PQR-STV-WXY-Z23-456",
    ),
    CodeLetter(
        "Z10002",
        "Mill Lane Medical Centre",
        "pm2@example.nhs.uk",
        "789-ABC-DEF-GHJ-KMN-PQR-STV-WXY-Z23",
        BASE + "/c/789-ABC-DEF-GHJ-KMN-PQR-STV-WXY-Z23",
    ),
    CodeLetter(
        "Z10003",
        "Harbour View Practice",
        "",
        "XYZ-234-567-89A-BCD-EFG-HJK-MNP-QRS",
        BASE + "/c/XYZ-234-567-89A-BCD-EFG-HJK-MNP-QRS",
    ),
]


def _flat(text: str) -> str:
    """Page text without line breaks or spaces, for strings a line may wrap."""
    return re.sub(r"\s+", "", text)


def _qr_texts(pdf: bytes, page: int) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=3).to_pil()
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return printed.letters_pdf(
        LETTERS, title="Spring priorities vote", closes_at=CLOSES, base_url=BASE
    )


def test_one_a4_page_per_practice_with_its_own_details(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    for page, letter in zip(reader.pages, LETTERS, strict=True):
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in pt
        text = page.extract_text()
        assert letter.practice in text
        assert letter.ods_code in text
        assert letter.code in text  # on one line, as grouped on the letter
        assert letter.link in _flat(text)
        assert "Spring priorities vote" in text
        assert "Fri 12 Mar 2027, 17:00" in text
        assert "https://vote.example.org/sign-in" in _flat(text)
        others = [x for x in LETTERS if x is not letter]
        assert not any(x.code in text or x.practice in text for x in others)


@pytest.mark.parametrize("page", [0, 1, 2])
def test_each_page_qr_code_reads_back_as_its_link(pdf: bytes, page: int) -> None:
    assert _qr_texts(pdf, page) == [LETTERS[page].link]


def test_letters_load_nothing_from_outside() -> None:
    page = printed.letters_html(LETTERS, title="Vote", closes_at=CLOSES, base_url=BASE)
    for needle in ("<link", "src=", "url(", "@import", "@font-face", "<script", "<img"):
        assert needle not in page
    with pytest.raises(InvalidInput, match="load nothing"):
        printed._refuse("https://fonts.example.net/font.woff2")


def test_text_is_escaped_in_the_letters() -> None:
    odd = CodeLetter("Z10009", "<b>Bold</b> Surgery", "", "ABC-DEF", BASE + "/c/ABC-DEF")
    page = printed.letters_html([odd], title="<i>Vote</i>", closes_at=CLOSES, base_url=BASE)
    assert "&lt;b&gt;Bold&lt;/b&gt; Surgery" in page and "<b>Bold" not in page
    assert "&lt;i&gt;Vote&lt;/i&gt;" in page


@pytest.mark.parametrize(
    ("letters", "base_url", "message"),
    [
        ([], BASE, "no ballot letters"),
        ([CodeLetter("Z10001", "Mill Lane", "", "", "")], BASE, "Z10001 has no ballot code"),
        (LETTERS[:1], "vote.example.org", "must start with https://"),
    ],
)
def test_letters_that_cannot_be_printed_are_refused(letters, base_url: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        printed.letters_pdf(letters, title="Vote", closes_at=CLOSES, base_url=base_url)


# ---- the command line -------------------------------------------------------------------------


def _open_vote(cli, tmp_path: Path) -> None:
    candidates = tmp_path / "candidates.csv"
    candidates.write_text("Title,Description,Ask\nHub,One hub,Fund it\nEstates,Space,A bid\n")
    practices = tmp_path / "practices.csv"
    practices.write_text(
        "ODS code,Practice name,PCN,List size\n"
        "Z20001,Alder Surgery,North,4000\n"
        "Z20002,Birch Medical Centre,North,5000\n"
        "Z20003,Cedar Practice,South,6000\n"
    )
    assert cli("init", "--place", "Testford")[0] == 0
    assert cli("practices", "import", str(practices))[0] == 0
    code, out, err = cli(
        "vote", "create", "--title", "Spring vote", "--method", "approval", "--seats", "1",
        "--opens", london(timedelta(hours=-1)), "--closes", london(timedelta(hours=3)),
        "--candidates", str(candidates), "--seed", "s",
    )  # fmt: skip
    assert code == 0, err
    assert cli("vote", "open", "1")[0] == 0


@pytest.mark.slow  # draws a PDF letter per practice
def test_vote_codes_writes_letters_and_the_csv_once_for_the_owner_only(cli, tmp_path: Path):
    _open_vote(cli, tmp_path)
    pdf_file, csv_file = tmp_path / "letters.pdf", tmp_path / "codes.csv"
    # Refused before any code is issued: no web address, or a folder that does not exist.
    code, out, err = cli("vote", "codes", "1", "--letters", str(pdf_file))
    assert code == 1 and "--letters needs --base-url" in err
    code, out, err = cli(
        "vote", "codes", "1", "--letters", str(tmp_path / "no" / "l.pdf"), "--base-url", BASE
    )
    assert code == 1 and "cannot write" in err

    code, out, err = cli(
        "vote", "codes", "1", "--letters", str(pdf_file), "--out", str(csv_file),
        "--base-url", BASE,
    )  # fmt: skip
    assert code == 0, err
    assert "Wrote 3 ballot letters" in err
    assert pdf_file.stat().st_mode & 0o777 == 0o600
    assert csv_file.stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text())))
    assert [r["ODS code"] for r in rows] == ["Z20001", "Z20002", "Z20003"]  # all three issued
    reader = pypdf.PdfReader(pdf_file)
    assert len(reader.pages) == 3
    for page, row in zip(reader.pages, rows, strict=True):
        text = page.extract_text()
        assert row["Practice"] in text and row["Ballot code"] in text
        assert row["Link"] in _flat(text) and row["Link"].startswith(BASE + "/c/")
    assert _qr_texts(pdf_file.read_bytes(), 1) == [rows[1]["Link"]]
    # The printed code is a real ballot code.
    code, out, err = cli("vote", "cast", rows[0]["Ballot code"], "A")
    assert code == 0 and "Receipt" in out, err

    # Nobody needs a code now: a clear message and no file.
    again = tmp_path / "again.pdf"
    code, out, err = cli("vote", "codes", "1", "--letters", str(again), "--base-url", BASE)
    assert code == 0
    assert "Every practice already has a code" in out and "No letters were written" in out
    assert not again.exists()

    # A reissued code prints one letter, into a file made owner-only even if it was not.
    one = tmp_path / "one.pdf"
    one.write_text("old")
    one.chmod(0o644)
    code, out, err = cli(
        "vote", "codes", "1", "--reissue", "Z20002", "--letters", str(one), "--base-url", BASE
    )
    assert code == 0, err
    assert out == ""  # with --letters alone the codes go only into the PDF
    assert one.stat().st_mode & 0o777 == 0o600
    text = pypdf.PdfReader(one).pages[0].extract_text()
    assert "Birch Medical Centre" in text and rows[1]["Ballot code"] not in text


def test_codes_are_shown_if_the_letters_cannot_be_made(cli, tmp_path: Path, monkeypatch):
    _open_vote(cli, tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(printed, "letters_pdf", broken)
    pdf_file = tmp_path / "letters.pdf"
    code, out, err = cli("vote", "codes", "1", "--letters", str(pdf_file), "--base-url", BASE)
    assert code == 1 and "could not be written" in err and "no fonts" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["ODS code"] for r in rows] == ["Z20001", "Z20002", "Z20003"]
    assert all(r["Link"].startswith(BASE + "/c/") for r in rows)
    assert not pdf_file.exists()
