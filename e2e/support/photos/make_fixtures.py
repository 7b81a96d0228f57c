#!/usr/bin/env python3
"""Generate the small test images used by ImageSanitizerTests.swift.

Every image carries metadata that the sanitizer must remove:
  * EXIF with Make "SpyCam", Model "SpyCam Model X", DateTime, GPS latitude/longitude
    and a GPSAreaInformation of "SecretPlace" (ASCII, so tests can search for it);
  * XMP (or a PNG text chunk) containing "SecretPlace".
The JPEG additionally carries EXIF Orientation 6 and a COM comment.

Usage: make_fixtures.py OUT_DIR              (writes *.jpg/png/webp/heic + fixtures_base64.txt)
       make_fixtures.py --corpus OUT_DIR     (a wider set of larger images for verify_with_pillow.py:
                                              progressive/ICC/CMYK/grey JPEGs, Exif thumbnail and IPTC via exiftool,
                                              palette+tRNS PNG, APNG, animated/ICC WebP, multi-image and rotated HEIC)
Needs: pip install pillow pillow-heif; exiftool (apt libimage-exiftool-perl) is used by --corpus if present.
"""
import base64, io, os, shutil, subprocess, sys
from PIL import Image, PngImagePlugin
import pillow_heif

XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:description="SecretPlace"/>'
       b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def make_exif(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"                # Make
    exif[0x0110] = "SpyCam Model X"        # Model
    exif[0x0132] = "2024:05:06 07:08:09"   # DateTime
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    gps[0x1C] = b"ASCII\x00\x00\x00SecretPlace"   # GPSAreaInformation
    return exif


def image(w, h):
    im = Image.new("RGB", (w, h))
    for y in range(h):
        for x in range(w):
            im.putpixel((x, y), (x * 30 % 256, y * 40 % 256, (x + y) * 20 % 256))
    return im


def gradient(w, h, mode="RGB"):
    im = Image.linear_gradient("L").resize((w, h))
    if mode == "L":
        return im
    return Image.merge("RGB", (im, im.rotate(90).resize((w, h)), Image.new("L", (w, h), 90))).convert(mode)


def make_corpus(out):
    os.makedirs(out, exist_ok=True)
    exif6 = make_exif(6).tobytes()
    exif = make_exif().tobytes()
    srgb = None
    try:
        from PIL import ImageCms
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    except Exception:
        pass

    def save(name, im, fmt, **kw):
        im.save(os.path.join(out, name), fmt, **kw)

    save("c01_baseline_orient6.jpg", gradient(640, 480), "JPEG", quality=85, exif=exif6, xmp=XMP, comment=b"SecretPlace")
    save("c02_progressive_icc.jpg", gradient(333, 217), "JPEG", progressive=True, exif=exif, icc_profile=srgb, xmp=XMP)
    save("c03_grey_restart.jpg", gradient(129, 65, "L"), "JPEG", exif=make_exif(3).tobytes(), restart_marker_blocks=2)
    save("c04_cmyk_adobe.jpg", gradient(100, 50, "CMYK"), "JPEG", exif=exif)
    save("c05_orient8_subsampling444.jpg", gradient(64, 48), "JPEG", exif=make_exif(8).tobytes(), subsampling=0)
    if shutil.which("exiftool"):
        thumb = os.path.join(out, "thumb.tmp.jpg")
        gradient(32, 24).save(thumb, "JPEG")
        target = os.path.join(out, "c06_exif_thumbnail_iptc.jpg")
        gradient(200, 150).save(target, "JPEG", exif=exif6)
        subprocess.run(["exiftool", "-q", "-overwrite_original", f"-ThumbnailImage<={thumb}", "-IPTC:City=SecretPlace",
                        "-XMP-photoshop:City=SecretPlace", "-Photoshop:URL=SecretPlace", target], check=True)
        os.remove(thumb)

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SecretPlace")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    save("c07_rgba_text.png", gradient(300, 200).convert("RGBA"), "PNG", pnginfo=info, exif=exif)
    pal = gradient(50, 40).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    save("c08_palette_trns.png", pal, "PNG", transparency=3, pnginfo=info, icc_profile=srgb)
    frames = [gradient(40, 30).rotate(a) for a in (0, 90, 180)]
    frames[0].save(os.path.join(out, "c09_apng.png"), "PNG", save_all=True, append_images=frames[1:], duration=100,
                   pnginfo=info, exif=exif)

    save("c10_lossy_icc.webp", gradient(301, 199), "WEBP", quality=80, exif=exif, xmp=XMP, icc_profile=srgb)
    save("c11_lossless_alpha.webp", gradient(64, 64).convert("RGBA"), "WEBP", lossless=True, exif=exif, xmp=XMP)
    frames[0].save(os.path.join(out, "c12_animated.webp"), "WEBP", save_all=True, append_images=frames[1:],
                   duration=100, exif=exif, xmp=XMP)
    save("c13_lossy_alpha.webp", gradient(77, 33).convert("RGBA"), "WEBP", quality=70, exif=exif)

    heif = pillow_heif.from_pillow(gradient(320, 240))
    heif.save(os.path.join(out, "c14_photo.heic"), quality=50, exif=exif, xmp=XMP)
    multi = pillow_heif.from_pillow(gradient(100, 60))
    multi.add_from_pillow(gradient(400, 300))
    multi.save(os.path.join(out, "c15_two_images_small_primary.heic"), quality=40, exif=exif, xmp=XMP, primary_index=0)
    rotated = gradient(120, 80)
    rotated.info["exif"] = exif6
    pillow_heif.from_pillow(rotated).save(os.path.join(out, "c16_exif_orientation6.heic"), quality=40, exif=exif6, xmp=XMP)
    pillow_heif.from_pillow(gradient(90, 90).convert("RGBA")).save(os.path.join(out, "c17_alpha.heic"), quality=40, exif=exif)
    for name in sorted(os.listdir(out)):
        print(name, os.path.getsize(os.path.join(out, name)))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--corpus":
        make_corpus(sys.argv[2])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    os.makedirs(out, exist_ok=True)
    files = {}

    b = io.BytesIO()
    image(8, 6).save(b, "JPEG", quality=50, exif=make_exif(6).tobytes(), xmp=XMP, comment=b"SecretPlace comment")
    files["photo.jpg"] = b.getvalue()

    b = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SecretPlace")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Software", "SpyCam", zip=True)
    image(8, 6).save(b, "PNG", pnginfo=info, exif=make_exif().tobytes())
    files["photo.png"] = b.getvalue()

    b = io.BytesIO()
    image(8, 6).save(b, "WEBP", quality=50, exif=make_exif().tobytes(), xmp=XMP)
    files["photo.webp"] = b.getvalue()

    b = io.BytesIO()
    image(8, 6).save(b, "WEBP", lossless=True, exif=make_exif().tobytes(), xmp=XMP)
    files["lossless.webp"] = b.getvalue()

    heif = pillow_heif.from_pillow(image(16, 16))
    b = io.BytesIO()
    heif.save(b, quality=10, exif=make_exif().tobytes(), xmp=XMP)
    files["photo.heic"] = b.getvalue()

    with open(os.path.join(out, "fixtures_base64.txt"), "w") as listing:
        for name, data in files.items():
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)
            encoded = base64.b64encode(data).decode()
            listing.write(f"{name} {len(data)} bytes, base64 {len(encoded)} chars\n{encoded}\n")
            print(f"{name}: {len(data)} bytes, base64 {len(encoded)} chars")


if __name__ == "__main__":
    main()
