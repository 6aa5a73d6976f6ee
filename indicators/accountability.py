"""Accountability indicators: RAT compliance and grade, inactivity, reporting rates, SHU disclosure, audit duty."""

from __future__ import annotations

import logging
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from indicators import core, norms as norm_files, vocabulary

log = logging.getLogger(__name__)

METHOD = "accountability"
ACTIVE_STATUS = vocabulary.ACTIVE_WORDS
GRADES = vocabulary.RAT_GRADES


def load_norms() -> dict:
    """Deadlines, grade window and thresholds (``indicators/norms/accountability.toml``)."""
    return norm_files.load_norms(METHOD)


# --------------------------------------------------------------------------- helpers
def _date_in_month(year: np.ndarray, month0: np.ndarray, day: int | np.ndarray) -> pd.Series:
    """The date ``day`` (clipped to the month's length) of the month year*12+month0 (month0 may overflow)."""
    total = np.asarray(year, dtype="int64") * 12 + np.asarray(month0, dtype="int64")
    first = pd.to_datetime(pd.DataFrame({"year": total // 12, "month": total % 12 + 1, "day": 1}))
    dim = first.dt.days_in_month.to_numpy()
    return first + pd.to_timedelta(np.minimum(day, dim) - 1, unit="D")


def _month_end(year: np.ndarray, month0: np.ndarray) -> pd.Series:
    return _date_in_month(year, month0, 31)


def _dates(values: pd.Series) -> pd.Series:
    return core.local_dates(values)


def _active(registry: pd.DataFrame) -> pd.Series:
    return registry["status"].astype("str").str.strip().str.lower().isin(ACTIVE_STATUS)


def _in_programmes(registry: pd.DataFrame, programmes) -> pd.Series:
    """Registry rows of a government programme in `programmes` (e.g. kdmp); False where the column is absent."""
    if "programme" not in registry or not programmes:
        return pd.Series(False, index=registry.index)
    return registry["programme"].isin(list(programmes)).fillna(False).astype(bool)


def _established(registry: pd.DataFrame) -> np.ndarray:
    if "established_year" not in registry:
        return np.full(len(registry), np.nan)
    return core.to_float(registry["established_year"])


def _int_years(values: pd.Series) -> np.ndarray:
    return core.to_float(values)


# --------------------------------------------------------------------------- (1) RAT compliance
def rat_compliance(
    rat: pd.DataFrame,
    registry: pd.DataFrame | None = None,
    fiscal_years: Iterable[int] | None = None,
    norms: Mapping | None = None,
) -> pd.DataFrame:
    """RAT held within the deadline, per cooperative × fiscal year (UU 25/1992 Pasal 26; SE Deputi 1/2025).

    deadline = last day of the ``rat.deadline_months_after_year_end``-th month after 31 December of the fiscal
    year (default 6 → 30 June of the next year); ``held_on_time`` = held_on ≤ deadline. The administrative
    report deadline (default 4 → 30 April, primary cooperatives) gives ``reported_on_time``.

    With ``registry`` and ``fiscal_years`` the frame covers every *active* cooperative × fiscal year from its
    ``established_year`` on (unknown year = always expected); a missing RAT row is "not held". Without them
    it covers the rows of ``rat``. Duplicate rows of a cooperative × year keep the earliest ``held_on``.

    Columns: ``nik``, ``fiscal_year``, ``held_on``, ``held``, ``deadline``, ``held_on_time``, ``days_late``
    (held after the deadline; NaN when not held or on time → 0), ``reported_on``, ``reported``,
    ``report_deadline``, ``reported_on_time``.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    rule = norms["rat"]
    r = pd.DataFrame({
        "nik": rat["nik"].astype("str"),
        "fiscal_year": _int_years(rat["fiscal_year"]),
        "held_on": _dates(rat["held_on"]) if "held_on" in rat else pd.NaT,
        "reported_on": _dates(rat["reported_on"]) if "reported_on" in rat else pd.NaT,
    })
    r = r.dropna(subset=["fiscal_year"]).sort_values(["held_on", "reported_on"], na_position="last")
    r = r.drop_duplicates(["nik", "fiscal_year"], keep="first")
    if registry is not None and fiscal_years is not None:
        reg = registry.loc[_active(registry)]
        grid = pd.DataFrame({"nik": reg["nik"].astype("str").to_numpy(), "_est": _established(reg)})
        grid = grid.merge(pd.DataFrame({"fiscal_year": np.asarray(list(fiscal_years), dtype="float64")}), how="cross")
        grid = grid.loc[np.isnan(grid["_est"]) | (grid["_est"] <= grid["fiscal_year"])].drop(columns="_est")
        r = grid.merge(r, on=["nik", "fiscal_year"], how="left")
    r = r.reset_index(drop=True)
    fy = r["fiscal_year"].to_numpy().astype("int64")
    r["fiscal_year"] = fy
    r["held"] = r["held_on"].notna()
    r["deadline"] = _month_end(fy, 11 + int(rule["deadline_months_after_year_end"]))
    r["held_on_time"] = r["held"] & (r["held_on"] <= r["deadline"])
    late = (r["held_on"] - r["deadline"]).dt.days.astype("float64")
    r["days_late"] = np.where(r["held"], np.maximum(late, 0.0), np.nan)
    r["reported"] = r["reported_on"].notna()
    r["report_deadline"] = _month_end(fy, 11 + int(rule["report_deadline_months_after_year_end"]))
    r["reported_on_time"] = r["reported"] & (r["reported_on"] <= r["report_deadline"])
    cols = ["nik", "fiscal_year", "held_on", "held", "deadline", "held_on_time", "days_late",
            "reported_on", "reported", "report_deadline", "reported_on_time"]
    return r[cols].sort_values(["nik", "fiscal_year"]).reset_index(drop=True)


# --------------------------------------------------------------------------- (2)+(3) grade and inactivity
def _rat_years(rat: pd.DataFrame, counts_when: str) -> pd.DataFrame:
    held = _dates(rat["held_on"]).notna() if "held_on" in rat else pd.Series(False, index=rat.index)
    reported = _dates(rat["reported_on"]).notna() if "reported_on" in rat else pd.Series(False, index=rat.index)
    counted = {"held": held, "reported": reported, "held_and_reported": held & reported,
               "held_or_reported": held | reported}
    if counts_when not in counted:
        raise ValueError(f"grade.counts_when must be one of {sorted(counted)}, not {counts_when!r}")
    years = pd.DataFrame({"nik": rat["nik"].astype("str"), "fiscal_year": _int_years(rat["fiscal_year"])})
    return years.loc[counted[counts_when].to_numpy()].dropna().drop_duplicates()


def rat_grades(rat: pd.DataFrame, registry: pd.DataFrame, fiscal_year: int, norms: Mapping | None = None) -> pd.DataFrame:
    """RAT grade A/B/C1/C2/D of every registry cooperative as of ``fiscal_year`` Y, like the NIK registry's.

    Window W = the last ``grade.window_years`` (3) fiscal years, Y−2 … Y. A year counts when the cooperative's
    RAT for it was held (``grade.counts_when``: "held" by default; "reported", "held_and_reported" or
    "held_or_reported" are possible). n = counted years in W. "Young" = ``established_year`` ≥ Y−2.

    - A: n = 3 (a RAT for each of Y−2, Y−1, Y).
    - B: n = 2 (any two of the three).
    - C1: n = 1 and young.
    - C2: n = 1 and not young. Edge case: the registry text says "only 1 RAT (current year)"; a single RAT
      in Y−1 or Y−2 is also C2 here (otherwise the grade would be undefined).
    - D: n = 0, young or not (a cooperative founded in Y with no RAT yet is D).
    - Unknown ``established_year`` counts as not young (C2 rather than C1).
    - Founded after Y: grade NA (it did not exist as of Y). RAT rows for years outside W are ignored;
      duplicate rows of one year count once.

    ``inactive`` (Permenkop 19/2015 as quoted): no counted RAT in the last ``inactive.years_without_rat`` (3)
    fiscal years, all of which the cooperative existed for (established_year ≤ Y−2, or unknown).

    Columns: ``nik``, ``regency_code`` (when in the registry), ``fiscal_year``, ``established_year``,
    ``rats_in_window``, ``rat_current_year``, ``last_rat_year`` (latest counted year ≤ Y, any age),
    ``grade``, ``years_without_rat`` (consecutive years up to Y without a counted RAT, capped at the
    cooperative's age when known; NaN when no RAT is known and the age is unknown), ``inactive``.
    """
    return rat_grades_years(rat, registry, [fiscal_year], norms)


def rat_grades_years(rat: pd.DataFrame, registry: pd.DataFrame, fiscal_years: Iterable[int],
                     norms: Mapping | None = None) -> pd.DataFrame:
    """:func:`rat_grades` of every fiscal year of ``fiscal_years`` at once: the frames of each year, one after the
    other in the order given (the refresh grades eight or more years of a kabupaten in one call; a call per year
    paid pandas' fixed costs each time)."""
    norms = norm_files.resolve_norms(norms, METHOD)
    w = int(norms["grade"]["window_years"])
    k = int(norms["inactive"]["years_without_rat"])
    counted = _rat_years(rat, norms["grade"].get("counts_when", "held"))
    nik = registry["nik"].astype("str")
    known = pd.Index(nik.to_numpy()).unique()
    slot = known.get_indexer(nik.to_numpy())                      # each registry row's cooperative
    held_by = known.get_indexer(counted["nik"].to_numpy())        # each counted RAT's (-1: not in the registry)
    fy = np.asarray(counted["fiscal_year"].to_numpy(), dtype="float64")
    ok = held_by >= 0
    held_by, fy = held_by[ok], fy[ok]
    est = _established(registry)
    regency = registry["regency_code"].astype("str").to_numpy() if "regency_code" in registry else None
    est_int = pd.array(np.where(np.isnan(est), np.nan, est), dtype="Float64").astype("Int64")
    frames = []
    for y in (int(v) for v in fiscal_years):
        n = np.bincount(held_by[(fy <= y) & (fy > y - w)], minlength=len(known))[slot]
        nk = np.bincount(held_by[(fy <= y) & (fy > y - k)], minlength=len(known))[slot]
        current = np.zeros(len(known), dtype=bool)
        current[held_by[fy == y]] = True
        last_u = np.full(len(known), -np.inf)
        upto = fy <= y
        np.maximum.at(last_u, held_by[upto], fy[upto])
        last_arr = np.where(np.isinf(last_u), np.nan, last_u)[slot]
        out = pd.DataFrame({"nik": nik.to_numpy()})
        if regency is not None:
            out["regency_code"] = regency
        out["fiscal_year"] = y
        out["established_year"] = est_int
        out["rats_in_window"] = n.astype("int64")
        out["rat_current_year"] = current[slot]
        out["last_rat_year"] = pd.array(last_arr, dtype="Float64").astype("Int64").to_numpy()  # (objects, as before)
        young = est >= y - (w - 1)
        future = est > y
        grade = np.select(
            [future, n >= w, n >= 2, (n == 1) & young, n == 1],
            [None, "A", "B", "C1", "C2"],
            default="D",
        ).astype(object)
        out["grade"] = pd.Series(grade, dtype="str")
        # consecutive years without a counted RAT, ending at Y
        gap = np.where(np.isnan(last_arr), np.inf, y - last_arr)
        age = np.where(np.isnan(est), np.inf, y - est + 1)
        without = np.minimum(gap, age)
        out["years_without_rat"] = np.where(np.isinf(without), np.nan, without)
        existed_k = np.isnan(est) | (est <= y - (k - 1))
        out["inactive"] = (nk == 0) & existed_k & ~future
        frames.append(out)
    if not frames:
        return rat_grades(rat, registry, 0, norms).iloc[:0]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def inactive_cooperatives(rat: pd.DataFrame, registry: pd.DataFrame, fiscal_year: int,
                          norms: Mapping | None = None) -> pd.DataFrame:
    """The cooperatives flagged ``inactive`` as of ``fiscal_year`` (three fiscal years without RAT); see
    :func:`rat_grades` for the rule and the columns."""
    grades = rat_grades(rat, registry, fiscal_year, norms)
    return grades.loc[grades["inactive"]].reset_index(drop=True)


# --------------------------------------------------------------------------- (4) reporting rates
def report_deadline(period_end: pd.Series, norms: Mapping | None = None) -> pd.Series:
    """Deadline of a report: day ``reporting.deadline_day`` (20) of the ``deadline_months_after`` (1st)
    month after the month of ``period_end`` (clipped to the month's length)."""
    norms = norm_files.resolve_norms(norms, METHOD)
    rule = norms["reporting"]
    pe = core.local_dates(period_end)
    return _date_in_month(pe.dt.year.to_numpy(), pe.dt.month.to_numpy() - 1 + int(rule["deadline_months_after"]),
                          int(rule["deadline_day"]))


def reporting_status(registry: pd.DataFrame, reports: pd.DataFrame, periods: Iterable,
                     norms: Mapping | None = None) -> pd.DataFrame:
    """Status of every expected report: one row per expected cooperative × period.

    Expected = registry ``status`` active (aktif) and ``established_year`` ≤ the period's year (unknown =
    expected), outside the programmes of ``[reporting] exclude_programmes`` (KDMP report their progress through
    the kdmp dataset). Received = a row in ``reports`` (``nik``, ``period_end``, ``submitted_on``) for that
    cooperative and period; with several rows (revisions) the earliest ``submitted_on`` counts. On time =
    submitted_on ≤ deadline (:func:`report_deadline`); a report without ``submitted_on`` is received but not
    on time. Reports from cooperatives that are not expected are ignored (rates never exceed 100 %).

    Columns: ``nik``, ``regency_code``, ``period_end``, ``deadline``, ``submitted_on``, ``received``,
    ``on_time``, ``days_late`` (NaN when missing or on time → 0), ``status`` (on_time | late | missing).
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    reg = registry.loc[_active(registry) & ~_in_programmes(registry, norms["reporting"].get("exclude_programmes", ()))]
    exp = pd.DataFrame({"nik": reg["nik"].astype("str").to_numpy(),
                        "regency_code": reg["regency_code"].astype("str").to_numpy(),
                        "_est": _established(reg)})
    per = pd.DataFrame({"period_end": _dates(pd.Series(list(periods)))}).drop_duplicates()
    grid = exp.merge(per, how="cross")
    grid = grid.loc[np.isnan(grid["_est"]) | (grid["_est"] <= grid["period_end"].dt.year)].drop(columns="_est")
    got = pd.DataFrame({
        "nik": reports["nik"].astype("str"),
        "period_end": _dates(reports["period_end"]),
        "submitted_on": _dates(reports["submitted_on"]) if "submitted_on" in reports else pd.NaT,
    })
    got["_received"] = True
    got = got.sort_values("submitted_on", na_position="last").drop_duplicates(["nik", "period_end"], keep="first")
    out = grid.merge(got, on=["nik", "period_end"], how="left")
    out["received"] = out["_received"].eq(True)
    out = out.drop(columns="_received")
    out["deadline"] = report_deadline(out["period_end"], norms).to_numpy()
    out["on_time"] = out["received"] & (out["submitted_on"] <= out["deadline"])
    late = (out["submitted_on"] - out["deadline"]).dt.days.astype("float64")
    out["days_late"] = np.where(out["received"], np.maximum(late, 0.0), np.nan)
    out["status"] = pd.Series(np.select([out["on_time"], out["received"]], ["on_time", "late"], "missing"),
                              index=out.index, dtype="str")
    cols = ["nik", "regency_code", "period_end", "deadline", "submitted_on", "received", "on_time",
            "days_late", "status"]
    return out[cols].sort_values(["regency_code", "period_end", "nik"]).reset_index(drop=True)


def reporting_metrics(registry: pd.DataFrame, reports: pd.DataFrame, periods: Iterable,
                      norms: Mapping | None = None) -> pd.DataFrame:
    """DHIS2-style reporting metrics per ``regency_code`` × ``period_end``.

    expected = active cooperatives expected to report (see :func:`reporting_status`); received = those whose
    report arrived; received_on_time = arrived by the deadline (default the 20th of the following month);
    reporting_rate = received / expected × 100; on_time_rate = received_on_time / expected × 100 (DHIS2
    REPORTING_RATE and REPORTING_RATE_ON_TIME). Rates are NaN when nothing is expected.
    """
    status = reporting_status(registry, reports, periods, norms)
    g = status.groupby(["regency_code", "period_end"], sort=True)
    out = pd.DataFrame({
        "expected": g.size(),
        "received": g["received"].sum(),
        "received_on_time": g["on_time"].sum(),
    }).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["reporting_rate"] = np.where(out["expected"] > 0, out["received"] / out["expected"] * 100.0, np.nan)
        out["on_time_rate"] = np.where(out["expected"] > 0, out["received_on_time"] / out["expected"] * 100.0, np.nan)
    return out.reset_index()


def late_filers(registry: pd.DataFrame, reports: pd.DataFrame, periods: Iterable,
                norms: Mapping | None = None) -> pd.DataFrame:
    """Cooperatives with at least one late or missing report over ``periods``, worst first.

    Columns: ``nik``, ``regency_code``, ``expected``, ``received``, ``on_time``, ``late``, ``missing``,
    ``max_days_late``, ``last_missing_period`` (latest period with no report).
    """
    status = reporting_status(registry, reports, periods, norms)
    status["late"] = status["received"] & ~status["on_time"]
    status["missing"] = ~status["received"]
    status["_missing_period"] = status["period_end"].where(status["missing"])
    g = status.groupby(["nik", "regency_code"])
    out = pd.DataFrame({
        "expected": g.size(),
        "received": g["received"].sum(),
        "on_time": g["on_time"].sum(),
        "late": g["late"].sum(),
        "missing": g["missing"].sum(),
    }).astype("int64")
    out["max_days_late"] = g["days_late"].max()
    out["last_missing_period"] = g["_missing_period"].max()
    out = out.reset_index()
    out = out.loc[(out["late"] + out["missing"]) > 0]
    out = out.assign(_bad=out["late"] + out["missing"]).sort_values(["_bad", "missing", "nik"], ascending=[False, False, True])
    return out.drop(columns="_bad").reset_index(drop=True)


# --------------------------------------------------------------------------- (5) SHU disclosure
def shu_disclosure(rat: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """SHU disclosure per cooperative × fiscal year (UU 25/1992 Pasal 45: SHU is distributed as the RA decides).

    ``shu_reported`` = shu_total present; ``shu_to_members_reported`` = shu_to_members present;
    ``shu_to_members_pct`` = shu_to_members / shu_total × 100 (when shu_total > 0);
    ``statements_published`` (nullable boolean: NA = not known); ``disclosed`` = shu_to_members reported and
    statements published. Duplicate rows of a cooperative × year: the last one wins.
    """
    norm_files.resolve_norms(norms, METHOD)
    total = core.to_float(rat["shu_total"]) if "shu_total" in rat else np.full(len(rat), np.nan)
    to_members = core.to_float(rat["shu_to_members"]) if "shu_to_members" in rat else np.full(len(rat), np.nan)
    published = core.to_bool(rat["statements_published"]) if "statements_published" in rat else \
        pd.Series(pd.NA, index=rat.index, dtype="boolean")
    out = pd.DataFrame({
        "nik": rat["nik"].astype("str").to_numpy(),
        "fiscal_year": _int_years(rat["fiscal_year"]).astype("int64"),
        "shu_total": total,
        "shu_to_members": to_members,
    })
    out["shu_reported"] = ~np.isnan(total)
    out["shu_to_members_reported"] = ~np.isnan(to_members)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["shu_to_members_pct"] = np.where(total > 0, to_members / total * 100.0, np.nan)
    out["statements_published"] = published.to_numpy()
    out["disclosed"] = out["shu_to_members_reported"] & out["statements_published"].fillna(False).astype(bool)
    out = out.drop_duplicates(["nik", "fiscal_year"], keep="last")
    return out.sort_values(["nik", "fiscal_year"]).reset_index(drop=True)


# --------------------------------------------------------------------------- (6) audit duty
def audit_status(reports: pd.DataFrame, rat: pd.DataFrame, registry: pd.DataFrame | None = None,
                 norms: Mapping | None = None) -> pd.DataFrame:
    """Public-accountant audit duty per cooperative × fiscal year (Permenkop UKM 2/2024 Pasal 12).

    Required when ``equity`` in the fiscal year-end report (``period_end`` in December; a ``period_type``
    "year" row is preferred over a monthly one) is ≥ ``audit.equity_threshold`` (Rp5 billion). With a
    registry and ``audit.savings_loan_only`` the duty applies to savings-and-loan cooperatives only
    (type simpan_pinjam or a savings-and-loan unit). ``audited`` comes from the RAT row (nullable:
    NA = not known). ``audit_missing`` = required and not known to be audited.

    Columns: ``nik``, ``fiscal_year``, ``equity_year_end``, ``audit_required``, ``audited``, ``audit_missing``.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    rule = norms["audit"]
    pe = core.local_dates(reports["period_end"])
    ye = pd.DataFrame({
        "nik": reports["nik"].astype("str").to_numpy(),
        "fiscal_year": pe.dt.year.to_numpy(),
        "equity_year_end": core.to_float(reports["equity"]) if "equity" in reports else np.nan,
        "_pref": (reports["period_type"].astype("str").str.lower().isin(["year", "tahunan"]).to_numpy()
                  if "period_type" in reports else np.zeros(len(reports), bool)),
    })
    ye = ye.loc[(pe.dt.month == 12).to_numpy()]
    ye = ye.sort_values("_pref").drop_duplicates(["nik", "fiscal_year"], keep="last").drop(columns="_pref")
    ye["fiscal_year"] = ye["fiscal_year"].astype("int64")
    required = ye["equity_year_end"] >= float(rule["equity_threshold"])
    if registry is not None and rule.get("savings_loan_only", True):
        from indicators.finance import is_savings_loan

        sl = registry.loc[is_savings_loan(registry), "nik"].astype("str").to_numpy()
        required &= ye["nik"].isin(sl)
    ye["audit_required"] = required
    audited = pd.DataFrame({
        "nik": rat["nik"].astype("str").to_numpy(),
        "fiscal_year": _int_years(rat["fiscal_year"]).astype("int64"),
        "audited": (core.to_bool(rat["audited"]) if "audited" in rat
                    else pd.Series(pd.NA, index=rat.index, dtype="boolean")).to_numpy(),
    }).drop_duplicates(["nik", "fiscal_year"], keep="last")
    out = ye.merge(audited, on=["nik", "fiscal_year"], how="left")
    out["audited"] = out["audited"].astype("boolean")
    out["audit_missing"] = out["audit_required"] & ~out["audited"].fillna(False).astype(bool)
    return out.sort_values(["nik", "fiscal_year"]).reset_index(drop=True)
