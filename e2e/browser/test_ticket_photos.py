"""Ticket photos through the page (issue 19, point 7): a student reports a problem with a phone-style
photo (EXIF with GPS and the camera's make), sees it on the ticket's page; what the service stores,
read back by Pillow, is the same photo with no GPS or camera left; the technician's queue card shows its
thumbnail (drawn by Chromium, sent by the page); someone else cannot fetch it; a file that is not an
image, named .jpg, is refused with a sentence and nothing is stored."""
import io
import time
import uuid

import requests
from PIL import Image

from browser_support import new_user
from test_ticket_waiting import technician_on_queue


def phone_photo(path) -> None:
    """A 640×480 JPEG carrying what a phone writes: its make and model, and where it was taken."""
    image = Image.new("RGB", (640, 480), (180, 120, 60))
    for x in range(0, 640, 40):
        for y in range(0, 480, 40):
            image.putpixel((x, y), (20, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"          # Make
    exif[0x0110] = "SpyCam Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 40.0)})
    image.save(path, "JPEG", exif=exif, quality=90)


def wait_for(predicate, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def image_loaded(browser, css: str) -> bool:
    return browser.driver.execute_script(
        "const img = document.querySelector(arguments[0]); return !!img && img.complete && img.naturalWidth > 0;", css)


def test_a_report_with_a_photo_is_stored_without_its_location_and_shown_to_those_who_may_see_it(browsers, campus, tmp_path):
    photo = tmp_path / "IMG_0042.jpg"
    phone_photo(photo)
    original = Image.open(photo)
    assert original.getexif().get_ifd(0x8825), "the fixture carries GPS"
    run = uuid.uuid4().hex[:6]
    student = new_user(campus, "student", prefix="photo")
    auth = {"Authorization": f"Bearer {student['token']}"}

    page = browsers()
    page.login(email=student["email"], password=student["password"])
    page.go("tickets")
    page.type("#ticket-title", f"Water stain spreading {run}")
    page.type("#ticket-description", "A brown stain on the ceiling tiles above the printers, bigger since Monday.")
    page.type("#ticket-location", "Library, 1st floor, print room")
    page.find('[data-action="pick-photos"]').send_keys(str(photo))
    page.text_in(".photo-chosen", "IMG_0042.jpg")
    page.click("#ticket-submit")
    page.text_in("#toasts", "with 1 photo", timeout=20)

    mine = requests.get(f"{campus.gateway}/api/tickets", headers=auth, timeout=10).json()
    ticket = next(t for t in mine if t["title"] == f"Water stain spreading {run}")
    photos = wait_for(lambda: [p for p in requests.get(f"{campus.gateway}/api/tickets/{ticket['id']}/photos", headers=auth, timeout=10).json()
                               if p["has_thumbnail"]], what="the photo and its thumbnail")
    assert len(photos) == 1 and photos[0]["media_type"] == "image/jpeg" and (photos[0]["width"], photos[0]["height"]) == (640, 480), photos

    # What is stored: the same photo, no location, no camera.
    stored = requests.get(f"{campus.gateway}/api/tickets/{ticket['id']}/photos/{photos[0]['id']}", headers=auth, timeout=10)
    assert stored.status_code == 200 and stored.headers["Content-Type"] == "image/jpeg", stored.headers
    assert stored.headers.get("X-Content-Type-Options") == "nosniff"
    kept = Image.open(io.BytesIO(stored.content))
    kept.load()
    assert kept.size == (640, 480)
    assert not kept.getexif().get_ifd(0x8825), "GPS survived"
    assert b"SpyCam" not in stored.content
    thumb = requests.get(f"{campus.gateway}/api/tickets/{ticket['id']}/photos/{photos[0]['id']}/thumbnail", headers=auth, timeout=10)
    small = Image.open(io.BytesIO(thumb.content))
    assert max(small.size) <= 320 and small.size[0] > small.size[1], small.size

    # Someone else cannot see it, whatever they guess.
    other = new_user(campus, "student", prefix="photo-other")
    peek = requests.get(f"{campus.gateway}/api/tickets/{ticket['id']}/photos/{photos[0]['id']}", headers={"Authorization": f"Bearer {other['token']}"}, timeout=10)
    assert peek.status_code == 404 and peek.headers["Content-Type"].startswith("application/problem+json")

    # The ticket's page shows it.
    page.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket['id']}")
    page.find("#ticket-photos .photo-open img")
    page.wait(15).until(lambda d: image_loaded(page, "#ticket-photos .photo-open img"), "the photo never showed on the ticket's page")

    # Not an image, named like one: refused in words, nothing stored.
    fake = tmp_path / "receipt.jpg"
    fake.write_text("this is a text file, not a photo")
    page.find('[data-action="add-photos"]').send_keys(str(fake))
    page.text_in("#photo-status", "not a JPEG, PNG, HEIC or WebP image", timeout=15)
    assert len(requests.get(f"{campus.gateway}/api/tickets/{ticket['id']}/photos", headers=auth, timeout=10).json()) == 1

    # A comment with a photo of its own.
    page.type(".comment-input", "Here it is from the other side of the room.")
    page.find('[data-action="comment-photos"]').send_keys(str(photo))
    page.click('.comment-form button[type="submit"]')
    page.text_in(".comments", "from the other side of the room")
    listed = wait_for(lambda: (lambda items: items if len(items) == 2 else None)(
        requests.get(f"{campus.gateway}/api/tickets/{ticket['id']}/photos", headers=auth, timeout=10).json()), what="the comment's photo")
    assert listed[1]["comment_id"] is not None and listed[0]["comment_id"] is None, listed
    page.text_in("#ticket-photos", "With a comment", timeout=15)

    # The technician's queue card shows the thumbnail.
    tech, card = technician_on_queue(browsers, str(ticket["id"]))
    # The thumbnail loads lazily, when its card comes into view: scroll to it as a technician would
    # (how far down the column it sits depends on how many more urgent tickets the run made).
    tech.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", tech.find(f"{card} .card-thumb", timeout=15))
    tech.wait(15).until(lambda d: image_loaded(tech, f"{card} .card-thumb"), "the queue card's thumbnail never showed")
    tech.text_in(f"{card} .ticket-meta", "2 photos")
