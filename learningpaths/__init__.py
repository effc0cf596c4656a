"""learningpaths: a learning-path platform for AI education (Django project package)."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The one version fact is pyproject.toml's `version`; installed metadata carries it.
    __version__ = version("learningpaths")
except PackageNotFoundError:  # a checkout on sys.path without an install (e.g. PYTHONPATH=.)
    __version__ = "0+unknown"
