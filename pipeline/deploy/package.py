"""The Lambda deployment package: one zip for every function (handlers differ by `Handler`).

Contents: the `lambdas` package (code and e-mail templates) and the stylizer modules the functions reach:
every import in lambdas/ and in the modules they reach, function-level ones too (they run in the Lambda),
transitively. Those must all lie in `stylizer.rules`, the pure rules shared with the container: a Lambda
that reaches any other stylizer module (the engine, numpy/TensorFlow behind it) stops the build. The
catalogue ships its styles.json, not the paintings.
Third-party code (Powertools, pydantic, X-Ray SDK) comes from the public Powertools layer; boto3 from the
runtime. The zip is reproducible (fixed timestamps, sorted entries), so its hash names its S3 key.
"""
from __future__ import annotations

import ast
import hashlib
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STYLIZER_ROOT = ROOT / "containers" / "stylizer"
DATA_FILES = ["stylizer/catalogue/styles.json"]
SKIP_PARTS = {"__pycache__", "tests"}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _module_path(module: str) -> Path | None:
    base = (STYLIZER_ROOT if module.split(".")[0] == "stylizer" else ROOT) / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, module: str, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return {name for name in found if name.split(".")[0] in ("stylizer", "lambdas")}


class PackageError(RuntimeError):
    """A Lambda reaches a stylizer module outside stylizer.rules."""


RULES = "stylizer.rules"
ALLOWED = (RULES, "stylizer")  # the rules, and the package __init__ their import runs (a version string)


def stylizer_modules() -> dict[str, Path]:
    """stylizer modules the Lambdas need, with their packages' __init__ files: module name → source file."""
    pending: dict[str, str] = {}  # module → who imports it (for the error)
    for path in (ROOT / "lambdas").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        pending.update({m: module for m in _imports(path, module, top_level_only=False) if m.startswith("stylizer")})
    found: dict[str, Path] = {}
    while pending:
        module, importer = pending.popitem()
        path = _module_path(module)
        if path is None or module in found:
            continue  # a name imported from a module, not a module
        if not (module in ALLOWED or module.startswith(RULES + ".")):
            raise PackageError(f"{importer} imports {module}: the Lambdas may import only {RULES} (pure rules)")
        found[module] = path
        parent = module.rpartition(".")[0]
        if parent:
            pending.setdefault(parent, module)
        pending.update({m: module for m in _imports(path, module, top_level_only=False) if m not in found})
    return found


def files() -> dict[str, Path]:
    """Archive name → source file."""
    out = {str(path.relative_to(ROOT)): path for path in sorted((ROOT / "lambdas").rglob("*"))
           if path.is_file() and not SKIP_PARTS & set(path.parts) and path.suffix != ".pyc"}
    for path in stylizer_modules().values():
        out[str(path.relative_to(STYLIZER_ROOT))] = path
    for name in DATA_FILES:
        out[name] = STYLIZER_ROOT / name
    return dict(sorted(out.items()))


def build_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in files().items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def code_key(data: bytes, prefix: str) -> str:
    """Content-addressed key: a changed package is a changed property, so CloudFormation updates the code."""
    return f"{prefix}lambdas-{hashlib.sha256(data).hexdigest()[:16]}.zip"
