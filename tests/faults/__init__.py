"""The fault-injection suite (docs/reliability.md): a package, so its conftest is ``faults.conftest``."""
