// Coded spans drawn over the transcript, fast enough for 2,000+ codings.
//
// Each turn's text is cut once at every coding boundary inside it; each piece
// ("segment") becomes one <span> whatever the number of codings covering it,
// and a class per combination of codes paints it: a tint of the first code's
// colour and one underline band per code, stacked. The combinations' rules go
// into a constructed style sheet (CSSOM, which a Content-Security-Policy
// without 'unsafe-inline' allows), written in one go after each drawing: a rule
// inserted into a sheet in use makes the browser re-check the page's styles, once per
// rule. A change redraws only the turns it touches.

import { TextOffsets } from "./offsets.js";

const MAX_BANDS = 4;
const BAND_PX = 3;
const TINTS = ["30", "48", "60", "78"]; // hex alpha of the tint for 1, 2, 3, 4+ codings

export class CodeStyles {
  constructor() {
    this.sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
    this.combinations = new Map();
    this.rules = [];
    this.written = 0; // how many of the rules the sheet holds
  }

  // One rule per code (`.code-12` sets --code-colour) for swatches and chips.
  setCodes(codes) {
    this.combinations.clear();
    this.colours = new Map();
    this.rules = [];
    this.written = -1; // the sheet's rules are all replaced at the next write
    for (const code of codes) {
      this.rules.push(`.code-${code.id} { --code-colour: ${code.colour}; }`);
      this.colours.set(code.id, code.colour);
    }
    this.write();
  }

  // The rules made since the last write, into the sheet at once.
  write() {
    if (this.written === this.rules.length) return;
    this.sheet.replaceSync(this.rules.join("\n"));
    this.written = this.rules.length;
  }

  // The class painting a segment covered by `count` codings of these codes
  // (distinct, in order): the more codings, the deeper the tint.
  combination(codeIds, count) {
    const depth = Math.min(count, MAX_BANDS);
    const key = `${codeIds.join(",")}/${depth}`;
    let name = this.combinations.get(key);
    if (!name) {
      name = `hl-k${this.combinations.size}`;
      const colours = codeIds.map((id) => this.colours.get(id) ?? "#888888");
      const bands = colours
        .slice(0, MAX_BANDS)
        .map((colour, layer) => `inset 0 -${(layer + 1) * BAND_PX}px 0 ${colour}`);
      const tint = TINTS[depth - 1];
      this.rules.push(
        `.${name} { background-color: ${colours[0]}${tint}; box-shadow: ${bands.join(", ")}; }`,
      );
      this.combinations.set(key, name);
    }
    return name;
  }
}

// The turns' text elements, their positions (code points) and the segments drawn.
export class Highlighter {
  constructor(textElements, styles) {
    this.styles = styles;
    this.turns = textElements.map((element, index) => {
      const text = element.textContent;
      const turn = {
        index,
        element,
        margin: element.parentElement.querySelector(".coding-margin"),
        start: Number(element.dataset.start),
        end: Number(element.dataset.end),
        text,
        offsets: new TextOffsets(text),
        segments: [], // segment number → ids of the codings covering it
      };
      element.dataset.turn = String(index);
      if (turn.offsets.length !== turn.end - turn.start) {
        console.warn(`Turn ${index}: the text on the page does not match the stored text.`);
      }
      return turn;
    });
    this.focused = new Set();
  }

  // The turns [start, end) overlaps, by binary search over the turns' starts.
  turnsOf(start, end) {
    let low = 0;
    let high = this.turns.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.turns[middle].end <= start) low = middle + 1;
      else high = middle;
    }
    const found = [];
    for (let index = low; index < this.turns.length && this.turns[index].start < end; index += 1) {
      found.push(this.turns[index]);
    }
    return found;
  }

  // Redraw every turn from these codings (the first load, a filter, a reload).
  renderAll(codings, codeName) {
    const byTurn = this.turns.map(() => []);
    for (const coding of codings) {
      for (const turn of this.turnsOf(coding.start, coding.end)) byTurn[turn.index].push(coding);
    }
    this.turns.forEach((turn, index) => this.render(turn, byTurn[index], codeName));
    this.styles.write();
  }

  // Redraw the turns these codings lie in, from the codings now shown.
  renderAround(changed, codings, codeName) {
    const turns = new Set();
    for (const coding of changed) {
      for (const turn of this.turnsOf(coding.start, coding.end)) turns.add(turn);
    }
    for (const turn of turns) {
      const inside = codings.filter((c) => c.start < turn.end && c.end > turn.start);
      this.render(turn, inside, codeName);
    }
    this.styles.write();
  }

  render(turn, codings, codeName) {
    const cuts = new Set([turn.start, turn.end]);
    for (const coding of codings) {
      cuts.add(Math.max(coding.start, turn.start));
      cuts.add(Math.min(coding.end, turn.end));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const byStart = [...codings].sort((a, b) => a.start - b.start);
    const fragment = document.createDocumentFragment();
    turn.segments = [];
    let covering = [];
    let next = 0;
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [from, to] = [points[i], points[i + 1]];
      // Sweep: drop the codings that ended, take in those that start here.
      covering = covering.filter((c) => c.end > from);
      for (; next < byStart.length && byStart[next].start <= from; next += 1) {
        if (byStart[next].end > from) covering.push(byStart[next]);
      }
      const text = turn.text.slice(
        turn.offsets.toUtf16(from - turn.start),
        turn.offsets.toUtf16(to - turn.start),
      );
      if (!covering.length) {
        fragment.append(text);
        continue;
      }
      const span = document.createElement("span");
      const codes = [...new Set(covering.map((c) => c.code))];
      span.className = `hl ${this.styles.combination(codes, covering.length)}`;
      span.dataset.segment = String(turn.segments.length);
      if (covering.some((c) => this.focused.has(c.id))) span.classList.add("hl-focus");
      turn.segments.push(covering.map((c) => c.id));
      span.textContent = text;
      fragment.append(span);
    }
    turn.element.replaceChildren(fragment);
    this.renderMargin(turn, codings, codeName);
  }

  // The codes of the codings that start in this turn, once each, in text order.
  renderMargin(turn, codings, codeName) {
    if (!turn.margin) return;
    const counts = new Map();
    const starting = codings.filter((c) => c.start >= turn.start).sort((a, b) => a.start - b.start);
    for (const coding of starting) counts.set(coding.code, (counts.get(coding.code) ?? 0) + 1);
    turn.margin.replaceChildren(
      ...[...counts].map(([code, count]) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = `margin-code code-${code}`;
        button.dataset.code = String(code);
        button.dataset.turn = String(turn.index);
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        button.append(swatch, codeName(code));
        if (count > 1) button.append(` ×${count}`);
        item.append(button);
        return item;
      }),
    );
  }

  // The ids of the codings covering a clicked segment.
  codingsAt(span) {
    const turn = this.turns[Number(span.closest(".coding-text").dataset.turn)];
    return turn.segments[Number(span.dataset.segment)] ?? [];
  }

  // Outline the segments of these codings (the ones the panel shows).
  focus(ids) {
    this.focused = new Set(ids);
    for (const turn of this.turns) {
      turn.element.querySelectorAll(".hl").forEach((span) => {
        const covering = turn.segments[Number(span.dataset.segment)];
        span.classList.toggle("hl-focus", covering.some((id) => this.focused.has(id)));
      });
    }
  }
}
