"""Attacks (issue 11): links in an HSDS package that lead outside its folder.

`trellis hsds import PATH` reads what the folder holds and nothing else. A file in it that is a
link to somewhere else (another folder's data, /etc/passwd), a linked datapackage.json or a
linked folder of JSON records is refused: the import stops, the problem names the link, and
nothing is stored. (`test_attacks.py` covers datapackage.json naming `../x` or an absolute path.)
Trellis takes no file uploads over the web (settings: bodies only), so the CLI is the way in.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from trellis.cli import main
from trellis.directory.models import Organization, Service

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "hsds"
PACKAGE = DATA / "sample-hsds-datapackage-1.1" / "simple"  # a clean 1.1 CSV package
API_DUMP = DATA / "mock-hsds-api-3.0"  # HSDS 3.0 JSON laid out as services/<id>.json …
FIRST_SERVICE = sorted(p.name for p in (API_DUMP / "services").iterdir())[0]


def moved_out(relative: str) -> Callable[[Path, Path], None]:
    """Move the package's file or folder out, and leave a link to it in its place."""

    def change(package: Path, outside: Path) -> None:
        target = outside / Path(relative).name
        shutil.move(package / relative, target)
        os.symlink(target, package / relative)

    return change


def without_datapackage(change: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    """The same with no datapackage.json, so the folder's *.csv files are read by name."""

    def both(package: Path, outside: Path) -> None:
        (package / "datapackage.json").unlink()
        change(package, outside)

    return both


def linked_to_passwd(package: Path, outside: Path) -> None:
    (package / "services.csv").unlink()
    os.symlink("/etc/passwd", package / "services.csv")


# name: (source, how the copy is changed, the link the problem must name)
LINKS = {
    "a declared table": (PACKAGE, moved_out("organizations.csv"), "datapackage.json"),
    "a CSV read by its name": (
        PACKAGE,
        without_datapackage(moved_out("organizations.csv")),
        "organizations.csv",
    ),
    "a CSV linked to /etc/passwd": (
        PACKAGE,
        without_datapackage(linked_to_passwd),
        "services.csv",
    ),
    "the datapackage.json": (PACKAGE, moved_out("datapackage.json"), "datapackage.json"),
    "a JSON record file": (
        API_DUMP,
        moved_out(f"services/{FIRST_SERVICE}"),
        f"services/{FIRST_SERVICE}",
    ),
    "a folder of JSON records": (API_DUMP, moved_out("services"), "services"),
}


@pytest.mark.parametrize("what", sorted(LINKS))
def test_a_link_leading_outside_the_package_is_refused_by_name_and_nothing_is_stored(
    tmp_path, capsys, what
):
    source, change, named = LINKS[what]
    package, outside = tmp_path / "package", tmp_path / "outside"
    shutil.copytree(source, package)
    outside.mkdir()
    change(package, outside)

    code = main(["hsds", "import", str(package)])
    out, err = capsys.readouterr()

    assert code == 2
    report = json.loads(out)
    assert report["imported"] is False
    refused = [p for p in report["problems"] if "outside the package folder" in p["reason"]]
    assert [p["file"] for p in refused] == [named]
    assert named in err
    assert "root:" not in out + err  # nothing of the linked file is echoed back
    assert (Organization.objects.count(), Service.objects.count()) == (0, 0)


def test_a_link_to_a_file_inside_the_package_is_read_as_usual(tmp_path, capsys):
    package = tmp_path / "package"
    shutil.copytree(PACKAGE, package)
    (package / "datapackage.json").unlink()
    (package / "data").mkdir()
    shutil.move(package / "organizations.csv", package / "data" / "organizations.csv")
    os.symlink(package / "data" / "organizations.csv", package / "organizations.csv")

    assert main(["hsds", "import", str(package)]) == 0
    assert Organization.objects.count() == 10
