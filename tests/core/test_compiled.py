"""The compiled copies of the import's busiest modules (trellis/compiled.py): loaded only while
their source is the one they were built from."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

from trellis import compiled

PROBE = "trellis_probe.rows"
SOURCE = '''
def shaped(record: dict) -> list:
    """A row's values, as the import's modules make them: plain Python."""
    return sorted(record.items())
'''


def test_a_module_runs_compiled_only_while_its_source_is_the_one_built(tmp_path: Path):
    sources, build = tmp_path / "src", tmp_path / "build"
    (sources / "trellis_probe").mkdir(parents=True)
    (sources / "trellis_probe" / "__init__.py").write_text("")
    source = sources / "trellis_probe" / "rows.py"
    source.write_text(SOURCE)
    assert compiled.current([PROBE], sources, build) == {}  # never built

    recorded = compiled.build([PROBE], sources, build)
    assert recorded == {PROBE: compiled.digest(source)}
    copies = compiled.current([PROBE], sources, build)
    assert copies == {PROBE: compiled.compiled_of(PROBE, build)}

    sys.path.insert(0, str(sources))
    finder = compiled._Finder(copies)
    sys.meta_path.insert(0, finder)
    try:
        module = importlib.import_module(PROBE)
        assert module.__file__ == str(copies[PROBE])
        assert module.__file__.endswith(compiled.SUFFIX)
        assert module.shaped({"b": 2, "a": 1}) == [("a", 1), ("b", 2)]
    finally:
        sys.meta_path.remove(finder)
        sys.path.remove(str(sources))
        for name in (PROBE, "trellis_probe"):
            sys.modules.pop(name, None)

    source.write_text(SOURCE + "\nEDITED = True\n")  # an edit after the build
    assert compiled.current([PROBE], sources, build) == {}
    (build / compiled.MANIFEST).write_text("{")  # a manifest cut short
    source.write_text(SOURCE)
    assert compiled.current([PROBE], sources, build) == {}


def test_the_import_modules_run_compiled_exactly_where_their_build_is_current():
    for name in compiled.MODULES:
        importlib.import_module(name)
    current = compiled.current()
    wanted = {} if os.environ.get("TRELLIS_COMPILED") == "0" else current
    running = {
        name: Path(sys.modules[name].__file__ or "")
        for name in compiled.MODULES
        if (sys.modules[name].__file__ or "").endswith(compiled.SUFFIX)
    }
    assert running == wanted
    if os.environ.get("TRELLIS_COMPILED") == "1":  # `make test`: the build must be what runs
        assert sorted(running) == sorted(compiled.MODULES)


def test_trellis_compiled_0_runs_every_module_from_its_source():
    probe = "import trellis.core.hsds.tabular as m; print(m.__file__)"
    ran = subprocess.run(
        [sys.executable, "-c", probe],
        env=os.environ | {"TRELLIS_COMPILED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip() == str(compiled.source_of("trellis.core.hsds.tabular"))


def test_no_listed_module_finds_files_through_its_own_path():
    """A compiled copy's __file__ is in build/compiled/, where no data files are."""
    for name in compiled.MODULES:
        assert "__file__" not in compiled.source_of(name).read_text(encoding="utf-8"), name
