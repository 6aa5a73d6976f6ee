"""The one message catalogue (Bahasa Indonesia first, English second) and Indonesian number formatting."""
from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import format_decimal

from indicators import vocabulary

LANGUAGES = ("id", "en")
WITA = vocabulary.WITA
LANG_COOKIE = "pantau_lang"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (Bahasa Indonesia, English)
    "app.title": ("Pantau Koperasi NTT", "Pantau Koperasi NTT"),
    "app.tagline": (
        "Pemantauan kesehatan, akuntabilitas dan digitalisasi koperasi Provinsi Nusa Tenggara Timur",
        "Monitoring the health, accountability and digital adoption of cooperatives in Nusa Tenggara Timur",
    ),
    "lang.switch": ("English", "Bahasa Indonesia"),
    "footer.as_of": ("Data per {date}", "Data as of {date}"),
    "footer.no_data": ("Belum ada data di gudang data", "The warehouse holds no data yet"),
    "footer.source": ("Sumber: {sources}", "Source: {sources}"),
    "footer.version": ("versi data {version}", "data version {version}"),
    "simulated.badge": (vocabulary.SIMULATED_BADGE, vocabulary.SIMULATED_BADGE),
    "simulated.note": (vocabulary.SIMULATED_NOTE["id"], vocabulary.SIMULATED_NOTE["en"]),
    "source.inbox": ("kotak masuk spreadsheet", "spreadsheet inbox"),
    "source.platform": ("API platform koperasi digital", "digital-cooperative platform API"),
    "source.registry": ("ekspor registri nasional (NIK)", "national registry export (NIK)"),
    "source.cli": ("berkas dimuat lewat baris perintah", "files loaded from the command line"),
    "page.overview": ("Ringkasan", "Overview"),
    "page.data_quality": ("Pelaporan & Kualitas Data", "Reporting & Data Quality"),
    "page.methodology": ("Metodologi", "Methodology"),
    "empty.warehouse": (
        "Gudang data masih kosong. Jalankan `python app.py` pada gudang kosong untuk memuat provinsi simulasi, "
        "atau muat berkas dengan `python app.py ingest file BERKAS`.",
        "The warehouse is empty. Run `python app.py` on an empty warehouse to load the simulated province, "
        "or load files with `python app.py ingest file FILE`.",
    ),
    "card.cooperatives": ("Koperasi", "Cooperatives"),
    "card.active": ("aktif", "active"),
    "card.legal_entities": ("berbadan hukum", "legal entities"),
    "card.members": ("Anggota", "Members"),
    "card.assets": ("Aset", "Assets"),
    "card.reports": ("Laporan keuangan", "Financial reports"),
    "card.latest_period": ("periode terakhir {period}", "latest period {period}"),
    "table.regency": ("Kabupaten/Kota", "Regency/City"),
    "table.cooperatives": ("Koperasi", "Cooperatives"),
    "table.active": ("Aktif", "Active"),
    "table.members": ("Anggota", "Members"),
    "table.population": ("Penduduk 2020", "Population 2020"),
    "table.members_per_1000": ("Anggota per 1.000 penduduk", "Members per 1,000 inhabitants"),
    "overview.by_regency": ("Koperasi per kabupaten/kota", "Cooperatives by regency/city"),
    "overview.by_type": ("Koperasi menurut jenis", "Cooperatives by type"),
    "type.simpan_pinjam": ("Simpan pinjam", "Savings and loans"),
    "type.konsumen": ("Konsumen", "Consumer"),
    "type.produsen": ("Produsen", "Producer"),
    "type.pemasaran": ("Pemasaran", "Marketing"),
    "type.jasa": ("Jasa", "Services"),
    "dq.runs": ("Riwayat proses impor", "Ingest runs"),
    "dq.rejections": ("Baris yang ditolak", "Rejected rows"),
    "dq.freshness": ("Kesegaran sumber data", "Source freshness"),
    "dq.col.source": ("Sumber", "Source"),
    "dq.col.target": ("Berkas / endpoint", "File / endpoint"),
    "dq.col.started": ("Mulai (WITA)", "Started (WITA)"),
    "dq.col.duration": ("Durasi (detik)", "Duration (s)"),
    "dq.col.status": ("Status", "Status"),
    "dq.col.read": ("Dibaca", "Read"),
    "dq.col.loaded": ("Dimuat", "Loaded"),
    "dq.col.revised": ("Revisi", "Revised"),
    "dq.col.unchanged": ("Tidak berubah", "Unchanged"),
    "dq.col.rejected": ("Ditolak", "Rejected"),
    "dq.col.file": ("Berkas", "File"),
    "dq.col.row": ("Baris", "Row"),
    "dq.col.reasons": ("Alasan", "Reasons"),
    "dq.col.last_success": ("Berhasil terakhir (WITA)", "Last success (WITA)"),
    "dq.col.error": ("Galat", "Error"),
    "dq.none": ("Belum ada proses impor.", "No ingest run yet."),
    "dq.no_rejections": ("Tidak ada baris yang ditolak.", "No rejected rows."),
    "export.csv": ("Unduh CSV", "Download CSV"),
}


def t(key: str, lang: str = "id", **values) -> str:
    """The text for `key` in `lang`; unknown keys show the key itself so a missing entry is visible."""
    pair = MESSAGES.get(key)
    text = key if pair is None else pair[1 if lang == "en" else 0]
    return text.format(**values) if values else text


def _locale(lang: str) -> str:
    return "en_US" if lang == "en" else "id_ID"


def fmt_int(value, lang: str = "id") -> str:
    """1.234.567 (id) / 1,234,567 (en); '–' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    whole = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_decimal(whole, format="#,##0", locale=_locale(lang))


def fmt_number(value, digits: int = 1, lang: str = "id") -> str:
    """1.234,5 (id) / 1,234.5 (en), rounded half up as a reader rounds (0,25 → 0,3; Babel alone rounds half to
    even); '–' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format_decimal(exact, format="#,##0." + "0" * digits, locale=_locale(lang))


def fmt_pct(value, digits: int = 1, lang: str = "id") -> str:
    """A share 0–1 as a percentage: 0.456 → 45,6 %."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return fmt_number(value * 100, digits, lang) + " %"


_SCALES = (
    (1e12, {"id": "T", "en": "T"}),
    (1e9, {"id": "M", "en": "B"}),  # miliar / billion
    (1e6, {"id": "jt", "en": "M"}),  # juta / million
)


def fmt_rupiah(value, lang: str = "id") -> str:
    """Rupiah, short: Rp12,3 T (id: T = triliun, M = miliar, jt = juta) / Rp12.3 T (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    for size, suffix in _SCALES:
        if abs(value) >= size:
            return f"Rp{fmt_number(value / size, 1, lang)} {suffix[lang if lang == 'en' else 'id']}"
    return "Rp" + fmt_int(value, lang)


to_wita = vocabulary.to_wita


_MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def fmt_date(value: date | datetime | None, lang: str = "id") -> str:
    """23 November 2026 (both languages use day-month-year here)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = to_wita(value)
    return f"{value.day} {_MONTHS['en' if lang == 'en' else 'id'][value.month - 1]} {value.year}"


def fmt_datetime(value: datetime | None, lang: str = "id") -> str:
    if value is None:
        return "–"
    local = to_wita(value)
    return f"{fmt_date(local, lang)} {local:%H:%M} WITA"


def fmt_period(value: date | None, lang: str = "id") -> str:
    """A monthly period: Oktober 2026."""
    if value is None:
        return "–"
    return f"{_MONTHS['en' if lang == 'en' else 'id'][value.month - 1]} {value.year}"


def _merge_catalogues() -> None:
    """Fold every `layouts/messages/*.py` part into MESSAGES (a key defined twice with different texts is a bug)."""
    import importlib
    import pkgutil

    import layouts.messages as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        part = importlib.import_module(f"{package.__name__}.{info.name}").MESSAGES
        for key, pair in part.items():
            if key in MESSAGES and MESSAGES[key] != pair:
                raise ValueError(f"message {key!r} is defined twice ({info.name})")
            MESSAGES[key] = pair


_merge_catalogues()


def fmt_figure(value, unit: str, lang: str = "id", digits: int | None = None) -> str:
    """A figure written the one way its registry unit says: percent 45,6 %, percentage points +1,2 poin, count
    1.234, Rupiah Rp12,3 T, points 73,9, per 1.000 12,7, per month 2,5, date Oktober 2026, flag ya/tidak; a
    negative number with a true minus (−2,1 %), and a value that rounds to zero as 0 (never −0,0). '–' when
    missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "date":
        return fmt_period(value, lang)
    if unit == "flag":
        return t("fig.yes" if value else "fig.no", lang)
    if unit == "code":
        return str(value)
    places = 0 if unit in ("count", "days") else (1 if digits is None else digits)
    if round(abs(float(value)), places) == 0:
        value = 0.0
    if unit == "percentage_points":
        sign = "+" if value > 0 else ("−" if value < 0 else "")
        return f"{sign}{fmt_number(abs(value), places, lang)} {t('fig.points', lang)}"
    if unit in ("count", "days"):
        text = fmt_int(value, lang)
    elif unit == "rupiah":
        text = fmt_rupiah(value, lang)
    elif unit == "percent":
        text = fmt_number(value, places, lang) + " %"
    else:
        text = fmt_number(value, places, lang)
    return text.replace("-", "−", 1) if text.startswith(("-", "Rp-")) else text
