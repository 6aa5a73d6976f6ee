"""`generate()`: the simulated province (or nation) as DataFrames; `snapshot()`: its published-style figures on a date.

The world is drawn once up to a fixed horizon (31 Dec 2030, or later when `as_of` is) and then observed at
the start of `as_of` (WITA): only what happened up to the day before `as_of` is visible. So the same seed
gives the same history whatever `as_of` is; a later `as_of` only reveals more of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from . import dates as D
from . import faults as F
from . import finance, layout, meetings, registry, reporting
from . import digital as dig
from . import mentoring as mentoring_sim
from . import supervision
from . import targets as T
from .contract import DIGITAL_COLUMNS, KOPERASI_COLUMNS, LABEL, RAT_COLUMNS
from .regencies import national_units, ntt_regencies
from .sampling import stream

SCALES = ("province", "national")


@dataclass
class Province:
    """A simulated province: the four datasets, the registry export, injected faults and the hidden truth.

    Public data (what the sources deliver, canonical column names):
      cooperatives     registry rows of every cooperative founded before `as_of` (status as of `as_of`)
      reports          clean `laporan_keuangan` rows (+ `submitted_on`), sorted by period_end, nik
      meetings         `rat` rows (one per cooperative × fiscal year in which the RAT was held)
      digital          `digital` stage-change rows
      registry_export  nik, name, certificate_status, grade, last_rat_date
    Faults: `faults` (faulty report rows with kind/column/value/channel/file) and `rejected_files`.
    Truth (never written; for calibration and tests): `history` (time-stamped state per cooperative),
    `truth` (true month-end members, total_assets, equity of every registered cooperative).
    Channels: `platform_niks` report through the platform API (registry, reports, RAT); all others through the
    spreadsheet inbox. `digital` rows of everyone come through the API.
    """

    seed: int
    scale: str
    as_of: date
    fault_rate: float
    cooperatives: pd.DataFrame
    reports: pd.DataFrame
    meetings: pd.DataFrame
    digital: pd.DataFrame
    registry_export: pd.DataFrame
    faults: pd.DataFrame
    rejected_files: list[dict]
    history: pd.DataFrame
    truth: pd.DataFrame
    regencies: pd.DataFrame
    platform_niks: frozenset[str]
    excel_dialect_regencies: tuple[str, ...]
    alias_regencies: tuple[str, ...]
    label: str = LABEL
    metadata: dict = field(default_factory=dict)
    # the office's mentoring log of digital cooperatives (pendampingan: nik, activity_date, kind, topic, mentor,
    # hours); KDMP mentoring comes with ingest/simulator/kdmp.py
    mentoring: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def last_period_end(self) -> pd.Timestamp:
        return pd.Timestamp(D.to_date(D.month_end_day(D.last_complete_month(self.as_of))))

    def channel_of(self, niks: pd.Series) -> pd.Series:
        return pd.Series(np.where(niks.isin(self.platform_niks), "platform", "inbox"), index=niks.index)


def generate(seed: int = 2023, scale: str = "province", as_of: date | None = None, fault_rate: float = 0.005,
             months: int = 12, complete_reporting: bool = False) -> Province:
    """Simulate the province (`scale="province"`, 22 kabupaten/kota, monthly reports from January 2019) or the
    nation (`scale="national"`, ~127,000 cooperatives in 514 units, the last `months` months) as seen on `as_of`
    (default: today). Deterministic for a seed. `fault_rate` is the share of report rows made faulty
    (0 disables row and file faults). `complete_reporting`: every registered cooperative reports every month,
    ten days after its end (the upper bound the national benchmark loads: 127,000 × 60 months).
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    if not 0.0 <= fault_rate < 0.5:
        raise ValueError("fault_rate must be in [0, 0.5)")
    as_of = as_of or date.today()
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    seen_day = D.day(as_of) - 1
    last_month = D.last_complete_month(as_of)
    if last_month < finance.M2019:
        raise ValueError("as_of must be after January 2019")
    horizon = date(max(2030, as_of.year), 12, 31)
    horizon_day = D.day(horizon)

    if scale == "province":
        units = ntt_regencies()
        factor = 1.0
        first_month = finance.M2019
        panel_last = max(D.month_of(horizon), last_month)
        window_first = finance.M2019
    else:
        units = national_units(stream(seed, "units"), T.NATIONAL_UNITS)
        factor = T.NATIONAL_COOPERATIVES / _registered_estimate(as_of)
        window_first = last_month - (months - 1)
        first_month = (D.year_of_month(np.array([window_first]))[0] - 1970) * 12
        panel_last = last_month

    tl = registry.build_timeline(stream(seed, "timeline"), units, factor, horizon)
    reg = registry.assign_types(stream(seed, "types"), tl, factor)
    reg = registry.add_identity(stream(seed, "identity"), reg, units)
    panel, open_loop, distress = finance.simulate(stream(seed, "finance"), reg, first_month, panel_last, calibrate=scale == "province")
    reg["open_loop"] = open_loop
    reg["distress"] = distress
    reg = supervision.assign(stream(seed, "supervision"), reg, panel)
    rat = meetings.simulate_rat(stream(seed, "rat"), reg, horizon_day, int(round(T.RAT_ROUTINE_HOLDERS * factor)))
    digital_state = dig.simulate_digital(stream(seed, "digital"), reg, rat, panel, horizon_day, factor)
    meetings.boost_after_live(stream(seed, "rat-after-live"), rat, digital_state.live_day)
    mask, submitted = reporting.simulate_reporting(stream(seed, "reporting"), reg, panel, digital_state.live_day, horizon_day)
    mentoring_rows = pd.DataFrame()
    if scale == "province":  # mentoring keeps platform use going from 2025 (ingest/simulator/mentoring.py)
        mentoring_rows, mask = mentoring_sim.simulate(stream(seed, "mentoring"), reg, panel, digital_state.live_day,
                                                      mask, horizon_day)
        mentoring_rows = mentoring_rows.loc[mentoring_rows["activity_date"] <= pd.Timestamp(D.to_date(seen_day))]
    if complete_reporting:
        month_end = D.month_end_day(panel.months)[None, :]
        mask = panel.registered & (month_end >= reg["established_day"].to_numpy()[:, None])
        submitted = np.broadcast_to(month_end + 10, mask.shape).copy()

    visible = reg["established_day"].to_numpy() <= seen_day
    platform = visible & (digital_state.live_day <= seen_day)
    reg["channel"] = np.where(platform, "platform", "inbox")
    reg["live_day"] = digital_state.live_day
    reg["migrating_day"] = digital_state.migrating_day

    cooperatives = _cooperatives_frame(reg[visible], seen_day)
    in_window = (panel.months >= window_first) & (panel.months <= last_month)
    reports = _reports_frame(reg, panel, mask & in_window[None, :] & (submitted <= seen_day), submitted)
    rat_rows = meetings.rat_frame(stream(seed, "rat-rows"), reg, rat, panel, seen_day)
    stages = digital_state.stages[digital_state.stages["stage_day"] <= seen_day]
    digital_rows = _digital_frame(reg, stages)
    export = meetings.registry_export(reg[visible], rat_rows, D.to_date(seen_day), stream(seed, "registry-export"))

    # channels, files and faults
    regency_of = pd.Series(reg["regency_code"].to_numpy(), index=reg["nik"].to_numpy())
    last_end = pd.Timestamp(D.to_date(D.month_end_day(last_month)))
    reports["channel"] = np.where(reports["nik"].isin(set(reg["nik"][platform])), "platform", "inbox")
    # the broken backlog is one kabupaten's year, re-sent as a file of its own; the rest of the history comes in
    # yearly files for the whole province
    regency = reports["nik"].map(regency_of)
    candidates = layout.report_files(reports["channel"], regency, reports["period_end"], last_end, None)
    rejected_files = F.choose_broken_files(stream(seed, "broken-files"), candidates) if fault_rate > 0 else []
    reports["file"] = layout.report_files(reports["channel"], regency, reports["period_end"], last_end,
                                          frozenset(f["file"] for f in rejected_files))
    clean, faulty = F.inject(
        stream(seed, "faults"), reports, fault_rate, {f["file"] for f in rejected_files}, set(reg["nik"])
    )

    codes = sorted(units["code"])
    choice = stream(seed, "dialects")
    excel = tuple(sorted(choice.choice(codes, size=len(codes) // 2, replace=False)))
    aliases = tuple(sorted(choice.choice(codes, size=max(1, round(len(codes) * 4 / 22)), replace=False)))

    history = _history_frame(reg[visible], seen_day)
    truth = _truth_frame(reg, panel, last_month, window_first)
    return Province(
        seed=seed,
        scale=scale,
        as_of=as_of,
        fault_rate=fault_rate,
        cooperatives=cooperatives,
        reports=clean.drop(columns=["channel", "file"]),
        meetings=rat_rows[list(RAT_COLUMNS)],
        digital=digital_rows,
        registry_export=export,
        faults=faulty,
        rejected_files=rejected_files,
        history=history,
        truth=truth,
        regencies=units.reset_index(drop=True),
        platform_niks=frozenset(reg["nik"][platform]),
        excel_dialect_regencies=excel,
        alias_regencies=aliases,
        mentoring=mentoring_rows.reset_index(drop=True),
        metadata={
            "label": LABEL,
            "seen_through": D.to_date(seen_day).isoformat(),
            "first_period_end": D.to_date(D.month_end_day(window_first)).isoformat(),
            "last_period_end": last_end.date().isoformat(),
            "horizon": horizon.isoformat(),
            "scale_factor": factor,
            "units": len(units),
        },
    )


def _registered_estimate(as_of: date) -> float:
    n = T.INITIAL_COOPERATIVES
    for iv in T.INTERVALS:
        if iv.end <= date(as_of.year, 12, 31):
            n += iv.births - iv.deaths_active - iv.deaths_inactive
    return float(n)


def _status_on(reg: pd.DataFrame, day: int) -> np.ndarray:
    dissolved = reg["dissolved_day"].to_numpy() <= day
    inactive = (reg["inactive_day"].to_numpy() <= day) & (reg["reactivated_day"].to_numpy() > day)
    return np.select([dissolved, inactive], ["dissolved", "inactive"], "active")


def _cooperatives_frame(reg: pd.DataFrame, seen_day: int) -> pd.DataFrame:
    legal = reg["legal_day"].to_numpy() <= seen_day
    out = pd.DataFrame(
        {
            "nik": reg["nik"].to_numpy(),
            "name": reg["name"].to_numpy(),
            "regency_code": reg["regency_code"].astype(str).to_numpy(),
            "district": reg["district"].to_numpy(),
            "type": reg["type"].to_numpy(),
            "group": reg["group"].to_numpy(),
            "savings_loan_unit": reg["savings_loan_unit"].to_numpy(dtype=bool),
            "legal_entity_number": np.where(legal, reg["legal_entity_number"].to_numpy(), ""),
            "legal_entity_date": D.days_to_timestamps(np.where(legal, reg["legal_day"].to_numpy(), D.NEVER)).to_numpy(),
            "established_year": reg["established_year"].to_numpy(dtype=np.int64),
            "status": _status_on(reg, seen_day),
            "open_loop": reg["open_loop"].to_numpy(dtype=bool),
            "latitude": reg["latitude"].to_numpy(),
            "longitude": reg["longitude"].to_numpy(),
            "membership_area": reg["membership_area"].to_numpy() if "membership_area" in reg else None,
            "programme": None,
            "village_code": None,
        }
    )
    out = out.assign(**contacts(out["nik"]))
    return out[list(KOPERASI_COLUMNS)].sort_values("nik", kind="stable").reset_index(drop=True)


CONTACT_FIRST = ("Maria", "Yohanes", "Agustinus", "Fransiska", "Yosef", "Theresia", "Petrus", "Elisabeth", "Markus",
                 "Veronika", "Stefanus", "Margaretha", "Daniel", "Yuliana", "Arnoldus", "Kristina")
CONTACT_LAST = ("Manek", "Nahak", "Bria", "Tefa", "Seran", "Ndun", "Lay", "Wadu", "Mau", "Kase", "Djami", "Lero",
                "Tanaem", "Bere", "Fanggidae", "Nuban")


def contacts(nik: pd.Series) -> dict[str, np.ndarray]:
    """A made-up contact person per cooperative, from its NIK (no draw from the random streams, so every other
    simulated value stays as it was): a name, a telephone number that belongs to nobody (0000-…) and an address at
    example.org (RFC 2606). One cooperative in ten has none recorded."""
    digits = nik.astype(str).str[-8:].astype("int64").to_numpy()
    mixed = (digits * 2654435761) % 4294967296
    first = np.array(CONTACT_FIRST, dtype=object)[mixed % len(CONTACT_FIRST)]
    last = np.array(CONTACT_LAST, dtype=object)[(mixed // 16) % len(CONTACT_LAST)]
    none = (mixed // 256) % 10 == 0
    phone = np.array([f"0000-{m % 10000:04d}-{(m // 10000) % 10000:04d}" for m in mixed], dtype=object)
    email = np.array([f"koperasi.{d}@example.org" for d in digits], dtype=object)
    blank = np.full(len(nik), None, dtype=object)
    return {"contact_name": np.where(none, blank, first + " " + last),
            "contact_phone": np.where(none, blank, phone),
            "contact_email": np.where(none | ((mixed // 4096) % 3 == 0), blank, email)}


def _reports_frame(reg: pd.DataFrame, panel: finance.Panel, mask: np.ndarray, submitted: np.ndarray) -> pd.DataFrame:
    rows, cols = np.nonzero(mask)
    data = {
        "nik": reg["nik"].to_numpy()[rows],
        "period_end": D.days_to_timestamps(D.month_end_day(panel.months[cols])).to_numpy(),
        "period_type": np.full(len(rows), "month", dtype=object),
    }
    for name in finance.REPORT_COLUMNS[3:]:
        if name == "submitted_on":
            data[name] = D.days_to_timestamps(submitted[rows, cols]).to_numpy()
        elif name == "management_score":
            data[name] = panel.values[name][rows, cols]
        else:
            data[name] = pd.array(panel.values[name][rows, cols], dtype="Int64")
    frame = pd.DataFrame(data)
    return frame.sort_values(["period_end", "nik"], kind="stable").reset_index(drop=True)


def _digital_frame(reg: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    order = {"identified": 0, "migrating": 1, "live": 2, "transacting": 3}
    out = pd.DataFrame(
        {
            "nik": reg["nik"].to_numpy()[stages["row"].to_numpy()],
            "platform": stages["platform"].to_numpy(),
            "stage": stages["stage"].to_numpy(),
            "stage_date": D.days_to_timestamps(stages["stage_day"].to_numpy()).to_numpy(),
            "members_on_app": stages["members_on_app"].array,
        }
    )
    out["_rank"] = out["stage"].map(order)
    out = out.sort_values(["nik", "stage_date", "_rank"], kind="stable").drop(columns="_rank")
    return out[list(DIGITAL_COLUMNS)].reset_index(drop=True)


def _history_frame(reg: pd.DataFrame, seen_day: int) -> pd.DataFrame:
    def stamp(column: str) -> np.ndarray:
        values = reg[column].to_numpy()
        return D.days_to_timestamps(np.where(values <= seen_day, values, D.NEVER)).to_numpy()

    return pd.DataFrame(
        {
            "nik": reg["nik"].to_numpy(),
            "regency_code": reg["regency_code"].astype(str).to_numpy(),
            "type": reg["type"].to_numpy(),
            "group": reg["group"].to_numpy(),
            "savings_loan_unit": reg["savings_loan_unit"].to_numpy(dtype=bool),
            "established_on": stamp("established_day"),
            "legal_entity_date": stamp("legal_day"),
            "inactive_from": stamp("inactive_day"),
            "reactivated_on": stamp("reactivated_day"),
            "dissolved_on": stamp("dissolved_day"),
            "migrating_on": stamp("migrating_day"),
            "live_on": stamp("live_day"),
            "channel": reg["channel"].to_numpy(),
            "discipline": reg["discipline"].to_numpy().round(4),
            "distress": reg["distress"].to_numpy(dtype=bool),
            "anchor": reg["anchor"].to_numpy(),
        }
    ).sort_values("nik", kind="stable").reset_index(drop=True)


def _truth_frame(reg: pd.DataFrame, panel: finance.Panel, last_month: int, window_first: int) -> pd.DataFrame:
    cols = np.flatnonzero((panel.months >= window_first) & (panel.months <= last_month))
    sub = panel.registered[:, cols]
    rows, k = np.nonzero(sub)
    c = cols[k]
    return pd.DataFrame(
        {
            "nik": reg["nik"].to_numpy()[rows],
            "period_end": D.days_to_timestamps(D.month_end_day(panel.months[c])).to_numpy(),
            "active": panel.active[rows, c],
            "members": panel.values["members"][rows, c].astype(np.int64),
            "total_assets": panel.values["total_assets"][rows, c].astype(np.int64),
            "equity": panel.values["equity"][rows, c].astype(np.int64),
        }
    )


def snapshot(province: Province, when: date) -> dict:
    """Figures as a statistics office would publish them for `when` (end of that day), from the simulator's
    own time-stamped state (`province.history`, `province.truth`, `province.digital`).

    cooperatives = registered (founded, not dissolved); active = registered and not inactive; legal_entity =
    registered with a legal-entity date; by_type; savings_loan (type simpan_pinjam or a USP);
    members / total_assets / equity = sums of the true month-end figures of the month containing `when`
    over the registered cooperatives (None if outside the simulated months); go_digital = current digital
    stage live or transacting; digital_migrating = current stage migrating.
    """
    ts = pd.Timestamp(when)
    h = province.history
    registered = (h["established_on"] <= ts) & ~(h["dissolved_on"] <= ts)
    inactive = registered & (h["inactive_from"] <= ts) & ~(h["reactivated_on"] <= ts)
    active = registered & ~inactive
    legal = registered & (h["legal_entity_date"] <= ts)
    month_end = (ts.to_period("M").to_timestamp(how="end")).normalize()
    truth = province.truth[province.truth["period_end"] == month_end]
    registered_niks = set(h["nik"][registered])
    truth = truth[truth["nik"].isin(registered_niks)]
    stages = province.digital[province.digital["stage_date"] <= ts]
    rank = stages["stage"].map({"identified": 0, "migrating": 1, "live": 2, "transacting": 3})
    current = stages.assign(_rank=rank).sort_values(["nik", "stage_date", "_rank"], kind="stable").groupby("nik")["stage"].last()
    has_truth = not truth.empty
    return {
        "date": when.isoformat(),
        "cooperatives": int(registered.sum()),
        "active": int(active.sum()),
        "inactive": int(inactive.sum()),
        "legal_entity": int(legal.sum()),
        "legal_entity_and_active": int((legal & active).sum()),
        "by_type": {t: int((registered & (h["type"] == t)).sum()) for t in registry.TYPES},
        "savings_loan": int((registered & ((h["type"] == "simpan_pinjam") | h["savings_loan_unit"])).sum()),
        "members": int(truth["members"].sum()) if has_truth else None,
        "total_assets": int(truth["total_assets"].sum()) if has_truth else None,
        "equity": int(truth["equity"].sum()) if has_truth else None,
        "go_digital": int(current.isin(["live", "transacting"]).sum()),
        "digital_migrating": int((current == "migrating").sum()),
    }


def rat_routine_holders(province: Province, years: tuple[int, ...] = T.RAT_ROUTINE_YEARS) -> int:
    """Cooperatives that held the RAT for every fiscal year in `years` (the "routine" holders)."""
    held = province.meetings[province.meetings["fiscal_year"].isin(years) & province.meetings["held_on"].notna()]
    return int((held.groupby("nik")["fiscal_year"].nunique() == len(years)).sum())
