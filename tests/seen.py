"""Reading what a widget or a plot shows, shared by the tests of what the student sees (test_seen_*)."""
import base64
import re

BIDI_MARKS = re.compile("[\u2066\u2067\u2068\u2069\u200e\u200f]")


def png_of(img_tag: str) -> bytes:
    """The PNG bytes of an <img> tag with a data: URL (as the widgets show their plots)."""
    return base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', img_tag).group(1))


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, read from its IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", png[:16]
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def bidi_free(text: str) -> str:
    """Text as read: the invisible bidi isolate and direction marks dropped."""
    return BIDI_MARKS.sub("", text)
