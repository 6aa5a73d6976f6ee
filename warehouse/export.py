"""Bulk exports: the datasets, their filter parameters and data dictionary, and the one `build` that the export
page, the read-only `/api/v1` and `python app.py export` all go through (so per-user scoping has one place)."""
from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Engine, and_, exists, func, literal, null, select, union_all

from indicators import registry, vocabulary
from warehouse import contract
from warehouse.models import (
    REPORT_AMOUNTS,
    AnnualMeeting,
    Cooperative,
    CooperativeSnapshot,
    DigitalStatus,
    FinancialReport,
    RatStatus,
    Regency,
    RegencyIndicator,
    Rejection,
    Score,
)
from warehouse.queries import cached, status

WITA = vocabulary.WITA
FRAMEWORKS = vocabulary.SCORE_FRAMEWORKS
TYPES = vocabulary.COOP_TYPES
JSON_LIMIT_DEFAULT, JSON_LIMIT_MAX = 1000, 10000
CHUNK_ROWS = 20000
# A text cell a spreadsheet would run as a formula (OWASP CSV injection) gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# URL / CLI parameter names: the dashboard's own filter names (Indonesian, as links are shared among Dinas staff).
P_REGENCY, P_TYPE, P_PERIOD, P_FROM, P_TO, P_YEAR, P_FRAMEWORK = (
    "kab", "jenis", "periode", "periode_dari", "periode_sampai", "tahun", "kerangka")
P_LIMIT, P_OFFSET = "limit", "offset"
PAGING = (P_LIMIT, P_OFFSET)


# ---------------------------------------------------------------------------------------------------------------
# The data dictionary
# ---------------------------------------------------------------------------------------------------------------
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
                     "rat": (contract.RAT,), "digital": (contract.DIGITAL,)}
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
                 f"{ind.label('id')}: {registry.formula_text(ind, 'id')} [{ind.id}]",
                 f"{ind.label('en')}: {registry.formula_text(ind, 'en')} [{ind.id}]")


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

_CATEGORY = ("Kategori: sehat, cukup_sehat, dalam_pengawasan, dalam_pengawasan_khusus",
             "Category: sehat (healthy), cukup_sehat (fairly healthy), dalam_pengawasan (under supervision), "
             "dalam_pengawasan_khusus (special supervision)")
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
                                        "report_status")),
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
    _f("dataset", "text", "code", "Dataset kontrak: koperasi, laporan_keuangan, rat, digital, registry_export",
       "Contract dataset: koperasi, laporan_keuangan, rat, digital, registry_export"),
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
    *(_figure("regency_indicators", i) for i in registry.load().area_ids()),
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


_RANGE = (P_PERIOD, P_FROM, P_TO)
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
            REPORT_FIELDS, (P_REGENCY, P_TYPE, *_RANGE), "month"),
    Dataset("scores", "Skor kesehatan", "Health scores",
            "Skor per koperasi × periode × metode (tanpa rincian komponen). Periode = akhir bulan yang dinilai.",
            "Scores per cooperative × period × method (without the component detail). Period = month end scored.",
            SCORE_FIELDS, (P_REGENCY, P_TYPE, *_RANGE, P_FRAMEWORK), "month"),
    Dataset("snapshots", "Potret koperasi", "Cooperative snapshots",
            "Satu baris per koperasi × periode potret: kesehatan, rasio utama dengan persentil dalam kelompok "
            "sebaya, RAT, tahap digital, status laporan.",
            "One row per cooperative × snapshot period: health, key ratios with their peer-group percentiles, "
            "RAT, digital stage, reporting status.",
            SNAPSHOT_FIELDS, (P_REGENCY, P_TYPE, *_RANGE), "month"),
    Dataset("rat", "RAT (rapat anggota tahunan)", "RAT (annual members' meetings)",
            "Satu baris per koperasi × tahun buku: RAT yang dilaporkan (revisi terkini) digabung dengan penilaian "
            "akuntabilitasnya; tahun tanpa RAT juga tercantum (source = assessment). Filter tahun = tahun buku (parameter tahun).",
            "One row per cooperative × fiscal year: the reported RAT (current revision) joined with its "
            "accountability assessment; years without a RAT are listed too (source = assessment). Year filter = fiscal year (tahun).",
            RAT_FIELDS, (P_REGENCY, P_TYPE, P_YEAR), "year"),
    Dataset("digital", "Tahap digital", "Digital stages",
            "Setiap perubahan tahap digital (revisi terkini). Periode = bulan tanggal tahap.",
            "Every digital-stage change (current revision). Period = the month of the stage date.",
            DIGITAL_FIELDS, (P_REGENCY, P_TYPE, *_RANGE), "event"),
    Dataset("rejections", "Baris yang ditolak", "Rejected rows",
            "Baris (atau berkas) yang melanggar kontrak data, dengan alasannya. Periode = bulan penolakan (WITA); "
            "filter kabupaten/jenis hanya menemukan baris dengan NIK yang terdaftar.",
            "Rows (or files) that broke the data contract, with their reasons. Period = month of rejection (WITA); "
            "the regency/type filters only find rows whose NIK is registered.",
            REJECTION_FIELDS, (P_REGENCY, P_TYPE, *_RANGE), "event"),
    Dataset("regency_indicators", "Indikator kabupaten/kota", "Regency indicators",
            "Agregat publik: satu baris per kabupaten/kota (dan provinsi, kode 53) × periode, satu kolom per "
            "indikator (definisi: /api/v1/indicators.json). Tanpa parameter jenis: semua jenis koperasi; dengan "
            "jenis: koperasi jenis itu saja.",
            "The public aggregate: one row per regency/city (and the province, code 53) × period, one column per "
            "indicator (definitions: /api/v1/indicators.json). Without jenis: every cooperative type; with jenis: "
            "that type only.",
            INDICATOR_FIELDS, (P_REGENCY, P_TYPE, *_RANGE), "month"),
)}


def dictionary(dataset: str | None = None) -> pd.DataFrame:
    """The data dictionary (every dataset's columns, or one dataset's) as a frame."""
    chosen = [DATASETS[dataset]] if dataset else DATASETS.values()
    return pd.DataFrame([f.as_dict(d.name) for d in chosen for f in d.fields])


# ---------------------------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------------------------
class ExportError(ValueError):
    """A request the export refuses: which parameter, which value, which rule (English and Indonesian)."""

    def __init__(self, parameter: str, value, rule: str, aturan: str, status: int = 400):
        self.parameter, self.value, self.rule, self.aturan, self.status = parameter, value, rule, aturan, status
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"parameter '{self.parameter}' = '{self.value}': {self.rule}"

    @property
    def pesan(self) -> str:
        return f"parameter '{self.parameter}' = '{self.value}': {self.aturan}"

    def as_dict(self) -> dict:
        return {"error": self.message, "pesan": self.pesan, "parameter": self.parameter, "value": self.value,
                "rule": self.rule}


@dataclass(frozen=True)
class Selection:
    """A dataset and its validated filters: what every front end passes to `build`. Hashable (cache key)."""

    dataset: str
    regency: str | None = None
    type: str | None = None
    period_from: date | None = None  # month ends, inclusive
    period_to: date | None = None
    year: int | None = None
    framework: str | None = None
    single_period: bool = False  # given as `periode` (one month) rather than a range

    def params(self) -> dict[str, str]:
        """The canonical query parameters of this selection (without the dataset), in a fixed order."""
        out = {P_REGENCY: self.regency, P_TYPE: self.type}
        if self.single_period:
            out[P_PERIOD] = _month_key(self.period_from)
        else:
            out[P_FROM], out[P_TO] = _month_key(self.period_from), _month_key(self.period_to)
        out[P_YEAR] = str(self.year) if self.year is not None else None
        out[P_FRAMEWORK] = self.framework
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True)
class Paging:
    limit: int | None = None
    offset: int = 0


def _month_key(value: date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _month_end(year: int, month: int) -> date:
    return (date(year, month, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_month(name: str, raw: str) -> date:
    match = _MONTH.match(raw)
    if not match or not (1 <= int(match.group(2)) <= 12) or not (1900 <= int(match.group(1)) <= 2100):
        raise ExportError(name, raw, "must be a month as YYYY-MM (e.g. 2026-09)",
                          "harus berupa bulan YYYY-MM (mis. 2026-09)")
    return _month_end(int(match.group(1)), int(match.group(2)))


def _parse_int(name: str, raw: str, lo: int, hi: int) -> int:
    if not re.fullmatch(r"\d{1,9}", raw) or not (lo <= int(raw) <= hi):
        raise ExportError(name, raw, f"must be a whole number from {lo} to {hi}",
                          f"harus bilangan bulat dari {lo} sampai {hi}")
    return int(raw)


def check_dataset(dataset: str) -> Dataset:
    if dataset not in DATASETS:
        names = ", ".join(DATASETS)
        raise ExportError("dataset", dataset, f"unknown dataset; one of: {names}",
                          f"dataset tidak dikenal; pilih salah satu: {names}", status=404)
    return DATASETS[dataset]


def parse(dataset: str, pairs: Iterable[tuple[str, str]], paging: bool = True,
          limit_default: int | None = None) -> tuple[Selection, Paging]:
    """Validate the query parameters (`(name, value)` pairs, a name may come twice) for `dataset`.

    Raises `ExportError` naming the parameter, the value and the rule for an unknown dataset (404), an unknown or
    repeated parameter, a parameter that does not apply to the dataset, an unknown kabupaten code, type or
    method, a malformed month or year, a range that ends before it starts, or bad paging values (400). Empty
    values count as not given (a cleared drop-down)."""
    spec = check_dataset(dataset)
    allowed = set(spec.params) | (set(PAGING) if paging else set())
    seen: dict[str, str] = {}
    for name, value in pairs:
        value = (value or "").strip()
        if name not in allowed:
            if name in _KNOWN:
                rule = (f"does not apply to dataset {dataset}; it takes: {', '.join(sorted(allowed))}",
                        f"tidak berlaku untuk dataset {dataset}; parameternya: {', '.join(sorted(allowed))}")
                if name in _RANGE and spec.period == "year":
                    rule = (rule[0] + " (the fiscal year is tahun=YYYY)", rule[1] + " (tahun buku: tahun=YYYY)")
            else:
                rule = (f"unknown parameter; dataset {dataset} takes: {', '.join(sorted(allowed))}",
                        f"parameter tidak dikenal; dataset {dataset} menerima: {', '.join(sorted(allowed))}")
            raise ExportError(name, value, *rule)
        if name in seen:
            raise ExportError(name, value, "given more than once", "diberikan lebih dari sekali")
        seen[name] = value
    got = {k: v for k, v in seen.items() if v != ""}
    regency = got.get(P_REGENCY)
    if dataset == "regency_indicators" and regency == vocabulary.PROVINCE_CODE:
        pass  # the province's own roll-up row
    elif regency is not None and regency not in vocabulary.REGENCY_CODES:
        raise ExportError(P_REGENCY, regency, "must be one of the 22 NTT Kemendagri codes 5301–5321, 5371",
                          "harus salah satu dari 22 kode Kemendagri NTT 5301–5321, 5371")
    kind = got.get(P_TYPE)
    if kind is not None and kind not in vocabulary.COOP_TYPES:
        raise ExportError(P_TYPE, kind, f"must be one of: {', '.join(vocabulary.COOP_TYPES)}",
                          f"harus salah satu dari: {', '.join(vocabulary.COOP_TYPES)}")
    framework = got.get(P_FRAMEWORK)
    if framework is not None and framework not in FRAMEWORKS:
        raise ExportError(P_FRAMEWORK, framework, f"must be one of: {', '.join(FRAMEWORKS)}",
                          f"harus salah satu dari: {', '.join(FRAMEWORKS)}")
    year = _parse_int(P_YEAR, got[P_YEAR], 1900, 2100) if P_YEAR in got else None
    period_from = period_to = None
    single = P_PERIOD in got
    if single:
        if P_FROM in got or P_TO in got:
            name = P_FROM if P_FROM in got else P_TO
            raise ExportError(name, got[name], f"cannot be combined with {P_PERIOD} (one month or a range)",
                              f"tidak dapat digabung dengan {P_PERIOD} (satu bulan atau rentang)")
        period_from = period_to = _parse_month(P_PERIOD, got[P_PERIOD])
    else:
        period_from = _parse_month(P_FROM, got[P_FROM]) if P_FROM in got else None
        period_to = _parse_month(P_TO, got[P_TO]) if P_TO in got else None
        if period_from and period_to and period_to < period_from:
            raise ExportError(P_TO, got[P_TO], f"must not be before {P_FROM} ({got[P_FROM]})",
                              f"tidak boleh sebelum {P_FROM} ({got[P_FROM]})")
    limit = limit_default
    if P_LIMIT in got:
        limit = _parse_int(P_LIMIT, got[P_LIMIT], 1, JSON_LIMIT_MAX)
    offset = _parse_int(P_OFFSET, got[P_OFFSET], 0, 10**9) if P_OFFSET in got else 0
    selection = Selection(dataset, regency, kind, period_from, period_to, year, framework, single)
    return selection, Paging(limit, offset)


_KNOWN = {P_REGENCY, P_TYPE, P_PERIOD, P_FROM, P_TO, P_YEAR, P_FRAMEWORK, *PAGING}


# ---------------------------------------------------------------------------------------------------------------
# Building the rows
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Export:
    """The rows of one selection: counted, paged or streamed in chunks, always in the same order. Values come as
    Arrow tables with one type per dictionary kind (text, int64, float64, bool; dates as ISO text, times as ISO
    text in WITA), the same on SQLite and PostgreSQL."""

    selection: Selection
    engine: Engine
    statement: object = None  # the SQLAlchemy select of the rows
    data_version: int = 0
    simulated: bool = False
    rows_read: int = 0  # rows streamed so far (the CLI reports it)
    spec: Dataset = field(init=False)

    def __post_init__(self):
        self.spec = DATASETS[self.selection.dataset]

    @property
    def columns(self) -> list[str]:
        return self.spec.columns

    def count(self) -> int:
        return row_count(self.engine, self.selection)

    def tables(self, size: int = CHUNK_ROWS, limit: int | None = None, offset: int = 0) -> Iterator[pa.Table]:
        """Every row (or `limit` rows from `offset`), `size` at a time: a large panel never sits in memory whole.
        Streams from the database (a server-side cursor on PostgreSQL) and converts column by column."""
        stmt = self.statement
        if limit is not None or offset:
            stmt = stmt.limit(limit).offset(offset)
        empty = True
        with self.engine.connect() as conn:
            for rows in _fetch(conn, stmt, size):
                self.rows_read += len(rows)
                yield _to_arrow(rows, self.spec)
                empty = False
            if empty:
                yield _to_arrow([], self.spec)

    def frame(self, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """Rows `offset`…`offset + limit` as a DataFrame (the preview, tests)."""
        table = pa.concat_tables(list(self.tables(limit=limit, offset=offset)))
        return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)

    def records(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Rows as JSON-ready dicts (missing values as None)."""
        return [row for table in self.tables(limit=limit, offset=offset) for row in table.to_pylist()]


def _fetch(conn, stmt, size: int) -> Iterator[list]:
    """Rows `size` at a time. SQLite: the driver's own rows (dates stay ISO text; no per-value processing, a third
    of the time); PostgreSQL: a server-side cursor, so a large panel never sits in memory whole."""
    if conn.dialect.name == "sqlite":
        cursor = conn.execute(stmt).cursor  # the default strategy buffers nothing: the cursor is ours to read
        while rows := cursor.fetchmany(size):
            yield rows
        return
    yield from conn.execution_options(yield_per=size).execute(stmt).partitions()


def build(selection: Selection, engine: Engine) -> Export:
    """The rows of `selection`. Every front end (export page, API, CLI) goes through here, so the per-kabupaten
    scoping of the coming access control is enforced in this one place (narrow `selection` before the SQL)."""
    info = status(engine)
    statement = _STATEMENTS[selection.dataset](selection)
    return Export(selection, engine, statement, info.data_version, info.is_demo)


def _coop_filter(stmt, selection: Selection, nik_column, join: bool = True):
    """Join the registry and filter by kabupaten and type when asked."""
    if selection.regency is None and selection.type is None:
        return stmt
    coop = Cooperative.__table__
    if join:
        stmt = stmt.join(coop, coop.c.nik == nik_column)
    if selection.regency:
        stmt = stmt.where(coop.c.regency_code == selection.regency)
    if selection.type:
        stmt = stmt.where(coop.c.type == selection.type)
    return stmt


def _period_filter(stmt, selection: Selection, column):
    if selection.period_from is not None:
        stmt = stmt.where(column >= selection.period_from)
    if selection.period_to is not None:
        stmt = stmt.where(column <= selection.period_to)
    return stmt


def _event_filter(stmt, selection: Selection, column):
    """Dates within the months: from the first day of `period_from`'s month to `period_to` inclusive."""
    if selection.period_from is not None:
        stmt = stmt.where(column >= selection.period_from.replace(day=1))
    if selection.period_to is not None:
        stmt = stmt.where(column <= selection.period_to)
    return stmt


def _registry(s: Selection):
    coop, reg = Cooperative.__table__, Regency.__table__
    cols = [coop.c[f.name] if f.name != "regency_name" else reg.c.name.label("regency_name") for f in REGISTRY_FIELDS]
    stmt = select(*cols).join(reg, reg.c.code == coop.c.regency_code)
    stmt = _coop_filter(stmt, s, coop.c.nik, join=False)
    return stmt.order_by(coop.c.nik)


def _reports(s: Selection):
    rep = FinancialReport.__table__
    stmt = select(*(rep.c[f.name] for f in REPORT_FIELDS)).where(rep.c.is_current.is_(True))
    stmt = _period_filter(_coop_filter(stmt, s, rep.c.nik), s, rep.c.period_end)
    return stmt.order_by(rep.c.period_end, rep.c.nik, rep.c.period_type)


def _scores(s: Selection):
    sc = Score.__table__
    stmt = select(*(sc.c[f.name] for f in SCORE_FIELDS))
    stmt = _period_filter(_coop_filter(stmt, s, sc.c.nik), s, sc.c.period_end)
    if s.framework:
        stmt = stmt.where(sc.c.framework == s.framework)
    return stmt.order_by(sc.c.period_end, sc.c.nik, sc.c.framework)


def _snapshots(s: Selection):
    sn = CooperativeSnapshot.__table__
    stmt = select(*(sn.c[f.name] for f in SNAPSHOT_FIELDS))
    if s.regency:
        stmt = stmt.where(sn.c.regency_code == s.regency)
    if s.type:
        stmt = stmt.where(sn.c.type == s.type)
    stmt = _period_filter(stmt, s, sn.c.period_end)
    return stmt.order_by(sn.c.period_end, sn.c.nik)


def _rat(s: Selection):
    m, st = AnnualMeeting.__table__, RatStatus.__table__
    status_cols = ("held", "held_on_time", "days_late", "grade", "years_without_rat", "inactive", "shu_disclosed",
                   "audit_required", "audit_missing")
    met = (select(m.c.nik, m.c.fiscal_year, m.c.held_on, m.c.reported_on, m.c.shu_total, m.c.shu_to_members,
                  m.c.audited, m.c.statements_published, *(st.c[c] for c in status_cols), m.c.source,
                  m.c.ingest_run_id)
           .select_from(m.outerjoin(st, and_(st.c.nik == m.c.nik, st.c.fiscal_year == m.c.fiscal_year)))
           .where(m.c.is_current.is_(True)))
    # Years the assessment lists without any reported RAT (not held, not reported): they matter most.
    m2 = AnnualMeeting.__table__.alias("m2")
    unmet = (select(st.c.nik, st.c.fiscal_year, st.c.held_on, null().label("reported_on"), st.c.shu_total,
                    st.c.shu_to_members, st.c.audited, st.c.statements_published, *(st.c[c] for c in status_cols),
                    literal("assessment").label("source"), null().label("ingest_run_id"))
             .where(~exists(select(m2.c.id).where(m2.c.nik == st.c.nik, m2.c.fiscal_year == st.c.fiscal_year,
                                                  m2.c.is_current.is_(True)))))
    u = union_all(met, unmet).subquery("rat")
    stmt = select(*(u.c[f.name] for f in RAT_FIELDS))
    stmt = _coop_filter(stmt, s, u.c.nik)
    if s.year is not None:
        stmt = stmt.where(u.c.fiscal_year == s.year)
    return stmt.order_by(u.c.fiscal_year, u.c.nik)


def _digital(s: Selection):
    d = DigitalStatus.__table__
    stmt = select(*(d.c[f.name] for f in DIGITAL_FIELDS)).where(d.c.is_current.is_(True))
    stmt = _event_filter(_coop_filter(stmt, s, d.c.nik), s, d.c.stage_date)
    return stmt.order_by(d.c.stage_date, d.c.nik, d.c.id)


def _rejections(s: Selection):
    r = Rejection.__table__
    stmt = select(*(r.c[f.name] for f in REJECTION_FIELDS))
    stmt = _coop_filter(stmt, s, r.c.nik)
    # Months in WITA: the rejection time's local month.
    if s.period_from is not None:
        stmt = stmt.where(r.c.created_at >= _wita_start(s.period_from.replace(day=1)))
    if s.period_to is not None:
        stmt = stmt.where(r.c.created_at < _wita_start(s.period_to + timedelta(days=1)))
    return stmt.order_by(r.c.id)


def _wita_start(day: date) -> datetime:
    """Midnight WITA of `day`, as naive UTC on SQLite's terms and aware UTC elsewhere (both compare right)."""
    return datetime(day.year, day.month, day.day, tzinfo=WITA).astimezone(timezone.utc)


def _regency_indicators(s: Selection):
    ri, reg = RegencyIndicator.__table__, Regency.__table__
    name = func.coalesce(reg.c.name, literal(PROVINCE_NAME)).label("regency_name")
    cols = [name if f.name == "regency_name" else ri.c[f.name] for f in INDICATOR_FIELDS]
    stmt = select(*cols).select_from(ri.outerjoin(reg, reg.c.code == ri.c.regency_code))
    stmt = stmt.where(ri.c.type == (s.type or vocabulary.ALL_TYPES))
    if s.regency:
        stmt = stmt.where(ri.c.regency_code == s.regency)
    stmt = _period_filter(stmt, s, ri.c.period_end)
    return stmt.order_by(ri.c.period_end, ri.c.regency_code)


_STATEMENTS = {"registry": _registry, "reports": _reports, "scores": _scores, "snapshots": _snapshots, "rat": _rat,
               "digital": _digital, "rejections": _rejections, "regency_indicators": _regency_indicators}


@cached
def row_count(engine: Engine, selection: Selection) -> int:
    """How many rows the selection has (the page shows it; the JSON answer's `total`)."""
    stmt = _STATEMENTS[selection.dataset](selection).order_by(None)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


@cached
def period_options(engine: Engine, dataset: str) -> list[date]:
    """The months a dataset's period filter offers, newest first: the roll-up periods for month datasets, every
    month from the first to the last dated row for event datasets (digital stages, rejections)."""
    spec = DATASETS[dataset]
    if spec.period == "month":
        from warehouse.queries import periods

        return periods(engine)
    if spec.period != "event":
        return []
    column = DigitalStatus.stage_date if dataset == "digital" else Rejection.created_at
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(column), func.max(column))).one()
    if low is None:
        return []
    if dataset == "rejections":
        low, high = (pd.Timestamp(v, tz="UTC") if pd.Timestamp(v).tzinfo is None else pd.Timestamp(v)
                     for v in (low, high))
        low, high = low.tz_convert(WITA), high.tz_convert(WITA)
    months = pd.period_range(pd.Timestamp(low).strftime("%Y-%m"), pd.Timestamp(high).strftime("%Y-%m"), freq="M")
    return [p.to_timestamp(how="end").date() for p in reversed(months)]


@cached
def fiscal_years(engine: Engine) -> list[int]:
    """Fiscal years with a RAT row or an accountability assessment, newest first."""
    with engine.connect() as conn:
        years = {y for (y,) in conn.execute(select(AnnualMeeting.fiscal_year).distinct())}
        years |= {y for (y,) in conn.execute(select(RatStatus.fiscal_year).distinct())}
    return sorted(years, reverse=True)


@cached
def preview(engine: Engine, selection: Selection, rows: int = 200) -> list[list[str]]:
    """The first rows of a selection as the CSV's cells (the export page shows the file as it will be)."""
    export = build(selection, engine)
    out = []
    for table in export.tables(limit=rows):
        for row in csv_table(table, export.spec).to_pylist():
            out.append(["" if v is None else ("true" if v is True else "false" if v is False else str(v))
                        for v in row.values()])
    return out


# The CLI option of each URL parameter (python app.py export DATASET --out FILE ...).
CLI_OPTIONS = {P_REGENCY: "--regency", P_TYPE: "--type", P_PERIOD: "--period", P_FROM: "--from", P_TO: "--to",
               P_YEAR: "--year", P_FRAMEWORK: "--framework"}


def cli_line(selection: Selection) -> str:
    """The command line that writes the same file as the API's CSV."""
    options = " ".join(f"{CLI_OPTIONS[k]} {v}" for k, v in selection.params().items())
    return f"python app.py export {selection.dataset} --out {filename(selection, 'csv')}" + (
        f" {options}" if options else "")


# ---------------------------------------------------------------------------------------------------------------
# Plain values, CSV and JSON
# ---------------------------------------------------------------------------------------------------------------
_ARROW = {"text": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
          "date": pa.string(), "datetime": pa.string()}


def _to_arrow(rows: list, spec: Dataset) -> pa.Table:
    """Database rows as one typed Arrow table (the same types whatever the backend)."""
    columns = list(zip(*rows)) if rows else [()] * len(spec.fields)
    arrays = [_arrow_column(list(values), f, spec) for values, f in zip(columns, spec.fields)]
    return pa.table(arrays, schema=pa.schema([(f.name, _ARROW[f.kind]) for f in spec.fields]))


def _arrow_column(values: list, f: Field, spec: Dataset) -> pa.Array:
    kind = f.kind
    if not values:
        return pa.array([], _ARROW[kind])
    if f.name == "reasons" and spec.name == "rejections":
        return pa.array([_reasons_text(v) for v in values], pa.string())
    if kind == "datetime":
        return _wita_text(pa.array(values, from_pandas=True))
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python types: go through text or float
        array = pa.array([None if _missing(v) else (str(v) if kind in ("text", "date") else float(v))
                          for v in values], from_pandas=True)
    if pa.types.is_null(array.type):
        return pa.nulls(len(values), _ARROW[kind])
    if kind == "integer" and pa.types.is_floating(array.type):
        whole = pc.all(pc.equal(array, pc.floor(array))).as_py()
        return array.cast(pa.int64()) if whole in (True, None) else array
    if kind in ("date", "text") and not pa.types.is_string(array.type):
        return array.cast(pa.string())
    return array.cast(_ARROW[kind])


def _wita_text(array: pa.Array) -> pa.Array:
    """Moments (SQLite: naive UTC text; PostgreSQL: aware datetimes) as ISO text in WITA (UTC+8, no summer time):
    2026-11-23T23:11:49+08:00."""
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    if pa.types.is_string(array.type):
        array = array.cast(pa.timestamp("us"))
    elif array.type.tz is not None:
        array = array.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
    local = pc.add(array, pa.scalar(timedelta(hours=8), pa.duration("us"))).cast(pa.timestamp("s"), safe=False)
    text = pc.replace_substring(local.cast(pa.string()), " ", "T")
    return pc.binary_join_element_wise(text, pa.scalar("+08:00"), "")


def _missing(value) -> bool:
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value)


def _reasons_text(raw) -> str | None:
    if _missing(raw):
        return None
    try:
        reasons = json.loads(raw)
    except (TypeError, ValueError):
        return str(raw)
    return "; ".join(f"{r.get('column')}={r.get('value')!s}: {r.get('rule')}" if r.get("column")
                     else str(r.get("rule")) for r in reasons)


def safe_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


_FORMULA_RE = "^[=+\\-@\t\r]"


def csv_table(table: pa.Table, spec: Dataset) -> pa.Table:
    """A table as CSV cells: text that starts like a formula gets a leading apostrophe (OWASP CSV injection);
    whole-valued number columns print as integers (Rupiah amounts read 280352766, not 2.8e+08)."""
    arrays = []
    for f, array in zip(spec.fields, table.columns):
        if f.kind == "text" and len(array):
            risky = pc.fill_null(pc.match_substring_regex(array, _FORMULA_RE), False)
            if pc.any(risky).as_py():
                array = pc.if_else(risky, pc.binary_join_element_wise("'", array, ""), array)
        elif f.kind == "number" and len(array) and array.null_count < len(array):
            whole = pc.all(pc.equal(array, pc.floor(array))).as_py()
            biggest = pc.max(pc.abs(array)).as_py()
            if whole and biggest < 1e15:
                array = array.cast(pa.int64())
        arrays.append(array)
    return pa.table(arrays, names=spec.columns)


def csv_chunks(export: Export, preamble: str | None = None, paging: Paging | None = None) -> Iterator[bytes]:
    """The CSV bytes of an export, streamed: UTF-8 byte-order mark (Excel then reads Indonesian text right), the
    `preamble` line when given (DATA SIMULASI on demo data), the header of canonical column names, the rows.
    Comma-separated, text quoted, dot decimals, ISO dates, times in WITA, empty = missing."""
    head = "\ufeff" + (preamble.rstrip("\n") + "\n" if preamble else "")
    yield head.encode("utf-8") + (",".join(f'"{c}"' for c in export.columns) + "\n").encode("utf-8")
    options = pacsv.WriteOptions(include_header=False)
    paging = paging or Paging()
    for table in export.tables(limit=paging.limit, offset=paging.offset):
        if table.num_rows:
            sink = io.BytesIO()
            pacsv.write_csv(csv_table(table, export.spec), sink, options)
            yield sink.getvalue()


def preamble(export: Export) -> str | None:
    """The line above the CSV header on demo data (the API and `python app.py export` write the same bytes)."""
    return f"{vocabulary.SIMULATED_BADGE} — {vocabulary.SIMULATED_NOTE['id']}" if export.simulated else None


def envelope(export: Export, rows: list[dict], total: int, next_url: str | None) -> dict:
    """The JSON answer: the rows with what they are (dataset, filters, paging, data version, simulated?)."""
    return {"dataset": export.selection.dataset, "filters": export.selection.params(), "count": len(rows),
            "total": total, "rows": rows, "simulated": export.simulated, "data_version": export.data_version,
            "next": next_url}


def json_chunks(export: Export) -> Iterator[bytes]:
    """Every row as one JSON document (the envelope, `next` null), streamed row chunk by row chunk."""
    total = export.count()
    before, after = json.dumps(envelope(export, [], total, None), ensure_ascii=False).split('"rows": []', 1)
    before = before.replace('"count": 0,', f'"count": {total},', 1)
    yield (before + '"rows": [').encode("utf-8")
    first = True
    for table in export.tables():
        rows = table.to_pylist()
        if rows:
            yield (("" if first else ",") + ",".join(json.dumps(r, ensure_ascii=False) for r in rows)).encode("utf-8")
            first = False
    yield ("]" + after).encode("utf-8")


def write_file(export: Export, path, fmt: str = "csv", preamble: str | None = None) -> int:
    """Write the whole export to `path` (the CLI): CSV byte for byte what `/api/v1/<dataset>.csv` answers, or the
    JSON document with every row. Returns the number of rows written."""
    blocks = csv_chunks(export, preamble) if fmt == "csv" else json_chunks(export)
    with open(path, "wb") as out:
        for block in blocks:
            out.write(block)
    return export.rows_read


def etag(export: Export, fmt: str, paging: Paging | None = None, extra: str = "") -> str:
    """An entity tag keyed on the data version and the request: an unchanged warehouse answers 304."""
    key = json.dumps([export.selection.dataset, export.selection.params(), fmt,
                      [paging.limit, paging.offset] if paging else None, extra], sort_keys=True)
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return f'"v{export.data_version}-{digest}"'


def filename(selection: Selection, ext: str) -> str:
    """pantau-koperasi_reports_kab-5371_2026-09.csv"""
    parts = ["pantau-koperasi", selection.dataset]
    short = {P_FROM: "dari", P_TO: "sampai"}
    for name, value in selection.params().items():
        parts.append(value if name in (P_PERIOD, P_YEAR) else f"{short.get(name, name)}-{value}")
    return "_".join(parts).replace("/", "-") + f".{ext}"

