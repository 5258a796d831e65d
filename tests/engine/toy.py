"""A vendor made of nothing but lifecycles, so engine tests need no real vendor."""
from dataclasses import dataclass, field


@dataclass
class Toy:
    lifecycles: tuple
    name: str = "toy"
    auth_schema: object = None
    settings_schema: object = None
    fields_schemas: dict = field(default_factory=dict)
    id_patterns: dict = field(default_factory=dict)
    seed: object = None
