"""Catalogue part: the Target Digital page (progress to the province's 1,000 Go Digital target)."""

MESSAGES = {
    "page.digital": ("Target Digital", "Digital Target"),
    "digital.subtitle": (
        "Kemajuan menuju target Pemerintah Provinsi NTT: {target} koperasi Go Digital.",
        "Progress to the NTT provincial government's target: {target} cooperatives Go Digital.",
    ),
    "digital.subtitle_regency": (
        "{regency}: kemajuan menuju bagiannya dari target provinsi ({target} koperasi Go Digital).",
        "{regency}: progress to its share of the province target ({target} cooperatives Go Digital).",
    ),
    "digital.progress": ("Kemajuan menuju target", "Progress to the target"),
    "digital.progress_regency": ("Kemajuan {regency} menuju targetnya", "Progress of {regency} to its target"),
    "digital.of_target": ("dari target {target} koperasi", "of a target of {target} cooperatives"),
    "digital.reached": ("tercapai", "reached"),
    "digital.remaining_n": ("Sisa {n} koperasi lagi", "{n} cooperatives to go"),
    "digital.target_met": ("Target tercapai", "Target met"),
    "digital.as_of": ("Per akhir {period}", "As of the end of {period}"),
    "digital.definition": (
        "Yang dihitung: koperasi aktif yang tahap adopsi digitalnya pada akhir bulan adalah {stages}. "
        "Belum ada definisi resmi \u201ckoperasi digital\u201d; definisi ini diatur di berkas norma "
        "indicators/norms/digital.toml.",
        "What is counted: active cooperatives whose digital adoption stage at the month end is {stages}. "
        "There is no official definition of a \u201cdigital cooperative\u201d; this one is set in the norm file "
        "indicators/norms/digital.toml.",
    ),
    "digital.or": ("atau", "or"),
    "digital.population": (
        "Populasi: {active} koperasi aktif pada akhir bulan; koperasi tidak aktif tidak dihitung, walau tahap "
        "digitalnya live.",
        "Population: {active} active cooperatives at the month end; inactive cooperatives are not counted, even "
        "when their digital stage is live.",
    ),
    "digital.projection.date": (
        "Proyeksi: target tercapai sekitar akhir {date} dengan laju 12 bulan terakhir ({pace} koperasi per bulan).",
        "Projection: the target is reached around the end of {date} at the pace of the last 12 months "
        "({pace} cooperatives a month).",
    ),
    "digital.projection.none": (
        "Proyeksi: dengan laju 12 bulan terakhir ({pace} koperasi per bulan) target tidak akan tercapai.",
        "Projection: at the pace of the last 12 months ({pace} cooperatives a month) the target will not be "
        "reached.",
    ),
    "digital.projection.no_pace": (
        "Proyeksi: belum ada cukup riwayat untuk menghitung laju.",
        "Projection: not enough history yet to compute a pace.",
    ),
    "digital.projection.reached": (
        "Target sudah tercapai pada akhir {date}.",
        "The target was reached at the end of {date}.",
    ),
    "digital.milestones": (
        "Capaian yang dipublikasikan Pemprov NTT (acuan, bukan dari data ini): 276 koperasi (2022), "
        "600 koperasi (2023).",
        "Figures published by the NTT provincial government (references, not from these data): 276 cooperatives "
        "(2022), 600 cooperatives (2023).",
    ),
    "digital.trend": ("Capaian dan target dari waktu ke waktu", "Actual and target over time"),
    "digital.trend.actual": ("Go Digital", "Go Digital"),
    "digital.trend.target": ("Target", "Target"),
    "digital.trend.projection": ("Proyeksi (laju 12 bulan)", "Projection (12-month pace)"),
    "digital.trend.published": ("Angka publikasi Pemprov", "Published provincial figure"),
    "digital.trend.axis": ("Koperasi", "Cooperatives"),
    "digital.funnel": ("Corong adopsi, akhir {period}", "Adoption funnel, end of {period}"),
    "digital.funnel.note": (
        "Setiap langkah menghitung koperasi aktif yang tahapnya sama dengan atau melewati langkah itu.",
        "Each step counts the active cooperatives at or beyond it.",
    ),
    "digital.funnel.hover_beyond": ("koperasi aktif pada tahap ini atau lebih jauh",
                                    "active cooperatives at this stage or beyond"),
    "digital.funnel.hover_exact": ("Tepat pada tahap ini", "Exactly at this stage"),
    "digital.funnel.exact": ("Tepat pada tahap", "Exactly at each stage"),
    "digital.regencies": (
        "Capaian per kabupaten/kota terhadap targetnya", "Progress per regency/city against its target",
    ),
    "digital.regencies.axis": ("% dari target", "% of target"),
    "digital.regencies.note": (
        "Target kabupaten = bagiannya dari target provinsi, sebanding dengan jumlah koperasi aktif.",
        "Regency target = its share of the province target, in proportion to its active cooperatives.",
    ),
    "digital.no_targets": (
        "Target per kabupaten belum dihitung; jalankan `python app.py score --full`.",
        "Regency targets have not been computed yet; run `python app.py score --full`.",
    ),
    "digital.col.code": ("Kode", "Code"),
    "digital.col.regency": ("Kabupaten/Kota", "Regency/City"),
    "digital.col.name": ("Koperasi", "Cooperative"),
    "digital.col.nik": ("NIK", "NIK"),
    "digital.col.platform": ("Platform", "Platform"),
    "digital.col.since": ("Migrasi sejak", "Migrating since"),
    "digital.col.days": ("Hari", "Days"),
    "digital.stuck": (
        "Tertahan di migrasi lebih dari {days} hari, akhir {period}: {n} koperasi",
        "Stuck in migration for more than {days} days, end of {period}: {n} cooperatives",
    ),
    "digital.stuck.none": ("Tidak ada koperasi yang tertahan di migrasi.", "No cooperative is stuck in migration."),
    "digital.no_data": (
        "Belum ada data Go Digital di gudang data.",
        "The warehouse holds no Go Digital figures yet.",
    ),
}
