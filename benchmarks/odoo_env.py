"""Helpers shared by the benchmark scripts: find Odoo and PostgreSQL the way
scripts/test does, build the addons path, open an environment."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OCA_PACKAGES = {
    "account_credit_control": "odoo-addon-account-credit-control",
    "account_financial_risk": "odoo-addon-account-financial-risk",
    "sale_financial_risk": "odoo-addon-sale-financial-risk",
}


def check_odoo():
    try:
        import odoo.release  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "error: Odoo cannot be imported by this Python.\n"
            "  Install Odoo 19.0 Community (its requirements.txt, then "
            "'pip install -e <odoo checkout>'), or run this script with the Python "
            "of an existing Odoo 19 installation."
        )
    if not odoo.release.serie.startswith("19.0"):
        sys.exit(f"error: Odoo {odoo.release.serie} found, credit_dunning needs 19.0")


def shell_lib(function):
    """Run a function of scripts/lib.sh (ensure_postgres, ...)."""
    subprocess.run(
        ["bash", "-c", f'source "{REPO}/scripts/lib.sh"; {function}'],
        check=True,
        env=dict(os.environ, ODOO_PYTHON=sys.executable),
    )


def ensure_oca_modules():
    """The peers are benchmarked, never depended on: installed without their
    dependencies, from PyPI, when missing."""
    import odoo.addons  # noqa: PLC0415

    missing = [
        package
        for module, package in OCA_PACKAGES.items()
        if not any(Path(p, module).is_dir() for p in odoo.addons.__path__)
    ]
    if missing:
        print(f"Installing the OCA peers for comparison: {' '.join(missing)}")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", *missing],
            check=True,
        )


def addons_path(work_dir):
    """Odoo's addons, the OCA peers and this checkout exposed as
    credit_dunning."""
    import odoo.addons  # noqa: PLC0415

    paths = [p for p in odoo.addons.__path__ if os.path.isdir(p)]
    for base in list(paths):
        checkout = os.path.join(os.path.dirname(os.path.dirname(base)), "addons")
        if os.path.isdir(os.path.join(checkout, "account")) and checkout not in paths:
            paths.append(checkout)
    link_dir = Path(work_dir, "addons")
    link_dir.mkdir(parents=True, exist_ok=True)
    link = link_dir / "credit_dunning"
    if not link.exists():
        link.symlink_to(REPO)
    paths.append(str(link_dir))
    return ",".join(paths)


@contextlib.contextmanager
def odoo_env(db, addons, logfile):
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            f"--addons-path={addons}",
            f"--database={db}",
            "--log-level=warn",
            f"--logfile={logfile}",
            "--http-interface=127.0.0.1",
        ],
        setup_logging=True,
    )
    registry = Registry(db)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
