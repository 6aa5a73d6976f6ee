"""The catalogue of exports: each dataset, its columns and their bilingual data dictionary (type, unit, meaning, the
reporting template's Indonesian header). A column that publishes a figure takes its meaning from the indicator
registry, so the page, the API, the dictionary and the Metodologi page say the same."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import registry, vocabulary, wording
from warehouse import contract
from warehouse.export.params import P_FRAMEWORK, P_REGENCY, P_SCOPE, P_TYPE, P_YEAR, PAGING, RANGE
from warehouse.models import REPORT_AMOUNTS


@dataclass(frozen=True)
class Field:
    """One column of an export: canonical name, type, unit, and what it means (Indonesian, English)."""

    name: str
    kind: str  # text, integer, number, boolean, date, datetime
    unit: str  # Rupiah, %, count, date, datetime, year, days, points, percentile, share, code, "" (text)
    id: str
    en: str

    def as_dict(self, dataset: str) -> dict:
        alias = _ALIASES.get(dataset, {}).get(self.name, "")
        return {"dataset": dataset, "column": self.name, "type": self.kind, "unit": self.unit,
                "alias_template": alias, "description_id": self.id, "description_en": self.en}


# The Indonesian header the reporting template accepts for a column (from the data contract), for the exports whose
# columns come from a contract dataset; derived exports (scores, snapshots, roll-ups) have none.
_CONTRACT_SOURCES = {"registry": (contract.KOPERASI, contract.REGISTRY_EXPORT), "reports": (contract.LAPORAN_KEUANGAN,),
                     "rat": (contract.RAT,), "digital": (contract.DIGITAL,), "kdmp": (contract.KDMP,),
                     "pendampingan": (contract.PENDAMPINGAN,)}
_ALIASES = {name: {c.name: c.aliases[0] for d in sources for c in d.columns if c.aliases}
            for name, sources in _CONTRACT_SOURCES.items()}
_ALIASES["registry"]["registry_grade"] = contract.REGISTRY_EXPORT.column("grade").aliases[0]


def _f(name, kind, unit, id_, en) -> Field:
    return Field(name, kind, unit, id_, en)


NIK = _f("nik", "text", "code", "Nomor Induk Koperasi (teks; nol di depan berarti)",
         contract.NIK.description.replace("(text)", "(text; leading zeros matter)"))
LINEAGE = (
    _f("source", "text", "", "Sumber data: inbox (spreadsheet), platform (API), registry (ekspor registri), cli",
       "Data source: inbox (spreadsheet), platform (API), registry (registry export), cli"),
    _f("ingest_run_id", "integer", "code", "Nomor proses impor yang memuat baris ini (halaman Pelaporan)",
       "Ingest run that loaded this row (see the Reporting page)"),
)

_UNITS = {"percent": "%", "percentage_points": "percentage points", "count": "count", "rupiah": "Rupiah",
          "points": "points", "percentile": "percentile", "per_1000": "per 1,000", "per_month": "per month",
          "date": "date", "flag": "", "code": "code", "years": "years", "days": "days", "share": "share"}
_KINDS = {"date": "date", "flag": "boolean", "code": "text"}


def _figure(dataset: str, name: str) -> Field:
    """A column that publishes a figure: its meaning is the indicator registry's label and formula (one definition
    for the page, the API, the dictionary and the Metodologi page)."""
    ind = registry.load().for_column(dataset, name)
    if ind is None:
        raise KeyError(f"{dataset}.{name} publishes a figure but is not in indicators/registry.toml")
    return Field(name, _KINDS.get(ind.unit, "number"), _UNITS[ind.unit],
                 f"{ind.label('id')}: {wording.formula_text(ind, 'id')} [{ind.id}]",
                 f"{ind.label('en')}: {wording.formula_text(ind, 'en')} [{ind.id}]")


def _amount(name: str) -> Field:
    id_, en, flow = vocabulary.REPORT_AMOUNTS[name]
    if flow:
        return _f(name, "number", "Rupiah", f"{id_}, kumulatif sejak awal tahun buku", f"{en}, fiscal year to date")
    return _f(name, "number", "Rupiah", f"{id_} pada akhir periode", f"{en} at period end")


REGISTRY_FIELDS = (
    NIK,
    _f("name", "text", "", "Nama koperasi", "Cooperative name"),
    _f("regency_code", "text", "code", "Kode kabupaten/kota (Kemendagri)", "Regency/city code (Kemendagri)"),
    _f("regency_name", "text", "", "Nama kabupaten/kota", "Regency/city name"),
    _f("district", "text", "", "Kecamatan", "District (kecamatan)"),
    _f("type", "text", "code", "Jenis koperasi: simpan_pinjam, konsumen, produsen, pemasaran, jasa",
       "Cooperative type: simpan_pinjam, konsumen, produsen, pemasaran, jasa"),
    _f("group", "text", "code", "Kelompok: KSP, KSPPS, Kopdit (credit union), KSU, KUD, lainnya",
       "Group: KSP, KSPPS, Kopdit (credit union), KSU, KUD, lainnya (other)"),
    _f("savings_loan_unit", "boolean", "", "Koperasi non-KSP dengan unit simpan pinjam (dinilai sebagai USP)",
       "Non-KSP cooperative running a savings-and-loan unit (scored as USP)"),
    _f("legal_entity_number", "text", "", "Nomor badan hukum; kosong = belum berbadan hukum",
       "Legal-entity number; empty = not a legal entity"),
    _f("legal_entity_date", "date", "date", "Tanggal badan hukum", "Date of legal-entity status"),
    _f("established_year", "integer", "year", "Tahun berdiri", "Year established"),
    _f("status", "text", "code", "Status: active (aktif), inactive (tidak aktif), dissolved (bubar)",
       "Status: active, inactive, dissolved"),
    _f("open_loop", "boolean", "", "Melayani non-anggota (diawasi OJK sejak 2025)",
       "Serves non-members (OJK-supervised since 2025)"),
    _f("latitude", "number", "degrees", "Lintang (WGS84)", "Latitude (WGS84)"),
    _f("longitude", "number", "degrees", "Bujur (WGS84)", "Longitude (WGS84)"),
    _f("membership_area", "text", "code", "Wilayah keanggotaan: kabupaten, provinsi, nasional (menentukan pengawas, "
       "Permenkop 9/2020); kosong = belum dicatat",
       "Membership area: kabupaten, provinsi, nasional (decides the supervisor, Permenkop 9/2020); empty = not "
       "recorded"),
    _f("programme", "text", "code", "Program pemerintah: kdmp (Koperasi Desa/Kelurahan Merah Putih)",
       "Government programme: kdmp (Koperasi Desa/Kelurahan Merah Putih)"),
    _f("village_code", "text", "code", "Kode Kemendagri desa/kelurahan sebuah KDMP",
       "Kemendagri code of a KDMP's desa/kelurahan"),
    _f("certificate_status", "text", "code", "Status sertifikat NIK dari ekspor registri nasional",
       "NIK certificate status from the national registry export"),
    _f("registry_grade", "text", "code", "Peringkat RAT registri nasional: A, B, C1, C2, D",
       "National registry RAT grade: A, B, C1, C2, D"),
    _f("last_rat_date", "date", "date", "Tanggal RAT terakhir menurut registri nasional",
       "Date of the last RAT according to the national registry"),
    *LINEAGE,
)

REPORT_FIELDS = (
    NIK,
    _f("period_end", "date", "date", "Akhir periode laporan (hari terakhir bulan)", "Reporting period end (month end)"),
    _f("period_type", "text", "code", "Jenis periode: month, quarter, year", "Period type: month, quarter, year"),
    _f("submitted_on", "date", "date", "Tanggal koperasi mengirim laporan (bawaan: tanggal diterima)",
       contract.LAPORAN_KEUANGAN.column("submitted_on").description),
    _f("members", "integer", "count", "Jumlah anggota pada akhir periode", "Members at period end"),
    *(_amount(a) for a in REPORT_AMOUNTS),
    _f("management_score", "number", "points", "Skor kuesioner manajemen metode 2016 (0–15)",
       "Management questionnaire score of the 2016 method (0–15)"),
    _f("revision", "integer", "count", "Nomor revisi (laporan yang dikirim ulang dengan angka baru)",
       "Revision number (a re-sent report with new figures)"),
    *LINEAGE,
    _f("source_row", "integer", "count", "Baris data dalam berkas atau halaman API (mulai 1)",
       "Data row in the file or API page (1-based)"),
    _f("received_at", "datetime", "datetime", "Waktu diterima gudang data (WITA)",
       "When the warehouse received it (WITA)"),
)

SCORE_FIELDS = (
    NIK,
    _f("period_end", "date", "date", "Akhir periode yang dinilai", "Period end scored"),
    _f("framework", "text", "code", "Metode: ksp2016, ksp2021, pearls, finance (keuangan umum)",
       "Method: ksp2016, ksp2021, pearls, finance (general finance)"),
    _figure("scores", "total"),
    _figure("scores", "category"),
    _figure("scores", "coverage"),
    _f("unscored", "text", "", "Komponen yang tidak dapat dinilai (data kosong), dipisah koma",
       "Components that could not be scored (data missing), comma-separated"),
    _f("data_version", "integer", "code", "Versi data yang menghasilkan skor", "Data version that produced the score"),
)

_SNAPSHOT_FIGURES = ("health_total", "health_category", "health_category_prev", "total_assets", "members",
                     "equity_ratio", "npl_ratio", "roa", "current_ratio", "asset_growth", "member_growth")
SNAPSHOT_FIELDS = (
    NIK,
    _f("period_end", "date", "date", "Periode potret (12 akhir bulan terakhir dan setiap Desember)",
       "Snapshot period (latest 12 month ends and every December)"),
    _f("regency_code", "text", "code", "Kode kabupaten/kota", "Regency/city code"),
    _f("type", "text", "code", "Jenis koperasi", "Cooperative type"),
    _f("peer_group", "text", "code", "Kelompok sebaya (jenis × kelas aset)", "Peer group (type × asset band)"),
    _figure("snapshots", "monitored"),
    _f("source_period", "date", "date", "Periode laporan terakhir yang menjadi sumber angka potret (dalam 12 akhir "
       "bulan sampai periode potret)", "Period of the latest report the snapshot's figures come from (within the 12 "
       "month-ends up to the snapshot)"),
    _figure("snapshots", "reported"),
    _f("health_framework", "text", "code", "Metode penilaian kesehatan (ksp2016 atau finance)",
       "Health method (ksp2016 or finance)"),
    *(_figure("snapshots", c) for c in _SNAPSHOT_FIGURES),
    *(_figure("snapshots", f"pct_{i.columns('snapshots')[0]}") for i in registry.load().peer_ranked()),
    _f("rat_fiscal_year", "integer", "year", "Tahun buku terakhir yang sudah ditutup pada periode ini",
       "Last closed fiscal year at this period"),
    *(_figure("snapshots", c) for c in ("rat_held_on_time", "rat_grade", "years_without_rat", "inactive",
                                        "digital_stage")),
    _f("digital_stage_date", "date", "date", "Tanggal tahap digital", "Date of the digital stage"),
    *(_figure("snapshots", c) for c in ("digital_days_in_stage", "go_digital", "stuck_in_migration",
                                        "report_status", "supervisor")),
    _f("programme", "text", "code", "Program pemerintah (kdmp) dari registri", "Government programme (kdmp) from the "
       "registry"),
    *(_figure("snapshots", c) for c in ("digital_active", "mentoring_hours")),
    _f("data_version", "integer", "code", "Versi data", "Data version"),
)

RAT_FIELDS = (
    NIK,
    _f("fiscal_year", "integer", "year", "Tahun buku", "Fiscal year"),
    _f("held_on", "date", "date", "Tanggal RAT; kosong = tidak diadakan", "Date the RAT was held; empty = not held"),
    _f("reported_on", "date", "date", "Tanggal RAT dilaporkan", "Date the RAT was reported"),
    _f("shu_total", "number", "Rupiah", "SHU tahun buku", "Surplus (SHU) of the fiscal year"),
    _f("shu_to_members", "number", "Rupiah", "SHU yang dibagikan kepada anggota", "SHU distributed to members"),
    _f("audited", "boolean", "", "Laporan keuangan diaudit", "Statements audited"),
    _f("statements_published", "boolean", "", "Laporan keuangan dipublikasikan", "Statements published"),
    *(_figure("rat", c) for c in ("held", "held_on_time", "days_late", "grade", "years_without_rat", "inactive",
                                  "shu_disclosed", "audit_required", "audit_missing")),
    *LINEAGE,
)

DIGITAL_FIELDS = (
    NIK,
    _f("platform", "text", "", "Platform digital (mis. KEREN, SIKOPDIT)", "Digital platform (e.g. KEREN, SIKOPDIT)"),
    _f("stage", "text", "code", "Tahap: identified, migrating, live, transacting",
       "Stage: identified, migrating, live, transacting"),
    _f("stage_date", "date", "date", "Tanggal mencapai tahap", "Date the stage was reached"),
    _f("members_on_app", "integer", "count", "Anggota yang memakai aplikasi", "Members using the app"),
    _f("revision", "integer", "count", "Nomor revisi", "Revision number"),
    *LINEAGE,
    _f("received_at", "datetime", "datetime", "Waktu diterima (WITA)", "When received (WITA)"),
)

REJECTION_FIELDS = (
    _f("id", "integer", "code", "Nomor penolakan", "Rejection number"),
    _f("ingest_run_id", "integer", "code", "Nomor proses impor", "Ingest run"),
    _f("dataset", "text", "code", "Dataset kontrak: koperasi, laporan_keuangan, rat, digital, kdmp, pendampingan, "
       "registry_export", "Contract dataset: koperasi, laporan_keuangan, rat, digital, kdmp, pendampingan, "
       "registry_export"),
    _f("source_file", "text", "", "Berkas atau endpoint asal", "File or endpoint"),
    _f("row_number", "integer", "count", "Baris data (mulai 1); kosong = seluruh berkas",
       "Data row (1-based); empty = the whole file"),
    _f("nik", "text", "code", "NIK sebagaimana dikirim", "NIK as sent"),
    _f("reasons", "text", "", "Alasan: kolom=nilai: aturan; dipisah titik koma",
       "Reasons: column=value: rule; separated by semicolons"),
    _f("created_at", "datetime", "datetime", "Waktu penolakan (WITA)", "When rejected (WITA)"),
)

# Kabupaten/kota and province roll-ups: one column per area figure of the registry, in its order.
INDICATOR_FIELDS = (
    _f("regency_code", "text", "code", "Kode kabupaten/kota (Kemendagri); 53 = Provinsi NTT",
       "Regency/city code (Kemendagri); 53 = the province of NTT"),
    _f("regency_name", "text", "", "Nama kabupaten/kota (atau provinsi)", "Regency/city (or province) name"),
    _f("period_end", "date", "date", "Akhir periode", "Period end"),
    _f("type", "text", "code", "Jenis koperasi; kosong = semua jenis", "Cooperative type; empty = all types"),
    _f("scope", "text", "code", "Cakupan: daerah (diawasi dinas provinsi dan kabupaten/kota) atau semua (semua "
       "koperasi terdaftar di NTT)", "Population: daerah (supervised by the province and the kabupaten/kota offices) "
       "or semua (every cooperative registered in NTT)"),
    *(_figure("regency_indicators", i) for i in registry.load().area_ids()),
)

_KDMP_DATES = {
    "musdesus_on": ("Tanggal musyawarah desa/kelurahan khusus", "Date of the special village meeting (musdesus)"),
    "deed_on": ("Tanggal akta notaris pendirian", "Date of the notary deed"),
    "ahu_on": ("Tanggal SK AHU (badan hukum)", "Date of the SK AHU (legal entity)"),
    "nib_on": ("Tanggal NIB terbit", "Date the NIB was issued"),
    "npwp_on": ("Tanggal NPWP terbit", "Date the NPWP was issued"),
    "bank_account_on": ("Tanggal rekening bank dibuka", "Date the bank account was opened"),
    "simkopdes_on": ("Tanggal terdaftar di SIMKOPDES", "Date registered in SIMKOPDES"),
    "land_ready_on": ("Tanggal lahan gerai dan gudang siap", "Date the land for outlets and warehouse was ready"),
    "handover_on": ("Tanggal serah terima bangunan", "Date the buildings were handed over"),
    "first_rat_on": ("Tanggal RAT pertama", "Date of the first RAT"),
}
VILLAGE_CODE = _f("village_code", "text", "code", "Kode Kemendagri desa/kelurahan (10 digit; 4 digit pertama = "
                  "kabupaten/kota)", "Kemendagri code of the desa/kelurahan (10 digits; the first 4 are the "
                  "kabupaten/kota)")
KDMP_FIELDS = (
    VILLAGE_CODE,
    _f("village_name", "text", "", "Nama desa/kelurahan", "Village name"),
    _f("village_type", "text", "code", "desa atau kelurahan", "desa or kelurahan"),
    _f("nik", "text", "code", "NIK koperasi (kosong sampai terbit)", "Cooperative NIK (empty until issued)"),
    _f("as_of", "date", "date", "Tanggal keadaan yang digambarkan baris ini", "The date the row describes"),
    *(_f(name, "date", "date", id_, en) for name, (id_, en) in _KDMP_DATES.items()),
    _f("ahu_number", "text", "", "Nomor SK AHU", "SK AHU number"),
    _f("construction_pct", "number", "%", "Progres pembangunan gerai dan gudang (0–100)",
       "Construction progress of outlets and warehouse (0–100)"),
    _f("outlets", "text", "", "Gerai beroperasi, dipisah ';'", "Outlets operating, separated by ';'"),
    _f("members", "integer", "count", "Jumlah anggota", "Members"),
    _f("financing_scheme", "text", "code", "Skema pembiayaan: pmk49, agrinas, lainnya, none",
       "Financing scheme: pmk49, agrinas, lainnya, none"),
    _f("financing_plafond", "number", "Rupiah", "Plafon pembiayaan", "Financing granted"),
    _f("financing_disbursed", "number", "Rupiah", "Pembiayaan yang sudah cair", "Financing disbursed"),
    _f("business_assistant", "text", "", "Business Assistant (pendamping) KDMP", "The KDMP's Business Assistant"),
    _f("revision", "integer", "count", "Nomor revisi", "Revision number"),
    *LINEAGE,
    _f("source_row", "integer", "count", "Baris data dalam berkas atau halaman API (mulai 1)",
       "Data row in the file or API page (1-based)"),
    _f("received_at", "datetime", "datetime", "Waktu diterima (WITA)", "When received (WITA)"),
)
PENDAMPINGAN_FIELDS = (
    _f("nik", "text", "code", "NIK koperasi yang didampingi (atau kosong, lihat village_code)",
       "NIK of the cooperative mentored (or empty, see village_code)"),
    _f("village_code", "text", "code", "Kode desa KDMP yang didampingi (bila belum ber-NIK)",
       "Village code of the KDMP mentored (when it has no NIK yet)"),
    _f("activity_date", "date", "date", "Tanggal kegiatan", "Date of the activity"),
    _f("kind", "text", "code", "pelatihan, pendampingan atau kunjungan", "pelatihan (training), pendampingan "
       "(mentoring) or kunjungan (visit)"),
    _f("topic", "text", "", "Topik", "Topic"),
    _f("mentor", "text", "", "Pendamping: orang (nama/ID) atau koperasi pendamping", "Mentor: a person (name/ID) "
       "or the mentoring cooperative"),
    _f("hours", "number", "hours", "Jam kegiatan", "Hours"),
    _f("revision", "integer", "count", "Nomor revisi", "Revision number"),
    *LINEAGE,
    _f("received_at", "datetime", "datetime", "Waktu diterima (WITA)", "When received (WITA)"),
)
KDMP_INDICATOR_FIELDS = (
    _f("regency_code", "text", "code", "Kode kabupaten/kota (Kemendagri); 53 = Provinsi NTT",
       "Regency/city code (Kemendagri); 53 = the province of NTT"),
    _f("regency_name", "text", "", "Nama kabupaten/kota (atau provinsi)", "Regency/city (or province) name"),
    _f("period_end", "date", "date", "Akhir bulan", "Month end"),
    _f("reference_date", "date", "date", "Tanggal acuan: akhir bulan, atau as_of terbaru untuk bulan berjalan",
       "Reference date: the month end, or the newest as_of for the running month"),
    *(_figure("kdmp_indicators", i) for i in registry.load().kdmp_area_ids()),
)
KDMP_VILLAGE_FIELDS = (
    VILLAGE_CODE,
    _f("period_end", "date", "date", "Akhir bulan", "Month end"),
    _f("reference_date", "date", "date", "Tanggal acuan", "Reference date"),
    _f("regency_code", "text", "code", "Kode kabupaten/kota", "Regency/city code"),
    _f("village_name", "text", "", "Nama desa/kelurahan", "Village name"),
    _f("village_type", "text", "code", "desa atau kelurahan", "desa or kelurahan"),
    _f("nik", "text", "code", "NIK koperasi (dari baris kdmp atau registri)", "Cooperative NIK (from the kdmp row or "
       "the registry)"),
    _f("as_of", "date", "date", "as_of baris kdmp terakhir sampai tanggal acuan",
       "as_of of the latest kdmp row up to the reference date"),
    _figure("kdmp_villages", "stage"),
    _f("stage_since", "date", "date", "Tanggal tahap sekarang tercapai", "Date the current milestone was reached"),
    *(_figure("kdmp_villages", c) for c in ("days_in_stage", "days_since_update", "stuck_nib", "no_land", "stale")),
    *(_f(name, "date", "date", id_, en) for name, (id_, en) in _KDMP_DATES.items()),
    _f("construction_pct", "number", "%", "Progres pembangunan (0–100)", "Construction progress (0–100)"),
    _f("outlets", "text", "", "Gerai beroperasi, dipisah ';'", "Outlets operating, separated by ';'"),
    _f("members", "integer", "count", "Jumlah anggota", "Members"),
    _f("financing_scheme", "text", "code", "Skema pembiayaan", "Financing scheme"),
    _f("financing_plafond", "number", "Rupiah", "Plafon pembiayaan", "Financing granted"),
    _f("financing_disbursed", "number", "Rupiah", "Pembiayaan cair", "Financing disbursed"),
    _f("business_assistant", "text", "", "Business Assistant (pendamping)", "Business Assistant (mentor)"),
    _figure("kdmp_villages", "mentoring_hours"),
    _f("last_mentored_on", "date", "date", "Tanggal pendampingan terakhir", "Date of the last mentoring"),
)
PROVINCE_NAME = "Provinsi Nusa Tenggara Timur"


@dataclass(frozen=True)
class Dataset:
    name: str
    label_id: str
    label_en: str
    description_id: str
    description_en: str
    fields: tuple[Field, ...]
    params: tuple[str, ...]  # filter parameters that apply (besides limit/offset)
    period: str | None  # "month" (period_end), "event" (date of the row), "year" (fiscal year) or None
    province_row: bool = False  # has the province's own row, so `kab` may be its code 53

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def kinds(self) -> dict[str, str]:
        return {f.name: f.kind for f in self.fields}

    def as_dict(self) -> dict:
        return {"name": self.name, "label_id": self.label_id, "label_en": self.label_en,
                "description_id": self.description_id, "description_en": self.description_en,
                "parameters": list(self.params) + list(PAGING), "columns": self.columns,
                "csv": f"/api/v1/{self.name}.csv", "json": f"/api/v1/{self.name}.json"}


DATASETS: dict[str, Dataset] = {d.name: d for d in (
    Dataset("registry", "Registri koperasi", "Cooperative registry",
            "Satu baris per koperasi: data registri terkini, termasuk kolom ekspor registri nasional.",
            "One row per cooperative: the current registry, including the national registry export's fields.",
            REGISTRY_FIELDS, (P_REGENCY, P_TYPE), None),
    Dataset("reports", "Panel laporan keuangan", "Financial reports panel",
            "Revisi terkini setiap laporan: satu baris per koperasi × periode, semua kolom kontrak data dengan "
            "sumber dan proses impornya. Periode = akhir bulan laporan.",
            "The current revision of every report: one row per cooperative × period, every data-contract column "
            "with its source and ingest run. Period = the report's month end.",
            REPORT_FIELDS, (P_REGENCY, P_TYPE, *RANGE), "month"),
    Dataset("scores", "Skor kesehatan", "Health scores",
            "Skor per koperasi × periode × metode (tanpa rincian komponen). Periode = akhir bulan yang dinilai.",
            "Scores per cooperative × period × method (without the component detail). Period = month end scored.",
            SCORE_FIELDS, (P_REGENCY, P_TYPE, *RANGE, P_FRAMEWORK), "month"),
    Dataset("snapshots", "Potret koperasi", "Cooperative snapshots",
            "Satu baris per koperasi × periode potret: kesehatan, rasio utama dengan persentil dalam kelompok "
            "sebaya, RAT, tahap digital, status laporan.",
            "One row per cooperative × snapshot period: health, key ratios with their peer-group percentiles, "
            "RAT, digital stage, reporting status.",
            SNAPSHOT_FIELDS, (P_REGENCY, P_TYPE, P_SCOPE, *RANGE), "month"),
    Dataset("rat", "RAT (rapat anggota tahunan)", "RAT (annual members' meetings)",
            "Satu baris per koperasi × tahun buku: RAT yang dilaporkan (revisi terkini) digabung dengan penilaian "
            "akuntabilitasnya; tahun tanpa RAT juga tercantum (source = assessment). Filter tahun = tahun buku "
            "(parameter tahun).",
            "One row per cooperative × fiscal year: the reported RAT (current revision) joined with its "
            "accountability assessment; years without a RAT are listed too (source = assessment). Year filter = "
            "fiscal year (tahun).",
            RAT_FIELDS, (P_REGENCY, P_TYPE, P_YEAR), "year"),
    Dataset("digital", "Tahap digital", "Digital stages",
            "Setiap perubahan tahap digital (revisi terkini). Periode = bulan tanggal tahap.",
            "Every digital-stage change (current revision). Period = the month of the stage date.",
            DIGITAL_FIELDS, (P_REGENCY, P_TYPE, *RANGE), "event"),
    Dataset("rejections", "Baris yang ditolak", "Rejected rows",
            "Baris (atau berkas) yang melanggar kontrak data, dengan alasannya. Periode = bulan penolakan (WITA); "
            "filter kabupaten/jenis hanya menemukan baris dengan NIK yang terdaftar.",
            "Rows (or files) that broke the data contract, with their reasons. Period = month of rejection (WITA); "
            "the regency/type filters only find rows whose NIK is registered.",
            REJECTION_FIELDS, (P_REGENCY, P_TYPE, *RANGE), "event"),
    Dataset("regency_indicators", "Indikator kabupaten/kota", "Regency indicators",
            "Agregat publik: satu baris per kabupaten/kota (dan provinsi, kode 53) × periode, satu kolom per "
            "indikator (definisi: /api/v1/indicators.json). Tanpa parameter jenis: semua jenis koperasi; dengan "
            "jenis: koperasi jenis itu saja. Tanpa parameter cakupan: koperasi yang diawasi daerah; cakupan=semua: "
            "semua koperasi terdaftar.",
            "The public aggregate: one row per regency/city (and the province, code 53) × period, one column per "
            "indicator (definitions: /api/v1/indicators.json). Without jenis: every cooperative type; with jenis: "
            "that type only. Without cakupan: the cooperatives the regional government supervises; cakupan=semua: "
            "every registered cooperative.",
            INDICATOR_FIELDS, (P_REGENCY, P_TYPE, P_SCOPE, *RANGE), "month", province_row=True),
    Dataset("kdmp", "Koperasi Desa/Kelurahan Merah Putih", "Koperasi Desa/Kelurahan Merah Putih",
            "Setiap baris kemajuan KDMP (revisi terkini): satu per desa/kelurahan × as_of. Periode = bulan as_of; "
            "kab = 4 digit pertama kode desa.",
            "Every KDMP progress row (current revision): one per village × as_of. Period = the month of as_of; "
            "kab = the village code's first four digits.",
            KDMP_FIELDS, (P_REGENCY, *RANGE), "event"),
    Dataset("pendampingan", "Pendampingan dan pelatihan", "Mentoring and training",
            "Setiap kegiatan pendampingan, pelatihan atau kunjungan (revisi terkini). Periode = bulan kegiatan; kab "
            "= kabupaten koperasi (NIK) atau desa KDMP.",
            "Every mentoring, training or visit activity (current revision). Period = the month of the activity; "
            "kab = the cooperative's (NIK) or the KDMP village's kabupaten.",
            PENDAMPINGAN_FIELDS, (P_REGENCY, *RANGE), "event"),
    Dataset("kdmp_indicators", "Indikator KDMP kabupaten/kota", "KDMP indicators per regency",
            "Agregat publik KDMP: satu baris per kabupaten/kota (dan provinsi, kode 53) × akhir bulan, satu kolom "
            "per indikator KDMP (definisi: /api/v1/indicators.json).",
            "The public KDMP aggregate: one row per regency/city (and the province, code 53) × month end, one "
            "column per KDMP indicator (definitions: /api/v1/indicators.json).",
            KDMP_INDICATOR_FIELDS, (P_REGENCY, *RANGE), "month", province_row=True),
    Dataset("kdmp_villages", "Keadaan KDMP per desa", "KDMP state per village",
            "Satu baris per desa/kelurahan × akhir bulan: tahap terjauh, lama di tahap, kesegaran data, tanda "
            "tertahan, pendamping dan jam pendampingan.",
            "One row per village × month end: furthest milestone, time at it, data freshness, stuck flags, mentor "
            "and mentoring hours.",
            KDMP_VILLAGE_FIELDS, (P_REGENCY, *RANGE), "month"),
)}


def dictionary(dataset: str | None = None) -> pd.DataFrame:
    """The data dictionary (every dataset's columns, or one dataset's) as a frame."""
    chosen = [DATASETS[dataset]] if dataset else DATASETS.values()
    return pd.DataFrame([f.as_dict(d.name) for d in chosen for f in d.fields])
