"""Citizens' photos: decode fully to check, turn upright, drop all metadata, re-encode, thumbnail.

An uploaded photo is never stored as sent. It is decoded with Pillow (JPEG, PNG and WebP
only), refused when it has more pixels than ``settings.report_photo_max_pixels`` (checked on
the header, before anything is decompressed) or does not decode to the end, turned upright by
its EXIF orientation, scaled down to ``settings.report_photo_max_side_px`` and encoded anew in
its own format. Only pixels are written: no EXIF (GPS position, camera, owner's name), XMP,
ICC profile, comment or text chunk survives, nor any bytes appended to the image. A JPEG
thumbnail (``settings.report_thumbnail_px``) is made at the same time, for lists.

Pure functions of bytes, safe to call from several threads at once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from accessroute import settings
from accessroute._errors import InputDataError

#: The only decoders Pillow may use on an upload.
DECODERS = ("JPEG", "PNG", "WEBP")
#: Pillow format of an accepted photo -> (format it is stored in, media type).
FORMATS = {
    "JPEG": ("JPEG", "image/jpeg"),
    "MPO": ("JPEG", "image/jpeg"),  # a JPEG with extra frames (some phone cameras)
    "PNG": ("PNG", "image/png"),
    "WEBP": ("WEBP", "image/webp"),
}
#: JPEG and WebP quality of a re-encoded photo (a phone camera writes about 90-95).
PHOTO_QUALITY = 90
#: JPEG quality of a thumbnail.
THUMBNAIL_QUALITY = 80


@dataclass(frozen=True)
class Photo:
    """A photo fit to store: re-encoded without metadata, with its thumbnail.

    Attributes
    ----------
    data
        The encoded photo.
    media_type
        ``image/jpeg``, ``image/png`` or ``image/webp``.
    thumbnail
        A JPEG of at most ``settings.report_thumbnail_px`` on its longer side.
    """

    data: bytes
    media_type: str
    thumbnail: bytes


def _refuse(message: str) -> InputDataError:
    return InputDataError(f"photo: {message}", field="photo")


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Decode every pixel of an accepted format, upright; refuse anything else."""
    limit = settings.report_photo_max_pixels
    # Pillow's own check: a warning above this, DecompressionBombError above twice this.
    Image.MAX_IMAGE_PIXELS = limit
    try:
        image = Image.open(io.BytesIO(data), formats=DECODERS)
        if image.width * image.height > limit:  # from the header, before decompressing
            msg = f"larger than {limit / 1e6:g} megapixels"
            raise _refuse(msg)
        image.load()  # every pixel: a truncated or corrupt image fails here
        upright = ImageOps.exif_transpose(image)
    except InputDataError:
        raise
    except Image.DecompressionBombError:
        msg = f"larger than {limit / 1e6:g} megapixels"
        raise _refuse(msg) from None
    except Exception:  # hostile bytes make the decoders raise anything
        msg = "not a readable JPEG, PNG or WebP image"
        raise _refuse(msg) from None
    return upright, str(image.format)


def _plain(image: Image.Image) -> Image.Image:
    """The same pixels without any metadata (only a palette's transparency is kept)."""
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    return image


def _encode(image: Image.Image, pil_format: str) -> bytes:
    out = io.BytesIO()
    if pil_format == "JPEG":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=PHOTO_QUALITY)
    elif pil_format == "WEBP":
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.save(out, "WEBP", quality=PHOTO_QUALITY)
    else:
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def thumbnail(image: Image.Image) -> bytes:
    """A small JPEG of an image (transparent parts on white).

    Parameters
    ----------
    image
        A decoded image.

    Returns
    -------
    bytes
        JPEG of at most ``settings.report_thumbnail_px`` on its longer side.
    """
    side = settings.report_thumbnail_px
    small = image.copy()
    small.thumbnail((side, side), Image.Resampling.LANCZOS)
    if small.mode in ("RGBA", "LA", "PA", "P"):
        small = small.convert("RGBA")
        flat = Image.new("RGB", small.size, "white")
        flat.paste(small, mask=small.getchannel("A"))
        small = flat
    elif small.mode != "RGB":
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=THUMBNAIL_QUALITY)
    return out.getvalue()


def clean_photo(data: bytes) -> Photo:
    """Check an uploaded photo and make the photo and thumbnail to store (see the module doc).

    Parameters
    ----------
    data
        The uploaded bytes.

    Returns
    -------
    Photo
        The re-encoded photo, its media type and its thumbnail.

    Raises
    ------
    InputDataError
        Naming ``photo`` (its ``field`` attribute) when the bytes are not a JPEG, PNG or WebP
        image that decodes to the end, or have more than ``settings.report_photo_max_pixels``.
    """
    image, source_format = _decode(data)
    pil_format, media_type = FORMATS[source_format]
    side = settings.report_photo_max_side_px
    if max(image.size) > side:
        image = image.copy()
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    image = _plain(image)
    return Photo(data=_encode(image, pil_format), media_type=media_type, thumbnail=thumbnail(image))


def thumbnail_of(data: bytes) -> bytes:
    """The thumbnail of a stored photo (for photos stored before thumbnails were made).

    Parameters
    ----------
    data
        A stored photo.

    Returns
    -------
    bytes
        Its JPEG thumbnail.

    Raises
    ------
    InputDataError
        Naming ``photo`` when it does not decode.
    """
    image, _ = _decode(data)
    return thumbnail(image)
