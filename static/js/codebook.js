// The codebook page: drag a code onto another code, or onto "Top level", to move it there.
// Each move asks (in a dialog) for the meeting where it was agreed or a rationale, then
// PATCHes /api/v1/codes/{id}/ with the version the page was drawn from. A stale version
// answers 409: the dialog then says how the code is now. Without JavaScript, the code's
// own page has a "Move under…" form that does the same.

const tree = document.querySelector(".code-tree[data-editable]");
const dialog = document.getElementById("move-dialog");

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
}

function describeRefusal(status, body) {
  if (status === 409) {
    const now = body.current || {};
    return `${body.detail} It is now “${now.name}”, version ${now.version}; reload the page to see where it stands.`;
  }
  if (status === 403) {
    return body.detail || "Your role may not change the codebook.";
  }
  const messages = Object.entries(body).map(
    ([field, message]) => `${field === "detail" ? "" : `${field}: `}${[].concat(message).join(" ")}`,
  );
  return messages.join(" ") || `The move failed (HTTP ${status}).`;
}

async function moveCode(code, parentId, decision) {
  const response = await fetch(`${tree.dataset.api}${code.dataset.code}/`, {
    method: "PATCH",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify({
      parent: parentId ? Number(parentId) : null,
      version: Number(code.dataset.version),
      ...decision,
    }),
  });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

let pending = null; // { code, parentId } while the dialog is open

function askAndMove(code, target) {
  const where = target.dataset.code ? `under “${target.dataset.name}”` : "to the top level";
  dialog.querySelector("[data-move-what]").textContent = `“${code.dataset.name}” ${where}`;
  dialog.querySelector("[data-move-error]").hidden = true;
  pending = { code, parentId: target.dataset.code };
  dialog.showModal();
}

function onDialogSubmit(event) {
  if (event.submitter?.value !== "move" || !pending) {
    return; // Cancel: the dialog form closes the dialog.
  }
  event.preventDefault();
  const form = event.target;
  const decision = {
    meeting: form.elements["move-meeting"].value ? Number(form.elements["move-meeting"].value) : null,
    rationale: form.elements["move-rationale"].value,
  };
  moveCode(pending.code, pending.parentId, decision).then(({ ok, status, body }) => {
    if (ok) {
      window.location.reload();
      return;
    }
    const error = dialog.querySelector("[data-move-error]");
    error.textContent = describeRefusal(status, body);
    error.hidden = false;
  });
}

let dragged = null;

function dropTarget(event) {
  const target = event.target.closest(".code-node, .code-drop-top");
  if (!target || !dragged || dragged.contains(target)) {
    return null; // onto itself or one of its own sub-codes: a cycle
  }
  return target;
}

function onDragStart(event) {
  const node = event.target.closest(".code-node");
  if (!node) {
    return;
  }
  dragged = node;
  node.classList.add("dragging");
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", node.dataset.code);
}

function onDragOver(event) {
  const target = dropTarget(event);
  if (target) {
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    target.classList.add("drop-target");
  }
}

function onDragLeave(event) {
  event.target.closest(".code-node, .code-drop-top")?.classList.remove("drop-target");
}

function onDrop(event) {
  const target = dropTarget(event);
  if (!target) {
    return;
  }
  event.preventDefault();
  target.classList.remove("drop-target");
  const parent = dragged.parentElement.closest(".code-node");
  if ((parent?.dataset.code || "") !== (target.dataset.code || "")) {
    askAndMove(dragged, target);
  }
}

function onDragEnd() {
  dragged?.classList.remove("dragging");
  dragged = null;
  document.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
}

if (tree && dialog) {
  const zones = [tree, document.querySelector(".code-drop-top")].filter(Boolean);
  for (const zone of zones) {
    zone.addEventListener("dragstart", onDragStart);
    zone.addEventListener("dragover", onDragOver);
    zone.addEventListener("dragleave", onDragLeave);
    zone.addEventListener("drop", onDrop);
    zone.addEventListener("dragend", onDragEnd);
  }
  dialog.querySelector("form").addEventListener("submit", onDialogSubmit);
  dialog.addEventListener("close", () => {
    pending = null;
  });
}
