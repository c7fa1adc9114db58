def load(ctx: dict) -> None:
    """Demo data of this module (see web/management/commands/load_demo.py)."""
