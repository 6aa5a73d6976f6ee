"""Published figures the demo province is calibrated to, and the event plan that reproduces them.

Sources: shared research notes `indicator-facts.md` §0 (Antara Kupang 29 Aug 2023, suara-ntt.com 16 Aug 2023,
beritabuana.co 23 Nov 2020, delegasi.com, selatanindonesia.com/?p=6213, ekorantt.com 2022 and 2024, keren.coop).

How a published figure is read off the simulated province (see `snapshot`):
- "cooperatives at date d" = registered on d: `established_on <= d` and not dissolved on or before d.
- "active" = registered and not in an inactive spell on d; "legal entity" = `legal_entity_date <= d`.
- members / assets / own capital = sums over the registered cooperatives of the *true* month-end figures of
  the month containing d (`Province.truth`; inactive cooperatives keep their last figures), not only over the
  cooperatives that happened to report that month.
- "2023" figures are taken at 31 Dec 2023, "Aug 2020" at 31 Aug 2020, "May 2020" at 31 May 2020.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Interval:
    """Registry events between the previous interval's end (exclusive) and `end` (inclusive)."""

    end: date
    births: int
    deaths_inactive: int  # dissolutions of cooperatives that were inactive
    deaths_active: int  # dissolutions (mergers, voluntary) of active cooperatives
    new_inactive: int  # active cooperatives that fall inactive (no RAT three years running)
    reactivations: int  # inactive cooperatives revived (they hold a RAT again)


# State on 31 Dec 2018: 4,146 cooperatives of which 511 inactive (victorynews.id / Kompas.id for 2018).
START = date(2019, 1, 1)
INITIAL_COOPERATIVES = 4146
INITIAL_INACTIVE = 511

# Every count below is exact by construction (events are drawn as quotas per interval):
#   31 Aug 2019: 4,185 registered, 476 inactive      (victorynews.id, Aug 2019)
#   31 May 2020: 4,189 registered, 358 inactive      (selatanindonesia.com: 3,831 active)
#   31 Aug 2020: 4,202 registered, 3,846 active      (beritabuana.co / delegasi.com)
#   31 Dec 2023: 4,301 registered, 390 inactive, 45 active but not yet a legal entity
#                → 3,866 legal entities and active  (Antara Kupang 2023)
# After 2023 the registry grows slowly (an assumption, no published figure).
INTERVALS: tuple[Interval, ...] = (
    Interval(date(2019, 8, 31), births=60, deaths_inactive=21, deaths_active=0, new_inactive=20, reactivations=34),
    Interval(date(2020, 5, 31), births=55, deaths_inactive=45, deaths_active=6, new_inactive=30, reactivations=103),
    Interval(date(2020, 8, 31), births=18, deaths_inactive=4, deaths_active=1, new_inactive=8, reactivations=6),
    Interval(date(2023, 12, 31), births=230, deaths_inactive=120, deaths_active=11, new_inactive=200, reactivations=46),
) + tuple(
    Interval(date(y, 12, 31), births=50, deaths_inactive=25, deaths_active=5, new_inactive=55, reactivations=12)
    for y in range(2024, 2041)
)

ACTIVE_NOT_LEGAL_2023 = 45
LEGAL_CHECK_DATE = date(2023, 12, 31)

# Type mix on 31 May 2020 (4,189 cooperatives; "the rest" pemasaran) and savings-and-loan businesses (3,341:
# 1,406 KSP/Kopdit/KSPPS plus 1,935 others running a USP).
TYPE_MIX_DATE = date(2020, 5, 31)
TYPE_MIX = {"simpan_pinjam": 1406, "konsumen": 1937, "produsen": 400, "jasa": 79, "pemasaran": 367}
SAVINGS_LOAN_2020 = 3341

# Money and members (sums over registered cooperatives of the true month-end figures).
MEMBERS = {date(2020, 8, 31): 2_158_059, date(2023, 12, 31): 2_400_000}
ASSETS = {date(2020, 5, 31): 10_500_000_000_000, date(2023, 12, 31): 12_000_000_000_000}
EQUITY = {date(2020, 5, 31): 4_500_000_000_000}

# RAT: "only 501 hold RAT routinely" (May 2020). Routine = held the RAT for each of fiscal years 2018, 2019
# and 2020 (the three meetings around the statement; FY2020's was held in 2021). Exact by construction.
RAT_ROUTINE_YEARS = (2018, 2019, 2020)
RAT_ROUTINE_HOLDERS = 501

# Digital ("Go Digital" = current stage live or transacting). Exact by construction.
#   end 2020: ~15 live or in process; 30 May 2021: 217 migrated (live); end 2022: 276; end 2023: 600;
#   then a slowing pace toward the 1,000 target, reached during 2027 (an assumption).
DIGITAL_PILOT_LIVE_2020 = 8
DIGITAL_IN_PROCESS_2020 = 7
DIGITAL_GO_LIVE: tuple[tuple[date, int], ...] = (
    (date(2020, 12, 31), 8),
    (date(2021, 5, 30), 217),
    (date(2022, 12, 31), 276),
    (date(2023, 12, 31), 600),
    (date(2024, 12, 31), 735),
    (date(2025, 12, 31), 850),
    (date(2026, 12, 31), 950),
    (date(2027, 12, 31), 1040),
) + tuple((date(y, 12, 31), 1040 + 70 * (y - 2027)) for y in range(2028, 2041))
DIGITAL_TARGET = 1000

# The largest credit unions (group Kopdit). Fictional names; sizes follow the published figures of the two
# largest NTT credit unions (Sikka: 435,256 registered / 381,120 real members and Rp2.4 T in Dec 2024;
# Kota Kupang: 140,135 members and Rp976.5 B in 2021).
ANCHORS = (
    {
        "key": "cu_sikka",
        "regency_code": "5307",
        "district": "Alok",
        "name": "KSP Kopdit Lepo Lorun Sejahtera",
        "established_year": 1995,
        "members": ((date(2019, 1, 31), 175_000), (date(2021, 12, 31), 268_000), (date(2024, 12, 31), 400_000)),
        "assets": ((date(2019, 1, 31), 800_000_000_000), (date(2024, 12, 31), 2_400_000_000_000)),
        "later_growth": {"members": 0.05, "assets": 0.08},  # a year, after the last point (assumption)
        "equity_ratio": 0.31,
    },
    {
        "key": "cu_kupang",
        "regency_code": "5371",
        "district": "Oebobo",
        "name": "KSP Kopdit Fatu Lulik Kupang",
        "established_year": 1987,
        "members": ((date(2019, 1, 31), 124_000), (date(2021, 12, 31), 140_000)),
        "assets": ((date(2019, 1, 31), 780_000_000_000), (date(2021, 12, 31), 1_000_000_000_000)),
        "later_growth": {"members": 0.03, "assets": 0.06},
        "equity_ratio": 0.34,
    },
)

# National benchmark: about 127,000 active Indonesian cooperatives in 514 kabupaten/kota.
NATIONAL_COOPERATIVES = 127_000
NATIONAL_UNITS = 514
