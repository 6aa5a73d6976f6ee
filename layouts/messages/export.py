"""Catalogue part: the export page (bulk CSV, API URL, CLI line, data dictionary)."""

MESSAGES = {
    "page.export": ("Ekspor", "Export"),
    "export.subtitle": (
        "Unduh data lengkap sebagai CSV dengan kamus data; pilihan yang sama tersedia sebagai URL API dan perintah "
        "baris.",
        "Download whole datasets as CSV with a data dictionary; the same selection is available as an API URL and "
        "a command line.",
    ),
    "export.dataset": ("Dataset", "Dataset"),
    "export.period": ("Periode (satu bulan)", "Period (one month)"),
    "export.range": ("Rentang bulan", "Month range"),
    "export.period_from": ("dari", "from"),
    "export.period_to": ("sampai", "to"),
    "export.all_periods": ("Semua periode", "All periods"),
    "export.year": ("Tahun buku", "Fiscal year"),
    "export.all_years": ("Semua tahun", "All years"),
    "export.framework": ("Metode penilaian", "Scoring method"),
    "export.all_frameworks": ("Semua metode", "All methods"),
    "export.rows": ("{rows} baris", "{rows} rows"),
    "export.rows_detail": ("untuk pilihan ini, {columns} kolom", "for this selection, {columns} columns"),
    "export.download_csv": ("Unduh CSV", "Download CSV"),
    "export.download_json": ("JSON (halaman pertama)", "JSON (first page)"),
    "export.download_dictionary": ("Unduh kamus data (CSV)", "Download data dictionary (CSV)"),
    "export.api": ("URL API (baca saja)", "API URL (read-only)"),
    "export.cli": ("Perintah baris", "Command line"),
    "export.copy": ("Salin", "Copy"),
    "export.preview": ("Pratinjau berkas", "File preview"),
    "export.preview_note": (
        "Pratinjau: {shown} baris pertama dari {rows}, nilai persis seperti di berkas. Unduh CSV untuk semua baris.",
        "Preview: the first {shown} of {rows} rows, values exactly as in the file. Download the CSV for every row.",
    ),
    "export.no_rows": ("Tidak ada baris untuk pilihan ini.", "No rows for this selection."),
    "export.dictionary": ("Kamus data: {dataset}", "Data dictionary: {dataset}"),
    "export.col.column": ("Kolom", "Column"),
    "export.col.type": ("Tipe", "Type"),
    "export.col.unit": ("Satuan", "Unit"),
    "export.col.description": ("Keterangan", "Description"),
    "export.col.alias": ("Judul di templat", "Template header"),
    "export.format_note": (
        "CSV: UTF-8 dengan BOM (Excel menampilkan teks Indonesia dengan benar), pemisah koma, titik desimal, tanggal "
        "ISO (2026-09-30), waktu dalam WITA; sel kosong = tidak dilaporkan. Teks yang diawali =, +, -, @ diberi "
        "tanda petik agar tidak dijalankan sebagai rumus.",
        "CSV: UTF-8 with BOM (Excel shows Indonesian text right), comma separator, dot decimals, ISO dates "
        "(2026-09-30), times in WITA; empty cell = not reported. Text starting with =, +, -, @ gets an apostrophe "
        "so it never runs as a formula.",
    ),
    "export.simulated_note": (
        "Data simulasi: baris pertama berkas CSV berbunyi \"DATA SIMULASI — …\"; lewati satu baris saat membacanya "
        "dengan program (mis. pandas.read_csv(..., skiprows=1)). JSON memuat \"simulated\": true.",
        "Simulated data: the CSV's first line reads \"DATA SIMULASI — …\"; skip one line when reading it with a "
        "program (e.g. pandas.read_csv(..., skiprows=1)). JSON carries \"simulated\": true.",
    ),
    "export.bad_parameter": ("Parameter tautan diabaikan: {message}", "Link parameter ignored: {message}"),
}
