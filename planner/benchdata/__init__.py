"""Benchmark instances for the planner, as input workbooks (docs/workbook.md).

- :mod:`planner.benchdata.generate` — seeded generator of realistic instances, sizes S, M, L, XL.
- :mod:`planner.benchdata.ttm` — reader for the Trigeiro, Thomas & McClain (1989) lot-sizing files and
  their mapping onto the workbook, with the LOTSIZELIB "tr" instances and their published optima.
- :mod:`planner.benchdata.workbook_io` — writes one DataFrame per sheet to an .xlsx.

The submodules are not imported here, so that ``python -m planner.benchdata.generate`` runs cleanly.
"""
