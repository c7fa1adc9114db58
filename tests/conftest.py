import sys
from collections import Counter


def pytest_terminal_summary(terminalreporter):
    """The fuzzing figures per role, when the fuzz tests ran."""
    fuzz = sys.modules.get("tests.test_api_fuzz")
    if fuzz is None or not fuzz.FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("API fuzzing")
    write(f"{'role':<12}{'calls':>10}{'5xx':>8}{'violations':>12}")
    for role, figures in [*fuzz.FIGURES.items(), ("all", sum(fuzz.FIGURES.values(), start=Counter()))]:
        write(f"{role:<12}{figures['calls']:>10}{figures['5xx']:>8}{figures['violations']:>12}")
