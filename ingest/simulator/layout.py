"""Where each simulated row is written (paths relative to the output folder, forward slashes)."""
from __future__ import annotations

import numpy as np
import pandas as pd

INBOX = "inbox"
PLATFORM = "platform"
REGISTRY = "registry"
PLATFORM_FILES = {
    "koperasi": "platform/cooperatives.json",
    "laporan_keuangan": "platform/reports.json",
    "rat": "platform/meetings.json",
    "digital": "platform/digital.json",
}
ENDPOINTS = {"cooperatives": "koperasi", "reports": "laporan_keuangan", "meetings": "rat", "digital": "digital"}
REGISTRY_FILE = "registry/registry_export.csv"
MONTHLY_FILES = 12  # the last 12 months come as monthly files, older months as one backlog file per year


def workbook_file(regency_code: str) -> str:
    return f"inbox/koperasi_{regency_code}.xlsx"


def report_files(channel: pd.Series, regency_code: pd.Series, period_end: pd.Series, last_month_end: pd.Timestamp) -> pd.Series:
    """The file each report row goes to: monthly CSV for the last 12 months, a yearly backlog CSV before that."""
    period = pd.to_datetime(period_end)
    months_back = (last_month_end.year - period.dt.year) * 12 + (last_month_end.month - period.dt.month)
    monthly = months_back < MONTHLY_FILES
    label = np.where(monthly, period.dt.strftime("%Y-%m"), period.dt.year.astype(str))
    inbox = "inbox/laporan_keuangan_" + pd.Series(label, index=period.index) + "_" + regency_code.astype(str) + ".csv"
    return pd.Series(np.where(channel.to_numpy() == "platform", PLATFORM_FILES["laporan_keuangan"], inbox), index=period.index)
