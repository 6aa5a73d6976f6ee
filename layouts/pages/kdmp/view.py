"""What the Kopdes Merah Putih page's URL asks for: the KDMP period (the roll-ups' own month-ends, the running month
at its newest as_of), the kabupaten, the map's indicator, the village list and a milestone to narrow it to."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from layouts import filters
from warehouse import read_kdmp
from warehouse.export import params

INDICATOR, LIST, STAGE, VILLAGE = "indikator", "daftar", "tahap", "desa"  # URL parameters of this page
# The figures the map can colour the kabupaten by (registry ids of KDMP area figures).
MAP_INDICATORS = ("pct_kdmp_land", "pct_kdmp_nib", "pct_kdmp_npwp", "pct_kdmp_simkopdes", "pct_kdmp_construction",
                  "pct_kdmp_operating", "pct_kdmp_fresh", "pct_kdmp_stale", "kdmp_stuck_nib", "kdmp_no_land")
DEFAULT_INDICATOR = "pct_kdmp_land"
# The village lists: the stuck ones (no NIB 90 days after SK AHU, or no land), those whose data is stale, every one.
LISTS = ("tertahan", "usang", "semua")
STAGES = ("musdesus", "badan_hukum", "nib_npwp_rekening", "simkopdes", "lahan", "pembangunan", "serah_terima",
          "gerai", "rat_pertama")


@dataclass(frozen=True)
class View:
    filters: filters.Filters  # period (a KDMP month-end), regency; periods = the KDMP months
    reference_date: date | None
    indicator: str
    village_list: str
    stage: str | None
    village: str | None
    ignored: tuple[str, ...]

    def query(self, **changes) -> str:
        keep = {INDICATOR: None if self.indicator == DEFAULT_INDICATOR else self.indicator,
                LIST: None if self.village_list == LISTS[0] else self.village_list, STAGE: self.stage,
                VILLAGE: self.village}
        keep.update(changes)
        return self.filters.query(**keep)


def parse(query: dict, engine) -> View:
    """The page's view from the URL; a value it does not know falls back to the default and is named."""
    known = read_kdmp.periods(engine)
    months = tuple(p for p, _ in known)
    chosen, refused = params.read_lenient({filters.PERIOD: query.get(filters.PERIOD),
                                           filters.REGENCY: query.get(filters.REGENCY)})
    ignored = [p.parameter for p in refused]
    period = chosen.period
    if period is not None and period not in months:
        ignored.append(filters.PERIOD)
        period = None
    period = period or (months[0] if months else None)
    reference = dict(known).get(period) if period else None

    def pick(name, allowed, default):
        raw = (query.get(name) or "").strip()
        if raw and raw not in allowed:
            ignored.append(name)
            return default
        return raw or default

    village = (query.get(VILLAGE) or "").strip() or None
    if village is not None and not (village.isdigit() and len(village) == 10):
        ignored.append(VILLAGE)
        village = None
    # (the page names every ignored parameter in one notice, so the filter bar names none)
    f = filters.Filters(period, chosen.regency, None, months, ())
    return View(f, reference, pick(INDICATOR, MAP_INDICATORS, DEFAULT_INDICATOR), pick(LIST, LISTS, LISTS[0]),
                pick(STAGE, STAGES, None), village, tuple(ignored))
