// A link to a passage (…/coding/#passage-START-END, in code points, as excerpts and
// search hits write it) scrolls the transcript to the passage and marks it.

const PASSAGE = /^#passage-(\d+)-(\d+)$/;

// The text node and UTF-16 offset at code point `position` of a turn's text, whose
// highlights split it into many nodes.
function pointAt(turn, position) {
  let remaining = turn.offsets.toUtf16(position - turn.start);
  const walker = document.createTreeWalker(turn.element, NodeFilter.SHOW_TEXT);
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (remaining <= node.data.length) return [node, remaining];
    remaining -= node.data.length;
    last = node;
  }
  return [last, last.data.length];
}

export function revealPassage(highlighter, hash = window.location.hash) {
  const found = PASSAGE.exec(hash);
  if (!found) return false;
  const start = Number(found[1]);
  const end = Number(found[2]);
  const turns = highlighter.turnsOf(start, end);
  if (end <= start || !turns.length) return false;
  const first = turns[0];
  const last = turns[turns.length - 1];
  const range = document.createRange();
  range.setStart(...pointAt(first, Math.max(start, first.start)));
  range.setEnd(...pointAt(last, Math.min(end, last.end)));
  if (window.Highlight && CSS.highlights) CSS.highlights.set("coding-found", new Highlight(range));
  first.element.scrollIntoView({ block: "center" });
  return true;
}
