// The panel a click on a highlight (or a margin chip) opens: for each coding
// there, its code, coder, date, session and passage, its memos (add, edit),
// and the buttons to re-code or remove it.

import { request } from "./api.js";

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function element(tag, { className, text, attributes } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function button(text, kind = "") {
  const className = `button button-small ${kind}`.trim();
  return element("button", { className, text, attributes: { type: "button" } });
}

function fact(term, value) {
  return element("div", {}, element("dt", { text: term }), element("dd", { text: value }));
}

export class CodingPanel {
  // `page` gives: store, me, role, studyId, textOf(coding), canChange(coding),
  // canCode(), recode(coding, rect), remove(coding), say(message, kind).
  constructor(root, page) {
    this.root = root;
    this.body = root.querySelector(".coding-panel-body");
    this.page = page;
    this.ids = [];
    root.querySelector(".coding-panel-close").addEventListener("click", () => this.hide());
  }

  show(ids) {
    this.ids = ids;
    this.root.hidden = false;
    this.refresh();
  }

  hide() {
    this.root.hidden = true;
    this.ids = [];
    this.page.onHide();
  }

  // Redraw from the store; codings that have gone meanwhile drop out.
  refresh() {
    if (this.root.hidden) return;
    const codings = this.ids.map((id) => this.page.store.codings.get(id)).filter(Boolean);
    if (!codings.length) {
      this.hide();
      return;
    }
    this.body.replaceChildren(...codings.map((coding) => this.codingCard(coding)));
  }

  codingCard(coding) {
    const { store } = this.page;
    const code = store.codes.get(coding.code);
    const session = store.sessions.get(coding.session);
    const heading = element(
      "h3",
      { className: `panel-code code-${coding.code}` },
      element("span", { className: "swatch" }),
      code ? code.path : `Code ${coding.code}`,
    );
    const coded = fact("Coded", "…");
    const facts = element(
      "dl",
      { className: "facts facts-small" },
      fact("Coder", store.coderName(coding.coder)),
      coded,
      fact("Session", session ? `${session.name} (${session.mode})` : "—"),
    );
    this.loadDate(coding, coded.querySelector("dd"));
    const passage = element("blockquote", {
      className: "panel-passage",
      text: this.page.textOf(coding),
    });
    const card = element("article", {
      className: `panel-coding code-${coding.code}`,
      attributes: { "data-coding": coding.id },
    });
    // "Why is this coded X?": the coding's provenance page (data-why-url ends /0/why/).
    const whyUrl = document
      .querySelector("[data-why-url]")
      .dataset.whyUrl.replace(/\/0\/why\/$/, `/${coding.id}/why/`);
    const why = element("a", {
      className: "panel-why",
      text: `Why is this coded ${code ? code.name : "so"}?`,
      attributes: { href: whyUrl },
    });
    card.append(heading, facts, passage, element("p", {}, why));
    if (this.page.canChange(coding)) card.append(this.actions(coding));
    const memos = element("section", { className: "panel-memos" });
    memos.append(element("h4", { text: "Memos" }));
    card.append(memos);
    this.loadMemos(coding, memos);
    return card;
  }

  actions(coding) {
    const recode = button("Re-code");
    recode.addEventListener("click", () => {
      this.page.recode(coding, recode.getBoundingClientRect());
    });
    const remove = button("Remove", "button-danger");
    remove.addEventListener("click", () => this.page.remove(coding));
    return element("div", { className: "panel-actions" }, recode, remove);
  }

  // The feed leaves out when a coding was made; the coding itself says.
  async loadDate(coding, target) {
    try {
      const answer = await request(`codings/${coding.id}/`);
      target.textContent = DATE.format(new Date(answer.data.created));
    } catch (error) {
      target.textContent = error.message;
    }
  }

  async loadMemos(coding, container) {
    try {
      const memos = (await request(`memos/?coding=${coding.id}`)).data.results;
      for (const memo of memos) container.append(this.memoView(memo));
      if (!memos.length) {
        container.append(element("p", { className: "muted", text: "No memo yet." }));
      }
    } catch (error) {
      container.append(element("p", { className: "error", text: error.message }));
    }
    if (this.page.canCode()) container.append(this.memoForm(coding));
  }

  memoView(memo) {
    const wrap = element("div", { className: "panel-memo" });
    const written = DATE.format(new Date(memo.created_at));
    const byline = element("p", {
      className: "muted",
      text: `${this.page.store.coderName(memo.author)}, ${written}`,
    });
    if (memo.author !== this.page.me) {
      wrap.append(element("p", { className: "panel-memo-text", text: memo.text }), byline);
      return wrap;
    }
    const text = element("textarea", {
      className: "panel-memo-text",
      attributes: { rows: "3", "aria-label": `Memo ${memo.id}` },
    });
    text.value = memo.text;
    const save = button("Save memo");
    let version = memo.version;
    save.addEventListener("click", async () => {
      try {
        const body = { text: text.value, version };
        version = (await request(`memos/${memo.id}/`, { method: "PATCH", body })).data.version;
        this.page.say("Memo saved.", "success");
      } catch (error) {
        if (error.status !== 409 || !error.body?.current) {
          this.page.say(error.message, "error");
          return;
        }
        // Someone changed the memo meanwhile: show it as it is now.
        text.value = error.body.current.text;
        version = error.body.current.version ?? version + 1;
        this.page.say(
          `${error.message} The memo now reads as shown; edit it again to save.`,
          "warning",
        );
      }
    });
    wrap.append(text, byline, save);
    return wrap;
  }

  memoForm(coding) {
    const text = element("textarea", {
      attributes: { rows: "2", "aria-label": "New memo", placeholder: "A memo on this coding…" },
    });
    const add = button("Add memo");
    add.addEventListener("click", async () => {
      const body = { study: this.page.studyId, coding: coding.id, text: text.value };
      try {
        await request("memos/", { method: "POST", body });
        this.page.say("Memo added.", "success");
        this.refresh();
      } catch (error) {
        this.page.say(error.message, "error");
      }
    });
    return element("div", { className: "panel-memo-new" }, text, add);
  }
}
