"""The reader's words (and colours) for values the data holds and several pages show.

Cooperative types, data sources, roles, health categories, digital stages and peer groups: tables of catalogue keys
marked with N_ (so `pybabel extract` finds them), and the functions that show one."""
from __future__ import annotations

import functools
import math
import re

from indicators import norms as norm_files
from layouts.i18n import N_, Key, fmt_rupiah, t, t_marked

COOP_TYPES = {
    "simpan_pinjam": N_("type.simpan_pinjam"),
    "konsumen": N_("type.konsumen"),
    "produsen": N_("type.produsen"),
    "pemasaran": N_("type.pemasaran"),
    "jasa": N_("type.jasa"),
}

SOURCES = {
    "inbox": N_("source.inbox"),
    "platform": N_("source.platform"),
    "registry": N_("source.registry"),
    "cli": N_("source.cli"),
    "upload": N_("source.upload"),
}

ROLES = {
    "public": N_("auth.role.public"),
    "official": N_("auth.role.official"),
    "analyst": N_("auth.role.analyst"),
    "admin": N_("auth.role.admin"),
}

# Health categories, best first (indicators.vocabulary.HEALTH_CATEGORIES; the norm files give their cut-offs).
HEALTH_CATEGORIES = {
    "sehat": N_("cat.sehat"),
    "cukup_sehat": N_("cat.cukup_sehat"),
    "dalam_pengawasan": N_("cat.dalam_pengawasan"),
    "dalam_pengawasan_khusus": N_("cat.dalam_pengawasan_khusus"),
}
# The category badges (layouts/assets/rankings.css .rankings-cat-*, the same colours) and the profile's charts.
CATEGORY_COLOURS = {"sehat": "#198754", "cukup_sehat": "#0e7c86", "dalam_pengawasan": "#e8760a",
                    "dalam_pengawasan_khusus": "#c62828"}
# The overview's category bars have had a brighter set of their own since they were drawn; one palette for both
# would change how that chart looks, which is a design decision and not a clean-up.
CATEGORY_BAR_COLOURS = {"sehat": "#2e9d57", "cukup_sehat": "#2a9d8f", "dalam_pengawasan": "#f28c28",
                        "dalam_pengawasan_khusus": "#d62828"}

# Digital adoption stages, in order (indicators.vocabulary.DIGITAL_STAGES).
DIGITAL_STAGES = {
    "identified": N_("stage.identified"),
    "migrating": N_("stage.migrating"),
    "live": N_("stage.live"),
    "transacting": N_("stage.transacting"),
}


def word(table: dict[str, Key], value, lang: str, missing: str = "–") -> str:
    """The reader's word for `value` through `table`: `missing` when there is no value (None, NaN: not a word), the
    value as it is when the table does not know it (the data may hold a word this version has no text for)."""
    if not isinstance(value, str):
        return missing
    key = table.get(value)
    return value if key is None else t_marked(key, lang)


def category(key, lang: str) -> str:
    """A health category's word; "not scored" for no category (or one this version does not know)."""
    return t_marked(HEALTH_CATEGORIES[key], lang) if key in HEALTH_CATEGORIES else t("cat.none", lang)


def stage(key, lang: str) -> str:
    """A digital stage's word; "not recorded" for no stage (or one this version does not know)."""
    return t_marked(DIGITAL_STAGES[key], lang) if key in DIGITAL_STAGES else t("stage.none", lang)


def _band_bounds() -> dict[str, tuple[float, float]]:
    bounds = {}
    for band in norm_files.load_norms("peers")["size_bands"]:
        low, high = (float(x.replace("_", "")) for x in re.findall(r"[\d_]+|inf", band["range"]))
        bounds[band["key"]] = (low, high)
    return bounds


@functools.lru_cache(maxsize=256)
def peer_group(group: str | None, lang: str) -> str:
    """`simpan_pinjam:a-b` → "Simpan pinjam · < Rp2,5 M" (type · asset band of the peers norm file, merged bands
    spanned; the Rupiah short forms of `fmt_rupiah`)."""
    if not isinstance(group, str) or ":" not in group:
        return "–"
    kind, bands = group.split(":", 1)
    first, _, last = bands.partition("-")
    bounds = _band_bounds()
    if first not in bounds or (last or first) not in bounds:
        return group
    low, high = bounds[first][0], bounds[last or first][1]
    if low <= 0:
        band = f"< {fmt_rupiah(high, lang)}"
    elif math.isinf(high):
        band = f"≥ {fmt_rupiah(low, lang)}"
    else:
        band = f"{fmt_rupiah(low, lang)}–{fmt_rupiah(high, lang)}"
    return t("rk.peer_label", lang, type=word(COOP_TYPES, kind, lang), band=band)


# Who supervises a cooperative (indicators/vocabulary.SUPERVISORS) and where its members live.
SUPERVISORS = {
    "kabupaten": N_("sup.kabupaten"),
    "provinsi": N_("sup.provinsi"),
    "kementerian": N_("sup.kementerian"),
    "ojk": N_("sup.ojk"),
    "belum_diketahui": N_("sup.belum_diketahui"),
}
MEMBERSHIP_AREAS = {"kabupaten": N_("area.kabupaten"), "provinsi": N_("area.provinsi"), "nasional": N_("area.nasional")}
PROGRAMMES = {"kdmp": N_("programme.kdmp")}

# Koperasi Desa/Kelurahan Merah Putih: milestones (indicators/vocabulary.KDMP_STAGES), outlets, financing schemes,
# village types and the kinds of mentoring.
KDMP_STAGES = {
    "musdesus": N_("kdmp.stage.musdesus"),
    "badan_hukum": N_("kdmp.stage.badan_hukum"),
    "nib_npwp_rekening": N_("kdmp.stage.nib_npwp_rekening"),
    "simkopdes": N_("kdmp.stage.simkopdes"),
    "lahan": N_("kdmp.stage.lahan"),
    "pembangunan": N_("kdmp.stage.pembangunan"),
    "serah_terima": N_("kdmp.stage.serah_terima"),
    "gerai": N_("kdmp.stage.gerai"),
    "rat_pertama": N_("kdmp.stage.rat_pertama"),
}
KDMP_OUTLETS = {
    "kantor": N_("kdmp.outlet.kantor"), "simpan_pinjam": N_("kdmp.outlet.simpan_pinjam"),
    "sembako": N_("kdmp.outlet.sembako"), "apotek": N_("kdmp.outlet.apotek"), "klinik": N_("kdmp.outlet.klinik"),
    "gudang": N_("kdmp.outlet.gudang"), "cold_storage": N_("kdmp.outlet.cold_storage"),
    "logistik": N_("kdmp.outlet.logistik"), "elpiji": N_("kdmp.outlet.elpiji"), "lainnya": N_("kdmp.outlet.lainnya"),
}
FINANCING_SCHEMES = {"pmk49": N_("kdmp.scheme.pmk49"), "agrinas": N_("kdmp.scheme.agrinas"),
                     "lainnya": N_("kdmp.scheme.lainnya"), "none": N_("kdmp.scheme.none")}
VILLAGE_TYPES = {"desa": N_("kdmp.village.desa"), "kelurahan": N_("kdmp.village.kelurahan")}
