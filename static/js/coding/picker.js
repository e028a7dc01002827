// The code picker: type to filter the codebook, ↑/↓ to move, Enter to apply,
// Escape to cancel. An ARIA combobox over a listbox, so screen readers follow.

export class CodePicker {
  constructor(root) {
    this.root = root;
    this.input = root.querySelector("input");
    this.list = root.querySelector("[role=listbox]");
    this.title = root.querySelector(".code-picker-title");
    this.codes = [];
    this.matches = [];
    this.active = 0;
    this.onChoose = null;
    this.input.addEventListener("input", () => this.filter());
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.choose(Number(option.dataset.index));
    });
  }

  get isOpen() {
    return !this.root.hidden;
  }

  // Show the picker near `rect` (a DOMRect of the selection or the clicked
  // button); `onChoose(code)` runs when a code is applied.
  open({ codes, rect, title, onChoose }) {
    this.codes = codes;
    this.onChoose = onChoose;
    this.title.textContent = title;
    this.input.value = "";
    this.root.hidden = false;
    const width = this.root.offsetWidth;
    const left = Math.min(rect.left, window.innerWidth - width - 16);
    this.root.style.left = `${Math.max(8, left) + window.scrollX}px`;
    this.root.style.top = `${rect.bottom + window.scrollY + 6}px`;
    this.filter();
    this.input.setAttribute("aria-expanded", "true");
    this.input.focus({ preventScroll: true });
  }

  close() {
    this.root.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.onChoose = null;
    // A hidden field keeps the focus until the browser notices; give it back now, so
    // that the next key (a "c" for another selection) reaches the page, not the field.
    if (document.activeElement === this.input) this.input.blur();
  }

  filter() {
    const words = this.input.value.toLowerCase().split(/\s+/).filter(Boolean);
    this.matches = this.codes.filter((code) => {
      const path = code.path.toLowerCase();
      return words.every((word) => path.includes(word));
    });
    this.active = 0;
    this.list.replaceChildren(
      ...this.matches.map((code, index) => {
        const option = document.createElement("li");
        option.id = `code-option-${code.id}`;
        option.setAttribute("role", "option");
        option.dataset.index = String(index);
        option.className = `code-option code-${code.id}`;
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        option.append(swatch, code.path);
        if (code.definition) option.title = code.definition;
        return option;
      }),
    );
    if (!this.matches.length) {
      const none = document.createElement("li");
      none.className = "code-option-none";
      none.textContent = "No code matches.";
      this.list.append(none);
    }
    this.highlight();
  }

  highlight() {
    this.list.querySelectorAll("[role=option]").forEach((option, index) => {
      const selected = index === this.active;
      option.setAttribute("aria-selected", String(selected));
      if (selected) {
        this.input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
    if (!this.matches.length) this.input.removeAttribute("aria-activedescendant");
  }

  key(event) {
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves && this.matches.length) {
      event.preventDefault();
      const count = this.matches.length;
      this.active = (this.active + moves[event.key] + count) % count;
      this.highlight();
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  }

  choose(index) {
    const code = this.matches[index];
    const onChoose = this.onChoose;
    if (!code || !onChoose) return;
    this.close();
    onChoose(code);
  }
}
