"""A contract-testing simulator of five vendors' long-running-job APIs, on a virtual clock."""
__version__ = "0.1.0"
