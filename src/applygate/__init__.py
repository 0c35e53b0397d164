"""applygate: a gate for irreversible operations in CI."""

__version__ = "0.1.0"
