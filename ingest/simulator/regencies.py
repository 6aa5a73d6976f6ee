"""The kabupaten/kota the simulator spreads cooperatives over: NTT's 22, or 514 synthetic units for benchmarks."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_REGENCIES_PATH = PROJECT_DIR / "data" / "regencies.csv"

# The facts the simulator needs, copied from data/regencies.csv (Kemendagri code, BPS 2020 census population,
# capital and its coordinates) so that a missing or edited reference file cannot change the simulated province.
# `remoteness` (0 = provincial capital … 1 = most remote island) is the simulator's own judgement, used only to
# make reporting and RAT worse far from Kupang; it is not an official index.
_NTT = [
    # code, name, capital, lat, lon, pop_2020, remoteness
    ("5301", "Kabupaten Kupang", "Oelamasi", -9.91556, 123.86157, 366383, 0.35),
    ("5302", "Kabupaten Timor Tengah Selatan", "Soe", -9.82928, 124.39697, 455410, 0.50),
    ("5303", "Kabupaten Timor Tengah Utara", "Kefamenanu", -9.37776, 124.56957, 259829, 0.50),
    ("5304", "Kabupaten Belu", "Atambua", -9.15495, 124.96785, 217973, 0.40),
    ("5305", "Kabupaten Alor", "Kalabahi", -8.30448, 124.56888, 211872, 0.80),
    ("5306", "Kabupaten Flores Timur", "Larantuka", -8.36607, 122.94361, 276896, 0.50),
    ("5307", "Kabupaten Sikka", "Maumere", -8.61029, 122.30637, 321953, 0.25),
    ("5308", "Kabupaten Ende", "Ende", -8.67618, 121.73534, 270763, 0.35),
    ("5309", "Kabupaten Ngada", "Bajawa", -8.66454, 121.00174, 165254, 0.45),
    ("5310", "Kabupaten Manggarai", "Ruteng", -8.56792, 120.40108, 312855, 0.40),
    ("5311", "Kabupaten Sumba Timur", "Waingapu", -9.87771, 120.25417, 244820, 0.60),
    ("5312", "Kabupaten Sumba Barat", "Waikabubak", -9.64161, 119.38331, 145097, 0.65),
    ("5313", "Kabupaten Lembata", "Lewoleba", -8.38149, 123.54145, 135930, 0.75),
    ("5314", "Kabupaten Rote Ndao", "Baa", -10.72607, 123.12517, 143764, 0.75),
    ("5315", "Kabupaten Manggarai Barat", "Labuan Bajo", -8.60309, 119.98808, 256317, 0.45),
    ("5316", "Kabupaten Nagekeo", "Mbay", -8.68913, 121.27308, 159732, 0.55),
    ("5317", "Kabupaten Sumba Tengah", "Waibakul", -9.54314, 119.66877, 85482, 0.90),
    ("5318", "Kabupaten Sumba Barat Daya", "Tambolaka", -9.53445, 119.17781, 303650, 0.75),
    ("5319", "Kabupaten Manggarai Timur", "Borong", -8.57288, 120.68954, 275603, 0.60),
    ("5320", "Kabupaten Sabu Raijua", "Seba", -10.53572, 121.84567, 89327, 1.00),
    ("5321", "Kabupaten Malaka", "Betun", -9.52468, 124.88892, 183898, 0.60),
    ("5371", "Kota Kupang", "Kupang", -10.2055, 123.6054, 442758, 0.00),
]

# A few kecamatan per kabupaten (optional `district` column); not a complete list.
DISTRICTS: dict[str, tuple[str, ...]] = {
    "5301": ("Kupang Timur", "Kupang Tengah", "Kupang Barat", "Amarasi", "Fatuleu", "Takari", "Sulamu", "Semau"),
    "5302": ("Kota Soe", "Amanuban Selatan", "Mollo Utara", "Amanatun Selatan", "Kuanfatu", "Kie", "Batu Putih"),
    "5303": ("Kota Kefamenanu", "Insana", "Biboki Selatan", "Miomaffo Barat", "Noemuti", "Bikomi Utara"),
    "5304": ("Atambua Barat", "Atambua Selatan", "Kota Atambua", "Tasifeto Timur", "Tasifeto Barat", "Raihat"),
    "5305": ("Teluk Mutiara", "Alor Barat Laut", "Kabola", "Alor Timur", "Pantar", "Alor Tengah Utara"),
    "5306": ("Larantuka", "Tanjung Bunga", "Wulanggitang", "Adonara Timur", "Solor Barat", "Ile Mandiri"),
    "5307": ("Alok", "Alok Timur", "Kewapante", "Nita", "Kangae", "Paga", "Talibura", "Waigete", "Lela"),
    "5308": ("Ende Selatan", "Ende Tengah", "Ende Timur", "Wolowaru", "Detusoko", "Nangapanda", "Maurole"),
    "5309": ("Bajawa", "Golewa", "Aimere", "Riung", "Soa", "Jerebuu"),
    "5310": ("Langke Rembong", "Ruteng", "Wae Rii", "Cibal", "Satar Mese", "Reok"),
    "5311": ("Kota Waingapu", "Kambera", "Pandawai", "Haharu", "Lewa", "Pahunga Lodu"),
    "5312": ("Kota Waikabubak", "Loli", "Wanokaka", "Lamboya", "Tana Righu"),
    "5313": ("Nubatukan", "Ile Ape", "Lebatukan", "Omesuri", "Buyasuri", "Atadei"),
    "5314": ("Lobalain", "Rote Barat Daya", "Rote Timur", "Pantai Baru", "Rote Tengah"),
    "5315": ("Komodo", "Boleng", "Lembor", "Kuwus", "Sano Nggoang", "Macang Pacar"),
    "5316": ("Aesesa", "Boawae", "Mauponggo", "Nangaroro", "Keo Tengah"),
    "5317": ("Katikutana", "Umbu Ratu Nggay", "Mamboro", "Katikutana Selatan"),
    "5318": ("Kota Tambolaka", "Loura", "Wewewa Barat", "Wewewa Timur", "Kodi", "Kodi Bangedo"),
    "5319": ("Borong", "Kota Komba", "Lamba Leda", "Poco Ranaka", "Sambi Rampas", "Elar"),
    "5320": ("Sabu Barat", "Sabu Timur", "Sabu Liae", "Hawu Mehara", "Raijua"),
    "5321": ("Malaka Tengah", "Malaka Barat", "Kobalima", "Rinhat", "Weliman"),
    "5371": ("Alak", "Kelapa Lima", "Kota Lama", "Kota Raja", "Maulafa", "Oebobo"),
}

NTT_CODES: tuple[str, ...] = tuple(row[0] for row in _NTT)

# Kemendagri province prefixes other than NTT (53); the national benchmark numbers its synthetic units under them.
_OTHER_PROVINCES = (
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51", "52",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92", "94", "95", "96", "97",
)


def ntt_regencies(path: str | Path | None = None) -> pd.DataFrame:
    """The 22 NTT kabupaten/kota with columns code, name, short_name, type, capital, lat, lon, pop_2020, remoteness.

    `path` (default `<project>/data/regencies.csv`) is only used to cross-check the built-in table: the
    simulator must produce the same province whatever that file holds, so the built-in facts win.
    """
    frame = pd.DataFrame(_NTT, columns=["code", "name", "capital", "lat", "lon", "pop_2020", "remoteness"])
    frame["short_name"] = frame["name"].str.replace("Kabupaten ", "", regex=False)
    frame["type"] = np.where(frame["name"].str.startswith("Kota "), "Kota", "Kabupaten")
    file = Path(path) if path is not None else DEFAULT_REGENCIES_PATH
    if file.exists():
        reference = pd.read_csv(file, dtype={"code": str})
        if sorted(reference["code"]) != sorted(frame["code"]):
            raise ValueError(f"{file}: kabupaten codes differ from the simulator's 22 NTT codes")
    return frame[["code", "name", "short_name", "type", "capital", "lat", "lon", "pop_2020", "remoteness"]]


def national_units(rng: np.random.Generator, n_units: int = 514) -> pd.DataFrame:
    """`n_units` kabupaten/kota-sized units for the national benchmark: NTT's 22 plus synthetic ones.

    The synthetic units get codes under the other provinces' Kemendagri prefixes (e.g. `1101`, `3578`) but they
    are NOT real kabupaten: names read "Unit Sintetis 3578", populations are drawn from a log-normal, and
    they have no coordinates. They exist only so the benchmark has Indonesia's number of units.
    """
    ntt = ntt_regencies()
    extra = n_units - len(ntt)
    per_province = -(-extra // len(_OTHER_PROVINCES))
    codes = [f"{p}{k:02d}" for p in _OTHER_PROVINCES for k in range(1, per_province + 1)][:extra]
    synthetic = pd.DataFrame(
        {
            "code": codes,
            "name": [f"Unit Sintetis {c}" for c in codes],
            "short_name": [f"Sintetis {c}" for c in codes],
            "type": "Kabupaten",
            "capital": [f"Ibu Kota {c}" for c in codes],
            "lat": np.nan,
            "lon": np.nan,
            "pop_2020": np.rint(rng.lognormal(np.log(420_000), 0.7, size=extra)).astype(np.int64),
            "remoteness": rng.uniform(0.0, 1.0, size=extra).round(2),
        }
    )
    return pd.concat([ntt, synthetic], ignore_index=True)


def districts_for(code: str) -> tuple[str, ...]:
    """Kecamatan names for a unit; synthetic units get numbered ones."""
    return DISTRICTS.get(code) or tuple(f"Kecamatan {k}" for k in range(1, 7))
