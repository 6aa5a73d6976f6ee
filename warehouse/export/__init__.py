"""Bulk exports: the datasets and their data dictionary, the filter parameters, and the one `build` that the export
page, the read-only `/api/v1` and `python app.py export` all go through (so per-user scoping has one place).

One job per module, in the order a request meets them:
    params      the shared filter grammar (kab, jenis, periode, … limit, offset): one pydantic model, its errors
    catalogue   the datasets, their columns and the bilingual data dictionary
    request     a request's dataset and parameters → Selection, Paging
    statements  the SQL select of each dataset
    rows        build → Export: counted, paged or streamed as Arrow tables; the page's preview
    serialise   Arrow tables → CSV / JSON bytes (formula guard, DATA SIMULASI line, envelope)
    names       ETag, file name, CLI line
    options     the months and fiscal years the export page offers
"""
from __future__ import annotations

# The columns of each dataset (REGISTRY_FIELDS, …) are in `catalogue`; nothing outside the package reads them.
from warehouse.export.catalogue import DATASETS, PROVINCE_NAME, Dataset, Field, dictionary
from warehouse.export.names import CLI_OPTIONS, cli_line, etag, filename
from warehouse.export.options import fiscal_years, period_options
from warehouse.export.params import (
    FRAMEWORKS,
    JSON_LIMIT_DEFAULT,
    JSON_LIMIT_MAX,
    P_FRAMEWORK,
    P_FROM,
    P_LIMIT,
    P_OFFSET,
    P_PERIOD,
    P_REGENCY,
    P_SCOPE,
    P_TO,
    P_TYPE,
    P_YEAR,
    PAGING,
    SCOPES,
    TYPES,
    ExportError,
    FilterParams,
    Paging,
    Selection,
)
from warehouse.export.request import check_dataset, parse
from warehouse.export.rows import CHUNK_ROWS, Export, build, preview, row_count
from warehouse.export.serialise import (
    FORMULA_START,
    csv_chunks,
    csv_table,
    envelope,
    json_chunks,
    preamble,
    safe_cell,
    write_file,
)
from warehouse.export.statements import WITA

__all__ = [
    "CHUNK_ROWS", "CLI_OPTIONS", "DATASETS", "FORMULA_START", "FRAMEWORKS", "JSON_LIMIT_DEFAULT", "JSON_LIMIT_MAX",
    "PAGING", "PROVINCE_NAME", "P_FRAMEWORK", "P_FROM", "P_LIMIT", "P_OFFSET", "P_PERIOD", "P_REGENCY", "P_SCOPE", "P_TO",
    "P_TYPE", "P_YEAR", "SCOPES", "TYPES", "WITA", "Dataset", "Export",
    "ExportError", "Field", "Paging", "FilterParams", "Selection", "build", "check_dataset", "cli_line", "csv_chunks",
    "csv_table", "dictionary", "envelope", "etag", "filename", "fiscal_years", "json_chunks", "parse",
    "period_options", "preamble", "preview", "row_count", "safe_cell", "write_file",
]
