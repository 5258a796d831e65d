"""The shipped scenarios, installed as package data `simulator.scenarios` (see setup.py)."""
