// Keeps import progress bars current without a reload.
// A container [data-import-jobs] names the API URL of one job or of a list of
// jobs; each job's .job-progress[data-job-id] is updated from the job rows
// (through the one job poller, jobs.js) until every job has succeeded or failed.

import { followJobs, isActive } from "./jobs.js";

const POLL_MS = 700;
const STATE_LABELS = { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed" };

export function showJob(element, job) {
  const bar = element.querySelector("progress");
  bar.value = job.progress;
  bar.textContent = `${job.progress}%`;
  const label = STATE_LABELS[job.state] ?? job.state;
  element.querySelector(".job-state").textContent = isActive(job) ? `${label}, ${job.progress}%` : label;
  const error = element.querySelector(".job-error");
  error.textContent = job.error;
  error.hidden = !job.error;
  element.className = `job-progress job-${job.state}`;
}

function watch(container) {
  const show = (jobs) => {
    for (const job of jobs) {
      const element = container.querySelector(`.job-progress[data-job-id="${job.id}"]`);
      if (element) showJob(element, job);
    }
    const done = container.querySelector(".job-done");
    if (done) done.hidden = !jobs.every((job) => job.state === "succeeded");
  };
  // A refused read stops following: the page keeps what it showed last.
  followJobs(container.dataset.importJobs, { every: POLL_MS, show, retryUnreachable: POLL_MS * 4 }).catch(
    () => {},
  );
}

document.querySelectorAll("[data-import-jobs]").forEach(watch);
