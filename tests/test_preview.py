"""``bulletin preview``: a downloaded site on 127.0.0.1 only, a Chinese line (never a traceback)
when the port is busy or the folder is not a site."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BULLETIN = Path(sys.executable).parent / "bulletin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<title>档案</title>首页", encoding="utf-8")
    return site


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BULLETIN), "preview", *args], cwd=tmp_path, capture_output=True, text=True, timeout=60)


def test_serves_the_site_on_loopback_and_stops_on_ctrl_c(tmp_path):
    _site(tmp_path)
    port = _free_port()
    proc = subprocess.Popen([str(BULLETIN), "preview", "--port", str(port)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    body = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
        assert "首页" in body
        if shutil.which("ss"):  # bound to loopback only, not every interface
            listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
            assert [line.split()[3] for line in listening.splitlines()] == [f"127.0.0.1:{port}"], listening
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out and "预览已结束" in out
    assert "Traceback" not in err


def test_a_busy_port_is_one_chinese_line(tmp_path):
    _site(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _run(tmp_path, "site", "--port", str(port))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (f"错误：端口 {port} 已被占用（多半是另一个预览还开着）：在那个终端按 Ctrl+C 结束它，"
                                   f"或换一个端口：bulletin preview site --port {port + 1}")


def test_a_folder_that_is_not_a_site_is_one_chinese_line(tmp_path):
    (tmp_path / "site.zip").write_bytes(b"PK")
    proc = _run(tmp_path, "site")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("错误：site 里没有 index.html") and "解压" in proc.stderr
