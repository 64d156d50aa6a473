"""pytest plugin of scripts/test (loaded with -p): a test run fails on any WARNING or ERROR
that Odoo logs, during the install or the tests."""

import os
import re

import pytest

PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")


def _odoo_log_problems():
    problems = []
    for path in filter(None, os.environ.get("CREDIT_DUNNING_ODOO_LOGS", "").split(":")):
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = log.read().splitlines()
        for index, line in enumerate(lines):
            if PROBLEM.match(line):
                problems.append(f"{os.path.basename(path)}: {line}")
                # keep the traceback that follows an error
                for follow in lines[index + 1 : index + 15]:
                    if re.match(r"^\d{4}-\d\d-\d\d ", follow):
                        break
                    problems.append("    " + follow)
    return problems


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    problems = _odoo_log_problems()
    session.config._credit_dunning_log_problems = problems
    if problems and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    problems = getattr(config, "_credit_dunning_log_problems", [])
    if problems:
        terminalreporter.section("Odoo log: warnings and errors", sep="=", red=True)
        for line in problems:
            terminalreporter.line(line)
        terminalreporter.line(
            f"The Odoo log has {sum(1 for p in problems if not p.startswith('    '))} "
            "warning(s) or error(s): the run fails."
        )
