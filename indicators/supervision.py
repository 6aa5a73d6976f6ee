"""Who supervises each cooperative (Permenkop 9/2020; OJK for open loop, UU 4/2023), the flags the roll-ups count
by supervisor and programme, and the roll-ups of both populations (``scope``): the cooperatives the regional
government supervises (``daerah``, every page's default) and every cooperative registered in NTT (``semua``).
Frames in, frames out."""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import norms as norm_files
from indicators import rollup, vocabulary

METHOD = "supervision"


def load_norms() -> dict:
    return norm_files.load_norms(METHOD)


def supervisors(registry_frame: pd.DataFrame, norms: dict | None = None) -> pd.Series:
    """The supervisor of each registry row (indexed like it): ``ojk`` when open loop, else by the membership area
    (kabupaten → kabupaten, provinsi → provinsi, nasional → kementerian), ``belum_diketahui`` when not recorded."""
    norms = norm_files.resolve_norms(norms, METHOD)
    rule = norms["supervisor"]
    area = registry_frame["membership_area"] if "membership_area" in registry_frame else pd.Series(
        None, index=registry_frame.index, dtype=object)
    out = area.astype(object).map(dict(rule["by_area"])).fillna(rule["unknown"])
    if "open_loop" in registry_frame:
        open_loop = registry_frame["open_loop"].map(vocabulary.yes_no).eq(True).to_numpy(dtype=bool)
        out = out.where(~open_loop, rule["open_loop"])
    return out.astype(object)


def annotate(state: pd.DataFrame, registry_frame: pd.DataFrame, norms: dict | None = None) -> pd.DataFrame:
    """The cooperative state with ``supervisor``, ``regional`` (in the default population), the flags
    ``supervisor_<who>`` (registered and supervised so), ``programme`` and ``kdmp_member``."""
    norms = norm_files.resolve_norms(norms, METHOD)
    if state.empty:
        return state
    reg = registry_frame.assign(nik=registry_frame["nik"].astype(str)).drop_duplicates("nik")
    who = pd.Series(supervisors(reg, norms).to_numpy(), index=reg["nik"].to_numpy())
    programme = pd.Series(reg["programme"].to_numpy() if "programme" in reg else None, index=reg["nik"].to_numpy())
    niks = state["nik"].astype(str)
    state = state.assign(supervisor=niks.map(who).to_numpy(), programme=niks.map(programme).to_numpy())
    registered = state["registered"].to_numpy(dtype=bool)
    for name in vocabulary.SUPERVISORS:
        state[f"supervisor_{name}"] = registered & state["supervisor"].eq(name).to_numpy()
    state["regional"] = state["supervisor"].isin(list(norms["scope"]["regional"])).to_numpy()
    state["kdmp_member"] = registered & state["programme"].eq("kdmp").to_numpy()
    state["programme"] = state["programme"].where(state["programme"].notna(), None)
    return state


def scoped_parts(state: pd.DataFrame) -> pd.DataFrame:
    """The additive parts of the area figures (:func:`indicators.rollup.area_parts`) of both populations, with a
    ``scope`` column: ``semua`` over every cooperative, ``daerah`` over those with ``regional`` set. Each is summed
    from its own cooperatives, so no page ever subtracts one population from the other."""
    if state.empty:
        return pd.DataFrame()
    frames = []
    for scope in vocabulary.SCOPES:
        part = state if scope == "semua" else state.loc[state["regional"].to_numpy(dtype=bool)]
        parts = rollup.area_parts(part)
        if not parts.empty:
            frames.append(parts.assign(scope=scope))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def scoped_figures(parts: pd.DataFrame, regencies: pd.DataFrame, targets: pd.Series | None = None,
                   areas: list[str] | None = None) -> pd.DataFrame:
    """The kabupaten and province roll-ups of both populations from their parts (:func:`scoped_parts`), with the
    ``scope`` column; with ``areas``, only those kabupaten's (and the province's) rows."""
    if parts.empty:
        return pd.DataFrame()
    frames = []
    for scope in vocabulary.SCOPES:
        mine = parts.loc[parts["scope"].eq(scope).to_numpy()].drop(columns="scope")
        rows = rollup.area_figures(mine, regencies, targets, areas=areas) if not mine.empty else pd.DataFrame()
        if not rows.empty:
            frames.append(rows.assign(scope=scope))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values([*rollup.KEYS, "scope"], kind="stable").reset_index(drop=True)


def scoped_rollups(state: pd.DataFrame, regencies: pd.DataFrame, targets: pd.Series | None = None) -> pd.DataFrame:
    """The kabupaten and province roll-ups (:func:`indicators.rollup.area_rollups`) of both populations, with a
    ``scope`` column (see :func:`scoped_parts`)."""
    return scoped_figures(scoped_parts(state), regencies, targets)


__all__ = ["annotate", "load_norms", "scoped_figures", "scoped_parts", "scoped_rollups", "supervisors", "np"]
