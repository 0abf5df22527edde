"""JupyterLab starts with the project's environment (which leaves rfc3987-syntax out of the
lock), serves the Lab page, lists the project's kernel and runs it."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.data import paths

pytestmark = pytest.mark.notebooks


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), "c5-test-token"
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1",
           *(["--allow-root"] if os.geteuid() == 0 else []),
           f"--port={port}", f"--IdentityProvider.token={token}", str(paths.NOTEBOOKS)]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a guard against a hang: the test waits for the server
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited: {proc.stderr.read()[-2000:]}")
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("jupyter lab did not answer within 60 s")
    yield base, token
    proc.terminate()
    proc.wait(timeout=20)


def _get(base, token, path, method="GET"):
    request = urllib.request.Request(f"{base}{path}?token={token}", method=method,
                                     data=b"{}" if method == "POST" else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def test_lab_page_and_kernel(lab):
    base, token = lab
    status, page = _get(base, token, "/lab")
    assert status == 200 and "JupyterLab" in page
    _, specs = _get(base, token, "/api/kernelspecs")
    specs = json.loads(specs)
    assert specs["default"] == "python3" and "python3" in specs["kernelspecs"]
    _, kernel = _get(base, token, "/api/kernels", method="POST")
    kernel = json.loads(kernel)
    assert kernel["name"] == "python3"
    _get(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")
    _, contents = _get(base, token, "/api/contents")
    names = {item["name"] for item in json.loads(contents)["content"]}
    assert {"00_sources.ipynb", "01_rare_earths.ipynb"} <= names
