"""Only what pyproject.toml cannot say: the top-level openapi/ and scenarios/ directories ship
inside the package as `simulator.openapi` and `simulator.scenarios` (one source, no copies).

`[tool.setuptools.packages.find]` cannot add a package that lives outside the `simulator/` tree,
so the package list is built here; everything else is in pyproject.toml.
"""
from setuptools import find_namespace_packages, setup

DATA_PACKAGES = {"simulator.openapi": "openapi", "simulator.scenarios": "scenarios"}

setup(
    packages=[*find_namespace_packages(include=["simulator", "simulator.*"]), *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
    # One package_data for all: a [tool.setuptools.package-data] table in pyproject.toml would replace it.
    package_data={**{name: ["*.yaml"] for name in DATA_PACKAGES}, "simulator.dashboard": ["static/*"],
                  "simulator.vendors.feldera": ["config_schemas.json"]},  # Feldera's config schemas
)
