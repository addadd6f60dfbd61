"""``bulletin preview``: open a built site (a pull request's ``site.zip``, unzipped) in the browser.

``python3 -m http.server`` answers a busy port or a wrong folder with an English
traceback or a directory listing, and listens on every interface unless told
not to. This serves only on 127.0.0.1, on port 8001 by default (another origin
than ``make serve``'s 8000: a pull request's pages cannot touch what the local
preview keeps in the browser), and says in Chinese what to do when it cannot.
"""

from __future__ import annotations

import errno
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

PORT = 8001


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002  one line a request is noise to an editor
        pass


def open_server(folder: Path, port: int) -> ThreadingHTTPServer:
    """A server of ``folder`` on 127.0.0.1:``port``; a ClickException in Chinese when it cannot be."""
    if not (folder / "index.html").is_file():
        raise click.ClickException(
            f"{folder} 里没有 index.html，不是构建好的网站：先把下载的 site.zip 解压成 site 文件夹，"
            f"再在它的上一级目录运行 bulletin preview site")
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(folder)))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"端口 {port} 已被占用（多半是另一个预览还开着）：在那个终端按 Ctrl+C 结束它，"
                f"或换一个端口：bulletin preview {folder} --port {port + 1}") from None
        raise click.ClickException(f"无法在端口 {port} 上预览：{exc.strerror}") from None


@click.command("preview")
@click.argument("folder", default="site", type=click.Path(path_type=Path))
@click.option("--port", default=PORT, show_default=True, type=click.IntRange(1024, 65535), help="端口")
def preview_command(folder: Path, port: int) -> None:
    """在浏览器里查看构建好的网站 FOLDER（默认 site，例如拉取请求下载的 site.zip 解压后的文件夹）。

    只在本机 http://127.0.0.1:端口/ 打开，别的电脑访问不到；按 Ctrl+C 结束。
    """
    server = open_server(folder, port)
    click.echo(f"正在预览 {folder}：请打开 http://127.0.0.1:{port}/ （只有本机能打开；按 Ctrl+C 结束）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("预览已结束")
    finally:
        server.server_close()
