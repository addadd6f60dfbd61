"""What an OCR line's ink shows: spaces, dropped marks, type size (bulletin.importer.ocrink).

Synthetic lines: "characters" are drawn as two thin bars (a stroke pattern, never solid), on
a pitch of 28 px, with the recogniser's places off by a few pixels as CTC columns are.
"""

from __future__ import annotations

import numpy as np
import pytest
from bulletin.importer.ocrink import ink_middles, read_line, wide_gaps

PITCH, TOP, GLYPH = 28, 12, 25


def _page(xs: list[float], marks: dict[float, str] | None = None, width: int = 400) -> np.ndarray:
    grey = np.full((50, width), 235, dtype=np.uint8)
    for x in xs:
        a = int(x - GLYPH / 2)
        grey[TOP:TOP + GLYPH, a + 2:a + 5] = 20  # two strokes and a bar: a character, not a blob
        grey[TOP:TOP + GLYPH, a + GLYPH - 5:a + GLYPH - 2] = 20
        grey[TOP + 11:TOP + 14, a + 2:a + GLYPH - 2] = 20
    for x, kind in (marks or {}).items():
        if kind == "◆":
            for dy in range(-8, 9):
                half = 8 - abs(dy)
                grey[TOP + 12 + dy, int(x) - half:int(x) + half + 1] = 20
        else:  # a middle dot
            grey[TOP + 11:TOP + 14, int(x) - 1:int(x) + 2] = 20
    return grey


def _line(text: str, spaced: set[int], start: float = 30.0) -> list[float]:
    xs, x = [], start
    for i, _ in enumerate(text):
        xs.append(x)
        x += PITCH + (0.2 * PITCH if i in spaced else 0)
    return xs


def _read(grey, text: str, xs: list[float], jitter=(3, -2, 0, 4, -3, 1, 2, -4)):
    quad = [(0, 0), (grey.shape[1], 0), (grey.shape[1], grey.shape[0]), (0, grey.shape[0])]
    places = [(x + jitter[i % len(jitter)], 25.0) for i, x in enumerate(xs)]
    return read_line(grey, quad, text, list(zip(text, places)))


def test_a_byline_gets_its_spaces_back():
    text = "记者安晨莹刘耀谷"
    xs = _line(text, {1, 4})
    got, _, _ = _read(_page(xs), text, xs)
    assert got == "记者 安晨莹 刘耀谷"


def test_evenly_set_text_gets_no_space():
    text = "街道在辖区广场开展宣传活动"
    xs = _line(text, set())
    got, _, _ = _read(_page(xs), text, xs)
    assert got == text


def test_justified_line_is_judged_by_its_own_pitch():
    """A line spread to the column (every gap a little wider) is not full of spaces."""
    text = "居民们是怎样自己商量着把事情"
    xs = [30 + i * PITCH * 1.15 for i in range(len(text))]
    got, _, _ = _read(_page(xs, width=600), text, xs)
    assert got == text


def test_gaps_need_a_usual_pitch_and_full_width_pairs():
    assert wide_gaps("社区动态", [0, 34, 68, 102]) == set()  # letter-spaced throughout: nothing to compare with
    assert wide_gaps("张三李", [0, 34, 62]) == set()  # two pairs only
    assert wide_gaps("甲，乙丙丁", [0, 34, 62, 90, 118]) == set()  # a comma carries its own blank
    assert wide_gaps("记者王敏读报", [0, 28, 62, 90, 118, 146]) == {1}


def test_ink_middles_ignore_specks_and_pieces_go_to_the_nearest_place():
    profile = np.zeros(120, dtype=int)
    profile[10:14] = 5  # left piece of the first character
    profile[20:24] = 5  # right piece
    profile[40:52] = 6  # second character
    profile[70] = 1  # a speck
    middles, centres = ink_middles(profile, [19.0, 44.0, 72.0])
    assert middles[:2] == [16.5, 45.5] and centres[:2] == [16.5, 45.5]
    assert middles[2] == centres[2] == 72.0  # no ink of its own: its place is kept


def test_dropped_bullet_and_signature_dots_are_written_back():
    text = "夏凡张顺燕"
    xs = _line(text, {1}, start=70)
    grey = _page(xs, {35: "◆", xs[-1] + PITCH: "·"})
    got, _, _ = _read(grey, text, xs)
    assert got == "◆夏凡 张顺燕·"
    # Read already: nothing added.
    got, _, _ = _read(grey, "◆" + text + "·", [35] + xs + [xs[-1] + PITCH])
    assert got.count("◆") == 1 and got.count("·") == 1


def test_type_size_and_edges_come_from_the_ink_not_the_padded_box():
    long_text, short_text = "街道在辖区广场开展宣传活动", "活动"
    for text in (long_text, short_text):
        xs = _line(text, set())
        grey = _page(xs)
        _, quad, size = _read(grey, text, xs)
        assert abs(size * 0.9 - GLYPH) <= 2  # not the box's 50 px
        assert abs(quad[0][0] - (xs[0] - GLYPH / 2 + 2)) <= 1.5  # the ink's left edge


def test_an_unsure_look_alike_is_re_read_only_where_it_alone_makes_a_word():
    from bulletin.importer.ocrreread import reread

    def alts(text, unsure):  # every character sure but those given: {index: (p, runner-up, q)}
        return [unsure.get(i, (0.999, "", 0.0)) for i in range(len(text))]

    assert reread("定期上内探访", alts("定期上内探访", {3: (0.77, "门", 0.23)})) == "定期上门探访"
    assert reread("定期上内探访", alts("定期上内探访", {3: (0.97, "门", 0.03)})) == "定期上内探访"  # sure enough
    assert reread("车库入口积水", alts("车库入口积水", {2: (0.8, "人", 0.2)})) == "车库入口积水"  # 入口 is a word
    assert reread("定期上内探访", alts("定期上内探访", {2: (0.8, "下", 0.1), 3: (0.77, "门", 0.23)})) == "定期上内探访"
    assert reread("促成效——打响", alts("促成效——打响", {4: (0.65, "一", 0.29)})) == "促成效——打响"


def test_the_decoder_wrapper_keeps_each_written_characters_runner_up():
    import numpy as np

    from bulletin.importer.ocrreread import Runnerups

    class Decoder:  # rapidocr's CTC decoder, as far as the wrapper uses it
        character = ["blank", "上", "门", "内", "访"]

        def __call__(self, preds):
            return "decoded"

    # Two lines, five steps over five classes: blanks and repeats write nothing.
    steps = [[0, 1, 1, 0, 3], [4, 0, 2, 2, 0]]
    preds = np.full((2, 5, 5), 0.01, dtype=np.float32)
    for b, line in enumerate(steps):
        for t, k in enumerate(line):
            preds[b, t, k] = 0.9
    preds[0, 4, 2] = 0.08  # 内 read, 门 the runner-up
    preds[1, 0, 1] = 0.05  # 访 read, 上 the runner-up
    wrapped = Runnerups(Decoder())
    assert wrapped(preds) == "decoded"
    assert list(wrapped.seen) == ["上内", "访门"]
    (p1, a1, q1), (p2, a2, q2) = wrapped.seen["上内"]
    assert (a2, round(p2, 2), round(q2, 2)) == ("门", 0.9, 0.08)
    assert p1 == pytest.approx(0.9) and a1 in Decoder.character
    assert wrapped.seen["访门"][0][1:] == ("上", pytest.approx(0.05))
