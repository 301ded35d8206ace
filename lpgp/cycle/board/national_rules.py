"""Plan a place's practice list from the national files: a pure rule, no store, no files.

The place's practices are chosen by Sub-ICB location code(s), PCN code(s) or a list of ODS
codes. Each chosen practice that is open in the ODS GP practices file gets its name, postcode,
its PCN on the extract date and its list size dated by the extract date. The plan lists what
would change: added, closed, reopened, moved PCN, renamed, list size changed by more than 5%,
no list size, left out, outside the selection.

Rules where the publications leave a choice:

- A practice the place already has is deactivated (never deleted) only when the ODS file says it
  is closed or dormant, or no longer lists it. A practice that is still open but no longer chosen
  (say it joined a PCN outside the place) is kept as it is and reported, so a refresh never
  drops a voter silently; ``lpgp practices deactivate CODE`` removes it by hand.
- A practice whose list size is suppressed or missing is reported by code and imported without
  a size (its previous size, with its own date, is kept); it is never given a zero.
- Proposed practices (not open yet) and other prescribing settings (walk-in centres, out of
  hours...) are left out and reported.
- Sub-ICB selection: a practice is in a Sub-ICB location when the ODS file names it as the
  practice's commissioner or the list-size file places it there.
- A row a reader could not read refuses the refresh (file, row, column; nothing written) only
  when it is about the place: its practice is chosen or already in the place, or its row names
  a chosen Sub-ICB location or PCN; when its ODS code cannot be read, when the row names the
  Sub-ICB location or PCN of one of those practices, or names neither (it cannot be placed).
  Any other bad row is set aside and reported as a warning: a national file's stray row
  elsewhere in England does not stop the place's refresh.
- Files from different months are combined, with a warning naming the dates, when the PCN or
  ODS file records something happening in a later month than the list sizes' extract date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from lpgp.cycle.board.national_files import (
    BadRow,
    ListSizes,
    OdsPractice,
    OdsPractices,
    PcnMembership,
)
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.errors import ImportRejected, InvalidInput, Problem
from lpgp.io.sheets import header_key
from lpgp.model import Practice, normalise_ods

THRESHOLD = 0.05
CHANGES = (
    "added",
    "closed",
    "reopened",
    "moved PCN",
    "renamed",
    "list size",
    "no list size",
    "left out",
    "outside selection",
)
DIFF_COLUMNS = [
    "ods_code",
    "name",
    "change",
    "list_size_before",
    "list_size_after",
    "before_text",
    "after_text",
]
SHOWN_BAD_ROWS = 5
KEEP_UPPER = {"NHS", "PCN", "GP", "GPS", "UK", "LLP", "HC", "MC", "II", "III"}
KEEP_LOWER = {"and", "of", "the", "at", "on", "in", "for", "with"}


def tidy_name(text: str) -> str:
    """Publication names are in capitals; show them as a person would write them.

    Names already in mixed case are left alone.

    >>> tidy_name("THE MILL-LANE SURGERY (DR O'NEIL & PARTNERS)")
    "The Mill-Lane Surgery (Dr O'Neil & Partners)"
    >>> tidy_name("NORTH HAVERBROOK PCN")
    'North Haverbrook PCN'
    """
    if any(ch.islower() for ch in text):
        return " ".join(text.split())
    words = []
    for index, word in enumerate(text.split()):
        bare = word.strip("()[],.&'")
        if bare.upper() in KEEP_UPPER:
            words.append(word)
        elif index and bare.lower() in KEEP_LOWER:
            words.append(word.lower())
        else:
            words.append("-".join(_capital(part) for part in word.split("-")))
    return " ".join(words)


def _capital(part: str) -> str:
    out, upper_next = [], True
    for ch in part.lower():
        if ch.isalpha():
            out.append(ch.upper() if upper_next else ch)
            upper_next = False
        else:
            out.append(ch)
            # O'NEIL -> O'Neil, but JOHN'S -> John's
            upper_next = ch != "'" or len(out) == 2
    return "".join(out)


@dataclass(frozen=True)
class Selection:
    """Which practices make up the place: one kind of choice at a time."""

    sub_icbs: tuple[str, ...] = ()
    pcns: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, sub_icbs: Iterable[str] = (), pcns: Iterable[str] = (), codes: Iterable[str] = ()
    ) -> Selection:
        """Normalise the codes and check exactly one kind of choice was made.

        >>> Selection.of(pcns=["u99101"]).describe()
        'PCN U99101'
        """
        chosen = cls(
            tuple(dict.fromkeys(c.strip().upper() for c in sub_icbs if c.strip())),
            tuple(dict.fromkeys(c.strip().upper() for c in pcns if c.strip())),
            tuple(dict.fromkeys(normalise_ods(c) for c in codes)),
        )
        if sum(bool(k) for k in (chosen.sub_icbs, chosen.pcns, chosen.codes)) != 1:
            raise InvalidInput(
                "choose the place's practices one way: by Sub-ICB location code(s) (--sub-icb), "
                "by PCN code(s) (--pcn) or by a file of ODS codes (--codes)"
            )
        return chosen

    def describe(self) -> str:
        if self.sub_icbs:
            return "Sub-ICB location " + ", ".join(self.sub_icbs)
        if self.pcns:
            return "PCN " + ", ".join(self.pcns)
        return f"{len(self.codes)} listed ODS code{'s' if len(self.codes) != 1 else ''}"


@dataclass(frozen=True)
class Finding:
    """One line of the refresh diff: words to show (``before``, ``after``) and the list sizes
    as numbers (the place's now; the one this refresh records, None if it records none)."""

    ods_code: str
    name: str
    change: str
    before: str = ""
    after: str = ""
    size_before: int | None = None
    size_after: int | None = None


@dataclass(frozen=True)
class NationalPlan:
    """What a refresh would write: practices to import, practices to deactivate, the diff."""

    extract_date: date
    sizes_layout: str
    selection: str
    incoming: tuple[PracticeInput, ...]
    deactivate: tuple[str, ...]
    findings: tuple[Finding, ...]
    sizes_updated: int = 0
    older_than: date | None = None
    warnings: tuple[str, ...] = ()
    skipped: tuple[BadRow, ...] = ()

    @property
    def warning(self) -> str | None:
        """Why applying this plan would be a mistake, if it would (it is then refused).

        :attr:`warnings` are the other kind: worth knowing, but the plan can be applied.
        """
        if self.older_than is None:
            return None
        return (
            f"these list sizes are from {self.extract_date}, older than the place's "
            f"({self.older_than}): use the latest month's files"
        )

    def of_kind(self, change: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.change == change)

    def frame(self) -> pd.DataFrame:
        """The diff as shown on screen: ods_code, name, change, before, after (all words)."""
        columns = ["ods_code", "name", "change", "before", "after"]
        return pd.DataFrame(
            [[getattr(f, c) for c in columns] for f in self.findings], columns=columns
        )

    def diff(self) -> pd.DataFrame:
        """The diff for analysis: list sizes as numbers, the words shown on screen beside them.

        Columns: ods_code, name, change, list_size_before (the place's now) and
        list_size_after (what the refresh records; <NA> if none), both Int64, then
        before_text and after_text.

        >>> plan = NationalPlan(date(2026, 10, 1), "x", "y", (), (), (
        ...     Finding("Z99001", "Mill", "list size", "1,000", "1,100 (+10.0%)", 1000, 1100),))
        >>> plan.diff()[["list_size_before", "list_size_after"]].iloc[0].tolist()
        [1000, 1100]
        """
        rows = [
            [f.ods_code, f.name, f.change, f.size_before, f.size_after, f.before, f.after]
            for f in self.findings
        ]
        df = pd.DataFrame(rows, columns=DIFF_COLUMNS)
        for column in ("list_size_before", "list_size_after"):
            df[column] = df[column].astype("Int64")
        return df

    def summary(self) -> str:
        """One line: the size of each kind of change.

        >>> item = PracticeInput("Z99001", "Mill Surgery")
        >>> NationalPlan(date(2026, 9, 1), "x", "y", (item,), (), (Finding("Z99001", "A", "added"),)
        ...              ).summary()
        '1 practice in the place as of 2026-09-01: added 1'
        """
        counts = [
            f"{change} {n}" for change in CHANGES if (n := len(self.of_kind(change))) and n > 0
        ]
        n = len(self.incoming)
        head = f"{n} practice{'s' if n != 1 else ''} in the place as of {self.extract_date}"
        if self.sizes_updated:
            counts.append(f"list sizes updated {self.sizes_updated}")
        return head + (": " + ", ".join(counts) if counts else ": no changes")


def _size(value: int | None) -> str:
    return f"{value:,}" if value is not None else "none"


def _chosen(
    selection: Selection, sizes: ListSizes, register: OdsPractices, pcns: PcnMembership
) -> set[str]:
    if selection.codes:
        return set(selection.codes)
    day = sizes.extract_date
    if selection.pcns:
        wanted = set(selection.pcns)
        return {s.ods_code for s in pcns.spells if s.pcn_code in wanted and s.covers(day)} - {
            c for c, o in register.organisations.items() if not o.is_gp_practice
        }
    wanted = set(selection.sub_icbs)
    from_ods = {
        c
        for c, o in register.organisations.items()
        if o.is_gp_practice and o.commissioner in wanted
    }
    return from_ods | {c for c, area in sizes.areas.items() if area in wanted}


NOT_IN_ODS = "not in the ODS GP practices file"


def _gone(org: OdsPractice | None) -> str | None:
    """Why an organisation cannot be in the place, or None if it can."""
    if org is None:
        return NOT_IN_ODS
    if not org.is_gp_practice:
        return f"not a GP practice (prescribing setting {org.setting_text})"
    if org.status in ("C", "D"):
        when = f" on {org.closed.isoformat()}" if org.closed else ""
        return f"{org.status_word} in the ODS file{when}"
    if org.status == "P":
        return "proposed in the ODS file, not open yet"
    return None


def _gone_finding(code: str, label: str, why: str, old: Practice | None) -> Finding:
    if old is None or not old.active:
        return Finding(code, label, "left out", "", why)
    if why.startswith("proposed"):
        return Finding(code, label, "outside selection", why, "kept as it is")
    return Finding(code, label, "closed", "active", why)


def _differences(old: Practice, item: PracticeInput) -> list[Finding]:
    """What a refresh changes in a practice the place already has (sizes over 5% only)."""
    code, name = item.ods_code, item.name
    out = []
    if not old.active:
        out.append(Finding(code, name, "reopened", "inactive", "active"))
    if old.name != name:
        out.append(Finding(code, name, "renamed", old.name, name))
    if old.pcn != item.pcn:
        out.append(Finding(code, name, "moved PCN", old.pcn or "no PCN", item.pcn or "no PCN"))
    new, before = item.list_size, old.list_size
    if new is not None and (before is None or abs(new - before) > THRESHOLD * before):
        change = f" ({(new - before) / before:+.1%})" if before else ""
        out.append(Finding(code, name, "list size", _size(before), _size(new) + change))
    return out


def _no_size(item: PracticeInput, old: Practice | None, sizes: ListSizes) -> Finding:
    kept = "none"
    if old and old.list_size is not None:
        kept = f"kept {_size(old.list_size)} from {old.list_size_as_of}"
    why = "suppressed or missing" if item.ods_code in sizes.sizes else "not in the list-size file"
    return Finding(item.ods_code, item.name, "no list size", why, kept)


def plan_national(
    sizes: ListSizes,
    pcns: PcnMembership,
    register: OdsPractices,
    selection: Selection,
    existing: Iterable[Practice] = (),
    pcn_names: Mapping[str, str] | None = None,
) -> NationalPlan:
    """Compare what the national files say with the place's practices.

    ``existing`` are the place's practices; ``pcn_names`` maps the place's PCN codes to the
    names it already uses, so a refresh keeps them. Raises :class:`ImportRejected` (file, row,
    column) if a row the readers set aside is about the place.
    """
    day = sizes.extract_date
    known = {p.ods_code: p for p in existing}
    names = dict(pcn_names or {})
    chosen = _chosen(selection, sizes, register, pcns)
    active = {c for c, p in known.items() if p.active}
    skipped = _check_bad_rows(sizes, pcns, register, selection, chosen | active)
    findings: list[Finding] = []
    incoming: list[PracticeInput] = []
    sizes_updated = 0
    for code in sorted(chosen | active):
        org = register.organisations.get(code)
        old = known.get(code)
        label = old.name if old else tidy_name(org.name) if org else ""
        before = old.list_size if old else None
        why_not = _gone(org)
        if why_not or org is None:
            gone = _gone_finding(code, label, why_not or NOT_IN_ODS, old)
            findings.append(replace(gone, size_before=before))
            continue
        if code not in chosen:
            findings.append(
                Finding(
                    code,
                    label,
                    "outside selection",
                    selection.describe(),
                    "kept as it is",
                    size_before=before,
                )
            )
            continue
        spell = pcns.on(code, day)
        size = sizes.sizes.get(code)
        same_name = old is not None and header_key(old.name) == header_key(org.name)
        item = PracticeInput(
            ods_code=code,
            name=old.name if old and same_name else tidy_name(org.name),
            pcn=names.setdefault(spell.pcn_code, tidy_name(spell.pcn_name)) if spell else None,
            pcn_code=spell.pcn_code if spell else None,
            list_size=size,
            list_size_as_of=day if size is not None else None,
            postcode=org.postcode or sizes.postcodes.get(code),
        )
        incoming.append(item)
        found: list[Finding] = []
        if size is None:
            found.append(_no_size(item, old, sizes))
        if old is None:
            after = f"{item.pcn or 'no PCN'}, list size {_size(size)}"
            found.append(Finding(code, item.name, "added", "", after))
        else:
            found.extend(_differences(old, item))
            if size is not None and (size, day) != (old.list_size, old.list_size_as_of):
                sizes_updated += 1
        findings.extend(replace(f, size_before=before, size_after=size) for f in found)
    latest = max((p.list_size_as_of for p in known.values() if p.list_size_as_of), default=None)
    order = {c: i for i, c in enumerate(CHANGES)}
    findings.sort(key=lambda f: (order[f.change], f.ods_code))
    months = month_warning(sizes, pcns, register)
    return NationalPlan(
        extract_date=day,
        sizes_layout=sizes.layout,
        selection=selection.describe(),
        incoming=tuple(incoming),
        deactivate=tuple(f.ods_code for f in findings if f.change == "closed"),
        findings=tuple(findings),
        sizes_updated=sizes_updated,
        older_than=latest if latest and latest > day else None,
        warnings=((months,) if months else ()) + _skipped_warnings(skipped),
        skipped=skipped,
    )


def month_warning(sizes: ListSizes, pcns: PcnMembership, register: OdsPractices) -> str | None:
    """Why the three files look like different months' downloads, or None.

    The list sizes carry their extract date; the PCN and ODS files only the dates of what they
    record (a PCN spell starting or ending, a practice opening or closing). A file recording
    something in a later month than the extract date is a later month's file.

    >>> sizes = ListSizes("sizes.csv", "x", date(2026, 9, 1), {}, {}, {})
    >>> pcns = PcnMembership("ePCN.xlsx", "x", (), latest=date(2026, 10, 1))
    >>> text = month_warning(sizes, pcns, OdsPractices("o.csv", {}, latest=date(2026, 9, 20)))
    >>> for part in text.split(", but "):
    ...     print(part)
    files from different months: the list sizes (sizes.csv) have extract date 2026-09-01
    ePCN.xlsx records a change on 2026-10-01; use the same month's three files
    """
    day = sizes.extract_date
    later = [
        f"{f.source} records a change on {f.latest.isoformat()}"
        for f in (pcns, register)
        if f.latest and (f.latest.year, f.latest.month) > (day.year, day.month)
    ]
    if not later:
        return None
    return (
        f"files from different months: the list sizes ({sizes.source}) have extract date "
        f"{day.isoformat()}, but {' and '.join(later)}; use the same month's three files"
    )


def _check_bad_rows(
    sizes: ListSizes,
    pcns: PcnMembership,
    register: OdsPractices,
    selection: Selection,
    place: set[str],
) -> tuple[BadRow, ...]:
    """Refuse the files if a row set aside is about the place; return the others."""
    areas = set(selection.sub_icbs)
    areas |= {a for c in place if (a := sizes.areas.get(c))}
    areas |= {
        o.commissioner
        for c in place
        if (o := register.organisations.get(c)) and o.commissioner is not None
    }
    areas |= {s.sub_icb.upper() for s in pcns.spells if s.ods_code in place and s.sub_icb}
    networks = set(selection.pcns) | {s.pcn_code for s in pcns.spells if s.ods_code in place}

    def about_the_place(bad: BadRow) -> bool:
        if bad.ods_code is not None:
            return (
                bad.ods_code in place
                or bad.ods_code in selection.codes
                or (bad.area is not None and bad.area in selection.sub_icbs)
                or (bad.pcn is not None and bad.pcn in selection.pcns)
            )
        if bad.area is None and bad.pcn is None:
            return True  # nothing says where it belongs, so it may be the place's
        return bad.area in areas or bad.pcn in networks

    everything = (*sizes.skipped, *pcns.skipped, *register.skipped)
    refused = [b for b in everything if about_the_place(b)]
    if refused:
        first = refused[0].source
        problems = [b.problem for b in refused if b.source == first]
        problems += [Problem(None, None, f"also {b}") for b in refused if b.source != first]
        raise ImportRejected(first, problems)
    return everything


def _skipped_warnings(skipped: tuple[BadRow, ...]) -> tuple[str, ...]:
    out = []
    for source in dict.fromkeys(b.source for b in skipped):
        rows = [b for b in skipped if b.source == source]
        shown = "; ".join(str(b.problem) for b in rows[:SHOWN_BAD_ROWS])
        more = f"; and {len(rows) - SHOWN_BAD_ROWS} more" if len(rows) > SHOWN_BAD_ROWS else ""
        n = len(rows)
        out.append(
            f"{source}: {n} bad row{'s' if n != 1 else ''} for practices outside the place "
            f"set aside ({shown}{more})"
        )
    return tuple(out)
