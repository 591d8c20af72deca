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
      = automatic (:func:`planner.model.demand_cover.cover_horizon`): the whole horizon when the family
      stays within ``cover_budget`` cover variables, else no cover at all. It pays on uncapacitated
      structure (the example: proven in 4 s with it, 17 s without) and, through its restated supplier
      capacity, under a shared capacity with setup times (the TTM instance tr24-30: proven in 207 s
      with it, 0.04 % from the bound after 1 500 s without), but its LP is hard for HiGHS at size (on
      the generated M instance neither the full cover, 70 000 variables, nor the window H = 4,
      19 000, let HiGHS finish the root LP within 60 s).
    - ``big_m``: the straightforward model of the benchmarks: every line bounded by this constant
      (and the hard limits of the offer and supplier) instead of what the item can still use.
    """

    demand_cover: bool = True
    useful_quantity: bool = False
    cover_horizon: int | None = None
    cover_budget: int = 12_000
    big_m: float | None = None
