// The dyad matrix: a cell opens its excerpts in the side panel, without leaving the page.
// Without JavaScript the cell's link opens the same excerpts as a page of their own.

const panel = document.getElementById("matrix-panel");
const matrix = document.querySelector("[data-matrix]");

function close() {
  panel.hidden = true;
  panel.replaceChildren();
  const active = matrix.querySelector(".matrix-cell-active");
  if (active) {
    active.classList.remove("matrix-cell-active");
    active.querySelector("a").focus();
  }
}

async function open(link) {
  const response = await fetch(link.href, {
    headers: { "X-Duet-Fragment": "1" },
    credentials: "same-origin",
  });
  if (!response.ok) {
    window.location.assign(link.href);
    return;
  }
  const html = await response.text();
  const fragment = new DOMParser().parseFromString(html, "text/html");
  panel.replaceChildren(...fragment.body.childNodes);
  for (const button of panel.querySelectorAll("[data-close-panel]")) {
    button.hidden = false;
    button.addEventListener("click", close);
  }
  matrix.querySelector(".matrix-cell-active")?.classList.remove("matrix-cell-active");
  link.closest("td").classList.add("matrix-cell-active");
  panel.hidden = false;
  panel.focus();
}

if (panel && matrix) {
  matrix.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-cell]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    open(link);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      close();
    }
  });
}
