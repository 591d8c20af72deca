"""planner: a just-in-time order planner.

Which materials to order, from which supplier, how much and when: the cheapest plan that keeps
production running with as little stock as possible. The pipeline, each step a plain function::

    data = planner.read_workbook("plan.xlsx")        # or planner.from_frames({...})
    result = planner.solve(data, planner.SolveOptions(time_limit=60))
    result.orders, result.inventory                  # the plan as pandas tables
    planner.write_result(result, "plan-plan.xlsx")
"""

from planner.api import from_frames, read_workbook
from planner.data import PlanningData, Settings
from planner.errors import InputError, PlannerError, PlannerWarning, Problem, UnreadableFileError
from planner.plan import Plan, evaluate
from planner.solve import Progress, Result, SolveOptions, Status, solve
from planner.write import default_output, write_result

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "Plan",
    "PlannerError",
    "PlannerWarning",
    "PlanningData",
    "Problem",
    "Progress",
    "Result",
    "Settings",
    "SolveOptions",
    "Status",
    "UnreadableFileError",
    "default_output",
    "evaluate",
    "from_frames",
    "read_workbook",
    "solve",
    "write_result",
    "__version__",
]
