"""What names an export: its entity tag (an unchanged warehouse answers 304), its file name, and the command line
that writes the same file."""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from warehouse.export.params import P_FRAMEWORK, P_FROM, P_PERIOD, P_REGENCY, P_TO, P_TYPE, P_YEAR, Paging, Selection

if TYPE_CHECKING:
    from warehouse.export.rows import Export

# The CLI option of each URL parameter (python app.py export DATASET --out FILE ...).
CLI_OPTIONS = {P_REGENCY: "--regency", P_TYPE: "--type", P_PERIOD: "--period", P_FROM: "--from", P_TO: "--to",
               P_YEAR: "--year", P_FRAMEWORK: "--framework"}


def cli_line(selection: Selection) -> str:
    """The command line that writes the same file as the API's CSV."""
    options = " ".join(f"{CLI_OPTIONS[k]} {v}" for k, v in selection.params().items())
    return f"python app.py export {selection.dataset} --out {filename(selection, 'csv')}" + (
        f" {options}" if options else "")


def etag(export: Export, fmt: str, paging: Paging | None = None, extra: str = "") -> str:
    """An entity tag keyed on the data version and the request: an unchanged warehouse answers 304."""
    key = json.dumps([export.selection.dataset, export.selection.params(), fmt,
                      [paging.limit, paging.offset] if paging else None, extra], sort_keys=True)
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return f'"v{export.data_version}-{digest}"'


def filename(selection: Selection, ext: str) -> str:
    """pantau-koperasi_reports_kab-5371_2026-09.csv"""
    parts = ["pantau-koperasi", selection.dataset]
    short = {P_FROM: "dari", P_TO: "sampai"}
    for name, value in selection.params().items():
        parts.append(value if name in (P_PERIOD, P_YEAR) else f"{short.get(name, name)}-{value}")
    return "_".join(parts).replace("/", "-") + f".{ext}"

