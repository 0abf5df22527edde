"""Writing fails: a file-size limit (RLIMIT_FSIZE, as a full disk would) while the build
writes, a reports folder that cannot be written (docs/reliability.md, "Disk")."""

import os
import resource

import pytest

from .faultlib import GOOD_MATRIX, assert_no_build_left, c5, config, make_project, snapshot

pytestmark = pytest.mark.notebooks


def limited(size):
    def preexec():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return preexec


def test_a_file_size_limit_while_writing_keeps_the_published_set(tmp_path, marker):
    project = make_project(tmp_path)
    matrix = config(project, GOOD_MATRIX)
    assert c5("reports", "--config", matrix, "--jobs", "1").returncode == 0
    before = snapshot(project / "reports")
    # 4 KiB: the executed notebook, its page and the index cannot be written
    result = c5("reports", "--config", matrix, "--jobs", "1", "--force",
                preexec_fn=limited(4096))
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "File too large" in result.stdout + result.stderr
    assert "hello: OSError: [Errno 27] File too large (last good report kept, marked stale)" \
        in result.stdout, result.stdout
    current = snapshot(project / "reports")
    assert current == before or current[1]["hello.html"] == before[1]["hello.html"]
    assert assert_no_build_left(marker, project / "reports") == []
    again = c5("reports", "--config", matrix, "--jobs", "1")  # the limit lifted: recovers
    assert again.returncode == 0, again.stderr


def test_a_reports_folder_that_cannot_be_written(tmp_path):
    project = make_project(tmp_path)
    (project / "reports").write_text("a file where the folder should be\n")
    result = c5("reports", "--config", config(project, GOOD_MATRIX))
    assert result.returncode == 2, result.stderr
    assert "c5: cannot write in the reports directory" in result.stderr
    assert "nothing ran, the published reports are unchanged" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_reports_folder(tmp_path):
    project = make_project(tmp_path)
    (project / "reports").mkdir()
    (project / "reports").chmod(0o555)
    try:
        result = c5("reports", "--config", config(project, GOOD_MATRIX))
    finally:
        (project / "reports").chmod(0o755)
    assert result.returncode == 2 and "Permission denied" in result.stderr, result.stderr
