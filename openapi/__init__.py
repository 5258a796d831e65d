"""The documented contracts, installed as package data `simulator.openapi` (see setup.py)."""
