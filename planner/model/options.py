"""Options of the formulation: which optional strengthening families :func:`build_model` adds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelOptions:
    """How to build the model. Every choice gives the same optimum; they differ in LP strength and size.

    - ``demand_cover``: add the facility-location inequalities of :mod:`planner.model.demand_cover`
      (a much tighter LP relaxation, offers × T × H more columns and rows).
    - ``useful_quantity``: bound each line by what is still required from its arrival on
      (:mod:`planner.model.useful_quantity`): one row per line; off by default, its LP gain was small
      (root LP of S: 128 086 without, 128 132 with).
    - ``cover_horizon``: H, how many periods after its arrival a line may cover in that family. ``None``
      = automatic: the whole horizon when the family stays within ``cover_budget`` cover variables,
      else no cover at all. The family pays on lot-sizing structure (the TTM instances, at most 11 000
      cover variables) but its LP is hard for HiGHS at size: on the generated M instance the full
      cover (70 000 variables) and the window H = 4 (19 000) both kept HiGHS from finishing the root
      LP within 60 s on a loaded 2-core machine; without it the root bound came in 4 s.
    """

    demand_cover: bool = True
    useful_quantity: bool = False
    cover_horizon: int | None = None
    cover_budget: int = 12_000
