"""Catalogue part: the Metodologi page (registry indicators, populations, the norm-file methods)."""

MESSAGES = {
    "mt.subtitle": (
        "Definisi setiap angka yang dipublikasikan, dibangkitkan dari registri indikator, lalu rumus, tabel nilai, "
        "bobot dan sumber metode penilaian dari berkas norma; yang belum terkonfirmasi ditandai.",
        "The definition of every published figure, generated from the indicator registry, then the formulas, bands, "
        "weights and sources of the scoring methods from the norm files; what is not yet confirmed is marked.",
    ),
    "mt.contents": ("Isi halaman", "On this page"),
    "mt.populations": ("Populasi: atas koperasi mana angka dihitung",
                       "Populations: which cooperatives a figure covers"),
    "mt.populations_intro": (
        "Setiap angka dihitung atas satu populasi. Yang terpenting: koperasi dalam pemantauan adalah koperasi yang "
        "laporan terakhirnya jatuh dalam 12 akhir bulan sampai periode; angkanya diambil dari laporan terakhir itu, "
        "dan populasi yang sama dipakai di Ringkasan, Peta, Peringkat dan Profil.",
        "Every figure is computed over one population. Above all: monitored cooperatives are those whose latest "
        "report falls in the 12 month-ends up to the period; their figures come from that latest report, and the "
        "same population is used on the Overview, Map, Rankings and Profile.",
    ),
    "mt.indicators": ("Indikator yang dipublikasikan", "Published indicators"),
    "mt.indicators_intro": (
        "Satu definisi per angka (registri indicators/registry.toml): setiap halaman, ekspor dan API membaca nilai "
        "yang sama yang dihitung sekali saat pembaruan data. Kode di samping nama adalah id indikator; catatan "
        "“Definisi angka” di setiap halaman menautkan ke sini.",
        "One definition per figure (the registry indicators/registry.toml): every page, export and the API read the "
        "same value, computed once by the data refresh. The code beside the name is the indicator id; the "
        "“How the figures are defined” notes on every page link here.",
    ),
    "mt.over": ("Atas: {population}", "Over: {population}"),
    "mt.count": ("{n} indikator", "{n} indicators"),
    "mt.formula": ("Rumus", "Formula"),
    "mt.unit": ("Satuan", "Unit"),
    "mt.direction": ("Arah", "Direction"),
    "mt.population": ("Populasi", "Population"),
    "mt.source": ("Sumber", "Source"),
    "mt.published": ("Kolom API", "API columns"),
    "mt.not_published": ("tidak dipublikasikan sendiri (dipakai metode penilaian)",
                         "not published on its own (used by the scoring methods)"),
    "mt.used_by": ("Dipakai oleh", "Used by"),
    "mt.defined_by": ("Aturan dari", "Rule from"),
    "mt.percentile": ("Persentil sebaya", "Peer percentile"),
    "mt.percentile_of": ("Persentil dari", "Percentile of"),
    "mt.methods": ("Metode penilaian dan aturan (berkas norma)", "Scoring methods and rules (norm files)"),
    "mt.methods_intro": (
        "Tabel nilai, bobot, predikat dan aturan dari indicators/norms/*.toml. Komponen yang memakai rumus registri "
        "menyebut id-nya; klik id untuk definisinya di atas.",
        "Bands, weights, categories and rules from indicators/norms/*.toml. A component using a registry formula "
        "names its id; click the id for its definition above.",
    ),
    "mt.api": ("Registri lengkap sebagai JSON", "The whole registry as JSON"),
}
