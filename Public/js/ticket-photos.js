// Ticket photos (issue 19, point 7): the report form's picker, the upload (the image itself as the
// body; the server judges its type by content and removes its metadata, GPS included), a thumbnail
// drawn here in the browser for the queue, the ticket page's gallery (add, view, remove one's own)
// and the queue card's thumbnail. Images need the bearer token, so they are fetched as blobs and
// shown through object URLs, released when their element leaves the page.
import { api } from "./api.js";
import { h, clear, nextId, confirmDialog } from "./ui.js";
import { plainMessage } from "./plain.js";

export const MAX_PHOTOS = 5;
const MAX_BYTES = 8 * 1024 * 1024;
export const PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif";
const ACCEPT = PHOTO_TYPES;
const THUMB_SIDE = 320;

const photosPath = (ticketId) => `/api/tickets/${encodeURIComponent(ticketId)}/photos`;

/** A file the page can refuse before sending it: too big, or plainly not an image. */
function precheck(file) {
  if (file.size > MAX_BYTES) return `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; a photo may be at most 8 MB.`;
  if (file.type && !file.type.startsWith("image/")) return `${file.name} is not a photo (JPEG, PNG, HEIC or WebP).`;
  return null;
}

/** A small WebP (or JPEG) of `file`, longer side THUMB_SIDE; null when this browser cannot draw it (HEIC outside Safari). */
async function thumbnailOf(file) {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, THUMB_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close?.();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/webp", 0.8));
    return blob ?? await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
  } catch {
    return null;
  }
}

/**
 * Sends `files` to the ticket (or one of its comments), each with its thumbnail when the browser
 * can draw one. Resolves to {added: [photo], refused: ["sentence", …]}; never throws.
 */
export async function uploadPhotos(ticketId, files, { commentId } = {}) {
  const added = [];
  const refused = [];
  for (const file of files) {
    const early = precheck(file);
    if (early) {
      refused.push(early);
      continue;
    }
    try {
      const query = commentId ? { comment_id: commentId } : undefined;
      const photo = await api(photosPath(ticketId), { method: "POST", file, query });
      added.push(photo);
      const thumb = await thumbnailOf(file);
      if (thumb) {
        try {
          await api(`${photosPath(ticketId)}/${encodeURIComponent(photo.id)}/thumbnail`, { method: "PUT", file: thumb });
          photo.has_thumbnail = true;
        } catch { /* the full image still shows */ }
      }
    } catch (error) {
      refused.push(`${file.name}: ${plainMessage(error)}`);
    }
  }
  return { added, refused };
}

/** The report form's picker: "Add photos (optional)", the chosen files listed with Remove. */
export function photoPicker() {
  const id = nextId("photos");
  const input = h("input", { type: "file", id, accept: ACCEPT, multiple: true, class: "photo-input", "data-action": "pick-photos" });
  const chosen = h("ul", { class: "photo-chosen", "aria-label": "Photos to send" });
  const note = h("p", { class: "muted small", id: `${id}-note`, text: `Up to ${MAX_PHOTOS} photos (JPEG, PNG, HEIC or WebP, 8 MB each). Location and camera details are removed before they are stored.` });
  input.setAttribute("aria-describedby", note.id);
  let files = [];
  const error = h("p", { class: "form-error", role: "alert" });

  function show() {
    clear(chosen, files.map((file, index) => h("li", {},
      h("span", { text: `${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB)` }), " ",
      h("button", {
        type: "button",
        class: "btn btn-ghost btn-small",
        "aria-label": `Remove ${file.name}`,
        text: "Remove",
        onclick: () => {
          files.splice(index, 1);
          show();
          input.focus();
        }
      }))));
  }
  input.addEventListener("change", () => {
    error.textContent = "";
    const picked = [...input.files];
    const problems = picked.map(precheck).filter(Boolean);
    const fitting = picked.filter((file) => !precheck(file));
    const room = MAX_PHOTOS - files.length;
    if (fitting.length > room) problems.push(`Only ${MAX_PHOTOS} photos go with a report: ${fitting.length - room} not added.`);
    files = files.concat(fitting.slice(0, Math.max(0, room)));
    error.textContent = problems.join(" ");
    input.value = "";
    show();
  });
  return {
    el: h("div", { class: "field photo-picker" }, h("label", { for: id, text: "Photos (optional)" }), input, note, chosen, error),
    files: () => [...files],
    reset: () => {
      files = [];
      error.textContent = "";
      show();
    },
  };
}

/** One image fetched with the token, shown through an object URL released once it has loaded. */
async function showImage(img, path) {
  const response = await api(path, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  img.addEventListener("load", () => URL.revokeObjectURL(url), { once: true });
  img.addEventListener("error", () => URL.revokeObjectURL(url), { once: true });
  img.src = url;
}

/** The ticket page's photos: each one (its thumbnail, opening the full photo), Remove for one's own, and Add photos. */
export function photoGallery(ticket, { userId, canAdd, onChange }) {
  const list = h("ul", { class: "photo-grid", id: "ticket-photos", "aria-live": "polite" });
  const status = h("p", { class: "small", role: "status", id: "photo-status" });
  const addId = nextId("add-photos");
  const add = h("input", { type: "file", id: addId, accept: ACCEPT, multiple: true, class: "photo-input", "data-action": "add-photos" });
  const addNote = h("p", { class: "muted small photo-full", role: "status" });
  add.addEventListener("change", async () => {
    const files = [...add.files];
    add.value = "";
    if (!files.length) return;
    status.textContent = files.length === 1 ? "Sending the photo…" : `Sending ${files.length} photos…`;
    const { added, refused } = await uploadPhotos(ticket.id, files);
    status.textContent = [added.length ? `${added.length} photo${added.length === 1 ? "" : "s"} added.` : "", ...refused].filter(Boolean).join(" ");
    await load();
    onChange?.();
  });

  async function load() {
    let items = [];
    try {
      items = await api(photosPath(ticket.id), { query: { limit: 200 } });
    } catch (error) {
      clear(list, h("li", { class: "muted small", text: plainMessage(error) }));
      return;
    }
    // The report holds at most MAX_PHOTOS: then the picker says so instead of failing after the choice.
    const full = items.filter((p) => p.comment_id === null).length >= MAX_PHOTOS;
    add.disabled = full;
    addNote.textContent = full ? `The report has ${MAX_PHOTOS} photos, the most it holds.` : "";
    if (!items.length) {
      clear(list, h("li", { class: "muted small", text: "No photos." }));
      return;
    }
    clear(list, items.map((photo, index) => {
      const alt = `Photo ${index + 1} of ticket #${ticket.id}${photo.uploaded_by?.name ? `, added by ${photo.uploaded_by.name}` : ""}`;
      const img = h("img", { alt, loading: "lazy", width: "160", height: "120" });
      const open = h("button", { type: "button", class: "photo-open", "data-photo-id": String(photo.id), "aria-label": `Open ${alt} in full` }, img);
      open.addEventListener("click", async () => {
        try {
          const response = await api(`${photosPath(ticket.id)}/${encodeURIComponent(photo.id)}`, { raw: true });
          const url = URL.createObjectURL(await response.blob());
          window.open(url, "_blank", "noopener");
          setTimeout(() => URL.revokeObjectURL(url), 60000);
        } catch (error) { status.textContent = plainMessage(error); }
      });
      const which = photo.has_thumbnail ? "/thumbnail" : "";
      showImage(img, `${photosPath(ticket.id)}/${encodeURIComponent(photo.id)}${which}`).catch(() => { img.alt = `${alt} (cannot be shown here; open it to download)`; });
      const mine = String(photo.uploaded_by?.id) === String(userId);
      const remove = mine ? h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "remove-photo", "aria-label": `Remove photo ${index + 1}`, text: "Remove" }) : null;
      remove?.addEventListener("click", async () => {
        const sure = await confirmDialog({ title: "Remove this photo?", message: `${alt}. It is deleted for everyone who follows this ticket.`, confirmLabel: "Remove photo", cancelLabel: "Keep photo", danger: true });
        if (!sure) {
          remove.focus();
          return;
        }
        remove.disabled = true;
        try {
          await api(`${photosPath(ticket.id)}/${encodeURIComponent(photo.id)}`, { method: "DELETE" });
          status.textContent = "Photo removed.";
          await load();
          onChange?.();
          add.focus();
        } catch (error) {
          remove.disabled = false;
          status.textContent = plainMessage(error);
        }
      });
      return h("li", { class: "photo-item" }, open, photo.comment_id ? h("span", { class: "muted small", text: "With a comment" }) : null, remove);
    }));
  }

  const el = h("section", { class: "card", "aria-labelledby": "ticket-photos-title" },
    h("h2", { id: "ticket-photos-title", text: "Photos" }), list,
    canAdd ? h("div", { class: "field photo-add" }, h("label", { for: addId, text: `Add photos (up to ${MAX_PHOTOS} with the report; location and camera details are removed)` }), add, addNote) : null,
    status);
  load();
  return { el, load };
}

// The queue board redraws its cards on every live event: each card's thumbnail is fetched once per
// photo count (a new photo may change the first) and kept, not asked for again at every redraw.
const cardThumbs = new Map();

/** A queue card's thumbnail: the ticket's first photo, once it has one. */
export function cardThumbnail(ticket) {
  if (!ticket.photo_count) return null;
  const img = h("img", { class: "card-thumb", alt: `Photo of ticket #${ticket.id}`, width: "64", height: "48", loading: "lazy" });
  const key = `${ticket.id}:${ticket.photo_count}`;
  if (!cardThumbs.has(key)) {
    cardThumbs.set(key, api(photosPath(ticket.id), { query: { limit: 1 } }).then(async ([photo]) => {
      if (!photo) return null;
      const response = await api(`${photosPath(ticket.id)}/${encodeURIComponent(photo.id)}${photo.has_thumbnail ? "/thumbnail" : ""}`, { raw: true });
      return URL.createObjectURL(await response.blob());
    }).catch(() => {
      cardThumbs.delete(key); // asked again at the next redraw
      return null;
    }));
  }
  cardThumbs.get(key).then((url) => {
    if (url) img.src = url;
    else img.alt = `Ticket #${ticket.id} has ${ticket.photo_count} photo(s)`;
  });
  return img;
}
