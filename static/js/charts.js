// Download the charts of the page as SVG or PNG files, drawn from the SVG in the page.

function svgText(svg) {
  return new XMLSerializer().serializeToString(svg);
}

function save(href, name) {
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

function downloadSvg(svg, name) {
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
  save(url, `${name}.svg`);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function downloadPng(svg, name, scale = 2) {
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  const image = new Image();
  image.addEventListener("load", () => {
    const canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    save(canvas.toDataURL("image/png"), `${name}.png`);
  });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(svg))}`;
}

for (const figure of document.querySelectorAll("[data-chart]")) {
  const svg = figure.querySelector("svg");
  const buttons = figure.querySelector("[data-chart-downloads]");
  if (!svg || !buttons) {
    continue;
  }
  buttons.hidden = false;
  buttons.addEventListener("click", (event) => {
    const format = event.target.closest("[data-download]")?.dataset.download;
    if (format === "svg") {
      downloadSvg(svg, figure.dataset.chart);
    } else if (format === "png") {
      downloadPng(svg, figure.dataset.chart);
    }
  });
}
