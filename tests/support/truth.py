"""An independent check of the published figures against their registry definitions, from the API's own answers.

`differences(get)` reads `/api/v1/reports`, `/snapshots` and `/regency_indicators` through `get(path) -> dict`
(a Flask test client or HTTP), recomputes every snapshot ratio from the report rows with the registry's formula
(written here a second time, on purpose, in plain Python) and every kabupaten/province count and share over the
snapshot rows, and returns the differences. Run it on any warehouse:

    python -m tests.support.truth sqlite:///data/warehouse.db
"""
from __future__ import annotations

import math
import sys
from collections import defaultdict
from datetime import date

from indicators import registry


def _month(day: str) -> int:
    d = date.fromisoformat(day)
    return d.year * 12 + d.month - 1


def _all(get, dataset: str, query: str = "") -> list[dict]:
    rows, offset = [], 0
    while True:
        page = get(f"/api/v1/{dataset}.json?limit=10000&offset={offset}{query}")
        rows += page["rows"]
        offset += page["count"]
        if not page["next"]:
            return rows


def _term(report: dict, term) -> float | None:
    if isinstance(term, str):
        return report.get(term)
    total = 0.0
    for column, coef in term.items():
        value = report.get(column)
        if value is None:
            return None
        total += coef * value
    return total


def formula_value(ind_id: str, report: dict, year_ago: dict | None) -> float | None:
    """The registry formula of `ind_id` applied to one report row (percent), None when it cannot be computed."""
    spec = registry.load().get(ind_id).spec
    if spec["kind"] == "growth":
        now = report.get(spec["column"])
        before = None if year_ago is None else year_ago.get(spec["column"])
        if now is None or before is None or before == 0:
            return None
        return (now - before) / abs(before) * 100
    num, den = _term(report, spec["numerator"]), _term(report, spec["denominator"])
    if num is None or den is None or den == 0:
        return None
    month = date.fromisoformat(report["period_end"]).month
    if spec.get("annualise") == "numerator":
        num = num * 12 / month
    return num / den * 100


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def differences(get) -> dict[str, list]:
    """{"ratios": [...], "shares": [...]}: every snapshot ratio that differs from its registry formula applied to
    the cooperative's latest report within the lookback, and every stored area count/share that differs from the
    count over the snapshot rows of the same period and area."""
    reg = registry.load()
    lookback = int(reg.meta["lookback_months"])
    reports = _all(get, "reports")
    by_coop: dict[str, dict[int, dict]] = defaultdict(dict)
    for r in reports:
        by_coop[r["nik"]][_month(r["period_end"])] = r
    snaps = _all(get, "snapshots")
    ratio_ids = [i for i in ("equity_ratio", "npl_ratio", "roa", "current_ratio", "asset_growth", "member_growth")]
    out: dict[str, list] = {"ratios": [], "shares": []}
    for s in snaps:
        m = _month(s["period_end"])
        months = by_coop.get(s["nik"], {})
        latest = max((k for k in months if m - lookback < k <= m), default=None)
        for ind_id in ratio_ids:
            if latest is None:
                expected = None
            else:
                expected = formula_value(ind_id, months[latest], months.get(latest - 12))
            if not _same(s[ind_id], expected):
                out["ratios"].append((s["nik"], s["period_end"], ind_id, s[ind_id], expected))
        if bool(s["monitored"]) != (latest is not None):
            out["ratios"].append((s["nik"], s["period_end"], "monitored", s["monitored"], latest is not None))
    # area counts and shares over the snapshot population, kabupaten and province
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in snaps:
        for area in (s["regency_code"], "53"):
            c = counts[(area, s["period_end"])]
            if s["monitored"]:
                c["monitored_cooperatives"] += 1
                c["scored"] += s["health_category"] is not None
                c["sehat"] += s["health_category"] == "sehat"
            c["expected"] += s["report_status"] is not None
            c["received"] += s["report_status"] in ("on_time", "late")
            c["received_on_time"] += s["report_status"] == "on_time"
    periods = {p for _, p in counts}
    for period in sorted(periods):
        for row in get(f"/api/v1/regency_indicators.json?limit=10000&periode={period[:7]}")["rows"]:
            c = counts.get((row["regency_code"], period), defaultdict(int))
            for name in ("monitored_cooperatives", "scored", "sehat", "expected", "received", "received_on_time"):
                if row[name] != c[name]:
                    out["shares"].append((row["regency_code"], period, name, row[name], c[name]))
            for share, (num, den) in {"pct_sehat": ("sehat", "scored"), "reporting_rate": ("received", "expected"),
                                      "on_time_rate": ("received_on_time", "expected")}.items():
                expected = c[num] / c[den] * 100 if c[den] else None
                if not _same(row[share], expected):
                    out["shares"].append((row["regency_code"], period, share, row[share], expected))
    return out


def main(url: str) -> int:
    from settings import load_settings

    from app import create_app

    app = create_app(load_settings(DATABASE_URL=url, SCHEDULER="off", DEMO="off", ACCESS_CONTROL="off"))
    client = app.server.test_client()
    found = differences(lambda path: client.get(path).get_json())
    for kind, rows in found.items():
        print(f"{kind}: {len(rows)} differences")
        for row in rows[:10]:
            print("  ", row)
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
