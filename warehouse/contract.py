"""The data contract as code: every dataset, column, Indonesian alias, type and rule of DATA_CONTRACT.md — what the
warehouse accepts. Ingest validates against it, the exports describe their columns with it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# The shared words (codes, types, stages, grades) are defined once, at the bottom of the stack.
from indicators.vocabulary import (
    CERTIFICATE_STATUSES,
    COOP_GROUPS,
    COOP_TYPES,
    FINANCING_SCHEMES,
    KDMP_OUTLETS,
    MEMBERSHIP_AREAS,
    MENTORING_KINDS,
    PERIOD_TYPES,
    PROGRAMMES,
    REGENCY_CODES,
    STATUSES,
    VILLAGE_TYPES,
)
from indicators.vocabulary import DIGITAL_STAGES as STAGES
from indicators.vocabulary import RAT_GRADES as GRADES


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, int, amount, number, date, bool
    aliases: tuple[str, ...] = ()
    required: bool = False
    rules: tuple = ()  # column rules: ("ge", 0), ("range", lo, hi), ("in", values), ("digits", lo, hi), ...
    description: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    row_rules: tuple = ()  # cross-field rules, see validate.ROW_RULES
    description: str = ""
    extra: dict = field(default_factory=dict)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _amount(name: str, alias: str, rules=(("ge", 0),), description: str = "") -> Column:
    return Column(name, "amount", (alias,), rules=rules, description=description)


NIK = Column("nik", "text", ("nomor_induk_koperasi",), True, (("digits", 10, 20),), "Nomor Induk Koperasi (text)")

KOPERASI = Dataset(
    "koperasi",
    (
        NIK,
        Column("name", "text", ("nama_koperasi",), True, (("length", 1, 200), ("no_formula",))),
        Column("regency_code", "text", ("kode_kabupaten",), True, (("in", REGENCY_CODES),)),
        Column("district", "text", ("kecamatan",)),
        Column("type", "text", ("jenis",), True, (("in", COOP_TYPES),)),
        Column("group", "text", ("kelompok",), rules=(("in", COOP_GROUPS),)),
        Column("savings_loan_unit", "bool", ("usp",)),
        Column("legal_entity_number", "text", ("nomor_badan_hukum",)),
        Column("legal_entity_date", "date", ("tanggal_badan_hukum",), rules=(("not_future",),)),
        Column("established_year", "int", ("tahun_berdiri",), rules=(("year_range", 1900),)),
        Column("status", "text", ("status",), True, (("in", STATUSES),)),
        Column("open_loop", "bool", ("open_loop",)),
        Column("latitude", "number", rules=(("range", -11.1, -8.0),)),
        Column("longitude", "number", rules=(("range", 118.8, 125.3),)),
        Column("membership_area", "text", ("wilayah_keanggotaan",), rules=(("in", MEMBERSHIP_AREAS),),
               description="Where the members live: kabupaten (one kabupaten/kota), provinsi (several kabupaten of "
                           "NTT), nasional (several provinces); decides the supervisor (Permenkop 9/2020)"),
        Column("programme", "text", ("program",), rules=(("in", PROGRAMMES),),
               description="Government programme: kdmp (Koperasi Desa/Kelurahan Merah Putih); empty = none"),
        Column("village_code", "text", ("kode_desa",), rules=(("digits", 10, 10),),
               description="Kemendagri code of the desa/kelurahan of a KDMP (10 digits)"),
        Column("contact_name", "text", ("nama_kontak", "narahubung"),
               description="Whom the kabupaten office calls about the cooperative's reports (optional)"),
        Column("contact_phone", "text", ("telepon_kontak", "no_hp", "nomor_telepon"), rules=(("phone",),),
               description="The contact's telephone or WhatsApp number, e.g. 0812-3456-7890 or +62 812 3456 7890"),
        Column("contact_email", "text", ("email_kontak", "email"), rules=(("email",),),
               description="The contact's e-mail address (optional)"),
    ),
    key=("nik",),
    row_rules=("village_code_in_regency", "kdmp_needs_village_code"),
    description="Registry: one row per cooperative",
)

LAPORAN_KEUANGAN = Dataset(
    "laporan_keuangan",
    (
        NIK,
        Column("period_end", "date", ("akhir_periode",), True, (("month_end",), ("not_future",))),
        Column("period_type", "text", ("jenis_periode",), True, (("in", PERIOD_TYPES),)),
        Column("submitted_on", "date", ("tanggal_kirim",), rules=(("not_future",),),
               description="Date the cooperative sent the report (extension; default: when it was received)"),
        Column("members", "int", ("jumlah_anggota",), rules=(("ge", 0),)),
        _amount("total_assets", "total_aset"),
        _amount("current_assets", "aset_lancar", (("ge", 0), ("le_col", "total_assets"))),
        _amount("cash_and_bank", "kas_dan_bank", (("ge", 0), ("le_col", "current_assets"))),
        _amount("total_liabilities", "total_kewajiban"),
        _amount("current_liabilities", "kewajiban_lancar", (("ge", 0), ("le_col", "total_liabilities"))),
        _amount("equity", "modal_sendiri", ()),
        _amount("share_capital_principal", "simpanan_pokok"),
        _amount("share_capital_mandatory", "simpanan_wajib"),
        _amount("reserves", "cadangan", ()),
        _amount("voluntary_savings", "simpanan_sukarela"),
        _amount("time_deposits", "simpanan_berjangka"),
        _amount("funds_received", "dana_yang_diterima"),
        _amount("loans_outstanding", "pinjaman_diberikan"),
        _amount("loans_to_members", "pinjaman_anggota", (("ge", 0), ("le_col", "loans_outstanding"))),
        _amount("loans_at_risk", "pinjaman_berisiko", (("ge", 0), ("le_col", "loans_outstanding"))),
        _amount("loans_substandard", "kurang_lancar"),
        _amount("loans_doubtful", "diragukan"),
        _amount("loans_loss", "macet"),
        _amount("loan_loss_reserve", "cadangan_risiko"),
        _amount("weighted_capital", "modal_tertimbang"),
        _amount("risk_weighted_assets", "atmr"),
        _amount("gross_participation", "partisipasi_bruto"),
        _amount("net_participation", "partisipasi_neto", ()),
        _amount("revenue", "pendapatan"),
        _amount("non_member_revenue", "pendapatan_non_anggota", (("ge", 0), ("le_col", "revenue"))),
        _amount("operating_expenses", "beban_usaha"),
        _amount("member_operating_expenses", "beban_operasi_anggota"),
        _amount("cooperative_expenses", "beban_perkoperasian"),
        _amount("staff_costs", "biaya_karyawan"),
        _amount("shu_gross", "shu_kotor", ()),
        _amount("shu_before_tax", "shu_sebelum_pajak", ()),
        _amount("shu_after_tax", "shu_setelah_pajak", ()),
        _amount("shu_member_share", "shu_bagian_anggota", ()),
        _amount("member_economic_benefit", "meppp"),
        Column("management_score", "number", ("skor_manajemen",), rules=(("range", 0, 15),)),
    ),
    key=("nik", "period_end", "period_type"),
    row_rules=("loan_classes_le_outstanding", "period_type_matches", "balance_sheet_warning"),
    description="Financial report: one row per cooperative and period",
)

RAT = Dataset(
    "rat",
    (
        NIK,
        Column("fiscal_year", "int", ("tahun_buku",), True, (("year_range", 1900),)),
        Column("held_on", "date", ("tanggal_rat",), rules=(("not_future",),)),
        Column("reported_on", "date", ("tanggal_lapor",), rules=(("not_future",),)),
        _amount("shu_total", "shu_total", ()),
        _amount("shu_to_members", "shu_dibagikan", ()),
        Column("audited", "bool", ("diaudit",)),
        Column("statements_published", "bool", ("laporan_dipublikasikan",)),
    ),
    key=("nik", "fiscal_year"),
    row_rules=("held_after_fiscal_year", "shu_to_members_le_total"),
    description="Annual members' meeting (RAT): one row per cooperative and fiscal year",
)

DIGITAL = Dataset(
    "digital",
    (
        NIK,
        Column("platform", "text", ("platform",), True, (("length", 1, 40),)),
        Column("stage", "text", ("tahap",), True, (("in", STAGES),)),
        Column("stage_date", "date", ("tanggal",), True, (("not_future",),)),
        Column("members_on_app", "int", ("anggota_pengguna",), rules=(("ge", 0),)),
    ),
    key=("nik", "stage", "stage_date"),
    description="Digital-adoption stage: one row per cooperative and stage change",
)

VILLAGE_CODE = Column("village_code", "text", ("kode_desa", "kode_wilayah"), True, (("digits", 10, 10),),
                      "Kemendagri code of the desa/kelurahan, 10 digits; the first four are the kabupaten/kota code")


def _stage_date(name: str, alias: str, description: str) -> Column:
    return Column(name, "date", (alias,), rules=(("not_future",),), description=description)


KDMP = Dataset(
    "kdmp",
    (
        VILLAGE_CODE,
        Column("village_name", "text", ("nama_desa",), True, (("length", 1, 120),)),
        Column("village_type", "text", ("jenis_desa",), True, (("in", VILLAGE_TYPES),)),
        Column("nik", "text", ("nomor_induk_koperasi",), rules=(("digits", 10, 20),),
               description="Nomor Induk Koperasi once issued (text); empty until then"),
        Column("as_of", "date", ("per_tanggal", "tanggal_data"), True, (("not_future",),),
               description="The date the row describes the village's KDMP (a later date is a new state)"),
        _stage_date("musdesus_on", "tanggal_musdesus", "Musyawarah desa/kelurahan khusus held"),
        _stage_date("deed_on", "tanggal_akta", "Notary deed of establishment"),
        _stage_date("ahu_on", "tanggal_sk_ahu", "SK AHU (legal entity) of the Ministry of Law"),
        _stage_date("nib_on", "tanggal_nib", "Business identification number (NIB) issued"),
        _stage_date("npwp_on", "tanggal_npwp", "Tax number (NPWP) issued"),
        _stage_date("bank_account_on", "tanggal_rekening", "Bank account opened"),
        _stage_date("simkopdes_on", "tanggal_simkopdes", "SIMKOPDES account registered"),
        _stage_date("land_ready_on", "tanggal_lahan_siap", "Land for the outlets and warehouse secured"),
        _stage_date("handover_on", "tanggal_serah_terima", "Buildings handed over to the cooperative"),
        _stage_date("first_rat_on", "tanggal_rat_pertama", "First annual members' meeting (RAT) held"),
        Column("ahu_number", "text", ("nomor_sk_ahu",), rules=(("length", 1, 80),)),
        Column("construction_pct", "number", ("persen_pembangunan", "progres_pembangunan"), rules=(("range", 0, 100),),
               description="Construction progress of the outlets and warehouse, percent"),
        Column("outlets", "text", ("gerai", "gerai_beroperasi"), rules=(("list_of", KDMP_OUTLETS),),
               description="Outlets operating, separated by ';': " + ", ".join(KDMP_OUTLETS)),
        Column("members", "int", ("jumlah_anggota",), rules=(("ge", 0),)),
        Column("financing_scheme", "text", ("skema_pembiayaan",), rules=(("in", FINANCING_SCHEMES),),
               description="pmk49 (Himbara loan, PMK 49/2025), agrinas (construction by PT Agrinas, Inpres 17/2025), "
                           "lainnya, none"),
        _amount("financing_plafond", "plafon_pembiayaan", description="Financing granted (Rupiah)"),
        _amount("financing_disbursed", "pembiayaan_cair", (("ge", 0), ("le_col", "financing_plafond")),
                description="Financing disbursed so far (Rupiah), at most the plafond"),
        Column("business_assistant", "text", ("pendamping", "business_assistant_ba"), rules=(("length", 1, 120),),
               description="The Business Assistant (mentor) of the KDMP: name or ID"),
    ),
    key=("village_code", "as_of"),
    row_rules=("village_prefix_known", "village_type_matches_code", "stage_dates_not_after_as_of",
               "kdmp_stage_order", "handover_needs_land"),
    description="Koperasi Desa/Kelurahan Merah Putih: one row per village and as_of date",
)

PENDAMPINGAN = Dataset(
    "pendampingan",
    (
        Column("nik", "text", ("nomor_induk_koperasi",), rules=(("digits", 10, 20),),
               description="The cooperative mentored (nik), or give village_code for a KDMP"),
        Column("village_code", "text", ("kode_desa",), rules=(("digits", 10, 10),),
               description="The KDMP mentored, by its village's Kemendagri code (when it has no NIK yet)"),
        Column("activity_date", "date", ("tanggal", "date", "tanggal_kegiatan"), True, (("not_future",),)),
        Column("kind", "text", ("jenis_kegiatan", "jenis"), True, (("in", MENTORING_KINDS),),
               description="pelatihan (training), pendampingan (mentoring), kunjungan (visit)"),
        Column("topic", "text", ("topik", "materi"), rules=(("length", 1, 200),)),
        Column("mentor", "text", ("pendamping", "mentor_koperasi"), True, (("length", 1, 120),),
               description="The mentor: a person's name or ID, or the mentoring cooperative"),
        Column("hours", "number", ("jam", "durasi_jam"), True, (("gt", 0), ("range", 0, 200)),
               description="Hours spent (> 0)"),
    ),
    key=("subject", "activity_date", "kind", "mentor", "topic"),
    row_rules=("nik_or_village_code", "village_prefix_known"),
    description="Mentoring and training log: one row per activity with one cooperative",
    extra={"subject": ("nik", "village_code")},
)

REGISTRY_EXPORT = Dataset(
    "registry_export",
    (
        NIK,
        Column("name", "text", ("nama_koperasi",)),
        Column("certificate_status", "text", ("status_sertifikat", "status_nik"), True, (("in", CERTIFICATE_STATUSES),)),
        Column("grade", "text", ("status_grade", "peringkat"), rules=(("in", GRADES),)),
        Column("last_rat_date", "date", ("tanggal_rat_terakhir",), rules=(("not_future",),)),
    ),
    key=("nik",),
    description="National registry export (NIK certificate, RAT grade, last RAT date), joined on NIK",
)

DATASETS: dict[str, Dataset] = {d.name: d for d in (KOPERASI, LAPORAN_KEUANGAN, RAT, DIGITAL, KDMP, PENDAMPINGAN)}
ALL_DATASETS: dict[str, Dataset] = {**DATASETS, REGISTRY_EXPORT.name: REGISTRY_EXPORT}
# kdmp after the registry (a KDMP's nik must be known), pendampingan after kdmp (a village_code must be a KDMP).
LOAD_ORDER = ("koperasi", "laporan_keuangan", "rat", "digital", "kdmp", "pendampingan")
# The platform API's endpoint for each dataset.
API_ENDPOINTS = {"cooperatives": "koperasi", "reports": "laporan_keuangan", "meetings": "rat", "digital": "digital",
                 "kdmp": "kdmp", "mentoring": "pendampingan"}
# Endpoints a platform may not offer (added in 2026): a 404 there means "not offered", not a failed run.
OPTIONAL_ENDPOINTS = ("kdmp", "mentoring")


# Columns a reader skips without a note: the corrections file's reasons (warehouse/uploads.py), in either language.
IGNORED_COLUMNS = ("alasan_karantina", "quarantine_reasons")


def normalise_header(text: str) -> str:
    """'Nama Koperasi ' → 'nama_koperasi': headers match case- and space-insensitively."""
    return re.sub(r"[\s\-]+", "_", str(text).strip().lower())


def header_map(dataset: Dataset) -> dict[str, str]:
    """Every accepted spelling (canonical and alias, normalised) → canonical column name."""
    mapping: dict[str, str] = {}
    for col in dataset.columns:
        mapping[normalise_header(col.name)] = col.name
        for alias in col.aliases:
            mapping[normalise_header(alias)] = col.name
    return mapping


# ----------------------------------------------------------------------------------------- lengths from the schema
# Every text column is as long as the warehouse column that stores it, no longer: the same rule on SQLite (which
# would keep an over-long value silently) and PostgreSQL (which would refuse the whole file). Derived from the
# models, so the contract and the schema cannot drift; a column the warehouse does not store (the registry export's
# name) gets STORED_ELSEWHERE's length.
STORED_IN = {"koperasi": ("cooperatives", {}), "laporan_keuangan": ("financial_reports", {}),
             "rat": ("annual_meetings", {}), "digital": ("digital_status", {}), "kdmp": ("kdmp_progress", {}),
             "pendampingan": ("mentoring", {}),
             "registry_export": ("cooperatives", {"grade": "registry_grade", "name": "name"})}


def stored_length(dataset: str, column: str) -> int | None:
    """The VARCHAR length of the warehouse column a contract text column is stored in (None: not stored)."""
    from warehouse.models import Base

    table_name, renamed = STORED_IN[dataset]
    table = Base.metadata.tables[table_name]
    stored = table.c.get(renamed.get(column, column))
    return None if stored is None else getattr(stored.type, "length", None)


def max_length(col: Column) -> int | None:
    """The longest value a text column's rules accept: its "max_length", or what a "length" or "digits" rule or
    the list of allowed values already bounds (those rules then stand for the length rule); None: unbounded."""
    bounds = []
    for rule in col.rules:
        if rule[0] == "max_length":
            bounds.append(rule[1])
        elif rule[0] in ("length", "digits"):
            bounds.append(rule[2])
        elif rule[0] == "in":
            bounds.append(max(len(v) for v in rule[1]))
        elif rule[0] == "list_of":
            bounds.append(sum(len(v) + 1 for v in rule[1]))
        elif rule[0] in PATTERNS:
            bounds.append(PATTERNS[rule[0]][1])
    return min(bounds) if bounds else None


# Text rules checked with a pattern: (regular expression, longest value accepted).
PATTERNS = {
    "phone": (r"^\+?[0-9][0-9 ()\-.]{6,28}[0-9]$", 30),  # 0812-3456-7890, +62 812 3456 7890, (0380) 821234
    "email": (r"^[^@\s;,]+@[^@\s;,]+\.[A-Za-z]{2,}$", 120),
}


def free_text(col: Column) -> bool:
    """A text column whose values are not from a list or made of digits (a name, a district, a platform, …)."""
    return col.kind == "text" and not any(rule[0] in ("in", "digits", "list_of", *PATTERNS) for rule in col.rules)


def _with_lengths(dataset: Dataset) -> Dataset:
    """Every text column with its length rule, and every free-text column with the no-formula rule (OWASP CSV
    injection: a value a spreadsheet would run never reaches the warehouse, whoever reads it later — CSV or JSON)."""
    columns = []
    for col in dataset.columns:
        length = stored_length(dataset.name, col.name) if col.kind == "text" else None
        rules = col.rules
        if length is not None and (max_length(col) is None or max_length(col) > length):
            rules = (*rules, ("max_length", length))
        if free_text(col) and not any(rule[0] == "no_formula" for rule in rules):
            rules = (*rules, ("no_formula",))
        if rules != col.rules:
            col = Column(col.name, col.kind, col.aliases, col.required, rules, col.description)
        columns.append(col)
    return Dataset(dataset.name, tuple(columns), dataset.key, dataset.row_rules, dataset.description, dataset.extra)


KOPERASI, LAPORAN_KEUANGAN, RAT, DIGITAL, KDMP, PENDAMPINGAN, REGISTRY_EXPORT = (
    _with_lengths(d) for d in (KOPERASI, LAPORAN_KEUANGAN, RAT, DIGITAL, KDMP, PENDAMPINGAN, REGISTRY_EXPORT))
DATASETS.update({d.name: d for d in (KOPERASI, LAPORAN_KEUANGAN, RAT, DIGITAL, KDMP, PENDAMPINGAN)})
ALL_DATASETS.update({**DATASETS, REGISTRY_EXPORT.name: REGISTRY_EXPORT})
