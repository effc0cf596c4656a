"""Vendor browser assets into static/vendor/ (placeholder until the Pyodide runtime lands)."""
from pathlib import Path

Path(__file__).resolve().parent.parent.joinpath("static", "vendor").mkdir(parents=True, exist_ok=True)
