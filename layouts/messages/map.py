"""Catalogue part: the map page (Peta) — indicators, hover, ranking table, drill-down, boundary notices."""

MESSAGES = {
    "page.map": ("Peta", "Map"),
    "map.subtitle": (
        "22 kabupaten/kota menurut indikator pilihan; klik wilayah atau nama di tabel untuk melihat koperasinya.",
        "The 22 regencies/cities by the chosen indicator; click an area or a name in the table to see its "
        "cooperatives.",
    ),
    "map.indicator": ("Indikator", "Indicator"),
    "map.indicator_ignored": ("Indikator tidak dikenal diabaikan: {value}", "Unknown indicator ignored: {value}"),
    # indicators (label; the colour bar adds the unit where the label has none)
    "map.ind.go_digital": ("Koperasi Go Digital (jumlah)", "Go Digital cooperatives (count)"),
    "map.ind.pct_go_digital": ("Go Digital (% koperasi aktif)", "Go Digital (% of active cooperatives)"),
    "map.ind.avg_health_score": ("Rata-rata skor kesehatan (0–100)", "Average health score (0–100)"),
    "map.ind.pct_sehat": ("Koperasi sehat (% yang dinilai)", "Healthy cooperatives (% of those scored)"),
    "map.ind.pct_rat_compliant": ("RAT tepat waktu (% koperasi aktif)", "Annual meeting (RAT) on time (% of active)"),
    "map.ind.reporting_rate": ("Tingkat pelaporan (% laporan diterima)", "Reporting rate (% of reports received)"),
    "map.ind.members_per_1000": ("Anggota per 1.000 penduduk", "Members per 1,000 inhabitants"),
    "map.ind.total_assets": ("Total aset", "Total assets"),
    "map.bar.go_digital": ("Go Digital", "Go Digital"),
    "map.bar.pct_go_digital": ("Go Digital (%)", "Go Digital (%)"),
    "map.bar.avg_health_score": ("Skor kesehatan", "Health score"),
    "map.bar.pct_sehat": ("Sehat (%)", "Healthy (%)"),
    "map.bar.pct_rat_compliant": ("RAT tepat waktu (%)", "RAT on time (%)"),
    "map.bar.reporting_rate": ("Pelaporan (%)", "Reporting (%)"),
    "map.bar.members_per_1000": ("Anggota per 1.000 penduduk", "Members per 1,000 inhabitants"),
    "map.bar.total_assets": ("Aset (Rp miliar)", "Assets (Rp billion)"),
    "map.short.go_digital": ("Go Digital (jumlah)", "Go Digital (count)"),
    "map.short.pct_go_digital": ("Go Digital (%)", "Go Digital (%)"),
    "map.short.avg_health_score": ("Skor kesehatan", "Health score"),
    "map.short.pct_sehat": ("Sehat (%)", "Healthy (%)"),
    "map.short.pct_rat_compliant": ("RAT tepat waktu (%)", "RAT on time (%)"),
    "map.short.reporting_rate": ("Pelaporan (%)", "Reporting (%)"),
    "map.short.members_per_1000": ("Anggota/1.000 penduduk", "Members/1,000 people"),
    "map.short.total_assets": ("Total aset", "Total assets"),
    "map.card.title": ("{indicator} · {period}", "{indicator} · {period}"),
    "map.rank": ("peringkat {rank} dari {n}", "rank {rank} of {n}"),
    "map.no_value": ("tanpa data", "no data"),
    "map.ranking.title": ("Peringkat kabupaten/kota", "Regency/city ranking"),
    "map.ranking.note": ("Peringkat 1 = terbaik (nilai tertinggi).", "Rank 1 = best (highest value)."),
    "map.col.rank": ("#", "#"),
    "map.col.regency": ("Kabupaten/kota", "Regency/city"),
    "map.col.value": ("Nilai", "Value"),
    # boundaries
    "map.attribution.wilayah_boundaries": (
        "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), kode & nama sesuai Kepmendagri 300.2.2-2138/2025; "
        "data dasar: Badan Informasi Geospasial.",
        "Boundaries: cahyadsn/wilayah_boundaries (MIT), codes & names per Kepmendagri 300.2.2-2138/2025; "
        "base data: Badan Informasi Geospasial.",
    ),
    "map.attribution.geoboundaries": (
        "Batas wilayah: geoBoundaries IDN ADM2 (Runfola dkk. 2020; BPS/OCHA, CC BY 3.0 IGO), dicocokkan ke kode "
        "Kemendagri menurut nama.",
        "Boundaries: geoBoundaries IDN ADM2 (Runfola et al. 2020; BPS/OCHA, CC BY 3.0 IGO), joined to Kemendagri "
        "codes by name.",
    ),
    "map.attribution.file": ("Batas wilayah: {text}", "Boundaries: {text}"),
    "map.attribution.points": (
        "Titik: ibu kota kabupaten/kota (data/regencies.csv); ukuran dan warna menurut nilai.",
        "Points: regency/city capitals (data/regencies.csv); size and colour by value.",
    ),
    "map.fallback.missing": (
        "Peta wilayah tidak tersedia: tidak ada berkas batas wilayah di {path}. Peta ini menampilkan titik di ibu "
        "kota kabupaten/kota. Untuk peta wilayah, jalankan `python app.py boundaries fetch` pada komputer yang "
        "terhubung ke internet, atau salin berkas GeoJSON batas kabupaten/kota ke lokasi itu (BOUNDARIES_PATH).",
        "Area map not available: there is no boundary file at {path}. This map shows points at the regency/city "
        "capitals. For the area map, run `python app.py boundaries fetch` on a machine with internet, or copy a "
        "kabupaten/kota boundary GeoJSON to that location (BOUNDARIES_PATH).",
    ),
    "map.fallback.invalid": (
        "Peta wilayah tidak tersedia: berkas batas wilayah {path} tidak dapat dipakai ({reason}). Peta ini "
        "menampilkan titik di ibu kota kabupaten/kota. Periksa berkas dengan `python app.py boundaries check` atau "
        "ambil yang baru dengan `python app.py boundaries fetch`.",
        "Area map not available: the boundary file {path} cannot be used ({reason}). This map shows points at the "
        "regency/city capitals. Check the file with `python app.py boundaries check` or get a new one with "
        "`python app.py boundaries fetch`.",
    ),
    "map.hint": ("Klik wilayah untuk rincian kabupaten/kota.", "Click an area for the regency/city details."),
    # drill-down
    "map.drill.close": ("Tutup ✕", "Close ✕"),
    "map.drill.figures": ("Angka utama dibanding provinsi · {period}", "Key figures against the province · {period}"),
    "map.drill.cooperatives_active": ("Koperasi (aktif)", "Cooperatives (active)"),
    "map.drill.figures_note": (
        "Go Digital dan RAT: % koperasi aktif; sehat: % yang dinilai; pelaporan: % laporan yang diharapkan.",
        "Go Digital and RAT: % of active cooperatives; healthy: % of those scored; reporting: % of expected reports.",
    ),
    "map.col.indicator": ("Indikator", "Indicator"),
    "map.col.this": ("Kab./kota", "Regency"),
    "map.col.province": ("Provinsi", "Province"),
    "map.col.rank_of": ("Pering\u00adkat", "Rank"),  # soft hyphen: the column stays narrow on a phone
    "map.drill.coops": ("Koperasi di {name}", "Cooperatives in {name}"),
    "map.drill.snapshot": ("Potret per {period}.", "Snapshot of {period}."),
    "map.drill.snapshot_other": (
        "Potret per {period}: periode {chosen} tidak punya potret koperasi (potret tersedia untuk 12 bulan terakhir "
        "dan setiap Desember), jadi dipakai potret terdekat sebelumnya.",
        "Snapshot of {period}: {chosen} has no cooperative snapshot (snapshots exist for the latest 12 months and "
        "every December), so the nearest earlier one is shown.",
    ),
    "map.drill.no_snapshots": (
        "Daftar koperasi belum tersedia: potret koperasi belum dihitung (jalankan `python app.py score --full`).",
        "The cooperative list is not available yet: the cooperative snapshots have not been computed (run "
        "`python app.py score --full`).",
    ),
    "map.drill.none": ("Tidak ada koperasi di kabupaten/kota ini pada potret tersebut.",
                       "No cooperatives in this regency/city in that snapshot."),
    "map.drill.count": ("{n} koperasi", "{n} cooperatives"),
    "map.drill.rankings": ("Peringkat koperasi di {name} →", "Cooperative ranking in {name} →"),
    "map.col.name": ("Nama koperasi", "Cooperative"),
    "map.col.type": ("Jenis", "Type"),
    "map.col.health": ("Skor kesehatan", "Health score"),
    "map.col.category": ("Kategori kesehatan", "Health category"),
    "map.col.rat": ("Nilai RAT", "RAT grade"),
    "map.col.digital": ("Tahap digital", "Digital stage"),
    "map.cat.sehat": ("Sehat", "Healthy"),
    "map.cat.cukup_sehat": ("Cukup sehat", "Fairly healthy"),
    "map.cat.dalam_pengawasan": ("Dalam pengawasan", "Under supervision"),
    "map.cat.dalam_pengawasan_khusus": ("Dalam pengawasan khusus", "Under special supervision"),
    "map.cat.none": ("Belum dinilai", "Not scored"),
    "map.stage.identified": ("Teridentifikasi", "Identified"),
    "map.stage.migrating": ("Migrasi", "Migrating"),
    "map.stage.live": ("Aktif (live)", "Live"),
    "map.stage.transacting": ("Bertransaksi", "Transacting"),
    "map.stage.none": ("Belum terdata", "Not recorded"),
}
