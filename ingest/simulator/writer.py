"""`write()`: put a simulated province on disk exactly as the real sources would deliver it.

    out_dir/
      DATA_SIMULASI.txt                         what this folder is (not read by any ingestor)
      inbox/koperasi_<code>.xlsx                per kabupaten: sheets `koperasi` and `rat` (non-digital cooperatives)
      inbox/laporan_keuangan_<YYYY-MM>_<code>.csv   reports of the last 12 months, per kabupaten and month
      inbox/laporan_keuangan_<YYYY>_<code>.csv      older reports, per kabupaten and calendar year (a backlog)
      platform/{cooperatives,reports,meetings,digital}.json   digital cooperatives (+ every digital stage row)
      registry/registry_export.csv              the national registry's NIK / grade export
      manifest.json                             seed, counts, faults, a SHA-256 of every file

Half of the kabupaten send Excel's Indonesian CSV (`;`, thousands `.`, decimal `,`, UTF-8 with BOM, CRLF),
the others plain comma CSV; a few use the contract's Indonesian column names and values. Same province →
byte-identical files (fixed XLSX timestamps, stable sort orders, timestamps derived from the data).

Longer than the house's ~400 lines on purpose: every channel (CSV dialects, workbooks, platform JSON, registry
export) is written here from one province, so the files stay consistent with each other and with the manifest.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from . import layout
from .contract import (
    ALIASES, DIGITAL_COLUMNS, KOPERASI_COLUMNS, LABEL, LAPORAN_COLUMNS, RAT_COLUMNS, REGISTRY_EXPORT_COLUMNS, VALUE_ALIASES,
)
from .faults import BROKEN_HEADERS
from .finance import AMOUNT_COLUMNS
from .province import Province

FORMAT_VERSION = 1
FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)  # XLSX document timestamps (for byte-identical files)
WITA = "+08:00"
DATE_COLUMNS = {"legal_entity_date", "period_end", "submitted_on", "held_on", "reported_on", "stage_date"}
PLAIN_AMOUNTS = set(AMOUNT_COLUMNS) | {"shu_total", "shu_to_members", "members_on_app", "fiscal_year", "established_year"}
NOTE = """DATA SIMULASI — SIMULATED DATA

Semua koperasi, nama, NIK dan angka dalam folder ini adalah hasil simulasi (Pantau Koperasi NTT,
ingest/simulator), dikalibrasi ke angka publikasi Provinsi NTT. Bukan data sebenarnya.
Every cooperative, name, NIK and figure in this folder is simulated, calibrated to published NTT figures.
It is not real data. See manifest.json for the seed and the list of deliberately faulty rows and files.
"""


@dataclass
class Manifest:
    """What `write` produced: `data` is the content of manifest.json."""

    path: Path
    data: dict

    @property
    def faults(self) -> list[dict]:
        return self.data["faults"]

    @property
    def files(self) -> dict[str, dict]:
        return self.data["files"]

    @property
    def rejected_files(self) -> list[dict]:
        return self.data["rejected_files"]


def write(province: Province, out_dir: str | Path, overwrite: bool = False) -> Manifest:
    """Write the province's files under `out_dir` (see the module docstring) and return the manifest.

    Refuses to write over an earlier simulation unless `overwrite` (then inbox/, platform/, registry/ and
    manifest.json of `out_dir` are replaced; nothing else in `out_dir` is touched).
    """
    out = Path(out_dir)
    managed = [out / layout.INBOX, out / layout.PLATFORM, out / layout.REGISTRY, out / "manifest.json", out / "DATA_SIMULASI.txt"]
    if any(p.exists() for p in managed):
        if not overwrite:
            raise FileExistsError(f"{out} already holds a simulation; pass overwrite=True to replace it")
        for p in managed:
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    for sub in (layout.INBOX, layout.PLATFORM, layout.REGISTRY):
        (out / sub).mkdir(parents=True, exist_ok=True)

    files: dict[str, dict] = {}
    counts: dict[str, dict] = {}
    fault_rows: list[dict] = []

    def record(rel: str, dataset: str, rows: int) -> None:
        files[rel] = {"dataset": dataset, "rows": rows}

    def count(dataset: str, channel: str, rows: int, faulty: int = 0, rejected: int = 0) -> None:
        slot = counts.setdefault(dataset, {}).setdefault(channel, {"rows": 0, "clean": 0, "faulty": 0, "in_rejected_files": 0})
        slot["rows"] += rows
        slot["faulty"] += faulty
        slot["in_rejected_files"] += rejected
        slot["clean"] = slot["rows"] - slot["faulty"] - slot["in_rejected_files"]

    (out / "DATA_SIMULASI.txt").write_text(NOTE, encoding="utf-8", newline="\n")
    record("DATA_SIMULASI.txt", "note", 0)

    platform = province.platform_niks
    regency_of = province.cooperatives.set_index("nik")["regency_code"]
    coops = province.cooperatives
    inbox_coops = coops[~coops["nik"].isin(platform)]
    inbox_rat = province.meetings[~province.meetings["nik"].isin(platform)]
    excel = set(province.excel_dialect_regencies)
    aliased = set(province.alias_regencies)

    # ---- inbox: one workbook per kabupaten (registry + RAT of non-digital cooperatives)
    rat_regency = inbox_rat["nik"].map(regency_of)
    for code in sorted(province.regencies["code"]):
        reg_rows = inbox_coops[inbox_coops["regency_code"] == code]
        rat_rows = inbox_rat[rat_regency == code]
        if reg_rows.empty and rat_rows.empty:
            continue
        rel = layout.workbook_file(code)
        _write_workbook(out / rel, province, {"koperasi": reg_rows, "rat": rat_rows}, code in aliased)
        record(rel, "koperasi+rat", len(reg_rows) + len(rat_rows))
        count("koperasi", "inbox", len(reg_rows))
        count("rat", "inbox", len(rat_rows))

    # ---- reports: inbox CSVs and platform JSON, clean and faulty rows together
    reports = province.reports.copy()
    reports["channel"] = np.where(reports["nik"].isin(platform), "platform", "inbox")
    reports["file"] = layout.report_files(reports["channel"], reports["nik"].map(regency_of), reports["period_end"],
                                          province.last_period_end, frozenset(f["file"] for f in province.rejected_files))
    reports["source_nik"] = reports["nik"]
    reports["source_period_end"] = reports["period_end"]
    reports["kind"] = ""
    faulty = province.faults.copy()
    allrows = pd.concat([reports, faulty], ignore_index=True) if len(faulty) else reports
    allrows = allrows.sort_values(["file", "source_period_end", "source_nik"], kind="stable").reset_index(drop=True)
    allrows["row_in_file"] = allrows.groupby("file", sort=False).cumcount() + 1
    rejected = {f["file"]: f for f in province.rejected_files}

    inbox_part = allrows[allrows["channel"] == "inbox"]
    codes = inbox_part["file"].str.rsplit("_", n=1).str[-1].str.removesuffix(".csv")
    is_excel = codes.isin(excel).to_numpy()
    text = pd.concat(
        [_format(inbox_part.loc[is_excel, list(LAPORAN_COLUMNS)], excel=True),
         _format(inbox_part.loc[~is_excel, list(LAPORAN_COLUMNS)], excel=False)]
    ).loc[inbox_part.index]
    aliased_rows = codes.isin(aliased).to_numpy()
    for col, mapping in VALUE_ALIASES.items():
        if col in text:
            text.loc[aliased_rows, col] = text.loc[aliased_rows, col].map(lambda v, m=mapping: m.get(v, v))
    lines = pd.concat([_csv_lines(text[is_excel], ";"), _csv_lines(text[~is_excel], ",")]).loc[inbox_part.index]
    kinds = inbox_part["kind"].to_numpy()
    for rel, index in sorted(inbox_part.groupby("file", sort=False).indices.items()):
        code = rel.rsplit("_", 1)[-1].removesuffix(".csv")
        if rel in rejected:
            _write_csv(out / rel, text.iloc[index], "laporan_keuangan", excel=code in excel, aliased=code in aliased, broken=rejected[rel])
        else:
            header = (";" if code in excel else ",").join(_header(LAPORAN_COLUMNS, "laporan_keuangan", code in aliased))
            _write_lines(out / rel, [header, *lines.iloc[index].tolist()], excel=code in excel)
        record(rel, "laporan_keuangan", len(index))
        count("laporan_keuangan", "inbox", len(index), faulty=int((kinds[index] != "").sum()), rejected=len(index) if rel in rejected else 0)

    platform_reports = allrows[allrows["channel"] == "platform"]
    updated = _updated_at(_report_updated_day(platform_reports, province), platform_reports[["source_nik", "source_period_end"]])
    items = platform_reports[list(LAPORAN_COLUMNS)].assign(updated_at=updated.to_numpy())
    n = _write_json(out / layout.PLATFORM_FILES["laporan_keuangan"], items, ["nik", "period_end"])
    record(layout.PLATFORM_FILES["laporan_keuangan"], "laporan_keuangan", n)
    count("laporan_keuangan", "platform", n, faulty=int((platform_reports["kind"] != "").sum()))

    bad = allrows[allrows["kind"] != ""].copy()
    if len(platform_reports):
        # JSON rows are numbered by their position in the written (updated_at-sorted) list
        order = _json_order(items, ["nik", "period_end"])
        position = pd.Series(np.arange(1, len(order) + 1), index=order)
        bad.loc[bad["channel"] == "platform", "row_in_file"] = position.reindex(bad.index[bad["channel"] == "platform"]).to_numpy()
    for _, r in bad.sort_values(["file", "row_in_file"], kind="stable").iterrows():  # a few hundred faults
        fault_rows.append(
            {
                "file": r["file"],
                "row": int(r["row_in_file"]),
                "nik": str(r["nik"]),
                "period_end": pd.Timestamp(r["period_end"]).date().isoformat(),
                "kind": r["kind"],
                "dataset": "laporan_keuangan",
                "channel": r["channel"],
                "column": r["column"],
                "value": str(r["value"]),
            }
        )

    # ---- platform: registry, RAT and digital stages
    plat_coops = coops[coops["nik"].isin(platform)]
    hist = province.history.set_index("nik")
    coop_day = _coop_updated_day(plat_coops, hist, province)
    items = plat_coops[list(KOPERASI_COLUMNS)].assign(updated_at=_updated_at(coop_day, plat_coops[["nik"]]).to_numpy())
    n = _write_json(out / layout.PLATFORM_FILES["koperasi"], items, ["nik"])
    record(layout.PLATFORM_FILES["koperasi"], "koperasi", n)
    count("koperasi", "platform", n)

    plat_rat = province.meetings[province.meetings["nik"].isin(platform)]
    live = pd.to_datetime(plat_rat["nik"].map(hist["live_on"]))
    base = plat_rat["reported_on"].fillna(plat_rat["held_on"] + pd.Timedelta(days=1))
    base = base.where(base <= pd.Timestamp(province.metadata["seen_through"]), plat_rat["held_on"])
    rat_day = pd.concat([base, live], axis=1).max(axis=1)
    items = plat_rat[list(RAT_COLUMNS)].assign(updated_at=_updated_at(rat_day, plat_rat[["nik", "fiscal_year"]]).to_numpy())
    n = _write_json(out / layout.PLATFORM_FILES["rat"], items, ["nik", "fiscal_year"])
    record(layout.PLATFORM_FILES["rat"], "rat", n)
    count("rat", "platform", n)

    dig = province.digital
    items = dig[list(DIGITAL_COLUMNS)].assign(updated_at=_updated_at(dig["stage_date"], dig[["nik", "stage"]]).to_numpy())
    n = _write_json(out / layout.PLATFORM_FILES["digital"], items, ["nik", "stage_date", "stage"])
    record(layout.PLATFORM_FILES["digital"], "digital", n)
    count("digital", "platform", n)

    # ---- registry export
    export = province.registry_export[list(REGISTRY_EXPORT_COLUMNS)]
    (out / layout.REGISTRY_FILE).write_bytes(export.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    record(layout.REGISTRY_FILE, "registry_export", len(export))
    count("registry_export", "registry", len(export))

    for rel in files:
        blob = (out / rel).read_bytes()
        files[rel]["sha256"] = hashlib.sha256(blob).hexdigest()
        files[rel]["bytes"] = len(blob)
    data = {
        "label": LABEL,
        "format_version": FORMAT_VERSION,
        "generator": "ingest.simulator",
        "seed": province.seed,
        "scale": province.scale,
        "as_of": province.as_of.isoformat(),
        "seen_through": province.metadata["seen_through"],
        "first_period_end": province.metadata["first_period_end"],
        "last_period_end": province.metadata["last_period_end"],
        "fault_rate": province.fault_rate,
        "cooperatives": int(len(coops)),
        "platform_cooperatives": int(len(plat_coops)),
        "dialects": {
            "excel_indonesian": sorted(excel),
            "indonesian_aliases": sorted(aliased),
            "excel_indonesian_format": {"sep": ";", "thousands": ".", "decimal": ",", "encoding": "utf-8-sig", "lineterminator": "\r\n"},
            "plain_format": {"sep": ",", "thousands": None, "decimal": ".", "encoding": "utf-8", "lineterminator": "\n"},
        },
        "counts": counts,
        "faults": fault_rows,
        "rejected_files": province.rejected_files,
        "files": dict(sorted(files.items())),
    }
    path = out / "manifest.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8", newline="\n")
    return Manifest(path=path, data=data)


# --------------------------------------------------------------------------- formatting helpers
def _numbers(values: pd.Series, thousands: str) -> pd.Series:
    """Whole numbers as text ('' when missing); thousands separator `thousands` ('' for none); text stays text."""
    out = pd.Series("", index=values.index, dtype=object)
    if values.dtype == object:
        is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        out[is_text] = values[is_text]
        numeric = pd.to_numeric(values.where(~is_text), errors="coerce")
    else:
        numeric = values
    present = numeric.notna().to_numpy()
    ints = numeric[present].astype("int64").tolist()
    if thousands:
        text = [f"{v:,}".replace(",", thousands) for v in ints]
    else:
        text = [str(v) for v in ints]
    out[present] = text
    return out


def _score(values: pd.Series, decimal: str) -> pd.Series:
    text = values.map(lambda v: "" if pd.isna(v) else f"{float(v):.2f}")
    return text.str.replace(".", decimal, regex=False) if decimal != "." else text


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d").fillna("")


def _format(frame: pd.DataFrame, excel: bool) -> pd.DataFrame:
    """Every cell as the text a spreadsheet would hold in this dialect."""
    text = {}
    for col in frame.columns:
        s = frame[col]
        if col in DATE_COLUMNS:
            text[col] = _dates(s)
        elif col == "management_score":
            text[col] = _score(s, "," if excel else ".")
        elif col in PLAIN_AMOUNTS:
            text[col] = _numbers(s, "." if excel else "")
        else:
            text[col] = s.astype(object).fillna("").astype(str)
    return pd.DataFrame(text, index=frame.index)


def _csv_lines(text: pd.DataFrame, sep: str) -> pd.Series:
    """One CSV line per row of already formatted cells (RFC 4180 quoting where a cell needs it)."""
    if text.empty:
        return pd.Series([], dtype=object, index=text.index)
    columns = [text[col].astype(str).tolist() for col in text.columns]
    width = len(columns) - 1
    lines = []
    for row in zip(*columns):  # plain str joins: much faster than pandas' str.cat on object columns
        line = sep.join(row)
        if line.count(sep) != width or '"' in line or "\n" in line or "\r" in line:
            line = sep.join('"' + v.replace('"', '""') + '"' if (sep in v or '"' in v or "\n" in v or "\r" in v) else v for v in row)
        lines.append(line)
    return pd.Series(lines, index=text.index, dtype=object)


def _header(columns, dataset: str, aliased: bool) -> list[str]:
    return [ALIASES[dataset].get(c, c) if aliased else c for c in columns]


def _write_lines(path: Path, lines: list[str], excel: bool) -> None:
    if excel:
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    else:
        path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def _write_csv(path: Path, text: pd.DataFrame, dataset: str, excel: bool, aliased: bool, broken: dict | None) -> None:
    """Write already formatted cells (see `_format`; value aliases already applied) in the kabupaten's dialect."""
    if aliased:
        text = text.rename(columns=ALIASES[dataset])
    if broken is not None:
        column = broken["column"]
        name = ALIASES[dataset].get(column, column) if aliased else column
        if column in BROKEN_HEADERS:
            text = text.rename(columns={name: BROKEN_HEADERS[column]})
        else:
            text = text.drop(columns=[name])
    if excel:
        body = text.to_csv(index=False, sep=";", lineterminator="\r\n")
        path.write_bytes(body.encode("utf-8-sig"))
    else:
        body = text.to_csv(index=False, sep=",", lineterminator="\n")
        path.write_bytes(body.encode("utf-8"))


def _write_workbook(path: Path, province: Province, sheets: dict[str, pd.DataFrame], aliased: bool) -> None:
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties(
        {"title": f"{LABEL} — Pantau Koperasi NTT", "subject": LABEL, "author": "ingest.simulator",
         "comments": f"{LABEL}: seed {province.seed}, as of {province.as_of.isoformat()}", "created": FIXED_TIME}
    )
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    bold = workbook.add_format({"bold": True})
    columns = {"koperasi": KOPERASI_COLUMNS, "rat": RAT_COLUMNS}
    for sheet, frame in sheets.items():
        ws = workbook.add_worksheet(sheet)
        frame = frame[list(columns[sheet])].reset_index(drop=True)
        dataset = "koperasi" if sheet == "koperasi" else "rat"
        for j, col in enumerate(frame.columns):
            header = ALIASES[dataset].get(col, col) if aliased else col
            ws.write_string(0, j, header, bold)
            values = frame[col]
            if aliased and col in VALUE_ALIASES:
                values = values.map(lambda v, m=VALUE_ALIASES[col]: m.get(v, v))
            _write_column(ws, j, values, col, date_format)
            ws.set_column(j, j, max(10, min(40, len(header) + 2)))
        ws.freeze_panes(1, 0)
    workbook.close()


def _write_column(ws, j: int, values: pd.Series, col: str, date_format) -> None:
    """Typed cells: dates as Excel dates, booleans, numbers, and everything else (NIK!) as text."""
    if col in DATE_COLUMNS:
        # Excel serial day numbers (days since 1899-12-30) with a date format: real date cells
        days = pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
        serial = (days - np.datetime64("1899-12-30", "D")).astype("int64")
        present = ~np.isnat(days)
        for i in np.flatnonzero(present).tolist():
            ws.write_number(i + 1, j, int(serial[i]), date_format)
    elif col in {"savings_loan_unit", "open_loop", "audited", "statements_published"}:
        for i, v in enumerate(values.tolist()):
            if v is not None and v is not pd.NA:
                ws.write_boolean(i + 1, j, bool(v))
    elif col in PLAIN_AMOUNTS or col in {"latitude", "longitude"}:
        numeric = pd.to_numeric(values, errors="coerce")
        present = numeric.notna().to_numpy()
        cast = int if col not in {"latitude", "longitude"} else float
        data = numeric.to_numpy(dtype=float, na_value=np.nan)
        for i in np.flatnonzero(present).tolist():
            ws.write_number(i + 1, j, cast(data[i]))
    else:
        for i, v in enumerate(values.astype(object).tolist()):
            if isinstance(v, str) and v:
                ws.write_string(i + 1, j, v)


def _updated_at(days: pd.Series, keys: pd.DataFrame) -> pd.Series:
    """ISO-8601 timestamps in WITA on the given days, at an office-hours time derived from the row's key."""
    seconds = (pd.util.hash_pandas_object(keys.astype(str), index=False).to_numpy() % np.uint64(9 * 3600)).astype(np.int64) + 8 * 3600
    stamp = pd.to_datetime(pd.Series(days.to_numpy(), index=keys.index)).dt.normalize() + pd.to_timedelta(seconds, unit="s")
    return stamp.dt.strftime("%Y-%m-%dT%H:%M:%S") + WITA


def _report_updated_day(rows: pd.DataFrame, province: Province) -> pd.Series:
    """A platform report is updated when submitted, or when the cooperative's history was migrated (live day)."""
    live = pd.to_datetime(rows["source_nik"].map(province.history.set_index("nik")["live_on"]))
    return pd.concat([pd.to_datetime(rows["submitted_on"]), live], axis=1).max(axis=1)


def _coop_updated_day(coops: pd.DataFrame, hist: pd.DataFrame, province: Province) -> pd.Series:
    cols = ["established_on", "legal_entity_date", "inactive_from", "reactivated_on", "dissolved_on", "live_on"]
    h = hist.reindex(coops["nik"])[cols]
    return pd.Series(h.max(axis=1).to_numpy(), index=coops.index)


def _json_order(items: pd.DataFrame, key: list[str]) -> pd.Index:
    """Index of `items` in the API's order: updated_at, then the key columns as text (dates as ISO)."""
    sort_key = pd.DataFrame({"updated_at": items["updated_at"]}, index=items.index)
    for k in key:
        sort_key[k] = _dates(items[k]) if k in DATE_COLUMNS else items[k].astype(str)
    return sort_key.sort_values(["updated_at", *key], kind="stable").index


def _write_json(path: Path, items: pd.DataFrame, key: list[str]) -> int:
    """A JSON array, one item per line, sorted by (updated_at, key) — the order the API serves."""
    order = _json_order(items, key)
    frame = items.loc[order].copy()
    for col in frame.columns:
        if col in DATE_COLUMNS:
            frame[col] = _dates(frame[col]).replace("", None)
    if frame.empty:
        path.write_text("[]\n", encoding="utf-8")
        return 0
    # pandas escapes "/" as "\\/" (valid JSON, but noisy); our text never contains a backslash
    body = frame.to_json(orient="records", lines=True, force_ascii=False, double_precision=10).replace("\\/", "/")
    lines = body.rstrip("\n").split("\n")
    path.write_bytes(("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8"))
    return len(frame)
