"""Plausible Indonesian cooperative names (fictional), built from a prefix, one or two words and a place."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .regencies import districts_for

WORD_1 = (
    "Sinar", "Mekar", "Tunas", "Bina", "Karya", "Harapan", "Cahaya", "Bintang", "Surya", "Mitra", "Citra",
    "Mutiara", "Pelita", "Swadaya", "Sumber", "Usaha", "Setia", "Murni", "Kasih", "Damai", "Rukun", "Nusa",
    "Flobamora", "Lontar", "Cendana", "Sasando", "Mawar", "Anggrek", "Pinang", "Kelapa", "Sepakat", "Bakti",
    "Sejahtera", "Tekad", "Citra Kasih", "Putra", "Putri", "Bunga", "Embun", "Fajar", "Gema", "Insan",
)
WORD_2 = (
    "Sejahtera", "Mandiri", "Makmur", "Jaya", "Abadi", "Lestari", "Bersama", "Harapan", "Sentosa", "Bahagia",
    "Sehati", "Maju", "Indah", "Baru", "Kasih", "Mulia", "Utama", "Pratama", "Permai", "Sari", "Timur",
    "Bakti", "Berkat", "Mekar", "Bangkit", "Gemilang", "Sakti", "Perkasa", "Lancar", "Teguh",
)
LOCAL = (
    "Gotong Royong", "Ina Ama", "Lewo Tana", "Tana Ekan", "Nekamese", "Sehati Sejiwa", "Ine Ame", "Lepo Bo",
    "Nusa Bunga", "Tanah Merah", "Sa Ate", "Mbaru Gendang", "Uma Lulik", "Tua Golo", "Lewo Lein", "Ata Dike",
    "Lamaholot", "Kebo Ura", "Dalen Bako", "Sumba Indah", "Timor Raya", "Rote Ndao Sehati", "Watu Mite",
)
SHARIA = (
    "Al-Ikhlas", "Al-Falah", "Nurul Iman", "Baitul Amanah", "An-Nur", "Al-Hidayah", "Mawaddah", "Barokah",
    "Amanah Ummah", "Al-Amin", "Ar-Rahmah", "Nurul Huda", "Al-Muhajirin", "Darussalam",
)
PREFIX_BY_GROUP = {
    "Kopdit": (("KSP Kopdit", 1.0),),
    "KSP": (("KSP", 0.8), ("Koperasi Simpan Pinjam", 0.2)),
    "KSPPS": (("KSPPS", 0.7), ("KSPPS BMT", 0.3)),
    "KSU": (("KSU", 0.85), ("Koperasi Serba Usaha", 0.15)),
    "KUD": (("KUD", 1.0),),
}
PREFIX_BY_TYPE = {
    "konsumen": (("Koperasi Konsumen", 0.35), ("KPRI", 0.3), ("Koperasi Karyawan", 0.15), ("Koperasi Wanita", 0.12), ("Koperasi Pegawai", 0.08)),
    "produsen": (("Koperasi Produsen", 0.3), ("Koperasi Tani", 0.2), ("Koperasi Nelayan", 0.12), ("Koperasi Peternak", 0.1),
                 ("Koperasi Tenun Ikat", 0.12), ("Koperasi Produsen Kopi", 0.08), ("Koperasi Garam", 0.04), ("Koperasi Produsen Rumput Laut", 0.04)),
    "pemasaran": (("Koperasi Pemasaran", 0.7), ("Koperasi Pemasaran Hasil Bumi", 0.3)),
    "jasa": (("Koperasi Jasa", 0.45), ("Koperasi Angkutan", 0.25), ("Koperasi Jasa Wisata", 0.2), ("Koperasi Jasa Kebersihan", 0.1)),
    "simpan_pinjam": (("KSP", 1.0),),
}


def _pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...], size: int) -> np.ndarray:
    labels = np.array([o[0] for o in options], dtype=object)
    p = np.array([o[1] for o in options], dtype=float)
    return rng.choice(labels, size=size, p=p / p.sum())


def places(rng: np.random.Generator, regency: np.ndarray, units: pd.DataFrame) -> pd.DataFrame:
    """A kecamatan for every cooperative (optional column) and the place word its name may carry."""
    n = len(regency)
    district = np.empty(n, dtype=object)
    capital = units.set_index("code")["capital"]
    place = np.empty(n, dtype=object)
    u = rng.random(n)
    order = np.argsort(regency, kind="stable")
    codes, starts, counts = np.unique(regency[order], return_index=True, return_counts=True)
    for code, start, count in zip(codes, starts, counts):  # one pass per kabupaten
        rows = order[start : start + count]
        options = np.array(districts_for(code), dtype=object)
        district[rows] = options[rng.integers(0, len(options), len(rows))]
        place[rows] = np.where(u[rows] < 0.5, district[rows], capital[code])
    missing = rng.random(n) < 0.25
    district[missing] = ""
    return pd.DataFrame({"district": district.astype(str), "place": place.astype(str)})


def cooperative_names(rng: np.random.Generator, kind: np.ndarray, group: np.ndarray, place: pd.Series) -> np.ndarray:
    """Names such as "KSP Kopdit Sinar Harapan", "KSU Mekar Sari Ende", "KPRI Sehati Soe" (fictional)."""
    n = len(kind)
    prefix = np.empty(n, dtype=object)
    for g, options in PREFIX_BY_GROUP.items():
        rows = np.flatnonzero(group == g)
        prefix[rows] = _pick(rng, options, len(rows))
    for t, options in PREFIX_BY_TYPE.items():
        rows = np.flatnonzero((group == "lainnya") & (kind == t))
        prefix[rows] = _pick(rng, options, len(rows))
    w1 = np.array(WORD_1, dtype=object)[rng.integers(0, len(WORD_1), n)]
    w2 = np.array(WORD_2, dtype=object)[rng.integers(0, len(WORD_2), n)]
    local = np.array(LOCAL, dtype=object)[rng.integers(0, len(LOCAL), n)]
    sharia = np.array(SHARIA, dtype=object)[rng.integers(0, len(SHARIA), n)]
    u = rng.random(n)
    core = np.where(u < 0.7, w1 + " " + w2, np.where(u < 0.85, local, w1))
    core = np.where(group == "KSPPS", sharia, core)
    with_place = (rng.random(n) < 0.35) | (u >= 0.85)
    name = prefix + " " + core + np.where(with_place, " " + place.to_numpy(dtype=object), "")
    return name.astype(str)


def make_unique(names: pd.Series) -> pd.Series:
    """Append II, III, … to repeated names (the registry keeps names unique to help people tell them apart)."""
    k = names.groupby(names).cumcount().to_numpy()
    suffix = np.where(k > 0, " " + pd.Series(roman(k + 1)).to_numpy(dtype=object), "")
    return names + suffix


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(value: int) -> str:
    out = []
    for number, letters in _ROMAN:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def roman(values: np.ndarray) -> list[str]:
    """Roman numerals (used for name suffixes and old-style legal-entity numbers); 4000+ in Arabic digits."""
    lookup = {v: _roman(int(v)) if v < 4000 else str(int(v)) for v in np.unique(values)}
    return [lookup[v] for v in np.asarray(values)]
