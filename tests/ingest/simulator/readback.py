"""Read the simulator's files back the way an ingestor would, into canonical column names (test helper)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ingest.simulator.contract import ALIASES, VALUE_ALIASES

NUMERIC_TEXT = {
    "members", "total_assets", "current_assets", "cash_and_bank", "total_liabilities", "current_liabilities", "equity",
    "share_capital_principal", "share_capital_mandatory", "reserves", "voluntary_savings", "time_deposits",
    "funds_received", "loans_outstanding", "loans_to_members", "loans_at_risk", "loans_substandard", "loans_doubtful",
    "loans_loss", "loan_loss_reserve", "weighted_capital", "risk_weighted_assets", "gross_participation",
    "net_participation", "revenue", "non_member_revenue", "operating_expenses", "member_operating_expenses",
    "cooperative_expenses", "staff_costs", "shu_gross", "shu_before_tax", "shu_after_tax", "shu_member_share",
    "member_economic_benefit", "management_score",
}


def canonical(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    back = {alias: name for name, alias in ALIASES[dataset].items()}
    frame = frame.rename(columns=lambda c: back.get(c, c))
    for col, mapping in VALUE_ALIASES.items():
        if col in frame:
            reverse = {v: k for k, v in mapping.items()}
            frame[col] = frame[col].map(lambda v, r=reverse: r.get(v, v))
    return frame


def _plain_digits(frame: pd.DataFrame) -> pd.DataFrame:
    """Indonesian-dialect numbers to plain text numbers: 1.234.567 → 1234567, 11,25 → 11.25 (text stays text)."""
    for col in NUMERIC_TEXT & set(frame.columns):
        s = frame[col]
        digits = s.str.fullmatch(r"-?[\d.]+(,\d+)?").fillna(False).to_numpy(dtype=bool)
        frame.loc[digits, col] = s[digits].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return frame


def read_report_csv(path: Path, excel: bool) -> pd.DataFrame:
    """All cells as text, canonical column names and values, plain numbers; `row` = 1-based data row."""
    if excel:
        raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        raw = pd.read_csv(path, sep=",", dtype=str, keep_default_na=False, encoding="utf-8")
    frame = canonical(raw, "laporan_keuangan")
    frame["row"] = range(1, len(frame) + 1)
    return _plain_digits(frame) if excel else frame


def read_inbox_reports(out: Path, manifest: dict) -> pd.DataFrame:
    excel = set(manifest["dialects"]["excel_indonesian"])
    parts = {True: [], False: []}
    for rel in manifest["files"]:
        if not rel.startswith("inbox/laporan_keuangan_"):
            continue
        code = rel.rsplit("_", 1)[-1].removesuffix(".csv")
        is_excel = code in excel
        raw = pd.read_csv(out / rel, sep=";" if is_excel else ",", dtype=str, keep_default_na=False,
                          encoding="utf-8-sig" if is_excel else "utf-8")
        frame = canonical(raw, "laporan_keuangan")
        frame["row"] = range(1, len(frame) + 1)
        frame["file"] = rel
        parts[is_excel].append(frame)
    frames = [_plain_digits(pd.concat(parts[True], ignore_index=True))] if parts[True] else []
    frames += [pd.concat(parts[False], ignore_index=True)] if parts[False] else []
    return pd.concat(frames, ignore_index=True)


def read_platform(out: Path, endpoint: str) -> pd.DataFrame:
    items = json.loads((out / "platform" / f"{endpoint}.json").read_text(encoding="utf-8"))
    frame = pd.DataFrame(items)
    frame["row"] = range(1, len(frame) + 1)
    frame["file"] = f"platform/{endpoint}.json"
    return frame
