"""stylizer.quiet: library chatter written straight to file descriptor 2 while a package is imported."""
import subprocess
import sys
import textwrap
from pathlib import Path

STYLIZER = Path(__file__).resolve().parents[2] / "containers" / "stylizer"


def run(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    package = tmp_path / "noisy"
    package.mkdir(exist_ok=True)
    # what TensorFlow's C++ side does at import, past every log level: a raw write to fd 2
    (package / "__init__.py").write_text("import os\nos.write(2, b'oneDNN custom operations are on\\n')\nVALUE = 7\n")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=tmp_path, env={"PYTHONPATH": f"{tmp_path}:{STYLIZER}", "PATH": "/usr/bin:/bin"},
                          timeout=60)


def test_the_first_import_of_a_noisy_package_writes_nothing_and_stderr_comes_back(tmp_path):
    result = run(tmp_path, """
        import sys
        from stylizer.quiet import _QuietImport
        sys.meta_path.insert(0, _QuietImport("noisy"))
        import noisy
        assert noisy.VALUE == 7 and not any(isinstance(f, _QuietImport) for f in sys.meta_path)
        print("after", file=sys.stderr)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "after\n"


def test_without_the_finder_the_chatter_shows(tmp_path):
    result = run(tmp_path, "import noisy")
    assert "oneDNN custom operations are on" in result.stderr
