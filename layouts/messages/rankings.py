"""Catalogue part: the rankings page (kabupaten and cooperatives), plus the category, stage and indicator labels the
profile page shares."""

MESSAGES = {
    "page.rankings": ("Peringkat", "Rankings"),
    "rk.subtitle": (
        "Kabupaten/kota dan koperasi diurutkan menurut indikator; setiap koperasi dibandingkan dengan kelompok "
        "sebayanya (jenis × kelas aset).",
        "Regencies and cooperatives ranked by indicator; each cooperative is compared with its peer group "
        "(type × asset band).",
    ),
    "rk.view.kabupaten": ("Kabupaten/Kota", "Regencies/cities"),
    "rk.view.koperasi": ("Koperasi", "Cooperatives"),
    "rk.peer": ("Kelompok sebaya", "Peer group"),
    "rk.all_peers": ("Semua kelompok sebaya", "All peer groups"),
    "rk.period_snapped": (
        "Peringkat tersedia untuk 12 bulan terakhir dan setiap Desember; {asked} tidak tersedia, ditampilkan {shown}.",
        "Rankings exist for the latest 12 months and every December; {asked} is not one of them, showing {shown}.",
    ),
    "rk.no_snapshots": (
        "Potret koperasi belum dihitung untuk gudang data ini (jalankan `python app.py score --full`).",
        "The cooperative snapshots have not been computed for this warehouse yet (run `python app.py score --full`).",
    ),
    "rk.peer_ignored": (
        "Kelompok sebaya \u201c{group}\u201d tidak ada pada periode dan jenis ini; filter kelompok diabaikan.",
        "Peer group \u201c{group}\u201d does not exist for this period and type; the peer-group filter is ignored.",
    ),
    "rk.count": ("{n} koperasi · periode {period}", "{n} cooperatives · period {period}"),
    "rk.reg_count": ("22 kabupaten/kota · periode {period}", "22 regencies/cities · period {period}"),
    "rk.reg_type": ("koperasi jenis {type}", "{type} cooperatives"),
    "rk.reg_population": (
        "Angka tersimpan; baris terakhir adalah provinsi, dihitung sekali untuk seluruh provinsi (bukan jumlah baris "
        "di atas). Anggota dihitung atas koperasi dalam pemantauan (laporan terakhir ≤ 12 bulan sampai periode; {n} "
        "di provinsi), skor dan % sehat atas yang dinilai, RAT dan Go Digital atas koperasi aktif, pelaporan atas "
        "laporan yang diharapkan — arahkan kursor ke judul kolom untuk definisinya.",
        "Stored figures; the last row is the province, computed once for the whole province (not a sum of the rows "
        "above). Members are taken over the monitored cooperatives (latest report ≤ 12 months up to the period; {n} "
        "in the province), scores and % healthy over those scored, RAT and Go Digital over the active cooperatives, "
        "reporting over the reports expected — hover over a column header for its definition.",
    ),
    "rk.population": (
        "Dinilai dan diberi peringkat: koperasi dalam pemantauan (laporan terakhir dalam 12 bulan sampai {period}) "
        "— {n} di {area}, koperasi yang sama yang dihitung bagian (%) dan jumlahnya di Peta dan Ringkasan. "
        "Koperasi tanpa laporan dalam 12 bulan tercantum di bawah, tanpa peringkat.",
        "Rated and ranked: the monitored cooperatives (latest report in the 12 months up to {period}) — {n} in "
        "{area}, the same cooperatives the shares (%) and sums on the Map and Overview count. Cooperatives without a "
        "report in 12 months are listed last, unranked.",
    ),
    "rk.rank_tooltip": (
        "Peringkat menurut skor kesehatan di antara baris yang tampil; tanpa peringkat: belum dinilai atau tanpa "
        "laporan dalam 12 bulan.",
        "Rank by health score among the rows shown; no rank: not scored or no report in 12 months.",
    ),
    "rk.no_rows": ("Tidak ada koperasi yang cocok dengan filter ini.", "No cooperative matches these filters."),
    "rk.pct_note": (
        "P75 = persentil dalam kelompok sebaya: 75 % koperasi sekelompok memiliki nilai lebih rendah. Arah yang lebih "
        "baik ada di judul kolom (↑ lebih tinggi lebih baik, ↓ lebih rendah lebih baik, seperti NPL); rasio modal "
        "sendiri tidak punya arah: metode 2016 menilai 40–60 % terbaik.",
        "P75 = percentile within the peer group: 75 % of the group's cooperatives have a lower value. Which way is "
        "better is in the column header (↑ higher is better, ↓ lower is better, as for NPL); the equity ratio has no "
        "direction: the 2016 method rates 40–60 % best.",
    ),
    "rk.reg_note": (
        "Klik judul kolom untuk mengurutkan kabupaten/kota menurut indikator itu; klik nama untuk melihat "
        "koperasinya.",
        "Click a column header to rank the regencies by that indicator; click a name to see its cooperatives.",
    ),
    "rk.peer_label": ("{type} · {band}", "{type} · {band}"),
    # grid columns
    "rk.col.rank": ("#", "#"),
    "rk.col.name": ("Nama koperasi", "Cooperative"),
    "rk.col.nik": ("NIK", "NIK"),
    "rk.col.regency": ("Kabupaten/Kota", "Regency/City"),
    "rk.col.type": ("Jenis", "Type"),
    "rk.col.peer": ("Kelompok sebaya", "Peer group"),
    "rk.col.score": ("Skor", "Score"),
    "rk.col.category": ("Kategori", "Category"),
    "rk.col.value": ("Nilai", "Value"),
    "rk.col.pct": ("Persentil", "Percentile"),
    "rk.col.rat_grade": ("Nilai RAT", "RAT grade"),
    "rk.col.digital": ("Tahap digital", "Digital stage"),
    "rk.col.assets": ("Aset (Rp)", "Assets (Rp)"),
    # indicators
    "rk.ind.health_total": ("Skor kesehatan", "Health score"),
    "rk.ind.equity_ratio": ("Modal/aset (%)", "Equity/assets (%)"),
    "rk.ind.npl_ratio": ("NPL (%)", "NPL (%)"),
    "rk.ind.roa": ("ROA (%)", "ROA (%)"),
    "rk.ind.current_ratio": ("Rasio lancar (%)", "Current ratio (%)"),
    "rk.ind.asset_growth": ("Tumbuh aset (%)", "Asset growth (%)"),
    "rk.ind.member_growth": ("Tumbuh anggota (%)", "Member growth (%)"),
    # categories and stages (shared with the profile page)
    "rk.cat.sehat": ("Sehat", "Healthy"),
    "rk.cat.cukup_sehat": ("Cukup sehat", "Fairly healthy"),
    "rk.cat.dalam_pengawasan": ("Dalam pengawasan", "Under supervision"),
    "rk.cat.dalam_pengawasan_khusus": ("Dalam pengawasan khusus", "Under special supervision"),
    "rk.cat.none": ("Belum dinilai", "Not scored"),
    "rk.cat.unmonitored": ("Tanpa laporan 12 bulan", "No report in 12 months"),
    "rk.stage.identified": ("Teridentifikasi", "Identified"),
    "rk.stage.migrating": ("Migrasi", "Migrating"),
    "rk.stage.live": ("Aktif (live)", "Live"),
    "rk.stage.transacting": ("Bertransaksi", "Transacting"),
    "rk.stage.none": ("Belum terdata", "Not recorded"),
}
