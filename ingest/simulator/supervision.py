"""Who supervises each simulated cooperative: the membership area of the registry (Permenkop 9/2020), the four
national primaries the office's notes name, and no open-loop cooperative (OJK took none in NTT)."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from . import dates as D
from .finance import Panel

# The national primaries (members across provinces, supervised by the Ministry of Cooperatives) the office's notes
# name; research/landscape-2025-26.md. The simulation keeps their real names because the issue asks for them, and
# their place in NTT (Pintu Air in Sikka, the others in Kota Kupang); every figure of theirs is simulated.
NATIONAL_PRIMARIES = (
    # (name, kabupaten, the simulated cooperative that becomes it: an anchor key, or "largest" in the kabupaten)
    ("KSP Kopdit Pintu Air", "5307", "cu_sikka"),
    ("Kopdit Swastisari", "5371", "cu_kupang"),
    ("Koperasi TLM Indonesia", "5371", "largest"),
    ("Koperasi Nasari", "5371", "largest"),
)
PROVINCE_WIDE = 40  # the largest savings-and-loan cooperatives whose members live in several kabupaten (assumption)
NOT_RECORDED = 0.03  # share of registry rows without a membership area (assumption: old records)


SIZE_MONTH = date(2024, 12, 31)  # "largest" is read here, whatever the observation date (same seed, same history)


def assign(rng: np.random.Generator, reg: pd.DataFrame, panel: Panel) -> pd.DataFrame:
    """The registry with `membership_area` (kabupaten, provinsi, nasional or None), `programme` and
    `village_code` (None: KDMP come from ingest/simulator/kdmp.py), the national primaries named, and `open_loop`
    False everywhere (21 open-loop cooperatives moved to OJK in January 2025, none in NTT)."""
    out = reg.copy()
    n = len(out)
    if n == 0:
        return out.assign(membership_area=None, programme=None, village_code=None)
    column = int(np.clip(np.searchsorted(panel.months, D.month_of(SIZE_MONTH)), 0, panel.months.size - 1))
    assets = panel.values["total_assets"][:, column].astype("float64")
    members = panel.values["members"][:, column].astype("float64")
    savings_loan = out["type"].to_numpy() == "simpan_pinjam"
    area = np.full(n, "kabupaten", dtype=object)
    taken: set[int] = set()
    anchors = out["anchor"].to_numpy() if "anchor" in out else np.full(n, "", dtype=object)
    regency = out["regency_code"].astype(str).to_numpy()
    names = out["name"].to_numpy(dtype=object).copy()
    for name, code, which in NATIONAL_PRIMARIES:
        if which != "largest":
            rows = np.flatnonzero(anchors == which)
        else:
            candidates = np.flatnonzero(savings_loan & (regency == code) & (anchors == ""))
            candidates = np.array([r for r in candidates if r not in taken], dtype=np.int64)
            rows = candidates[np.argsort(-assets[candidates], kind="stable")[:1]] if len(candidates) else candidates
        for r in rows[:1]:
            taken.add(int(r))
            area[r] = "nasional"
            names[r] = name
    others = np.array([r for r in np.flatnonzero(savings_loan) if r not in taken], dtype=np.int64)
    wide = others[np.argsort(-members[others], kind="stable")[:PROVINCE_WIDE]] if len(others) else others
    area[wide] = "provinsi"
    unrecorded = (rng.random(n) < NOT_RECORDED) & (area == "kabupaten")
    area[unrecorded] = None
    out["name"] = names
    out["membership_area"] = area
    out["programme"] = None
    out["village_code"] = None
    out["open_loop"] = False
    return out
