"""Peer groups (type × asset-size band), percentile ranks within a peer group, peer medians and IQRs."""

from __future__ import annotations

import logging
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from indicators import core, norms as norm_files

log = logging.getLogger(__name__)

METHOD = "peers"


def load_norms() -> dict:
    """Size bands and grouping rules (``indicators/norms/peers.toml``)."""
    return norm_files.load_norms(METHOD)


def size_band(total_assets: pd.Series, norms: Mapping | None = None) -> pd.Series:
    """Asset-size band key of each value (bands of ``peers.toml``, in Rupiah); NA when assets are missing."""
    norms = norm_files.resolve_norms(norms, METHOD)
    bands = norms["size_bands"]
    idx = norm_files.band_lookup(core.to_float(total_assets), [{"range": b["range"], "value": i} for i, b in enumerate(bands)])
    keys = np.array([b["key"] for b in bands] + [None], dtype=object)
    pos = np.where(np.isnan(idx), len(bands), idx).astype("int64")
    return pd.Series(keys[pos], index=total_assets.index, dtype="str", name="size_band")


def _merge_small(counts: list[int], min_size: int) -> list[tuple[int, int]]:
    """Merge adjacent groups (given by their member counts, in band order) until none has fewer than
    ``min_size`` members or only one is left. Returns the (first, last) position of each final group.

    The smallest group (lowest band on a tie) merges into its neighbour with fewer members (lower on a tie).
    """
    groups = [[i, i, c] for i, c in enumerate(counts)]
    while len(groups) > 1:
        sizes = [g[2] for g in groups]
        smallest = min(range(len(groups)), key=lambda i: (sizes[i], i))
        if sizes[smallest] >= min_size:
            break
        left = smallest - 1 if smallest > 0 else None
        right = smallest + 1 if smallest < len(groups) - 1 else None
        if left is None:
            other = right
        elif right is None:
            other = left
        else:
            other = left if sizes[left] <= sizes[right] else right
        a, b = sorted((smallest, other))
        groups[a] = [groups[a][0], groups[b][1], groups[a][2] + groups[b][2]]
        del groups[b]
    return [(g[0], g[1]) for g in groups]


def assign_peer_groups(reports: pd.DataFrame, registry: pd.DataFrame, norms: Mapping | None = None,
                       period_col: str = "period_end") -> pd.DataFrame:
    """Peer group of each report row: registry ``type`` × asset-size band of ``total_assets``, per period.

    Within one period and type, a group with fewer than ``grouping.min_group_size`` (5) members merges into
    a neighbouring size band (the neighbour with fewer members; a tie → the lower band), repeatedly, until
    none is small or only one group remains (see :func:`_merge_small`). The loop runs over groups (a few
    bands per period × type), never over cooperatives.

    Returns on ``reports.index``: ``type``, ``size_band``, ``peer_group`` (e.g. ``"konsumen:a"`` or, merged,
    ``"konsumen:a-b"``; NA when the type or the assets are missing).
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    bands = [b["key"] for b in norms["size_bands"]]
    min_size = int(norms["grouping"]["min_group_size"])
    types = registry.assign(nik=registry["nik"].astype("str")).drop_duplicates("nik").set_index("nik")["type"]
    frame = pd.DataFrame({
        "type": reports["nik"].astype("str").map(types).astype("str").to_numpy(),
        "size_band": size_band(reports["total_assets"], norms).to_numpy(),
        "_period": reports[period_col].to_numpy() if period_col in reports else 0,
    }, index=reports.index)
    frame["_band"] = frame["size_band"].map({k: i for i, k in enumerate(bands)})
    ok = frame["type"].notna() & frame["_band"].notna()
    counts = frame.loc[ok].groupby(["_period", "type", "_band"]).size()
    rows = []
    for (period, ctype), sub in counts.groupby(level=[0, 1], sort=False):
        positions = sub.index.get_level_values(2).astype("int64").tolist()
        for first, last in _merge_small(sub.tolist(), min_size):
            lo, hi = positions[first], positions[last]
            label = f"{ctype}:{bands[lo]}" if lo == hi else f"{ctype}:{bands[lo]}-{bands[hi]}"
            rows.extend((period, ctype, float(p), label) for p in positions[first:last + 1])
    mapping = pd.DataFrame(rows, columns=["_period", "type", "_band", "peer_group"])
    merged = frame.reset_index(names="_row").merge(mapping, on=["_period", "type", "_band"], how="left")
    out = pd.DataFrame({"type": frame["type"], "size_band": frame["size_band"]}, index=reports.index)
    out["peer_group"] = pd.Series(merged.set_index("_row")["peer_group"].reindex(frame.index).to_numpy(),
                                  index=reports.index, dtype="str")
    return out


def percentile_ranks(frame: pd.DataFrame, indicators: Iterable[str], group_col: str = "peer_group",
                     period_col: str = "period_end", norms: Mapping | None = None) -> pd.DataFrame:
    """Percentile rank 0–100 of each row's indicator values within its peer group and period.

    ``ncua`` (default): share of the group's valid values strictly lower × 100 — "a ranking of 75 means 75 %
    of the peer group has a lower ratio". ``linear``: (rank − 1) / (n − 1) × 100, ties at their lowest rank.
    NaN when the value is missing or the group has fewer than 2 valid values. Higher value → higher
    percentile whatever the indicator's direction. Returns ``pct_<indicator>`` on ``frame.index``.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    method = norms["grouping"].get("percentile_method", "ncua")
    keys = [group_col] + ([period_col] if period_col in frame else [])
    out = pd.DataFrame(index=frame.index)
    for ind in indicators:
        values = pd.Series(core.to_float(frame[ind]), index=frame.index)
        g = values.groupby([frame[k] for k in keys], dropna=True)
        rank_min = g.rank(method="min")
        n = g.transform("count")
        if method == "ncua":
            pct = (rank_min - 1) / n * 100.0
        elif method == "linear":
            pct = (rank_min - 1) / (n - 1) * 100.0
        else:
            raise ValueError(f"unknown percentile_method {method!r}")
        out[f"pct_{ind}"] = pct.where(n >= 2).reindex(frame.index)
    return out


def peer_summary(frame: pd.DataFrame, indicators: Iterable[str], group_col: str = "peer_group",
                 period_col: str = "period_end") -> pd.DataFrame:
    """Peer median and interquartile range per group (× period) and indicator (long format).

    Quartiles use linear interpolation (pandas' default). Columns: [``period_end``], ``peer_group``,
    ``indicator``, ``n`` (valid values), ``q1``, ``median``, ``q3``, ``iqr`` = q3 − q1.
    """
    keys = ([period_col] if period_col in frame else []) + [group_col]
    parts = []
    for ind in indicators:
        values = pd.Series(core.to_float(frame[ind]), index=frame.index)
        g = values.groupby([frame[k] for k in keys], dropna=True)
        q = g.quantile([0.25, 0.5, 0.75]).unstack(-1)
        part = pd.DataFrame({"n": g.count(), "q1": q[0.25], "median": q[0.5], "q3": q[0.75]})
        part["iqr"] = part["q3"] - part["q1"]
        part.insert(0, "indicator", ind)
        parts.append(part.reset_index())
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(out):
        out = out.rename(columns={k: k for k in keys})
        out["n"] = out["n"].astype("int64")
    return out


def rank_within_peers(values: pd.DataFrame, registry: pd.DataFrame, indicators: Iterable[str],
                      norms: Mapping | None = None, period_col: str = "period_end") -> pd.DataFrame:
    """Peer groups plus percentile ranks in one call: ``values`` needs ``nik``, ``total_assets``, the
    indicator columns and (optionally) ``period_col``. Returns ``type``, ``size_band``, ``peer_group`` and
    ``pct_<indicator>`` on ``values.index``."""
    groups = assign_peer_groups(values, registry, norms, period_col)
    frame = pd.concat([values[[c for c in [period_col] if c in values] + list(indicators)], groups], axis=1)
    return pd.concat([groups, percentile_ranks(frame, indicators, "peer_group", period_col, norms)], axis=1)
