#!/usr/bin/env python3
"""Check sanitized images with Pillow, pillow-heif and (if installed) exiftool.

Usage: verify_with_pillow.py SANITIZED_DIR [ORIGINALS_DIR]

For every file in SANITIZED_DIR:
  * Pillow (with pillow-heif registered) opens it and fully decodes it (im.load(), all frames);
  * with ORIGINALS_DIR (same file names): same format, same size, same frame count, identical decoded pixels;
  * no EXIF is left, except for JPEG an Orientation tag equal to the original's when that was not 1;
    never GPS, Make, Model, DateTime or a thumbnail (IFD1);
  * no XMP, PNG text, JPEG comment or ICC-unrelated info keys are left in im.info;
  * the raw bytes contain none of the marker strings the fixtures carry ("SpyCam", "SecretPlace") nor an XMP packet;
  * exiftool reports no GPS/IFD1/XMP/IPTC/Photoshop/PNG-text group and no Make/Model/DateTime/Comment tag, and for
    JPEG the only EXIF tag is Orientation.
Prints one line per file and a closing "N passed, N failed" line; exits 1 if anything failed.
"""
import json, os, shutil, subprocess, sys
from PIL import Image, ImageSequence
import pillow_heif

pillow_heif.register_heif_opener()
MARKERS = [b"SpyCam", b"SecretPlace", b"rdf:Description", b"<?xpacket"]
BAD_GROUPS = ("GPS", "IFD1", "XMP", "IPTC", "Photoshop", "MakerNotes", "ICC-header-nothing")
BAD_TAGS = {"Make", "Model", "ModifyDate", "DateTimeOriginal", "CreateDate", "Comment", "ThumbnailImage",
            "ThumbnailOffset", "Software", "GPSLatitude", "GPSLongitude", "GPSAreaInformation", "City", "Description"}
ALLOWED_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "adobe", "adobe_transform", "progressive",
                "progression", "icc_profile", "exif", "transparency", "gamma", "srgb", "chromaticity", "aspect",
                "duration", "loop", "background", "disposal", "blend", "default_image", "timestamp", "bbox",
                "primary", "bit_depth", "chroma", "nclx_profile", "original_orientation", "thumbnails",
                "depth_images", "aux", "metadata", "xmp", "heif", "mode", "version"}


def frames(im):
    """Decode every frame (im.load()) and return their RGBA bytes; leaves `im` on its first (primary) frame."""
    out = []
    for frame in ImageSequence.Iterator(im):
        frame.load()
        out.append(frame.convert("RGBA").tobytes())
    im.seek(0)
    return out


def exif_problems(kind, im, original):
    problems = []
    exif = im.getexif()
    tags = {k: v for k, v in exif.items()}
    want = None
    if original is not None and kind == "JPEG":
        o = original.getexif().get(0x0112)
        if o not in (None, 1):
            want = o
    if kind == "JPEG" and want is not None:
        if tags != {0x0112: want}:
            problems.append(f"EXIF should be only Orientation={want}, is {tags}")
    elif tags:
        problems.append(f"EXIF left: {tags}")
    if kind == "HEIF":
        # The sanitizer leaves an empty Exif item (TIFF header, no tags) and an empty XMP element in place.
        raw = im.info.get("exif") or b""
        if raw.strip(b"\x00") not in (b"", b"MM\x00\x2a\x00\x00\x00\x08"):
            problems.append(f"HEIF Exif item is not the empty one: {raw[:40]!r}")
        xmp = (im.info.get("xmp") or b"").strip(b"\x00 ")
        if xmp not in (b"", b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'):
            problems.append(f"HEIF XMP item is not the empty one: {xmp[:60]!r}")
    for ifd in (0x8825, 0x8769):   # GPS, Exif sub-IFD
        try:
            if exif.get_ifd(ifd):
                problems.append(f"IFD {ifd:#x} left: {dict(exif.get_ifd(ifd))}")
        except Exception:
            pass
    if kind != "HEIF" and im.info.get("xmp"):
        problems.append("XMP left in im.info")
    extra = set(im.info) - ALLOWED_INFO
    if extra:
        problems.append(f"unexpected info keys (text/comment?): {sorted(extra)}")
    return problems


def exiftool_problems(path, kind):
    if not shutil.which("exiftool"):
        return [], "exiftool not installed"
    data = json.loads(subprocess.run(["exiftool", "-j", "-a", "-G1", "-s", path], capture_output=True,
                                     text=True, check=True).stdout)[0]
    problems = []
    for key in data:
        group, _, tag = key.partition(":")
        if group.startswith(BAD_GROUPS) or tag in BAD_TAGS:
            problems.append(f"exiftool: {key}={data[key]!r}")
        if group == "IFD0" and not (kind == "JPEG" and tag == "Orientation"):
            problems.append(f"exiftool: {key}={data[key]!r}")
        if group == "PNG" and tag not in ("ImageWidth", "ImageHeight", "BitDepth", "ColorType", "Compression", "Filter",
                                           "Interlace", "Palette", "Transparency", "Gamma", "SRGBRendering",
                                           "PixelsPerUnitX", "PixelsPerUnitY", "PixelUnits", "AnimationFrames",
                                           "AnimationPlays", "ProfileName", "ProfileCMMType", "WhitePointX"):
            problems.append(f"exiftool: {key}={data[key]!r}")
        if tag == "Warning":
            problems.append(f"exiftool warning: {data[key]}")
    summary = ", ".join(f"{k}={data[k]}" for k in data if k.startswith(("IFD0", "File:ExifByteOrder")))
    return problems, summary or "no EXIF"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sanitized, originals = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    passed = failed = 0
    for name in sorted(os.listdir(sanitized)):
        path = os.path.join(sanitized, name)
        problems = []
        try:
            with open(path, "rb") as f:
                raw = f.read()
            for marker in MARKERS:
                if marker in raw:
                    problems.append(f"raw bytes still contain {marker!r}")
            im = Image.open(path)
            kind = im.format
            pixels = frames(im)
            original = None
            if originals and os.path.exists(os.path.join(originals, name)):
                original = Image.open(os.path.join(originals, name))
                if original.format != kind:
                    problems.append(f"format {kind} != original {original.format}")
                if original.size != im.size:
                    problems.append(f"size {im.size} != original {original.size}")
                if frames(original) != pixels:
                    problems.append("decoded pixels differ from the original")
            problems += exif_problems(kind, im, original)
            tool_problems, summary = exiftool_problems(path, kind)
            problems += tool_problems
        except Exception as error:   # noqa: BLE001 - report any failure to open/decode
            problems.append(f"{type(error).__name__}: {error}")
            kind, summary, pixels = "?", "", []
            im = None
        status = "PASS" if not problems else "FAIL"
        size = f"{im.size[0]}x{im.size[1]}" if im is not None else "?"
        print(f"{status} {name}: {kind} {size} frames={len(pixels)} [{summary}]")
        for problem in problems:
            print(f"    - {problem}")
        passed += not problems
        failed += bool(problems)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
