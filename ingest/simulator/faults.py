"""Faulty submissions: a small share of report rows broken in one way each, plus whole files with a bad header.

Each row fault breaks exactly one contract rule (the one its `kind` names) and no other rejection rule:
- `negative_total_assets`: total_assets < 0 (current_assets and cash_and_bank are left empty, so that the
  "current_assets ≤ total_assets" rule cannot fire too; the balance check is only a warning).
- `loans_at_risk_exceeds_loans`: loans_at_risk > loans_outstanding (savings-and-loan rows only).
- `current_assets_exceed_total_assets`: current_assets > total_assets (cash_and_bank stays ≤ current_assets).
- `period_in_future`: period_end ten years later than the real period (a mistyped year), still a month end.
- `unknown_nik`: a well-formed 13-digit NIK that is in no registry.
- `text_in_number`: text in the `members` column (e.g. "lihat lampiran").
A faulty row replaces the cooperative's correct row for that month (the Dinas got only the bad one).
File faults (`missing_required_column`): one kabupaten's yearly backlog, re-sent as a file of its own, whose `nik`
header reads `no_koperasi`, and one monthly file without its `period_end` column; the whole file must be rejected.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

KINDS = (
    "negative_total_assets",
    "loans_at_risk_exceeds_loans",
    "current_assets_exceed_total_assets",
    "period_in_future",
    "unknown_nik",
    "text_in_number",
)
KIND_COLUMN = {
    "negative_total_assets": "total_assets",
    "loans_at_risk_exceeds_loans": "loans_at_risk",
    "current_assets_exceed_total_assets": "current_assets",
    "period_in_future": "period_end",
    "unknown_nik": "nik",
    "text_in_number": "members",
}
TEXTS = ("lihat lampiran", "belum diisi", "± 250 orang", "data menyusul", "tidak ada data")
BROKEN_HEADERS = {"nik": "no_koperasi"}  # renamed; a missing `period_end` is dropped instead


def choose_broken_files(rng: np.random.Generator, files: pd.Series) -> list[dict]:
    """One kabupaten's yearly backlog with a renamed `nik` header and one monthly file without `period_end`
    (`files`: every row's file with the backlog named per kabupaten and year, `layout.report_files(..., None)`)."""
    counts = files[files.str.startswith("inbox/")].value_counts()
    counts = counts[counts >= 5].sort_index()
    yearly = counts[counts.index.str.match(r"^inbox/laporan_keuangan_\d{4}_")]
    monthly = counts[counts.index.str.match(r"^inbox/laporan_keuangan_\d{4}-\d{2}_")]
    out = []
    if len(yearly):
        f = yearly.index[rng.integers(0, len(yearly))]
        out.append({"file": f, "dataset": "laporan_keuangan", "channel": "inbox", "kind": "missing_required_column",
                    "column": "nik", "detail": "header `nik` written as `no_koperasi`", "rows": int(yearly[f])})
    if len(monthly):
        f = monthly.index[rng.integers(0, len(monthly))]
        out.append({"file": f, "dataset": "laporan_keuangan", "channel": "inbox", "kind": "missing_required_column",
                    "column": "period_end", "detail": "column `period_end` missing", "rows": int(monthly[f])})
    return out


def inject(
    rng: np.random.Generator, reports: pd.DataFrame, rate: float, excluded_files: set[str], known_niks: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Break about `rate` of the report rows (at least one of each kind when rate > 0).

    `reports` must carry `file` and `channel` columns. Returns (clean rows, faulty rows); the faulty rows have
    the report columns (object dtype where text went in) plus kind, column, value, source_nik, source_period_end.
    """
    if rate <= 0 or reports.empty:
        return reports, reports.iloc[:0].assign(kind="", column="", value="", source_nik="", source_period_end=pd.NaT)
    allowed = ~reports["file"].isin(excluded_files).to_numpy()
    n_faults = max(len(KINDS), int(round(rate * len(reports))))
    per_kind = np.full(len(KINDS), n_faults // len(KINDS))
    per_kind[rng.choice(len(KINDS), size=n_faults % len(KINDS), replace=False)] += 1
    taken = np.zeros(len(reports), dtype=bool)
    picks = []
    has_loans = reports["loans_outstanding"].fillna(0).to_numpy(dtype=float) > 0
    has_assets = reports["total_assets"].fillna(0).to_numpy(dtype=float) > 0
    for kind, k in zip(KINDS, per_kind):
        ok = allowed & ~taken & has_assets
        if kind == "loans_at_risk_exceeds_loans":
            ok &= has_loans
        cand = np.flatnonzero(ok)
        chosen = np.sort(rng.choice(cand, size=min(k, len(cand)), replace=False))
        taken[chosen] = True
        picks.append((kind, chosen))

    broken = []
    for kind, rows in picks:
        bad = reports.iloc[rows].copy()
        bad["source_nik"] = bad["nik"]
        bad["source_period_end"] = bad["period_end"]
        bad["kind"] = kind
        bad["column"] = KIND_COLUMN[kind]
        _break(rng, kind, bad, known_niks)
        bad["value"] = bad[KIND_COLUMN[kind]].astype(str)
        broken.append(bad)
    faulty = pd.concat(broken, ignore_index=True)
    clean = reports[~taken].reset_index(drop=True)
    return clean, faulty


def _break(rng: np.random.Generator, kind: str, bad: pd.DataFrame, known_niks: set[str]) -> None:
    m = len(bad)
    if m == 0:
        return
    if kind == "negative_total_assets":
        bad["total_assets"] = -bad["total_assets"]
        bad["current_assets"] = pd.NA
        bad["cash_and_bank"] = pd.NA
    elif kind == "loans_at_risk_exceeds_loans":
        extra = np.maximum(1, np.rint(bad["loans_outstanding"].to_numpy(dtype=float) * rng.uniform(0.05, 0.6, m)))
        bad["loans_at_risk"] = pd.array(bad["loans_outstanding"].to_numpy(dtype=float) + extra, dtype="Int64")
    elif kind == "current_assets_exceed_total_assets":
        ta = bad["total_assets"].to_numpy(dtype=float)
        bad["current_assets"] = pd.array(ta + np.maximum(1000, np.rint(ta * rng.uniform(0.05, 0.5, m))), dtype="Int64")
    elif kind == "period_in_future":
        period = pd.to_datetime(bad["period_end"])
        shifted = (period.dt.to_period("M") + 120).dt.to_timestamp(how="end").dt.normalize()
        bad["period_end"] = shifted.astype(bad["period_end"].dtype)
    elif kind == "unknown_nik":
        niks = []
        for nik in bad["nik"]:  # a handful of rows
            while True:
                candidate = nik[:4] + str(int(rng.integers(100_000_000, 1_000_000_000)))
                if candidate not in known_niks:
                    niks.append(candidate)
                    known_niks.add(candidate)
                    break
        bad["nik"] = niks
    elif kind == "text_in_number":
        bad["members"] = pd.Series(np.array(TEXTS, dtype=object)[rng.integers(0, len(TEXTS), m)], index=bad.index, dtype=object)
