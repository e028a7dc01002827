// Keeps import progress bars current without a reload.
// A container [data-import-jobs] names the API URL of one job or of a list of
// jobs; each job's .job-progress[data-job-id] is updated from the job rows
// until every job has succeeded or failed.

const POLL_MS = 700;
const FINISHED = new Set(["succeeded", "failed"]);
const STATE_LABELS = { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed" };

function jobsOf(body) {
  return Array.isArray(body.results) ? body.results : [body];
}

export function showJob(element, job) {
  const bar = element.querySelector("progress");
  bar.value = job.progress;
  bar.textContent = `${job.progress}%`;
  const label = STATE_LABELS[job.state] ?? job.state;
  element.querySelector(".job-state").textContent = FINISHED.has(job.state)
    ? label
    : `${label}, ${job.progress}%`;
  const error = element.querySelector(".job-error");
  error.textContent = job.error;
  error.hidden = !job.error;
  element.className = `job-progress job-${job.state}`;
}

function watch(container) {
  const url = container.dataset.importJobs;
  const poll = async () => {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    } catch {
      window.setTimeout(poll, POLL_MS * 4);
      return;
    }
    if (!response.ok) return;
    const jobs = jobsOf(await response.json());
    for (const job of jobs) {
      const element = container.querySelector(`.job-progress[data-job-id="${job.id}"]`);
      if (element) showJob(element, job);
    }
    const done = container.querySelector(".job-done");
    if (done) done.hidden = !jobs.every((job) => job.state === "succeeded");
    if (!jobs.every((job) => FINISHED.has(job.state))) window.setTimeout(poll, POLL_MS);
  };
  poll();
}

document.querySelectorAll("[data-import-jobs]").forEach(watch);
