// The coding page: select text, pick a code, and the coding is saved at once.
// Wires the page's parts together: the store of codings, the highlights, the
// code picker, the panel, the filters, the codebook and the live updates.

import { request } from "./api.js";
import { CodeStyles, Highlighter } from "./highlights.js";
import { Live } from "./live.js";
import { CodingPanel } from "./panel.js";
import { CodePicker } from "./picker.js";
import { revealPassage } from "./reveal.js";
import { CodingStore } from "./store.js";

const root = document.getElementById("coding-workspace");
const data = root.dataset;
const me = data.user;
const role = data.role;
const revision = Number(data.revision);
const transcript = Number(data.transcript);
const session = data.session ? Number(data.session) : null;
const query = session ? `session=${session}` : "";
let canCode = data.canCode === "true";

const store = new CodingStore();
const styles = new CodeStyles();
const highlighter = new Highlighter([...root.querySelectorAll(".coding-text")], styles);
const picker = new CodePicker(document.getElementById("code-picker"));
const status = document.getElementById("coding-status");
const codeName = (id) => store.codes.get(id)?.name ?? `Code ${id}`;

function say(message, kind = "info") {
  status.textContent = message;
  status.className = `coding-status message message-${kind}`;
  status.hidden = false;
}

// A removal can be undone while its message shows an Undo button: UNDO_SECONDS,
// or until the next message replaces it.
const UNDO_SECONDS = 15;
let undoTimer = null;

function sayWithUndo(message, undo) {
  say(message, "success");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button-small coding-undo";
  button.textContent = "Undo";
  button.addEventListener("click", () => {
    clearTimeout(undoTimer);
    button.remove();
    undo();
  });
  status.append(" ", button);
  clearTimeout(undoTimer);
  undoTimer = setTimeout(() => button.remove(), UNDO_SECONDS * 1000);
}

// --- Drawing ----------------------------------------------------------------

function drawAll() {
  highlighter.renderAll(store.visible(), codeName);
  panel.refresh();
}

function drawAround(changed) {
  highlighter.renderAround(changed, store.visible(), codeName);
  panel.refresh();
}

function textOf(coding) {
  return highlighter
    .turnsOf(coding.start, coding.end)
    .map((turn) => {
      const from = turn.offsets.toUtf16(Math.max(coding.start, turn.start) - turn.start);
      const to = turn.offsets.toUtf16(Math.min(coding.end, turn.end) - turn.start);
      return turn.text.slice(from, to);
    })
    .join(" … ");
}

// --- Selection → code points ------------------------------------------------

// The UTF-16 length of a text element's content up to (node, offset).
function utf16Within(container, node, offset) {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

// The selection as [start, end) in code points of the revision, blanks at
// either end left out; null when nothing of the transcript is selected.
function selectedSpan() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const touched = highlighter.turns.filter((turn) => range.intersectsNode(turn.element));
  if (!touched.length) return null;
  const first = touched[0];
  const last = touched[touched.length - 1];
  let from = first.element.contains(range.startContainer)
    ? utf16Within(first.element, range.startContainer, range.startOffset)
    : 0;
  let to = last.element.contains(range.endContainer)
    ? utf16Within(last.element, range.endContainer, range.endOffset)
    : last.text.length;
  while (from < first.text.length && /\s/.test(first.text[from])) from += 1;
  while (to > 0 && /\s/.test(last.text[to - 1])) to -= 1;
  const start = first.start + first.offsets.toCodePoints(from);
  const end = last.start + last.offsets.toCodePoints(to);
  if (end <= start) return null;
  return { start, end, rect: range.getBoundingClientRect(), range: range.cloneRange() };
}

function markPending(range) {
  if (window.Highlight && CSS.highlights) {
    CSS.highlights.set("coding-pending", new Highlight(range));
  }
}

function clearPending() {
  if (CSS.highlights) CSS.highlights.delete("coding-pending");
}

function offerCodes() {
  if (!canCode || picker.isOpen) return;
  const span = selectedSpan();
  if (!span) return;
  markPending(span.range);
  picker.open({
    codes: store.activeCodes(),
    rect: span.rect,
    title: "Apply a code to the selection",
    onChoose: (code) => createCoding(span, code),
  });
}

// --- Writes -----------------------------------------------------------------

async function createCoding(span, code) {
  clearPending();
  window.getSelection().removeAllRanges();
  try {
    const body = { revision, start: span.start, end: span.end, code: code.id };
    if (session) body.session = session;
    const answer = await request("codings/", { method: "POST", body });
    store.coders.set(me, store.coderName(me));
    store.add(answer.data);
    drawAround([answer.data]);
    say(`Coded as ${code.path}.`, "success");
  } catch (error) {
    say(`Not saved: ${error.message}`, "error");
  }
}

async function removeCoding(coding) {
  try {
    await request(`codings/${coding.id}/`, { method: "DELETE" });
    sayWithUndo(`Removed the coding ${codeName(coding.code)}.`, () => restoreCoding(coding));
  } catch (error) {
    say(error.status === 404 ? "That coding had already been removed." : error.message, "error");
    if (error.status !== 404) return;
  }
  store.remove(coding.id);
  drawAround([coding]);
}

async function restoreCoding(coding) {
  try {
    const answer = await request(`codings/${coding.id}/restore/`, { method: "POST" });
    store.add(answer.data);
    drawAround([answer.data]);
    say(`Restored the coding ${codeName(coding.code)}.`, "success");
  } catch (error) {
    say(`Not restored: ${error.message}`, "error");
  }
}

function recodeCoding(coding, rect) {
  picker.open({
    codes: store.activeCodes().filter((code) => code.id !== coding.code),
    rect,
    title: `Re-code from ${codeName(coding.code)}`,
    onChoose: async (code) => {
      try {
        const body = { code: code.id };
        const answer = await request(`codings/${coding.id}/`, { method: "PATCH", body });
        store.add(answer.data);
        drawAround([answer.data]);
        say(`Re-coded as ${code.path}.`, "success");
      } catch (error) {
        say(error.message, "error");
      }
    },
  });
}

const panel = new CodingPanel(document.getElementById("coding-panel"), {
  store,
  me,
  studyId: Number(data.study),
  textOf,
  say,
  canCode: () => canCode,
  canChange: (coding) =>
    (role === "owner" || (role === "analyst" && coding.coder === me)) &&
    store.sessions.get(coding.session)?.state !== "closed",
  recode: recodeCoding,
  remove: removeCoding,
  onHide: () => highlighter.focus([]),
});

function openPanel(ids) {
  highlighter.focus(ids);
  panel.show(ids);
}

// --- Codebook and filters ---------------------------------------------------

function drawCodebook() {
  const tree = document.getElementById("codebook-tree");
  const children = new Map();
  for (const code of store.activeCodes()) {
    const siblings = children.get(code.parent ?? null) ?? [];
    siblings.push(code);
    children.set(code.parent ?? null, siblings);
  }
  const branch = (parent) => {
    const list = document.createElement("ul");
    for (const code of children.get(parent) ?? []) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.className = `codebook-code code-${code.id}`;
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      name.append(swatch, code.name);
      if (code.definition) name.title = code.definition;
      item.append(name);
      if (children.has(code.id)) item.append(branch(code.id));
      list.append(item);
    }
    return list;
  };
  tree.replaceChildren(...(children.size ? [branch(null)] : []));
  if (!children.size) tree.textContent = "The codebook is empty.";
}

function drawFilters() {
  const coders = document.getElementById("coder-filter-options");
  coders.replaceChildren(
    ...[...store.coders].map(([username, name]) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = username;
      box.checked = !store.hiddenCoders.has(username);
      label.append(box, ` ${username === me ? `${name} (you)` : name}`);
      return label;
    }),
  );
  const select = document.getElementById("code-filter");
  const all = new Option("All codes", "");
  select.replaceChildren(
    all,
    ...[...store.codes.values()].map((code) => new Option(code.path, String(code.id))),
  );
  select.value = store.onlyCode === null ? "" : String(store.onlyCode);
}

// --- Live -------------------------------------------------------------------

function applyChanges(payload, etag) {
  if (payload.reload) {
    store.load(payload, etag);
    styles.setCodes(store.codes.values());
    followSessionState();
    drawCodebook();
    drawFilters();
    drawAll();
    return;
  }
  const known = store.coders.size;
  const changed = store.merge(payload, etag);
  if (store.coders.size !== known) drawFilters();
  if (changed.length) drawAround(changed);
}

function followSessionState() {
  if (store.sessionState === "closed" && canCode) {
    canCode = false;
    picker.close();
    say("The session has been closed: its codings are final, and everyone's are shown.", "info");
  }
  document.getElementById("done-controls")?.toggleAttribute("hidden", !canCode);
}

function drawPresence(people) {
  const list = document.getElementById("presence");
  list.replaceChildren(
    ...people.map((person) => {
      const item = document.createElement("li");
      item.className = person.username === me ? "presence-person presence-me" : "presence-person";
      item.title = person.name;
      const initials = document.createElement("span");
      initials.setAttribute("aria-hidden", "true");
      initials.textContent = person.name
        .split(/\s+/)
        .map((word) => word[0])
        .join("")
        .slice(0, 2)
        .toUpperCase();
      const name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = person.username === me ? `${person.name} (you)` : person.name;
      item.append(initials, name);
      return item;
    }),
  );
}

// --- Done marks -------------------------------------------------------------

async function toggleDone(button) {
  const action = button.dataset.done === "true" ? "reopen" : "done";
  try {
    const body = { transcript };
    await request(`coding-sessions/${session}/${action}/`, { method: "POST", body });
    const done = action === "done";
    button.dataset.done = String(done);
    button.textContent = done ? "Reopen this transcript" : "Mark this transcript done";
    say(done ? "Marked done. Thank you!" : "Reopened: you can go on coding.", "success");
  } catch (error) {
    say(error.message, "error");
  }
}

// --- Events -----------------------------------------------------------------

const transcriptElement = root.querySelector(".coding-transcript");
transcriptElement.addEventListener("mouseup", () => window.setTimeout(offerCodes, 0));
// A selection made with the keyboard (caret browsing): "c" or Enter offers the codes.
document.addEventListener("keyup", (event) => {
  if (event.target.closest("input, textarea, select, button, a, .code-picker")) return;
  if (event.key === "c" || event.key === "Enter") offerCodes();
});
transcriptElement.addEventListener("click", (event) => {
  const chip = event.target.closest(".margin-code");
  if (chip) {
    const turn = highlighter.turns[Number(chip.dataset.turn)];
    const code = Number(chip.dataset.code);
    const ids = store
      .visible()
      .filter((c) => c.code === code && c.start >= turn.start && c.start < turn.end)
      .map((c) => c.id);
    openPanel(ids);
    return;
  }
  const span = event.target.closest(".hl");
  if (span && window.getSelection().isCollapsed) openPanel(highlighter.codingsAt(span));
});
document.getElementById("code-picker").addEventListener("focusout", (event) => {
  if (!event.currentTarget.contains(event.relatedTarget)) {
    picker.close();
    clearPending();
  }
});
document.getElementById("coder-filter-options").addEventListener("change", (event) => {
  const box = event.target;
  if (box.checked) store.hiddenCoders.delete(box.value);
  else store.hiddenCoders.add(box.value);
  drawAll();
});
document.getElementById("code-filter").addEventListener("change", (event) => {
  store.onlyCode = event.target.value ? Number(event.target.value) : null;
  drawAll();
});
document
  .getElementById("done-button")
  ?.addEventListener("click", (event) => toggleDone(event.currentTarget));

window.addEventListener("hashchange", () => revealPassage(highlighter));

// Only one speaker's turns: the others are hidden, their codings kept.
document.getElementById("speaker-filter")?.addEventListener("change", (event) => {
  const speaker = event.target.value;
  for (const turn of root.querySelectorAll(".turn")) {
    turn.hidden = Boolean(speaker) && turn.dataset.speaker !== speaker;
  }
});

// --- Start ------------------------------------------------------------------

async function start() {
  try {
    const answer = await request(`revisions/${revision}/codings/?${query}`);
    applyChanges(answer.data, answer.etag);
    performance.mark("highlights-drawn"); // bench/bench_coding_page.py times the page by it
    revealPassage(highlighter);
    root.classList.add("is-ready");
  } catch (error) {
    say(`The codings could not be loaded: ${error.message}`, "error");
    return;
  }
  new Live({
    revision,
    query,
    store,
    onChanges: applyChanges,
    onPresence: drawPresence,
    onError: (error) => say(`Live updates failed, retrying: ${error.message}`, "warning"),
  }).start();
}

start();
