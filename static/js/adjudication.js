// The disagreement queue: move with j/k (or the arrow keys), settle with one key
// per choice, and propose a span by selecting words in the passage, with the
// mouse or (after e) with Shift+arrows. The page converts the selection to the
// code points the server counts (TextOffsets); without this script the form's
// typed span still works.

import { TextOffsets } from "./coding/offsets.js";

const passage = document.getElementById("reading-passage");
const form = document.getElementById("resolve-form");
const reason = document.getElementById("resolve-reason");
const readout = document.getElementById("selected-span");
const edited = document.getElementById("choice-edited");

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable='true']") !== null;
}

// A DOM position in the passage as a code point position in the transcript: the
// text pieces carry where they start (data-start); labels between them do not count.
function codePoint(node, offset) {
  if (node.nodeType === Node.TEXT_NODE && node.parentElement.dataset.start !== undefined) {
    const start = Number(node.parentElement.dataset.start);
    return start + new TextOffsets(node.data).toCodePoints(offset);
  }
  const boundary = document.createRange();
  boundary.setStart(node, offset);
  const pieces = [...passage.querySelectorAll("[data-start]")];
  const after = pieces.find((piece) => boundary.comparePoint(piece, 0) >= 0);
  return after ? Number(after.dataset.start) : Number(pieces.at(-1).dataset.end);
}

function selectedSpan() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!passage.contains(range.commonAncestorContainer)) return null;
  const start = codePoint(range.startContainer, range.startOffset);
  const end = codePoint(range.endContainer, range.endOffset);
  return start < end ? { start, end, text: selection.toString().trim() } : null;
}

function takeSelection() {
  const span = selectedSpan();
  if (!span) return false;
  form.elements.edited_start.value = span.start;
  form.elements.edited_end.value = span.end;
  edited.checked = true;
  readout.textContent = `Your span: “${span.text}”.`;
  return true;
}

function leavePassage() {
  passage.removeAttribute("contenteditable");
  passage.removeAttribute("role");
  passage.removeAttribute("aria-readonly");
}

// Keyboard selection: the passage takes a caret (contenteditable, every edit refused).
function enterPassage() {
  passage.setAttribute("contenteditable", "true");
  passage.setAttribute("role", "textbox");
  passage.setAttribute("aria-multiline", "true");
  passage.setAttribute("aria-readonly", "true");
  passage.focus();
  // The caret starts where the disagreement starts (a piece always begins there).
  const start = passage.querySelector(`[data-start="${passage.dataset.passageStart}"]`);
  document.getSelection().collapse((start ?? passage.querySelector("[data-start]")).firstChild, 0);
  readout.textContent = "Move with the arrow keys, select with Shift+arrows, then press Enter.";
}

function choose(radio) {
  radio.checked = true;
  reason.focus();
}

if (form) {
  document.getElementById("edited-fallback").hidden = true;
  passage.addEventListener("mouseup", takeSelection);
  passage.addEventListener("beforeinput", (event) => event.preventDefault());
  passage.addEventListener("keydown", (event) => {
    if (passage.getAttribute("contenteditable") !== "true") return;
    if (event.key === "Enter") {
      event.preventDefault();
      if (takeSelection()) {
        leavePassage();
        reason.focus();
      }
    } else if (event.key === "Escape") {
      leavePassage();
      passage.blur();
    }
  });
  passage.addEventListener("blur", leavePassage);
  reason.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") {
      reason.blur();
    }
  });
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const link = { j: "next", ArrowRight: "next", k: "prev", ArrowLeft: "prev" }[event.key];
  if (link) {
    const target = document.querySelector(`.queue-steps a[rel="${link}"]`);
    if (target) window.location.assign(target.href);
    return;
  }
  if (!form) return;
  if (event.key === "e") {
    event.preventDefault();
    enterPassage();
    return;
  }
  const radio = form.querySelector(`input[data-key="${CSS.escape(event.key)}"]`);
  if (radio) {
    event.preventDefault();
    choose(radio);
  }
});
