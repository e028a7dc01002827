// The Exchange page: start exports and imports through the API and follow their jobs.
// An import first shows its preview (what it will create, where each source goes,
// whose account each user of the file becomes, what is not imported and why); the user
// may send a source or a user elsewhere, then confirms.
// Jobs are followed by the one job poller (jobs.js).

import { followJobs, requestJson } from "./jobs.js";

const POLL_MS = 800;
const page = document.querySelector(".exchange");
const csrf = page.querySelector("input[name=csrfmiddlewaretoken]").value;

function call(url, options = {}) {
  return requestJson(url, { ...options, headers: { "X-CSRFToken": csrf, ...(options.headers ?? {}) } });
}

function jobUrl(job) {
  return `${page.dataset.jobsUrl}${job.id}/`;
}

// Poll the job until it is no longer queued or running; report each state on the way.
async function follow(job, status) {
  const show = ([current]) => {
    if (current.state === "queued") status.textContent = "Waiting to start…";
    else if (current.state === "running") status.textContent = `Working… ${current.progress}%`;
  };
  const [last] = await followJobs(jobUrl(job), { every: POLL_MS, show, jobs: [job] });
  return last;
}

function say(status, text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function downloadLink(job) {
  const link = document.createElement("a");
  link.href = job.download;
  link.textContent = "Download";
  return link;
}

for (const form of page.querySelectorAll(".exchange-export")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = form.querySelector(".exchange-status");
    const body = { format: form.dataset.format };
    const code = form.querySelector("select[name=code]");
    if (code && code.value) body.code = Number(code.value);
    try {
      say(status, "Starting…");
      const job = await follow(
        await call(page.dataset.exportsUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }),
        status,
      );
      if (job.state !== "succeeded") throw new Error(job.error || "The export failed.");
      say(status, "Ready: ");
      status.append(downloadLink(job));
    } catch (error) {
      say(status, error.message, true);
    }
  });
}

function item(list, text) {
  const li = document.createElement("li");
  li.textContent = text;
  list.append(li);
}

function targetSelect(source, choices) {
  const select = document.createElement("select");
  select.dataset.guid = source.guid;
  select.setAttribute("aria-label", `Where '${source.name}' goes`);
  const groups = [
    ["Existing interview", choices.interviews ?? []],
    ["New interview of", choices.participants ?? []],
    ["New participant from the file", choices.cases ?? []],
  ];
  for (const [label, options] of groups) {
    if (!options.length) continue;
    const group = document.createElement("optgroup");
    group.label = label;
    for (const choice of options) group.append(new Option(choice.label, choice.value));
    select.append(group);
  }
  select.append(new Option("Do not import", "skip"));
  select.value = source.target;
  return select;
}

function userSelect(user, members) {
  const select = document.createElement("select");
  select.dataset.user = user.guid;
  select.setAttribute("aria-label", `Whose codings '${user.name}' makes`);
  select.append(new Option(`A new imported coder '${user.name}'`, "new"));
  const options = [...members];
  if (user.target !== "new" && !options.some((member) => member.value === user.target)) {
    options.unshift({ value: user.target, label: user.target });
  }
  for (const member of options) select.append(new Option(member.label, member.value));
  select.value = user.target;
  return select;
}

function notImported(list, entries) {
  for (const entry of entries) {
    const examples = entry.examples.length ? ` (e.g. ${entry.examples.join(", ")})` : "";
    item(list, `Not imported: ${entry.count} × ${entry.kind}: ${entry.why}${examples}`);
  }
}

function showUsers(preview, plan) {
  const table = preview.querySelector(".exchange-users");
  const rows = table.querySelector("tbody");
  rows.replaceChildren();
  for (const user of plan.users) {
    const row = rows.insertRow();
    row.insertCell().textContent = user.name;
    row.insertCell().textContent = user.codings;
    row.insertCell().textContent = user.notes;
    const cell = row.insertCell();
    if (user.target) cell.append(userSelect(user, plan.choices.users ?? []));
    else cell.textContent = "Nobody: nothing of theirs is imported";
    for (const number of [row.cells[1], row.cells[2]]) number.className = "num";
  }
  table.hidden = plan.users.length === 0;
}

function showPreview(job) {
  const preview = page.querySelector(".exchange-preview");
  const plan = job.preview;
  const summary = preview.querySelector(".exchange-summary");
  summary.replaceChildren();
  item(summary, `From ${plan.origin || "unknown software"}; positions read as ${plan.convention || "n/a"}.`);
  item(summary, `Codes: ${plan.summary.new_codes} new, ${plan.summary.existing_codes} already here.`);
  item(summary, `Sources: ${plan.summary.sources} imported, ${plan.summary.skipped_sources} not; codings: ${plan.summary.codings}; notes: ${plan.summary.notes}.`);
  item(summary, `New participants: ${plan.new_participants.join(", ") || "none"}.`);
  item(summary, `New dyads: ${plan.new_dyads.map((dyad) => dyad.label).join(", ") || "none"}.`);
  item(summary, `New interviews: ${plan.summary.new_interviews}; new imported coders: ${plan.summary.new_coders}.`);
  showUsers(preview, plan);
  const table = preview.querySelector(".exchange-sources");
  const rows = table.querySelector("tbody");
  rows.replaceChildren();
  for (const source of plan.sources) {
    const row = rows.insertRow();
    row.insertCell().textContent = source.name;
    row.insertCell().textContent = source.characters;
    row.insertCell().textContent = source.codings;
    row.insertCell().append(targetSelect(source, plan.choices));
    row.insertCell().textContent = source.reason;
    for (const cell of [row.cells[1], row.cells[2]]) cell.className = "num";
  }
  table.hidden = plan.sources.length === 0;
  const warnings = preview.querySelector(".exchange-warnings");
  warnings.replaceChildren();
  notImported(warnings, plan.not_imported);
  for (const warning of plan.warnings) item(warnings, warning);
  if (job.error) item(warnings, job.error);
  preview.hidden = false;
  preview.dataset.job = job.id;
}

const importForm = page.querySelector(".exchange-import");
if (importForm) {
  const status = importForm.querySelector(".exchange-status");
  importForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    page.querySelector(".exchange-preview").hidden = true;
    try {
      say(status, "Uploading…");
      const job = await follow(
        await call(page.dataset.importsUrl, { method: "POST", body: new FormData(importForm) }),
        status,
      );
      if (job.state !== "previewed") throw new Error(job.error || "The file could not be read.");
      say(status, "Check the preview below, then import.");
      showPreview(job);
    } catch (error) {
      say(status, error.message, true);
    }
  });

  const confirm = page.querySelector(".exchange-confirm");
  confirm.addEventListener("click", async () => {
    const preview = page.querySelector(".exchange-preview");
    const confirmStatus = preview.querySelector(".exchange-confirm-status");
    const mapping = {};
    for (const select of preview.querySelectorAll("select[data-guid]")) mapping[select.dataset.guid] = select.value;
    const users = {};
    for (const select of preview.querySelectorAll("select[data-user]")) users[select.dataset.user] = select.value;
    try {
      confirm.disabled = true;
      const job = await follow(
        await call(`${page.dataset.jobsUrl}${preview.dataset.job}/confirm/`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ mapping, users }),
        }),
        confirmStatus,
      );
      if (job.state === "previewed") {
        showPreview(job);
        throw new Error(job.error);
      }
      if (job.state !== "succeeded") throw new Error(job.error || "The import failed.");
      const counts = Object.entries(job.result)
        .filter(([what]) => what !== "not_imported")
        .map(([what, count]) => `${count} ${what.replaceAll("_", " ")}`);
      say(confirmStatus, `Imported: ${counts.join(", ")}.`);
      const report = preview.querySelector(".exchange-report");
      report.replaceChildren();
      notImported(report, job.result.not_imported);
    } catch (error) {
      say(confirmStatus, error.message, true);
    } finally {
      confirm.disabled = false;
    }
  });
}
