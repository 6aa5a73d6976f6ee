"""Column orders and Indonesian aliases of the four datasets, as in design/DATA_CONTRACT.md."""
from __future__ import annotations

from .finance import REPORT_COLUMNS

KOPERASI_COLUMNS = (
    "nik", "name", "regency_code", "district", "type", "group", "savings_loan_unit", "legal_entity_number",
    "legal_entity_date", "established_year", "status", "open_loop", "latitude", "longitude",
)
RAT_COLUMNS = ("nik", "fiscal_year", "held_on", "reported_on", "shu_total", "shu_to_members", "audited", "statements_published")
DIGITAL_COLUMNS = ("nik", "platform", "stage", "stage_date", "members_on_app")
REGISTRY_EXPORT_COLUMNS = ("nik", "name", "certificate_status", "grade", "last_rat_date")
LAPORAN_COLUMNS = REPORT_COLUMNS  # canonical columns + the `submitted_on` extension

ALIASES = {
    "koperasi": {
        "nik": "nomor_induk_koperasi", "name": "nama_koperasi", "regency_code": "kode_kabupaten", "district": "kecamatan",
        "type": "jenis", "group": "kelompok", "savings_loan_unit": "usp", "legal_entity_number": "nomor_badan_hukum",
        "legal_entity_date": "tanggal_badan_hukum", "established_year": "tahun_berdiri",
    },
    "laporan_keuangan": {
        "nik": "nomor_induk_koperasi", "period_end": "akhir_periode", "period_type": "jenis_periode",
        "members": "jumlah_anggota", "total_assets": "total_aset", "current_assets": "aset_lancar",
        "cash_and_bank": "kas_dan_bank", "total_liabilities": "total_kewajiban", "current_liabilities": "kewajiban_lancar",
        "equity": "modal_sendiri", "share_capital_principal": "simpanan_pokok", "share_capital_mandatory": "simpanan_wajib",
        "reserves": "cadangan", "voluntary_savings": "simpanan_sukarela", "time_deposits": "simpanan_berjangka",
        "funds_received": "dana_yang_diterima", "loans_outstanding": "pinjaman_diberikan",
        "loans_to_members": "pinjaman_anggota", "loans_at_risk": "pinjaman_berisiko", "loans_substandard": "kurang_lancar",
        "loans_doubtful": "diragukan", "loans_loss": "macet", "loan_loss_reserve": "cadangan_risiko",
        "weighted_capital": "modal_tertimbang", "risk_weighted_assets": "atmr", "gross_participation": "partisipasi_bruto",
        "net_participation": "partisipasi_neto", "revenue": "pendapatan", "non_member_revenue": "pendapatan_non_anggota",
        "operating_expenses": "beban_usaha", "member_operating_expenses": "beban_operasi_anggota",
        "cooperative_expenses": "beban_perkoperasian", "staff_costs": "biaya_karyawan", "shu_gross": "shu_kotor",
        "shu_before_tax": "shu_sebelum_pajak", "shu_after_tax": "shu_setelah_pajak", "shu_member_share": "shu_bagian_anggota",
        "member_economic_benefit": "meppp", "management_score": "skor_manajemen", "submitted_on": "tanggal_kirim",
    },
    "rat": {
        "nik": "nomor_induk_koperasi", "fiscal_year": "tahun_buku", "held_on": "tanggal_rat", "reported_on": "tanggal_lapor",
        "shu_to_members": "shu_dibagikan", "audited": "diaudit", "statements_published": "laporan_dipublikasikan",
    },
    "digital": {
        "nik": "nomor_induk_koperasi", "stage": "tahap", "stage_date": "tanggal", "members_on_app": "anggota_pengguna",
    },
}
VALUE_ALIASES = {
    "status": {"active": "aktif", "inactive": "tidak_aktif", "dissolved": "bubar"},
    "period_type": {"month": "bulanan", "quarter": "triwulan", "year": "tahunan"},
    "stage": {"identified": "teridentifikasi", "migrating": "migrasi", "live": "aktif", "transacting": "bertransaksi"},
}

LABEL = "DATA SIMULASI"
