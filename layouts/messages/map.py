"""Catalogue part: the map page (Peta) — hover, ranking table, drill-down, boundary notices (indicator names come
from the registry)."""

MESSAGES = {
    "page.map": ("Peta", "Map"),
    "map.subtitle": (
        "22 kabupaten/kota menurut indikator pilihan; klik wilayah atau nama di tabel untuk melihat koperasinya.",
        "The 22 regencies/cities by the chosen indicator; click an area or a name in the table to see its "
        "cooperatives.",
    ),
    "map.indicator": ("Indikator", "Indicator"),
    "map.indicator_ignored": ("Indikator tidak dikenal diabaikan: {value}", "Unknown indicator ignored: {value}"),
    "map.card.title": ("{indicator} · {period}", "{indicator} · {period}"),
    "map.rank": ("peringkat {rank} dari {n}", "rank {rank} of {n}"),
    "map.no_value": ("tanpa data", "no data"),
    "map.ranking.title": ("Peringkat kabupaten/kota", "Regency/city ranking"),
    "map.ranking.note.higher": ("Peringkat 1 = terbaik (nilai tertinggi).", "Rank 1 = best (highest value)."),
    "map.ranking.note.lower": ("Peringkat 1 = terbaik (nilai terendah).", "Rank 1 = best (lowest value)."),
    "map.ranking.note.none": ("Diurutkan menurut nilai (indikator ini tanpa arah baik/buruk).",
                              "Sorted by value (this indicator has no better/worse direction)."),
    "map.population": ("Dihitung atas:", "Taken over:"),
    "map.population.province": ("di provinsi", "in the province"),
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
    "map.drill.figures_note": (
        "Angka tersimpan, dibaca apa adanya. Setiap angka dihitung atas populasinya (arahkan kursor ke angka): anggota "
        "dan aset atas koperasi dalam pemantauan (laporan terakhir ≤ 12 bulan sampai periode), skor dan % sehat atas "
        "yang dinilai, Go Digital dan RAT atas koperasi aktif, pelaporan atas laporan yang diharapkan.",
        "Stored figures, read as they are. Each is taken over its own population (hover over a figure): members and "
        "assets over the monitored cooperatives (latest report ≤ 12 months up to the period), scores and % healthy "
        "over those scored, Go Digital and RAT over the active cooperatives, reporting over the reports expected.",
    ),
    "map.col.indicator": ("Indikator", "Indicator"),
    "map.col.this": ("Kab./kota", "Regency"),
    "map.col.province": ("Provinsi", "Province"),
    "map.col.rank_of": ("Pering\u00adkat", "Rank"),  # soft hyphen: the column stays narrow on a phone
    "map.drill.coops": ("Koperasi di {name}", "Cooperatives in {name}"),
    "map.drill.snapshot": ("Potret per {period}.", "Snapshot of {period}."),
    "map.drill.snapshot_other": (
        "Potret per {period}: periode {chosen} tidak punya potret koperasi (potret tersedia untuk 12 bulan terakhir "
        "dan setiap Desember), jadi dipakai potret terdekat.",
        "Snapshot of {period}: {chosen} has no cooperative snapshot (snapshots exist for the latest 12 months and "
        "every December), so the nearest one is shown.",
    ),
    "map.drill.population": (
        "Semua koperasi terdaftar di potret; yang “dalam pemantauan” (laporan terakhir ≤ 12 bulan) adalah "
        "koperasi yang dihitung dalam bagian (%) dan jumlah di peta.",
        "Every registered cooperative in the snapshot; the “monitored” ones (latest report ≤ 12 months) are "
        "the cooperatives the map's shares and sums count.",
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
    "map.col.monitored": ("Dipantau", "Monitored"),
    "map.cat.sehat": ("Sehat", "Healthy"),
    "map.cat.cukup_sehat": ("Cukup sehat", "Fairly healthy"),
    "map.cat.dalam_pengawasan": ("Dalam pengawasan", "Under supervision"),
    "map.cat.dalam_pengawasan_khusus": ("Dalam pengawasan khusus", "Under special supervision"),
    "map.cat.none": ("Belum dinilai", "Not scored"),
    "map.cat.unmonitored": ("Tanpa laporan 12 bulan", "No report in 12 months"),
    "map.stage.identified": ("Teridentifikasi", "Identified"),
    "map.stage.migrating": ("Migrasi", "Migrating"),
    "map.stage.live": ("Aktif (live)", "Live"),
    "map.stage.transacting": ("Bertransaksi", "Transacting"),
    "map.stage.none": ("Belum terdata", "Not recorded"),
}
