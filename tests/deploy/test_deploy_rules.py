"""stylizer.rules: the pure input rules the Lambdas share with the container (limits, GIF header scan,
catalogue entries, option parsing). Nothing in it imports outside the standard library and itself, at any
level; the Lambda zip holds nothing else of stylizer; the container keeps its old import paths."""
import ast
import sys
from pathlib import Path

import pytest

from pipeline.deploy import package

RULES = package.STYLIZER_ROOT / "stylizer" / "rules"


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every import in the file, function-level ones included; relative ones as `.name`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


@pytest.mark.parametrize("path", sorted(RULES.glob("*.py")), ids=lambda p: p.name)
def test_rules_import_only_the_standard_library_and_each_other(path):
    for name in imported_modules(path):
        if name.startswith("."):
            assert not name.startswith(".."), f"{path.name} reaches out of the rules: {name}"
            continue
        assert name.split(".")[0] in sys.stdlib_module_names or name == "__future__", f"{path.name}: {name}"


def test_the_lambdas_reach_only_the_rules():
    modules = set(package.stylizer_modules())
    assert modules == {"stylizer", "stylizer.rules", *(f"stylizer.rules.{p.stem}" for p in RULES.glob("*.py")
                                                        if p.stem != "__init__")}


def test_a_lambda_reaching_the_engine_even_lazily_stops_the_build(tmp_path, monkeypatch):
    (tmp_path / "lambdas").mkdir()
    (tmp_path / "lambdas" / "sneaky.py").write_text(
        "from stylizer.rules.limits import Limits\n\n\ndef handler(event, context):\n"
        "    from stylizer.catalogue import load_style  # numpy behind it\n    return load_style\n")
    monkeypatch.setattr(package, "ROOT", tmp_path)
    with pytest.raises(package.PackageError, match="lambdas.sneaky imports stylizer.catalogue"):
        package.stylizer_modules()


def test_the_container_keeps_its_import_paths_with_the_same_objects():
    from stylizer import catalogue, exceptions, gifheader, limits
    from stylizer.rules import catalogue as rules_catalogue, errors, gifheader as rules_gifheader, options
    from stylizer.rules import limits as rules_limits
    from stylizer.serving import input as serving_input

    assert limits.Limits is rules_limits.Limits
    assert gifheader.scan_gif is rules_gifheader.scan_gif and gifheader._Cursor is rules_gifheader._Cursor
    assert catalogue.list_styles is rules_catalogue.list_styles and callable(catalogue.load_style)
    assert exceptions.InputTooLarge is errors.InputTooLarge and issubclass(exceptions.WeightsError,
                                                                           errors.StylizerError)
    assert serving_input.parse_options is options.parse_options and serving_input.BadRequest is errors.BadRequest
