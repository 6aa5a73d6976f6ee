"""The true monthly books of every simulated cooperative (a cooperatives × months matrix per account).

Everything is computed on (N, T) numpy arrays, no loop over cooperatives or months. Stocks are month-end
positions; flows are summed fiscal-year-to-date. Amounts are rounded to whole Rupiah and kept in float64
(exact below 2**53) until they are extracted as Int64 columns; every contract rule of `laporan_keuangan`
holds by construction (see `tests/simulator/test_consistency.py`).

Longer than the house's ~400 lines on purpose: the books are one model (balance sheet, flows and loan quality
move together per cooperative and month), kept in one file so its identities can be read and checked together.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from . import dates as D
from . import targets as T

REPORT_COLUMNS = (
    "nik", "period_end", "period_type", "members", "total_assets", "current_assets", "cash_and_bank",
    "total_liabilities", "current_liabilities", "equity", "share_capital_principal", "share_capital_mandatory",
    "reserves", "voluntary_savings", "time_deposits", "funds_received", "loans_outstanding", "loans_to_members",
    "loans_at_risk", "loans_substandard", "loans_doubtful", "loans_loss", "loan_loss_reserve", "weighted_capital",
    "risk_weighted_assets", "gross_participation", "net_participation", "revenue", "non_member_revenue",
    "operating_expenses", "member_operating_expenses", "cooperative_expenses", "staff_costs", "shu_gross",
    "shu_before_tax", "shu_after_tax", "shu_member_share", "member_economic_benefit", "management_score",
    "submitted_on",
)
AMOUNT_COLUMNS = tuple(c for c in REPORT_COLUMNS[3:] if c not in ("management_score", "submitted_on"))
# Empty for cooperatives without savings and loans.
SAVINGS_LOAN_COLUMNS = (
    "voluntary_savings", "time_deposits", "funds_received", "loans_outstanding", "loans_to_members", "loans_at_risk",
    "loans_substandard", "loans_doubtful", "loans_loss", "loan_loss_reserve", "weighted_capital", "risk_weighted_assets",
)

M2019 = D.month_of(date(2019, 1, 1))

# Month-of-year factors (January first).
SEASON_FLOW = {
    "sl": (0.97, 0.96, 1.0, 1.0, 1.0, 1.0, 1.05, 1.02, 1.0, 1.0, 1.0, 1.0),
    "konsumen": (0.85, 0.85, 0.95, 1.10, 0.95, 0.95, 1.05, 0.95, 0.95, 1.0, 1.10, 1.35),
    "produsen": (0.70, 0.70, 0.85, 1.25, 1.35, 1.30, 1.10, 1.05, 0.95, 0.90, 0.90, 0.95),
    "pemasaran": (0.75, 0.70, 0.80, 1.10, 1.30, 1.35, 1.25, 1.05, 0.95, 0.90, 0.90, 0.95),
    "jasa": (0.90, 0.85, 0.90, 0.95, 0.95, 1.05, 1.25, 1.20, 0.95, 0.95, 0.95, 1.10),
}
# Savings withdrawn for Christmas and school fees: slightly lower balance sheets in December and July.
SEASON_ASSETS_SL = (0.995, 1.0, 1.0, 1.0, 1.0, 1.0, 0.993, 1.0, 1.0, 1.0, 1.0, 0.985)


@dataclass
class Panel:
    """True books: `values[column]` is an (N, T) float array of whole Rupiah (NaN = not applicable)."""

    months: np.ndarray
    registered: np.ndarray  # (N, T) registered at month end
    active: np.ndarray  # (N, T) registered and not in an inactive spell at month end
    values: dict[str, np.ndarray] = field(default_factory=dict)
    savings_loan: np.ndarray | None = None  # (N,)


def _interp_piecewise(months: np.ndarray, points: list[tuple[int, float]]) -> np.ndarray:
    xs = np.array([p[0] for p in points], dtype=float)
    ys = np.array([p[1] for p in points], dtype=float)
    return np.interp(months.astype(float), xs, ys)


def delinquency_shock(months: np.ndarray) -> np.ndarray:
    """Multiplier on loans at risk: the 2020–2021 pandemic shock, peaking mid-2021, gone by end 2023."""
    m = D.month_of
    return _interp_piecewise(
        months, [(m(date(2020, 2, 1)), 1.0), (m(date(2021, 6, 1)), 2.0), (m(date(2022, 12, 1)), 1.25), (m(date(2023, 12, 1)), 1.0)]
    )


def covid_dip(months: np.ndarray) -> np.ndarray:
    """0..1 intensity of the 2020 business slump (peak July 2020, over by mid-2021)."""
    m = D.month_of
    return _interp_piecewise(months, [(m(date(2020, 3, 1)), 0.0), (m(date(2020, 7, 1)), 1.0), (m(date(2021, 6, 1)), 0.0)])


def _loglinear(points, later_growth: float, months_end_day: np.ndarray) -> np.ndarray:
    """Log-linear through the (date, value) points; before the first point the first segment's rate, after the
    last point `later_growth` a year."""
    xs = [D.day(d) for d, _ in points]
    ys = [float(np.log(v)) for _, v in points]
    first_rate = (ys[1] - ys[0]) / (xs[1] - xs[0])
    x = months_end_day.astype(float)
    out = np.interp(x, xs, ys)
    out = np.where(x < xs[0], ys[0] + first_rate * (x - xs[0]), out)
    out = np.where(x > xs[-1], ys[-1] + np.log1p(later_growth) / 365.25 * (x - xs[-1]), out)
    return np.exp(out)


def simulate(
    rng: np.random.Generator, reg: pd.DataFrame, first_month: int, last_month: int, calibrate: bool
) -> tuple[Panel, np.ndarray, np.ndarray]:
    """The true monthly books of all cooperatives in `reg` from `first_month` to `last_month` (month numbers).

    Returns the panel, the `open_loop` flag per cooperative and the `distress` flag (a tail of badly run
    savings-and-loan cooperatives whose capital erodes and whose loans go bad).
    """
    n = len(reg)
    months = np.arange(first_month, last_month + 1)
    t = len(months)
    me = D.month_end_day(months)
    moy = (months % 12).astype(int)

    est = reg["established_day"].to_numpy()
    dis = reg["dissolved_day"].to_numpy()
    ina = reg["inactive_day"].to_numpy()
    rea = reg["reactivated_day"].to_numpy()
    registered = (est[:, None] <= me[None, :]) & (dis[:, None] > me[None, :])
    inactive_now = (ina[:, None] <= me[None, :]) & (rea[:, None] > me[None, :])
    active = registered & ~inactive_now
    # inactive cooperatives keep the books of the month before they lapsed
    freeze_at = np.clip(np.searchsorted(me, ina, side="left") - 1, 0, t - 1)
    gather = np.where(inactive_now, freeze_at[:, None], np.arange(t)[None, :])

    def freeze(x: np.ndarray) -> np.ndarray:
        return np.take_along_axis(x, gather, axis=1)

    kind = reg["type"].to_numpy()
    group = reg["group"].to_numpy()
    usp = reg["savings_loan_unit"].to_numpy()
    sl = (kind == "simpan_pinjam") | usp
    kopdit = group == "Kopdit"
    ksp = (kind == "simpan_pinjam") & ~kopdit
    disc = reg["discipline"].to_numpy()
    anchor = reg["anchor"].to_numpy() != ""
    distress = (rng.random(n) < 0.02 + 0.14 * (1 - disc) ** 2) & ~anchor & ~kopdit

    # ---- members
    med = np.select(
        [kopdit, ksp, kind == "konsumen", kind == "produsen", kind == "pemasaran", kind == "jasa"],
        [3500, 200, 150, 150, 100, 60],
        180,
    )
    sigma = np.where(kopdit, 1.0, 0.95)
    base_members = np.clip(rng.lognormal(np.log(med), sigma), 20, np.where(kopdit, 45_000, 8_000))
    t0 = np.maximum(D.month_of_days(est), M2019)
    born_in_window = D.month_of_days(est) >= M2019
    base_members = np.where(born_in_window, rng.uniform(20, 80, n), base_members)
    growth = np.where(kopdit, rng.normal(0.06, 0.04, n), rng.normal(0.015, 0.04, n))
    growth = np.where(born_in_window, rng.normal(0.12, 0.05, n), growth)
    tau = np.clip((months[None, :] - t0[:, None]) / 12.0, 0.0, None)
    walk = np.cumsum(rng.normal(0, 0.006, (n, t)), axis=1)
    members = base_members[:, None] * np.exp(growth[:, None] * tau + walk)

    # ---- total assets
    apm_med = np.select(
        [kopdit, ksp, sl, kind == "konsumen", kind == "produsen", kind == "pemasaran"],
        [4.5e6, 5.0e6, 3.2e6, 2.0e6, 2.5e6, 1.5e6],
        3.0e6,
    )
    apm = rng.lognormal(np.log(apm_med), np.where(kopdit, 0.35, 0.65))
    deepen = rng.normal(0.02, 0.03, n)
    season_a = np.where(sl[:, None], np.array(SEASON_ASSETS_SL)[moy][None, :], 1.0)
    slump = 1.0 - 0.03 * covid_dip(months)[None, :]
    walk_a = np.cumsum(rng.normal(0, 0.01, (n, t)), axis=1)
    assets = members * apm[:, None] * np.exp(deepen[:, None] * tau + walk_a) * season_a * slump

    for k in np.flatnonzero(anchor):
        spec = {a["key"]: a for a in T.ANCHORS}[reg["anchor"].iat[k]]
        later = spec["later_growth"]
        members[k] = _loglinear(spec["members"], later["members"], me) * np.exp(rng.normal(0, 0.002, t))
        assets[k] = _loglinear(spec["assets"], later["assets"], me) * np.array(SEASON_ASSETS_SL)[moy] * np.exp(rng.normal(0, 0.004, t))

    # ---- equity ratio
    e0 = np.select(
        [kopdit, ksp, sl],
        [rng.normal(0.30, 0.06, n), _ksp_equity(rng, n), rng.normal(0.55, 0.15, n)],
        rng.normal(0.60, 0.15, n),
    )
    e0 = np.where(distress, rng.normal(0.08, 0.12, n), e0)
    e0 = np.where(anchor, [(a or {}).get("equity_ratio", 0.3) for a in _anchor_specs(reg)], e0)
    drift = np.where(distress, rng.normal(-0.03, 0.01, n), rng.normal(0.0, 0.008, n))
    walk_e = np.cumsum(rng.normal(0, 0.003, (n, t)), axis=1)

    def equity_ratio(scale: float) -> np.ndarray:
        base = np.where(anchor, e0, e0 * scale)
        return np.clip(base[:, None] + drift[:, None] * tau + walk_e, -0.45, 0.95)

    e_scale = 1.0
    if calibrate:
        members, assets, e_scale = _calibrate(members, assets, registered, anchor, months, freeze, equity_ratio)
    members = freeze(np.rint(np.maximum(members, 1.0)))
    assets = freeze(np.rint(assets))
    eq_ratio = freeze(equity_ratio(e_scale))

    v: dict[str, np.ndarray] = {}
    v["members"] = members
    v["total_assets"] = assets
    equity = np.rint(eq_ratio * assets)
    v["equity"] = equity
    liabilities = assets - equity
    v["total_liabilities"] = liabilities

    # member capital (simpanan pokok + wajib) follows the *healthy* equity level; reserves absorb the rest
    alpha = rng.uniform(0.55, 0.9, n)
    member_capital = np.rint(alpha[:, None] * np.clip(e0, 0.05, 0.95)[:, None] * assets)
    principal = np.rint(member_capital * rng.uniform(0.08, 0.2, n)[:, None])
    v["share_capital_principal"] = principal
    v["share_capital_mandatory"] = member_capital - principal
    v["reserves"] = equity - member_capital

    slc = sl[:, None]
    nan = np.nan
    # ---- liabilities side
    nu_vs = rng.uniform(0.35, 0.6, n)[:, None]
    nu_td = rng.uniform(0.12, 0.32, n)[:, None]
    vs = np.rint(nu_vs * liabilities)
    td = np.rint(nu_td * liabilities)
    cl_sl = np.minimum(np.rint(vs + 0.3 * td + 0.04 * liabilities), liabilities)
    cl_other = np.rint(rng.uniform(0.5, 1.0, n)[:, None] * liabilities)
    current_liabilities = np.where(slc, cl_sl, cl_other)
    v["current_liabilities"] = current_liabilities
    v["voluntary_savings"] = np.where(slc, vs, nan)
    v["time_deposits"] = np.where(slc, td, nan)
    v["funds_received"] = np.where(slc, np.rint(rng.uniform(0.88, 0.99, n)[:, None] * assets), nan)

    # ---- loans
    shock = delinquency_shock(months)[None, :]
    lam = np.select([kopdit, ksp], [rng.uniform(0.68, 0.85, n), rng.uniform(0.5, 0.88, n)], rng.uniform(0.25, 0.6, n))
    lam_t = np.clip(lam[:, None] * (1 - 0.04 * covid_dip(months))[None, :] * np.exp(rng.normal(0, 0.01, (n, t))), 0.05, 0.9)
    loans = np.rint(lam_t * assets)
    mu = np.select(
        [kopdit, ksp & (rng.random(n) < 0.2)], [rng.uniform(0.95, 1.0, n), rng.uniform(0.35, 0.8, n)], rng.uniform(0.82, 1.0, n)
    )
    rho = np.clip(rng.lognormal(np.log(0.09), 0.75, n) * np.where(distress, 3.0, 1.0), 0.003, 0.7)
    rho_t = np.clip(rho[:, None] * shock ** np.where(distress, 1.3, 1.0)[:, None] * np.exp(rng.normal(0, 0.08, (n, t))), 0, 0.95)
    at_risk = np.floor(rho_t * loans)
    psi = rng.uniform(0.35, 0.85, n)[:, None]
    npl = np.floor(psi * at_risk)
    kl_share = np.clip(rng.uniform(0.35, 0.6, n)[:, None] / shock ** 0.3, 0.2, 0.7)
    kl = np.floor(npl * kl_share)
    doubtful = np.floor((npl - kl) * rng.uniform(0.3, 0.6, n)[:, None])
    loss = npl - kl - doubtful
    rpm = 0.5 * kl + 0.75 * doubtful + loss
    coverage = np.clip(rng.lognormal(np.log(0.6), 0.6, n), 0.0, 1.6)[:, None]
    v["loans_outstanding"] = np.where(slc, loans, nan)
    v["loans_to_members"] = np.where(slc, np.floor(mu[:, None] * loans), nan)
    v["loans_at_risk"] = np.where(slc, at_risk, nan)
    v["loans_substandard"] = np.where(slc, kl, nan)
    v["loans_doubtful"] = np.where(slc, doubtful, nan)
    v["loans_loss"] = np.where(slc, loss, nan)
    v["loan_loss_reserve"] = np.where(slc, np.rint(coverage * rpm), nan)

    # ---- liquid and current assets
    cash_ratio = rng.lognormal(np.log(0.14), 0.55, n)
    cash_ratio = np.where(distress, cash_ratio * rng.choice([0.4, 2.5], n), cash_ratio)
    cash_sl = np.minimum(np.rint(cash_ratio[:, None] * np.exp(rng.normal(0, 0.15, (n, t))) * current_liabilities), np.rint(0.25 * assets))
    kappa = rng.uniform(0.55, 0.9, n)[:, None]
    other_current = rng.uniform(0.01, 0.05, n)[:, None] * assets
    ca_sl = np.rint(cash_sl + kappa * loans + other_current)
    ca_other = np.rint(rng.uniform(0.35, 0.85, n)[:, None] * assets)
    cash_other = np.rint(rng.uniform(0.05, 0.35, n)[:, None] * ca_other * np.exp(rng.normal(0, 0.1, (n, t))))
    cash = np.maximum(np.where(slc, cash_sl, cash_other), 0)
    current_assets = np.where(slc, ca_sl, ca_other)
    cash = np.minimum(cash, np.maximum(assets, 0))
    current_assets = np.clip(current_assets, cash, np.maximum(assets, cash))
    v["cash_and_bank"] = cash
    v["current_assets"] = current_assets
    rwa = loans + 0.5 * np.maximum(current_assets - cash - kappa * loans, 0) + 0.7 * np.maximum(assets - current_assets, 0)
    v["risk_weighted_assets"] = np.where(slc, np.rint(rwa), nan)
    v["weighted_capital"] = np.where(slc, np.rint(np.maximum(equity, 0) * rng.uniform(0.8, 1.0, n)[:, None]), nan)

    # ---- monthly flows, then fiscal-year-to-date sums
    season = np.ones((n, t))
    for key, profile in SEASON_FLOW.items():
        rows = sl if key == "sl" else (~sl & (kind == key))
        season[rows] = np.array(profile)[moy]
    dip = covid_dip(months)[None, :] * np.where(kind == "jasa", 0.35, 0.1)[:, None]
    flow_on = active
    yield_ = np.where(kopdit, rng.uniform(0.17, 0.22, n), rng.uniform(0.15, 0.26, n))[:, None]
    accrual = np.clip(1 - 0.6 * (rho_t - rho[:, None]), 0.5, 1.0)
    interest = yield_ / 12 * loans * accrual * season * (1 - dip)
    turnover = rng.lognormal(np.log(np.select([kind == "konsumen", kind == "pemasaran", kind == "produsen"], [0.9, 1.2, 0.6], 0.5)), 0.5)
    sales = turnover[:, None] / 12 * np.maximum(assets, 0) * season * (1 - dip)
    mu_sales = rng.uniform(0.4, 0.95, n)[:, None]
    pb_month = np.where(slc, interest * mu[:, None] * 1.03, sales * mu_sales)
    nmr_month = np.where(slc, interest * (1 - mu[:, None]) + 0.03 / 12 * cash, sales * (1 - mu_sales) * rng.uniform(0.7, 1.0, n)[:, None])
    other_month = np.where(slc, 0.01, 0.02) * (pb_month + nmr_month)
    bo_ratio = np.clip(rng.lognormal(np.log(np.where(sl, 0.62, 0.82)), np.where(sl, 0.22, 0.06)), 0.3, 1.2)
    bo_ratio = np.where(distress, np.clip(bo_ratio * 1.4, 0.3, 1.5), bo_ratio)
    revenue_month = pb_month + nmr_month + other_month
    staff_month = np.where(slc, np.clip(rng.lognormal(np.log(0.035), 0.5, n), 0.005, 0.2)[:, None] / 12 * loans,
                           rng.uniform(0.02, 0.08, n)[:, None] * revenue_month)
    opex_month = staff_month + rng.uniform(0.04, 0.18, n)[:, None] * revenue_month * np.where(distress, 1.8, 1.0)[:, None]
    rat_season = np.where(moy == 2, 3.0, 1.0)[None, :]
    coop_month = rng.uniform(0.008, 0.035, n)[:, None] * revenue_month * rat_season
    meppp_month = rng.uniform(0.0, np.where(sl, 0.08, 0.05), n)[:, None] * pb_month

    def ytd(x: np.ndarray) -> np.ndarray:
        return np.rint(_ytd_sum(np.where(flow_on, np.maximum(x, 0), 0.0), months))

    pb = ytd(pb_month)
    nmr = ytd(nmr_month)
    other = ytd(other_month)
    revenue = pb + nmr + other
    boa = ytd(bo_ratio[:, None] * pb_month)
    staff = ytd(staff_month)
    opex = staff + ytd(opex_month - staff_month)
    coop_exp = ytd(coop_month)
    shu_gross = revenue - boa
    shu_before = shu_gross - opex - coop_exp
    shu_after = shu_before - np.rint(0.1 * np.maximum(shu_before, 0))
    member_share = np.rint(rng.uniform(0.3, 0.6, n)[:, None] * np.maximum(shu_after, 0))
    v["gross_participation"] = pb
    v["net_participation"] = pb - boa
    v["revenue"] = revenue
    v["non_member_revenue"] = nmr
    v["operating_expenses"] = opex
    v["member_operating_expenses"] = boa
    v["cooperative_expenses"] = coop_exp
    v["staff_costs"] = staff
    v["shu_gross"] = shu_gross
    v["shu_before_tax"] = shu_before
    v["shu_after_tax"] = shu_after
    v["shu_member_share"] = member_share
    v["member_economic_benefit"] = ytd(meppp_month)
    v["management_score"] = _management_scores(rng, disc, sl, months)

    open_loop = ksp & (mu < 0.7)
    return Panel(months=months, registered=registered, active=active, values=v, savings_loan=sl), open_loop, distress


def _anchor_specs(reg: pd.DataFrame) -> list[dict | None]:
    by_key = {a["key"]: a for a in T.ANCHORS}
    return [by_key.get(k) for k in reg["anchor"].to_numpy()]


def _ksp_equity(rng: np.random.Generator, n: int) -> np.ndarray:
    """Equity/assets of ordinary KSPs: most 35–65 %, a fifth over-capitalised small ones, a thin low tail."""
    u = rng.random(n)
    return np.select([u < 0.68, u < 0.88], [rng.normal(0.48, 0.12, n), rng.normal(0.74, 0.08, n)], rng.normal(0.22, 0.07, n))


def _ytd_sum(x: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Cumulative sums that restart every January."""
    year = D.year_of_month(months)
    out = np.cumsum(x, axis=1)
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]])
    offset = np.zeros_like(out)
    for s in starts[1:]:  # a handful of year boundaries, not a loop over data
        offset[:, s:] = out[:, [s - 1]]
    return out - offset


def _management_scores(rng: np.random.Generator, disc: np.ndarray, sl: np.ndarray, months: np.ndarray) -> np.ndarray:
    """2016-method management questionnaire (0–15): yes-counts × unit values, one answer set per fiscal year."""
    n = len(disc)
    year = D.year_of_month(months)
    years = np.unique(year)
    p = np.clip(0.3 + 0.65 * disc, 0.05, 0.98)[:, None] * np.ones(len(years))[None, :]
    p = np.clip(p + rng.normal(0, 0.05, p.shape), 0.02, 0.99)
    # (questions, unit value) per aspect: umum, kelembagaan, permodalan, aktiva, likuiditas
    score = np.zeros_like(p)
    for questions, unit in ((12, 0.25), (6, 0.5), (5, 0.6), (10, 0.3), (5, 0.6)):
        score += rng.binomial(questions, p) * unit
    score = np.round(score, 2)
    fills = (rng.random(n) < 0.8) & sl
    per_month = score[:, np.searchsorted(years, year)]
    return np.where(fills[:, None], per_month, np.nan)


def _calibrate(members, assets, registered, anchor, months, freeze, equity_ratio):
    """Scale the non-anchor cooperatives so the province totals hit the published figures on their dates.

    The scale factor is interpolated log-linearly in time between the calibration dates and held constant
    outside them, so growth rates change only slightly; equity is calibrated by one constant factor on the
    equity/assets ratios.
    """
    keep = ~anchor

    def total(x: np.ndarray, d: date) -> float:
        col = int(np.searchsorted(months, D.month_of(d)))
        if col >= len(months) or months[col] != D.month_of(d):
            raise ValueError(f"calibration date {d} outside the simulated months")
        return float(np.where(registered[:, col], x[:, col], 0).sum())

    def factor_curve(x: np.ndarray, targets: dict[date, float]) -> np.ndarray:
        fixed = np.where(anchor[:, None], x, 0)
        free = np.where(keep[:, None], x, 0)
        points = []
        for d, target in sorted(targets.items()):
            want = target - total(freeze(fixed), d)
            have = total(freeze(free), d)
            points.append((D.month_of(d), np.log(want / have)))
        xs = np.array([p[0] for p in points], dtype=float)
        ys = np.array([p[1] for p in points], dtype=float)
        return np.exp(np.interp(months.astype(float), xs, ys))[None, :]

    for _ in range(3):
        members = np.where(keep[:, None], members * factor_curve(members, T.MEMBERS), members)
        assets = np.where(keep[:, None], assets * factor_curve(assets, T.ASSETS), assets)
    scale = 1.0
    for _ in range(4):
        a = freeze(assets)
        (d, target), = T.EQUITY.items()
        fixed = total(np.where(anchor[:, None], freeze(equity_ratio(scale)) * a, 0), d)
        free = total(np.where(keep[:, None], freeze(equity_ratio(scale)) * a, 0), d)
        scale *= (target - fixed) / free
    return members, assets, scale
