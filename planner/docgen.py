"""Generate docs/model.md from the model's own docstrings, so the documentation never drifts.

python -m planner.docgen > docs/model.md
"""

from __future__ import annotations

import inspect

from planner import model as model_package
from planner.model import build_model


def model_families() -> list:
    """The ``define_*`` functions in the order :func:`build_model` calls them."""
    source = inspect.getsource(build_model)
    names = [line.strip().split("(")[0] for line in source.splitlines() if line.strip().startswith("define_")]
    return [getattr(model_package, name) for name in names]


def render() -> str:
    lines = [
        "# The model",
        "",
        "Generated from the docstrings of `planner/model/` by `python -m planner.docgen`;",
        "edit those, not this.",
        "Symbols: s supplier, i item, t and τ periods, k arrival period of a line; q quantity,",
        "y order line, z delivery, I on hand, B backlog, L lost, F shortfall below safety stock,",
        "r requirement, o open orders.",
        "",
        "`build_model()` calls, in this order:",
        "",
    ]
    for func in model_families():
        doc = inspect.cleandoc(func.__doc__ or "")
        module_doc = inspect.cleandoc(inspect.getmodule(func).__doc__ or "").splitlines()[0]
        lines += [f"## `{func.__name__}` — {module_doc}", "", doc, ""]
    from planner import cuts

    doc = inspect.cleandoc(cuts.__doc__ or "").splitlines()
    lines += [f"## Before the search (`planner/cuts.py`) — {doc[0]}", "", *doc[1:], ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render())
