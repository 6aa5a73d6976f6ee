"""Pure indicator functions (DataFrames in, DataFrames out) for Pantau Koperasi NTT — the lowest layer: it imports
no database, web, warehouse, ingest or layouts code (import-linter checks it).

Modules: ``vocabulary`` (the shared words), ``registry`` (+ ``registry.toml``: every published figure's definition),
``norms`` (+ ``norms/*.toml``: bands, weights, categories), ``core`` (numbers, the report panel, the points scheme),
``ksp2016`` (Perdep 06/2016 health score), ``ksp2021`` (Juknis 15/2021 indicators), ``pearls`` (credit unions),
``finance`` (cooperatives without savings and loans), ``accountability`` (RAT, reporting, SHU, audit), ``digital``
(Go Digital), ``peers`` (peer groups, percentiles), ``cooperative`` (every cooperative's state at every month-end and
its snapshots), ``rollup`` (kabupaten/kota and province figures), ``methodology`` (the Metodologi page's content).
"""
