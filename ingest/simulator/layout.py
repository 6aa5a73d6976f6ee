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
MONTHLY_FILES = 2  # the last 2 months come as one file per kabupaten and month; older months as yearly backlogs
PROVINCE = "provinsi"  # the backlog files hold every kabupaten: laporan_keuangan_<YYYY>_provinsi.csv


def workbook_file(regency_code: str) -> str:
    return f"inbox/koperasi_{regency_code}.xlsx"


def report_files(channel: pd.Series, regency_code: pd.Series, period_end: pd.Series, last_month_end: pd.Timestamp,
                 kabupaten_years: frozenset[str] | None = frozenset()) -> pd.Series:
    """The file each report row goes to: a CSV per kabupaten and month for the last MONTHLY_FILES months; before
    that one backlog CSV per year for the whole province (few large files: the history loads in seconds). A
    kabupaten-year named in `kabupaten_years` (`inbox/laporan_keuangan_<YYYY>_<code>.csv`, a backlog an office
    re-sent on its own) keeps its own file; `kabupaten_years=None` names every backlog that way (the candidates
    the simulator picks a broken file from)."""
    period = pd.to_datetime(period_end)
    months_back = (last_month_end.year - period.dt.year) * 12 + (last_month_end.month - period.dt.month)
    monthly = (months_back < MONTHLY_FILES).to_numpy()
    label = pd.Series(np.where(monthly, period.dt.strftime("%Y-%m"), period.dt.year.astype(str)), index=period.index)
    own = "inbox/laporan_keuangan_" + label + "_" + regency_code.astype(str) + ".csv"
    if kabupaten_years is None:
        inbox = own
    else:
        province = "inbox/laporan_keuangan_" + label + f"_{PROVINCE}.csv"
        inbox = pd.Series(np.where(monthly | own.isin(kabupaten_years).to_numpy(), own, province), index=period.index)
    return pd.Series(np.where(channel.to_numpy() == "platform", PLATFORM_FILES["laporan_keuangan"], inbox), index=period.index)
