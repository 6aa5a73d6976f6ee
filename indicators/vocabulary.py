"""The shared vocabulary: codes, types, stages, categories, yes/no words, the WITA clock and the report amounts.

Every layer (ingest, warehouse, indicators, layouts) takes these words from here, so a cooperative type, a digital
stage or the meaning of "t" in a spreadsheet cell is decided once. It sits at the bottom of the stack: it imports
nothing of the project, and the import-linter contracts let every package import it.
"""
from __future__ import annotations

from datetime import timezone
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------- places
# Kemendagri codes of the 22 kabupaten/kota of Nusa Tenggara Timur (5301 Kabupaten Kupang … 5371 Kota Kupang).
REGENCY_CODES = (
    "5301", "5302", "5303", "5304", "5305", "5306", "5307", "5308", "5309", "5310", "5311",
    "5312", "5313", "5314", "5315", "5316", "5317", "5318", "5319", "5320", "5321", "5371",
)
# The province's own code: the roll-up row of the whole of NTT in `regency_indicators`.
PROVINCE_CODE = "53"
AREA_CODES = (*REGENCY_CODES, PROVINCE_CODE)
# A roll-up row over every cooperative type has this in its `type` column.
ALL_TYPES = ""

# --------------------------------------------------------------------------- cooperatives
COOP_TYPES = ("simpan_pinjam", "konsumen", "produsen", "pemasaran", "jasa")
COOP_GROUPS = ("KSP", "KSPPS", "Kopdit", "KSU", "KUD", "lainnya")
STATUSES = ("active", "inactive", "dissolved")
ACTIVE = "active"
ACTIVE_WORDS = ("active", "aktif")  # a registry status that counts as active (the canonical word and its alias)
PERIOD_TYPES = ("month", "quarter", "year")
CERTIFICATE_STATUSES = ("bersertifikat", "belum_bersertifikat")

# --------------------------------------------------------------------------- supervision (Permenkop 9/2020; UU 4/2023)
# Where a cooperative's members live decides who supervises it: within one kabupaten/kota → that kabupaten's office,
# across kabupaten of one province → the province, across provinces → the ministry; open-loop savings and loans
# (serving non-members) → OJK since Law 4/2023. Empty membership area = not stated.
MEMBERSHIP_AREAS = ("kabupaten", "provinsi", "nasional")
SUPERVISORS = ("kabupaten", "provinsi", "kementerian", "ojk", "belum_diketahui")
# The population a roll-up is computed over (`scope`): the cooperatives the regional government (the province and
# the kabupaten/kota offices) supervises — everything but the ministry's national primaries and OJK's open-loop
# cooperatives — or every cooperative registered in NTT.
SCOPES = ("daerah", "semua")
DEFAULT_SCOPE = "daerah"
REGIONAL_SUPERVISORS = ("kabupaten", "provinsi", "belum_diketahui")
# Government programmes a registry cooperative may belong to: Koperasi Desa/Kelurahan Merah Putih (Inpres 9/2025).
PROGRAMMES = ("kdmp",)

# --------------------------------------------------------------------------- Koperasi Desa/Kelurahan Merah Putih
VILLAGE_TYPES = ("desa", "kelurahan")
# The operating outlets (gerai) a KDMP may run; the list varies between sources, "lainnya" takes the rest.
KDMP_OUTLETS = ("kantor", "simpan_pinjam", "sembako", "apotek", "klinik", "gudang", "cold_storage", "logistik",
                "elpiji", "lainnya")
FINANCING_SCHEMES = ("pmk49", "agrinas", "lainnya", "none")
# The milestones of a KDMP in order: (key, the date column that records it, or None when another column shows it).
KDMP_STAGES = ("musdesus", "badan_hukum", "nib_npwp_rekening", "simkopdes", "lahan", "pembangunan", "serah_terima",
               "gerai", "rat_pertama")
# Kemendagri village codes: the 7th digit is 1 for a kelurahan and 2 for a desa (e.g. 53.21.01.2001 = a desa).
VILLAGE_TYPE_DIGIT = {"kelurahan": "1", "desa": "2"}
MENTORING_KINDS = ("pelatihan", "pendampingan", "kunjungan")

# --------------------------------------------------------------------------- indicators' categories
DIGITAL_STAGES = ("identified", "migrating", "live", "transacting")  # in order; a later one is further
RAT_GRADES = ("A", "B", "C1", "C2", "D")
# Health categories of the 2016 method (and of the general-finance method that re-uses its cut-offs), best first;
# the norm files give their labels and cut-offs.
HEALTH_CATEGORIES = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")
REPORT_STATUSES = ("on_time", "late", "missing")
SCORE_FRAMEWORKS = ("ksp2016", "ksp2021", "pearls", "finance")

# Indonesian spellings of enumerated values, accepted on input.
VALUE_ALIASES = {
    "status": {"aktif": "active", "tidak_aktif": "inactive", "tidak aktif": "inactive", "bubar": "dissolved"},
    "period_type": {"bulanan": "month", "triwulan": "quarter", "tahunan": "year"},
    "stage": {"teridentifikasi": "identified", "migrasi": "migrating", "aktif": "live", "bertransaksi": "transacting"},
    "certificate_status": {"belum bersertifikat": "belum_bersertifikat"},
    "membership_area": {"kabupaten/kota": "kabupaten", "kota": "kabupaten", "provinsi": "provinsi",
                        "nasional": "nasional", "lintas provinsi": "nasional"},
    "financing_scheme": {"pmk 49": "pmk49", "pmk 49/2025": "pmk49", "himbara": "pmk49", "tidak ada": "none",
                         "belum": "none"},
    "village_type": {"kel": "kelurahan"},
}

# --------------------------------------------------------------------------- yes / no
# Words a spreadsheet cell may use for yes and no (lower case, trimmed). Indonesian forms write Y/T for Ya/Tidak,
# so a lone "t" is "tidak" (no) — never English "true".
TRUE_WORDS = frozenset({"true", "ya", "y", "yes", "1", "1.0", "benar"})
FALSE_WORDS = frozenset({"false", "tidak", "t", "n", "no", "0", "0.0", "salah"})


def yes_no(text) -> bool | None:
    """True / False for a yes or no word (case and surrounding space ignored), None for anything else."""
    if isinstance(text, bool):
        return text
    word = str(text).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


# --------------------------------------------------------------------------- time
# NTT reads the clock in WITA (UTC+8, no summer time): every date and time a user reads is in it.
WITA_NAME = "Asia/Makassar"
WITA = ZoneInfo(WITA_NAME)


def to_wita(moment):
    """A moment in WITA (a naive one is UTC, as SQLite gives it back); None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WITA)


def wita_stamp(moment) -> str:
    """2026-11-25 12:30 WITA, for command-line listings ('-' when missing)."""
    local = to_wita(moment)
    return "-" if local is None else f"{local:%Y-%m-%d %H:%M} WITA"


# --------------------------------------------------------------------------- simulated data
# Every page, grid export, API CSV and command says so when the warehouse holds the simulated province.
SIMULATED_BADGE = "DATA SIMULASI"
SIMULATED_NOTE = {
    "id": "Data ini disimulasikan untuk demonstrasi; bukan data koperasi yang sebenarnya.",
    "en": "Simulated data for demonstration; these are not real cooperatives' figures.",
}

# --------------------------------------------------------------------------- report amounts
# The amounts of a financial report (`laporan_keuangan`), in contract order: (Indonesian, English, flow?). Flows
# are fiscal-year-to-date; stocks are at period end.
REPORT_AMOUNTS: dict[str, tuple[str, str, bool]] = {
    "total_assets": ("Total aset", "Total assets", False),
    "current_assets": ("Aset lancar", "Current assets", False),
    "cash_and_bank": ("Kas dan bank", "Cash and bank balances", False),
    "total_liabilities": ("Total kewajiban", "Total liabilities", False),
    "current_liabilities": ("Kewajiban lancar", "Current liabilities", False),
    "equity": ("Modal sendiri (ekuitas); boleh negatif", "Equity (own capital); may be negative", False),
    "share_capital_principal": ("Simpanan pokok", "Principal share capital (simpanan pokok)", False),
    "share_capital_mandatory": ("Simpanan wajib", "Mandatory share capital (simpanan wajib)", False),
    "reserves": ("Cadangan", "Reserves", False),
    "voluntary_savings": ("Simpanan sukarela", "Voluntary savings", False),
    "time_deposits": ("Simpanan berjangka", "Time deposits", False),
    "funds_received": ("Dana yang diterima (pinjaman dari pihak lain)", "Funds received (borrowed funds)", False),
    "loans_outstanding": ("Pinjaman yang diberikan (saldo)", "Loans outstanding", False),
    "loans_to_members": ("Pinjaman kepada anggota", "Loans to members", False),
    "loans_at_risk": ("Pinjaman berisiko", "Loans at risk", False),
    "loans_substandard": ("Pinjaman kurang lancar", "Substandard loans", False),
    "loans_doubtful": ("Pinjaman diragukan", "Doubtful loans", False),
    "loans_loss": ("Pinjaman macet", "Loss (bad) loans", False),
    "loan_loss_reserve": ("Cadangan risiko pinjaman", "Loan-loss reserve", False),
    "weighted_capital": ("Modal tertimbang", "Risk-weighted capital", False),
    "risk_weighted_assets": ("Aset tertimbang menurut risiko (ATMR)", "Risk-weighted assets (ATMR)", False),
    "gross_participation": ("Partisipasi bruto anggota", "Gross member participation", True),
    "net_participation": ("Partisipasi neto anggota", "Net member participation", True),
    "revenue": ("Pendapatan total", "Total revenue", True),
    "non_member_revenue": ("Pendapatan dari usaha dengan non-anggota", "Revenue from business with non-members", True),
    "operating_expenses": ("Beban usaha", "Operating expenses", True),
    "member_operating_expenses": ("Beban operasi anggota", "Operating expenses for members", True),
    "cooperative_expenses": ("Beban perkoperasian", "Cooperative (member education etc.) expenses", True),
    "staff_costs": ("Biaya karyawan", "Staff costs", True),
    "shu_gross": ("SHU kotor", "Gross surplus (SHU)", True),
    "shu_before_tax": ("SHU sebelum pajak", "Surplus (SHU) before tax", True),
    "shu_after_tax": ("SHU setelah pajak", "Surplus (SHU) after tax", True),
    "shu_member_share": ("SHU bagian anggota", "Members' share of the surplus (SHU)", True),
    "member_economic_benefit": ("Manfaat ekonomi partisipasi anggota (MEPPP)", "Member economic benefit (MEPPP)",
                                True),
}
# Every numeric column of a report: what a formula may use.
REPORT_FIGURES: dict[str, tuple[str, str, bool]] = {
    "members": ("Jumlah anggota", "Members", False),
    "management_score": ("Skor kuesioner manajemen (0–15)", "Management questionnaire score (0–15)", False),
    **REPORT_AMOUNTS,
}


# How a formula names each report column mid-sentence (Indonesian, English).
FORMULA_WORDS: dict[str, tuple[str, str]] = {
    "members": ("anggota", "members"),
    "management_score": ("skor manajemen", "management score"),
    "total_assets": ("total aset", "total assets"),
    "current_assets": ("aset lancar", "current assets"),
    "cash_and_bank": ("kas dan bank", "cash and bank"),
    "total_liabilities": ("total kewajiban", "total liabilities"),
    "current_liabilities": ("kewajiban lancar", "current liabilities"),
    "equity": ("modal sendiri", "equity"),
    "share_capital_principal": ("simpanan pokok", "principal share capital"),
    "share_capital_mandatory": ("simpanan wajib", "mandatory share capital"),
    "reserves": ("cadangan", "reserves"),
    "voluntary_savings": ("simpanan sukarela", "voluntary savings"),
    "time_deposits": ("simpanan berjangka", "time deposits"),
    "funds_received": ("dana yang diterima", "funds received"),
    "loans_outstanding": ("pinjaman diberikan", "loans outstanding"),
    "loans_to_members": ("pinjaman kepada anggota", "loans to members"),
    "loans_at_risk": ("pinjaman berisiko", "loans at risk"),
    "loans_substandard": ("kurang lancar", "substandard loans"),
    "loans_doubtful": ("diragukan", "doubtful loans"),
    "loans_loss": ("macet", "loss loans"),
    "loan_loss_reserve": ("cadangan risiko", "loan-loss reserve"),
    "weighted_capital": ("modal tertimbang", "weighted capital"),
    "risk_weighted_assets": ("ATMR", "risk-weighted assets"),
    "gross_participation": ("partisipasi bruto", "gross participation"),
    "net_participation": ("partisipasi neto", "net participation"),
    "revenue": ("pendapatan", "revenue"),
    "non_member_revenue": ("pendapatan non-anggota", "non-member revenue"),
    "operating_expenses": ("beban usaha", "operating expenses"),
    "member_operating_expenses": ("beban operasi anggota", "member operating expenses"),
    "cooperative_expenses": ("beban perkoperasian", "cooperative expenses"),
    "staff_costs": ("biaya karyawan", "staff costs"),
    "shu_gross": ("SHU kotor", "gross SHU"),
    "shu_before_tax": ("SHU sebelum pajak", "SHU before tax"),
    "shu_after_tax": ("SHU setelah pajak", "SHU after tax"),
    "shu_member_share": ("SHU bagian anggota", "members' SHU"),
    "member_economic_benefit": ("MEPPP", "member economic benefit (MEPPP)"),
}


def figure_label(column: str, lang: str = "id") -> str:
    """How a formula names a report column mid-sentence, in Indonesian or English ("SHU setelah pajak")."""
    id_, en = FORMULA_WORDS[column]
    return en if lang == "en" else id_
