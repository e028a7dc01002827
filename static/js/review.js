// The review queue: selecting words in a coding's new context with the mouse fills
// its Start and End (code points of the current revision, as the server counts them),
// ready for "Adjust". Typing the numbers works without this script.

import { TextOffsets } from "./coding/offsets.js";

// UTF-16 length of the context's text before (node, offset).
function unitsBefore(context, node, offset) {
  const range = document.createRange();
  range.setStart(context, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

function fillFromSelection(item) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
  const context = item.querySelector(".review-context");
  const range = selection.getRangeAt(0);
  if (!context.contains(range.startContainer) || !context.contains(range.endContainer)) return;
  const offsets = new TextOffsets(context.textContent);
  const first = Number(context.dataset.start);
  const start = first + offsets.toCodePoints(unitsBefore(context, range.startContainer, range.startOffset));
  const end = first + offsets.toCodePoints(unitsBefore(context, range.endContainer, range.endOffset));
  if (end <= start) return;
  item.querySelector(".review-start").value = start;
  item.querySelector(".review-end").value = end;
  item.querySelector(".review-selected").textContent =
    `Selected ${start}–${end}: “${range.toString()}”. Press Adjust to move the coding there.`;
}

for (const item of document.querySelectorAll(".review-item")) {
  const context = item.querySelector(".review-context");
  if (context) context.addEventListener("mouseup", () => fillFromSelection(item));
}
