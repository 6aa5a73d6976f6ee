"""The standard reporting template: an XLSX workbook with Indonesian instructions and drop-down lists."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from warehouse.contract import DATASETS, LOAD_ORDER, Column

ROWS_WITH_DROPDOWNS = 5000
KIND_ID = {"text": "teks", "int": "bilangan bulat", "amount": "Rupiah", "number": "angka", "date": "tanggal",
           "bool": "ya/tidak"}
RULE_ID = {
    "ge": lambda r: f"≥ {r[1]}",
    "gt": lambda r: f"> {r[1]}",
    "list_of": lambda r: "satu atau lebih dari: " + ", ".join(r[1]) + " (pisahkan dengan ;)",
    "range": lambda r: f"antara {r[1]} dan {r[2]}",
    "in": lambda r: "salah satu: " + ", ".join(r[1]),
    "digits": lambda r: f"{r[1]}–{r[2]} digit angka",
    "length": lambda r: f"{r[1]}–{r[2]} karakter",
    "max_length": lambda r: f"paling banyak {r[1]} karakter",
    "no_formula": lambda r: "tidak diawali =, +, -, @",
    "year_range": lambda r: f"tahun {r[1]} s.d. tahun berjalan",
    "month_end": lambda r: "tanggal akhir bulan",
    "not_future": lambda r: "tidak di masa depan",
    "le_col": lambda r: f"≤ {r[1]}",
    "phone": lambda r: "nomor telepon/WhatsApp, mis. 0812-3456-7890",
    "email": lambda r: "alamat email, mis. nama@contoh.id",
}

INSTRUCTIONS = [
    "Templat pelaporan Pantau Koperasi NTT",
    "",
    "1. Isi lembar 'koperasi' (data registri; wilayah_keanggotaan menentukan pengawas: kabupaten, provinsi atau "
    "nasional), 'laporan_keuangan' (neraca dan perhitungan hasil usaha per periode), 'rat' (rapat anggota tahunan), "
    "'digital' (tahap digitalisasi), 'kdmp' (kemajuan Koperasi Desa/Kelurahan Merah Putih) dan 'pendampingan' "
    "(pendampingan dan pelatihan). Lembar yang tidak dipakai boleh dikosongkan.",
    "2. Baris pertama setiap lembar adalah judul kolom; jangan diubah. Nama kolom bahasa Indonesia (mis. "
    "nomor_induk_koperasi, total_aset) juga diterima.",
    "3. Angka boleh ditulis cara Indonesia (1.234.567,89) atau biasa (1234567.89). Sel kosong berarti tidak dilaporkan, "
    "bukan nol.",
    "4. Tanggal: TTTT-BB-HH (2024-06-30) atau HH/BB/TTTT. akhir_periode selalu tanggal terakhir bulan.",
    "5. Pendapatan, beban, partisipasi dan SHU diisi kumulatif sejak awal tahun buku (Januari).",
    "6. Baris yang melanggar aturan ditahan (karantina) beserta alasannya; baris lain tetap dimuat. Berkas yang "
    "strukturnya salah (kolom wajib hilang) ditolak seluruhnya dengan penjelasan.",
    "7. Kirim berkas lewat halaman Kirim Laporan di dasbor (/kirim), ke folder kotak masuk (inbox), atau serahkan ke "
    "Dinas; nama berkas CSV harus diawali nama lembar, mis. laporan_keuangan_2024-06_5371.csv. Baris yang ditahan "
    "dapat diunduh sebagai berkas perbaikan: perbaiki, lalu kirim lagi (kolom alasan_karantina diabaikan).",
    "8. Lembar 'kdmp' (Koperasi Desa/Kelurahan Merah Putih): satu baris per desa/kelurahan per tanggal data (as_of). "
    "kode_desa = kode Kemendagri 10 digit tanpa titik (5321012001); 4 digit pertama = kode kabupaten/kota, digit ke-7 "
    "1 untuk kelurahan dan 2 untuk desa. Isi tanggal setiap tahap yang sudah tercapai (tidak boleh sesudah as_of; "
    "urutan musdesus ≤ akta ≤ SK AHU ≤ NIB, SK AHU ≤ rekening; serah terima hanya bila lahan siap). Gerai yang "
    "beroperasi dipisah titik koma (sembako;kantor). Mengirim ulang dengan as_of baru = keadaan baru; riwayat tetap.",
    "9. Lembar 'pendampingan': satu baris per kegiatan pendampingan, pelatihan atau kunjungan; isi NIK koperasi atau, "
    "bila KDMP belum ber-NIK, kode_desa. Jam harus lebih dari 0.",
    "",
    "Kolom per lembar (wajib = harus diisi):",
]


def describe(col: Column) -> str:
    listed = any(r[0] in ("in", "length", "digits", "list_of") for r in col.rules)  # (those already bound the length)
    rules = "; ".join(RULE_ID[r[0]](r) for r in col.rules if r[0] in RULE_ID and not (listed and r[0] == "max_length"))
    alias = f" (alias: {', '.join(col.aliases)})" if col.aliases and col.aliases != (col.name,) else ""
    return f"{col.name}{alias} — {KIND_ID[col.kind]}{', wajib' if col.required else ''}{'; ' + rules if rules else ''}"


def template_bytes() -> bytes:
    """The template as the bytes of an .xlsx file (the Kirim Laporan page's download)."""
    import io

    out = io.BytesIO()
    _write(xlsxwriter.Workbook(out, {"in_memory": True}))
    return out.getvalue()


def write_template(out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(xlsxwriter.Workbook(str(out)))
    return out


def _write(book) -> None:
    book.set_properties({"title": "Templat Pantau Koperasi NTT", "author": "Pantau Koperasi NTT"})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    guide = book.add_worksheet("petunjuk")
    guide.set_column(0, 0, 120, wrap)
    row = 0
    for line in INSTRUCTIONS:
        guide.write(row, 0, line, bold if row == 0 else wrap)
        row += 1
    for name in LOAD_ORDER:
        guide.write(row, 0, f"[{name}]", bold)
        row += 1
        for col in DATASETS[name].columns:
            guide.write(row, 0, "  " + describe(col), wrap)
            row += 1
    for name in LOAD_ORDER:
        sheet = book.add_worksheet(name)
        for j, col in enumerate(DATASETS[name].columns):
            sheet.write(0, j, col.name, bold)
            sheet.set_column(j, j, max(14, len(col.name) + 2))
            if col.kind == "text":
                sheet.set_column(j, j, max(14, len(col.name) + 2), book.add_format({"num_format": "@"}))
            enum = next((r[1] for r in col.rules if r[0] == "in"), None)
            if col.kind == "bool":
                enum = ("true", "false")
            if enum and len(",".join(enum)) < 250:
                sheet.data_validation(1, j, ROWS_WITH_DROPDOWNS, j, {
                    "validate": "list", "source": list(enum),
                    "error_title": "Nilai tidak dikenal", "error_message": "Pilih dari daftar: " + ", ".join(enum)})
        sheet.freeze_panes(1, 0)
    book.close()
