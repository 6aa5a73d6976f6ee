"""Pure indicator functions (DataFrames in, DataFrames out) for Pantau Koperasi NTT; norm tables in ``norms/``.

Modules: ``ksp2016`` (Perdep 06/2016 health score), ``ksp2021`` (Juknis 15/2021 indicators), ``pearls``
(credit unions), ``finance`` (cooperatives without savings and loans), ``accountability`` (RAT, reporting,
SHU, audit), ``digital`` (Go Digital), ``peers`` (peer groups, percentiles), ``regency`` (kabupaten roll-ups),
``methodology`` (the methodology built from the norm files); ``core`` holds the shared machinery.
"""

from indicators.core import load_norms

__all__ = ["load_norms"]
