"""Digital use that lasts: which Go Digital cooperatives submitted through the platform in each of the last three
months ("digital and active"), and how much mentoring and training each received in the last 12 months (by NIK,
or by the village code of its KDMP). Frames in, frames out; norms/kdmp.toml [digital_active] and [mentoring]."""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import norms as norm_files

METHOD = "kdmp"


def _month_key(values) -> np.ndarray:
    d = pd.to_datetime(pd.Series(values).reset_index(drop=True))
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype="float64")


def mentoring_by_nik(mentoring: pd.DataFrame, registry_frame: pd.DataFrame) -> pd.DataFrame:
    """Mentoring activities as (nik, activity_date, hours): those naming a NIK, and those naming the village code
    of a KDMP in the registry."""
    if mentoring.empty:
        return pd.DataFrame({"nik": pd.Series(dtype=str), "activity_date": pd.Series(dtype="datetime64[ns]"),
                             "hours": pd.Series(dtype="float64")})
    village_to_nik = {}
    if "village_code" in registry_frame:
        reg = registry_frame.dropna(subset=["village_code"])
        village_to_nik = dict(zip(reg["village_code"].astype(str), reg["nik"].astype(str)))
    nik = mentoring["nik"].astype(object)
    nik = nik.where(nik.notna(), mentoring["village_code"].astype(object).map(village_to_nik))
    out = pd.DataFrame({"nik": nik, "activity_date": pd.to_datetime(mentoring["activity_date"]),
                        "hours": pd.to_numeric(mentoring["hours"], errors="coerce")})
    return out.dropna(subset=["nik"]).reset_index(drop=True)


def annotate(state: pd.DataFrame, submissions: pd.DataFrame, mentoring: pd.DataFrame,
             registry_frame: pd.DataFrame, norms: dict | None = None) -> pd.DataFrame:
    """The cooperative state with ``digital_active`` (Go Digital and a platform submission in each of the
    `months` calendar months up to the period), ``mentoring_hours`` (Σ hours of activities in the 12 calendar
    months up to the period) and the flags ``digital_mentored``, ``digital_active_mentored``,
    ``digital_unmentored``, ``digital_active_unmentored``.

    ``submissions``: ``nik`` and ``submitted_on`` of the current reports that came through the platform."""
    norms = norm_files.resolve_norms(norms, METHOD)
    if state.empty:
        return state
    months = int(norms["digital_active"]["months"])
    window = int(norms["digital_active"]["mentoring_months"])
    period_key = _month_key(state["period_end"])
    niks = state["nik"].astype(str).to_numpy()
    codes, uniques = pd.factorize(niks)
    index = {nik: i for i, nik in enumerate(uniques)}

    sub = submissions.dropna(subset=["submitted_on"])
    sub_codes = sub["nik"].astype(str).map(index)
    known = sub_codes.notna().to_numpy()
    sub_keys = np.unique(sub_codes.to_numpy()[known].astype("int64") * 100_000
                         + _month_key(sub["submitted_on"])[known].astype("int64"))
    base = codes.astype("int64") * 100_000 + period_key.astype("int64")
    every = np.ones(len(state), dtype=bool)
    for k in range(months):  # a submission in each of the months P, P − 1, …
        every &= np.isin(base - k, sub_keys)
    go = state["go_digital"].to_numpy(dtype=bool)
    state = state.assign(digital_active=go & every)

    acts = mentoring_by_nik(mentoring, registry_frame)
    hours = np.zeros(len(state))
    if not acts.empty:
        act_codes = acts["nik"].astype(str).map(index)
        ok = act_codes.notna().to_numpy()
        acts = pd.DataFrame({"c": act_codes.to_numpy()[ok].astype("int64"), "m": _month_key(acts["activity_date"])[ok],
                             "h": acts["hours"].to_numpy(dtype="float64")[ok]})
        monthly = acts.groupby(["c", "m"], as_index=False)["h"].sum().sort_values(["c", "m"])
        monthly["cum"] = monthly.groupby("c")["h"].cumsum()
        monthly = monthly.sort_values("m", kind="stable")  # (merge_asof wants the right side in "on" order)
        lookup = pd.DataFrame({"c": codes.astype("int64"), "m": period_key, "_i": np.arange(len(state))})

        def cumulative_at(month: np.ndarray) -> np.ndarray:
            left = lookup.assign(m=month).sort_values("m", kind="stable")
            found = pd.merge_asof(left, monthly[["c", "m", "cum"]], on="m", by="c", direction="backward")
            return found.sort_values("_i")["cum"].fillna(0.0).to_numpy()

        hours = cumulative_at(period_key) - cumulative_at(period_key - window)
    state = state.assign(mentoring_hours=np.round(hours, 2))
    mentored = state["mentoring_hours"].to_numpy() > 0
    active = state["digital_active"].to_numpy(dtype=bool)
    return state.assign(digital_mentored=go & mentored, digital_active_mentored=active & mentored,
                        digital_unmentored=go & ~mentored, digital_active_unmentored=active & ~mentored)
