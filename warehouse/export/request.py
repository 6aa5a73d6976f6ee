"""Reading one export request (the API's URL, the CLI's options, the export page's link): which dataset, which of
its parameters, each given once, then the shared parameter model — into the `Selection` and `Paging` that
`build` takes."""
from __future__ import annotations

from collections.abc import Iterable

from warehouse.export.catalogue import DATASETS, Dataset
from warehouse.export.params import KNOWN, PAGING, RANGE, ExportError, Paging, Selection, read


def check_dataset(dataset: str) -> Dataset:
    if dataset not in DATASETS:
        names = ", ".join(DATASETS)
        raise ExportError("dataset", dataset, f"unknown dataset; one of: {names}",
                          f"dataset tidak dikenal; pilih salah satu: {names}", status=404)
    return DATASETS[dataset]


def parse(dataset: str, pairs: Iterable[tuple[str, str]], paging: bool = True,
          limit_default: int | None = None) -> tuple[Selection, Paging]:
    """Validate the query parameters (`(name, value)` pairs, a name may come twice) for `dataset`.

    Raises `ExportError` naming the parameter, the value and the rule for an unknown dataset (404), an unknown or
    repeated parameter, a parameter that does not apply to the dataset, and (from the parameter model) an unknown
    kabupaten code, type or method, a malformed month or year, a range that ends before it starts, or bad paging
    values (400). Empty values count as not given (a cleared drop-down)."""
    spec = check_dataset(dataset)
    allowed = set(spec.params) | (set(PAGING) if paging else set())
    seen: dict[str, str] = {}
    for name, value in pairs:
        value = (value or "").strip()
        if name not in allowed:
            raise ExportError(name, value, *_not_taken(spec, name, allowed))
        if name in seen:
            raise ExportError(name, value, "given more than once", "diberikan lebih dari sekali")
        seen[name] = value
    params = read(seen, allow_province=spec.province_row)
    limit = params.limit if params.limit is not None else limit_default
    return Selection.of(dataset, params), Paging(limit, params.offset)


def _not_taken(spec: Dataset, name: str, allowed: set[str]) -> tuple[str, str]:
    """Why `name` is refused for the dataset (English, Indonesian)."""
    takes = ", ".join(sorted(allowed))
    if name not in KNOWN:
        return (f"unknown parameter; dataset {spec.name} takes: {takes}",
                f"parameter tidak dikenal; dataset {spec.name} menerima: {takes}")
    rule = (f"does not apply to dataset {spec.name}; it takes: {takes}",
            f"tidak berlaku untuk dataset {spec.name}; parameternya: {takes}")
    if name in RANGE and spec.period == "year":
        rule = (rule[0] + " (the fiscal year is tahun=YYYY)", rule[1] + " (tahun buku: tahun=YYYY)")
    return rule
