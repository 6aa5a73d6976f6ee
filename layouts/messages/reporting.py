"""Catalogue part: the reporting & data-quality page (rates heatmap, late filers, ingest runs, rejections)."""

MESSAGES = {
    "rep.subtitle": (
        "Siapa yang melapor, tepat waktu atau tidak, dan apa yang terjadi pada setiap impor data.",
        "Who reports, on time or not, and what happened to every data import.",
    ),
    "rep.tab.rates": ("Tingkat pelaporan", "Reporting rates"),
    "rep.tab.late": ("Pelapor terlambat", "Late filers"),
    "rep.tab.runs": ("Proses impor & kesegaran", "Ingest runs & freshness"),
    "rep.tab.rejections": ("Baris ditolak", "Rejected rows"),
    "rep.measure": ("Ukuran", "Measure"),
    "rep.reporting_rate": ("Tingkat pelaporan", "Reporting rate"),
    "rep.on_time_rate": ("Tepat waktu", "On-time rate"),
    "rep.heatmap_title": ("{measure} per kabupaten/kota, {start} – {end}", "{measure} by regency/city, {start} – {end}"),
    "rep.heatmap_note": (
        "Laporan yang diharapkan: koperasi aktif yang sudah berdiri; tepat waktu = masuk paling lambat tanggal 20 "
        "bulan berikutnya. Urutan: angka bulan terakhir, yang terendah di atas. Arahkan kursor ke sel untuk "
        "melihat jumlahnya.",
        "Expected reports: active cooperatives already established; on time = in by the 20th of the following "
        "month. Order: the latest month's figure, lowest at the top. Hover over a cell for the counts.",
    ),
    "rep.heatmap_type": ("Hanya koperasi jenis {type}: angka yang disimpan untuk jenis ini.",
                         "Only cooperatives of type {type}: the figures stored for that type."),
    "rep.summary": (
        "tingkat pelaporan {rate} ({received} dari {expected} laporan yang diharapkan masuk), tepat waktu "
        "{on_time} ({received_on_time} laporan).",
        "reporting rate {rate} ({received} of {expected} expected reports received), on time {on_time} "
        "({received_on_time} reports).",
    ),
    "rep.hover.expected": ("Diharapkan", "Expected"),
    "rep.hover.received": ("Masuk", "Received"),
    "rep.hover.on_time": ("Tepat waktu", "On time"),
    "rep.no_rates": ("Belum ada angka pelaporan untuk periode ini.", "No reporting figures for this period yet."),
    "rep.late_title": ("Pelapor terlambat, {start} – {end}", "Late filers, {start} – {end}"),
    "rep.late_note": (
        "{n} koperasi dengan sedikitnya satu laporan terlambat atau tidak masuk dalam {periods} periode terakhir; "
        "yang terburuk di atas.",
        "{n} cooperatives with at least one late or missing report in the latest {periods} periods; worst first.",
    ),
    "rep.late_capped": (
        "Tabel memuat {n} yang terburuk; pilih kabupaten/kota atau jenis untuk mempersempit.",
        "The table holds the worst {n}; choose a regency/city or type to narrow it down.",
    ),
    "rep.no_late": ("Tidak ada pelapor terlambat untuk pilihan ini.", "No late filers for this selection."),
    "rep.no_status": ("Status pelaporan belum tersedia; jalankan `python app.py score --full`.",
                      "The reporting status is not available yet; run `python app.py score --full`."),
    "rep.col.name": ("Koperasi", "Cooperative"),
    "rep.col.regency": ("Kabupaten/Kota", "Regency/City"),
    "rep.col.type": ("Jenis", "Type"),
    "rep.col.expected": ("Diharapkan", "Expected"),
    "rep.col.received": ("Masuk", "Received"),
    "rep.col.on_time": ("Tepat waktu", "On time"),
    "rep.col.late": ("Terlambat", "Late"),
    "rep.col.missing": ("Tidak masuk", "Missing"),
    "rep.col.max_days_late": ("Maks. hari terlambat", "Max days late"),
    "rep.col.last_missing": ("Terakhir tidak masuk", "Last missing period"),
    "rep.col.run": ("Proses", "Run"),
    "rep.col.dataset": ("Dataset", "Dataset"),
    "rep.col.created": ("Waktu (WITA)", "Time (WITA)"),
    "rep.col.watermark": ("Penanda API (updated_since)", "API watermark (updated_since)"),
    "rep.col.age": ("Umur", "Age"),
    "rep.col.schedule": ("Jadwal (cron, WITA)", "Schedule (cron, WITA)"),
    "rep.col.state": ("Keadaan", "State"),
    "rep.fresh.ok": ("tepat jadwal", "on schedule"),
    "rep.fresh.late": ("terlambat", "late"),
    "rep.fresh.never": ("belum pernah berhasil", "never succeeded"),
    "rep.fresh.unscheduled": ("tanpa jadwal", "not scheduled"),
    "rep.fresh.note": (
        "Terlambat: jadwal sumber sudah lewat lebih dari {grace} menit sejak keberhasilan terakhir tanpa proses "
        "baru yang berhasil.",
        "Late: the source's schedule came round more than {grace} minutes after its last success without a new "
        "successful run.",
    ),
    "rep.age.days": ("{d} hari {h} jam", "{d} d {h} h"),
    "rep.age.hours": ("{h} jam {m} menit", "{h} h {m} min"),
    "rep.age.minutes": ("{m} menit", "{m} min"),
    "rep.runs_note": ("{n} proses terakhir, terbaru di atas.", "The latest {n} runs, newest first."),
    "rep.rejections_note": (
        "{n} baris ditolak (terbaru di atas). Saring per kolom; tombol unduh memberi baris yang tersaring.",
        "{n} rejected rows (newest first). Filter by column; the download gives the filtered rows.",
    ),
    "rep.status.success": ("berhasil", "success"),
    "rep.status.rejected": ("ditolak", "rejected"),
    "rep.status.failed": ("gagal", "failed"),
    "rep.status.running": ("berjalan", "running"),
}
