"""Messages of the figure helpers: units, definitions on hover, footnotes naming the registry entries."""

MESSAGES = {
    "fig.definition": ("Definisi", "Definition"),
    "fig.population": ("Populasi", "Population"),
    "fig.see_methodology": ("lihat Metodologi", "see Methodology"),
    "fig.defined_as": ("Definisi angka di halaman ini", "How the figures on this page are defined"),
    "fig.points": ("poin", "points"),
    "fig.per_month": ("per bulan", "per month"),
    "fig.yes": ("ya", "yes"),
    "fig.no": ("tidak", "no"),
    "fig.province": ("Provinsi NTT", "NTT province"),
    "fig.pp": ("poin persen", "percentage points"),
}
