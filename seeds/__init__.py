"""Demo and reference data loaders. `flask seed demo` runs DEMO_STEPS in order; each step is
idempotent (it finds existing rows by natural key and only adds what is missing)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "credwork-demo-2026"

# Later capabilities append their own loader modules here.
DEMO_STEPS = [
    "seeds.organisations",
    "seeds.skills",
    "seeds.catalogue",
    "seeds.quality",
    "seeds.job_roles",
    "seeds.cpd",
    "seeds.credentials",
    "seeds.apprenticeships",
    "seeds.recruitment",
]


def load_demo(log=print) -> None:
    for dotted in DEMO_STEPS:
        module = import_module(dotted)
        module.load(log=log)
