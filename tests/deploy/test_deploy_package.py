"""The Lambda zip: self-contained for our code, light (no numpy/TensorFlow), no catalogue paintings."""
import io
import os
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from pipeline.deploy import functions, package


@pytest.fixture(scope="module")
def archive():
    data = package.build_zip()
    assert package.build_zip() == data  # reproducible: the content hash names the S3 key
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.fixture(scope="module")
def unpacked(archive, tmp_path_factory):
    target = tmp_path_factory.mktemp("lambda")
    archive.extractall(target)
    return target


def test_contents(archive):
    # The names in the zip itself: the import tests below run Python inside `unpacked`, whatever the order.
    names = set(archive.namelist())
    assert "stylizer/catalogue/styles.json" in names
    assert not [n for n in names if n.endswith((".jpg", ".pyc"))]
    assert any(n.startswith("lambdas/send_email/templates/") for n in names)
    assert not {"stylizer/transfer.py", "stylizer/gif.py", "stylizer/features.py"} & names


@pytest.mark.parametrize("function", functions.ALL_FUNCTIONS, ids=lambda f: f.name)
def test_each_handler_imports_from_the_zip_alone(unpacked, function):
    """-S: no site processing, so the editable install of this repo is invisible; site-packages is added by
    hand only for what the Powertools layer and the runtime provide (powertools, pydantic, boto3)."""
    module, _, attribute = function.handler.rpartition(".")
    code = (f"import sys; sys.path[:0] = [{str(unpacked)!r}, {sysconfig.get_paths()['purelib']!r}]\n"
            f"import {module} as m; assert callable(m.{attribute})\n"
            "assert m.__file__.startswith(sys.path[0]), m.__file__\n"
            "heavy = sorted({'numpy', 'tensorflow', 'keras', 'cv2', 'imageio'} & set(sys.modules))\n"
            "assert not heavy, heavy\n"
            "from stylizer.rules.catalogue import list_styles; assert list_styles()\n")
    env = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1"}
    result = subprocess.run([sys.executable, "-S", "-B", "-c", code], cwd=unpacked, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
