"""Every cooperative at every month-end: the state the roll-ups count and the snapshots the pages list.

The state of a cooperative at period P comes from its latest report in the 12 month-ends up to P (the lookback of
``registry.toml``): that report's figures and the registry's formulas, its health score, the RAT of the last closed
fiscal year, its digital stage at P and whether its report for P arrived. The kabupaten and province roll-ups
(:mod:`indicators.rollup`) count this one frame, and the snapshots are its rows at the snapshot periods, so a share on
the map and the list behind it are the same cooperatives. Frames in, frames out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import accountability, core, digital, peers, registry, vocabulary

RECENT_MONTHS = 12  # the latest month-ends kept as snapshot periods (plus every December)
REPORTING_PERIODS = 24  # periods of reporting status kept for late-filer lists


def lookback_months() -> int:
    """A cooperative is monitored at P while its latest report is at most this many month-ends old (P counts)."""
    return int(registry.load().meta["lookback_months"])


def month_ends(first, last) -> list[pd.Timestamp]:
    """Every month-end from the month of `first` to the month of `last`, oldest first."""
    start = pd.Timestamp(first) + pd.offsets.MonthEnd(0)
    end = pd.Timestamp(last) + pd.offsets.MonthEnd(0)
    return list(pd.date_range(start.normalize(), end.normalize(), freq="ME"))


def snapshot_periods(report_periods) -> list[pd.Timestamp]:
    """The latest RECENT_MONTHS month-ends and every December of the reported periods, oldest first."""
    periods = sorted(pd.to_datetime(pd.Series(report_periods)).dt.normalize().unique())
    chosen = set(periods[-RECENT_MONTHS:]) | {p for p in periods if p.month == 12}
    return sorted(pd.Timestamp(p) for p in chosen)


def _mkey(values) -> np.ndarray:
    d = pd.to_datetime(values)
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype="int64") if isinstance(d, pd.Series) else \
        np.asarray(d.year * 12 + d.month - 1, dtype="int64")


# ------------------------------------------------------------------------------------------- figures per report
def report_figures(reports: pd.DataFrame) -> pd.DataFrame:
    """Per report row: members, total assets, every cooperative formula of the registry (ratio or growth, in
    percent; NaN when a part is missing or the denominator is zero) and, for each pooled area figure, the
    numerator and denominator it sums (``_num_<id>``, ``_den_<id>``; annualised per report, NaN unless both
    parts are present)."""
    reg = registry.load()
    panel = core.Panel(reports)
    out = {"nik": reports["nik"].astype(str).to_numpy(), "period_end": pd.to_datetime(reports["period_end"]).to_numpy(),
           "members": panel.col("members"), "total_assets": panel.col("total_assets")}
    for ind_id in reg.formula_ids():
        out[ind_id] = panel.compute(registry.formula(ind_id))[0]
    for ind in reg.level("area"):
        if ind.kind != "pooled":
            continue
        spec = registry.formula(ind.spec["indicator"])
        num, den = panel.combo(spec["numerator"]), panel.combo(spec["denominator"])
        if spec.get("annualise") == "numerator":
            num = num * 12.0 / panel.months
        elif spec.get("annualise") == "denominator":
            den = den * 12.0 / panel.months
        both = ~np.isnan(num) & ~np.isnan(den)
        out[f"_num_{ind.id}"] = np.where(both, num, np.nan)
        out[f"_den_{ind.id}"] = np.where(both, den, np.nan)
    return pd.DataFrame(out, index=reports.index)


# ---------------------------------------------------------------------------------------------------- the state
@dataclass
class State:
    """The cooperative state (one row per registry cooperative × month-end since it was founded) and the status of
    every expected report (one row per active cooperative × month-end), from :func:`build`."""

    frame: pd.DataFrame
    reporting: pd.DataFrame
    periods: list[pd.Timestamp]
    rat: pd.DataFrame | None = None  # rat_table() of the fiscal years the state and the context need


@dataclass(frozen=True)
class Context:
    """What each cooperative's state shares with the whole province: the month-ends of the state, the periods
    anyone reported (the snapshot periods come from them) and the fiscal years with RAT data (before the first
    whole grade window, "no RAT" only means "no data"). A full refresh reads it off all the data
    (:func:`context_of`); an incremental one reads it from the warehouse, so a few cooperatives' state is
    computed exactly as it is in a full refresh."""

    periods: tuple
    report_periods: tuple
    rat_years: tuple

    @property
    def snapshot_periods(self) -> list[pd.Timestamp]:
        return snapshot_periods(self.report_periods) if self.report_periods else []

    @property
    def rat_known_years(self) -> tuple[int, int] | None:
        """(first fiscal year with RAT data, first whose whole grade window is covered), or None without RAT data."""
        if not self.rat_years:
            return None
        window = int(accountability.load_norms()["grade"]["window_years"])
        first = int(min(self.rat_years))
        return first, first + window - 1


def context_of(reports: pd.DataFrame, meetings: pd.DataFrame) -> Context:
    """The context of the given data: every month-end from the first to the last reported period."""
    if reports.empty:
        return Context((), (), _years(meetings))
    reported = pd.to_datetime(reports["period_end"])
    periods = month_ends(reported.min(), reported.max())
    return Context(tuple(periods), tuple(sorted(pd.Timestamp(p).normalize() for p in reported.unique())),
                   _years(meetings))


def _years(meetings: pd.DataFrame) -> tuple:
    if meetings is None or meetings.empty:
        return ()
    return tuple(sorted(int(y) for y in pd.to_numeric(meetings["fiscal_year"]).dropna().unique()))


def _registry(registry_frame: pd.DataFrame) -> pd.DataFrame:
    r = registry_frame.assign(nik=registry_frame["nik"].astype(str)).drop_duplicates("nik")
    legal = r["legal_entity_number"] if "legal_entity_number" in r else pd.Series(None, index=r.index)
    return pd.DataFrame({
        "nik": r["nik"].to_numpy(),
        "regency_code": r["regency_code"].astype(str).to_numpy(),
        "type": r["type"].astype(str).to_numpy(),
        "active": r["status"].astype(str).str.strip().str.lower().isin(vocabulary.ACTIVE_WORDS).to_numpy(),
        "legal_entity": (legal.notna() & legal.astype(str).str.strip().ne("")).to_numpy(),
        "_est": core.to_float(r["established_year"]) if "established_year" in r else np.nan,
    })


def build(registry_frame: pd.DataFrame, reports: pd.DataFrame, health: pd.DataFrame | None,
          meetings: pd.DataFrame, digital_rows: pd.DataFrame, periods=None, context: Context | None = None) -> State:
    """The state of every registry cooperative at every month-end of `periods` (default: the context's, every
    month-end from the first to the last reported period). `context` (default: read off these frames) is what the
    state shares with the rest of the province; an incremental refresh passes the warehouse's.

    Columns (besides nik, period_end, regency_code, type): the flags of ``registry.toml`` (registered, active,
    legal_entity, monitored, reported, scored, category_*, rat_expected, rat_on_time, go_digital, stage_*,
    funnel_*, stuck, expected, received, received_on_time, matched, scored_both), the latest report's
    ``source_period``, members, total_assets, cooperative formulas and pooled parts, ``health_framework``,
    ``health_total``, ``health_category`` (and ``*_prev`` 12 months earlier), the RAT of the last closed fiscal
    year (``rat_fiscal_year``, ``rat_held_on_time``, ``rat_grade``, ``years_without_rat``, ``inactive``), the
    digital stage (``digital_stage``, ``digital_stage_date``, ``digital_days_in_stage``, ``go_digital_stage``,
    ``stuck_in_migration``) and ``report_status``.
    """
    reg = _registry(registry_frame)
    context = context or context_of(reports, meetings)
    if periods is None:
        periods = list(context.periods)
        if not periods:
            return State(pd.DataFrame(), pd.DataFrame(), [])
    periods = [pd.Timestamp(p).normalize() for p in periods]
    if reg.empty or not periods:
        return State(pd.DataFrame(), pd.DataFrame(), periods)
    per = np.array(periods, dtype="datetime64[ns]")
    grid = pd.DataFrame({"nik": np.repeat(reg["nik"].to_numpy(), len(per)), "period_end": np.tile(per, len(reg))})
    grid = grid.merge(reg, on="nik", how="left")
    founded = np.isnan(grid["_est"].to_numpy()) | (grid["_est"].to_numpy() <= grid["period_end"].dt.year.to_numpy())
    grid = grid.loc[founded].drop(columns="_est").sort_values(["period_end", "nik"], kind="stable")
    grid = grid.reset_index(drop=True)
    grid["registered"] = True

    state = _with_reports(grid, reports, health)
    state, rat = _with_rat(state, registry_frame, meetings, context)
    state = _with_digital(state, digital_rows)
    state, reporting = _with_reporting(state, registry_frame, reports, periods)
    state = _with_prior_year(state)
    return State(state.sort_values(["period_end", "nik"], kind="stable").reset_index(drop=True), reporting, periods,
                 rat)


def _with_reports(grid: pd.DataFrame, reports: pd.DataFrame, health: pd.DataFrame | None) -> pd.DataFrame:
    figures = report_figures(reports) if not reports.empty else pd.DataFrame(columns=["nik", "period_end"])
    if health is not None and not health.empty:
        h = health.rename(columns={"total": "health_total", "category": "health_category",
                                   "framework": "health_framework"})[["nik", "period_end", "health_framework",
                                                                      "health_total", "health_category"]]
        h = h.assign(nik=h["nik"].astype(str), period_end=pd.to_datetime(h["period_end"]))
        figures = figures.merge(h, on=["nik", "period_end"], how="left")
    for col in ("health_framework", "health_category"):
        if col not in figures:
            figures[col] = None
    if "health_total" not in figures:
        figures["health_total"] = np.nan
    right = figures.rename(columns={"period_end": "source_period"})
    right = right.assign(source_period=pd.to_datetime(right["source_period"]).astype("datetime64[ns]"))
    right = right.sort_values("source_period", kind="stable")
    merged = pd.merge_asof(grid, right, left_on="period_end", right_on="source_period", by="nik",
                           direction="backward")
    has_report = merged["source_period"].notna().to_numpy()
    age = _mkey(merged["period_end"]) - _mkey(merged["source_period"].fillna(merged["period_end"]))
    monitored = has_report & (age < lookback_months())
    merged["monitored"] = monitored
    values = [c for c in right.columns if c not in ("nik", "source_period")]
    for col in values:
        if merged[col].dtype == object:
            merged[col] = merged[col].where(monitored, None)
        else:
            merged[col] = merged[col].where(monitored)
    merged["source_period"] = merged["source_period"].where(monitored)
    merged["reported"] = monitored & merged["source_period"].eq(merged["period_end"])
    merged["health_category"] = merged["health_category"].where(merged["health_category"].notna(), None)
    merged["scored"] = monitored & merged["health_category"].notna()
    for cat in vocabulary.HEALTH_CATEGORIES:
        merged[f"category_{cat}"] = merged["health_category"].eq(cat)
    return merged


def rat_table(registry_frame: pd.DataFrame, meetings: pd.DataFrame, years) -> pd.DataFrame:
    """Every registry cooperative × fiscal year of `years`: its registry-style grade (``grade``,
    ``years_without_rat``, ``inactive``) and, where a RAT was expected (``expected``: active and founded by then),
    ``held_on``, ``held``, ``held_on_time``, ``days_late``. The state and the ``rat_status`` rows both read it."""
    years = sorted(int(y) for y in years)
    if not years:
        return pd.DataFrame(columns=["nik", "fiscal_year", "grade", "years_without_rat", "inactive", "held_on",
                                     "held", "held_on_time", "days_late", "expected"])
    comp = accountability.rat_compliance(meetings, registry_frame, fiscal_years=years)
    comp = comp[["nik", "fiscal_year", "held_on", "held", "held_on_time", "days_late"]].assign(expected=True)
    grades = accountability.rat_grades_years(meetings, registry_frame, years)[
        ["nik", "fiscal_year", "grade", "years_without_rat", "inactive"]]
    table = grades.merge(comp, on=["nik", "fiscal_year"], how="left")
    table["nik"] = table["nik"].astype(str)
    table["fiscal_year"] = pd.to_numeric(table["fiscal_year"]).astype("int64")
    table["expected"] = table["expected"].eq(True)
    return table


def _with_rat(state: pd.DataFrame, registry_frame: pd.DataFrame, meetings: pd.DataFrame,
              context: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The RAT of the last closed fiscal year at each month-end, and the RAT table it came from (every fiscal year
    the state or the context needs, so :func:`rat_status` need not compute it again)."""
    # Before the context's first RAT year (and its first whole grade window), "no RAT" only means "no data", so
    # compliance and grades are left empty rather than shown as D.
    state["rat_fiscal_year"] = state["period_end"].dt.year - 1
    known = context.rat_known_years
    if known is None:
        state = state.assign(rat_held_on_time=None, rat_grade=None, years_without_rat=np.nan, inactive=None,
                             rat_expected=False)
        table = rat_table(registry_frame, meetings, [])
    else:
        first, graded = known
        wanted = {int(y) for y in state["rat_fiscal_year"].unique() if y >= first}
        table = rat_table(registry_frame, meetings, wanted | set(context.rat_years))
        rat = table.loc[table["fiscal_year"].isin(wanted), ["nik", "fiscal_year", "grade", "years_without_rat",
                                                             "inactive", "held_on_time", "expected"]]
        rat = rat.rename(columns={"fiscal_year": "rat_fiscal_year", "grade": "rat_grade",
                                  "held_on_time": "rat_held_on_time", "expected": "rat_expected"})
        early = rat["rat_fiscal_year"].to_numpy() < graded
        rat = rat.assign(rat_grade=rat["rat_grade"].where(~early, None),
                         years_without_rat=rat["years_without_rat"].where(~early, np.nan),
                         inactive=rat["inactive"].astype(object).where(~early, None))
        state = state.merge(rat, on=["nik", "rat_fiscal_year"], how="left")
    state["rat_expected"] = state["rat_expected"].eq(True)
    state["rat_held_on_time"] = state["rat_held_on_time"].where(state["rat_expected"], None).astype(object)
    state["rat_on_time"] = state["rat_expected"] & state["rat_held_on_time"].eq(True)
    return state, table


def _with_digital(state: pd.DataFrame, digital_rows: pd.DataFrame) -> pd.DataFrame:
    norms = digital.load_norms()
    order = list(norms["stages"]["order"])
    limit = int(norms["stuck"]["migrating_days"])
    if digital_rows.empty:
        events = pd.DataFrame({"nik": pd.Series(dtype=str), "stage": pd.Series(dtype=str),
                               "stage_date": pd.Series(dtype="datetime64[ns]"),
                               "stage_rank": pd.Series(dtype="float64"), "go_digital": pd.Series(dtype=bool)})
    else:
        events = digital.stage_events(digital_rows, norms)[["nik", "stage", "stage_date", "stage_rank", "go_digital"]]
    events = events.assign(stage_date=pd.to_datetime(events["stage_date"]).astype("datetime64[ns]"))
    events = events.rename(columns={"stage": "digital_stage", "stage_date": "digital_stage_date",
                                    "go_digital": "go_digital_stage"}).sort_values("digital_stage_date", kind="stable")
    events["_date"] = events["digital_stage_date"]
    state = state.sort_values("period_end", kind="stable")
    merged = pd.merge_asof(state, events, left_on="period_end", right_on="_date", by="nik", direction="backward")
    merged = merged.drop(columns="_date")
    merged["digital_days_in_stage"] = (merged["period_end"] - merged["digital_stage_date"]).dt.days.astype("float64")
    merged["go_digital_stage"] = merged["go_digital_stage"].eq(True)
    merged["stuck_in_migration"] = merged["digital_stage"].eq("migrating") & (merged["digital_days_in_stage"] > limit)
    active = merged["active"].to_numpy()
    rank = merged["stage_rank"].to_numpy(dtype="float64")
    merged["go_digital"] = active & merged["go_digital_stage"].to_numpy()
    for k, stage in enumerate(order):
        merged[f"stage_{stage}"] = active & (rank == k)
        merged[f"funnel_{stage}"] = active & (rank >= k)
    merged["stuck"] = active & merged["stuck_in_migration"].to_numpy()
    merged["digital_stage"] = merged["digital_stage"].where(merged["digital_stage"].notna(), None)
    return merged.drop(columns="stage_rank")


def _with_reporting(state: pd.DataFrame, registry_frame: pd.DataFrame, reports: pd.DataFrame, periods):
    status = accountability.reporting_status(registry_frame, reports, periods)
    status = status.assign(nik=status["nik"].astype(str), period_end=pd.to_datetime(status["period_end"]))
    flags = status[["nik", "period_end", "received", "on_time", "status"]].rename(
        columns={"on_time": "received_on_time", "status": "report_status"})
    state = state.merge(flags.assign(expected=True), on=["nik", "period_end"], how="left")
    for col in ("expected", "received", "received_on_time"):
        state[col] = state[col].eq(True)
    state["missing"] = state["expected"] & ~state["received"]
    state["report_status"] = state["report_status"].where(state["report_status"].notna(), None)
    return state, status


def _with_prior_year(state: pd.DataFrame) -> pd.DataFrame:
    """The same cooperative 12 months earlier (``*_prev``), and the like-with-like flags matched / scored_both."""
    cols = ["monitored", "scored", "members", "total_assets", "health_total", "health_category", "category_sehat"]
    prev = state[["nik", "period_end", *cols]].copy()
    prev["period_end"] = prev["period_end"] + pd.offsets.MonthEnd(12)
    prev = prev.rename(columns={c: f"{c}_prev" for c in cols})
    state = state.merge(prev, on=["nik", "period_end"], how="left")
    for col in ("monitored_prev", "scored_prev", "category_sehat_prev"):
        state[col] = state[col].eq(True)
    state["health_category_prev"] = state["health_category_prev"].where(state["health_category_prev"].notna(), None)
    state["matched"] = state["monitored"] & state["monitored_prev"]
    state["scored_both"] = state["scored"] & state["scored_prev"]
    return state


# ------------------------------------------------------------------------------------------------- the snapshots
SNAPSHOT_COLUMNS = (
    "nik", "period_end", "regency_code", "type", "peer_group", "monitored", "source_period", "reported",
    "health_framework",
    "health_category", "health_category_prev", "total_assets", "members")


# Added to the state by indicators/supervision.py and indicators/digital_use.py when the refresh annotates it.
SUPERVISION_COLUMNS = ("supervisor", "programme", "digital_active", "mentoring_hours")


def ranked_names() -> list[str]:
    """The snapshot columns ranked within the peer group (the registry's peer-ranked figures)."""
    return [i.columns("snapshots")[0] for i in registry.load().peer_ranked()]


def snapshots(state: State, version: int, context: Context | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(snapshots, peer statistics): the state at the snapshot periods with each peer-ranked figure's percentile
    in its peer group (type × asset band) and the peer medians and quartiles."""
    frame = state.frame
    if frame.empty:
        return pd.DataFrame(), pd.DataFrame()
    snap = snapshot_rows(state, version, context)
    ranked, stats = peer_ranks(snap, version)
    for col in ranked.columns:
        snap[col] = ranked[col]
    return snap, stats


def snapshot_rows(state: State, version: int, context: Context | None = None) -> pd.DataFrame:
    """The state at the snapshot periods, in the snapshot table's columns; percentiles and peer groups still
    empty (:func:`peer_ranks` ranks them against the whole province)."""
    frame = state.frame
    if context is not None:
        periods = context.snapshot_periods
    else:
        reported = frame.loc[frame["reported"], "period_end"].unique()
        periods = snapshot_periods(reported if len(reported) else frame["period_end"].unique())
    snap = frame.loc[frame["period_end"].isin(periods)].reset_index(drop=True)
    names = ranked_names()
    # the state names a few figures differently from the API columns (roa etc. are the same)
    out = snap.assign(go_digital=snap["go_digital_stage"], data_version=version, peer_group=None,
                      **{f"pct_{n}": np.nan for n in names})
    columns = [*SNAPSHOT_COLUMNS, *names, *(f"pct_{n}" for n in names), "rat_fiscal_year", "rat_held_on_time",
               "rat_grade", "years_without_rat", "inactive", "digital_stage", "digital_stage_date",
               "digital_days_in_stage", "go_digital", "stuck_in_migration", "report_status",
               *(c for c in SUPERVISION_COLUMNS if c in out), "data_version"]
    return out[list(dict.fromkeys(columns))]


def peer_ranks(snap: pd.DataFrame, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``peer_group`` and ``pct_<figure>`` on ``snap.index``, peer statistics) for snapshot rows of the whole
    province: peer groups and percentiles depend on every cooperative of a type and period."""
    names = ranked_names()
    monitored = snap["monitored"].eq(True).to_numpy()
    reg = snap[["nik", "type"]].drop_duplicates("nik")
    ranked = peers.rank_within_peers(snap.loc[monitored, ["nik", "period_end", "total_assets", *names]], reg, names)
    out = pd.DataFrame({"peer_group": ranked["peer_group"].reindex(snap.index)}, index=snap.index)
    for name in names:
        out[f"pct_{name}"] = ranked[f"pct_{name}"].reindex(snap.index)
    grouped = snap.loc[monitored & out["peer_group"].notna().to_numpy(), ["period_end", *names]].assign(
        peer_group=out["peer_group"])
    stats = peers.peer_summary(grouped, names)
    if not stats.empty:
        stats = stats.rename(columns={"q1": "p25", "q3": "p75"})[["period_end", "peer_group", "indicator", "n",
                                                                  "median", "p25", "p75"]]
        stats = stats.loc[stats["n"] > 0].reset_index(drop=True)
        stats["data_version"] = version
    return out, stats


def rat_status(registry_frame: pd.DataFrame, reports: pd.DataFrame, meetings: pd.DataFrame,
               version: int, context: Context | None = None, state: State | None = None) -> pd.DataFrame:
    """Per cooperative × fiscal year (every fiscal year with RAT data in the context): RAT held (on time),
    registry-style grade, SHU disclosure, audit duty. With the `state` built from the same frames, its RAT table
    is reused."""
    context = context or context_of(reports, meetings)
    years = list(context.rat_years)
    if not years:
        return pd.DataFrame()
    table = state.rat if state is not None and state.rat is not None else rat_table(registry_frame, meetings, years)
    table = table.loc[table["expected"] & table["fiscal_year"].isin(years)]
    comp = table[["nik", "fiscal_year", "held_on", "held", "held_on_time", "days_late"]]
    grades = table[["nik", "fiscal_year", "grade", "years_without_rat", "inactive"]]
    shu = accountability.shu_disclosure(meetings).rename(columns={"disclosed": "shu_disclosed"})
    shu = shu[[c for c in ("nik", "fiscal_year", "shu_total", "shu_to_members", "shu_disclosed",
                           "statements_published") if c in shu]]
    audit = accountability.audit_status(reports, meetings, registry_frame)[["nik", "fiscal_year", "audit_required",
                                                                            "audited", "audit_missing"]]
    out = comp.assign(nik=comp["nik"].astype(str), fiscal_year=pd.to_numeric(comp["fiscal_year"]).astype("int64"))
    for part in (grades, shu, audit):
        part = part.assign(nik=part["nik"].astype(str), fiscal_year=pd.to_numeric(part["fiscal_year"]).astype("int64"))
        out = out.merge(part, on=["nik", "fiscal_year"], how="left")
    early = out["fiscal_year"] < context.rat_known_years[1]
    out["inactive"] = out["inactive"].astype(object)
    out.loc[early, ["grade", "years_without_rat", "inactive"]] = None
    out["held"] = out["held"].fillna(False).astype(bool)
    out["held_on_time"] = out["held_on_time"].fillna(False).astype(bool)
    out["data_version"] = version
    return out


def reporting_rows(state: State, version: int) -> pd.DataFrame:
    """Status of every expected report of the latest REPORTING_PERIODS month-ends (late-filer lists)."""
    status = state.reporting
    if status.empty:
        return pd.DataFrame()
    # the state's month-ends, not the ones this frame happens to hold: a few cooperatives' rows (an incremental
    # refresh) keep the same window as the whole province's
    periods = [pd.Timestamp(p) for p in state.periods[-REPORTING_PERIODS:]]
    out = status.loc[status["period_end"].isin(periods),
                     ["nik", "regency_code", "period_end", "deadline", "submitted_on", "status", "days_late"]].copy()
    out["data_version"] = version
    return out.reset_index(drop=True)
