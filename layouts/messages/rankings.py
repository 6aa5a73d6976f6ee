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
    "rk.no_rows": ("Tidak ada koperasi yang cocok dengan filter ini.", "No cooperative matches these filters."),
    "rk.pct_note": (
        "P75 = persentil dalam kelompok sebaya: 75 % koperasi sekelompok memiliki nilai lebih rendah. Makin tinggi "
        "makin baik, kecuali NPL (kredit bermasalah): di sana nilai dan persentil yang rendah lebih baik.",
        "P75 = percentile within the peer group: 75 % of the group's cooperatives have a lower value. Higher is "
        "better, except NPL (non-performing loans): there a low value and a low percentile are better.",
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
    # kabupaten columns
    "rk.reg.cooperatives": ("Koperasi", "Cooperatives"),
    "rk.reg.members": ("Anggota", "Members"),
    "rk.reg.members_per_1000": ("Anggota per 1.000 penduduk", "Members per 1,000 inhabitants"),
    "rk.reg.avg_health_score": ("Rata-rata skor kesehatan", "Average health score"),
    "rk.reg.pct_sehat": ("Sehat (%)", "Healthy (%)"),
    "rk.reg.pct_rat_compliant": ("Patuh RAT (%)", "RAT compliant (%)"),
    "rk.reg.pct_go_digital": ("Go Digital (%)", "Go Digital (%)"),
    "rk.reg.reporting_rate": ("Tingkat pelaporan (%)", "Reporting rate (%)"),
    # categories and stages (shared with the profile page)
    "rk.cat.sehat": ("Sehat", "Healthy"),
    "rk.cat.cukup_sehat": ("Cukup sehat", "Fairly healthy"),
    "rk.cat.dalam_pengawasan": ("Dalam pengawasan", "Under supervision"),
    "rk.cat.dalam_pengawasan_khusus": ("Dalam pengawasan khusus", "Under special supervision"),
    "rk.cat.none": ("Belum dinilai", "Not scored"),
    "rk.stage.identified": ("Teridentifikasi", "Identified"),
    "rk.stage.migrating": ("Migrasi", "Migrating"),
    "rk.stage.live": ("Aktif (live)", "Live"),
    "rk.stage.transacting": ("Bertransaksi", "Transacting"),
    "rk.stage.none": ("Belum terdata", "Not recorded"),
}
