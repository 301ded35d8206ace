"""Write the fictional national files the tests read, in the publishers' own layouts.

Run ``python tests/data/national/make_fixtures.py`` to rebuild them; the files are committed.

The story: Sub-ICB location Z9A (the place) has practices Z99101-Z99109 and a walk-in centre;
its neighbour Z9B has Z99201-Z99202. PCN codes are U991xx/U992xx. Between the September and
October 2026 files, Z99104 closes, Z99105 moves PCN, Z99109 opens, Z99102 grows by 8% and the
suppressed list size of Z99106 is published.

Variants of the October files differ from them in a few rows only: ``-two-settings`` lists
Z99103 with two prescribing settings (``4|1``, a GP practice that is also a walk-in centre);
``-bad-rows`` have unreadable rows for the neighbour Z9B's practices (outside the place).

``dse-gp-practices.csv`` stands for a search exported from ODS Data Search and Export, as it is
reported to look (a header row, status in words, the GP practice role as a code). Its real
columns could not be confirmed from a public source, so these are illustrative: the reader
must refuse any such file, whatever its exact columns.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
SEP, OCT = "2026-09", "2026-10"

# code: (name, postcode, Sub-ICB location); status, close date and setting are below
PRACTICES = {
    "Z99101": ("THE MILL SURGERY", "ZZ99 1AA", "Z9A"),
    "Z99102": ("HILLSIDE MEDICAL CENTRE", "ZZ99 1AB", "Z9A"),
    "Z99103": ("ST ANNE'S HEALTH CENTRE", "ZZ99 1AD", "Z9A"),
    "Z99104": ("RIVERSIDE SURGERY", "ZZ99 1AE", "Z9A"),
    "Z99105": ("ORCHARD PRACTICE", "ZZ99 1AF", "Z9A"),
    "Z99106": ("WILLOW LANE SURGERY", "ZZ99 1AG", "Z9A"),
    "Z99107": ("DR O'NEIL & PARTNERS", "ZZ99 1AH", "Z9A"),
    "Z99108": ("OLD FORGE SURGERY", "ZZ99 1AJ", "Z9A"),
    "Z99109": ("NEW TOWN PRACTICE", "ZZ99 1AL", "Z9A"),
    "Y99901": ("FENWICK WALK-IN CENTRE", "ZZ99 1AN", "Z9A"),
    "Z99201": ("BROOK END SURGERY", "ZZ99 2AA", "Z9B"),
    "Z99202": ("CASTLE STREET SURGERY", "ZZ99 2AB", "Z9B"),
}
STATUS = {
    SEP: {"Z99108": "D", "Z99109": "P"},
    OCT: {"Z99104": "C", "Z99108": "D"},
}
CLOSED = {OCT: {"Z99104": "20260920"}}
SETTING = {"Y99901": "1"}

SIZES = {
    SEP: {
        "Z99101": "8214",
        "Z99102": "11530",
        "Z99103": "6402",
        "Z99104": "3120",
        "Z99105": "14875",
        "Z99106": "",  # suppressed
        "Z99107": "5961",
        "Z99201": "7700",
        "Z99202": "9100",
    },
    OCT: {
        "Z99101": "8290",
        "Z99102": "12452",
        "Z99103": "6380",
        "Z99105": "14020",
        "Z99106": "412",
        "Z99107": "5990",
        "Z99109": "2950",
        "Z99201": "7712",
        "Z99202": "9080",
    },
}
ONS = {"Z9A": "E38999901", "Z9B": "E38999902"}

PCNS = {
    "U99101": "NORTH FENWICK PCN",
    "U99102": "SOUTH FENWICK PCN",
    "U99103": "FENWICK VALE PCN",
    "U99201": "BROOK PCN",
}
# (practice, PCN, start, end) as each month's file has them
SPELLS = {
    SEP: [
        ("Z99101", "U99101", "20190701", ""),
        ("Z99102", "U99101", "20190701", ""),
        ("Z99107", "U99101", "20190701", "20260630"),
        ("Z99103", "U99102", "20190701", ""),
        ("Z99104", "U99102", "20190701", ""),
        ("Z99105", "U99102", "20190701", ""),
        ("Z99106", "U99102", "20200401", ""),
        ("Z99107", "U99102", "20260701", ""),
        ("Z99108", "U99103", "20190701", "20260331"),
        ("Z99201", "U99201", "20190701", ""),
        ("Z99202", "U99201", "20190701", ""),
    ],
}
SPELLS[OCT] = [
    (p, u, s, "20260920" if p == "Z99104" else "20260930" if p == "Z99105" else e)
    for p, u, s, e in SPELLS[SEP]
] + [("Z99105", "U99103", "20261001", ""), ("Z99109", "U99103", "20261001", "")]

LOWER = {"Z99103", "Z99107"}  # written in lower case in the list-size files


def epraccur(month: str) -> list[list[str]]:
    rows = []
    for code, (name, postcode, sub_icb) in PRACTICES.items():
        status = STATUS[month].get(code, "A")
        row = [""] * 27
        row[0], row[1], row[2], row[3] = code, name, "Y99", "QZZ"
        row[4], row[7], row[9] = "1 HIGH STREET", "FENWICK", postcode
        row[10], row[11], row[12] = "19740401", CLOSED.get(month, {}).get(code, ""), status
        row[13], row[14], row[15] = "B", sub_icb, "20220701"
        row[17], row[23], row[25] = "01632 960000", "Y99001", SETTING.get(code, "4")
        rows.append(row)
    return rows


def sizes_rows(month: str, area_col: str | None, date_text: str) -> list[list[str]]:
    rows = []
    for code, patients in SIZES[month].items():
        _, postcode, sub_icb = PRACTICES[code]
        shown = code.lower() if code in LOWER else code
        area = [sub_icb, ONS[sub_icb]] if area_col else []
        rows.append(
            ["GP_PRAC_PAT_LIST", date_text, "GP", *area, shown, postcode, "ALL", "ALL", patients]
        )
    return rows


LAYOUTS = {
    # file suffix: (type column, area column, code column, date text for September)
    "": ("TYPE", "SUB_ICB_LOCATION_CODE", "CODE", "2026-09-01"),
    "-ccg": ("TYPE", "CCG_CODE", "CODE", "01SEP2026"),
    "-sub-icb-loc": ("TYPE", "SUB_ICB_LOC_CODE", "CODE", "01-Sep-26"),
    "-org-code": ("ORG_TYPE", "SUB_ICB_LOCATION_CODE", "ORG_CODE", "01SEP2026"),
    "-org-code-only": ("ORG_TYPE", None, "ORG_CODE", "2026-09-01"),
}


def write_sizes() -> None:
    for suffix, (kind, area, code, date_text) in LAYOUTS.items():
        ons = ["ONS_" + area] if area else []
        header = ["PUBLICATION", "EXTRACT_DATE", kind, *([area] if area else []), *ons, code]
        header += ["POSTCODE", "SEX", "AGE", "NUMBER_OF_PATIENTS"]
        body = sizes_rows(SEP, area, date_text)
        # The main September file: BOM and trailing blank lines; CCG one: Windows line ends.
        write_csv(f"gp-reg-pat-prac-all-{SEP}{suffix}.csv", [header, *body], bom=suffix == "")
    header = ["PUBLICATION", "EXTRACT_DATE", "TYPE", "SUB_ICB_LOCATION_CODE"]
    header += ["ONS_SUB_ICB_LOCATION_CODE", "CODE", "POSTCODE", "SEX", "AGE", "NUMBER_OF_PATIENTS"]
    body = sizes_rows(OCT, "SUB_ICB_LOCATION_CODE", "2026-10-01")
    write_csv(f"gp-reg-pat-prac-all-{OCT}.csv", [header, *body], bom=True)


def write_csv(name: str, rows: list[list[str]], bom: bool = False) -> None:
    end = "\r\n" if "ccg" in name else "\n"
    with open(HERE / name, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        csv.writer(f, lineterminator=end).writerows(rows)
        if bom:
            f.write(end * 3)


def pcn_rows(month: str) -> list[list[object]]:
    out = []
    for practice, pcn, start, end in SPELLS[month]:
        sub_icb = PRACTICES[practice][2]
        out.append(
            [
                practice,
                PRACTICES[practice][0],
                sub_icb,
                f"NHS FENWICK SUB-ICB LOCATION - {sub_icb}",
                pcn,
                PCNS[pcn],
                sub_icb,
                f"NHS FENWICK SUB-ICB LOCATION - {sub_icb}",
                start,
                end,
                "Y",
            ]
        )
    return out


def write_pcns(month: str) -> None:
    book = Workbook()
    details = book.active
    details.title = "PCNDetails"
    details.append(["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location"])
    for code, name in PCNS.items():
        details.append([code, name, "Z9B" if code == "U99201" else "Z9A", "NHS FENWICK"])
    partners = book.create_sheet("PCN Core Partner Details")
    partners.append(
        [
            "Partner\nOrganisation\nCode",
            "Partner\nName",
            "Practice\nParent\nSub ICB Loc Code",
            "Practice\nParent\nSub ICB Loc Name",
            "PCN Code",
            "PCN Name",
            "PCN Parent\nSub ICB Loc Code",
            "PCN Parent\nSub ICB Loc Name",
            "Practice to PCN\nRelationship\nStart Date",
            "Practice to PCN\nRelationship\nEnd Date",
            "Practice Sub ICB and PCN Sub ICB Match?",
        ]
    )
    for row in pcn_rows(month):
        for i in (8, 9):
            row[i] = datetime.strptime(row[i], "%Y%m%d") if row[i] else None
        partners.append(row)
    book.properties.creator = "lpgp test fixtures"
    book.save(HERE / f"ePCN-{month}.xlsx")


TWO_SETTINGS = {"Z99103": "4|1"}
# (row's practice code: (column index, what the bad row says instead))
BAD_EPRACCUR = {"Z99202": (12, "X"), "Z99201": (25, "walk-in")}
BAD_SIZES = {"Z99201": (9, "7,7l2")}
UNREADABLE_CODE = ["GP_PRAC_PAT_LIST", "2026-10-01", "GP", "Z9B", ONS["Z9B"], "Z992O3"]
UNREADABLE_CODE += ["ZZ99 2AC", "ALL", "ALL", "1200"]


def write_variants() -> None:
    rows = epraccur(OCT)
    for row in rows:
        row[25] = TWO_SETTINGS.get(row[0], row[25])
    write_csv(f"epraccur-{OCT}-two-settings.csv", rows)
    rows = epraccur(OCT)
    for row in rows:
        if row[0] in BAD_EPRACCUR:
            index, text = BAD_EPRACCUR[row[0]]
            row[index] = text
    write_csv(f"epraccur-{OCT}-bad-rows.csv", rows)
    header = ["PUBLICATION", "EXTRACT_DATE", "TYPE", "SUB_ICB_LOCATION_CODE"]
    header += ["ONS_SUB_ICB_LOCATION_CODE", "CODE", "POSTCODE", "SEX", "AGE", "NUMBER_OF_PATIENTS"]
    body = sizes_rows(OCT, "SUB_ICB_LOCATION_CODE", "2026-10-01")
    for row in body:
        if row[5] in BAD_SIZES:
            index, text = BAD_SIZES[row[5]]
            row[index] = text
    write_csv(f"gp-reg-pat-prac-all-{OCT}-bad-rows.csv", [header, *body, UNREADABLE_CODE])


DSE_HEADER = ["Organisation Code", "Name", "Status", "Primary Role Id", "Non Primary Role Id(s)"]
DSE_HEADER += ["Postcode", "Operational Start Date"]


def write_dse() -> None:
    rows = [DSE_HEADER]
    for code in ("Z99101", "Z99104"):
        name, postcode, _ = PRACTICES[code]
        status = "Inactive" if code == "Z99104" else "Active"
        rows.append([code, name, status, "RO177", "RO76", postcode, "1974-04-01"])
    write_csv("dse-gp-practices.csv", rows)


def main() -> None:
    write_dse()
    write_variants()
    write_sizes()
    for month in (SEP, OCT):
        write_csv(f"epraccur-{month}.csv", epraccur(month))
        write_pcns(month)
    write_csv(f"epcncorepartnerdetails-{SEP}.csv", pcn_rows(SEP))
    (HERE / "codes.txt").write_text("ODS code\nz99101\nZ99102\n z99107 \n\nZ99108\n")
    (HERE / "not-national.csv").write_text("Practice,Patients,Notes\nZ99101,8214,\n")


if __name__ == "__main__":
    main()
