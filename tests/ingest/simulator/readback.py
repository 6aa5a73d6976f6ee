"""Read the simulator's files back the way an ingestor would, into canonical column names (test helper)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ingest.simulator.contract import ALIASES, VALUE_ALIASES
from tests.ingest.simulator.contract_rules import NUMBER_COLUMNS

NUMERIC_TEXT = set(NUMBER_COLUMNS)  # the report's number columns, one list for the simulator tests


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
