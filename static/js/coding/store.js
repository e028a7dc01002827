// What the page knows: the study's codes, the coders, the codings it may show
// (from /api/v1/revisions/{id}/codings/ and .../changes/), and the filters.

// The codebook's order: each code followed by its sub-codes, siblings by position
// (the server sends them flat, sorted by position and name).
function inCodebookOrder(codes) {
  const known = new Set(codes.map((code) => code.id));
  const children = new Map();
  for (const code of codes) {
    const parent = known.has(code.parent) ? code.parent : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(code);
  }
  const ordered = [];
  const visit = (parent) => {
    for (const code of children.get(parent) ?? []) {
      ordered.push(code);
      visit(code.id);
    }
  };
  visit(null);
  return ordered;
}

export class CodingStore {
  constructor() {
    this.codes = new Map(); // id → {id, parent, name, colour, definition, retired, path}
    this.coders = new Map(); // username → display name
    this.sessions = new Map(); // id → {id, name, mode, state}
    this.codings = new Map(); // id → {id, start, end, code, coder, session}
    this.sequence = 0;
    this.etag = null;
    this.sessionState = null;
    this.hiddenCoders = new Set();
    this.onlyCode = null; // a code id, or null for all codes
  }

  // Everything anew (the first load, or the server's `reload`).
  load(payload, etag) {
    this.codes = new Map(inCodebookOrder(payload.codes).map((code) => [code.id, { ...code }]));
    for (const code of this.codes.values()) code.path = this.pathOf(code);
    this.coders = new Map();
    this.sessions = new Map();
    this.codings = new Map();
    this.sessionState = payload.session_state;
    this.merge(payload, etag);
  }

  // Add or replace the codings of a payload and drop those it names as removed.
  // Returns the codings touched, before and after, so that their turns redraw.
  merge(payload, etag) {
    for (const coder of payload.coders) this.coders.set(coder.username, coder.name);
    for (const session of payload.sessions ?? []) this.sessions.set(session.id, session);
    const touched = [];
    for (const coding of payload.codings) {
      if (this.codings.has(coding.id)) touched.push(this.codings.get(coding.id));
      this.codings.set(coding.id, coding);
      touched.push(coding);
    }
    for (const id of payload.removed ?? []) {
      if (this.codings.has(id)) touched.push(this.codings.get(id));
      this.codings.delete(id);
    }
    this.sequence = payload.sequence ?? this.sequence;
    if (etag) this.etag = etag;
    return touched;
  }

  add(coding) {
    this.codings.set(coding.id, coding);
  }

  remove(id) {
    const coding = this.codings.get(id);
    this.codings.delete(id);
    return coding;
  }

  pathOf(code) {
    const names = [];
    for (let node = code; node; node = this.codes.get(node.parent)) names.unshift(node.name);
    return names.join(" › ");
  }

  activeCodes() {
    return [...this.codes.values()].filter((code) => !code.retired);
  }

  coderName(username) {
    return this.coders.get(username) ?? username;
  }

  shows(coding) {
    return (
      !this.hiddenCoders.has(coding.coder) &&
      (this.onlyCode === null || coding.code === this.onlyCode)
    );
  }

  visible() {
    return [...this.codings.values()].filter((coding) => this.shows(coding));
  }
}
