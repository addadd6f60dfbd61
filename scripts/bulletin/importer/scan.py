"""Scans and photos of a page: refused by size before decoding, then OCR with rapidocr.

rapidocr's wheel ships its PP-OCR models (detection, direction, recognition)
and runs them with onnxruntime: nothing is downloaded, at install or at run
time. Each text line comes back as a box with its text and confidence; the
height of the ink inside it gives the type size the layout stages compare. A slightly
turned scan is levelled from the boxes' own slope before reading order.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from bulletin.importer.layoutorder import deskew, skew
from bulletin.importer.normalize import InputError
from bulletin.importer.ocrink import read_line
from bulletin.importer.ocrreread import Runnerups, reread
from bulletin.importer.pagestages import Box
from bulletin.importer.rawfile import shown

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}
MAX_PIXELS = 64_000_000  # a 48-megapixel phone photo fits; 20,000 x 20,000 does not
MAX_FRAMES = 500
# The recogniser reads half of a dash pair as 一 (新路径一—): 一 never stands beside a dash.
_DASHES = re.compile("一—|—一")
OCR_SIDE = 2400  # longest side OCR sees: body text of an A3 page at 200 dpi stays ~20 px high
DETECT_SIDE = 1600
_engine = None
_runnerups: dict = {}  # "seen": the recogniser's runner-ups of the page being read


def _ocr():
    global _engine
    if _engine is None:
        from rapidocr import RapidOCR  # onnxruntime and the models: loaded on the first scan only

        # No direction classifier: pages are upright (photos turned by their EXIF), and it costs 10%.
        # Lines are found on the page shrunk to DETECT_SIDE (a body line stays ~14 px high there) and
        # read from the OCR_SIDE page: detection 2.5x faster, 400 MB less, no worse on the benchmark.
        _engine = RapidOCR(params={"Global.log_level": "error", "Global.max_side_len": OCR_SIDE, "Global.use_cls": False,
                                   "Det.limit_type": "max", "Det.limit_side_len": DETECT_SIDE,
                                   # One thread: the recogniser's small batches kept a second thread
                                   # spinning, not working (a page: 8.4 s on one, 12.4 s on two).
                                   "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                                   "EngineConfig.onnxruntime.inter_op_num_threads": 1})
        # The recogniser, to keep its runner-up readings (ocrreread); a rapidocr without this
        # (private) hook reads as before, without second readings.
        load = getattr(_engine, "_load_rec_model", None)
        rec = load() if load else None
        if rec is not None and hasattr(rec, "postprocess_op"):
            rec.postprocess_op = Runnerups(rec.postprocess_op)
            _runnerups.update(seen=rec.postprocess_op.seen)
    return _engine


def open_image(path: Path):
    """The image, checked by its header only: InputError for anything too big or not an image."""
    from PIL import Image, UnidentifiedImageError

    name = shown(path)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)  # reads the header, decodes nothing
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(f"{name}: 图片过大（超过 {MAX_PIXELS // 1_000_000} 百万像素），未读取；请缩小后导入") from None
    except UnidentifiedImageError:
        raise InputError(f"{name}: 不是可识别的图片文件") from None
    except OSError as exc:
        if exc.errno is None:  # Pillow's own complaint about the data
            raise InputError(f"{name}: 图片文件已损坏，无法识别（{exc}）") from None
        raise InputError(f"{name}: 无法读取（{exc.strerror or exc}）") from None
    w, h = img.size
    if w * h > MAX_PIXELS or max(w, h) > 30_000:
        img.close()
        raise InputError(f"{name}: 图片过大（{w}×{h} 像素，上限 {MAX_PIXELS // 1_000_000} 百万像素），未读取；请缩小后导入")
    if getattr(img, "n_frames", 1) > MAX_FRAMES:
        img.close()
        raise InputError(f"{name}: 图片有 {img.n_frames} 帧，超过上限 {MAX_FRAMES}")
    return img


def frames(path: Path) -> Iterator[tuple[int, object]]:
    """(1-based frame, a function decoding it as upright RGB): one for a photo, each page of a TIFF."""
    from PIL import ImageOps

    img = open_image(path)

    def decode(k: int):
        try:
            img.seek(k)
            w, h = img.size
            if w * h > MAX_PIXELS:
                raise InputError(f"{shown(path)}: 第 {k + 1} 帧过大（{w}×{h} 像素），未读取")
            return ImageOps.exif_transpose(img.convert("RGB"))
        except InputError:
            raise
        except Exception as exc:  # truncated or corrupt image data
            raise InputError(f"{shown(path)}: 图片数据损坏，无法解码（{type(exc).__name__}: {exc}）") from None

    try:
        for k in range(getattr(img, "n_frames", 1)):
            yield k + 1, lambda k=k: decode(k)
    finally:
        img.close()


def ocr_boxes(image) -> list[Box]:
    """The text lines OCR reads on ``image``, levelled, as boxes with confidences."""
    import cv2
    import numpy as np

    # Grey: scans are, and the recogniser reads a photo as well without its colours. A 3x3
    # median takes out scanner grain and JPEG speckle that make thin strokes ambiguous (门 read
    # as 内 twice as often without it on the benchmark's scans); OpenCV's is ten times PIL's speed.
    grey = np.asarray(image.convert("L"))
    engine = _ocr()
    runnerups = _runnerups.get("seen", {})
    runnerups.clear()
    result = engine(cv2.medianBlur(grey, 3), return_word_box=True, return_single_char_box=True)
    # The spaces are measured on the page as scanned: the median erases thin strokes (一).
    return boxes_of(result, grey, runnerups)


def boxes_of(result, grey, runnerups: dict | None = None) -> list[Box]:
    """rapidocr's ``result`` on the page ``grey`` -> levelled boxes around each line's ink, unsure
    look-alikes re-read (:mod:`ocrreread`, from ``runnerups``), the spaces and marks the recogniser
    left out put back (:mod:`ocrink`)."""
    if result.boxes is None or not len(result.boxes):
        return []
    quads = [[(float(x), float(y)) for x, y in q] for q in result.boxes]
    words = result.word_results if result.word_results and len(result.word_results) == len(quads) else [()] * len(quads)
    lines = []
    for q, t, ws in zip(quads, result.txts, words):
        chars = [(w[0], _centre(w[2])) for w in ws]
        fixed = reread(t, (runnerups or {}).get(t))
        if fixed != t and "".join(c for c, _ in chars) == t:  # one character a word: the places stay
            chars = [(c, xy) for c, (_, xy) in zip(fixed, chars)]
        lines.append(read_line(grey, q, fixed, chars))
    texts, quads = [_DASHES.sub("——", t) for t, _, _ in lines], [q for _, q, _ in lines]
    angle = skew([(q[0], q[1], len(t)) for q, t in zip(quads, texts)])
    boxes = []
    for q, text, score, (_, _, size) in zip(quads, texts, result.scores, lines):
        xs, ys = [p[0] for p in q], [p[1] for p in q]
        height = (math.dist(q[0], q[3]) + math.dist(q[1], q[2])) / 2
        cx, cy, width = sum(xs) / 4, sum(ys) / 4, (math.dist(q[0], q[1]) + math.dist(q[3], q[2])) / 2
        boxes.append(Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2,
                         text.strip(), size or height, False, float(score)))
    # The levelled centres keep each box's own width and height.
    return deskew(boxes, angle)


def _centre(quad) -> tuple[float, float]:
    return sum(p[0] for p in quad) / len(quad), sum(p[1] for p in quad) / len(quad)
